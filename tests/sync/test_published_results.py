"""One official result: the bureau publishes the year's assessment from the central store's complete
data, and a commissioner's self-printed annual record then shows the bureau's grade, not a local
estimate taken over whoever happens to be on the laptop."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from commissioner_app.assessment import Period, Scope, assess, publish
from commissioner_app.assessment_rules import parse_rules
from commissioner_app.domain import ServiceTarget, Visit
from commissioner_app.reports.annual import annual_record
from commissioner_app.store import Store
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server

YEAR = (date.today() - timedelta(days=30)).year
# Everyone with a visit scores 100; at most half of the group may be 优秀, decided on service days.
RULES = parse_rules(
    f"""year = {YEAR}
[grades]
excellent_share_cap = 0.5
excellent_share_min_group = 1
[[parts]]
key = "service"
weight = 100
  [[parts.indicators]]
  metric = "visits"
  target = 1
  points = 100
"""
)


def commissioner(
    shared_server: Server, tmp_path: Path, label: str, name: str, days: int
) -> tuple[Store, str]:
    cid = str(uuid.uuid4())
    account = shared_server.add_user(f"{label}{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / label, cid, name=name)
    target = store.save(ServiceTarget(type="village", name=f"{name}服务的村", county="新会区"))
    for day in range(days):
        store.save_visit(
            Visit(
                commissioner_id=cid,
                target_id=target.id,
                visit_date=date(YEAR, 1, 2 + day),
                start_time="09:00",
                end_time="10:00",
                service_types=["guidance"],
                content="田间指导病虫害防治",
            )
        )
    assert connect(store, shared_server.url, account).sync().rejected == 0
    return store, account


def grade_of(store: Store, cid: str) -> tuple[str, str]:
    m = assess(store, Scope.commissioner(cid), Period.year(YEAR), rules=RULES).members[0]
    return m.grade, m.status_label.zh


def test_after_publication_every_computer_shows_the_bureaus_grade(own_server: Server, tmp_path: Path) -> None:
    shared_server = own_server  # a server of its own: the city here is exactly these two commissioners
    lin, lin_account = commissioner(shared_server, tmp_path, "lin", "林志强", days=3)
    he, _ = commissioner(shared_server, tmp_path, "he", "何静", days=2)
    lin_id = lin.profile().id  # type: ignore[union-attr]
    # On his own laptop, the share cap taken over one person lowers 林志强 to 良好: an estimate.
    assert grade_of(lin, lin_id) == ("good", "预估（未发布）")

    bureau_account = shared_server.add_user(f"boss{uuid.uuid4().hex[:6]}", "bureau")
    bureau = Store.open(tmp_path / "bureau")
    connect(bureau, shared_server.url, bureau_account).sync()
    city = assess(bureau, None, Period.year(YEAR), rules=RULES)
    mine = {m.commissioner_id: m.grade for m in city.members}
    # Over the whole city (two here): one 优秀, the one with more service days.
    assert mine[lin_id] == "excellent" and mine[he.profile().id] == "good"  # type: ignore[union-attr]

    assert publish(bureau, YEAR, "江门市科技局", rules=RULES) >= 2
    assert connect(bureau, shared_server.url, bureau_account).sync().rejected == 0
    connect(lin, shared_server.url, lin_account).sync()
    grade, status = grade_of(lin, lin_id)
    assert grade == "excellent" and status.startswith("正式结果（")

    out = tmp_path / "annual.pdf"
    annual_record(lin, lin_id, YEAR, out, assessment=assess(lin, period=Period.year(YEAR), rules=RULES))
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace(" ", "")
    assert "优秀" in text and "正式结果" in text


def test_a_commissioner_cannot_publish_their_own_result(shared_server: Server, tmp_path: Path) -> None:
    lin, account = commissioner(shared_server, tmp_path, "self", "林志强", days=1)
    publish(lin, YEAR, "林志强", rules=RULES)  # a tampered laptop writes a result ...
    report = connect(lin, shared_server.url, account).sync()
    assert report.rejected == 1  # ... which the central store refuses
    cid = lin.profile().id  # type: ignore[union-attr]
    assert ("assessment_results", f"{YEAR}:{cid}") not in shared_server.records()


def test_problems_typed_in_without_a_visit_raise_nobodys_score_on_the_bureaus_computer(
    shared_server: Server, tmp_path: Path
) -> None:
    from commissioner_app.domain import Solution, TechnicalProblem

    lin, account = commissioner(shared_server, tmp_path, "orphan", "林志强", days=2)
    lin_id = lin.profile().id  # type: ignore[union-attr]
    bureau_account = shared_server.add_user(f"boss{uuid.uuid4().hex[:6]}", "bureau")
    bureau = Store.open(tmp_path / "bureau")
    connect(bureau, shared_server.url, bureau_account).sync()
    rules = parse_rules(RULES_WITH_PROBLEMS)
    before = assess(bureau, Scope.commissioner(lin_id), Period.year(YEAR), rules=rules).members[0]
    # The attack of the report: five problems with solutions, no visit, no review.
    for i in range(5):
        problem = TechnicalProblem(
            commissioner_id=lin_id,
            title=f"难题{i}",
            status="solved",
            source="target_request",
            raised_on=date(YEAR, 1, 5),
            solved_on=date(YEAR, 1, 6),
        )
        lin.db.execute("BEGIN")
        lin._write(problem, False)
        lin._write(Solution(problem_id=problem.id, commissioner_id=lin_id, description="已处理"), False)
        lin.db.execute("COMMIT")
    assert connect(lin, shared_server.url, account).sync().rejected == 0
    connect(bureau, shared_server.url, bureau_account).sync()
    after = assess(bureau, Scope.commissioner(lin_id), Period.year(YEAR), rules=rules).members[0]
    assert (
        bureau.db.execute("SELECT count(*) FROM problems WHERE commissioner_id = ?", [lin_id]).fetchone()[0]
        == 5
    )
    assert after.figures.problems_solved == 0 and after.total == before.total


RULES_WITH_PROBLEMS = f"""year = {YEAR}
[[parts]]
key = "service"
weight = 60
  [[parts.indicators]]
  metric = "visits"
  target = 10
  points = 60
[[parts]]
key = "results"
weight = 40
  [[parts.indicators]]
  metric = "problems_solved"
  target = 5
  points = 40
"""
