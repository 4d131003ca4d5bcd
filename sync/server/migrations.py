"""Numbered server schema migrations that run on SQLite and PostgreSQL alike.

`schema_versions` records each applied step. A released step never changes: a database made by an
older server must open in a newer one with every row kept. Add `_m002_...` and append it to STEPS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
)

from sync.server import schema_v1
from sync.server.tables import schema_versions
from sync.server.timeutil import now_iso

log = logging.getLogger(__name__)


def _m001_initial(conn: Connection) -> None:
    schema_v1.metadata.create_all(conn)
    conn.execute(insert(schema_v1.counters).values(name="server_seq", value=0))


def _m002_hardening(conn: Connection) -> None:
    """Login throttling per (name, address); who holds each uploaded file; uploads by uploader.

    The old per-name throttle rows are kept as the names' counters over all addresses ("*")."""
    frozen = MetaData()
    attempts = Table(
        "login_attempts",
        frozen,
        Column("username", String(100), primary_key=True),
        Column("address", String(64), primary_key=True),
        Column("failures", Integer, nullable=False, default=0),
        Column("last_failure_at", String(40)),
        Column("locked_until", String(40)),
        Column("last_success_at", String(40)),
    )
    owners = Table(
        "upload_owners",
        frozen,
        Column("sha256", String(64), primary_key=True),
        Column("user_id", String(36), primary_key=True),
        Column("commissioner_id", String(64)),
        Column("role", String(20), nullable=False),
        Column("received", BigInteger, nullable=False, default=0),
        Column("complete", Boolean, nullable=False, default=False),
        Column("created_at", String(40), nullable=False),
        Column("updated_at", String(40), nullable=False),
        Index("ix_upload_owners_user", "user_id"),
    )
    old = schema_v1.login_attempts
    kept = [dict(r._mapping) for r in conn.execute(select(old))]
    old.drop(conn)
    attempts.create(conn)
    for row in kept:
        conn.execute(insert(attempts).values(**row, address="*"))
    owners.create(conn)
    conn.execute(
        insert(owners).from_select(
            [
                "sha256",
                "user_id",
                "commissioner_id",
                "role",
                "received",
                "complete",
                "created_at",
                "updated_at",
            ],
            select(
                schema_v1.uploads.c.sha256,
                schema_v1.uploads.c.created_by,
                schema_v1.users.c.commissioner_id,
                schema_v1.users.c.role,
                schema_v1.uploads.c.received,
                schema_v1.uploads.c.complete,
                schema_v1.uploads.c.created_at,
                schema_v1.uploads.c.updated_at,
            )
            .join(schema_v1.users, schema_v1.users.c.id == schema_v1.uploads.c.created_by)
            .where(schema_v1.uploads.c.complete),
        )
    )
    conn.execute(text("CREATE INDEX ix_uploads_created_by ON uploads (created_by)"))


def _m003_confirm_links(conn: Connection) -> None:
    # Created from frozen copies: later changes to tables.py must not change this released step.
    meta = MetaData()
    Table(
        "confirm_links",
        meta,
        Column("token_hash", String(64), primary_key=True),
        Column("visit_id", String(64), nullable=False, index=True),
        Column("owner_id", String(64)),
        Column("created_at", String(40), nullable=False),
        Column("expires_at", String(40), nullable=False),
        Column("revoked", Boolean, nullable=False, default=False),
        Column("browser_hash", String(64)),
        Column("first_submitted_at", String(40)),
    )
    Table(
        "confirm_hits",
        meta,
        Column("key", String(200), primary_key=True),
        Column("window_start", String(40), nullable=False),
        Column("count", Integer, nullable=False),
    )
    meta.create_all(conn)


def _m010_public_seq(conn: Connection) -> None:
    """Public rows (reference data, rules, demands, the bureau's service targets) in server order:
    a commissioner's pull reads its public changes from here, not from a walk of every change
    (sync/server/pull.py)."""
    conn.execute(text("CREATE INDEX ix_records_public_seq ON records (server_seq) WHERE public"))


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial", _m001_initial),
    (2, "hardening", _m002_hardening),
    (3, "confirm_links", _m003_confirm_links),
    (10, "public_seq", _m010_public_seq),
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
