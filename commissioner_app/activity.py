"""Activity figures for the team and city views: who did what, where, when.

These count every submitted visit (not drafts, not deleted). The assessment, which counts approved
records only, lives in commissioner_app.assessment.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from commissioner_app.assessment import problem_solved_sql
from commissioner_app.store import Store

IDLE_DAYS = 30
_SUBMITTED = "v.deleted = 0 AND v.is_draft = 0"
# Solved problems by the assessment's own rule, on submitted (not yet necessarily reviewed) visits.
_SOLVED = f"p.deleted = 0 AND p.is_draft = 0 AND {problem_solved_sql('complete')}"


@dataclass
class MemberActivity:
    commissioner_id: str
    name: str
    sending_unit: str
    visits: int
    service_days: int
    problems_solved: int
    pending_reviews: int
    last_visit: date | None
    idle: bool  # no visit for IDLE_DAYS days


def _period(date_from: date, date_to: date) -> list[str]:
    return [date_from.isoformat(), date_to.isoformat()]


def team_activity(
    store: Store,
    *,
    team_id: str | None = None,
    workstation_id: str | None = None,
    date_from: date,
    date_to: date,
    today: date | None = None,
) -> list[MemberActivity]:
    """Each member's visits, service days, problems solved and review backlog in the period."""
    today = today or date.today()
    where, params = [], []
    if team_id:
        where.append("c.team_id = ?")
        params.append(team_id)
    if workstation_id:
        where.append("c.workstation_id = ?")
        params.append(workstation_id)
    members = store.db.execute(
        "SELECT id, name, sending_unit FROM commissioners c WHERE c.deleted = 0 AND "
        f"({' OR '.join(where) or '1'}) ORDER BY zh_name_key(name)",
        params,
    ).fetchall()
    ids = [m[0] for m in members]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    period = _period(date_from, date_to)
    in_period = {
        cid: (n, days)
        for cid, n, days in store.db.execute(
            f"SELECT commissioner_id, count(*), count(DISTINCT visit_date) FROM visits v "
            f"WHERE v.commissioner_id IN ({marks}) AND {_SUBMITTED} AND v.visit_date BETWEEN ? AND ? "
            "GROUP BY commissioner_id",
            [*ids, *period],
        ).fetchall()
    }
    last_and_pending = {
        cid: (last, pending)
        for cid, last, pending in store.db.execute(
            f"SELECT commissioner_id, max(visit_date), sum(review_status = 'pending') FROM visits v "
            f"WHERE v.commissioner_id IN ({marks}) AND {_SUBMITTED} GROUP BY commissioner_id",
            ids,
        ).fetchall()
    }
    solved = dict(
        store.db.execute(
            f"SELECT commissioner_id, count(*) FROM problems p WHERE {_SOLVED} "
            f"AND p.solved_on BETWEEN ? AND ? AND p.commissioner_id IN ({marks}) GROUP BY p.commissioner_id",
            [*period, *ids],
        ).fetchall()
    )
    result = []
    for cid, name, unit in members:
        visits, days = in_period.get(cid, (0, 0))
        last, pending = last_and_pending.get(cid, (None, 0))
        last_date = date.fromisoformat(last) if last else None
        result.append(
            MemberActivity(
                cid,
                name,
                unit,
                visits,
                days,
                solved.get(cid, 0),
                int(pending or 0),
                last_date,
                idle=last_date is None or (today - last_date).days >= IDLE_DAYS,
            )
        )
    return result


def weekly_visits(
    store: Store, commissioner_ids: list[str], date_from: date, date_to: date
) -> list[tuple[date, int]]:
    """Visits per week (weeks start on Monday) over the period, weeks without visits included."""
    counts: Counter[date] = Counter()
    if commissioner_ids:
        marks = ",".join("?" * len(commissioner_ids))
        for (day,) in store.db.execute(
            f"SELECT visit_date FROM visits v WHERE v.commissioner_id IN ({marks}) AND {_SUBMITTED} "
            "AND v.visit_date BETWEEN ? AND ?",
            [*commissioner_ids, *_period(date_from, date_to)],
        ).fetchall():
            d = date.fromisoformat(day)
            counts[d - timedelta(days=d.weekday())] += 1
    weeks = []
    week = date_from - timedelta(days=date_from.weekday())
    while week <= date_to:
        weeks.append((week, counts.get(week, 0)))
        week += timedelta(days=7)
    return weeks


def city_overview(store: Store, date_from: date, date_to: date) -> dict[str, Any]:
    """Activity by county, industry and service type, active commissioners and problems solved.

    One pass over a covering index: the city view opens quickly on 100,000 visits.
    """
    period = _period(date_from, date_to)
    visits: Counter[str] = Counter()
    people: dict[str, set[str]] = {}
    towns: dict[str, set[str]] = {}
    industries: Counter[str] = Counter()
    type_lists: Counter[str] = Counter()  # the JSON text; few distinct values, parsed once each
    active: set[str] = set()
    for county, town, industry, cid, types in store.db.execute(
        "SELECT county, town, industry, commissioner_id, service_types FROM visits INDEXED BY "
        "idx_visits_activity WHERE deleted = 0 AND is_draft = 0 AND visit_date BETWEEN ? AND ?",
        period,
    ):
        visits[county] += 1
        people.setdefault(county, set()).add(cid)
        towns.setdefault(county, set()).add(town)
        industries[industry] += 1
        active.add(cid)
        type_lists[types] += 1
    service_types: Counter[str] = Counter()
    for types, n in type_lists.items():
        for code in json.loads(types or "[]"):
            service_types[code] += n
    solved_by_county = dict(
        store.db.execute(
            f"SELECT v.county, count(*) FROM problems p JOIN visits v ON v.id = p.visit_id WHERE {_SOLVED} "
            "AND p.solved_on BETWEEN ? AND ? GROUP BY v.county",
            period,
        ).fetchall()
    )
    solved = store.db.execute(
        f"SELECT count(*) FROM problems p WHERE {_SOLVED} AND p.solved_on BETWEEN ? AND ?",
        period,
    ).fetchone()[0]
    by_county = [
        {
            "county": county or "",
            "visits": n,
            "commissioners": len(people[county]),
            "towns": len(towns[county]),
            "problems_solved": solved_by_county.get(county, 0),
        }
        for county, n in visits.most_common()
    ]
    return {
        "active_commissioners": len(active),
        "problems_solved": solved,
        "visits": sum(visits.values()),
        "by_county": by_county,
        "by_industry": [{"industry": k or "", "visits": n} for k, n in industries.most_common()],
        "by_service_type": service_types.most_common(),
    }


def town_breakdown(store: Store, county: str, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Visits and commissioners per town of one county (the city view's drill-down)."""
    return [
        {"town": town or "", "visits": visits, "commissioners": people}
        for town, visits, people in store.db.execute(
            f"SELECT v.town, count(*), count(DISTINCT v.commissioner_id) FROM visits v WHERE {_SUBMITTED} "
            "AND v.county = ? AND v.visit_date BETWEEN ? AND ? GROUP BY v.town ORDER BY count(*) DESC",
            [county, *_period(date_from, date_to)],
        ).fetchall()
    ]
