"""A same-field conflict is recorded as a notice that pull delivers to the record's scope only,
and that the resolving push closes (sync/server/notices.py)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def push_from(
    server: Server, user: str, device: str, changes: list[dict[str, Any]], batch_id: str | None = None
) -> list[dict[str, Any]]:
    body = {
        "batch_id": batch_id or str(uuid.uuid4()),
        "device_id": device,
        "client_time": "",
        "changes": changes,
    }
    answer = server.request("POST", "/sync/push", user, json=body)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def notices(server: Server, user: str, since: int = 0) -> dict[str, dict[str, Any]]:
    pulled, _ = server.pull_all(user, since)
    return {c["id"]: c["fields"] for c in pulled if c["table"] == "conflicts"}


# What laptops A and B write over each other (valid content: at least five characters).
A_TEXT, B_TEXT = "甲电脑：讲解柑橘修剪", "乙电脑：讲解木虱防治"


def a_conflict(server: Server) -> tuple[str, str, str, dict[str, Any]]:
    """Zhang's laptop A changes a visit's content; laptop B, from the same base, changes it too."""
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    server.add_user("wangwu", "commissioner", team=OTHER_TEAM, station="station-2")
    server.add_user("manager", "manager")
    server.add_user("manager2", "manager", team=OTHER_TEAM, station="station-2")
    server.add_user("boss", "bureau")
    vid = new_id()
    push_from(server, "zhangsan", "laptop-a", [change("visits", vid, visit_fields(zhang))])
    [a] = push_from(
        server, "zhangsan", "laptop-a", [change("visits", vid, visit_fields(zhang, content=A_TEXT), 1)]
    )
    assert a["status"] == "accepted" and a["rev"] == 2
    batch = str(uuid.uuid4())
    [b] = push_from(
        server, "zhangsan", "laptop-b", [change("visits", vid, visit_fields(zhang, content=B_TEXT), 1)], batch
    )
    assert b["status"] == "conflict"
    return zhang, vid, batch, b


@BACKENDS
def test_a_conflict_opens_a_notice_seen_by_the_records_scope_only(server: Server) -> None:
    zhang, vid, batch, result = a_conflict(server)
    notice_id = result["conflict_id"]
    mine = notices(server, "zhangsan")
    assert list(mine) == [notice_id]
    notice = mine[notice_id]
    assert (notice["table"], notice["record_id"], notice["status"]) == ("visits", vid, "open")
    assert [(c["field"], c["local"], c["server"]) for c in notice["conflicts"]] == [
        ("content", B_TEXT, A_TEXT)
    ]
    assert (notice["raised_device"], notice["writer_device"], notice["server_rev"]) == (
        "laptop-b",
        "laptop-a",
        2,
    )
    assert notice["owner_id"] == zhang and notice["writer"] == notice["raised_by"] == "zhangsan"
    # Scoped like the visit: its team's manager and the bureau, not another commissioner or team.
    assert notice_id in notices(server, "manager") and notice_id in notices(server, "boss")
    for outsider in ("lisi", "wangwu", "manager2"):
        assert notices(server, outsider) == {}, outsider
    # Nothing was overwritten on the server.
    visit = server.request("GET", f"/records/visits/{vid}/history", "zhangsan").json()
    assert [v["fields"]["content"] for v in visit] == ["指导柑橘园春季修剪和病虫害防治", A_TEXT]
    # Each version names its writer as people know them, beside the account name.
    assert [(v["username"], v["display_name"]) for v in visit] == [("zhangsan", "Zhangsan")] * 2
    # A replay of the batch is answered as before and opens no second notice.
    [again] = push_from(
        server, "zhangsan", "laptop-b", [change("visits", vid, visit_fields(zhang, content=B_TEXT), 1)], batch
    )
    assert again == result and len(notices(server, "zhangsan")) == 1


@BACKENDS
def test_the_resolving_push_closes_the_notice_with_the_value_kept(server: Server) -> None:
    zhang, vid, _batch, result = a_conflict(server)
    notice_id = result["conflict_id"]
    _, cursor = server.pull_all("zhangsan")
    # Someone else cannot close it, not even by naming it on a record of their own.
    push_from(
        server,
        "lisi",
        "dev-lisi",
        [{**change("visits", new_id(), visit_fields("c-lisi")), "resolves": [notice_id]}],
    )
    # Nor does zhang's change of another record.
    push_from(
        server,
        "zhangsan",
        "laptop-a",
        [{**change("visits", new_id(), visit_fields(zhang)), "resolves": [notice_id]}],
    )
    assert notices(server, "zhangsan")[notice_id]["status"] == "open"
    # Laptop B keeps its own text: an edit based on the server's revision, naming the notice.
    [b] = push_from(
        server,
        "zhangsan",
        "laptop-b",
        [{**change("visits", vid, visit_fields(zhang, content=B_TEXT), 2), "resolves": [notice_id]}],
    )
    assert b["status"] == "accepted" and b["rev"] == 3
    closed = notices(server, "zhangsan", cursor)[notice_id]
    assert closed["status"] == "resolved" and closed["chosen"] == {"content": B_TEXT}
    assert (closed["resolved_device"], closed["resolved_rev"]) == ("laptop-b", 3)


@BACKENDS
def test_a_change_that_meets_a_conflict_again_supersedes_the_notice_it_names(server: Server) -> None:
    zhang, vid, _batch, result = a_conflict(server)
    old = result["conflict_id"]
    push_from(
        server,
        "zhangsan",
        "laptop-a",
        [change("visits", vid, visit_fields(zhang, content="甲电脑：再次改写内容"), 2)],
    )
    [b] = push_from(
        server,
        "zhangsan",
        "laptop-b",
        [{**change("visits", vid, visit_fields(zhang, content=B_TEXT), 2), "resolves": [old]}],
    )
    assert b["status"] == "conflict" and b["conflict_id"] != old
    found = notices(server, "zhangsan")
    assert found[old]["status"] == "superseded" and found[old]["superseded_by"] == b["conflict_id"]
    assert found[b["conflict_id"]]["status"] == "open"


@BACKENDS
def test_a_client_that_sends_no_resolves_still_pushes_as_before(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    [r] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(zhang))])
    assert r["status"] == "accepted" and "conflict_id" not in r
