"""Numbered server schema migrations that run on SQLite and PostgreSQL alike.

`schema_versions` records each applied step. A released step never changes: a database made by an
older server must open in a newer one with every row kept. Add `_m002_...` and append it to STEPS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, Engine, insert, inspect, select, text

from sync.server import schema_v1
from sync.server.tables import schema_versions
from sync.server.timeutil import now_iso

log = logging.getLogger(__name__)


def _m001_initial(conn: Connection) -> None:
    schema_v1.metadata.create_all(conn)
    conn.execute(insert(schema_v1.counters).values(name="server_seq", value=0))


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial", _m001_initial),
]
HEAD = STEPS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_versions"):
        return 0
    value = conn.execute(select(schema_versions.c.version).order_by(schema_versions.c.version.desc())).first()
    return value[0] if value else 0


def migrate(engine: Engine, target: int | None = None) -> list[int]:
    """Apply the missing steps up to `target` (default: all), each in its own transaction."""
    applied: list[int] = []
    target = HEAD if target is None else target
    for version, name, step in STEPS:
        if version > target:
            break
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Several server processes may start at once: one migrates, the others wait.
                conn.execute(text("SELECT pg_advisory_xact_lock(7310001)"))
            if current_version(conn) >= version:
                continue
            log.info("applying server schema migration %03d_%s", version, name)
            step(conn)
            conn.execute(insert(schema_versions).values(version=version, name=name, applied_at=now_iso()))
            applied.append(version)
    return applied
