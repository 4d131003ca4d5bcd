"""The audit trail keeps every step of a 揭榜 project (published, applied for, decided, awarded,
milestones set and done, accepted), achievements recorded, bonuses proposed and decided, and
exemplars named: who, what, before and after (the fields that matter only); a county bureau sees the
steps of its county; a replayed batch is not a second act."""

from __future__ import annotations

from typing import Any

from sync.audit_ops import ACTIONS
from sync.server.push import audit_action, audit_fields
from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    STATION,
    TEAM,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
)
from tests.sync.test_server_group_records import _exemplar, _setup, bonus
from tests.sync.test_server_projects import LATER, achievement_fields, application_fields, project_fields

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def trail(server: Server, user: str = "boss", query: str = "") -> list[dict[str, Any]]:
    """The entries oldest first."""
    answer = server.request("GET", f"/audit?limit=1000{query}", user)
    assert answer.status_code == 200, answer.text
    return list(reversed(answer.json()["entries"]))


def accepted(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all(r["status"] == "accepted" for r in results), results
    return results


@BACKENDS
def test_every_step_of_a_project_is_in_the_trail(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner", county="新会区")
    li = server.add_user("lisi", "commissioner", team=OTHER_TEAM, station=None, county="台山市")
    server.add_user("boss", "bureau", team=None, station=None)
    server.add_user("xinhui", "county", team=None, station=None, county="新会区")
    pid, mine, his, ms = new_id(), new_id(), new_id(), new_id()
    accepted(server.push_ok("boss", [change("projects", pid, project_fields())]))
    accepted(
        server.push_ok("zhangsan", [change("project_applications", mine, application_fields(pid, zhang))])
    )
    accepted(server.push_ok("lisi", [change("project_applications", his, application_fields(pid, li))]))
    award = project_fields(status="awarded", awarded_application_id=mine)
    accepted(
        server.push_ok(
            "boss",
            [
                change("projects", pid, award, base_rev=1),
                change("project_applications", mine, application_fields(pid, zhang, status="awarded"), 1),
                change("project_applications", his, application_fields(pid, li, status="not_chosen"), 1),
            ],
        )
    )
    milestone = {"project_id": pid, "title": "完成示范仓建设", "due_date": LATER, "done": 0, "evidence": ""}
    accepted(server.push_ok("zhangsan", [change("project_milestones", ms, milestone)]))
    done = {**milestone, "done": 1, "done_on": LATER, "evidence": "示范仓验收报告"}
    accepted(server.push_ok("zhangsan", [change("project_milestones", ms, done, base_rev=1)]))
    passed = {**award, "status": "accepted", "acceptance": "passed", "acceptance_opinion": "达到攻关指标"}
    accepted(server.push_ok("boss", [change("projects", pid, {**passed, "accepted_on": LATER}, base_rev=2)]))

    entries = trail(server)
    assert [(e["action"], e["actor"], e["subject"]) for e in entries] == [
        ("project.publish", "boss", f"projects/{pid}"),
        ("project.apply", "zhangsan", f"project_applications/{mine}"),
        ("project.apply", "lisi", f"project_applications/{his}"),
        ("project.award", "boss", f"projects/{pid}"),
        ("project.application_decide", "boss", f"project_applications/{mine}"),
        ("project.application_decide", "boss", f"project_applications/{his}"),
        ("project.milestone_set", "zhangsan", f"project_milestones/{ms}"),
        ("project.milestone_done", "zhangsan", f"project_milestones/{ms}"),
        ("project.accept", "boss", f"projects/{pid}"),
    ]
    publish, apply, _, awarded, decided, _, _, milestone_done, accept = entries
    assert publish["before"] is None and publish["after"]["title"] == "陈皮仓储防霉技术攻关"
    assert publish["after"]["budget"] == 50.0 and "description" not in publish["after"]  # kept small
    assert apply["after"]["commissioner_id"] == zhang and apply["after"]["status"] == "submitted"
    assert awarded["before"]["status"] == "published" and awarded["after"]["status"] == "awarded"
    # The awarded side as the server set it from the application, not as the client sent it.
    assert awarded["after"]["awarded_application_id"] == mine
    assert awarded["after"]["awarded_commissioner_id"] == zhang
    assert (decided["before"]["status"], decided["after"]["status"]) == ("submitted", "awarded")
    assert milestone_done["before"]["done"] == 0 and milestone_done["after"]["evidence"] == "示范仓验收报告"
    assert accept["after"]["acceptance"] == "passed"
    assert accept["after"]["acceptance_opinion"] == "达到攻关指标"
    # The project's county bureau sees the project's own steps and its commissioner's; not Taishan's.
    county_view = {(e["action"], e["actor"]) for e in trail(server, "xinhui")}
    assert ("project.accept", "boss") in county_view and ("project.apply", "zhangsan") in county_view
    assert ("project.apply", "lisi") not in county_view
    assert {e["county"] for e in entries if e["actor"] == "lisi"} == {"台山市"}

    # A replayed batch (the client did not hear the answer) is not a second act.
    count = len(entries)
    edit = [change("projects", pid, {"title": "陈皮仓储防霉技术攻关（二期）"}, base_rev=3)]
    server.push_ok("boss", edit, batch_id="edit-once")
    server.push_ok("boss", edit, batch_id="edit-once")
    assert [e["action"] for e in trail(server)[count:]] == ["project.edit"]


@BACKENDS
def test_achievements_bonuses_and_exemplars_are_in_the_trail(server: Server) -> None:
    _setup(server)  # boss, lead (team-1, station-1), other, lin
    zhang = server.add_user("zhangsan", "commissioner")
    aid, bid, eid = new_id(), new_id(), new_id()
    [first] = accepted(server.push_ok("zhangsan", [change("achievements", aid, achievement_fields(zhang))]))
    # A note is not what the trail keeps; a contract value is.
    note = achievement_fields(zhang, note="补充说明")
    [noted] = accepted(server.push_ok("zhangsan", [change("achievements", aid, note, first["rev"])]))
    value = achievement_fields(zhang, note="补充说明", contract_value=40.0)
    accepted(server.push_ok("zhangsan", [change("achievements", aid, value, noted["rev"])]))
    review = {"record_table": "achievements", "record_id": aid, "record_rev": 3, "decision": "approved"}
    accepted(server.push_ok("lead", [change("reviews", new_id(), review)]))

    proposal = bonus(STATION, "workstation")
    [proposed] = accepted(server.push_ok("lead", [change("bonus_points", bid, proposal)]))
    accepted(server.push_ok("boss", [change("bonus_points", bid, {"status": "approved"}, proposed["rev"])]))
    accepted(server.push_ok("boss", [change("exemplars", eid, _exemplar("team", TEAM))]))

    entries = trail(server)
    assert [(e["action"], e["actor"], e["subject"]) for e in entries] == [
        ("achievement.record", "zhangsan", f"achievements/{aid}"),
        ("achievement.edit", "zhangsan", f"achievements/{aid}"),
        ("review.decide", "lead", f"achievements/{aid}"),
        ("bonus.propose", "lead", f"bonus_points/{bid}"),
        ("bonus.decide", "boss", f"bonus_points/{bid}"),
        ("exemplar.name", "boss", f"exemplars/{eid}"),
    ]
    record, edit, _, propose, decide, name = entries
    assert record["after"]["contract_value"] == 35.5 and record["after"]["contract_no"] == "2024440703000123"
    assert "note" not in record["after"] and "review_status" not in record["after"]
    assert (edit["before"]["contract_value"], edit["after"]["contract_value"]) == (35.5, 40.0)
    assert propose["after"]["status"] == "pending" and propose["after"]["points"] == 3.0
    assert propose["county"] == "新会区"  # the workstation's county: its county bureau sees it
    assert (decide["before"]["status"], decide["after"]["status"]) == ("pending", "approved")
    assert name["after"]["title"] == "优秀科技特派员" and name["after"]["subject_id"] == TEAM
    assert name["county"] == "新会区"  # the team's county

    # The same decision sent again (a replay, or an unchanged write) adds nothing.
    again = [change("bonus_points", bid, {"status": "approved"}, proposed["rev"] + 1)]
    server.push_ok("boss", again, batch_id="decide-again")
    server.push_ok("boss", again, batch_id="decide-again")
    assert len(trail(server)) == len(entries)


def test_the_act_is_named_from_what_changed() -> None:
    project = audit_fields("projects", project_fields())
    assert project is not None
    assert audit_action("projects", None, project) == "project.publish"
    assert audit_action("projects", project, None) == "project.withdraw"
    assert audit_action("projects", project, dict(project)) is None
    assert audit_action("projects", project, {**project, "budget": 60.0}) == "project.edit"
    failed = {**project, "status": "failed", "acceptance": "failed", "acceptance_opinion": "未达标"}
    assert audit_action("projects", project, failed) == "project.accept"
    bonus_kept = audit_fields("bonus_points", bonus())
    assert bonus_kept is not None
    rejected = {**bonus_kept, "status": "rejected", "review_opinion": "佐证不足"}
    assert audit_action("bonus_points", bonus_kept, rejected) == "bonus.decide"
    assert audit_action("bonus_points", rejected, {**rejected, "status": "pending"}) == "bonus.edit"
    long_plan = audit_fields("project_applications", application_fields("p", "c", plan="方" * 5000))
    assert long_plan is not None and len(long_plan["plan"]) == 200


def test_the_audit_screen_names_every_step() -> None:
    steps = {
        "project": (
            "publish edit withdraw award accept apply application_decide application_edit "
            "application_withdraw milestone_set milestone_done milestone_edit milestone_delete"
        ),
        "achievement": "record edit delete",
        "bonus": "propose decide edit withdraw",
        "exemplar": "name edit withdraw",
    }
    for prefix, names in steps.items():
        for name in names.split():
            label = ACTIONS[f"{prefix}.{name}"]
            assert label.zh and label.en and label.zh != label.en
