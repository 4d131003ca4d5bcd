"""The overview (工作台): this month's work and what waits, counted from indexes only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from commissioner_app.agreements import behind_agreements
from commissioner_app.store import Store, VisitQuery

RECENT = 12


@dataclass
class OverviewFigures:
    visits_this_month: int = 0
    open_problems: int = 0
    waiting_to_sync: int = 0
    returned: int | None = None  # None until counted
    agreements_behind: int = 0  # agreements in force under half of an agreed target after mid-period
    recent: list[dict[str, Any]] = field(default_factory=list)


def overview_figures(store: Store, today: date | None = None) -> OverviewFigures:
    """The figures of the overview, computed on the worker thread.

    Every query here reads an index only (a few ms on 100,000 visits): it is the first screen.
    The figures are the profile's own work: a manager's laptop also holds the team's records (pulled
    to review them), which are not the manager's visits to make or to correct."""
    today = today or date.today()
    own = store.get_meta("self_commissioner_id") or None  # (with records saved before it was set)
    month = VisitQuery(date_from=today.replace(day=1), date_to=today, mine=own)
    mine, params = ("AND commissioner_id IN (?, '')", [own]) if own else ("", [])
    open_problems = store.db.execute(
        f"SELECT count(*) FROM problems WHERE deleted = 0 AND status IN ('open', 'in_progress') {mine}",
        params,
    ).fetchone()[0]
    return OverviewFigures(
        visits_this_month=store.count_visits(month),
        open_problems=int(open_problems),
        waiting_to_sync=store.waiting_to_sync(),
        returned=store.count_visits(VisitQuery(review_status="returned", mine=own)),
        recent=store.list_visits(VisitQuery(mine=own), limit=RECENT),
        agreements_behind=len(behind_agreements(store, today=today)),
    )
