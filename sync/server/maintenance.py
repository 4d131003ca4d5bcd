"""Housekeeping the operator runs from cron (`commissioner-server prune`): old sessions, abandoned
uploads, old login throttling rows and old idempotency answers. Records and their revisions (the
audit log) are never pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, and_, delete, exists, false, or_, select

from sync.server import timeutil
from sync.server.auth import KNOWN_FOR
from sync.server.db import writing
from sync.server.tables import (
    login_attempts,
    previews,
    push_batches,
    records,
    tokens,
    upload_chunks,
    upload_owners,
    uploads,
)


def prune(
    engine: Engine, *, token_days: int = 30, upload_days: int = 14, batch_days: int = 365
) -> dict[str, int]:
    """Delete tokens expired or revoked `token_days` ago; uploads untouched for `upload_days` that are
    unfinished or that no record refers to (with their bytes); stored push answers older than
    `batch_days` (a client retries a batch for as long as it is offline, so keep those long); and
    login throttling rows with no lock, no failure for a day and no success within KNOWN_FOR."""
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
            conn.execute(delete(previews).where(previews.c.sha256.in_(stale[i : i + 500])))
        # Half-finished proofs of holding a file (see attachments._prove).
        conn.execute(
            delete(upload_owners).where(
                upload_owners.c.complete.is_(False), upload_owners.c.updated_at < before(upload_days)
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
    return {
        "tokens": gone_tokens,
        "uploads": len(stale),
        "push_batches": gone_batches,
        "confirm_links": gone_links,
        "login_attempts": gone_attempts,
    }
