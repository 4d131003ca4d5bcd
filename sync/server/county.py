"""Moving a commissioner to another county (县、市、区): their records follow them.

A record's county scope is its owner's service county (sync/server/scope.py), set on each write: the
county of their account, else that of their workstation (push.Batch.county_of). Whatever changes that
county (an administrator setting or clearing the account's county, moving the account to another
workstation, or correcting a workstation's county, through the admin endpoints or a bureau's push)
calls `follow` (or `follow_station`) in the same transaction: every record the commissioner owns
gets the new county and a new sequence number, so the new county's bureau pulls it on its next sync.
The old county's bureau keeps the copies it already has (nothing tells a client to forget a record it
may no longer see) but receives no further changes, and may no longer review them.
"""

from __future__ import annotations

import orjson
from sqlalchemy import Connection, or_, select, update

from sync.server.tables import counters, records, users

OWN_COUNTY_TABLES = ("teams", "workstations")  # these carry their own county field


def service_county(conn: Connection, commissioner_id: str) -> str:
    """The county a write of the commissioner's records is scoped to now (as push.Batch.county_of)."""
    account = conn.execute(
        select(users.c.county, users.c.workstation_id)
        .where(users.c.commissioner_id == commissioner_id)
        .order_by(users.c.created_at)
        .limit(1)
    ).first()
    if account is None:
        return ""
    if account.county:
        return str(account.county)[:40]
    if not account.workstation_id:
        return ""
    station = conn.execute(
        select(records.c.fields).where(
            records.c.table_name == "workstations", records.c.id == account.workstation_id
        )
    ).scalar()
    return str(orjson.loads(station).get("county") or "")[:40] if station else ""


def follow(conn: Connection, commissioner_id: str) -> int:
    """Re-scope the commissioner's records to their service county as it is now; how many moved."""
    county = service_county(conn, commissioner_id)
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
    if not moving:
        return 0
    seq: int = conn.execute(
        select(counters.c.value).where(counters.c.name == "server_seq").with_for_update()
    ).scalar_one()
    for row in moving:
        seq += 1
        conn.execute(
            update(records)
            .where(records.c.table_name == row.table_name, records.c.id == row.id)
            .values(county=new, server_seq=seq)
        )
    conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=seq))
    return len(moving)


def follow_station(conn: Connection, station_id: str) -> int:
    """A workstation's county may have changed: the records of its commissioners who have no county
    of their own follow it; how many moved."""
    ids: set[str] = set(
        conn.execute(
            select(users.c.commissioner_id).where(
                users.c.workstation_id == station_id,
                users.c.commissioner_id.isnot(None),
                or_(users.c.county.is_(None), users.c.county == ""),
            )
        ).scalars()
    )
    return sum(follow(conn, cid) for cid in ids)


def move_commissioner(conn: Connection, commissioner_id: str, county: str) -> int:
    """Set the account's county and re-scope the commissioner's records; how many records moved. An
    empty county gives them their workstation's."""
    county = county.strip()[:40]
    conn.execute(update(users).where(users.c.commissioner_id == commissioner_id).values(county=county))
    return follow(conn, commissioner_id)
