"""Housekeeping the operator runs from cron (`commissioner-server prune`): old sessions, abandoned
uploads, old login throttling rows and old idempotency answers; and, when the operator asks for it
(`prune-revisions`, or `prune --revision-days N`), old versions of records (`prune_revisions`).
Records themselves and the audit trail (`audit_log`) are never pruned."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    LargeBinary,
    and_,
    cast,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from sync.protocol import NOTICE_TABLE
from sync.server import timeutil
from sync.server.auth import KNOWN_FOR
from sync.server.db import reading, writing
from sync.server.tables import (
    counters,
    login_attempts,
    previews,
    push_batches,
    records,
    revisions,
    tokens,
    upload_chunks,
    upload_owners,
    upload_staging,
    uploads,
)

log = logging.getLogger(__name__)


def prune(
    engine: Engine,
    *,
    token_days: int = 30,
    upload_days: int = 14,
    batch_days: int = 365,
    revision_days: int | None = None,
) -> dict[str, int]:
    """Delete tokens expired or revoked `token_days` ago; uploads untouched for `upload_days` that are
    unfinished or that no record refers to (with their bytes); stored push answers older than
    `batch_days` (a client retries a batch for as long as it is offline, so keep those long); and
    login throttling rows with no lock, no failure for a day and no success within KNOWN_FOR.
    With `revision_days`, also old versions of records (`prune_revisions`); without, none."""
    if revision_days is not None and revision_days < MIN_REVISION_DAYS:
        raise RetentionTooShort(revision_days)  # before anything is deleted
    now = timeutil.now()

    def before(days: int) -> str:
        return timeutil.iso(now - timedelta(days=days))

    with writing(engine) as conn:
        gone_tokens = conn.execute(
            delete(tokens).where(
                or_(
                    tokens.c.expires_at < before(token_days),
                    and_(tokens.c.revoked, tokens.c.created_at < before(token_days)),
                )
            )
        ).rowcount
        stale = [
            r.sha256
            for r in conn.execute(
                select(uploads.c.sha256).where(
                    uploads.c.updated_at < before(upload_days),
                    or_(
                        uploads.c.complete.is_(False),
                        ~exists().where(records.c.sha256 == uploads.c.sha256, records.c.deleted == false()),
                    ),
                )
            )
        ]
        for i in range(0, len(stale), 500):
            conn.execute(delete(upload_chunks).where(upload_chunks.c.sha256.in_(stale[i : i + 500])))
            conn.execute(delete(uploads).where(uploads.c.sha256.in_(stale[i : i + 500])))
            conn.execute(delete(upload_owners).where(upload_owners.c.sha256.in_(stale[i : i + 500])))
            conn.execute(delete(upload_staging).where(upload_staging.c.sha256.in_(stale[i : i + 500])))
            conn.execute(delete(previews).where(previews.c.sha256.in_(stale[i : i + 500])))
        # Half-finished proofs of holding a file (see attachments._prove), and bytes sent beside
        # another's upload (attachments._stage) whose sending stopped.
        conn.execute(
            delete(upload_owners).where(
                upload_owners.c.complete.is_(False), upload_owners.c.updated_at < before(upload_days)
            )
        )
        conn.execute(
            delete(upload_staging).where(
                ~exists().where(
                    upload_owners.c.sha256 == upload_staging.c.sha256,
                    upload_owners.c.user_id == upload_staging.c.user_id,
                    upload_owners.c.complete.is_(False),
                )
            )
        )
        now_iso = timeutil.iso(now)
        gone_attempts = conn.execute(
            delete(login_attempts).where(
                or_(login_attempts.c.locked_until.is_(None), login_attempts.c.locked_until < now_iso),
                or_(login_attempts.c.last_failure_at.is_(None), login_attempts.c.last_failure_at < before(1)),
                or_(
                    login_attempts.c.last_success_at.is_(None),
                    login_attempts.c.last_success_at < before(KNOWN_FOR.days),
                ),
            )
        ).rowcount
        gone_batches = conn.execute(
            delete(push_batches).where(push_batches.c.created_at < before(batch_days))
        ).rowcount
    from sync.server import confirm

    gone_links = confirm.prune(engine)
    gone = {
        "tokens": gone_tokens,
        "uploads": len(stale),
        "push_batches": gone_batches,
        "confirm_links": gone_links,
        "login_attempts": gone_attempts,
    }
    if revision_days is not None:
        gone["revisions"] = prune_revisions(engine, older_than_days=revision_days).removed
    return gone


# --- old versions of records -------------------------------------------------------------------
#
# Every accepted version of a record is a row of `revisions`: the base of field-wise merges
# (push.Batch.base_of), a record's field history (pull.record_history) and who wrote what a conflict
# notice names (notices.py). A province's history grows by about 1 kB an edit, so an operator may
# delete versions past a retention age. Kept, whatever their age:
#   - every version written within the retention (`at` on or after the cutoff);
#   - the newest version written before the cutoff, of every record: the current version of a record
#     not changed since, else the one every change within the retention was made to, so the history
#     still shows each of those field by field;
#   - the base and the server's version that an open conflict notice names (the resolving push is
#     merged against the latter).
# A client that pushes against a deleted base loses nothing: Batch.base_of answers an empty base, and
# every field it holds that differs from the server's comes back as a conflict, never overwritten.
#
# Deleted in chunks, each its own short transaction; no lock of the `server_seq` counter (which
# pushes take), so pushes go on between chunks (on SQLite they wait for one chunk's delete at most).

REVISION_DAYS = 1095  # three years: an annual assessment, and its appeals, look back well within it
MIN_REVISION_DAYS = 90
REVISION_CHUNK = 1000
# The text columns of a revision (their bytes are counted) and its fixed-size ones (id, rev,
# server_seq, deleted): an estimate of the data deleted, without the database's own overhead.
_TEXT_COLUMNS = "table_name record_id fields user_id username device_id batch_id client_time at".split()
_FIXED_BYTES = 8 + 4 + 8 + 1


class RetentionTooShort(ValueError):
    """A retention under MIN_REVISION_DAYS: refused before anything is deleted."""

    def __init__(self, days: int) -> None:
        self.zh = (
            f"保留期 {days} 天太短：至少 {MIN_REVISION_DAYS} 天"
            f"（建议 {REVISION_DAYS} 天，覆盖年度考核的回溯期）"
        )
        self.en = (
            f"a retention of {days} days is too short: at least {MIN_REVISION_DAYS} days "
            f"(suggested {REVISION_DAYS}, which covers the annual assessment's look-back)"
        )
        super().__init__(self.en)


@dataclass
class RevisionPrune:
    """What `prune_revisions` deleted (with dry_run: would delete)."""

    older_than_days: int
    cutoff: str  # versions written before this (ISO UTC) were candidates
    dry_run: bool
    removed: int = 0
    bytes: int = 0  # the deleted rows' data (text bytes and fixed-size columns), an estimate
    by_table: dict[str, int] = field(default_factory=dict)
    kept_for_notices: int = 0  # old versions kept only because an open conflict notice names them
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "older_than_days": self.older_than_days,
            "cutoff": self.cutoff,
            "dry_run": self.dry_run,
            "removed": self.removed,
            "bytes": self.bytes,
            "by_table": dict(sorted(self.by_table.items())),
            "kept_for_notices": self.kept_for_notices,
            "seconds": round(self.seconds, 3),
        }


def prune_revisions(
    engine: Engine,
    *,
    older_than_days: int = REVISION_DAYS,
    dry_run: bool = False,
    chunk: int = REVISION_CHUNK,
    now: datetime | None = None,
) -> RevisionPrune:
    """Delete the versions of records older than `older_than_days` that nothing needs (see above);
    with `dry_run`, only count them. Run one at a time (cron runs it once a night)."""
    if older_than_days < MIN_REVISION_DAYS:
        raise RetentionTooShort(older_than_days)
    started = time.monotonic()
    cutoff = timeutil.iso((now or timeutil.now()) - timedelta(days=older_than_days))
    result = RevisionPrune(older_than_days, cutoff, dry_run)
    kept: set[tuple[str, str, int]] = set()  # named by an open notice
    notices_seen = 0  # notices changed up to this server_seq are in `kept`
    after = 0
    while True:
        with reading(engine) as conn:
            found = _candidates(conn, cutoff, after, max(1, chunk))
        if not found:
            break
        after = found[-1].id
        with (reading if dry_run else writing)(engine) as conn:
            # Notices opened since the last chunk too (read in the chunk's transaction: on SQLite no
            # push can open one between this read and the delete).
            top = int(
                conn.execute(select(counters.c.value).where(counters.c.name == "server_seq")).scalar_one()
            )
            if top > notices_seen:
                kept |= _named_by_open_notices(conn, notices_seen, top)
                notices_seen = top
            doomed = [r for r in found if (r.table_name, r.record_id, r.rev) not in kept]
            result.kept_for_notices += len(found) - len(doomed)
            if doomed and not dry_run:
                conn.execute(delete(revisions).where(revisions.c.id.in_([r.id for r in doomed])))
        for r in doomed:
            result.removed += 1
            result.bytes += int(r.size or 0)
            result.by_table[r.table_name] = result.by_table.get(r.table_name, 0) + 1
    result.seconds = time.monotonic() - started
    if result.removed and not dry_run:
        from sync.server import audit

        # Deleting history is itself kept in the append-only audit trail.
        summary = {k: v for k, v in result.as_dict().items() if k not in ("dry_run", "seconds")}
        audit.record_now(engine, audit.SERVER_CLI, "revisions.prune", "revisions", None, summary)
    log.info("revisions pruned" if not dry_run else "revisions prune (dry run)", extra=result.as_dict())
    return result


def _octets(conn: Connection, name: str) -> ColumnElement[int]:
    column = revisions.c[name]
    if conn.dialect.name == "postgresql":
        return func.octet_length(column)
    return func.length(cast(column, LargeBinary))  # SQLite: length() of text counts characters


def _candidates(conn: Connection, cutoff: str, after: int, chunk: int) -> list[Any]:
    """The next `chunk` versions (by id, after `after`) written before the cutoff that a newer version
    also written before the cutoff superseded. The newer one is found by the unique index on
    (table_name, record_id, rev); the walk by id reads the table once over all chunks."""
    newer = revisions.alias("newer")
    superseded = exists().where(
        newer.c.table_name == revisions.c.table_name,
        newer.c.record_id == revisions.c.record_id,
        newer.c.rev > revisions.c.rev,
        newer.c.at < cutoff,
    )
    size: ColumnElement[int] = literal(_FIXED_BYTES)
    for name in _TEXT_COLUMNS:
        size = size + _octets(conn, name)
    query = (
        select(
            revisions.c.id,
            revisions.c.table_name,
            revisions.c.record_id,
            revisions.c.rev,
            size.label("size"),
        )
        .where(revisions.c.id > after, revisions.c.at < cutoff, superseded)
        .order_by(revisions.c.id)
        .limit(chunk)
    )
    return list(conn.execute(query).all())


def _named_by_open_notices(conn: Connection, since: int, top: int) -> set[tuple[str, str, int]]:
    """(table, record id, rev) of the base and the server's version each open conflict notice changed
    in (since, top] names. Every change numbered up to `top` is committed (see pull.pull_page)."""
    named: set[tuple[str, str, int]] = set()
    rows = conn.execute(
        select(records.c.fields).where(
            records.c.table_name == NOTICE_TABLE,
            records.c.deleted == false(),
            records.c.server_seq > since,
            records.c.server_seq <= top,
        )
    )
    for row in rows:
        try:
            notice = json.loads(row.fields)
        except ValueError:
            continue
        if not isinstance(notice, dict) or notice.get("status") != "open":
            continue
        table, record_id = str(notice.get("table") or ""), str(notice.get("record_id") or "")
        for key in ("base_rev", "server_rev"):
            rev = notice.get(key)
            if isinstance(rev, int) and not isinstance(rev, bool):
                named.add((table, record_id, rev))
    return named
