"""The assessment numbers against hand-computed cases, and against raw records of a demo store."""

from __future__ import annotations

import json
from datetime import date

import pytest

from commissioner_app.assessment import (
    Figures,
    MemberResult,
    Period,
    Scope,
    apply_excellent_cap,
    assess,
    choose_basis,
    publish,
    score_parts,
)
from commissioner_app.assessment_rules import (
    RulesError,
    bundled_years,
    load_rules,
    parse_rules,
    store_rules,
)
from commissioner_app.demo import generate_demo
from commissioner_app.domain import (
    AssessmentResult,
    Commissioner,
    ServiceTarget,
    Solution,
    Team,
    TechnicalProblem,
    Visit,
)
from commissioner_app.errors import ValidationError
from commissioner_app.store import Store

# Small round numbers so the expected scores can be worked out by hand in the comments.
RULES = """
year = 2025
# The ratings in these cases are the ones typed in with each visit.
satisfaction_source = "any"
[grades]
excellent = 90
good = 75
pass = 60
excellent_share_cap = 0.25
excellent_share_min_group = 4

[[parts]]
key = "service"
name_zh = "服务开展"
weight = 60
  [[parts.indicators]]
  metric = "service_days"
  target = 10
  points = 30
  cap = 36
  [[parts.indicators]]
  metric = "visits"
  target = 10
  points = 30

[[parts]]
key = "results"
name_zh = "服务成效"
weight = 20
  [[parts.indicators]]
  metric = "problems_solved"
  target = 2
  points = 20

[[parts]]
key = "satisfaction"
name_zh = "满意度"
weight = 20
  [[parts.indicators]]
  metric = "satisfaction_mean"
  target = 5
  points = 20
"""


def _visit(
    store: Store,
    who: Commissioner,
    target: ServiceTarget,
    day: str,
    rating: int | None = 5,
    review: str = "approved",
    problems: tuple[str, ...] = (),
    draft: bool = False,
) -> Visit:
    visit = Visit(
        commissioner_id=who.id,
        target_id=target.id,
        visit_date=date.fromisoformat(day),
        start_time="09:00",
        end_time="11:00",
        service_types=["guidance"],
        content="现场指导病虫害防治工作",
        confirm_satisfaction=rating,
        people_trained=0,
    )
    probs, sols = [], []
    for status in problems:
        p = TechnicalProblem(title="柑橘黄龙病", status=status)
        probs.append(p)
        if status == "solved":
            sols.append(Solution(problem_id=p.id, description="挖除病株并统防木虱"))
    store.save_visit(visit, probs, sols, draft=draft)
    if not draft:
        store.db.execute("UPDATE visits SET review_status = ? WHERE id = ?", [review, visit.id])
    return visit


@pytest.fixture
def case():
    """Two commissioners of one team with visits around the edges of 2025."""
    store = Store.memory()
    team = store.save(Team(name="新会区陈皮产业科技特派团", county="新会区"))
    a = store.save(Commissioner(name="李明", sending_unit="五邑大学", team_id=team.id))
    b = store.save(Commissioner(name="王芳", sending_unit="暨南大学"))
    target = store.save(ServiceTarget(type="village", name="会城街道东甲村", county="新会区"))
    # Counted for 李明: six approved visits on five days, the first and last days of the year included.
    _visit(store, a, target, "2025-01-01", 5, problems=("solved", "open"))
    _visit(store, a, target, "2025-03-01", 5)
    _visit(store, a, target, "2025-03-01", 4)
    _visit(store, a, target, "2025-05-10", 4)
    _visit(store, a, target, "2025-07-07", 5)
    _visit(store, a, target, "2025-12-31", 5)
    # Not counted: the day before the period, waiting for review, returned, a draft, deleted.
    _visit(store, a, target, "2024-12-31", 1, problems=("solved",))
    _visit(store, a, target, "2025-06-01", 1, review="pending", problems=("solved",))
    _visit(store, a, target, "2025-06-02", 1, review="returned")
    _visit(store, a, target, "2025-06-03", 1, draft=True)
    gone = _visit(store, a, target, "2025-06-04", 1)
    store.delete(Visit, gone.id)
    # 王芳: 30 visits on 30 days, far beyond every target.
    for day in range(1, 31):
        _visit(store, b, target, f"2025-04-{day:02d}", 5, problems=("solved",) if day <= 3 else ())
    return store, a, b, team, parse_rules(RULES)


def test_only_approved_visits_in_the_period_count(case):
    store, a, _, _, rules = case
    result = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules)
    assert result.basis == "approved"
    f = result.members[0].figures
    assert (f.visits, f.service_days) == (6, 5)
    assert f.satisfaction_mean == pytest.approx(28 / 6)
    assert f.problems_raised == 2  # both on the 2025-01-01 visit
    assert f.problems_solved == 1  # the pending visit's and last year's solved problems do not count


def test_scores_by_hand(case):
    store, a, _, _, rules = case
    m = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    service, results, satisfaction = m.parts
    assert service.score == pytest.approx(5 / 10 * 30 + 6 / 10 * 30)  # 15 + 18
    assert results.score == pytest.approx(1 / 2 * 20)
    assert satisfaction.score == pytest.approx((28 / 6) / 5 * 20)
    assert m.total == pytest.approx(33 + 10 + 18.6667, abs=1e-3)
    assert m.grade == "pass"


def test_indicator_caps_and_part_weight_cap(case):
    store, _, b, _, rules = case
    m = assess(store, Scope.commissioner(b.id), Period.year(2025), rules=rules).members[0]
    days, visits = m.parts[0].indicators
    assert days.score == 36  # 30 days of 10 would be 90 points: capped at 36
    assert visits.score == 30  # no cap given: the indicator's points are its cap
    assert m.parts[0].score == 60  # 66 capped at the part's weight
    assert m.parts[1].score == 20  # 3 solved of 2 capped
    assert m.total == pytest.approx(100)
    assert m.grade == "excellent"


def test_a_period_boundary(case):
    store, a, _, _, rules = case
    first_half = assess(
        store, Scope.commissioner(a.id), Period(date(2025, 1, 1), date(2025, 5, 9)), rules=rules
    )
    assert first_half.members[0].figures.visits == 3
    late = assess(
        store, Scope.commissioner(a.id), Period(date(2024, 12, 31), date(2024, 12, 31)), rules=rules
    )
    assert late.members[0].figures.visits == 1
    assert late.members[0].figures.problems_solved == 1


def test_grade_thresholds():
    rules = parse_rules(RULES)
    assert [rules.grade(x) for x in (100, 90, 89.96, 89.94, 75, 74.9, 60, 59.94, 0)] == [
        "excellent",
        "excellent",
        "excellent",
        "good",
        "good",
        "pass",
        "pass",
        "fail",
        "fail",
    ]


def _member(name: str, total: float) -> MemberResult:
    m = MemberResult(name, name, "", "", "", "", None, "", None, "", "", Figures(), total=total)
    m.grade_uncapped = m.grade = "excellent" if total >= 90 else "good"
    return m


def test_excellent_share_cap_lowers_the_lowest_ranked():
    rules = parse_rules(RULES)  # 25%, enforced from 4 people
    members = [_member(f"p{i}", t) for i, t in enumerate([99, 97, 95, 92, 91, 80, 80, 70])]
    applied, note = apply_excellent_cap(members, rules)
    assert applied
    assert [m.grade for m in members[:5]] == ["excellent", "excellent", "good", "good", "good"]
    assert [m.capped for m in members[:5]] == [False, False, True, True, True]
    assert "25%" in note.zh and "2" in note.zh


def test_share_cap_not_enforced_on_a_small_group():
    rules = parse_rules(RULES)
    members = [_member("a", 99), _member("b", 95), _member("c", 60)]
    applied, note = apply_excellent_cap(members, rules)
    assert not applied and all(not m.capped for m in members[:2])
    assert "未执行" in note.zh


def test_scopes_select_members(case):
    store, a, b, team, rules = case
    city = assess(store, period=Period.year(2025), rules=rules)
    assert {m.name for m in city.members} == {"李明", "王芳"}
    assert [m.name for m in city.subset(Scope.team(team.id)).members] == ["李明"]
    assert [m.name for m in city.subset(Scope.county("新会区")).members] == ["李明"]
    assert city.totals.visits == 36
    assert city.progress()[0].actual == 2


def test_basis_falls_back_when_review_is_not_in_use():
    store = Store.memory()
    who = store.save(Commissioner(name="张伟", sending_unit="五邑大学"))
    target = store.save(ServiceTarget(type="village", name="东甲村"))
    _visit(store, who, target, "2025-02-02", review="pending")
    assert choose_basis(store) == "complete"
    result = assess(store, period=Period.year(2025), rules=parse_rules(RULES))
    assert result.members[0].figures.visits == 1
    assert "审核尚未启用" in result.basis_note.zh


def test_satisfaction_without_ratings_scores_zero():
    parts = score_parts(Figures(visits=3), parse_rules(RULES))
    assert parts[2].score == 0 and parts[2].indicators[0].actual is None


# --- rules files -------------------------------------------------------------------------------


def test_bundled_rules_load():
    assert {2025, 2026} <= set(bundled_years())
    for year in (2025, 2026):
        rules = load_rules(None, year)
        assert rules.year == year
        assert [p.weight for p in rules.parts] == [60, 20, 20]
        assert (rules.excellent, rules.good, rules.pass_mark) == (90, 75, 60)


def test_a_year_without_rules_uses_the_latest_earlier_and_says_so():
    rules = load_rules(None, 2031)
    assert rules.year == max(bundled_years())
    assert "2031" in rules.notes[0].zh


def test_bad_rules_name_every_problem_in_both_languages():
    bad = RULES.replace("weight = 60", "weight = 50").replace('metric = "visits"', 'metric = "hours"')
    with pytest.raises(RulesError) as err:
        parse_rules(bad, "x.toml")
    zh, en = err.value.message.zh, err.value.message.en
    assert "hours" in zh and "hours" in en
    assert "100" in zh and "100" in en
    with pytest.raises(RulesError, match="TOML"):
        parse_rules("year = ", "y.toml")


def test_rules_from_the_bureau_win_over_bundled():
    store = Store.memory()
    text = RULES.replace("year = 2025", "year = 2026")
    store_rules(store, 2026, text)
    rules = load_rules(store, 2026)
    assert rules.source == "sync" and rules.parts[0].indicators[0].target == 10
    with pytest.raises(RulesError):
        store_rules(store, 2027, text)  # the year inside must match


def test_rules_pulled_by_sync_are_the_ones_used():
    store = Store.memory()
    text = RULES.replace("year = 2025", "year = 2026")
    store.db.execute("INSERT INTO assessment_rules (year, toml) VALUES (2026, ?)", [text])
    rules = load_rules(store, 2026)
    assert rules.source == "sync" and rules.parts[0].indicators[0].target == 10


# --- a demo store, recomputed by hand from raw rows ---------------------------------------------


def test_figures_recomputed_from_raw_records():
    store = Store.memory()
    generate_demo(store, visits=1200, commissioners=6, seed=11, end=date(2026, 6, 30))
    year = 2025
    result = assess(store, period=Period.year(year))
    assert result.basis == "approved"
    visits = [dict(r) for r in store.db.query("SELECT * FROM visits")]
    problems = [dict(r) for r in store.db.query("SELECT * FROM problems")]
    solutions = [
        dict(r) for r in store.db.query("SELECT * FROM solutions WHERE deleted = 0 AND is_draft = 0")
    ]
    by_id = {v["id"]: v for v in visits}
    problem_visit = {p["id"]: p["visit_id"] for p in problems}

    def counted(v: dict) -> bool:
        return not v["deleted"] and not v["is_draft"] and v["review_status"] == "approved"

    for m in result.members[:4]:
        mine = [
            v
            for v in visits
            if v["commissioner_id"] == m.commissioner_id
            and counted(v)
            and v["visit_date"].startswith(str(year))
        ]
        # The bundled rules count a rating from a signed sheet the reviewer accepted (the demo's).
        ratings = [
            v["confirm_satisfaction"]
            for v in mine
            if v["confirm_satisfaction"] is not None and v["confirm_sheet_accepted"]
        ]
        # Solved: through a solution given on a counted visit (its own, else its problem's).
        solved_through = {
            s["problem_id"]
            for s in solutions
            if (s["visit_id"] or problem_visit.get(s["problem_id"])) in by_id
            and counted(by_id[s["visit_id"] or problem_visit[s["problem_id"]]])
        }
        solved = [
            p
            for p in problems
            if p["commissioner_id"] == m.commissioner_id
            and not p["deleted"]
            and not p["is_draft"]
            and p["status"] == "solved"
            and (p["solved_on"] or "").startswith(str(year))
            and p["id"] in solved_through
        ]
        f = m.figures
        assert f.visits == len(mine)
        assert f.service_days == len({v["visit_date"] for v in mine})
        assert f.people_trained == sum(v["people_trained"] for v in mine)
        assert f.economic_benefit == pytest.approx(sum(v["economic_benefit"] for v in mine))
        assert ratings and f.satisfaction_mean == pytest.approx(sum(ratings) / len(ratings))
        assert f.satisfaction_from_party == 0  # nobody confirmed on the page in the demo
        assert f.problems_solved == len(solved)
        assert len(mine) > 0
        types = [t for v in mine for t in json.loads(v["service_types"])]
        assert f.training_sessions == sum(v["training_sessions"] for v in mine) and "guidance" in types


# --- only reviewed work counts ------------------------------------------------------------------


def _problem_alone(store: Store, who: Commissioner, day: str, *, solved: bool = True) -> TechnicalProblem:
    """A problem typed in without a visit, with a solution given without a visit either."""
    problem = TechnicalProblem(
        commissioner_id=who.id,
        title="鳗鱼烂鳃病",
        status="solved" if solved else "open",
        source="target_request",
        raised_on=date.fromisoformat(day),
        solved_on=date.fromisoformat(day) if solved else None,
    )
    store.db.execute("BEGIN")  # the application saves a problem and its first solution together
    store._write(problem, False)
    store._write(Solution(problem_id=problem.id, commissioner_id=who.id, description="换水消毒"), False)
    store.db.execute("COMMIT")
    return problem


def test_problems_without_a_reviewed_visit_count_for_nobody(case):
    store, a, _, _, rules = case
    before = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    for day in ("2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04", "2025-02-05"):
        _problem_alone(store, a, day)
    after = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    assert (after.figures.problems_solved, after.figures.problems_raised) == (1, 2)
    assert after.total == pytest.approx(before.total)


def test_a_problem_without_a_visit_counts_once_solved_on_an_approved_visit(case):
    store, a, _, _, rules = case
    target = store.db.execute("SELECT id FROM service_targets").fetchone()[0]
    problem = _problem_alone(store, a, "2025-08-01", solved=False)
    problem.status, problem.solved_on = "solved", date(2025, 8, 2)
    solving = Visit(
        commissioner_id=a.id,
        target_id=target,
        visit_date=date(2025, 8, 2),
        start_time="09:00",
        end_time="10:00",
        service_types=["guidance"],
        content="复查鳗鱼池并给出处理方案",
    )
    store.save_visit(solving, [problem], [Solution(problem_id=problem.id, description="调整投喂与水质")])
    pending = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    assert pending.figures.problems_solved == 1  # the solving visit waits for review
    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [solving.id])
    approved = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    assert approved.figures.problems_solved == 2
    # Saved with the visit that solved it, the problem is now that visit's and counts as raised too.
    assert approved.figures.problems_raised == 3


def test_changing_a_problem_of_an_approved_visit_sends_the_visit_back_to_review(case):
    store, a, _, _, _ = case
    visit_id, problem_id = store.db.execute(
        "SELECT v.id, p.id FROM visits v JOIN problems p ON p.visit_id = v.id "
        "WHERE v.visit_date = '2025-01-01' AND p.status = 'open'"
    ).fetchone()
    problem = store.require(TechnicalProblem, problem_id)
    store.save(problem)  # unchanged: nothing to review again
    assert store.require(Visit, visit_id).review_status == "approved"
    problem.description = "补充：叶片斑驳黄化"
    store.save(problem)
    assert store.require(Visit, visit_id).review_status == "pending"

    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [visit_id])
    visit = store.require(Visit, visit_id)
    store.save_visit(visit, [], [Solution(problem_id=problem_id, description="挖除病株并统防木虱")])
    assert store.require(Visit, visit_id).review_status == "pending"

    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [visit_id])
    store.delete(TechnicalProblem, problem_id)
    assert store.require(Visit, visit_id).review_status == "pending"


def test_a_deactivated_commissioner_is_assessed_for_the_period_they_served(case):
    store, a, _, _, rules = case
    a.deactivated_on, a.deactivation_reason = date(2025, 6, 30), "派出单位调回"
    store.save(a)
    in_2025 = assess(store, None, Period.year(2025), rules=rules)
    assert in_2025.member(a.id) is not None and in_2025.member(a.id).figures.visits == 6
    in_2026 = assess(store, None, Period.year(2026), rules=rules)
    assert in_2026.member(a.id) is None and in_2026.population == 1
    a.deactivation_reason = ""
    with pytest.raises(ValidationError):
        store.save(a)


# --- whose satisfaction counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "mean", "count"),
    [
        ("served_party", 2, 1),  # only the party's own rating on the page
        ("accepted_sheet", (3 + 2) / 2, 2),  # the page's, else an accepted sheet's
        ("any", (5 + 3 + 2) / 3, 3),  # the page's, else whatever the commissioner typed in
    ],
)
def test_satisfaction_counts_by_its_source(case, source, mean, count):
    store, _, _, _, _ = case
    who = store.save(Commissioner(name="赵敏", sending_unit="五邑大学"))
    target = store.save(ServiceTarget(type="village", name="双水镇桥美村", county="新会区"))
    typed = _visit(store, who, target, "2025-09-01", 5)  # typed in by the commissioner only
    sheet = _visit(store, who, target, "2025-09-02", 3)  # from a signed sheet the reviewer accepted
    store.db.execute("UPDATE visits SET confirm_sheet_accepted = 1 WHERE id = ?", [sheet.id])
    party = _visit(store, who, target, "2025-09-03", 4)  # typed 4; the served party said 2 themselves
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, decision, satisfaction, name, dirty) "
        "VALUES (?, ?, ?, ?, ?, 0)",
        [f"c-{party.id}", party.id, "confirmed", 2, "陈伟"],
    )
    rules = parse_rules(RULES.replace('satisfaction_source = "any"', f'satisfaction_source = "{source}"'))
    f = assess(store, Scope.commissioner(who.id), Period.year(2025), rules=rules).members[0].figures
    assert typed.id and f.satisfaction_count == count and f.satisfaction_mean == pytest.approx(mean)
    assert f.satisfaction_from_party == 1


def test_an_unknown_satisfaction_source_is_refused():
    with pytest.raises(RulesError) as raised:
        parse_rules(RULES.replace('satisfaction_source = "any"', 'satisfaction_source = "self"'))
    assert "satisfaction_source" in raised.value.message.en


def test_documents_say_how_many_ratings_came_from_the_served_party(case):
    store, a, _, _, rules = case
    visit_id = store.db.execute("SELECT id FROM visits WHERE visit_date = '2025-03-01' LIMIT 1").fetchone()[0]
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, satisfaction, name, dirty) VALUES (?, ?, 3, '陈伟', 0)",
        [f"c-{visit_id}", visit_id],
    )
    m = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    note = m.satisfaction_note(rules)
    assert note.zh.startswith("满意度：计入 6 条评价，其中服务对象扫码自行评价 1 条")
    assert "1 given by the served party themselves" in note.en


# --- one official result --------------------------------------------------------------------------


def test_what_is_missing_for_the_next_grade_by_hand(case):
    store, a, _, _, rules = case
    m = assess(store, Scope.commissioner(a.id), Period.year(2025), rules=rules).members[0]
    gap = m.next_grade_gap(rules)
    # 61.7 points: 13.3 short of 良好 (75). Service days give 3 points each with 21 points of room:
    # 5 more days. Visits (12 points of room) and problems solved (10) cannot close the gap alone.
    assert gap is not None and gap.zh.startswith("距良好（75分）还差 13.3 分")
    assert "服务天数（天）再增加 5" in gap.zh and "访" not in gap.zh and "难题" not in gap.zh
    assert "5 more service days" in gap.en


def test_published_results_replace_the_estimate_everywhere(case):
    store, a, b, _, rules = case
    before = assess(store, None, Period.year(2025), rules=rules)
    assert before.member(a.id).status_label.zh == "预估（未发布）"
    assert publish(store, 2025, "市科技局", rules=rules) == 2
    # The record of a.id says what the bureau computed; a change made later is not official.
    store.db.execute(
        "UPDATE assessment_results SET total = 91.5, grade = 'excellent' WHERE commissioner_id = ?", [a.id]
    )
    after = assess(store, None, Period.year(2025), rules=rules)
    m = after.member(a.id)
    assert (m.total, m.grade) == (91.5, "excellent") and m.status_label.zh.startswith("正式结果（")
    assert after.members[0].commissioner_id in (a.id, b.id)
    # A part of the year is always an estimate: nothing was published for it.
    half = assess(store, None, Period(date(2025, 1, 1), date(2025, 6, 30)), rules=rules)
    assert half.member(a.id).status_label.zh == "预估（未发布）"
    assert store.get(AssessmentResult, f"2025:{a.id}").published_by == "市科技局"


def test_a_commissioner_without_team_or_workstation_is_assessed_in_their_own_county(tmp_path):
    """A cold try: a roster's commissioner of 台山市 with no team or workstation had a blank county
    in the assessment (and so in every table and annual record made from it). Their own county
    comes first, then their team's, then their workstation's."""
    store = Store.open(tmp_path / "d")
    try:
        team = store.save(Team(name="陈皮团", county="新会区"))
        alone = store.save(Commissioner(name="王五", sending_unit="五邑大学", county="台山市"))
        teamed = store.save(Commissioner(name="赵六", sending_unit="五邑大学", team_id=team.id))
        both = store.save(
            Commissioner(name="钱七", sending_unit="五邑大学", team_id=team.id, county="开平市")
        )
        a = assess(store, period=Period.year(2026))
        counties = {m.commissioner_id: m.county for m in a.members}
        assert counties == {alone.id: "台山市", teamed.id: "新会区", both.id: "开平市"}
    finally:
        store.close()
