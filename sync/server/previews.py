"""Previews of stored files: made once by the server, fetched in batches by whoever may see the file.

The server makes each preview itself from the bytes it stored (sync/previews.py: decoded with a pixel
bound, re-encoded as a JPEG of at most 400 px and 40 KB) when an upload completes, or, for a file
stored before previews existed, the first time someone asks. It never stores an image a client made.
The same rule as for the file opens a preview (attachments.visible_hashes, or the caller's own upload).
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select

from sync import protocol
from sync.previews import make_preview
from sync.server import attachments, timeutil
from sync.server.auth import User
from sync.server.db import is_sqlite, reading, writing
from sync.server.tables import previews, upload_owners, uploads

log = logging.getLogger(__name__)

MAX_BATCH = 200
SHA256 = Annotated[str, Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")]


class PreviewRequest(BaseModel):
    model_config = ConfigDict(strict=True)
    hashes: list[SHA256] = Field(max_length=MAX_BATCH)


class PreviewOut(BaseModel):
    sha256: str
    kind: str
    jpeg_base64: str


class PreviewAnswer(BaseModel):
    previews: list[PreviewOut]
    # Hashes the caller may not see, or that are not stored (yet): the same answer for both.
    unavailable: list[str]


_MAKING = threading.BoundedSemaphore(2)  # previews made at once, per server process


def ensure(engine: Engine, sha256: str) -> bytes | None:
    """The preview of a completely stored file, made now if it has none; None if not stored."""
    with reading(engine) as conn:
        row = conn.execute(select(previews.c.data).where(previews.c.sha256 == sha256)).first()
        if row is not None:
            return bytes(row.data)
        stored = conn.execute(
            select(uploads.c.size).where(uploads.c.sha256 == sha256, uploads.c.complete)
        ).first()
    if stored is None:
        return None
    with _MAKING:  # a few at a time: each may hold a decoded image of up to 64 MB
        data = b"".join(attachments.stream(engine, sha256))
        jpeg, kind = make_preview(data)
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    with writing(engine) as conn:
        insert = sqlite_insert if is_sqlite(conn) else pg_insert
        conn.execute(
            insert(previews)
            .values(sha256=sha256, kind=kind, data=jpeg, created_at=timeutil.now_iso())
            .on_conflict_do_nothing()
        )
    return jpeg


def fetch(engine: Engine, user: User, hashes: list[str]) -> dict[str, Any]:
    wanted = list(dict.fromkeys(hashes))
    with reading(engine) as conn:
        allowed = attachments.visible_hashes(conn, user, wanted)
        own = conn.execute(
            select(upload_owners.c.sha256).where(
                upload_owners.c.sha256.in_(wanted),
                upload_owners.c.user_id == user.id,
                upload_owners.c.complete,
            )
        )
        allowed |= {r.sha256 for r in own}
        rows = {
            r.sha256: (r.kind, bytes(r.data))
            for r in conn.execute(
                select(previews.c.sha256, previews.c.kind, previews.c.data).where(
                    previews.c.sha256.in_(sorted(allowed))
                )
            )
        }
    out: list[dict[str, str]] = []
    unavailable: list[str] = []
    for sha in wanted:
        if sha not in allowed:
            unavailable.append(sha)
            continue
        if sha not in rows:
            jpeg = ensure(engine, sha)
            if jpeg is None:
                unavailable.append(sha)
                continue
            with reading(engine) as conn:
                kind: str = conn.execute(select(previews.c.kind).where(previews.c.sha256 == sha)).scalar_one()
            rows[sha] = (kind, jpeg)
        kind, jpeg = rows[sha]
        out.append({"sha256": sha, "kind": kind, "jpeg_base64": base64.b64encode(jpeg).decode("ascii")})
    return {"previews": out, "unavailable": unavailable}


def router(engine: Engine, current_user: Callable[..., Awaitable[User]], common: dict[str, Any]) -> APIRouter:
    api = APIRouter()
    who = Depends(current_user)

    @api.post(f"{protocol.API_PREFIX}/previews", response_model=PreviewAnswer, **common)
    def attachment_previews(body: PreviewRequest, user: User = who) -> dict[str, Any]:
        """Previews of up to 200 files the caller may see (the same rule as downloading them)."""
        return fetch(engine, user, body.hashes)

    return api
