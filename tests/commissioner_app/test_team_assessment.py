"""Team and workstation assessment (科技特派团、工作站考核) and bonuses (加分项) against hand-computed
cases, the cap on bonuses included; the plan's yearly targets by county."""

from __future__ import annotations

from datetime import date

import pytest

from commissioner_app.assessment import Period, assess, assess_groups
from commissioner_app.assessment_rules import RulesError, load_rules, parse_rules
from commissioner_app.domain import (
    BonusPoint,
    Commissioner,
    ServiceAgreement,
    ServiceTarget,
    Solution,
    Team,
    TechnicalProblem,
    Visit,
    Workstation,
)
from commissioner_app.store import Store
from tests.commissioner_app.test_assessment import RULES

GROUP_RULES = """
[team]
bonus_cap = 5
  [[team.indicators]]
  metric = "members_mean"
  target = 80
  points = 60
  [[team.indicators]]
  metric = "counties_covered"
  target = 2
  points = 20
  [[team.indicators]]
  metric = "problems_solved"
  target = 2
  points = 20
  cap = 30

[workstation]
bonus_cap = 8
  [[workstation.indicators]]
  metric = "targets_served"
  target = 4
  points = 50
  [[workstation.indicators]]
  metric = "members_active_share"
  target = 100
  points = 50
"""


def _visit(store: Store, who: Commissioner, target: ServiceTarget, day: str, solved: int = 0) -> None:
    visit = Visit(
        commissioner_id=who.id,
        target_id=target.id,
        visit_date=date.fromisoformat(day),
        start_time="09:00",
        end_time="11:00",
        county=target.county,
        service_types=["guidance"],
        content="现场指导柑橘黄龙病防治",
        confirm_satisfaction=5,
    )
    problems = [TechnicalProblem(title="柑橘黄龙病", status="solved") for _ in range(solved)]
    solutions = [Solution(problem_id=p.id, description="挖除病株") for p in problems]
    store.save_visit(visit, problems, solutions)
    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [visit.id])


def _bonus(store: Store, kind: str, subject: str, points: float, status: str) -> None:
    store.save(
        BonusPoint(
            year=2025,
            subject_kind=kind,
            subject_id=subject,
            points=points,
            reason="获评省级优秀科技特派团",
            evidence="粤科函〔2025〕12号",
            status=status,
            review_opinion="材料不全" if status == "rejected" else "",
        )
    )


@pytest.fixture
def case():
    store = Store.memory()
    team = store.save(Team(name="新会区陈皮产业科技特派团", county="新会区"))
    empty = store.save(Team(name="恩平市预制菜科技特派团", county="恩平市"))
    station = store.save(Workstation(name="大泽镇科技特派员工作站", county="新会区"))
    a = store.save(
        Commissioner(name="李明", sending_unit="五邑大学", team_id=team.id, workstation_id=station.id)
    )
    b = store.save(Commissioner(name="王芳", sending_unit="暨南大学", team_id=team.id))
    store.save(Commissioner(name="陈静", sending_unit="广东工业大学", workstation_id=station.id))
    t1 = store.save(ServiceTarget(type="village", name="会城街道东甲村", county="新会区"))
    t2 = store.save(ServiceTarget(type="village", name="台城街道南坑村", county="台山市"))
    # 李明: 10 visits on 10 days, one problem solved, all rated 5:
    # 30 + 30 (service) + 1/2 × 20 (results) + 20 (satisfaction) = 90.
    for day in range(1, 11):
        _visit(store, a, t1, f"2025-03-{day:02d}", solved=1 if day == 1 else 0)
    # 王芳: 5 visits on 5 days in 台山市: 15 + 15 + 0 + 20 = 50.
    for day in range(1, 6):
        _visit(store, b, t2, f"2025-04-{day:02d}")
    # 陈静: nothing: 0.
    # Team bonuses: approved 3 + 4 = 7 over the cap of 5; a pending 10 and a rejected 2 count nothing.
    _bonus(store, "team", team.id, 3, "approved")
    _bonus(store, "team", team.id, 4, "approved")
    _bonus(store, "team", team.id, 10, "pending")
    _bonus(store, "team", team.id, 2, "rejected")
    _bonus(store, "workstation", station.id, 2, "approved")
    _bonus(store, "team", team.id, 5, "approved")
    store.db.execute("UPDATE bonus_points SET year = 2024 WHERE points = 5")  # another year's
    rules = parse_rules(RULES + GROUP_RULES)
    city = assess(store, period=Period.year(2025), rules=rules)
    return store, city, team, empty, station


AGREEMENT_RULES = """
[team]
  [[team.indicators]]
  metric = "members_mean"
  target = 80
  points = 50
  [[team.indicators]]
  metric = "agreements_completed"
  target = 100
  points = 50

[workstation]
  [[workstation.indicators]]
  metric = "agreements_completed"
  target = 100
  points = 100
"""


def _agreement(store: Store, who: str, target: str, start: str, end: str, visits: int, status: str) -> None:
    store.save(
        ServiceAgreement(
            commissioner_id=who,
            target_id=target,
            start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end),
            agreed={"visits": visits},
            status=status,
        )
    )


def test_agreements_completed_by_hand_with_the_period_boundaries(case):
    store, _, team, empty, station = case
    li, wang, chen = (
        store.db.execute("SELECT id FROM commissioners WHERE name = ?", [n]).fetchone()[0]
        for n in ("李明", "王芳", "陈静")
    )
    t1, t2 = (
        store.db.execute("SELECT id FROM service_targets WHERE name = ?", [n]).fetchone()[0]
        for n in ("会城街道东甲村", "台城街道南坑村")
    )
    # Due in 2025 (end date within 2025-01-01..2025-12-31, both ends included):
    _agreement(store, li, t1, "2025-01-01", "2025-12-31", 10, "signed")  # 10 visits of 10: completed
    _agreement(store, wang, t2, "2025-01-01", "2025-04-03", 4, "midterm")  # Apr 1-3: 3 of 4: not
    # Marked 已完成 with 50 visits agreed and not made: not completed (the mark is the owner's word).
    _agreement(store, wang, t2, "2024-07-01", "2025-01-01", 50, "completed")
    # Not counted: ends after the period (not due yet), ended the year before, a draft, not a member.
    _agreement(store, li, t1, "2025-06-01", "2026-01-01", 1, "signed")
    _agreement(store, li, t1, "2024-01-01", "2024-12-31", 1, "signed")
    _agreement(store, li, t1, "2025-01-01", "2025-06-30", 99, "draft")
    _agreement(store, chen, t1, "2025-01-01", "2025-12-31", 1, "terminated")  # the station's only
    city = assess(store, period=Period.year(2025), rules=parse_rules(RULES + AGREEMENT_RULES))
    teams = {r.group_id: r for r in assess_groups(store, city, "team")}
    mean, agreements = teams[team.id].indicators
    assert agreements.actual == pytest.approx(100 / 3)  # 1 of the 3 due
    assert agreements.score == pytest.approx(100 / 3 / 100 * 50)  # 16.67
    assert mean.score == pytest.approx(70 / 80 * 50)  # 43.75
    assert teams[team.id].base == pytest.approx(43.75 + 50 / 3)
    # A team with no agreement due: no figure, no points.
    assert teams[empty.id].indicators[1].actual is None and teams[empty.id].base == 0
    # The workstation (李明 and 陈静): 李明's one due agreement completed, 陈静's terminated one not.
    (station_result,) = assess_groups(store, city, "workstation")
    assert station_result.group_id == station.id
    assert station_result.indicators[0].actual == 50 and station_result.base == 50
    # In 2026 the agreement ending 2026-01-01 is due: 李明 made no visit from June 2025 on, so not met.
    later = assess(store, period=Period.year(2026), rules=parse_rules(RULES + AGREEMENT_RULES))
    next_year = {r.group_id: r for r in assess_groups(store, later, "team")}
    assert next_year[team.id].indicators[1].actual == 0


def test_members_score_as_worked_out(case):
    _, city, *_ = case
    assert {m.name: round(m.total, 4) for m in city.members} == {"李明": 90, "王芳": 50, "陈静": 0}


def test_team_score_by_hand_with_the_bonus_cap(case):
    store, city, team, empty, _ = case
    results = {r.group_id: r for r in assess_groups(store, city, "team")}
    r = results[team.id]
    mean, counties, solved = r.indicators
    assert mean.actual == 70 and mean.score == pytest.approx(70 / 80 * 60)  # 52.5
    assert counties.actual == 2 and counties.score == 20  # 新会区 and 台山市
    assert solved.actual == 1 and solved.score == 10
    assert r.base == pytest.approx(82.5)
    assert r.bonus_claimed == 7  # the approved ones of 2025 only
    assert r.bonus == 5 and r.bonus_capped  # capped by the rules
    assert r.total == pytest.approx(87.5)
    assert r.grade == "good"
    assert "上限 5" in r.bonus_note.zh and "1 项待审核" in r.bonus_note.zh
    assert (r.members, r.active_members) == (2, 2)
    nobody = results[empty.id]
    assert (nobody.members, nobody.base, nobody.total, nobody.grade) == (0, 0, 0, "fail")


def test_workstation_score_by_hand_below_the_cap(case):
    store, city, _, _, station = case
    (r,) = assess_groups(store, city, "workstation")
    targets, active = r.indicators
    assert targets.actual == 1 and targets.score == pytest.approx(12.5)  # 李明's one village of 4
    assert active.actual == 50 and active.score == 25  # 陈静 did not serve
    assert r.base == pytest.approx(37.5)
    assert r.bonus == 2 and not r.bonus_capped
    assert r.total == pytest.approx(39.5)
    assert r.grade == "fail"


def test_a_deleted_bonus_counts_nothing(case):
    store, city, team, *_ = case
    for row in store.db.query(
        "SELECT id FROM bonus_points WHERE subject_id = ? AND status = 'approved'", [team.id]
    ):
        store.delete(BonusPoint, row["id"])
    r = next(r for r in assess_groups(store, city, "team") if r.group_id == team.id)
    assert r.bonus == 0 and r.total == pytest.approx(82.5)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"points": 0}, "points"),
        ({"points": 25}, "points"),
        ({"reason": " "}, "reason"),
        ({"evidence": ""}, "evidence"),
        ({"status": "rejected"}, "review_opinion"),
        ({"subject_kind": "county"}, "subject_kind"),
        ({"year": 1999}, "year"),
    ],
)
def test_a_bad_bonus_is_refused(changes, problem):
    values = dict(
        year=2025,
        subject_kind="team",
        subject_id="t1",
        points=3,
        reason="获奖",
        evidence="文件",
        status="pending",
    )
    values.update(changes)
    assert problem in {i.field for i in BonusPoint(**values).validate()}


def test_group_rules_are_checked():
    bad = RULES + GROUP_RULES.replace("points = 60", "points = 50").replace('"problems_solved"', '"nonsense"')
    with pytest.raises(RulesError) as err:
        parse_rules(bad)
    text = str(err.value.message.zh)
    assert "nonsense" in text and "[team]" in text


def test_bundled_rules_carry_the_2025_milestone_and_county_targets():
    rules = load_rules(None, 2025)
    assert rules.plan_active_commissioners == 800  # the plan: 800 commissioners serving by 2025
    assert load_rules(None, 2026).plan_active_commissioners == 1000
    counties = {c.county: c for c in rules.county_targets}
    assert len(counties) == 7
    assert sum(c.active_commissioners for c in counties.values()) == 800
    assert rules.county_target("台山市") is not None
    assert rules.group("team").bonus_cap > 0
    for year in (2025, 2026):
        team = load_rules(None, year).group("team")
        assert sum(i.points for i in team.indicators) == 100
        assert "agreements_completed" in {i.metric for i in team.indicators}


def test_county_targets_are_checked():
    text = RULES + '\n[plan.counties."台山市"]\nactive_commissioners = -1\nvisitors = 3\n'
    with pytest.raises(RulesError) as err:
        parse_rules(text)
    assert "visitors" in err.value.message.en and "台山市" in err.value.message.zh


def test_the_bureaus_rules_set_the_county_targets_the_city_view_shows(case):
    from commissioner_app.assessment_rules import store_rules
    from commissioner_app.ops.city import city_figures

    store, *_ = case
    text = (
        RULES
        + GROUP_RULES
        + '\n[plan]\nactive_commissioners = 800\n[plan.counties."新会区"]\nactive_commissioners = 4\n'
        + "problems_solved = 2\n"
    )
    store_rules(store, 2025, text)  # what the bureau's edited rules file does once it arrives
    figures = city_figures(store, 2025)
    assert figures.plan_active == 800
    (xinhui,) = [c for c in figures.counties if c.county == "新会区"]
    assert xinhui.has_targets
    line = xinhui.line("active_commissioners")
    assert (line.actual, line.target, line.ratio) == (1, 4, 0.25)  # 李明 served there
    assert xinhui.line("problems_solved").actual == 1
    (taishan,) = [c for c in figures.counties if c.county == "台山市"]
    assert not taishan.has_targets and taishan.line("active_commissioners").actual == 1
    assert xinhui.line("achievements").actual == 0  # none approved in this store


def test_approved_achievements_and_transaction_value_count_per_county_of_the_served_party():
    from commissioner_app.plan_lists import achievement_counts

    store = Store.memory()
    assert achievement_counts(store, "2025-01-01", "2025-12-31") == {
        "achievements": {},
        "transaction_value": {},
    }
    for target, county in (("t-ts", "台山市"), ("t-kp", "开平市")):
        store.db["service_targets"].insert({"id": target, "name": target, "county": county})
    for i, (target, value, day, deleted, status) in enumerate(
        [
            ("t-ts", 120.5, "2025-03-01", 0, "approved"),
            ("t-ts", 30, "2025-08-01", 0, "approved"),
            ("t-ts", 99, "2025-09-01", 1, "approved"),  # deleted
            ("t-ts", 7, "2025-09-02", 0, "pending"),  # not reviewed yet
            ("t-kp", 10, "2024-12-31", 0, "approved"),  # the year before
        ]
    ):
        store.db["achievements"].insert(
            {
                "id": str(i),
                "target_id": target,
                "contract_value": value,
                "contract_date": day,
                "deleted": deleted,
                "review_status": status,
            }
        )
    assert achievement_counts(store, "2025-01-01", "2025-12-31") == {
        "achievements": {"台山市": 2},
        "transaction_value": {"台山市": 150.5},
    }
