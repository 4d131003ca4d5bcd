"""A sync's pull is not sent back the versions its own push was just answered with (protocol: pull's
`skip`), and still gets everything else: nothing lost, nothing twice, the cursor where it belongs."""

from __future__ import annotations

import random
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.domain import Visit
from sync import protocol
from sync.puller import echo_ranges
from tests.sync.fieldwork import (
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    local_records,
)
from tests.sync.harness import Server
from tests.sync.server_support import (
    BACKENDS,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def _pull(server: Server, user: str, since: int, limit: int, skip: str) -> dict[str, Any]:
    answer = server.request("GET", f"/sync/pull?since={since}&limit={limit}&skip={skip}", user)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@BACKENDS
@pytest.mark.parametrize("limit", [1, 3, 500])
def test_the_skipped_ranges_are_left_out_and_everything_else_comes_in_order(
    server: Server, limit: int
) -> None:
    me = server.add_user("wang", "commissioner")
    server.add_user("li", "commissioner")
    mine: list[int] = []
    others: list[str] = []
    for _ in range(3):
        mine += [
            r["server_seq"]
            for r in server.push_ok("wang", [change("visits", new_id(), visit_fields(me)) for _ in range(4)])
        ]
        # A target the teammate made is shared with the team: wang sees it.
        target = {"name": f"李氏合作社{len(others)}", "type": "enterprise"}
        others += [r["id"] for r in server.push_ok("li", [change("service_targets", new_id(), target)])]
    skip = ",".join(f"{a}-{b}" for a, b in echo_ranges(mine, 0))
    assert len(echo_ranges(mine, 0)) == 3  # each batch a run of consecutive numbers
    got: list[dict[str, Any]] = []
    since = 0
    while True:
        page = _pull(server, "wang", since, limit, skip)
        got += page["changes"]
        assert page["next_since"] >= since
        since = page["next_since"]
        if not page["has_more"]:
            break
    everything, top = server.pull_all("wang")
    assert since == top
    assert [c["server_seq"] for c in got] == [
        c["server_seq"] for c in everything if c["server_seq"] not in mine
    ]
    assert [c["id"] for c in got if c["table"] == "service_targets"] == others  # the teammate's, all
    assert not [c for c in got if c["table"] == "visits"]  # the skipped ones are all his visits
    counted = server.request("GET", f"/sync/pull?since=0&limit=1&count=true&skip={skip}", "wang").json()
    assert counted["remaining"] == len(got)


@BACKENDS
def test_a_bad_skip_is_refused_clearly(server: Server) -> None:
    server.add_user("wang", "commissioner")
    too_many = ",".join(f"{i}-{i}" for i in range(protocol.MAX_PULL_SKIP + 1))
    past = f"1-{2**62 + 1}"
    assert "2**62" in server.request("GET", f"/sync/pull?since=0&skip={past}", "wang").json()["message_en"]
    for skip in ("1-", "5-3", "a-b", "1-2,,3-4", "-1-2", "1-2;", too_many, past):
        answer = server.request("GET", f"/sync/pull?since=0&skip={skip}", "wang")
        assert answer.status_code == 422, skip
        assert answer.json()["message_zh"] and answer.json()["message_en"], skip
        # Each message in its own language: the Chinese one carried the English reason.
        words = re.findall(r"[A-Za-z]{2,}", answer.json()["message_zh"].replace(skip[:40], ""))
        assert words == ["skip"], (skip, answer.json()["message_zh"])


def test_echo_ranges_are_runs_above_the_cursor_and_at_most_the_protocols_number() -> None:
    assert echo_ranges([7, 3, 4, 5, 9, 10, 1], 1) == [(3, 5), (7, 7), (9, 10)]
    assert echo_ranges([], 0) == []
    many = [n * 3 for n in range(200)] + list(range(1000, 1100))
    runs = echo_ranges(many, 0)
    assert len(runs) == protocol.MAX_PULL_SKIP and (1000, 1099) in runs
    assert runs == sorted(runs)


def test_a_first_sync_gets_only_what_it_lacks(shared_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"wang{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    a = commissioner_store(tmp_path / "a", cid)
    b = commissioner_store(tmp_path / "b", cid)
    rng = random.Random(3)
    target = add_target(a, rng)
    visits = [add_visit(a, rng, target, f"第{i}次", children=False) for i in range(30)]
    ea, eb = connect(a, shared_server.url, name, batch_size=7), connect(b, shared_server.url, name)
    received: list[int] = []
    fetch = ea.client.pull

    def counting(*args: Any, **kwargs: Any) -> protocol.PullAnswer:
        answer = fetch(*args, **kwargs)
        received.extend(c["server_seq"] for c in answer["changes"])
        return answer

    ea.client.pull = counting  # type: ignore[method-assign]
    report = ea.sync()
    assert report.accepted >= 31 and report.pulled == 0
    own = {int(v[0]) for v in a.db.execute("SELECT server_seq FROM visits").fetchall()}
    assert not own & set(received)  # none of its 30 visits came back
    # The other laptop gets them all; its edit reaches the first, whose next sync pulls just that.
    eb.sync()
    assert differences(local_records(b), local_records(a)) == []
    edited = b.get(Visit, visits[4].id)
    assert edited is not None
    b.save(Visit(**{**edited.__dict__, "content": "另一台电脑改过"}))
    eb.sync()
    received.clear()
    ea.sync()
    again = a.get(Visit, visits[4].id)
    assert again is not None and again.content == "另一台电脑改过"
    seq = a.db.execute("SELECT server_seq FROM visits WHERE id = ?", [visits[4].id]).fetchone()[0]
    assert int(seq) in received
    assert differences(local_records(a), local_records(b)) == []
    assert a.get_meta("pull_since") == b.get_meta("pull_since")  # both at the server's last change


def test_the_kept_echo_merges_batches_and_loses_what_the_cursor_passed(tmp_path: Path) -> None:
    from commissioner_app.store import Store
    from sync.puller import keep_echo, kept_echo, pull_skip

    store = Store.open(tmp_path / "laptop")
    keep_echo(store, [12, 10, 11])
    keep_echo(store, [13, 14, 20])
    assert kept_echo(store) == [(10, 14), (20, 20)]
    assert pull_skip(kept_echo(store), 11) == [(12, 14), (20, 20)]
    assert pull_skip(kept_echo(store), 20) == []
    store.set_meta("push_echo", "not json")
    assert kept_echo(store) == []  # unreadable: nothing is left out, everything is pulled
    store.close()
