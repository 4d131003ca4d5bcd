"""The central store's rules for 揭榜挂帅 projects and the achievements register: who may publish,
apply, award, set milestones, accept, link and review, and what each side sees (role x scope)."""

from __future__ import annotations

from datetime import date, timedelta
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

LATER = (date.today() + timedelta(days=30)).isoformat()
BEFORE = (date.today() - timedelta(days=3)).isoformat()


def project_fields(**extra: Any) -> dict[str, Any]:
    fields = {
        "title": "陈皮仓储防霉技术攻关",
        "description": "新会陈皮仓储期霉变损失大",
        "requirements": "一年内提出低成本防霉方案并示范",
        "industry": "陈皮",
        "county": "新会区",
        "budget": 50.0,
        "deadline": LATER,
        "status": "published",
        "published_by": "市科技局",
    }
    fields.update(extra)
    return fields


def application_fields(project_id: str, commissioner_id: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "project_id": project_id,
        "commissioner_id": commissioner_id,
        "plan": "采用低温除湿和生物防霉剂组合方案，三个月内完成示范仓",
        "status": "submitted",
    }
    fields.update(extra)
    return fields


def achievement_fields(commissioner_id: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "commissioner_id": commissioner_id,
        "title": "陈皮低温陈化技术",
        "kind": "technology",
        "mode": "license",
        "contract_no": "2024440703000123",
        "contract_value": 35.5,
        "contract_date": "2024-04-20",
        "transferor": "五邑大学",
        "transferee": "新会某陈皮合作社",
        "visit_ids": "[]",
        "problem_ids": "[]",
    }
    fields.update(extra)
    return fields


def published(server: Server, **extra: Any) -> str:
    pid = new_id()
    [r] = server.push_ok("boss", [change("projects", pid, project_fields(**extra))])
    assert r["status"] == "accepted", r
    return pid


def status_of(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


@BACKENDS
def test_only_the_bureau_publishes_awards_and_accepts(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    server.add_user("boss", "bureau")
    for user in ("zhangsan", "manager"):
        [r] = server.push_ok(user, [change("projects", new_id(), project_fields())])
        assert r["status"] == "rejected" and r["reason_zh"] and "may not write projects" in r["reason_en"]
    pid = published(server)
    [r] = server.push_ok("zhangsan", [change("projects", pid, project_fields(title="改"), base_rev=1)])
    assert r["status"] == "rejected"
    # Bad input from the bureau: clear reasons in both languages, nothing stored.
    bad = server.push_ok(
        "boss",
        [
            change("projects", new_id(), project_fields(budget=-1.0)),
            change("projects", new_id(), project_fields(budget=10_000_000.0)),
            change("projects", new_id(), project_fields(requirements="")),
            change("projects", new_id(), project_fields(status="awarded")),
            change("projects", new_id(), project_fields(deadline="next week")),
        ],
    )
    assert status_of(bad) == ["rejected"] * 5
    assert all(r["reason_zh"] and r["reason_en"] for r in bad)
    assert "须先选定中榜申请" in bad[3]["reason_zh"]


@BACKENDS
def test_applications_once_by_the_deadline_seen_by_the_applicant_and_the_bureau(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner", team=OTHER_TEAM, station=None)
    server.add_user("boss", "bureau")
    pid = published(server)
    late = published(server, deadline=BEFORE)
    mine = new_id()
    results = server.push_ok(
        "zhangsan",
        [
            change("project_applications", mine, application_fields(pid, zhang, status="awarded")),
            change("project_applications", new_id(), application_fields(pid, zhang)),  # a second one
            change("project_applications", new_id(), application_fields(late, zhang)),  # too late
            change("project_applications", new_id(), application_fields(new_id(), zhang)),  # no project
            change("project_applications", new_id(), application_fields(pid, li)),  # for someone else
            change("project_applications", new_id(), application_fields(pid, zhang, team_id=OTHER_TEAM)),
            change("project_applications", new_id(), application_fields(pid, zhang, plan="短")),
        ],
    )
    assert status_of(results) == ["accepted"] + ["rejected"] * 6
    assert results[0]["fields"]["status"] == "submitted"  # the status is the bureau's
    assert (
        results[0]["fields"]["submitted_on"] == date.today().isoformat()
        or results[0]["fields"]["submitted_on"] >= BEFORE
    )
    assert "already applied" in results[1]["reason_en"]
    assert "deadline" in results[2]["reason_en"] and "截止日期" in results[2]["reason_zh"]
    # Someone else cannot touch it; the other applicant applies for themselves.
    [other] = server.push_ok(
        "lisi", [change("project_applications", mine, application_fields(pid, li), base_rev=1)]
    )
    assert other["status"] == "rejected"
    lis = new_id()
    server.push_ok("lisi", [change("project_applications", lis, application_fields(pid, li))])
    seen = {
        u: {c["id"] for c in server.pull_all(u)[0] if c["table"] == "project_applications"}
        for u in ("zhangsan", "lisi", "boss")
    }
    assert seen == {"zhangsan": {mine}, "lisi": {lis}, "boss": {mine, lis}}
    # The bureau decides on applications; it neither makes one nor changes a plan.
    bureau = server.push_ok(
        "boss",
        [
            change("project_applications", new_id(), application_fields(pid, zhang)),
            change(
                "project_applications",
                mine,
                application_fields(pid, zhang, plan="市局改写的方案内容"),
                base_rev=1,
            ),
            change("project_applications", mine, application_fields(pid, zhang, status="maybe"), base_rev=1),
        ],
    )
    assert status_of(bureau) == ["rejected"] * 3


@BACKENDS
def test_the_award_names_the_applicant_and_only_the_awarded_side_sets_milestones(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")  # team-1
    server.add_user("mate", "commissioner")  # also team-1
    li = server.add_user("lisi", "commissioner", team=OTHER_TEAM, station=None)
    server.add_user("boss", "bureau")
    pid, other_pid = published(server), published(server)
    team_app, li_app, elsewhere = new_id(), new_id(), new_id()
    server.push_ok(
        "zhangsan",
        [change("project_applications", team_app, application_fields(pid, zhang, team_id="team-1"))],
    )
    server.push_ok("lisi", [change("project_applications", li_app, application_fields(pid, li))])
    server.push_ok("lisi", [change("project_applications", elsewhere, application_fields(other_pid, li))])
    # A team member cannot apply again for the same team.
    [again] = server.push_ok(
        "mate",
        [change("project_applications", new_id(), application_fields(pid, "c-mate", team_id="team-1"))],
    )
    assert again["status"] == "rejected"
    milestone = {"project_id": pid, "title": "完成示范仓建设", "due_date": LATER, "done": 0, "evidence": ""}
    [early] = server.push_ok("zhangsan", [change("project_milestones", new_id(), milestone)])
    assert early["status"] == "rejected" and "awarded side" in early["reason_en"]

    award = project_fields(status="awarded", awarded_application_id=team_app, awarded_commissioner_id=li)
    results = server.push_ok(
        "boss",
        [
            change(
                "projects",
                pid,
                project_fields(status="awarded", awarded_application_id=elsewhere),
                base_rev=1,
            ),
            change("projects", pid, award, base_rev=1),
            change(
                "project_applications",
                team_app,
                application_fields(pid, zhang, team_id="team-1", status="awarded"),
                base_rev=1,
            ),
            change(
                "project_applications", li_app, application_fields(pid, li, status="not_chosen"), base_rev=1
            ),
        ],
    )
    assert status_of(results) == ["rejected", "accepted", "accepted", "accepted"]
    # The awarded side comes from the application, not from what the bureau's client said.
    assert results[1]["fields"]["awarded_commissioner_id"] == zhang
    assert results[1]["fields"]["awarded_team_id"] == "team-1"
    # No more applications, and a decided one is final for its applicant.
    [closed] = server.push_ok(
        "lisi",
        [
            change(
                "project_applications",
                li_app,
                application_fields(pid, li, plan="再补充一些内容和数据"),
                base_rev=2,
            )
        ],
    )
    assert closed["status"] == "rejected"

    ms = [new_id(), new_id()]
    results = server.push_ok("zhangsan", [change("project_milestones", ms[0], milestone)]) + server.push_ok(
        "mate", [change("project_milestones", ms[1], {**milestone, "title": "中期检测"})]
    )
    assert status_of(results) == ["accepted", "accepted"]  # the awarded commissioner and a team-mate
    rejected = server.push_ok("lisi", [change("project_milestones", new_id(), milestone)])
    rejected += server.push_ok(
        "lisi", [change("project_milestones", ms[0], {**milestone, "done": 1, "evidence": "假"}, base_rev=1)]
    )
    rejected += server.push_ok("boss", [change("project_milestones", new_id(), milestone)])
    rejected += server.push_ok("zhangsan", [change("project_milestones", new_id(), {**milestone, "done": 1})])
    assert status_of(rejected) == ["rejected"] * 4
    [done] = server.push_ok(
        "zhangsan",
        [
            change(
                "project_milestones",
                ms[0],
                {**milestone, "done": 1, "done_on": LATER[:8] + "01", "evidence": "验收报告"},
                base_rev=1,
            )
        ],
    )
    assert done["status"] == "accepted"
    # Everyone sees the project's milestones (the project is public); the bureau sees everything.
    assert {c["id"] for c in server.pull_all("lisi")[0] if c["table"] == "project_milestones"} == set(ms)

    # Links: the awarded side may link its visit; someone else may not.
    ok = server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(zhang, project_id=pid))])
    no = server.push_ok("lisi", [change("visits", new_id(), visit_fields(li, project_id=pid))])
    assert status_of(ok + no) == ["accepted", "rejected"]

    # Acceptance: the bureau's, with an opinion; after it no more milestones.
    bad = server.push_ok(
        "boss",
        [
            change(
                "projects",
                pid,
                {**award, "status": "accepted", "acceptance": "passed", "accepted_on": LATER},
                base_rev=2,
            )
        ],
    )
    assert bad[0]["status"] == "rejected" and "意见" in bad[0]["reason_zh"]
    accepted = {
        **award,
        "status": "accepted",
        "acceptance": "passed",
        "acceptance_opinion": "达到攻关指标",
        "accepted_on": LATER,
    }
    [good] = server.push_ok("boss", [change("projects", pid, accepted, base_rev=2)])
    assert good["status"] == "accepted"
    [after] = server.push_ok("mate", [change("project_milestones", new_id(), milestone)])
    assert after["status"] == "rejected"
    history = server.request("GET", f"/records/projects/{pid}/history", "boss").json()
    assert [h["fields"]["status"] for h in history] == ["published", "awarded", "accepted"]


@BACKENDS
def test_achievements_are_reviewed_like_visits_and_checked(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner", team=OTHER_TEAM, station=None)
    server.add_user("manager", "manager")
    server.add_user("stranger", "manager", team=OTHER_TEAM, station=None)
    foreign_visit = new_id()
    server.push_ok("lisi", [change("visits", foreign_visit, visit_fields(li))])
    aid = new_id()
    results = server.push_ok(
        "zhangsan",
        [
            change("achievements", aid, achievement_fields(zhang, review_status="approved")),
            change("achievements", new_id(), achievement_fields(zhang, contract_value=2_000_000.0)),
            change("achievements", new_id(), achievement_fields(zhang, kind="secret")),
            change("achievements", new_id(), achievement_fields(zhang, visit_ids=f'["{foreign_visit}"]')),
            change("achievements", new_id(), achievement_fields(li)),
            change("achievements", new_id(), achievement_fields(zhang, contract_date="2999-01-01")),
        ],
    )
    assert status_of(results) == ["accepted"] + ["rejected"] * 5
    assert results[0]["fields"]["review_status"] == "pending"  # server-owned
    assert "合同金额" in results[1]["reason_zh"] and "Contract value" in results[1]["reason_en"]
    review = {"record_table": "achievements", "record_id": aid, "record_rev": 1, "decision": "approved"}
    [foreign] = server.push_ok("stranger", [change("reviews", new_id(), review)])
    assert foreign["status"] == "rejected"
    [bad_table] = server.push_ok(
        "manager", [change("reviews", new_id(), {**review, "record_table": "demands"})]
    )
    assert bad_table["status"] == "rejected"
    [ok] = server.push_ok("manager", [change("reviews", new_id(), review)])
    assert ok["status"] == "accepted"
    pulled = {c["id"]: c for c in server.pull_all("zhangsan")[0]}
    assert pulled[aid]["fields"]["review_status"] == "approved" and pulled[aid]["rev"] == 2
    assert aid not in {c["id"] for c in server.pull_all("lisi")[0]}
    # An edit after approval goes back to review.
    [edit] = server.push_ok(
        "zhangsan", [change("achievements", aid, achievement_fields(zhang, contract_value=40.0), base_rev=2)]
    )
    assert edit["fields"]["review_status"] == "pending"


@BACKENDS
def test_an_achievement_cannot_reach_a_colleagues_visit_through_an_id_it_named_before(server: Server) -> None:
    """The ids an achievement already names are compared as ids: an earlier made-up id that holds
    a colleague's visit id as its beginning does not let that visit through afterwards."""
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner", team=OTHER_TEAM, station=None)
    theirs = new_id()
    server.push_ok("lisi", [change("visits", theirs, visit_fields(li))])
    aid = new_id()
    [first] = server.push_ok(
        "zhangsan", [change("achievements", aid, achievement_fields(zhang, visit_ids=f'["{theirs}z"]'))]
    )
    assert first["status"] == "accepted"  # an id nobody has: nothing to check it against
    [second] = server.push_ok(
        "zhangsan",
        [change("achievements", aid, achievement_fields(zhang, visit_ids=f'["{theirs}"]'), base_rev=1)],
    )
    assert second["status"] == "rejected" and "visit_ids" in second["reason_en"]
