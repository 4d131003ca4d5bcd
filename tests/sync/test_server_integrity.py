"""No score can be inflated through the central store: it checks what the application checks, keeps
profiles from vanishing, and sends a reviewed visit back to review when its problems change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from sync.server.tables import records
from tests.sync.server_support import (
    BACKENDS,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def stored(server: Server, table: str) -> int:
    with server.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(records).where(records.c.table_name == table)
            ).scalar_one()
        )


def server_today() -> datetime:
    return datetime.now(UTC)


@BACKENDS
def test_values_the_application_refuses_are_refused_by_the_server_with_the_same_message(
    server: Server,
) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    bad = {
        "confirm_satisfaction": visit_fields(cid, confirm_satisfaction=1000),
        "people_trained": visit_fields(cid, people_trained=-5),
        "visit_date": visit_fields(cid, visit_date="2099-01-01"),
        "economic_benefit": visit_fields(cid, economic_benefit=9.9e14),
        "content": visit_fields(cid, content="好"),
        "target_id": visit_fields(cid, target_id=None),
    }
    results = server.push_ok("zhangsan", [change("visits", new_id(), f) for f in bad.values()])
    assert [r["status"] for r in results] == ["rejected"] * len(bad)
    reasons = dict(zip(bad, results, strict=True))
    assert reasons["confirm_satisfaction"]["reason_zh"] == "满意度：满意度应为1到5"
    assert reasons["confirm_satisfaction"]["reason_en"] == "Satisfaction: must be from 1 to 5"
    assert reasons["people_trained"]["reason_zh"] == "培训人次：不能为负数"
    assert reasons["visit_date"]["reason_zh"] == "服务日期：不能晚于今天"  # (the label said once)
    assert "数值过大" in reasons["economic_benefit"]["reason_zh"]
    assert "too large" in reasons["economic_benefit"]["reason_en"]
    assert "服务内容" in reasons["content"]["reason_zh"]
    assert reasons["target_id"]["reason_en"] == "Service target: is required"
    assert stored(server, "visits") == 0


@BACKENDS
def test_a_visit_may_be_dated_a_day_ahead_for_clock_skew_but_not_two(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    tomorrow = (server_today() + timedelta(days=1)).date().isoformat()
    in_two_days = (server_today() + timedelta(days=2)).date().isoformat()
    ok, ahead = server.push_ok(
        "zhangsan",
        [
            change("visits", new_id(), visit_fields(cid, visit_date=tomorrow)),
            change("visits", new_id(), visit_fields(cid, visit_date=in_two_days)),
        ],
    )
    assert ok["status"] == "accepted" and ahead["status"] == "rejected"


@BACKENDS
def test_solutions_and_problems_with_values_out_of_range_are_refused(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    results = server.push_ok(
        "zhangsan",
        [
            change("problems", new_id(), {"title": "", "status": "open"}),
            change("problems", new_id(), {"title": "黄龙病", "status": "gone"}),
            change(
                "solutions", new_id(), {"problem_id": "p-1", "description": "喷药", "economic_benefit": 5e6}
            ),
            change("commissioners", cid, {"name": "", "sending_unit": "五邑大学"}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert results[0]["reason_zh"] == "标题：必须填写"


@BACKENDS
def test_a_commissioner_cannot_delete_their_own_profile_nor_deactivate_it(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("bureau", "bureau")
    profile = {"name": "张三", "sending_unit": "五邑大学"}
    [made] = server.push_ok("zhangsan", [change("commissioners", cid, profile)])
    assert made["status"] == "accepted"
    [gone, hidden] = server.push_ok(
        "zhangsan",
        [
            change("commissioners", cid, profile, base_rev=1, deleted=True),
            change(
                "commissioners",
                cid,
                {**profile, "deactivated_on": "2024-01-01", "deactivation_reason": "调离"},
                base_rev=1,
            ),
        ],
    )
    assert gone["status"] == "rejected" and "不能删除" in gone["reason_zh"]
    assert hidden["status"] == "accepted" and hidden["fields"]["deactivated_on"] is None
    bureau_view, _ = server.pull_all("bureau")
    [row] = [c for c in bureau_view if c["table"] == "commissioners"]
    assert not row["deleted"] and row["fields"]["deactivated_on"] is None


@BACKENDS
def test_the_bureau_deactivates_a_commissioner_with_a_reason(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("bureau", "bureau")
    profile = {"name": "张三", "sending_unit": "五邑大学"}
    server.push_ok("zhangsan", [change("commissioners", cid, profile)])
    [no_reason, done] = server.push_ok(
        "bureau",
        [
            change("commissioners", cid, {**profile, "deactivated_on": "2024-06-30"}, base_rev=1),
            change(
                "commissioners",
                cid,
                {**profile, "deactivated_on": "2024-06-30", "deactivation_reason": "派出单位调回"},
                base_rev=1,
            ),
        ],
    )
    assert no_reason["status"] == "rejected" and "停用原因" in no_reason["reason_zh"]
    assert done["status"] == "accepted"
    # The commissioner's next profile edit keeps the bureau's decision.
    [edit] = server.push_ok(
        "zhangsan", [change("commissioners", cid, {**profile, "phone": "13800138000"}, base_rev=2)]
    )
    assert edit["status"] == "accepted"
    [row] = [c for c in server.pull_all("zhangsan")[0] if c["table"] == "commissioners"]
    assert row["fields"]["deactivated_on"] == "2024-06-30" and row["fields"]["phone"] == "13800138000"


def approve(server: Server, visit_id: str, rev: int) -> None:
    [review] = server.push_ok(
        "manager",
        [
            change(
                "reviews",
                new_id(),
                {"record_id": visit_id, "record_rev": rev, "decision": "approved", "opinion": "属实"},
            )
        ],
    )
    assert review["status"] == "accepted", review


def visit_state(server: Server, user: str, visit_id: str) -> dict[str, Any]:
    rows = [c for c in server.pull_all(user)[0] if c["table"] == "visits" and c["id"] == visit_id]
    return {"rev": rows[-1]["rev"], **rows[-1]["fields"]}


@BACKENDS
def test_a_problem_or_solution_added_to_an_approved_visit_sends_it_back_to_review(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid, pid = new_id(), new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    approve(server, vid, 1)
    assert visit_state(server, "zhangsan", vid)["review_status"] == "approved"

    problem = {"visit_id": vid, "title": "柑橘黄龙病", "status": "solved", "solved_on": "2024-05-01"}
    [added] = server.push_ok("zhangsan", [change("problems", pid, problem)])
    assert added["status"] == "accepted"
    state = visit_state(server, "manager", vid)
    assert state["review_status"] == "pending" and state["rev"] == 3
    approve(server, vid, 3)

    # A solution on that visit, later: back to review again.
    [sol] = server.push_ok(
        "zhangsan", [change("solutions", new_id(), {"problem_id": pid, "description": "砍除病株并喷药"})]
    )
    assert sol["status"] == "accepted"
    assert visit_state(server, "manager", vid)["review_status"] == "pending"

    # Re-pushing an unchanged problem changes nothing and reopens nothing.
    approve(server, vid, 5)
    [same] = server.push_ok("zhangsan", [change("problems", pid, problem, base_rev=1)])
    assert same["rev"] == 1
    assert visit_state(server, "manager", vid)["review_status"] == "approved"


@BACKENDS
def test_a_problem_of_a_returned_visit_sends_it_back_and_one_of_a_visit_never_reviewed_does_not(
    server: Server,
) -> None:
    """Returned with an opinion, then a problem added: the visit waits for review again. A visit not
    yet reviewed stays as it is, whatever its text says (its content names the words the check looks
    for, which must not count as a decision)."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    returned, pending = new_id(), new_id()
    words = {"content": "合作社 approved returned 的方案"}
    server.push_ok(
        "zhangsan",
        [
            change("visits", returned, visit_fields(cid)),
            change("visits", pending, {**visit_fields(cid), **words}),
        ],
    )
    [review] = server.push_ok(
        "manager",
        [
            change(
                "reviews",
                new_id(),
                {"record_id": returned, "record_rev": 1, "decision": "returned", "opinion": "补充照片"},
            )
        ],
    )
    assert review["status"] == "accepted", review
    assert visit_state(server, "zhangsan", returned)["review_status"] == "returned"
    before = visit_state(server, "manager", pending)
    assert before["review_status"] not in ("approved", "returned")

    problems = [
        change("problems", new_id(), {"visit_id": v, "title": "柑橘黄龙病"}) for v in (returned, pending)
    ]
    assert all(r["status"] == "accepted" for r in server.push_ok("zhangsan", problems))
    assert visit_state(server, "manager", returned)["review_status"] == "pending"
    assert visit_state(server, "manager", pending) == before  # not written again


@BACKENDS
def test_a_stale_review_of_a_visit_whose_problems_changed_is_refused(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    server.push_ok("zhangsan", [change("problems", new_id(), {"visit_id": vid, "title": "霜霉病"})])
    [review] = server.push_ok(
        "manager",
        [change("reviews", new_id(), {"record_id": vid, "record_rev": 1, "decision": "approved"})],
    )
    assert review["status"] == "accepted"  # the problem came with the visit's first review
    server.push_ok("zhangsan", [change("problems", new_id(), {"visit_id": vid, "title": "炭疽病"})])
    state = visit_state(server, "manager", vid)
    [stale] = server.push_ok(
        "manager",
        [change("reviews", new_id(), {"record_id": vid, "record_rev": 2, "decision": "approved"})],
    )
    assert state["rev"] == 3 and stale["status"] == "rejected"


@BACKENDS
def test_an_approved_visit_is_not_deleted_by_its_owner(server: Server) -> None:
    """A cold try: a visit the served party rated 1 star, approved, was deleted by its owner without
    any review (and re-created, then rated 5 stars by the owner's own hand). An approved visit goes
    only after a reviewer returned it; the refusal brings the visit back to the laptop."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    approve(server, vid, 1)
    [refused] = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid), base_rev=2, deleted=True)]
    )
    assert refused["status"] == "rejected" and "曾经审核通过的记录不能由本人删除" in refused["reason_zh"]
    assert refused["deleted"] is False and refused["rev"] == 2  # the visit as kept: the laptop takes it back
    assert visit_state(server, "manager", vid)["review_status"] == "approved"
    # An edit first (waiting for review again), then the deletion, in one batch: refused too.
    edited = visit_fields(cid, content="改一个字再删")
    both = [
        change("visits", vid, edited, base_rev=2),
        change("visits", vid, edited, base_rev=3, deleted=True),
    ]
    first, second = server.push_ok("zhangsan", both)
    assert first["status"] == "accepted" and second["status"] == "rejected"
    assert visit_state(server, "manager", vid)["review_status"] == "pending"
    # Returned by the reviewer, it may go.
    review = {"record_id": vid, "record_rev": 3, "decision": "returned", "opinion": "重复记录，请删除"}
    assert server.push_ok("manager", [change("reviews", new_id(), review)])[0]["status"] == "accepted"
    [gone] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid), base_rev=4, deleted=True)])
    assert gone["status"] == "accepted"


@BACKENDS
def test_a_problem_solved_later_sends_back_the_visit_its_solution_was_given_on(server: Server) -> None:
    """A cold try: problems raised with no visit of their own (a served party's request) got their
    solutions on a visit the manager then approved; afterwards they were marked solved, with nothing
    sent back to review, and counted as 4 solved problems (+10 points)."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid, pid = new_id(), new_id()
    requested = {"title": "合作社的仓储难题", "source": "target_request", "raised_on": "2024-04-01"}
    server.push_ok(
        "zhangsan",
        [
            change("visits", vid, visit_fields(cid)),
            change("problems", pid, requested),
            change("solutions", new_id(), {"problem_id": pid, "visit_id": vid, "description": "低温除湿"}),
        ],
    )
    approve(server, vid, 1)
    assert visit_state(server, "zhangsan", vid)["review_status"] == "approved"
    # Another state than solved counts nothing: the approval stands.
    working = {**requested, "status": "in_progress"}
    [moved] = server.push_ok("zhangsan", [change("problems", pid, working, base_rev=1)])
    assert moved["status"] == "accepted", moved
    assert visit_state(server, "manager", vid)["review_status"] == "approved"
    solved = {**requested, "status": "solved", "solved_on": "2024-05-01"}
    [done] = server.push_ok("zhangsan", [change("problems", pid, solved, base_rev=2)])
    assert done["status"] == "accepted"
    assert visit_state(server, "manager", vid)["review_status"] == "pending"
    # Its wording corrected, the count unchanged: the approval stands.
    approve(server, vid, 3)
    [reworded] = server.push_ok(
        "zhangsan", [change("problems", pid, {**solved, "title": "仓储返潮"}, base_rev=3)]
    )
    assert reworded["status"] == "accepted"
    assert visit_state(server, "manager", vid)["review_status"] == "approved"


@BACKENDS
def test_a_signed_agreement_keeps_its_targets_and_period(server: Server) -> None:
    """A cold try: an agreement of 100 visits, signed, was cleared of its targets and marked 已完成
    after 9 visits by its commissioner alone, and the team's 服务协议完成率 counted it completed;
    moved past the year's end, or deleted, it was no longer due at all. What the three parties
    signed stays; raising a target, completing or terminating it, and the bureau's correction do not."""
    from tests.sync.test_server_shared_targets import agreement_fields, target_fields

    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("bureau", "bureau")
    colleague = server.add_user("lisi", "commissioner")
    target, other, agreement, draft = new_id(), new_id(), new_id(), new_id()
    signed = agreement_fields(cid, target, agreed='{"visits": 100.0, "people_trained": 50.0}')
    server.push_ok(
        "zhangsan",
        [
            change("service_targets", target, target_fields()),
            change("service_targets", other, target_fields(name="台山市川岛养殖专业合作社", town="川岛镇")),
            change("service_agreements", agreement, signed),
            change("service_agreements", draft, agreement_fields(cid, target, status="draft")),
        ],
    )
    refused = {
        "cleared": {**signed, "agreed": "{}", "status": "completed"},
        "lowered": {**signed, "agreed": '{"visits": 10.0, "people_trained": 50.0}'},
        "moved": {**signed, "end_date": "2026-12-31"},
        "unsigned": {**signed, "status": "draft"},
        "moved elsewhere": {**signed, "target_id": other},
        "joined": {**signed, "co_commissioner_ids": json.dumps([colleague])},
    }
    for how, fields in refused.items():
        [result] = server.push_ok("zhangsan", [change("service_agreements", agreement, fields, base_rev=1)])
        assert result["status"] == "rejected", how
        assert result["rev"] == 1 and result["fields"]["agreed"] == signed["agreed"], (
            how
        )  # the laptop takes it back
    assert (
        "不能降低或取消约定指标（服务次数、培训人次）"
        in server.push_ok(
            "zhangsan", [change("service_agreements", agreement, refused["cleared"], base_rev=1)]
        )[0]["reason_zh"]
    )
    [gone] = server.push_ok("zhangsan", [change("service_agreements", agreement, signed, 1, deleted=True)])
    assert gone["status"] == "rejected" and "已签订的服务协议不能删除" in gone["reason_zh"]
    # What stays possible.
    raised = {**signed, "agreed": '{"visits": 120.0, "people_trained": 50.0}', "status": "midterm"}
    assert (
        server.push_ok("zhangsan", [change("service_agreements", agreement, raised, base_rev=1)])[0]["status"]
        == "accepted"
    )
    done = {**raised, "status": "terminated", "notes": "合作社停产，协议提前终止"}
    assert (
        server.push_ok("zhangsan", [change("service_agreements", agreement, done, base_rev=2)])[0]["status"]
        == "accepted"
    )
    free = agreement_fields(cid, target, status="draft", agreed="{}", end_date="2026-06-30")
    assert (
        server.push_ok("zhangsan", [change("service_agreements", draft, free, base_rev=1)])[0]["status"]
        == "accepted"
    )
    corrected = {**done, "end_date": "2025-06-30"}
    assert (
        server.push_ok("bureau", [change("service_agreements", agreement, corrected, base_rev=3)])[0][
            "status"
        ]
        == "accepted"
    )


@BACKENDS
def test_what_was_recorded_on_a_once_approved_visit_is_not_deleted_by_its_owner(server: Server) -> None:
    """A cold try: an approved visit, edited (waiting for review again), then deleted in the
    application with its problem, solution and photo: the visit's deletion was refused and it came
    back, but the others' were accepted, and every laptop lost them. Its problems and solutions stay
    with the visit until a reviewer returns it."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid, pid, sid, aid = new_id(), new_id(), new_id(), new_id()
    problem = {"visit_id": vid, "title": "柑橘黄龙病", "commissioner_id": cid}
    solution = {"visit_id": vid, "problem_id": pid, "description": "砍除病株，统一防控木虱"}
    photo = {"owner_table": "visits", "owner_id": vid, "sha256": "c" * 64, "kind": "photo"}
    server.push_ok(
        "zhangsan",
        [
            change("visits", vid, visit_fields(cid)),
            change("problems", pid, problem),
            change("solutions", sid, solution),
        ],
    )
    server.push_ok("zhangsan", [change("attachments", aid, photo)])
    rev = visit_state(server, "zhangsan", vid)["rev"]
    approve(server, vid, rev)
    edited = visit_fields(cid, content="改一个字再删")
    results = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, edited, base_rev=rev + 1),
            change("visits", vid, edited, base_rev=rev + 2, deleted=True),
            change("problems", pid, problem, base_rev=1, deleted=True),
            change("solutions", sid, solution, base_rev=1, deleted=True),
            change("attachments", aid, photo, base_rev=1, deleted=True),
        ],
    )
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    assert all(r["deleted"] is False for r in results[1:4])  # each comes back to the laptop as kept
    assert "审核通过" in results[2]["reason_zh"]
    # The photo's removal is an edit of the evidence, as ever: the visit waits for review again.
    assert visit_state(server, "manager", vid)["review_status"] == "pending"
    # Returned by the reviewer, all of it may go.
    review = {"record_id": vid, "record_rev": rev + 2, "decision": "returned", "opinion": "重复记录，请删除"}
    assert server.push_ok("manager", [change("reviews", new_id(), review)])[0]["status"] == "accepted"
    kept = visit_state(server, "zhangsan", vid)
    gone = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, edited, base_rev=kept["rev"], deleted=True),
            change("problems", pid, problem, base_rev=1, deleted=True),
            change("solutions", sid, solution, base_rev=1, deleted=True),
        ],
    )
    assert [r["status"] for r in gone] == ["accepted"] * 3


@BACKENDS
def test_what_was_recorded_on_a_visit_whose_deletion_conflicts_stays(server: Server) -> None:
    """A cold try: a visit deleted on one laptop offline, edited on the other meanwhile: the visit's
    deletion became a conflict and the server kept the edit, but the deletion of its problem went
    through, and whichever side the user then kept, the problem was gone."""
    cid = server.add_user("zhangsan", "commissioner")
    vid, pid = new_id(), new_id()
    problem = {"visit_id": vid, "title": "柑橘黄龙病", "commissioner_id": cid}
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid)), change("problems", pid, problem)])
    edited = visit_fields(cid, content="乙电脑：补充木虱监测结果")
    assert server.push_ok("zhangsan", [change("visits", vid, edited, base_rev=1)])[0]["status"] == "accepted"
    held, kept = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, visit_fields(cid), base_rev=1, deleted=True),
            change("problems", pid, problem, base_rev=1, deleted=True),
        ],
    )
    assert held["status"] == "conflict"
    assert kept["status"] == "rejected" and kept["deleted"] is False  # the laptop gets it back
    # Once the visit's deletion goes through (the conflict resolved for it), so does its problem's.
    gone = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, edited, base_rev=2, deleted=True),
            change("problems", pid, problem, base_rev=1, deleted=True),
        ],
    )
    assert [r["status"] for r in gone] == ["accepted", "accepted"]


@BACKENDS
def test_an_agreement_names_as_co_commissioners_only_colleagues_of_the_team(server: Server) -> None:
    """A cold try: a commissioner of another county named a stranger (and a made-up id) beside
    themselves on an agreement. The stranger's approved visits to its target then counted toward it,
    and the stranger's annual record printed the agreement as theirs, behind schedule. An agreement
    may name the team's or workstation's colleagues; the bureau, anyone with an account."""
    from tests.sync.test_server_shared_targets import agreement_fields, target_fields

    cid = server.add_user("zhangsan", "commissioner")
    colleague = server.add_user("lisi", "commissioner")
    stranger = server.add_user("wangwu", "commissioner", team="team-far", station="ws-far")
    server.add_user("bureau", "bureau")
    target = new_id()
    server.push_ok("zhangsan", [change("service_targets", target, target_fields())])

    def pushed(user: str, named: list[str], agreement: str | None = None, base: int = 0) -> dict[str, Any]:
        fields = agreement_fields(cid, target, status="draft", co_commissioner_ids=json.dumps(named))
        return server.push_ok(user, [change("service_agreements", agreement or new_id(), fields, base)])[0]

    for named in ([stranger], ["made-up-person"], [colleague, stranger]):
        refused = pushed("zhangsan", named)
        assert refused["status"] == "rejected", named
        assert "共同履约的特派员" in refused["reason_zh"] and "co-commissioner" in refused["reason_en"]
    agreement = new_id()
    assert pushed("zhangsan", [colleague], agreement)["status"] == "accepted"
    # Someone already named stays named, even after moving away (the agreement is still editable).
    with server.engine.begin() as conn:
        from sync.server.tables import users

        conn.execute(
            users.update()
            .where(users.c.commissioner_id == colleague)
            .values(team_id="t2", workstation_id="w2")
        )
    assert pushed("zhangsan", [colleague], agreement, base=1)["status"] == "accepted"
    # The bureau may name any commissioner with an account, and no made-up one.
    assert pushed("bureau", [stranger])["status"] == "accepted"
    assert pushed("bureau", ["made-up-person"])["status"] == "rejected"
