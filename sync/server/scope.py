"""Who sees which record: one rule, written once for SQL (pull, downloads) and once for a loaded row.

Scope columns of `records` (set by the server on every write):
- owner_id: the commissioner the record belongs to (a visit's commissioner; a review's visit owner;
  a commissioner profile's own id; the taker of a demand);
- team_id / workstation_id: of the owner (for teams and workstations rows: their own id);
- public: reference data, assessment rules, demands, service targets the bureau made.
A commissioner sees public rows, their own rows, and the teams, workstations, commissioner
profiles, service targets and service agreements of their own team or workstation. A manager also
sees every row of their team or workstation. The bureau sees everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from sync.server.auth import User
from sync.server.tables import records

PEOPLE_TABLES = ("commissioners", "teams", "workstations")
# Shared with the creator's team or workstation: every member sees them (sync/server/targets.py).
SHARED_TABLES = ("service_targets", "service_agreements")
GROUP_TABLES = (*PEOPLE_TABLES, *SHARED_TABLES)


def visible_clause(user: User) -> ColumnElement[bool]:
    if user.role == "bureau":
        return true()
    parts: list[ColumnElement[bool]] = [records.c.public == true()]
    if user.commissioner_id:
        parts.append(records.c.owner_id == user.commissioner_id)
    group: list[ColumnElement[bool]] = []
    if user.team_id:
        group.append(records.c.team_id == user.team_id)
    if user.workstation_id:
        group.append(records.c.workstation_id == user.workstation_id)
    if group:
        if user.role == "manager":
            parts.extend(group)
        else:
            parts.append(and_(records.c.table_name.in_(GROUP_TABLES), or_(*group)))
    return or_(*parts) if parts else false()


def can_see(user: User, table: str, row: Any) -> bool:
    """The same rule as visible_clause, for one loaded `records` row."""
    if user.role == "bureau" or row.public:
        return True
    if user.commissioner_id and row.owner_id == user.commissioner_id:
        return True
    in_group = bool(
        (user.team_id and row.team_id == user.team_id)
        or (user.workstation_id and row.workstation_id == user.workstation_id)
    )
    if user.role == "manager":
        return in_group
    return in_group and table in GROUP_TABLES


def manages(user: User, row: Any) -> bool:
    """A manager's reach for reviews: records of their team or workstation members."""
    if user.role == "bureau":
        return True
    if user.role != "manager":
        return False
    return bool(
        (user.team_id and row.team_id == user.team_id)
        or (user.workstation_id and row.workstation_id == user.workstation_id)
    )
