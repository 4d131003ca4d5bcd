"""Who sees which record: one rule, written once for SQL (pull, downloads) and once for a loaded row.

Scope columns of `records` (set by the server on every write):
- owner_id: the commissioner the record belongs to (a visit's commissioner; a review's visit owner;
  a commissioner profile's own id; the taker of a demand);
- team_id / workstation_id: of the owner (for teams and workstations rows: their own id);
- public: reference data, assessment rules, demands, service targets the bureau made.
- county: the county whose bureau (县科技局, role "county") oversees the record. It is the service
  county of the record's owner: the `county` of the owner commissioner's account (服务县, from the
  roster or `user add --county`), else the county of their workstation. A team or workstation row
  has its own `county` field; a review, confirmation or conflict notice has its visit's county.
  Reference data and rules have none (they are public).
A commissioner sees public rows, their own rows, and the teams, workstations, commissioner
profiles, service targets and service agreements of their own team or workstation. A manager also
sees every row of their team or workstation. A county bureau sees public rows and every row of its
county, and reviews its county's visits. The bureau sees everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from sync.server.auth import User
from sync.server.tables import records

PEOPLE_TABLES = ("commissioners", "teams", "workstations")
# Shared with the creator's team or workstation: every member sees them (sync/server/targets.py).
SHARED_TABLES = ("service_targets", "service_agreements")
GROUP_TABLES = (*PEOPLE_TABLES, *SHARED_TABLES)


def visible_branches(user: User) -> list[ColumnElement[bool]]:
    """The ways a user (other than the bureau) sees a record, each one indexed condition; a record is
    visible when any holds. The pull reads one index range per branch (sync/server/pull.py)."""
    parts: list[ColumnElement[bool]] = [records.c.public == true()]
    if user.role == "county":
        if user.county:
            parts.append(records.c.county == user.county)
        return parts
    if user.commissioner_id:
        parts.append(records.c.owner_id == user.commissioner_id)
    group: list[ColumnElement[bool]] = []
    if user.team_id:
        group.append(records.c.team_id == user.team_id)
    if user.workstation_id:
        group.append(records.c.workstation_id == user.workstation_id)
    for clause in group:
        parts.append(
            clause if user.role == "manager" else and_(clause, records.c.table_name.in_(GROUP_TABLES))
        )
    return parts


def visible_clause(user: User) -> ColumnElement[bool]:
    if user.role == "bureau":
        return true()
    return or_(*visible_branches(user))


def can_see(user: User, table: str, row: Any) -> bool:
    """The same rule as visible_clause, for one loaded `records` row."""
    if user.role == "bureau" or row.public:
        return True
    if user.role == "county":
        return bool(user.county) and row.county == user.county
    if user.commissioner_id and row.owner_id == user.commissioner_id:
        return True
    if user.role == "manager":
        return in_group(user, row)
    return in_group(user, row) and table in GROUP_TABLES


def in_group(user: User, row: Any) -> bool:
    """Whether the user is of the record's team or workstation (its owner's). Seeing a record is not
    that: everyone sees a public one."""
    return bool(
        (user.team_id and row.team_id == user.team_id)
        or (user.workstation_id and row.workstation_id == user.workstation_id)
    )


def manages(user: User, row: Any) -> bool:
    """A manager's reach for reviews: records of their team or workstation members; a county
    bureau's: records of its county."""
    if user.role == "bureau":
        return True
    if user.role == "county":
        return bool(user.county) and row.county == user.county
    return user.role == "manager" and in_group(user, row)


def known_counties(conn: Any) -> list[str]:
    """The counties (县、市、区) a county account may name: the bundled reference data's, and those of
    the bureau's own reference list on the server when it has pushed one."""
    import json

    from sqlalchemy import select

    from commissioner_app.reference import bundled_reference

    names = [i.name_zh for i in bundled_reference() if i.kind == "county"]
    row = conn.execute(
        select(records.c.fields).where(records.c.table_name == "reference", records.c.id == "county")
    ).first()
    if row is not None:
        try:
            items = json.loads(row.fields).get("items") or []
            items = json.loads(items) if isinstance(items, str) else items
            names += [str(i.get("name_zh") or "") for i in items if isinstance(i, dict)]
        except (ValueError, AttributeError):
            pass
    return list(dict.fromkeys(n for n in names if n))
