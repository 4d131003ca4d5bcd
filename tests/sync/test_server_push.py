"""Push semantics: idempotent batches, field-wise merges, conflicts, scopes and the review flow."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, text

from sync.server.tables import push_batches, records, revisions
from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    Server,
    achievement_fields,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def count(server: Server, table: object) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@BACKENDS
def test_a_replayed_batch_gets_the_first_answer_and_changes_nothing(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    batch = new_id()
    changes = [
        change("visits", new_id(), visit_fields(cid)),
        change("problems", new_id(), {"commissioner_id": cid, "title": "柑橘黄龙病", "status": "open"}),
    ]
    first = server.push("zhangsan", changes, batch).json()
    stored = (count(server, records), count(server, revisions))
    # The same batch again, even with other content (a retry after a lost answer): same answer.
    changes[0]["fields"]["content"] = "something else entirely"
    second = server.push("zhangsan", changes, batch).json()
    assert second == first
    assert (count(server, records), count(server, revisions)) == stored == (2, 2)
    assert count(server, push_batches) == 1


@BACKENDS
def test_two_devices_changing_different_fields_merge(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    [first] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    # Device A changes the content from rev 1; device B, also from rev 1, changes people trained.
    [a] = server.push_ok(
        "zhangsan",
        [change("visits", vid, visit_fields(cid, content="修剪后补充施肥指导"), base_rev=first["rev"])],
    )
    assert a["status"] == "accepted" and a["rev"] == 2
    [b] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, people_trained=40), base_rev=first["rev"])]
    )
    assert b["status"] == "merged" and b["rev"] == 3
    assert b["fields"]["content"] == "修剪后补充施肥指导" and b["fields"]["people_trained"] == 40
    pulled, _ = server.pull_all("zhangsan")
    [visit] = [c for c in pulled if c["id"] == vid]
    assert visit["fields"]["content"] == "修剪后补充施肥指导" and visit["fields"]["people_trained"] == 40


@BACKENDS
def test_the_same_field_changed_on_both_sides_is_a_conflict_and_nothing_is_overwritten(
    server: Server,
) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid, content="甲设备的内容"), base_rev=1)])
    [c] = server.push_ok(
        "zhangsan",
        [change("visits", vid, visit_fields(cid, content="乙设备的内容", people_trained=7), base_rev=1)],
    )
    assert c["status"] == "conflict" and c["rev"] == 2
    assert c["conflicts"] == [
        {
            "field": "content",
            "base": "指导柑橘园春季修剪和病虫害防治",
            "local": "乙设备的内容",
            "server": "甲设备的内容",
        }
    ]
    assert c["fields"]["content"] == "甲设备的内容"
    with server.engine.connect() as conn:
        row = conn.execute(select(records.c.rev, records.c.fields).where(records.c.id == vid)).one()
    assert row.rev == 2 and "乙设备的内容" not in row.fields and '"people_trained":25' in row.fields


@BACKENDS
def test_delete_against_a_changed_record_is_a_conflict(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, content="后来补充的内容"), base_rev=1)]
    )
    [c] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid), base_rev=1, deleted=True)])
    assert c["status"] == "conflict" and c["conflicts"][0]["field"] == "deleted"
    [d] = server.push_ok(
        "zhangsan",
        [change("visits", vid, visit_fields(cid, content="后来补充的内容"), base_rev=2, deleted=True)],
    )
    assert d["status"] == "accepted"
    pulled, _ = server.pull_all("zhangsan")
    [tomb] = [p for p in pulled if p["id"] == vid]
    assert tomb["deleted"] is True and tomb["rev"] == 3


@BACKENDS
def test_a_record_brought_back_over_a_later_version_of_its_deletion_is_live(server: Server) -> None:
    """A cold try: a laptop brought a deleted visit back (a conflict resolved for the live version)
    while the deletion had been written again meanwhile; its push, based on the deletion, was merged
    into the deletion without a word, and the laptop showed the visit live for good."""
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    [gone] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid), base_rev=1, deleted=True)])
    again = visit_fields(cid, people_trained=12)
    [later] = server.push_ok("zhangsan", [change("visits", vid, again, base_rev=gone["rev"], deleted=True)])
    assert later["rev"] == gone["rev"] + 1
    [back] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, content="保留的版本"), base_rev=gone["rev"])]
    )
    assert back["status"] in ("accepted", "merged")
    pulled, _ = server.pull_all("zhangsan")
    [visit] = [p for p in pulled if p["id"] == vid]
    assert visit["deleted"] is False and visit["fields"]["content"] == "保留的版本"


@BACKENDS
def test_a_commissioner_cannot_touch_another_commissioners_record(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(zhang))])
    missing = server.push_ok("lisi", [change("visits", new_id(), visit_fields(zhang))])[0]
    existing = server.push_ok("lisi", [change("visits", vid, visit_fields(li, content="篡改"), base_rev=1)])[
        0
    ]
    assert missing["status"] == existing["status"] == "rejected"
    # The same answer whether the record exists or not.
    assert (missing["reason_zh"], missing["reason_en"]) == (existing["reason_zh"], existing["reason_en"])
    history = server.request("GET", f"/records/visits/{vid}/history", "lisi")
    nothing = server.request("GET", f"/records/visits/{new_id()}/history", "lisi")
    assert history.status_code == nothing.status_code == 404 and history.json() == nothing.json()
    assert len(server.request("GET", f"/records/visits/{vid}/history", "zhangsan").json()) == 1


@BACKENDS
def test_invalid_fields_reject_the_change_and_store_nothing(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    bad = [
        visit_fields(cid, people_trained="many"),
        visit_fields(cid, visit_date="2024-13-45"),
        visit_fields(cid, service_types="not json"),
        visit_fields(cid, confirm_sheet_sha256="../../etc/passwd"),
        {**visit_fields(cid), "password_hash": "x"},
    ]
    results = server.push_ok(
        "zhangsan",
        [change("visits", new_id(), f) for f in bad]
        + [change("visits", "../../etc/passwd", visit_fields(cid))],
    )
    assert [r["status"] for r in results] == ["rejected"] * 6
    assert "people_trained" in results[0]["reason_en"] and "visit_date" in results[1]["reason_zh"]
    assert count(server, records) == 0 and count(server, revisions) == 0


@BACKENDS
def test_true_or_false_is_not_a_count(server: Server) -> None:
    # `"people_trained": true` was stored as 1 person trained: a count takes a whole number only. A
    # flag (a visit's signed sheet accepted) still takes true or false, as JSON has them.
    cid = server.add_user("zhangsan", "commissioner")
    results = server.push_ok(
        "zhangsan",
        [
            change("visits", new_id(), visit_fields(cid, people_trained=True)),
            change("visits", new_id(), visit_fields(cid, jobs_created=False)),
            change("visits", new_id(), visit_fields(cid, confirm_satisfaction=True)),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 3, results
    assert "people_trained" in results[0]["reason_en"] and "应为整数" in results[0]["reason_zh"]
    assert "must be an integer" in results[1]["reason_en"] and "jobs_created" in results[1]["reason_zh"]
    assert count(server, records) == 0
    flagged = server.push_ok(
        "zhangsan", [change("visits", new_id(), visit_fields(cid, confirm_sheet_accepted=True))]
    )
    assert flagged[0]["status"] == "accepted", flagged


@BACKENDS
def test_a_text_too_long_is_refused_saying_so(server: Server) -> None:
    # A 9 MB note was refused as "must be text": the commissioner would look for a wrong type, not
    # for a text to shorten.
    cid = server.add_user("zhangsan", "commissioner")
    too_long = "很长的服务内容" * 30_000  # 210,000 characters
    results = server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid, content=too_long))])
    assert results[0]["status"] == "rejected"
    assert "content" in results[0]["reason_zh"] and "过长" in results[0]["reason_zh"]
    assert "服务内容" in results[0]["reason_zh"]  # the field's name as the application shows it
    assert "200,000" in results[0]["reason_zh"] and "too long" in results[0]["reason_en"]
    # A list field (service types) over the limit, as JSON text or as a list: the same reason, and a
    # list is not stored whatever its length.
    long_list = ["种植技术"] * 50_000
    for value in (json.dumps(long_list, ensure_ascii=False), long_list):
        listed = server.push_ok(
            "zhangsan", [change("visits", new_id(), visit_fields(cid, service_types=value))]
        )
        assert listed[0]["status"] == "rejected", listed
        assert "service_types" in listed[0]["reason_zh"] and "过长" in listed[0]["reason_zh"]
        assert "too long" in listed[0]["reason_en"]
    wrong_type = server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid, content=5))])
    assert "应为文本" in wrong_type[0]["reason_zh"] and "must be text" in wrong_type[0]["reason_en"]
    assert count(server, records) == 0


@BACKENDS
def test_malformed_and_wrongly_typed_requests_get_a_clear_4xx(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    broken = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        content=b'{"batch_id": "x", "changes": [',
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and broken.json()["error"] == "malformed_json"
    typed = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        json={"batch_id": 5, "changes": [{"table": "visits", "id": "x", "base_rev": "1"}]},
    )
    assert typed.status_code == 422 and typed.json()["error"] == "invalid_request"
    assert "batch_id" in typed.json()["message_en"]
    # The Chinese message is Chinese: what is wrong with each field, not the checker's English.
    assert "batch_id" in typed.json()["message_zh"] and "应为文本" in typed.json()["message_zh"]
    assert "Input should" not in typed.json()["message_zh"]
    too_many = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        json={"batch_id": "x", "changes": [change("visits", str(i), {}) for i in range(501)]},
    )
    assert too_many.status_code == 422
    huge = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        content=b"{" + b" " * (33 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    assert count(server, push_batches) == 0


@BACKENDS
def test_gzip_request_bodies_are_accepted_and_bombs_refused(server: Server) -> None:
    import gzip
    import json

    cid = server.add_user("zhangsan", "commissioner")
    body = {
        "batch_id": new_id(),
        "device_id": "d",
        "client_time": "",
        "changes": [change("visits", new_id(), visit_fields(cid))],
    }
    packed = gzip.compress(json.dumps(body).encode())
    answer = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        content=packed,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted"
    bomb = gzip.compress(b" " * (40 * 1024 * 1024))
    answer = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        content=bomb,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert answer.status_code == 413
    corrupt = server.request(
        "POST",
        "/sync/push",
        "zhangsan",
        content=packed[:-8],
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert corrupt.status_code == 400 and corrupt.json()["error"] == "bad_gzip"


@BACKENDS
def test_server_owned_review_fields_are_ignored_on_push(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    [r] = server.push_ok(
        "zhangsan",
        [
            change(
                "visits", new_id(), visit_fields(cid, review_status="approved", review_opinion="我自己批准")
            )
        ],
    )
    assert r["status"] == "accepted"
    assert r["fields"]["review_status"] == "pending" and r["fields"]["review_opinion"] == ""


@BACKENDS
def test_a_review_state_claimed_for_a_stored_visit_is_answered_with_the_servers(server: Server) -> None:
    """A laptop (tampered, or its database edited by hand) claiming a visit of its own approved:
    the server keeps its own state, and says so in the answer, so that the laptop's copy becomes the
    server's instead of showing an approval nobody gave. An answer of a plain "accepted" left it
    believing the approval until the visit next came by pull."""
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    [first] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    claim = {"review_status": "approved", "review_opinion": "同意", "confirm_sheet_accepted": 1}
    # With nothing else changed, and with an edit.
    [same] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, **claim), base_rev=first["rev"])]
    )
    assert same["status"] == "accepted" and same["rev"] == first["rev"]
    assert same["fields"] == {"review_status": "pending", "review_opinion": "", "confirm_sheet_accepted": 0}
    edited = visit_fields(cid, content="补充：剪除病枝后喷施药剂", **claim)
    [again] = server.push_ok("zhangsan", [change("visits", vid, edited, base_rev=first["rev"])])
    assert again["status"] == "accepted" and again["rev"] == first["rev"] + 1
    assert again["fields"] == {"review_status": "pending", "review_opinion": "", "confirm_sheet_accepted": 0}
    news, _cursor = server.pull_all("zhangsan")
    [stored] = [c["fields"] for c in news if c["id"] == vid]
    assert stored["review_status"] == "pending" and stored["confirm_sheet_accepted"] == 0
    # An honest laptop sends what it was told: the answer has nothing to correct.
    honest = {**edited, "review_status": "pending", "review_opinion": "", "confirm_sheet_accepted": 0}
    [plain] = server.push_ok("zhangsan", [change("visits", vid, honest, base_rev=again["rev"])])
    assert plain["status"] == "accepted" and "fields" not in plain


@BACKENDS
def test_a_review_accepts_a_signed_sheet_only_for_a_visit_that_has_one(server: Server) -> None:
    """A review saying the signed sheet was checked, for a visit without one, made the visit's
    typed-in satisfaction count as the served party's word in the assessment."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    bare, signed = new_id(), new_id()
    server.push_ok(
        "zhangsan",
        [
            change("visits", bare, visit_fields(cid)),
            change("visits", signed, visit_fields(cid, confirm_sheet_sha256="cd" * 32)),
        ],
    )
    review = {"record_table": "visits", "record_rev": 1, "decision": "approved", "sheet_accepted": True}
    server.push_ok(
        "manager",
        [
            change("reviews", new_id(), {**review, "record_id": bare}),
            change("reviews", new_id(), {**review, "record_id": signed}),
        ],
    )
    news, _cursor = server.pull_all("zhangsan")
    visits = {c["id"]: c["fields"] for c in news if c["table"] == "visits"}
    assert visits[bare]["review_status"] == "approved" and visits[bare]["confirm_sheet_accepted"] == 0
    assert visits[signed]["confirm_sheet_accepted"] == 1


def sheet_approval(visit: str) -> dict[str, object]:
    """A reviewer's approval of a visit's first revision, its signed sheet accepted."""
    return {
        "record_table": "visits",
        "record_id": visit,
        "record_rev": 1,
        "decision": "approved",
        "sheet_accepted": True,
    }


def test_an_accepted_sheet_swapped_afterwards_is_accepted_no_more(server: Server) -> None:
    """An attacker's try: after a reviewer accepted the signed sheet, the commissioner pushed another
    sheet and a higher rating; the visit went back to review, yet the acceptance stayed, so the new
    rating counted as the served party's word where the rules count every visit."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit = new_id()
    server.push_ok(
        "zhangsan",
        [change("visits", visit, visit_fields(cid, confirm_sheet_sha256="cd" * 32, confirm_satisfaction=3))],
    )
    review = sheet_approval(visit)
    server.push_ok("manager", [change("reviews", new_id(), review)])
    accepted = {c["id"]: c for c in server.pull_all("zhangsan")[0]}[visit]
    assert accepted["fields"]["confirm_sheet_accepted"] == 1
    swapped = visit_fields(cid, confirm_sheet_sha256="ef" * 32, confirm_satisfaction=5)
    (result,) = server.push_ok("zhangsan", [change("visits", visit, swapped, accepted["rev"])])
    assert result["status"] == "accepted"
    after = {c["id"]: c for c in server.pull_all("manager")[0]}[visit]["fields"]
    assert after["review_status"] == "pending" and after["confirm_sheet_accepted"] == 0
    # The rating alone, with the same sheet, is no longer what the reviewer accepted either.
    server.push_ok("manager", [change("reviews", new_id(), {**review, "record_rev": 3})])
    accepted = {c["id"]: c for c in server.pull_all("zhangsan")[0]}[visit]
    assert accepted["fields"]["confirm_sheet_accepted"] == 1
    rated = visit_fields(cid, confirm_sheet_sha256="ef" * 32, confirm_satisfaction=1)
    server.push_ok("zhangsan", [change("visits", visit, rated, accepted["rev"])])
    assert {c["id"]: c for c in server.pull_all("manager")[0]}[visit]["fields"]["confirm_sheet_accepted"] == 0


def test_a_photo_added_or_removed_after_approval_sends_the_visit_back_to_review(server: Server) -> None:
    """An attacker's try: evidence changed on an approved visit left it approved (its problems and
    solutions already sent it back)."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit, photo = new_id(), new_id()
    server.push_ok("zhangsan", [change("visits", visit, visit_fields(cid))])

    def approve(rev: int) -> None:
        review = {"record_table": "visits", "record_id": visit, "record_rev": rev, "decision": "approved"}
        server.push_ok("manager", [change("reviews", new_id(), review)])

    def state() -> tuple[str, int]:
        found = {c["id"]: c for c in server.pull_all("manager")[0]}[visit]
        return found["fields"]["review_status"], found["rev"]

    approve(1)
    assert state()[0] == "approved"
    fields = {"owner_table": "visits", "owner_id": visit, "sha256": "ab" * 32, "original_name": "田间.jpg"}
    server.push_ok("zhangsan", [change("attachments", photo, fields)])
    status, rev = state()
    assert status == "pending"
    approve(rev)
    assert state()[0] == "approved"
    server.push_ok("zhangsan", [change("attachments", photo, fields, 1, deleted=True)])
    assert state()[0] == "pending"


@BACKENDS
def test_evidence_changed_after_the_reviewer_read_it_is_not_approved_unseen(server: Server) -> None:
    """An attacker's try: the commissioner swapped a visit's photo (or added a problem to it) after the
    manager had pulled it and before the manager's approval reached the server. The visit itself had
    not changed, so the approval was taken: the visit stood approved on evidence nobody reviewed."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit, other, photo, problem = new_id(), new_id(), new_id(), new_id()
    photo_fields = {
        "owner_table": "visits",
        "owner_id": visit,
        "sha256": "ab" * 32,
        "original_name": "田间.jpg",
    }
    server.push_ok(
        "zhangsan",
        [
            change("visits", visit, visit_fields(cid)),
            change("visits", other, visit_fields(cid)),
            change("attachments", photo, photo_fields),
        ],
    )
    _, seen = server.pull_all("manager")  # everything the manager's laptop has read, up to `seen`

    def review(record_id: str, seen: int, decision: str = "approved", rev: int = 1) -> dict[str, object]:
        fields = {"record_id": record_id, "record_rev": rev, "decision": decision, "evidence_seq": seen}
        return change("reviews", new_id(), {**fields, "opinion": "请核实" if decision == "returned" else ""})

    def pulled(record_id: str, since: int = 0) -> dict[str, Any]:
        return {c["id"]: c for c in server.pull_all("manager", since)[0]}[record_id]

    # Meanwhile the commissioner swaps the photo.
    server.push_ok("zhangsan", [change("attachments", photo, {**photo_fields, "sha256": "cd" * 32}, 1)])
    [refused] = server.push_ok("manager", [review(visit, seen)])
    assert refused["status"] == "rejected"
    assert "佐证材料" in refused["reason_zh"] and "evidence" in refused["reason_en"]
    # The visit comes back to the manager's laptop as it stands: waiting for review.
    back = pulled(visit, seen)
    assert back["fields"]["review_status"] == "pending" and back["rev"] == 2
    # Another visit of the same commissioner, whose evidence did not change, is approved.
    assert server.push_ok("manager", [review(other, seen)])[0]["status"] == "accepted"
    assert pulled(other)["fields"]["review_status"] == "approved"
    # Once the manager has pulled what changed, the approval goes through.
    _, seen = server.pull_all("manager")
    assert server.push_ok("manager", [review(visit, seen, rev=2)])[0]["status"] == "accepted"
    assert pulled(visit)["fields"]["review_status"] == "approved"

    # A problem added to a visit after the read: the same.
    later = new_id()
    server.push_ok("zhangsan", [change("visits", later, visit_fields(cid))])
    _, seen = server.pull_all("manager")
    problem_fields = {"visit_id": later, "commissioner_id": cid, "title": "黄龙病", "description": "叶片黄化"}
    server.push_ok("zhangsan", [change("problems", problem, problem_fields)])
    [refused] = server.push_ok("manager", [review(later, seen)])
    assert refused["status"] == "rejected" and pulled(later)["fields"]["review_status"] == "pending"
    # Returning a visit is not held up by it (the commissioner sees the opinion and answers it), and a
    # review that does not say what its reviewer had read (an older application) is judged as before.
    assert server.push_ok("manager", [review(later, seen, "returned", rev=2)])[0]["status"] == "accepted"
    [old] = server.push_ok(
        "manager",
        [change("reviews", new_id(), {"record_id": later, "record_rev": 3, "decision": "approved"})],
    )
    assert old["status"] == "accepted"


@BACKENDS
def test_evidence_moved_away_after_the_reviewer_read_it_is_not_approved_unseen(server: Server) -> None:
    """A cold try: after the manager read visit A, the commissioner pointed A's photo, then its
    problem, at visit B. A was approved with nothing left of what the manager saw (the check
    looked only at where the records point now)."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    a, b, photo, problem = new_id(), new_id(), new_id(), new_id()
    photo_fields = {"owner_table": "visits", "owner_id": a, "sha256": "ab" * 32, "original_name": "田间.jpg"}
    problem_fields = {"visit_id": a, "commissioner_id": cid, "title": "黄龙病", "description": "叶片黄化"}
    server.push_ok(
        "zhangsan",
        [
            change("visits", a, visit_fields(cid)),
            change("visits", b, visit_fields(cid)),
            change("attachments", photo, photo_fields),
            change("problems", problem, problem_fields),
        ],
    )
    _, seen = server.pull_all("manager")

    def approve(record_id: str, rev: int = 1) -> dict[str, Any]:
        fields = {"record_id": record_id, "record_rev": rev, "decision": "approved", "evidence_seq": seen}
        [result] = server.push_ok("manager", [change("reviews", new_id(), fields)])
        return result

    server.push_ok("zhangsan", [change("attachments", photo, {**photo_fields, "owner_id": b}, 1)])
    assert approve(a)["status"] == "rejected"
    _, seen = server.pull_all("manager")
    server.push_ok("zhangsan", [change("problems", problem, {**problem_fields, "visit_id": b}, 1)])
    assert approve(a, rev=2)["status"] == "rejected"


@BACKENDS
def test_a_refused_approval_sends_the_record_back_once_and_says_what_an_achievement_has(
    server: Server,
) -> None:
    """A cold try: a reviewer's laptop saying it had read nothing new (change number 1) had every
    refusal write the visit again: any number of new versions of a member's record, each making the
    other reviewers' approvals stale. And an achievement's refusal spoke of a visit's evidence."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit, photo = new_id(), new_id()
    photo_fields = {
        "owner_table": "visits",
        "owner_id": visit,
        "sha256": "ab" * 32,
        "original_name": "田间.jpg",
    }
    server.push_ok("zhangsan", [change("visits", visit, visit_fields(cid))])
    _, seen = server.pull_all("manager")
    server.push_ok("zhangsan", [change("attachments", photo, photo_fields)])

    def approve(read_up_to: int, rev: int) -> str:
        fields = {"record_id": visit, "record_rev": rev, "decision": "approved", "evidence_seq": read_up_to}
        [result] = server.push_ok("manager", [change("reviews", new_id(), fields)])
        return str(result["status"])

    def rev() -> int:
        return int({c["id"]: c for c in server.pull_all("manager")[0]}[visit]["rev"])

    assert approve(seen, 1) == "rejected" and rev() == 2  # sent back once: the laptop had the visit
    for _ in range(3):  # the laptop has not pulled that yet: nothing more to send it
        assert approve(seen, 2) == "rejected"
        assert approve(1, 2) == "rejected"
    assert rev() == 2

    # Nor can one batch of refused approvals write it again and again (500 of them wrote 500
    # versions), whatever numbers they say.
    _, seen = server.pull_all("manager")
    server.push_ok("zhangsan", [change("attachments", new_id(), {**photo_fields, "sha256": "ef" * 32})])
    many = [{"record_id": visit, "decision": "approved", "evidence_seq": seen} for _ in range(5)]
    answers = server.push_ok("manager", [change("reviews", new_id(), fields) for fields in many])
    assert {a["status"] for a in answers} == {"rejected"} and rev() == 3
    achievement, scan = new_id(), new_id()
    server.push_ok("zhangsan", [change("achievements", achievement, achievement_fields(cid))])
    _, seen = server.pull_all("manager")
    scan_fields = {"owner_table": "achievements", "owner_id": achievement, "sha256": "cd" * 32}
    server.push_ok("zhangsan", [change("attachments", scan, {**scan_fields, "original_name": "合同.pdf"})])
    review = {"record_table": "achievements", "record_id": achievement, "record_rev": 1}
    review |= {"decision": "approved", "evidence_seq": seen}
    [refused] = server.push_ok("manager", [change("reviews", new_id(), review)])
    assert refused["status"] == "rejected"
    assert "附件" in refused["reason_zh"] and "难题" not in refused["reason_zh"]
    assert "files" in refused["reason_en"] and "problems" not in refused["reason_en"]


@BACKENDS
def test_an_approval_sent_again_after_new_evidence_does_not_approve_past_the_check(server: Server) -> None:
    """A cold try: the manager's accepted approval, sent again with another opinion after new
    evidence had sent the visit back to review, approved it again unseen (the check ran only when a
    decision changed)."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit, review_id = new_id(), new_id()
    server.push_ok("zhangsan", [change("visits", visit, visit_fields(cid))])
    _, seen = server.pull_all("manager")
    approval = {"record_id": visit, "record_rev": 1, "decision": "approved", "evidence_seq": seen}
    assert server.push_ok("manager", [change("reviews", review_id, approval)])[0]["status"] == "accepted"
    photo = {"owner_table": "visits", "owner_id": visit, "sha256": "ab" * 32, "original_name": "田间.jpg"}
    server.push_ok("zhangsan", [change("attachments", new_id(), photo)])
    visits = {c["id"]: c for c in server.pull_all("manager")[0]}
    assert visits[visit]["fields"]["review_status"] == "pending"
    again = {**approval, "record_rev": visits[visit]["rev"], "opinion": "已核实"}
    [refused] = server.push_ok("manager", [change("reviews", review_id, again, 1)])
    assert refused["status"] == "rejected"
    assert {c["id"]: c for c in server.pull_all("manager")[0]}[visit]["fields"]["review_status"] == "pending"


@BACKENDS
def test_review_flow_manager_approves_commissioner_pulls_and_edits_go_back_to_pending(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    _, cursor = server.pull_all("zhangsan")
    review_id = new_id()
    [rv] = server.push_ok(
        "manager",
        [
            change(
                "reviews",
                review_id,
                {
                    "record_table": "visits",
                    "record_id": vid,
                    "record_rev": 1,
                    "decision": "approved",
                    "opinion": "记录完整",
                    "reviewer_id": "someone else",
                    "reviewed_at": "2024-05-02T09:00:00+08:00",
                },
            )
        ],
    )
    assert rv["status"] == "accepted" and rv["fields"]["reviewer_id"] == "c-manager"

    news, cursor = server.pull_all("zhangsan", since=cursor)
    by_table = {c["table"]: c for c in news}
    assert by_table["visits"]["fields"]["review_status"] == "approved"
    assert by_table["visits"]["fields"]["review_opinion"] == "记录完整" and by_table["visits"]["rev"] == 2
    assert by_table["reviews"]["id"] == review_id

    # The commissioner edits the approved visit: it goes back to the reviewer.
    [edit] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, people_trained=30), base_rev=2)]
    )
    assert edit["status"] == "accepted" and edit["fields"]["review_status"] == "pending"
    # An unchanged re-push does not.
    history = server.request("GET", f"/records/visits/{vid}/history", "manager").json()
    assert [h["fields"]["review_status"] for h in history] == ["pending", "approved", "pending"]
    assert [h["username"] for h in history] == ["zhangsan", "manager", "zhangsan"]


@BACKENDS
def test_a_review_needs_an_opinion_to_return_and_a_current_record(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    results = server.push_ok(
        "manager",
        [
            change("reviews", new_id(), {"record_id": vid, "decision": "returned", "opinion": ""}),
            change("reviews", new_id(), {"record_id": vid, "decision": "approved", "record_rev": 5}),
            change("reviews", new_id(), {"record_id": vid, "decision": "maybe"}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    pulled, _ = server.pull_all("zhangsan")
    assert [c["fields"]["review_status"] for c in pulled if c["table"] == "visits"] == ["pending"]


@BACKENDS
def test_a_manager_reviews_only_their_own_team_and_not_their_own_visits(server: Server) -> None:
    stranger = server.add_user("wangwu", "commissioner", team=OTHER_TEAM, station=None)
    mgr = server.add_user("manager", "manager")
    foreign, own = new_id(), new_id()
    server.push_ok("wangwu", [change("visits", foreign, visit_fields(stranger))])
    server.push_ok("manager", [change("visits", own, visit_fields(mgr))])
    results = server.push_ok(
        "manager",
        [
            change("reviews", new_id(), {"record_id": foreign, "decision": "approved"}),
            change("reviews", new_id(), {"record_id": new_id(), "decision": "approved"}),
            change("reviews", new_id(), {"record_id": own, "decision": "approved"}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert results[0]["reason_en"] == results[1]["reason_en"]  # foreign looks like missing
    pulled, _ = server.pull_all("manager")
    assert foreign not in {c["id"] for c in pulled}


@BACKENDS
def test_a_demand_the_bureau_deleted_cannot_be_taken_up_back_to_life(server: Server) -> None:
    """A take-up sent on the deleted version was accepted and the demand came back (and, taken up,
    the bureau could not delete it again); a take-up naming no problem was accepted too."""
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("boss", "bureau")
    demand = new_id()
    published = {
        "title": "鱼塘增氧",
        "description": "高温缺氧",
        "status": "published",
        "published_by": "boss",
    }
    server.push_ok("boss", [change("demands", demand, published)])
    taken = {**published, "status": "taken", "taken_by": zhang}
    [bare] = server.push_ok(
        "zhangsan", [change("demands", demand, {**taken, "problem_id": None}, base_rev=1)]
    )
    assert bare["status"] == "rejected"
    [gone] = server.push_ok("boss", [change("demands", demand, published, base_rev=1, deleted=True)])
    assert (gone["status"], gone["rev"]) == ("accepted", 2)
    [undead] = server.push_ok(
        "zhangsan", [change("demands", demand, {**taken, "problem_id": new_id()}, base_rev=2)]
    )
    assert undead["status"] == "rejected" and undead["deleted"] is True and undead["rev"] == 2
    pulled, _ = server.pull_all("zhangsan")
    [kept] = [c for c in pulled if c["id"] == demand]
    assert kept["deleted"] is True and kept["rev"] == 2


def published_demand(server: Server, **extra: object) -> tuple[str, dict[str, object]]:
    with server.engine.connect() as conn:
        from sqlalchemy import text

        if conn.execute(text("SELECT count(*) FROM users WHERE username = 'boss'")).scalar_one() == 0:
            server.add_user("boss", "bureau")
    demand = new_id()
    published = {
        "title": "陈皮仓储霉变",
        "description": "需要低成本防霉方案",
        "status": "published",
        "published_by": "boss",
        "taken_by": None,
        "problem_id": None,
        **extra,
    }
    server.push_ok("boss", [change("demands", demand, published)])
    return demand, published


def take_up_changes(cid: str, demand: str, published: dict[str, object], problem: str) -> list[dict]:
    fields = {
        "commissioner_id": cid,
        "title": published["title"],
        "status": "in_progress",
        "source": "bureau_demand",
        "demand_id": demand,
    }
    return [
        change("problems", problem, fields),
        change(
            "demands", demand, {**published, "status": "taken", "taken_by": cid, "problem_id": problem}, 1
        ),
    ]


def test_a_manager_takes_up_a_demand_and_writes_an_annual_summary(server: Server) -> None:
    """A manager is a commissioner too: the application offered them 揭榜 and the annual summary,
    and the server refused both (the manager's laptop kept a take-up refused for good)."""
    cid = server.add_user("zhao", "manager")
    demand, published = published_demand(server)
    results = server.push_ok("zhao", take_up_changes(cid, demand, published, new_id()))
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    summary = {"commissioner_id": cid, "year": 2026, "text": "本年度服务情况"}
    (written,) = server.push_ok("zhao", [change("annual_summaries", new_id(), summary)])
    assert written["status"] == "accepted", written


def test_a_take_up_names_a_problem_made_for_that_demand(server: Server) -> None:
    """An attacker's try: a take-up could name any problem of the taker's, made for something else."""
    cid = server.add_user("zhangsan", "commissioner")
    demand, published = published_demand(server)
    other = new_id()
    server.push_ok(
        "zhangsan",
        [change("problems", other, {"commissioner_id": cid, "title": "别的难题", "status": "open"})],
    )
    taken = {**published, "status": "taken", "taken_by": cid, "problem_id": other}
    (refused,) = server.push_ok("zhangsan", [change("demands", demand, taken, 1)])
    assert refused["status"] == "rejected"
    results = server.push_ok("zhangsan", take_up_changes(cid, demand, published, new_id()))
    assert [r["status"] for r in results] == ["accepted", "accepted"]


def test_a_demand_long_past_its_deadline_cannot_be_taken_up(server: Server) -> None:
    """An attacker's try: only the application hid a demand past its deadline; the server took it up.
    A take-up made offline before the deadline still counts when it arrives within two weeks."""
    from datetime import date, timedelta

    cid = server.add_user("zhangsan", "commissioner")
    long_ago = (date.today() - timedelta(days=40)).isoformat()
    demand, published = published_demand(server, deadline=long_ago)
    problem, taken = take_up_changes(cid, demand, published, new_id())
    (late,) = server.push_ok("zhangsan", [taken])
    assert late["status"] == "rejected" and "截止日期" in late["reason_zh"]
    assert late["fields"]["status"] == "published"  # the demand as it stands: the laptop takes it back
    days_ago = (date.today() - timedelta(days=3)).isoformat()
    demand, published = published_demand(server, deadline=days_ago)
    results = server.push_ok("zhangsan", take_up_changes(cid, demand, published, new_id()))
    assert [r["status"] for r in results] == ["accepted", "accepted"]


@BACKENDS
def test_a_commissioner_may_only_take_up_a_published_demand(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner")
    demand, published = published_demand(server)
    [edit] = server.push_ok(
        "zhangsan", [change("demands", demand, {**published, "title": "改了标题"}, base_rev=1)]
    )
    assert edit["status"] == "rejected"
    problem = new_id()
    [take] = server.push_ok(
        "zhangsan",
        [
            change(
                "demands",
                demand,
                {**published, "status": "taken", "taken_by": zhang, "problem_id": problem},
                base_rev=1,
            )
        ],
    )
    assert take["status"] == "accepted"
    [late] = server.push_ok(
        "lisi",
        [
            change(
                "demands",
                demand,
                {**published, "status": "taken", "taken_by": li, "problem_id": new_id()},
                base_rev=2,
            )
        ],
    )
    assert late["status"] == "rejected" and "another commissioner" in late["reason_en"]
    [stale] = server.push_ok(
        "lisi",
        [
            change(
                "demands",
                demand,
                {**published, "status": "taken", "taken_by": li, "problem_id": new_id()},
                base_rev=1,
            )
        ],
    )
    # A stale take-up of a demand someone else has taken breaks the demand rules: refused, and no
    # conflict notice is shown to anyone (it used to be a conflict, noticed to every user).
    assert stale["status"] == "rejected" and "another commissioner" in stale["reason_en"]
    assert "conflict_id" not in stale
    pulled, _ = server.pull_all("lisi")
    [seen] = [c for c in pulled if c["id"] == demand]
    assert seen["fields"]["taken_by"] == zhang


@BACKENDS
def test_a_commissioner_writes_only_their_own_profile(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner")
    [own, other] = server.push_ok(
        "zhangsan",
        [
            change(
                "commissioners", zhang, {"name": "张三", "sending_unit": "五邑大学", "team_id": "other-team"}
            ),
            change("commissioners", li, {"name": "李四改", "sending_unit": "五邑大学"}),
        ],
    )
    assert own["status"] == "accepted" and own["fields"]["team_id"] == "team-1"  # the account decides
    assert other["status"] == "rejected"


@BACKENDS
def test_sequence_numbers_increase_and_unchanged_pushes_cost_nothing(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    ids = [new_id() for _ in range(5)]
    results = server.push_ok("zhangsan", [change("visits", i, visit_fields(cid)) for i in ids])
    seqs = [r["server_seq"] for r in results]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    again = server.push_ok(
        "zhangsan", [change("visits", i, visit_fields(cid, review_status="pending"), base_rev=1) for i in ids]
    )
    assert [r["server_seq"] for r in again] == seqs and count(server, revisions) == 5


@BACKENDS
def test_list_and_table_fields_with_items_of_the_wrong_kind_are_refused_not_a_crash(server: Server) -> None:
    """A cold try crashed the server (500) with a visit whose service types held a list, and an
    agreement whose agreed figures held text; and stored an agreement with NaN among its figures
    and objects among its co-commissioners. Each is refused, naming the field, and nothing stored."""
    from tests.sync.test_server_shared_targets import agreement_fields, target_fields

    cid = server.add_user("zhangsan", "commissioner")
    target = new_id()
    server.push_ok("zhangsan", [change("service_targets", target, target_fields())])
    bad = [
        ("visits", visit_fields(cid, service_types=[["x"]]), "service_types"),
        ("visits", visit_fields(cid, service_types='[{"a": 1}]'), "service_types"),
        ("visits", visit_fields(cid, service_types="[" * 5000 + "]" * 5000), "service_types"),
        ("service_agreements", agreement_fields(cid, target, agreed={"people_trained": "abc"}), "agreed"),
        ("service_agreements", agreement_fields(cid, target, agreed='{"people_trained": [1]}'), "agreed"),
        (
            "service_agreements",
            agreement_fields(cid, target, co_commissioner_ids=[1, {"a": 2}]),
            "co_commissioner",
        ),
    ]
    results = server.push_ok("zhangsan", [change(table, new_id(), fields) for table, fields, _ in bad])
    for result, (_, _, field) in zip(results, bad, strict=True):
        assert result["status"] == "rejected" and field in result["reason_en"], result
    # NaN is not JSON: such a body goes through the request model, and is refused there or here.
    body = json.dumps(
        {
            "batch_id": new_id(),
            "changes": [
                change(
                    "service_agreements",
                    new_id(),
                    agreement_fields(cid, target, agreed={"visits": float("nan")}),
                )
            ],
        }
    )
    answer = server.request(
        "POST", "/sync/push", "zhangsan", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422 or answer.json()["results"][0]["status"] == "rejected", answer.text
    assert count(server, records) == 1  # the target only


def test_a_value_with_a_line_end_after_its_format_is_refused(server: Server) -> None:
    """`$` also matches before a final line end: an id "abc\\n", a sha256 with "\\n" after its 64 digits
    and a confirmation token ending in "\\n" were taken, and a record so named could not be reached."""
    cid = server.add_user("zhangsan", "commissioner")
    visit = new_id()
    pushes = [
        change("visits", "abc\n", visit_fields(cid)),
        change("visits", visit, visit_fields(cid, confirm_token="A" * 30 + "\n")),
        change(
            "attachments",
            new_id(),
            {"owner_table": "visits", "owner_id": visit, "sha256": "a" * 64 + "\n", "original_name": "x.jpg"},
        ),
        change("visits", new_id(), visit_fields(cid, start_time="09:00\n")),
    ]
    for one in pushes:
        (result,) = server.push_ok("zhangsan", [one])
        assert result["status"] == "rejected", one
    assert count(server, records) == 0


def test_a_problem_dated_in_the_future_is_refused(server: Server) -> None:
    """An attacker's try: a problem raised or solved on 9999-12-31 was taken (a visit in the future
    never was). (One solved before it was raised is left alone: a visit entered afterwards with its
    own, earlier date marks it so.)"""
    cid = server.add_user("zhangsan", "commissioner")
    base = {"commissioner_id": cid, "title": "柑橘黄龙病", "status": "open"}
    for dates in ({"raised_on": "9999-12-31"}, {"raised_on": "2024-05-01", "solved_on": "9999-12-31"}):
        (result,) = server.push_ok("zhangsan", [change("problems", new_id(), {**base, **dates})])
        assert result["status"] == "rejected", dates
    (fine,) = server.push_ok(
        "zhangsan",
        [change("problems", new_id(), {**base, "raised_on": "2024-05-01", "solved_on": "2024-05-02"})],
    )
    assert fine["status"] == "accepted"


def test_an_attachment_of_negative_size_a_path_for_a_name_or_no_place_on_earth_is_refused(
    server: Server,
) -> None:
    """An attacker's try: size -5 and the name "../../x.exe" were taken (the application cleans a
    name before it uses it, but the store is every client's)."""
    cid = server.add_user("zhangsan", "commissioner")
    visit = new_id()
    server.push_ok("zhangsan", [change("visits", visit, visit_fields(cid))])
    base = {
        "owner_table": "visits",
        "owner_id": visit,
        "sha256": "ab" * 32,
        "original_name": "田间.jpg",
        "size": 10,
    }
    for bad in (
        {"size": -5},
        {"original_name": "../../x.exe"},
        {"original_name": "C:\\temp\\x.jpg"},
        {"gps_lat": 91.0, "gps_lon": 113.0},
        {"gps_lat": 22.5, "gps_lon": -181.0},
    ):
        (result,) = server.push_ok("zhangsan", [change("attachments", new_id(), {**base, **bad})])
        assert result["status"] == "rejected", bad
    (fine,) = server.push_ok(
        "zhangsan", [change("attachments", new_id(), {**base, "gps_lat": 22.5, "gps_lon": 113.1})]
    )
    assert fine["status"] == "accepted"


def test_a_take_up_whose_problem_never_came_does_not_lock_the_demand(server: Server) -> None:
    """An attacker's try: a take-up naming a problem that never comes was accepted, and nobody could
    change, close or reopen the demand again. The bureau may now release a taken demand whose named
    problem is not the taker's problem for it."""
    cid = server.add_user("zhangsan", "commissioner")
    demand, published = published_demand(server)
    taken = {**published, "status": "taken", "taken_by": cid, "problem_id": "never-" + new_id()[:8]}
    (locked,) = server.push_ok("zhangsan", [change("demands", demand, taken, 1)])
    assert locked["status"] == "accepted"  # (it may be on its way in a batch beside this one)
    (released,) = server.push_ok("boss", [change("demands", demand, published, 2)])
    assert released["status"] == "accepted"
    # A real take-up, its problem there, is the taker's: the bureau cannot release it.
    li = server.add_user("lisi", "commissioner")
    problem, take = take_up_changes(li, demand, published, new_id())
    take["base_rev"] = 3
    results = server.push_ok("lisi", [problem, take])
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    (refused,) = server.push_ok("boss", [change("demands", demand, published, 4)])
    assert refused["status"] == "rejected"


def test_a_problem_cites_only_a_demand_its_owner_took_up_and_keeps_it(server: Server) -> None:
    """An attacker's try: another account created the problem a take-up had named; a taker moved
    the problem to another demand afterwards, or the demand to another problem."""
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner", team="team-other", station="station-other")
    demand, published = published_demand(server)
    problem = new_id()
    taken = {**published, "status": "taken", "taken_by": zhang, "problem_id": problem}
    server.push_ok("zhangsan", [change("demands", demand, taken, 1)])
    claim = {
        "commissioner_id": li,
        "title": "抢占",
        "status": "open",
        "source": "bureau_demand",
        "demand_id": demand,
    }
    (claimed,) = server.push_ok("lisi", [change("problems", problem, claim)])
    assert claimed["status"] == "rejected"
    mine = {**claim, "commissioner_id": zhang, "title": "陈皮仓储霉变"}
    (made,) = server.push_ok("zhangsan", [change("problems", problem, mine)])
    assert made["status"] == "accepted"
    other, _ = published_demand(server)
    (moved,) = server.push_ok("zhangsan", [change("problems", problem, {**mine, "demand_id": other}, 1)])
    assert moved["status"] == "rejected"
    spare = new_id()
    server.push_ok("zhangsan", [change("problems", spare, {**mine, "demand_id": None, "source": "visit"})])
    (repointed,) = server.push_ok("zhangsan", [change("demands", demand, {**taken, "problem_id": spare}, 2)])
    assert repointed["status"] == "rejected"


def test_evidence_changed_after_approval_takes_the_sheet_acceptance_and_an_achievements_approval(
    server: Server,
) -> None:
    """A second attacker's try: a photo added to an approved visit sent it back to review but left
    its accepted sheet counting; a file added to an approved achievement left it approved."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    visit = new_id()
    server.push_ok("zhangsan", [change("visits", visit, visit_fields(cid, confirm_sheet_sha256="cd" * 32))])
    review = sheet_approval(visit)
    server.push_ok("manager", [change("reviews", new_id(), review)])
    photo = {"owner_table": "visits", "owner_id": visit, "sha256": "ab" * 32, "original_name": "田间.jpg"}
    server.push_ok("zhangsan", [change("attachments", new_id(), photo)])
    after = {c["id"]: c for c in server.pull_all("manager")[0]}[visit]["fields"]
    assert (after["review_status"], after["confirm_sheet_accepted"]) == ("pending", 0)

    achievement = new_id()
    server.push_ok("zhangsan", [change("achievements", achievement, achievement_fields(cid))])
    approve = {
        "record_table": "achievements",
        "record_id": achievement,
        "record_rev": 1,
        "decision": "approved",
    }
    (approved,) = server.push_ok("manager", [change("reviews", new_id(), approve)])
    assert approved["status"] == "accepted", approved
    contract = {
        "owner_table": "achievements",
        "owner_id": achievement,
        "sha256": "ef" * 32,
        "original_name": "合同.pdf",
    }
    server.push_ok("zhangsan", [change("attachments", new_id(), contract)])
    again = {c["id"]: c for c in server.pull_all("manager")[0]}[achievement]["fields"]
    assert again["review_status"] == "pending"


def test_a_problem_cites_only_an_open_demand_or_one_its_owner_holds(server: Server) -> None:
    """A third try: problems citing a closed demand, a deleted one or an id that is no demand were
    taken; and a problem's demand could be cleared and then set to another."""
    cid = server.add_user("zhangsan", "commissioner")
    closed, published = published_demand(server, status="closed")
    gone, _ = published_demand(server)
    server.push_ok("boss", [change("demands", gone, published, 1, deleted=True)])
    base = {"commissioner_id": cid, "title": "难题", "status": "open", "source": "bureau_demand"}
    for cited in (closed, gone, "no-such-demand"):
        (refused,) = server.push_ok("zhangsan", [change("problems", new_id(), {**base, "demand_id": cited})])
        assert refused["status"] == "rejected", cited
    ordinary = new_id()
    server.push_ok("zhangsan", [change("problems", ordinary, {**base, "source": "visit", "demand_id": None})])
    open_one, _ = published_demand(server)
    (moved,) = server.push_ok("zhangsan", [change("problems", ordinary, {**base, "demand_id": open_one}, 1)])
    assert moved["status"] == "rejected"


def test_accounts_added_for_a_team_by_name_join_it_when_the_bureau_creates_it(server: Server) -> None:
    """A cold try: `user add --team 新会区柑橘产业科技特派团` before the team existed kept the name as
    the account's team; the team the bureau then created got another id, and its manager and members
    never joined it (the team view showed "，成员 2 人")."""
    from sync.server.tables import users

    name = "新会区柑橘产业科技特派团"
    cid = server.add_user("wangjg", "commissioner", team=name, station=None)
    server.add_user("linzz", "manager", team=name, station=None)
    server.add_user("boss", "bureau")
    visit = new_id()
    server.push_ok("wangjg", [change("visits", visit, visit_fields(cid))])
    team = new_id()
    (made,) = server.push_ok("boss", [change("teams", team, {"name": name, "county": "新会区"})])
    assert made["status"] == "accepted"
    with server.engine.connect() as conn:
        joined = dict(conn.execute(select(users.c.username, users.c.team_id)).all())
    assert joined["wangjg"] == team and joined["linzz"] == team
    # Their records follow: the manager now sees the member's visit.
    assert visit in {c["id"] for c in server.pull_all("linzz")[0]}


def stored_versions(server: Server, record_id: str) -> list[tuple[int, str]]:
    with server.engine.connect() as conn:
        rows = conn.execute(
            select(revisions.c.rev, revisions.c.fields)
            .where(revisions.c.record_id == record_id)
            .order_by(revisions.c.rev)
        ).all()
    return [(int(r.rev), str(r.fields)) for r in rows]


@BACKENDS
def test_a_records_current_version_is_stored_once_and_its_history_shows_every_version(
    server: Server,
) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    [first] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, content="第一次上门指导修剪"))]
    )
    assert first["status"] == "accepted", first
    # The revision row does not repeat the fields the record holds (a first sync stored each
    # record's text twice).
    assert stored_versions(server, vid) == [(1, "")]
    server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, content="第二次上门指导施肥"), base_rev=1)]
    )
    [(first, kept), (second, current)] = stored_versions(server, vid)
    assert (first, second, current) == (1, 2, "") and json.loads(kept)["content"] == "第一次上门指导修剪"
    history = server.request("GET", f"/records/visits/{vid}/history", "zhangsan")
    assert history.status_code == 200, history.text
    assert [(v["rev"], v["fields"]["content"]) for v in history.json()] == [
        (1, "第一次上门指导修剪"),
        (2, "第二次上门指导施肥"),
    ]
    # The base of a merge is a superseded version: another laptop's edit from rev 1 merges.
    [merged] = server.push_ok(
        "zhangsan",
        [
            change(
                "visits", vid, visit_fields(cid, content="第一次上门指导修剪", people_trained=7), base_rev=1
            )
        ],
    )
    assert merged["status"] == "merged"
    assert (merged["fields"]["content"], merged["fields"]["people_trained"]) == ("第二次上门指导施肥", 7)
    # The same again from the current version (rev 3): its base is the record itself.
    [merged] = server.push_ok(
        "zhangsan",
        [
            change(
                "visits", vid, visit_fields(cid, content="第二次上门指导施肥", people_trained=9), base_rev=3
            )
        ],
    )
    assert (merged["status"], merged["rev"]) == ("accepted", 4)
    assert [rev for rev, text in stored_versions(server, vid) if text == ""] == [4]


@BACKENDS
def test_versions_stored_whole_by_an_earlier_server_still_merge_and_show(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid, content="旧版本的服务内容"))])
    with server.engine.begin() as conn:  # as servers before this version stored it: the fields again
        [text] = conn.execute(select(records.c.fields).where(records.c.id == vid)).scalars()
        conn.execute(revisions.update().where(revisions.c.record_id == vid).values(fields=text))
    server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid, content="新版本的服务内容"), base_rev=1)]
    )
    [merged] = server.push_ok(
        "zhangsan",
        [change("visits", vid, visit_fields(cid, content="旧版本的服务内容", people_trained=3), base_rev=1)],
    )
    assert merged["status"] == "merged" and merged["fields"]["content"] == "新版本的服务内容"
    history = server.request("GET", f"/records/visits/{vid}/history", "zhangsan").json()
    assert [v["fields"]["content"] for v in history] == [
        "旧版本的服务内容",
        "新版本的服务内容",
        "新版本的服务内容",
    ]
    assert history[2]["fields"]["people_trained"] == 3


@BACKENDS
def test_a_history_read_while_a_new_version_lands_shows_each_version_with_its_own_fields(
    server: Server, monkeypatch: Any
) -> None:
    from contextlib import contextmanager

    from sync.server import pull

    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid, content="第一版的服务内容"))])
    reading = pull.reading
    landed: list[dict[str, Any]] = []

    class Interleaved:
        """The history's connection: another laptop's edit lands after its first statement."""

        def __init__(self, conn: Any) -> None:
            self.conn = conn

        def execute(self, *args: Any, **kwargs: Any) -> Any:
            result = self.conn.execute(*args, **kwargs)
            if not landed:
                landed.extend(
                    server.push_ok(
                        "zhangsan",
                        [change("visits", vid, visit_fields(cid, content="第二版的服务内容"), base_rev=1)],
                    )
                )
            return result

    @contextmanager
    def interleaved(engine: Any) -> Any:
        with reading(engine) as conn:
            yield Interleaved(conn)

    monkeypatch.setattr(pull, "reading", interleaved)
    history = server.request("GET", f"/records/visits/{vid}/history", "zhangsan").json()
    assert landed and landed[0]["rev"] == 2
    # PostgreSQL shows the version that landed, SQLite the snapshot the read began with: each
    # version as it was written.
    written = {1: "第一版的服务内容", 2: "第二版的服务内容"}
    assert [(v["rev"], v["fields"]["content"]) for v in history] == [
        (v["rev"], written[v["rev"]]) for v in history
    ]


@BACKENDS
def test_a_version_an_older_server_superseded_without_its_fields_is_read_as_pruned(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid, content="第一版的服务内容"))])
    # A server from before migration 11, still running beside this one, writes version 2 whole and
    # leaves version 1's row as it found it ("": the current version's fields were the record's).
    with server.engine.begin() as conn:
        [stored] = conn.execute(select(records).where(records.c.id == vid)).all()
        second = {**json.loads(stored.fields), "content": "旧版服务进程写入的内容"}
        text = json.dumps(second, ensure_ascii=False)
        conn.execute(records.update().where(records.c.id == vid).values(fields=text, rev=2))
        [first] = conn.execute(select(revisions).where(revisions.c.record_id == vid)).mappings().all()
        conn.execute(
            revisions.insert().values(
                {**{k: v for k, v in first.items() if k != "id"}, "rev": 2, "fields": text}
            )
        )
    # The history leaves the lost version out rather than show version 2's fields for it.
    history = server.request("GET", f"/records/visits/{vid}/history", "zhangsan").json()
    assert [(v["rev"], v["fields"]["content"]) for v in history] == [(2, "旧版服务进程写入的内容")]
    # Another laptop's edit from version 1 does not silently undo version 2: without its base,
    # what differs is a conflict for a person to decide.
    [answer] = server.push_ok(
        "zhangsan",
        [change("visits", vid, visit_fields(cid, content="第一版的服务内容", people_trained=7), base_rev=1)],
    )
    assert answer["status"] == "conflict"
    assert "content" in {c["field"] for c in answer["conflicts"]}
    with server.engine.connect() as conn:
        [kept] = conn.execute(select(records.c.fields).where(records.c.id == vid)).scalars()
    assert json.loads(kept)["content"] == "旧版服务进程写入的内容"


@BACKENDS
def test_every_version_of_a_record_is_stored_as_the_json_text_of_its_fields(server: Server) -> None:
    """What reads the store finds JSON text in each version (SQLite is given the fields as UTF-8 and
    stores them as text): the current one, one superseded within its own batch, one superseded by a
    later push, and one of a deletion (its flag stored as one)."""
    cid = server.add_user("zhangsan", "commissioner")
    vid, gone = new_id(), new_id()
    versions = [
        visit_fields(cid, content=c) for c in ("第一次的服务内容", "同一批次里改过", "下一次同步改过")
    ]
    results = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, versions[0]),
            change("visits", vid, versions[1], base_rev=1),
            change("visits", gone, visit_fields(cid)),
        ],
    )
    assert [(r["status"], r["rev"]) for r in results] == [("accepted", 1), ("accepted", 2), ("accepted", 1)]
    [third] = server.push_ok("zhangsan", [change("visits", vid, versions[2], base_rev=2)])
    [deletion] = server.push_ok(
        "zhangsan", [change("visits", gone, visit_fields(cid), base_rev=1, deleted=True)]
    )
    assert (third["rev"], deletion["rev"]) == (3, 2)
    sqlite = server.engine.dialect.name == "sqlite"
    kind = "typeof(fields)" if sqlite else "pg_typeof(fields)::text"
    with server.engine.connect() as conn:
        current = conn.execute(
            text(f"SELECT id, fields, {kind}, deleted FROM records WHERE id IN (:a, :b)"),
            {"a": vid, "b": gone},
        ).all()
        history = conn.execute(
            text(f"SELECT rev, fields, {kind} FROM revisions WHERE record_id = :a ORDER BY rev"), {"a": vid}
        ).all()
    stored = {row.id: row for row in current}
    assert {row[2] for row in [*current, *history]} == {"text"}
    assert json.loads(stored[vid].fields)["content"] == "下一次同步改过"
    assert (bool(stored[vid].deleted), bool(stored[gone].deleted)) == (False, True)
    assert [json.loads(row.fields)["content"] if row.fields else None for row in history] == [
        "第一次的服务内容",
        "同一批次里改过",
        None,  # the current version's fields are the record's
    ]
