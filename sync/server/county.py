"""Moving a commissioner to another county (县、市、区): their records follow them.

A record's county scope is its owner's service county (sync/server/scope.py), set on each write. When
an administrator changes a commissioner's county (users.county), call `move_commissioner` in the
same transaction: every record they own gets the new county and a new sequence number, so the new
county's bureau pulls it on its next sync. The old county's bureau keeps the copies it already has
(nothing tells a client to forget a record it may no longer see) but receives no further changes.
"""

from __future__ import annotations

from sqlalchemy import Connection, or_, select, update

from sync.server.tables import counters, records, users

OWN_COUNTY_TABLES = ("teams", "workstations")  # these carry their own county field


def move_commissioner(conn: Connection, commissioner_id: str, county: str) -> int:
    """Set the account's county and re-scope the commissioner's records; how many records moved."""
    county = county.strip()[:40]
    conn.execute(update(users).where(users.c.commissioner_id == commissioner_id).values(county=county))
    seq: int = conn.execute(
        select(counters.c.value).where(counters.c.name == "server_seq").with_for_update()
    ).scalar_one()
    new = county or None
    moving = (
        conn.execute(
            select(records.c.table_name, records.c.id).where(
                records.c.owner_id == commissioner_id,
                records.c.table_name.notin_(OWN_COUNTY_TABLES),
                or_(records.c.county.is_(None), records.c.county != county)
                if new
                else records.c.county.isnot(None),
            )
        )
    ).all()
    for row in moving:
        seq += 1
        conn.execute(
            update(records)
            .where(records.c.table_name == row.table_name, records.c.id == row.id)
            .values(county=new, server_seq=seq)
        )
    if moving:
        conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=seq))
    return len(moving)
