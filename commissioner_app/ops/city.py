"""The city's figures for the bureau (全市概况) and a town's visits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from commissioner_app.activity import city_overview
from commissioner_app.assessment import MemberResult, Period, assess
from commissioner_app.assessment_rules import load_rules
from commissioner_app.plan_lists import CountyProgress, achievement_counts, county_progress
from commissioner_app.store import Store, VisitQuery

VISITS_SHOWN = 500  # a town's visits listed in the drill-down (the count says how many there are)


@dataclass
class CityFigures:
    year: int
    overview: dict[str, Any]
    plan_active: int
    plan_solved: int
    counties: list[CountyProgress] = field(default_factory=list)  # the yearly list by county


def city_figures(store: Store, year: int) -> CityFigures:
    rules = load_rules(store, year)
    overview = city_overview(store, date(year, 1, 1), date(year, 12, 31))
    extra = achievement_counts(store, f"{year}-01-01", f"{year}-12-31")
    counties = county_progress(rules, overview["by_county"], extra)
    return CityFigures(year, overview, rules.plan_active_commissioners, rules.plan_problems_solved, counties)


def write_city_summary(store: Store, year: int, path: Path, county: str = "") -> Path:
    """The year's summary PDF as the command line's `report city` makes it. A county bureau's store
    holds its county's records only: the summary of all of them, titled with the county (as the
    view's figures are), not a county subset, which counts a commissioner by their team's county."""
    from commissioner_app.reports.summary import city_summary

    city_summary(store, assess(store, period=Period.year(year)), path, area=county)
    return path


def town_visits(store: Store, county: str, town: str, year: int) -> tuple[int, list[dict[str, Any]]]:
    q = VisitQuery(county=county, town=town, date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    rows = store.list_visits(q, limit=VISITS_SHOWN)
    ids = sorted({r["commissioner_id"] for r in rows})
    names: dict[str, str] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        names = dict(
            store.db.execute(f"SELECT id, name FROM commissioners WHERE id IN ({marks})", ids).fetchall()
        )
    for row in rows:
        row["commissioner_name"] = names.get(row["commissioner_id"], "")
    return store.count_visits(q), rows


def county_scores(members: Iterable[MemberResult]) -> dict[str, dict[str, Any]]:
    """The counties compared by the assessment: per county (a commissioner's team's, else their
    workstation's), how many were assessed, their average score and how many were rated 优秀."""
    by_county: dict[str, list[MemberResult]] = {}
    for m in members:
        by_county.setdefault(m.county or "", []).append(m)
    return {
        county: {
            "assessed": len(group),
            "average": round(sum(m.total for m in group) / len(group), 1),
            "excellent": sum(1 for m in group if m.grade == "excellent"),
        }
        for county, group in by_county.items()
    }
