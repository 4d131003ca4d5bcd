"""Content-addressed attachments: chunked, resumable uploads verified by sha256 on completion.

The bytes live in the database (`upload_chunks`), the only storage every server process shares.
Names never become paths: an attachment is addressed by its validated sha256 alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, false, select, update

from sync.protocol import MAX_ATTACHMENT_BYTES
from sync.server import timeutil
from sync.server.auth import User
from sync.server.db import is_sqlite, reading, writing
from sync.server.errors import ApiError, not_found
from sync.server.fields import SHA256_RE
from sync.server.scope import visible_clause
from sync.server.tables import records, upload_chunks, uploads


def check_sha(sha256: str) -> str:
    if not SHA256_RE.match(sha256):
        raise ApiError(
            422,
            "invalid_sha256",
            "附件标识应为64位小写十六进制 sha256",
            "an attachment is named by its sha256: 64 lower-case hex digits",
        )
    return sha256


def status(engine: Engine, sha256: str) -> dict[str, Any]:
    with reading(engine) as conn:
        row = conn.execute(select(uploads).where(uploads.c.sha256 == check_sha(sha256))).first()
    return {"sha256": sha256, "complete": bool(row and row.complete), "received": row.received if row else 0}


def _locked(conn: Connection, sha256: str, user: User) -> Any:
    if is_sqlite(conn):
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    now = timeutil.now_iso()
    conn.execute(
        insert(uploads)
        .values(sha256=sha256, received=0, complete=False, created_by=user.id, created_at=now, updated_at=now)
        .on_conflict_do_nothing()
    )
    return conn.execute(select(uploads).where(uploads.c.sha256 == sha256).with_for_update()).one()


def put_chunk(engine: Engine, user: User, sha256: str, offset: int, data: bytes) -> dict[str, Any]:
    check_sha(sha256)
    if not data:
        raise ApiError(422, "empty_chunk", "上传内容为空", "the chunk is empty")
    with writing(engine) as conn:
        row = _locked(conn, sha256, user)
        if row.complete:
            return {"received": row.received, "complete": True}
        if offset != row.received:
            raise ApiError(
                409,
                "wrong_offset",
                f"应从第 {row.received} 字节继续上传",
                f"continue the upload at byte {row.received}",
                extra={"received": row.received},
            )
        if row.received + len(data) > MAX_ATTACHMENT_BYTES:
            raise ApiError(
                413,
                "too_large",
                f"附件超过上限 {MAX_ATTACHMENT_BYTES} 字节",
                f"the attachment is larger than the limit of {MAX_ATTACHMENT_BYTES} bytes",
            )
        conn.execute(upload_chunks.insert().values(sha256=sha256, offset=offset, data=data))
        received = row.received + len(data)
        conn.execute(
            update(uploads)
            .where(uploads.c.sha256 == sha256)
            .values(received=received, updated_at=timeutil.now_iso())
        )
    return {"received": received, "complete": False}


def _chunks(conn: Connection, sha256: str) -> Iterator[bytes]:
    offset = 0
    while True:
        row = conn.execute(
            select(upload_chunks.c.offset, upload_chunks.c.data)
            .where(upload_chunks.c.sha256 == sha256, upload_chunks.c.offset >= offset)
            .order_by(upload_chunks.c.offset)
            .limit(1)
        ).first()
        if row is None:
            return
        yield bytes(row.data)
        offset = row.offset + len(row.data)


def complete(engine: Engine, user: User, sha256: str, size: int) -> dict[str, Any]:
    check_sha(sha256)
    mismatch = False
    with writing(engine) as conn:
        row = _locked(conn, sha256, user)
        if row.complete:
            if row.size != size:
                raise ApiError(
                    422,
                    "size_mismatch",
                    "文件大小与服务器上的不符",
                    "the size does not match the stored file",
                )
            return {"sha256": sha256, "size": size}
        if size > row.received:
            raise ApiError(
                409,
                "incomplete",
                f"尚未上传完整（已收到 {row.received} 字节）",
                f"the upload is not complete ({row.received} bytes received)",
                extra={"received": row.received},
            )
        digest = hashlib.sha256()
        for chunk in _chunks(conn, sha256):
            digest.update(chunk)
        if size != row.received or digest.hexdigest() != sha256:
            # Keep nothing of a corrupt upload: the client starts again from byte 0.
            conn.execute(delete(upload_chunks).where(upload_chunks.c.sha256 == sha256))
            conn.execute(delete(uploads).where(uploads.c.sha256 == sha256))
            mismatch = True
        else:
            conn.execute(
                update(uploads)
                .where(uploads.c.sha256 == sha256)
                .values(complete=True, size=size, updated_at=timeutil.now_iso())
            )
    if mismatch:
        raise ApiError(
            422,
            "hash_mismatch",
            "文件内容与 sha256 不符，上传已作废，请重新上传",
            "the bytes do not match the sha256; the upload was discarded, send it again",
        )
    return {"sha256": sha256, "size": size}


def open_download(engine: Engine, user: User, sha256: str) -> int:
    """The size of a file the caller may fetch; 404 for a missing file or one they may not see."""
    check_sha(sha256)
    with reading(engine) as conn:
        allowed = conn.execute(
            select(
                exists().where(
                    and_(records.c.sha256 == sha256, records.c.deleted == false(), visible_clause(user))
                )
            )
        ).scalar()
        row = conn.execute(
            select(uploads.c.size).where(uploads.c.sha256 == sha256, uploads.c.complete)
        ).first()
    if not allowed or row is None:
        raise not_found()
    return int(row.size)


def stream(engine: Engine, sha256: str) -> Iterator[bytes]:
    with engine.connect() as conn:
        yield from _chunks(conn, sha256)
