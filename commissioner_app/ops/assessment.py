"""The assessment (考核) as a commissioner sees it: the year's result, the annual summary, the visits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioner_app.assessment import Assessment, Period, assess, publish, visits_per_month
from commissioner_app.domain import AnnualSummary
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


@dataclass
class YearAssessment:
    assessment: Assessment
    months: dict[str, list[tuple[str, int]]]  # commissioner id -> visits per month


def year_assessment(store: Store, year: int, shown: str) -> YearAssessment:
    """The city-wide assessment of the year (so the 优秀 cap is the same as on every document), with
    the monthly visits of the commissioner shown first (others are counted when chosen)."""
    a = assess(store, period=Period.year(year))
    months = {shown: visits_per_month(store, a.period, a.basis, [shown])} if a.member(shown) else {}
    return YearAssessment(a, months)


def load_summary(store: Store, commissioner_id: str, year: int) -> tuple[AnnualSummary | None, str]:
    """The commissioner's summary of the year (the latest, as the annual record prints) and when saved."""
    row = store.db.execute(
        "SELECT id, updated_at FROM annual_summaries WHERE commissioner_id = ? AND year = ? AND deleted = 0 "
        "ORDER BY updated_at DESC LIMIT 1",
        [commissioner_id, year],
    ).fetchone()
    if row is None:
        return None, ""
    return store.get(AnnualSummary, row[0]), str(row[1] or "")


def save_summary(
    store: Store, commissioner_id: str, year: int, text: str
) -> OpResult[tuple[AnnualSummary | None, str]]:
    """Keep the commissioner's summary of the year (one per year: the latest is edited)."""
    summary = load_summary(store, commissioner_id, year)[0] or AnnualSummary(
        commissioner_id=commissioner_id, year=year
    )
    summary.text = text
    store.save(summary)
    return OpResult(load_summary(store, commissioner_id, year), OpChanges.of("annual_summaries"))


def visits_of(store: Store, commissioner_id: str, year: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in store.db.query(
            "SELECT v.id, v.visit_date, t.name AS target_name, substr(v.content, 1, 80) AS content "
            "FROM visits v "
            "LEFT JOIN service_targets t ON t.id = v.target_id WHERE v.commissioner_id = ? AND v.deleted = 0 "
            "AND v.is_draft = 0 AND v.visit_date BETWEEN ? AND ? ORDER BY v.visit_date DESC",
            [commissioner_id, f"{year}-01-01", f"{year}-12-31"],
        )
    ]


def awaiting_review(store: Store, year: int) -> int:
    """The year's submitted visits still waiting for review (the published results do not count them)."""
    return int(
        store.db.execute(
            "SELECT count(*) FROM visits WHERE review_status = 'pending' AND deleted = 0 "
            "AND is_draft = 0 AND visit_date BETWEEN ? AND ?",
            [f"{year}-01-01", f"{year}-12-31"],
        ).fetchone()[0]
    )


def publish_results(store: Store, year: int, published_by: str) -> OpResult[int]:
    """The bureau publishes the year's official results (commissioner_app.assessment.publish)."""
    return OpResult(publish(store, year, published_by), OpChanges.of("assessment_results"))
