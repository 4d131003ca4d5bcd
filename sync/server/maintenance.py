"""Housekeeping the operator runs from cron (`commissioner-server prune`): old sessions, abandoned
uploads and old idempotency answers. Records and their revisions (the audit log) are never pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, and_, delete, or_, select

from sync.server import timeutil
from sync.server.db import writing
from sync.server.tables import push_batches, tokens, upload_chunks, uploads


def prune(
    engine: Engine, *, token_days: int = 30, upload_days: int = 14, batch_days: int = 365
) -> dict[str, int]:
    """Delete tokens expired or revoked `token_days` ago, incomplete uploads untouched for
    `upload_days`, and stored push answers older than `batch_days` (a client retries a batch for as
    long as it is offline, so keep those long)."""
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
                    uploads.c.complete.is_(False), uploads.c.updated_at < before(upload_days)
                )
            )
        ]
        for i in range(0, len(stale), 500):
            conn.execute(delete(upload_chunks).where(upload_chunks.c.sha256.in_(stale[i : i + 500])))
            conn.execute(delete(uploads).where(uploads.c.sha256.in_(stale[i : i + 500])))
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
    }
