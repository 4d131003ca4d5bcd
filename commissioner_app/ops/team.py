"""A manager's team (团队): activity in a period, the assessment of its year, the group summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from commissioner_app.activity import MemberActivity, team_activity, weekly_visits
from commissioner_app.agreements import behind_agreements
from commissioner_app.assessment import Assessment, Period, Scope, assess
from commissioner_app.domain import Commissioner
from commissioner_app.store import Store


@dataclass
class TeamFigures:
    team_name: str
    members: list[MemberActivity]
    weeks: list[tuple[date, int]]
    assessment: Assessment
    # Agreements of members in force and behind at mid-period: (commissioner, target, lagging keys).
    agreements_behind: list[tuple[str, str, list[str]]] = field(default_factory=list)


def team_figures(store: Store, who: Commissioner, date_from: date, date_to: date) -> TeamFigures:
    """Runs on the worker: activity in the period and the assessment of the period's year."""
    members = team_activity(
        store, team_id=who.team_id, workstation_id=who.workstation_id, date_from=date_from, date_to=date_to
    )
    weeks = weekly_visits(store, [m.commissioner_id for m in members], date_from, date_to)
    scope = Scope.team(who.team_id) if who.team_id else Scope.workstation(who.workstation_id or "")
    a = assess(store, scope, Period.year(date_to.year))
    names = [
        r[0]
        for r in store.db.execute(
            "SELECT name FROM teams WHERE id = ? UNION ALL SELECT name FROM workstations WHERE id = ?",
            [who.team_id or "", who.workstation_id or ""],
        ).fetchall()
    ]
    people = {m.commissioner_id: m.name for m in members}
    target_names = dict(store.db.execute("SELECT id, name FROM service_targets").fetchall())
    behind = [
        (
            people.get(p.agreement.commissioner_id, ""),
            target_names.get(p.agreement.target_id, ""),
            [i.key for i in p.lagging],
        )
        for p in behind_agreements(store, list(people), today=date_to if date_to < date.today() else None)
    ]
    return TeamFigures(names[0] if names else a.scope_name, members, weeks, a, behind)


def write_team_summary(store: Store, who: Commissioner, year: int, path: Path) -> Path:
    from commissioner_app.reports.summary import group_summary

    scope = Scope.team(who.team_id) if who.team_id else Scope.workstation(who.workstation_id or "")
    group_summary(store, assess(store, scope, Period.year(year)), path)
    return path
