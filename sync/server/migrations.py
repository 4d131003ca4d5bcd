"""Numbered server schema migrations that run on SQLite and PostgreSQL alike.

`schema_versions` records each applied step. A released step never changes: a database made by an
older server must open in a newer one with every row kept. Add `_m002_...` and append it to STEPS.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
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


def _m004_previews(conn: Connection) -> None:
    """One preview per stored file; files stored before this step get theirs when first asked for."""
    meta = MetaData()
    Table(
        "previews",
        meta,
        Column("sha256", String(64), primary_key=True),
        Column("kind", String(20), nullable=False),
        Column("data", LargeBinary, nullable=False),
        Column("created_at", String(40), nullable=False),
    )
    meta.create_all(conn)


def _m005_organisation(conn: Connection) -> None:
    """Accounts get a county, a reason when disabled and one-time passwords; membership history."""
    for column in (
        "county VARCHAR(40) NOT NULL DEFAULT ''",
        "disabled_reason VARCHAR(500) NOT NULL DEFAULT ''",
        "must_change_password BOOLEAN NOT NULL DEFAULT FALSE",
        "code_expires_at VARCHAR(40)",
    ):
        conn.execute(text(f"ALTER TABLE users ADD COLUMN {column}"))
    meta = MetaData()
    memberships = Table(
        "memberships",
        meta,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("user_id", String(36), nullable=False),
        Column("role", String(20), nullable=False),
        Column("team_id", String(64)),
        Column("workstation_id", String(64)),
        Column("county", String(40), nullable=False, default=""),
        Column("from_at", String(40), nullable=False),
        Column("until_at", String(40)),
        Column("changed_by", String(100), nullable=False, default=""),
        Index("ix_memberships_user", "user_id", "from_at"),
    )
    meta.create_all(conn)
    # Today's membership of every existing account opens its history.
    users = Table("users", MetaData(), autoload_with=conn)
    for row in conn.execute(select(users)):
        conn.execute(
            insert(memberships).values(
                user_id=row.id,
                role=row.role,
                team_id=row.team_id,
                workstation_id=row.workstation_id,
                county="",
                from_at=row.created_at,
                changed_by="",
            )
        )


def _m006_county_audit(conn: Connection) -> None:
    """The county bureau role and the audit trail.

    users.county (migration 5) is a county account's county, a commissioner's service county;
    records.county (the county scope, derived by the server: sync/server/scope.py), filled from the teams' and
    workstations' own county and, for a commissioner's records, from their workstation's county;
    the append-only audit_log, guarded by triggers that refuse UPDATE and DELETE."""
    conn.execute(text("ALTER TABLE records ADD COLUMN county VARCHAR(40)"))
    conn.execute(text("CREATE INDEX ix_records_county_seq ON records (county, server_seq)"))
    meta = MetaData()
    Table(
        "audit_log",
        meta,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("at", String(40), nullable=False),
        Column("actor_id", String(36), nullable=False),
        Column("actor", String(100), nullable=False),
        Column("actor_role", String(20), nullable=False),
        Column("action", String(60), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("county", String(40), nullable=False, default=""),
        Column("before", Text, nullable=False),
        Column("after", Text, nullable=False),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor", "actor", "at"),
        Index("ix_audit_log_action", "action", "at"),
        Index("ix_audit_log_subject", "subject"),
    )
    meta.create_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            )
        )
    else:
        for event in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
                )
            )
    _backfill_county(conn)


def _backfill_county(conn: Connection) -> None:
    county_of: dict[tuple[str, str], str] = {}
    for row in conn.execute(
        text("SELECT table_name, id, fields FROM records WHERE table_name IN ('teams', 'workstations')")
    ):
        try:
            county = str(json.loads(row.fields).get("county") or "")[:40]
        except (ValueError, AttributeError):
            county = ""
        if county:
            county_of[(row.table_name, row.id)] = county
    for (table, record_id), county in sorted(county_of.items()):
        conn.execute(
            text("UPDATE records SET county = :c WHERE table_name = :t AND id = :i"),
            {"c": county, "t": table, "i": record_id},
        )
        if table == "workstations":
            conn.execute(
                text(
                    "UPDATE records SET county = :c WHERE workstation_id = :i AND owner_id IS NOT NULL "
                    "AND table_name NOT IN ('teams', 'workstations')"
                ),
                {"c": county, "i": record_id},
            )


def _m007_public_seq(conn: Connection) -> None:
    """Public rows (reference data, rules, demands, the bureau's service targets) in server order:
    a commissioner's pull reads its public changes from here, not from a walk of every change
    (sync/server/pull.py)."""
    conn.execute(text("CREATE INDEX ix_records_public_seq ON records (server_seq) WHERE public"))


def _m008_partial_sha256(conn: Connection) -> None:
    """The sha256 index holds only the records that name a file (attachments, visits with a signed
    sheet): most records have none, and every push paid for an index entry of their NULL. Every
    query on it asks for equal hashes (or IN a list), which no NULL matches, so the partial index
    serves them all."""
    conn.execute(text("DROP INDEX ix_records_sha256"))
    conn.execute(text("CREATE INDEX ix_records_sha256 ON records (sha256) WHERE sha256 IS NOT NULL"))


def _m009_prove_whole(conn: Connection) -> None:
    """Sending a stored file again is judged as a whole: a mismatched chunk is noted, not told (a
    chunk-by-chunk answer let someone who knew only a hash read the file one guessed byte at a time)."""
    conn.execute(text("ALTER TABLE upload_owners ADD COLUMN mismatched BOOLEAN NOT NULL DEFAULT FALSE"))


def _m010_upload_staging(conn: Connection) -> None:
    """A file's upload begun by one user no longer holds up another who sends the same file: the
    second one's bytes are kept apart until one of them completes (attachments._stage)."""
    meta = MetaData()
    Table(
        "upload_staging",
        meta,
        Column("sha256", String(64), primary_key=True),
        Column("user_id", String(36), primary_key=True),
        Column("offset", BigInteger, primary_key=True, autoincrement=False),
        Column("data", LargeBinary, nullable=False),
    )
    meta.create_all(conn)


def _m011_current_fields_once(conn: Connection) -> None:
    """A record's current version keeps its fields in `records` only: its revision row holds
    push.CURRENT_FIELDS (""), and gets them when a newer version supersedes it. Rows written before
    keep their copies (both forms are read alike); nothing to convert. Numbered so that a backup
    made from here on is not restored into a server that would read "" as a version's fields."""
    del conn


def _m012_store_identity(conn: Connection) -> None:
    """The store's identity (tables.store_identity): a backup restored is another store to the laptops,
    which then send again what they synced after the backup was made (sync/recovery.py)."""
    meta = MetaData()
    table = Table(
        "store_identity",
        meta,
        Column("id", String(64), primary_key=True),
        Column("history_from", BigInteger, nullable=False),
        Column("since_at", String(40), nullable=False),
    )
    meta.create_all(conn)
    conn.execute(insert(table).values(id=new_store_id(), history_from=0, since_at=now_iso()))


def new_store_id() -> str:
    return uuid.uuid4().hex


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial", _m001_initial),
    (2, "hardening", _m002_hardening),
    (3, "confirm_links", _m003_confirm_links),
    (4, "previews", _m004_previews),
    (5, "organisation", _m005_organisation),
    (6, "county_audit", _m006_county_audit),
    (7, "public_seq", _m007_public_seq),
    (8, "partial_sha256", _m008_partial_sha256),
    (9, "prove_whole", _m009_prove_whole),
    (10, "upload_staging", _m010_upload_staging),
    (11, "current_fields_once", _m011_current_fields_once),
    (12, "store_identity", _m012_store_identity),
]
HEAD = STEPS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_versions"):
        return 0
    value = conn.execute(select(schema_versions.c.version).order_by(schema_versions.c.version.desc())).first()
    return value[0] if value else 0


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer server, whose data this one would misread (a revision
    row's fields left to its record, say: step 11)."""

    def __init__(self, found: int) -> None:
        super().__init__(
            f"数据库结构版本为 {found}，本程序只支持到 {HEAD}：请运行升级后的服务器程序，"
            "或恢复升级前的备份 / "
            f"the database has server schema version {found}; this program knows up to {HEAD}: run the "
            "upgraded server, or restore the backup made before the upgrade"
        )


def migrate(engine: Engine, target: int | None = None) -> list[int]:
    """Apply the missing steps up to `target` (default: all), each in its own transaction. Refuses
    (DatabaseTooNew) a database a newer server has migrated."""
    with engine.connect() as conn:
        found = current_version(conn)
    if found > HEAD:
        raise DatabaseTooNew(found)
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
