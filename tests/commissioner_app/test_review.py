from datetime import date, timedelta

import pytest

from commissioner_app.activity import city_overview, team_activity, town_breakdown, weekly_visits
from commissioner_app.demands import demand_progress, open_demands, take_up
from commissioner_app.domain import Commissioner, Demand, Team, Visit
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.review import changes_since_approval, decide, review_backlog, review_queue

from .conftest import make_visit


@pytest.fixture
def team(store, target):
    team = Team(name="新会区陈皮产业科技特派团", county="新会区")
    store.save(team)
    leader = Commissioner(name="林站长", sending_unit="五邑大学", team_id=team.id)
    members = [Commissioner(name=n, sending_unit="暨南大学", team_id=team.id) for n in ("王芳", "李强")]
    outsider = Commissioner(name="外队", sending_unit="暨南大学", team_id="other")
    for person in (leader, *members, outsider):
        store.save(person)
    return leader, members, outsider


def submit(store, target, who, days_ago=1, **kw):
    visit = make_visit(
        target, commissioner_id=who.id, visit_date=date.today() - timedelta(days=days_ago), **kw
    )
    store.save_visit(visit)
    return visit


def test_queue_holds_the_teams_pending_visits_newest_first(store, target, team):
    leader, (wang, li), outsider = team
    old = submit(store, target, wang, days_ago=5)
    new = submit(store, target, li, days_ago=1)
    submit(store, target, outsider)
    submit(store, target, leader)  # a leader does not review their own records
    draft = Visit(target_id=target.id, commissioner_id=wang.id, content="未完成")
    store.save_visit(draft, draft=True)
    queue = review_queue(store, leader)
    assert [r["id"] for r in queue] == [new.id, old.id]
    assert queue[0]["commissioner_name"] == "李强" and queue[0]["target_name"] == target.name
    assert review_backlog(store, leader) == 2


def test_approve_several_and_return_with_opinion(store, target, team):
    leader, (wang, li), _ = team
    a, b, c = (submit(store, target, wang) for _ in range(3))
    before = store.waiting_to_sync()
    reviews = decide(store, [a.id, b.id], "approved", leader)
    assert len(reviews) == 2 and all(r.reviewer_name == "林站长" for r in reviews)
    assert store.get(Visit, a.id).review_status == "approved"
    assert store.row("visits", a.id)["dirty"] == 1  # unchanged: still the commissioner's unsent record
    assert store.waiting_to_sync() == before + 2  # the two reviews travel, not the visits
    with pytest.raises(ValidationError):
        decide(store, [c.id], "returned", leader, opinion=" ")
    decide(store, [c.id], "returned", leader, opinion="请补充现场照片")
    assert store.get(Visit, c.id).review_opinion == "请补充现场照片"
    assert review_queue(store, leader) == []


def test_a_reviewer_cannot_decide_outside_the_team_and_nothing_is_half_done(store, target, team):
    leader, (wang, _), outsider = team
    mine = submit(store, target, wang)
    theirs = submit(store, target, outsider)
    with pytest.raises(CommissionerError):
        decide(store, [mine.id, theirs.id], "approved", leader)
    assert store.get(Visit, mine.id).review_status == "pending"
    assert store.db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_edit_after_approval_returns_to_queue_showing_what_changed(store, target, team):
    leader, (wang, _), _ = team
    visit = submit(store, target, wang)
    decide(store, [visit.id], "approved", leader)
    store.actor = wang.id
    edited = store.get(Visit, visit.id)
    edited.people_trained = 60
    store.save_visit(edited)
    assert [r["id"] for r in review_queue(store, leader)] == [visit.id]
    assert review_queue(store, leader)[0]["was_approved"]
    assert changes_since_approval(store, visit.id) == {"people_trained": [35, 60]}


def test_team_activity_and_idle_members(store, target, team):
    leader, (wang, li), _ = team
    submit(store, target, wang, days_ago=2)
    submit(store, target, wang, days_ago=2)
    submit(store, target, wang, days_ago=3)
    submit(store, target, li, days_ago=45)
    rows = {
        m.name: m
        for m in team_activity(
            store, team_id=wang.team_id, date_from=date.today() - timedelta(days=90), date_to=date.today()
        )
    }
    assert (rows["王芳"].visits, rows["王芳"].service_days, rows["王芳"].pending_reviews) == (3, 2, 3)
    assert not rows["王芳"].idle
    assert rows["李强"].idle and rows["林站长"].idle and rows["林站长"].last_visit is None
    weeks = weekly_visits(store, [wang.id, li.id], date.today() - timedelta(days=60), date.today())
    assert sum(n for _, n in weeks) == 4
    assert all(w.weekday() == 0 for w, _ in weeks)


def test_city_overview_counts_by_county_and_type(store, target, team):
    _, (wang, li), _ = team
    submit(store, target, wang)
    submit(store, target, li, service_types=["consulting"])
    overview = city_overview(store, date.today() - timedelta(days=10), date.today())
    assert overview["active_commissioners"] == 2 and overview["visits"] == 2
    assert overview["by_county"][0]["county"] == "新会区"
    assert dict(overview["by_service_type"]) == {"guidance": 1, "training": 1, "consulting": 1}
    assert (
        town_breakdown(store, "新会区", date.today() - timedelta(days=10), date.today())[0]["town"]
        == "双水镇"
    )


def test_demand_taken_up_becomes_the_commissioners_problem(store, team):
    _, (wang, li), _ = team
    demand = Demand(
        title="陈皮仓储霉变防控",
        description="多家合作社陈化仓霉变，求防控方案",
        industry="陈皮",
        deadline=date.today() + timedelta(days=30),
    )
    store.save(demand)
    store.save(
        Demand(title="过期需求", description="已过截止日期", deadline=date.today() - timedelta(days=1))
    )
    assert [d.id for d in open_demands(store)] == [demand.id]
    problem = take_up(store, demand.id, wang)
    assert problem.source == "bureau_demand" and problem.demand_id == demand.id
    assert problem.commissioner_id == wang.id
    assert open_demands(store) == []
    with pytest.raises(CommissionerError):
        take_up(store, demand.id, li)
    progress = {d["id"]: d for d in demand_progress(store)}
    assert progress[demand.id]["taken_by_name"] == "王芳"
    assert progress[demand.id]["problem_status"] == "in_progress"


def test_a_sheet_is_accepted_only_for_a_visit_that_has_one(store, target, team):
    """Ticking 签字确认单已核验 while approving visits without a signed sheet made their typed-in
    satisfaction count as the served party's word (the assessment counts accepted sheets)."""
    leader, (wang, _li), _ = team
    without = submit(store, target, wang)
    with_sheet = submit(store, target, wang, confirm_sheet_sha256="ab" * 32)
    reviews = decide(store, [without.id, with_sheet.id], "approved", leader, sheet_accepted=True)
    assert [r.sheet_accepted for r in reviews] == [False, True]
    assert store.get(Visit, without.id).confirm_sheet_accepted is False
    assert store.get(Visit, with_sheet.id).confirm_sheet_accepted is True


def test_an_accepted_sheet_or_its_rating_changed_afterwards_is_accepted_no_more(store, target, team):
    """The acceptance stayed on a visit whose sheet or rating was changed after the review."""
    leader, (wang, _li), _ = team
    visit = submit(store, target, wang, confirm_sheet_sha256="ab" * 32, confirm_satisfaction=3)
    decide(store, [visit.id], "approved", leader, sheet_accepted=True)
    edited = store.require(Visit, visit.id)
    assert edited.confirm_sheet_accepted is True
    edited.confirm_satisfaction = 5
    store.save_visit(edited)
    after = store.require(Visit, visit.id)
    assert after.review_status == "pending" and after.confirm_sheet_accepted is False


def test_a_photo_added_to_an_approved_visit_sends_it_back_to_review(store, target, team, tmp_path):
    from commissioner_app.attachments import add_attachment

    leader, (wang, _li), _ = team
    visit = submit(store, target, wang)
    decide(store, [visit.id], "approved", leader)
    add_attachment(store, _jpeg(tmp_path / "new.jpg", 2), "visits", visit.id)
    assert store.require(Visit, visit.id).review_status == "pending"


def _jpeg(path, shade):
    from PIL import Image

    Image.new("RGB", (320, 240), (40, 120, 30 * shade)).save(path, "JPEG")
    return path


def _with_sheet(store, visit, sheet):
    from commissioner_app.attachments import add_attachment

    attached = add_attachment(store, sheet, "visits", visit.id, kind="confirmation_sheet")
    saved = store.require(Visit, visit.id)
    saved.confirm_sheet_sha256 = attached.sha256
    store.save_visit(saved)


def test_the_signed_sheet_is_not_counted_or_checked_as_a_photo(store, target, team, tmp_path):
    """A visit whose only file is its signed confirmation sheet has no photo; the same sheet on two
    visits (one sheet signed for a morning and an afternoon) is not a reused photo."""
    from commissioner_app.attachments import add_attachment
    from commissioner_app.ops.review import review_details

    leader, (wang, li), _ = team
    sheet = _jpeg(tmp_path / "lisi_sheet.jpg", 1)
    only_sheet = submit(store, target, li)
    _with_sheet(store, only_sheet, sheet)
    with_photo = submit(store, target, li, days_ago=2)
    _with_sheet(store, with_photo, sheet)
    add_attachment(store, _jpeg(tmp_path / "field.jpg", 2), "visits", with_photo.id)

    rows = {r["id"]: r for r in review_queue(store, leader)}
    assert rows[only_sheet.id]["attachments"] == 0
    assert rows[with_photo.id]["attachments"] == 1
    assert rows[only_sheet.id]["checks"] == [] and rows[with_photo.id]["checks"] == []

    details = review_details(store, with_photo.id)
    assert [p["original_name"] for p in details["photos"]] == ["field.jpg"]
    assert details["sheet"]["original_name"] == "lisi_sheet.jpg"
    assert details["checks"] == []


def test_a_photo_used_again_is_still_flagged_beside_a_sheet(store, target, team, tmp_path):
    from commissioner_app.attachments import add_attachment

    leader, (wang, li), _ = team
    same = _jpeg(tmp_path / "field.jpg", 3)
    first, second = submit(store, target, wang), submit(store, target, li, days_ago=3)
    for shade, visit in enumerate((first, second), start=4):
        _with_sheet(store, visit, _jpeg(tmp_path / f"sheet{shade}.jpg", shade))
        add_attachment(store, same, "visits", visit.id)
    rows = {r["id"]: r for r in review_queue(store, leader)}
    [warning] = rows[first.id]["checks"]
    assert warning.kind == "reused_photo" and "field.jpg" in warning.message.zh


def test_a_decision_says_how_far_the_reviewers_laptop_had_synced(store, target, team):
    """So that the central store can tell evidence the reviewer read from evidence sent after."""
    from commissioner_app.store import META_PULLED_UP_TO

    leader, (wang, _), _ = team
    first, second = submit(store, target, wang), submit(store, target, wang)
    [never] = decide(store, [first.id], "approved", leader)
    assert never.evidence_seq == 0  # nothing pulled yet
    store.set_meta(META_PULLED_UP_TO, "40213")
    [review] = decide(store, [second.id], "approved", leader)
    assert review.evidence_seq == 40213
    assert store.row("reviews", review.id)["evidence_seq"] == 40213


def test_a_problem_raised_elsewhere_and_solved_on_the_visit_is_shown_to_the_reviewer(store, target, team):
    """A problem with no visit of its own (a served party's request) counts as solved through the
    visit its solution was given on: the reviewer approving that visit saw neither it nor its
    solution (the queue said 0 problems), and approved four solved problems unseen."""
    from commissioner_app.domain import Solution, TechnicalProblem
    from commissioner_app.ops.review import review_details

    leader, (wang, _li), _ = team
    visit = submit(store, target, wang)
    own = store.save(
        TechnicalProblem(
            commissioner_id=wang.id, target_id=target.id, visit_id=visit.id, title="本次发现的难题"
        )
    )
    store.save(
        Solution(problem_id=own.id, visit_id=visit.id, commissioner_id=wang.id, description="现场处理")
    )
    requested = store.save(
        TechnicalProblem(
            commissioner_id=wang.id,
            target_id=target.id,
            source="target_request",
            title="合作社提出的仓储难题",
            raised_on=date.today() - timedelta(days=30),
        )
    )
    store.save(
        Solution(problem_id=requested.id, visit_id=visit.id, commissioner_id=wang.id, description="低温除湿")
    )
    [row] = review_queue(store, leader)
    assert row["problems"] == 2
    details = review_details(store, visit.id)
    shown = {p["title"]: p for p in details["problems"]}
    assert set(shown) == {"本次发现的难题", "合作社提出的仓储难题"}
    assert [s["description"] for s in shown["合作社提出的仓储难题"]["solutions"]] == ["低温除湿"]
    assert (
        shown["合作社提出的仓储难题"]["raised_elsewhere"] and not shown["本次发现的难题"]["raised_elsewhere"]
    )
