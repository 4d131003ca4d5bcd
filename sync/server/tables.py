"""The current server schema (SQLAlchemy Core). Migrations in `migrations.py` build it.

Portable types only (text, integers, booleans, binary), so one data-access layer serves SQLite and
PostgreSQL. Times are ISO 8601 UTC strings (they sort as text); record fields are JSON text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)

metadata = MetaData()

schema_versions = Table(
    "schema_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("display_name", String(200), nullable=False, default=""),
    Column("commissioner_id", String(64)),
    Column("team_id", String(64)),
    Column("workstation_id", String(64)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
    # Organisation (migration 5, sync/server/admin.py): the county an account belongs to (a county
    # bureau's county, a commissioner's service county), why it was disabled, and whether its password
    # is a one-time code the user must replace before the server gives them a session.
    Column("county", String(40), nullable=False, default=""),
    Column("disabled_reason", String(500), nullable=False, default=""),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("code_expires_at", String(40)),
)

# Every role, team, workstation and county an account has had: a row is closed (`until_at`) when the
# bureau changes any of them, and a new one opened, so "who was in which team when" stays answerable.
memberships = Table(
    "memberships",
    metadata,
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

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), nullable=False, index=True),
    Column("device_id", String(200), nullable=False, default=""),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

# Login throttling (sync/server/auth.py): one row per (normalised user name, client address); the
# address "*" counts a name's failures from every address not known for it, the name "" counts an
# address's failures over every name not known there. last_success_at makes an address "known".
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure_at", String(40)),
    Column("locked_until", String(40)),
    Column("last_success_at", String(40)),
)

# Named counters; "server_seq" is the global change number, updated under a row lock.
counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# The current version of every synced record. owner/team/workstation/public are the scope columns
# that pull and every access check filter on; they are derived by the server, never sent by clients.
records = Table(
    "records",
    metadata,
    Column("table_name", String(40), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("rev", Integer, nullable=False),
    Column("server_seq", BigInteger, nullable=False, unique=True),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("owner_id", String(64)),
    Column("team_id", String(64)),
    Column("workstation_id", String(64)),
    Column("public", Boolean, nullable=False, default=False),
    Column("sha256", String(64)),
    Column("fields", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(100), nullable=False),
    # The county whose bureau sees the record (scope.py explains how the server derives it).
    Column("county", String(40)),
    Index("ix_records_owner_seq", "owner_id", "server_seq"),
    Index("ix_records_county_seq", "county", "server_seq"),
    Index("ix_records_team_seq", "team_id", "server_seq"),
    Index("ix_records_workstation_seq", "workstation_id", "server_seq"),
    # Partial (migration 8): only the records that name a file (attachments, a visit's signed sheet).
    Index(
        "ix_records_sha256",
        "sha256",
        sqlite_where=text("sha256 IS NOT NULL"),
        postgresql_where=text("sha256 IS NOT NULL"),
    ),
)

# Which store this is (migration 12): one row, given a new id whenever a backup is restored, with
# the change number from which its history is unbroken (0; after a restore, the backup's last). A
# laptop that synced with another id learns that what it synced after that number may be gone from
# the store, and sends it again (sync/recovery.py).
store_identity = Table(
    "store_identity",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("history_from", BigInteger, nullable=False),
    Column("since_at", String(40), nullable=False),
)

# Every accepted version: a record's field history, and the base for field-wise merges. Versions past
# the operator's retention may be deleted (maintenance.prune_revisions); the current one never is.
revisions = Table(
    "revisions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("table_name", String(40), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("server_seq", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("fields", Text, nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("username", String(100), nullable=False),
    Column("device_id", String(200), nullable=False, default=""),
    Column("batch_id", String(100), nullable=False, default=""),
    Column("client_time", String(40), nullable=False, default=""),
    Column("at", String(40), nullable=False),
    Index("ix_revisions_record", "table_name", "record_id", "rev", unique=True),
)

# Idempotency: the stored answer of each applied batch.
push_batches = Table(
    "push_batches",
    metadata,
    Column("user_id", String(36), primary_key=True),
    Column("batch_id", String(100), primary_key=True),
    Column("answer", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

uploads = Table(
    "uploads",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("received", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
    Column("size", BigInteger),
    Column("created_by", String(36), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_uploads_created_by", "created_by"),
)

# Who has shown they hold a file: its uploader, and anyone who sent the same bytes again (compared
# with the stored ones as they arrive; `received` is how far). Only records of these users open it.
upload_owners = Table(
    "upload_owners",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("user_id", String(36), primary_key=True),
    Column("commissioner_id", String(64)),
    Column("role", String(20), nullable=False),
    Column("received", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    # A chunk sent that did not match the stored file: told only once the whole has been sent.
    Column("mismatched", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_upload_owners_user", "user_id"),
)

# Attachment bytes, in the chunks they arrived in (the database is the only shared storage).
upload_chunks = Table(
    "upload_chunks",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("offset", BigInteger, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

# The bytes of someone sending a file whose upload another user began and has not finished, kept
# apart from that upload (attachments._stage): whichever of them completes with the right bytes
# stores the file, so that one who knows only a file's hash cannot hold its upload up.
upload_staging = Table(
    "upload_staging",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("user_id", String(36), primary_key=True),
    Column("offset", BigInteger, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

# One small JPEG per stored file (sync/previews.py), made by the server from the uploaded bytes.
previews = Table(
    "previews",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(40), nullable=False),
)


# The served party's confirmation links (sync/server/confirm.py): the SHA-256 of each token a
# commissioner's application made for a visit, and the browser (a cookie's hash) that answered first.
confirm_links = Table(
    "confirm_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("visit_id", String(64), nullable=False, index=True),
    Column("owner_id", String(64)),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("browser_hash", String(64)),
    Column("first_submitted_at", String(40)),
)

# Submissions on the confirmation page per hour, by client address and by link.
confirm_hits = Table(
    "confirm_hits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window_start", String(40), nullable=False),
    Column("count", Integer, nullable=False),
)


# The audit trail (sync/server/audit.py): one row per administrative act, review decision, published
# assessment and bureau edit of reference data or rules. Append-only: no code updates or deletes a
# row, and triggers refuse it in the database itself.
audit_log = Table(
    "audit_log",
    metadata,
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
