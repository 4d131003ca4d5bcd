"""Every user action callable without Qt: the operations in commissioner_app.ops, each asserting
what it does to the store and which record kinds it reports as changed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from commissioner_app.domain import (
    Achievement,
    AnnualSummary,
    Attachment,
    Commissioner,
    Demand,
    Review,
    ServiceTarget,
    Solution,
    Team,
    TechnicalProblem,
    Visit,
)
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops import OpChanges, OpResult, changes_of, drafts
from commissioner_app.ops import assessment as assessment_ops
from commissioner_app.ops import demands as demand_ops
from commissioner_app.ops import overview as overview_ops
from commissioner_app.ops import problems as problem_ops
from commissioner_app.ops import profile as profile_ops
from commissioner_app.ops import reference as reference_ops
from commissioner_app.ops import review as review_ops
from commissioner_app.ops import session as session_ops
from commissioner_app.ops import targets as target_ops
from commissioner_app.ops import visits as visit_ops
from commissioner_app.reference import reference

from .conftest import make_visit


def test_changes_say_which_kinds_changed_and_combine():
    visits = OpChanges.of("visits")
    assert visits.touches("visits", "problems") and not visits.touches("problems")
    assert OpChanges.all().touches("anything") and not OpChanges()
    both = visits | OpChanges.of("problems")
    assert both.tables == {"visits", "problems"}
    assert changes_of(OpResult(1, visits)) is visits and changes_of(visits) is visits
    assert changes_of(3) is None


def test_save_target_validates_and_reports_targets(store):
    with pytest.raises(ValidationError):
        target_ops.save_target(store, ServiceTarget(type="cooperative", name=""))
    assert store.all(ServiceTarget) == []
    done = target_ops.save_target(store, ServiceTarget(type="cooperative", name="桥美村陈皮合作社"))
    assert done.changes == OpChanges.of("service_targets")
    assert store.get(ServiceTarget, done.value.id).name == "桥美村陈皮合作社"


def test_save_problem_with_a_new_solution_keeps_both_or_neither(store, target):
    problem = store.save(TechnicalProblem(title="柑树缺镁黄化", target_id=target.id))
    problem.status = "solved"
    bad = Solution(problem_id=problem.id, description="")
    with pytest.raises(ValidationError):
        problem_ops.save_problem(store, problem, bad)
    assert store.get(TechnicalProblem, problem.id).status == "open"  # nothing half done
    good = Solution(problem_id=problem.id, description="叶面喷施硫酸镁，每周一次。")
    problem.solved_on = date.today()
    done = problem_ops.save_problem(store, problem, good)
    assert done.changes.touches("problems") and done.changes.touches("solutions")
    assert store.get(TechnicalProblem, problem.id).status == "solved"
    assert len(store.solutions_of_problem(problem.id)) == 1
    only = problem_ops.save_problem(store, problem)
    assert only.changes == OpChanges.of("problems")


def test_autosave_then_save_of_a_new_visit(store, target):
    visit = make_visit(target)
    problem = TechnicalProblem(title="木虱密度高", target_id=target.id, visit_id=visit.id)
    removed = TechnicalProblem(title="写错了的难题", target_id=target.id, visit_id=visit.id)
    state = {"origin": "new", "visit": {"id": visit.id}}
    first = visit_ops.autosave_visit(
        store, visit, state, as_draft=True, problems=[problem, removed], solutions=[], removed_problems=[]
    )
    assert first.changes.touches("visits") and first.saved_at
    assert store.row("visits", visit.id)["is_draft"] == 1
    assert drafts.load_state(store, visit.id)["state"] == state
    # An autosave of a saved visit only keeps the state aside: nothing changes for the lists.
    aside = visit_ops.autosave_visit(
        store, visit, state, as_draft=False, problems=[], solutions=[], removed_problems=[]
    )
    assert not aside.changes

    changes = visit_ops.save_visit(
        store,
        visit,
        [problem],
        [],
        draft=False,
        removed_problems=[removed.id],
        links={},
    )
    assert changes.touches("visits", "problems", "solutions", "attachments")
    assert store.row("visits", visit.id)["is_draft"] == 0
    assert store.get(TechnicalProblem, removed.id) is None  # the removed draft problem is gone
    assert drafts.pending(store) == []  # the autosaved state went with the save


def test_a_refused_visit_save_keeps_the_autosave(store, target):
    visit = make_visit(target, content="")
    drafts.save_state(store, visit.id, {"origin": "new"})
    with pytest.raises(ValidationError):
        visit_ops.save_visit(store, visit, [], [], draft=False, removed_problems=[], links={})
    assert store.row("visits", visit.id) is None
    assert [d["visit_id"] for d in drafts.pending(store)] == [visit.id]


def test_discarding_a_new_visits_autosave_removes_its_draft_records(store, target):
    visit = make_visit(target)
    problem = TechnicalProblem(title="木虱密度高", target_id=target.id, visit_id=visit.id)
    visit_ops.autosave_visit(
        store, visit, {"origin": "new"}, as_draft=True, problems=[problem], solutions=[], removed_problems=[]
    )
    changes = drafts.discard(store, visit.id)
    assert changes.touches("visits") and changes.touches("problems")
    assert store.get(Visit, visit.id) is None and store.get(TechnicalProblem, problem.id) is None
    assert drafts.pending(store) == []


def test_an_unreadable_autosave_is_ignored_not_fatal(store):
    store.set_meta(drafts.PREFIX + "x", "{not json")
    assert drafts.load_state(store, "x") is None


def test_review_details_and_decision(store, target):
    team = store.save(Team(name="陈皮产业科技特派团", county="新会区"))
    leader = store.save(Commissioner(name="林站长", sending_unit="五邑大学", team_id=team.id))
    member = store.save(Commissioner(name="王芳", sending_unit="暨南大学", team_id=team.id))
    visit = make_visit(target, commissioner_id=member.id)
    store.save_visit(visit)
    details = review_ops.review_details(store, visit.id)
    assert details["visit"]["commissioner_name"] == "王芳"
    assert details["visit"]["target_name"] == target.name
    assert details["record"]["pending"] == 1
    assert review_ops.review_details(store, "missing") == {}
    done = review_ops.decide_visits(store, [visit.id], "approved", leader, "")
    assert done.changes.touches("visits") and done.changes.touches("reviews")
    assert len(done.value) == 1 and store.get(Visit, visit.id).review_status == "approved"


def test_reference_edits_are_kept_and_marked_for_the_next_sync(store):
    county = reference(store, "county")[0]
    changes = reference_ops.save_towns(store, county.code, [("T1", "新镇", "New Town")])
    assert changes == OpChanges.of("reference_items")
    assert [t.name_zh for t in reference(store, "town", county.code)] == ["新镇"]
    assert store.get_meta(reference_ops.META_REFERENCE_EDITED.format(kind="town")) == "1"

    year = 2031
    text = reference_ops.rules_text(store, 2026).replace("year = 2026", f"year = {year}", 1)
    with pytest.raises(CommissionerError):
        reference_ops.save_rules(store, 2030, text)  # the text is for another year: nothing kept
    assert store.get_meta(reference_ops.META_RULES_EDITED.format(year=2030)) is None
    assert reference_ops.save_rules(store, year, text) == OpChanges.of("assessment_rules")
    assert reference_ops.rules_text(store, year) == text
    assert store.get_meta(reference_ops.META_RULES_EDITED.format(year=year)) == "1"


def test_annual_summary_saved_once_per_year(store):
    me = store.save_profile(Commissioner(name="李明", sending_unit="五邑大学"))
    first = assessment_ops.save_summary(store, me.id, 2026, "全年服务 40 次。")
    assert first.changes == OpChanges.of("annual_summaries")
    again = assessment_ops.save_summary(store, me.id, 2026, "全年服务 42 次。")
    assert again.value[0].id == first.value[0].id and again.value[0].text == "全年服务 42 次。"
    assert len(store.all(AnnualSummary)) == 1


def test_demand_published_then_taken_up(store):
    me = store.save_profile(Commissioner(name="李明", sending_unit="五邑大学"))
    published = demand_ops.publish_demand(store, Demand(title="鳗鱼病害防治", description="求技术"))
    assert published.changes == OpChanges.of("demands")
    taken = demand_ops.take_up_demand(store, published.value.id, me)
    assert taken.changes.touches("demands") and taken.changes.touches("problems")
    assert store.get(Demand, published.value.id).taken_by == me.id
    with pytest.raises(CommissionerError):
        demand_ops.take_up_demand(store, published.value.id, me)


def test_profile_saved_and_reported(store):
    done = profile_ops.save_profile(store, Commissioner(name="李明", sending_unit="五邑大学"))
    assert done.changes == OpChanges.of("commissioners")
    assert store.profile().name == "李明"


def test_overview_counts_open_problems(store, target):
    store.save_visit(make_visit(target, visit_date=date.today()))
    store.save(TechnicalProblem(title="甲", target_id=target.id, status="open"))
    store.save(TechnicalProblem(title="乙", target_id=target.id, status="in_progress"))
    figures = overview_ops.overview_figures(store)
    assert figures.open_problems == 2
    assert figures.visits_this_month == 1
    assert len(figures.recent) == 1


def test_a_managers_overview_counts_their_own_work_not_the_teams_they_pulled(store, target):
    """From a cold try: on a manager's laptop the 工作台 said 本月服务记录 1 and 被退回待修改的记录 1
    for a team member's visit the manager had just returned, though the manager had neither made a
    visit nor had one to correct. The figures and the recent list are the profile's own work."""
    me = store.save_profile(Commissioner(name="王站长", sending_unit="五邑大学"))
    store.save_visit(make_visit(target, visit_date=date.today()))
    store.save(TechnicalProblem(title="自己的", target_id=target.id, status="open"))
    member = "0190aaaa-0000-7000-8000-000000000001"  # a team member's records, as a pull stores them
    for _ in range(2):
        store.save_visit(make_visit(target, visit_date=date.today(), commissioner_id=member))
    returned = make_visit(target, visit_date=date.today(), commissioner_id=member)
    store.save_visit(returned)
    store.db.execute("UPDATE visits SET review_status = 'returned' WHERE id = ?", [returned.id])
    store.save(TechnicalProblem(title="成员的", target_id=target.id, status="open", commissioner_id=member))
    figures = overview_ops.overview_figures(store)
    assert figures.visits_this_month == 1
    assert figures.returned == 0
    assert figures.open_problems == 1
    assert [row["commissioner_id"] for row in figures.recent] == [me.id]


@pytest.mark.parametrize(
    ("stored", "user", "role"),
    [
        (None, None, "commissioner"),
        ("not json", None, "commissioner"),
        ('["a list"]', None, "commissioner"),
        ('{"role": "bureau", "username": "局"}', {"role": "bureau", "username": "局"}, "bureau"),
        ('{"role": "root"}', {"role": "root"}, "commissioner"),
    ],
)
def test_one_reader_of_the_session_user(store, stored, user, role):
    from sync import bureau_push, puller, session

    store.set_meta(session_ops.META_SESSION_USER, stored)
    assert session_ops.session_user(store) == user
    assert session_ops.session_role(store) == role
    # The sync layer reads it through the same function: a bad entry never raises anywhere.
    assert session.user_info(store) == user
    assert puller._user(store) == user
    assert bureau_push.is_bureau(store) == (role == "bureau")


def test_session_user_written_as_json(store):
    session_ops.set_session_user(store, {"role": "manager", "display_name": "林站长"})
    assert json.loads(store.get_meta("sync_user"))["display_name"] == "林站长"
    assert session_ops.session_role(store) == "manager"


def test_a_failure_writing_the_files_saves_nothing_of_the_visit(store, target):
    """write_attachments runs inside the visit's transaction: a failure there saves nothing."""
    from commissioner_app.i18n import Message

    visit = make_visit(target)

    def failing(_store):
        raise CommissionerError(Message("磁盘已满", "disk full"))

    with pytest.raises(CommissionerError):
        visit_ops.save_visit(
            store, visit, [], [], draft=False, removed_problems=[], links={}, write_attachments=failing
        )
    assert store.row("visits", visit.id) is None
    assert store.all(Attachment) == []


def test_a_visit_logged_by_mistake_is_deleted_with_what_was_recorded_on_it(store, target):
    """A visit logged twice (the reviewer's 同日重复) could only be edited: the application offered no
    way to remove it. Deleting takes its problems, solutions and files with it, as tombstones sync
    carries; an approved visit, a colleague's, and one whose problem was solved on another visit stay."""
    me = store.save_profile(Commissioner(name="王芳", sending_unit="五邑大学"))
    twice = make_visit(target, commissioner_id=me.id)
    problem = TechnicalProblem(title="柑橘黄龙病", description="叶片斑驳黄化", status="open")
    store.save_visit(
        twice, [problem], [Solution(problem_id=problem.id, description="砍除病株，统一防控木虱")]
    )
    photo = store.save(
        Attachment(owner_table="visits", owner_id=twice.id, sha256="a" * 64, original_name="现场.jpg")
    )
    changes = visit_ops.delete_visit(store, twice.id)
    assert changes.touches("visits", "problems", "solutions", "attachments")
    for table, record_id in (
        ("visits", twice.id),
        ("problems", problem.id),
        ("attachments", photo.id),
    ):
        row = store.row(table, record_id)
        assert row is not None and row["deleted"] == 1 and row["dirty"] == 1, table  # sent at the next sync
    assert all(store.row("solutions", s["id"])["deleted"] for s in store.db.query("SELECT id FROM solutions"))

    approved = make_visit(target, commissioner_id=me.id)
    store.save_visit(approved)
    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [approved.id])
    with pytest.raises(CommissionerError, match="审核通过"):
        visit_ops.delete_visit(store, approved.id)
    # Approved once, then edited (waiting for review again): the central store refuses it too, and
    # the problems deleted with it were lost everywhere.
    store.save(Review(record_id=approved.id, record_rev=1, decision="approved", reviewer_id="boss"))
    store.db.execute("UPDATE visits SET review_status = 'pending' WHERE id = ?", [approved.id])
    assert "审核通过" in visit_ops.visit_deletion_refusal(store, approved.id).zh
    theirs = make_visit(target, commissioner_id="colleague")
    store.save_visit(theirs)
    with pytest.raises(CommissionerError, match="只能删除本人"):
        visit_ops.delete_visit(store, theirs.id)
    raised = make_visit(target, commissioner_id=me.id)
    open_problem = TechnicalProblem(title="陈皮霉变", description="仓储受潮", status="open")
    store.save_visit(raised, [open_problem])
    later = make_visit(target, commissioner_id=me.id, visit_date=date.today())
    store.save_visit(later, [], [Solution(problem_id=open_problem.id, description="控制仓库湿度")])
    with pytest.raises(CommissionerError, match="陈皮霉变"):
        visit_ops.delete_visit(store, raised.id)
    evidence = make_visit(target, commissioner_id=me.id)
    store.save_visit(evidence)
    store.save(
        Achievement(
            commissioner_id=me.id,
            title="陈皮低温陈化技术",
            contract_no="HT-1",
            contract_date=date.today(),
            transferor="五邑大学",
            transferee="合作社",
            visit_ids=[evidence.id],
        )
    )
    with pytest.raises(CommissionerError, match="陈皮低温陈化技术"):
        visit_ops.delete_visit(store, evidence.id)
    # A demand taken up (揭榜): its problem is the demand's; deleted, the demand stayed taken for good.
    taken = make_visit(target, commissioner_id=me.id)
    store.save_visit(taken, [TechnicalProblem(title="荔枝保鲜", description="揭榜", demand_id="d-1")])
    assert "揭榜" in visit_ops.visit_deletion_refusal(store, taken.id).zh
    # The visit that solved a problem raised elsewhere: deleted, the problem stayed 已解决 unsolved.
    solver = make_visit(target, commissioner_id=me.id, visit_date=date.today())
    elsewhere = TechnicalProblem(title="柑橘溃疡病", description="叶斑", status="open")
    store.save_visit(make_visit(target, commissioner_id=me.id), [elsewhere])
    store.save_visit(solver, [], [Solution(problem_id=elsewhere.id, description="喷施铜制剂")])
    store.db.execute("UPDATE problems SET status = 'solved' WHERE id = ?", [elsewhere.id])
    assert "柑橘溃疡病" in visit_ops.visit_deletion_refusal(store, solver.id).zh
    # A problem solved in a 揭榜 project (its solution names no visit): the project's work stays.
    projected = make_visit(target, commissioner_id=me.id)
    worked = TechnicalProblem(title="鳗鱼养殖尾水", description="氨氮偏高", status="open")
    store.save_visit(projected, [worked])
    store.save(Solution(problem_id=worked.id, description="人工湿地净化", project_id="p-1"))
    assert "揭榜项目" in visit_ops.visit_deletion_refusal(store, projected.id).zh
    for kept in (approved, theirs, raised, evidence, taken, solver, projected):
        assert store.row("visits", kept.id)["deleted"] == 0


def test_a_deletion_kept_after_a_conflict_leaves_a_problem_solved_on_another_visit(store, target):
    """Kept after a conflict, a visit's deletion takes what was recorded on it (no refusal is
    possible then); a problem raised on it but solved on another visit stays, with that solution."""
    me = store.save_profile(Commissioner(name="王芳", sending_unit="五邑大学"))
    first, later = make_visit(target, commissioner_id=me.id), make_visit(target, commissioner_id=me.id)
    mine = TechnicalProblem(title="陈皮霉变", description="仓储受潮", status="open")
    kept = TechnicalProblem(title="柑橘溃疡病", description="叶斑", status="open")
    store.save_visit(first, [mine, kept], [Solution(problem_id=mine.id, description="通风除湿")])
    store.save_visit(later, [], [Solution(problem_id=kept.id, description="喷施铜制剂")])
    store.delete(Visit, first.id)
    visit_ops.delete_parts(store, first.id)
    assert store.get(TechnicalProblem, mine.id) is None and store.get(TechnicalProblem, kept.id) is not None
    assert [s.description for s in store.solutions_of_problem(kept.id)] == ["喷施铜制剂"]
