"""Content-addressed attachments: chunked, resumable uploads verified by sha256 on completion.

The bytes live in the database (`upload_chunks`), the only storage every server process shares.
Names never become paths: an attachment is addressed by its validated sha256 alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, false, func, or_, select, update

from sync.protocol import MAX_ATTACHMENT_BYTES
from sync.server import timeutil
from sync.server.auth import User
from sync.server.db import is_sqlite, reading, writing
from sync.server.errors import ApiError, not_found
from sync.server.fields import SHA256_RE
from sync.server.middleware import MAX_CHUNK_BODY
from sync.server.scope import visible_clause
from sync.server.tables import records, upload_chunks, upload_owners, upload_staging, uploads

DEFAULT_UPLOAD_QUOTA = 2 * 1024**3  # bytes a user may hold in uploads no record refers to


def check_sha(sha256: str) -> str:
    if not SHA256_RE.match(sha256):
        raise ApiError(
            422,
            "invalid_sha256",
            "附件标识应为64位小写十六进制 sha256",
            "an attachment is named by its sha256: 64 lower-case hex digits",
        )
    return sha256


def _insert() -> Any:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert, pg_insert


def _owner(conn: Connection, sha256: str, user: User, lock: bool = False) -> Any:
    query = select(upload_owners).where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == user.id)
    return conn.execute(query.with_for_update() if lock else query).first()


def status(engine: Engine, user: User, sha256: str) -> dict[str, Any]:
    """How much of a file the caller has sent. The same answer for a file nobody has and for one
    only others have: the status never tells whether a hash exists."""
    check_sha(sha256)
    with reading(engine) as conn:
        own = _owner(conn, sha256, user)
        row = conn.execute(select(uploads).where(uploads.c.sha256 == sha256)).first()
    if own is not None and own.complete:
        return {"sha256": sha256, "complete": True, "received": own.received}
    if row is not None and not row.complete and row.created_by == user.id:
        return {"sha256": sha256, "complete": False, "received": row.received}
    return {"sha256": sha256, "complete": False, "received": own.received if own else 0}


def _busy() -> ApiError:
    # 423, not 409: a client resumes a 409 at the offset it names; this one has none to offer.
    return ApiError(
        423,
        "upload_busy",
        "此文件正在由他人上传，请稍后再同步",
        "this file is being uploaded by someone else; sync again later",
        headers={"Retry-After": "60"},
    )


def _locked(conn: Connection, sha256: str, user: User) -> Any:
    sqlite_insert, pg_insert = _insert()
    insert = sqlite_insert if is_sqlite(conn) else pg_insert
    for _ in range(3):
        now = timeutil.now_iso()
        conn.execute(
            insert(uploads)
            .values(
                sha256=sha256, received=0, complete=False, created_by=user.id, created_at=now, updated_at=now
            )
            .on_conflict_do_nothing()
        )
        row = conn.execute(select(uploads).where(uploads.c.sha256 == sha256).with_for_update()).first()
        if row is not None:
            return row
        # Discarded (a failed completion) between the insert and the lock: start it afresh.
    raise _busy()


def _quota_used(conn: Connection, user: User) -> int:
    """Bytes the user holds in uploads no record refers to (unfinished, or finished but unused)."""
    referenced = exists().where(records.c.sha256 == uploads.c.sha256, records.c.deleted == false())
    used: int = conn.execute(
        select(func.coalesce(func.sum(uploads.c.received), 0)).where(
            uploads.c.created_by == user.id, or_(uploads.c.complete == false(), ~referenced)
        )
    ).scalar_one()
    staged: int = conn.execute(
        select(func.coalesce(func.sum(func.length(upload_staging.c.data)), 0)).where(
            upload_staging.c.user_id == user.id
        )
    ).scalar_one()
    return int(used) + int(staged)


def over_quota(quota: int) -> ApiError:
    mib = quota / (1024 * 1024)
    return ApiError(
        413,
        "upload_quota",
        f"您尚未被记录引用的上传文件已达配额（{mib:.0f} MiB），请先同步记录，或稍后再试",
        f"your uploads that no record refers to yet have reached the quota ({mib:.0f} MiB); "
        "sync your records first, or try later",
        extra={"quota": quota},
    )


def _stored_range(conn: Connection, sha256: str, start: int, length: int) -> bytes:
    """Bytes [start, start + length) of a stored file, from its chunks."""
    end = start + length
    rows = conn.execute(
        select(upload_chunks.c.offset, upload_chunks.c.data)
        .where(
            upload_chunks.c.sha256 == sha256,
            upload_chunks.c.offset < end,
            upload_chunks.c.offset > start - MAX_CHUNK_BODY - 1,
        )
        .order_by(upload_chunks.c.offset)
    ).all()
    out = bytearray()
    for row in rows:
        data = bytes(row.data)
        lo, hi = max(start, row.offset), min(end, row.offset + len(data))
        if lo < hi:
            out += data[lo - row.offset : hi - row.offset]
    return bytes(out)


def _wrong_offset(received: int) -> ApiError:
    return ApiError(
        409,
        "wrong_offset",
        f"应从第 {received} 字节继续上传",
        f"continue the upload at byte {received}",
        extra={"received": received},
    )


def put_chunk(
    engine: Engine, user: User, sha256: str, offset: int, data: bytes, quota: int = 0
) -> dict[str, Any]:
    check_sha(sha256)
    if not data:
        raise ApiError(422, "empty_chunk", "上传内容为空", "the chunk is empty")
    with writing(engine) as conn:
        row = _locked(conn, sha256, user)
        if row.complete:
            return _prove(conn, row, user, sha256, offset, data, quota)
        if row.created_by != user.id:
            # Someone else's unfinished upload: only they add to it; this sender's bytes are kept
            # apart, and whichever of the two completes with the right bytes stores the file.
            return _stage(conn, user, sha256, offset, data, quota)
        if offset != row.received:
            raise _wrong_offset(row.received)
        if row.received + len(data) > MAX_ATTACHMENT_BYTES:
            raise _too_large()
        if quota and _quota_used(conn, user) + len(data) > quota:
            raise over_quota(quota)
        conn.execute(upload_chunks.insert().values(sha256=sha256, offset=offset, data=data))
        received = row.received + len(data)
        conn.execute(
            update(uploads)
            .where(uploads.c.sha256 == sha256)
            .values(received=received, updated_at=timeutil.now_iso())
        )
    return {"received": received, "complete": False}


def _sender(conn: Connection, sha256: str, user: User, now: str) -> Any:
    """The caller's row of upload_owners for a file they send that is not (or not only) theirs to
    upload (a proof, `_prove`; bytes kept apart, `_stage`), made at their first chunk, locked."""
    sqlite_insert, pg_insert = _insert()
    insert = sqlite_insert if is_sqlite(conn) else pg_insert
    conn.execute(
        insert(upload_owners)
        .values(
            sha256=sha256,
            user_id=user.id,
            commissioner_id=user.commissioner_id,
            role=user.role,
            received=0,
            complete=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
    )
    return _owner(conn, sha256, user, lock=True)


def _prove(
    conn: Connection, row: Any, user: User, sha256: str, offset: int, data: bytes, quota: int = 0
) -> dict[str, Any]:
    """A file already stored, sent again by someone who has it: each chunk is compared with the
    stored bytes, and whoever has sent all of them holds the file too (nothing is stored twice).
    A chunk that does not match is noted and answered as one that does: the verdict comes at the
    completion, on the whole, so that neither a byte guessed at a time nor whether the hash is
    stored can be learnt from the answers (an unknown hash's chunks are answered alike)."""
    now = timeutil.now_iso()
    own = _sender(conn, sha256, user, now)
    if own.complete:
        return {"received": own.received, "complete": True}
    if offset != own.received:
        raise _wrong_offset(own.received)
    if own.received + len(data) > MAX_ATTACHMENT_BYTES:
        raise _too_large()  # as for any upload
    if quota and _quota_used(conn, user) + len(data) > quota:
        # Nothing is stored here, but answered as any upload is: a full quota that refused a chunk
        # for an unknown hash and took one for a stored hash would tell which hashes are stored.
        raise over_quota(quota)
    same = offset + len(data) <= row.size and _stored_range(conn, sha256, offset, len(data)) == data
    received = own.received + len(data)
    conn.execute(
        update(upload_owners)
        .where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == user.id)
        .values(received=received, mismatched=own.mismatched or not same, updated_at=now)
    )
    return {"received": received, "complete": False}


def _stage(conn: Connection, user: User, sha256: str, offset: int, data: bytes, quota: int) -> dict[str, Any]:
    """A chunk of a file whose upload another user began: kept apart (upload_staging), its progress
    in the sender's upload_owners row, as a proof's is. See `complete`."""
    now = timeutil.now_iso()
    own = _sender(conn, sha256, user, now)
    if offset != own.received:
        raise _wrong_offset(own.received)
    if own.received + len(data) > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    if quota and _quota_used(conn, user) + len(data) > quota:
        raise over_quota(quota)
    conn.execute(upload_staging.insert().values(sha256=sha256, user_id=user.id, offset=offset, data=data))
    received = own.received + len(data)
    conn.execute(
        update(upload_owners)
        .where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == user.id)
        .values(received=received, updated_at=now)
    )
    return {"received": received, "complete": False}


def _finish_staged(conn: Connection, user: User, own: Any, sha256: str, size: int) -> bool:
    """The caller's bytes, sent beside another's unfinished upload, all here: if they are the file
    they become it (the other's partial bytes are dropped, and the other, if they hold the file,
    proves it by sending it again); else they are dropped. Whether they mismatched."""
    if size > own.received:
        raise _incomplete(own.received)
    mine = and_(upload_staging.c.sha256 == sha256, upload_staging.c.user_id == user.id)
    digest = hashlib.sha256()
    for row in conn.execute(select(upload_staging.c.data).where(mine).order_by(upload_staging.c.offset)):
        digest.update(row.data)
    if size != own.received or digest.hexdigest() != sha256:
        conn.execute(delete(upload_staging).where(mine))
        conn.execute(
            update(upload_owners)
            .where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == user.id)
            .values(received=0, updated_at=timeutil.now_iso())
        )
        return True
    conn.execute(delete(upload_chunks).where(upload_chunks.c.sha256 == sha256))
    _unstage(conn, sha256, user.id)
    conn.execute(
        update(uploads)
        .where(uploads.c.sha256 == sha256)
        .values(received=size, complete=True, size=size, created_by=user.id, updated_at=timeutil.now_iso())
    )
    _stored(conn, sha256)
    _add_owner(conn, user, sha256, size)
    return False


def _unstage(conn: Connection, sha256: str, user_id: str) -> None:
    """A sender's bytes kept apart become the file's stored chunks."""
    mine = and_(upload_staging.c.sha256 == sha256, upload_staging.c.user_id == user_id)
    conn.execute(
        upload_chunks.insert().from_select(
            ["sha256", "offset", "data"],
            select(upload_staging.c.sha256, upload_staging.c.offset, upload_staging.c.data).where(mine),
        )
    )
    conn.execute(delete(upload_staging).where(mine))


def _stored(conn: Connection, sha256: str) -> None:
    """The file is stored: bytes others were sending beside its upload were never compared with it,
    so their senders start again from byte 0, proving they hold it (`_prove`)."""
    conn.execute(delete(upload_staging).where(upload_staging.c.sha256 == sha256))
    conn.execute(
        update(upload_owners)
        .where(upload_owners.c.sha256 == sha256, upload_owners.c.complete.is_(False))
        .values(received=0, mismatched=False, updated_at=timeutil.now_iso())
    )


def _too_large() -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"附件超过上限 {MAX_ATTACHMENT_BYTES} 字节",
        f"the attachment is larger than the limit of {MAX_ATTACHMENT_BYTES} bytes",
    )


def _hash_mismatch() -> ApiError:
    return ApiError(
        422,
        "hash_mismatch",
        "文件内容与 sha256 不符，上传已作废，请重新上传",
        "the bytes do not match the sha256; the upload was discarded, send it again",
    )


def _add_owner(conn: Connection, user: User, sha256: str, size: int) -> None:
    sqlite_insert, pg_insert = _insert()
    insert = sqlite_insert if is_sqlite(conn) else pg_insert
    now = timeutil.now_iso()
    values = {"received": size, "complete": True, "updated_at": now}
    conn.execute(
        insert(upload_owners)
        .values(
            sha256=sha256,
            user_id=user.id,
            commissioner_id=user.commissioner_id,
            role=user.role,
            created_at=now,
            **values,
        )
        .on_conflict_do_update(index_elements=["sha256", "user_id"], set_=values)
    )


def _chunks(conn: Connection, sha256: str) -> Iterator[bytes]:
    return _chunks_from(conn, sha256, 0)


def _chunks_from(conn: Connection, sha256: str, offset: int) -> Iterator[bytes]:
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


def _incomplete(received: int) -> ApiError:
    return ApiError(
        409,
        "incomplete",
        f"尚未上传完整（已收到 {received} 字节）",
        f"the upload is not complete ({received} bytes received)",
        extra={"received": received},
    )


def complete(engine: Engine, user: User, sha256: str, size: int) -> dict[str, Any]:
    check_sha(sha256)
    if size == 0:
        # No chunk of an empty file can be sent (put_chunk refuses one): say why, rather than that
        # the upload is unfinished, which a client would retry at every sync.
        raise ApiError(422, "empty_attachment", "空文件不能作为附件", "an empty file cannot be an attachment")
    mismatch = False
    with writing(engine) as conn:
        row = conn.execute(select(uploads).where(uploads.c.sha256 == sha256).with_for_update()).first()
        own = _owner(conn, sha256, user, lock=True)
        if own is not None and own.complete:
            if own.received != size:
                raise ApiError(
                    422,
                    "size_mismatch",
                    "文件大小与服务器上的不符",
                    "the size does not match the stored file",
                )
            return {"sha256": sha256, "size": size}
        if row is not None and not row.complete and row.created_by != user.id and own is not None:
            mismatch = _finish_staged(conn, user, own, sha256, size)  # sent beside another's upload
        elif row is None or (not row.complete and row.created_by != user.id):
            raise _incomplete(0)  # nothing of the caller's: as for a file nobody has sent
        elif row.complete:
            # Sent again by someone who has it (_prove): done once every byte matched. Answered as
            # an upload of a file nobody has would be: unfinished until `size` bytes have come,
            # then the whole judged (a mismatch starts it again from byte 0).
            received = own.received if own is not None else 0
            if size > received:
                raise _incomplete(received)
            if own is None or own.mismatched or size != received or size != row.size:
                if own is not None:
                    conn.execute(
                        update(upload_owners)
                        .where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == user.id)
                        .values(received=0, mismatched=False, updated_at=timeutil.now_iso())
                    )
                mismatch = True
            else:
                _add_owner(conn, user, sha256, size)
                return {"sha256": sha256, "size": size}
        else:
            mismatch = _finish_upload(conn, user, row, sha256, size)
    if mismatch:
        raise _hash_mismatch()
    return {"sha256": sha256, "size": size}


def _finish_upload(conn: Connection, user: User, row: Any, sha256: str, size: int) -> bool:
    """The caller's own upload, all sent: checked against its sha256 and marked complete; a
    mismatch keeps nothing (the client starts again from byte 0). Whether it mismatched."""
    if size > row.received:
        raise _incomplete(row.received)
    digest = hashlib.sha256()
    for chunk in _chunks(conn, sha256):
        digest.update(chunk)
    if size != row.received or digest.hexdigest() != sha256:
        conn.execute(delete(upload_chunks).where(upload_chunks.c.sha256 == sha256))
        conn.execute(delete(uploads).where(uploads.c.sha256 == sha256))
        _promote(conn, sha256)
        return True
    conn.execute(
        update(uploads)
        .where(uploads.c.sha256 == sha256)
        .values(complete=True, size=size, updated_at=timeutil.now_iso())
    )
    _stored(conn, sha256)
    _add_owner(conn, user, sha256, size)
    return False


def _promote(conn: Connection, sha256: str) -> None:
    """The upload of a file was discarded (its bytes did not match): the one sending the most of it
    beside that upload, if anyone, goes on as its uploader with the bytes already sent (else the
    first uploader could, by failing at will, send everyone else back to byte 0 for ever)."""
    best = conn.execute(
        select(upload_owners)
        .where(
            upload_owners.c.sha256 == sha256,
            upload_owners.c.complete.is_(False),
            upload_owners.c.received > 0,
            exists().where(
                upload_staging.c.sha256 == sha256, upload_staging.c.user_id == upload_owners.c.user_id
            ),
        )
        .order_by(upload_owners.c.received.desc(), upload_owners.c.updated_at)
        .limit(1)
    ).first()
    if best is None:
        return
    _unstage(conn, sha256, best.user_id)
    conn.execute(
        delete(upload_owners).where(upload_owners.c.sha256 == sha256, upload_owners.c.user_id == best.user_id)
    )
    now = timeutil.now_iso()
    conn.execute(
        uploads.insert().values(
            sha256=sha256,
            received=best.received,
            complete=False,
            created_by=best.user_id,
            created_at=best.created_at,
            updated_at=now,
        )
    )


def visible_hashes(conn: Connection, user: User, hashes: list[str]) -> set[str]:
    """Which of these files a record the caller may see refers to, where the record's owner has shown
    they hold the file (uploaded it, or sent the same bytes again): naming a hash in a record of
    one's own opens nothing."""
    if not hashes:
        return set()
    held = exists().where(
        upload_owners.c.sha256 == records.c.sha256,
        upload_owners.c.complete,
        or_(
            upload_owners.c.commissioner_id == records.c.owner_id,
            and_(records.c.owner_id.is_(None), upload_owners.c.role == "bureau"),
        ),
    )
    rows = conn.execute(
        select(records.c.sha256)
        .distinct()
        .where(records.c.sha256.in_(hashes), records.c.deleted == false(), visible_clause(user), held)
    )
    return {row.sha256 for row in rows}


def open_download(engine: Engine, user: User, sha256: str) -> int:
    """The size of a file the caller may fetch; 404 for a missing file or one they may not see.

    Knowing a hash opens nothing: the caller holds the file themselves (an upload belongs to its
    uploader until a record refers to it), or a record they may see refers to it."""
    check_sha(sha256)
    with reading(engine) as conn:
        row = conn.execute(
            select(uploads.c.size).where(uploads.c.sha256 == sha256, uploads.c.complete)
        ).first()
        if row is None:
            raise not_found()
        own = _owner(conn, sha256, user)
        if not (own is not None and own.complete) and sha256 not in visible_hashes(conn, user, [sha256]):
            raise not_found()
    return int(row.size)


def stream(engine: Engine, sha256: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """Bytes [start, end) of a stored file (to its end when `end` is None), chunk by chunk."""
    with engine.connect() as conn:
        if start == 0 and end is None:
            yield from _chunks(conn, sha256)
            return
        rows = conn.execute(
            select(upload_chunks.c.offset)
            .where(upload_chunks.c.sha256 == sha256, upload_chunks.c.offset <= start)
            .order_by(upload_chunks.c.offset.desc())
            .limit(1)
        ).first()
        offset = rows.offset if rows is not None else 0
        for chunk in _chunks_from(conn, sha256, offset):
            lo, hi = max(start, offset), offset + len(chunk) if end is None else min(end, offset + len(chunk))
            if lo < hi:
                yield chunk[lo - offset : hi - offset]
            offset += len(chunk)
            if end is not None and offset >= end:
                return


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end exclusive) of a single `bytes=` range; None for no header or one not understood
    (answered with the whole file). Raises 416 for a range that starts beyond the file."""
    if not header:
        return None
    text = header.strip()
    if not text.startswith("bytes=") or "," in text:
        return None
    first, dash, last = text[6:].strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                return None
            return max(0, size - suffix), size
        start = int(first)
        end = int(last) + 1 if last else size
    except ValueError:
        return None
    if start < 0 or (last and end <= start):
        return None
    if start >= size:
        raise ApiError(
            416,
            "range_not_satisfiable",
            f"请求的范围超出文件大小（{size} 字节）",
            f"the requested range is beyond the file's size ({size} bytes)",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, min(end, size)
