"""Conflict notices: a same-field conflict shown to both sides, not only to the one who pushed second.

When a push meets a conflict (the same field changed on the server since the pusher's base), the
pusher learns it from the push answer. The one whose version the server holds must learn it too,
and before the other side has decided. So the push that meets the conflict also writes a notice:
a row of the pseudo-table "conflicts" in `records`, in the same transaction as the push (a crash
loses neither or both), numbered by the same `server_seq` and scoped exactly like the record (its
owner, team, workstation): pull delivers it to whoever may see the record and to no one else.
Fields of a notice:

    table, record_id            the record in conflict
    conflicts                   [{field, base, local (the pusher's value), server (the kept value)}]
    base_rev, server_rev        the pusher's base and the server's revision it collided with
    owner_id                    the record's owner (a commissioner id)
    raised_by_user_id, raised_by, raised_by_name, raised_device    who pushed and met the conflict
    writer_user_id, writer, writer_device                          who wrote the server's revision
    status                      "open", "resolved" or "superseded" (a newer conflict took its place)
    created_at; and when closed: resolved_at, resolved_by, resolved_device, resolved_rev,
    chosen ({field: the value the record holds after the resolving push})

A client shows an open notice to the record's owner and to the writer of the kept version (a
manager's or the bureau's edit of a commissioner's record), not on the device that raised it
(that one has the conflict from its push answer), as "someone else's version conflicts with
yours". Either side resolves by pushing the record with `resolves: [notice id]`; when that push
is accepted or merged the notice is closed with the values kept, and the next pull closes it on
every device. A change that meets a conflict again supersedes the notices it names.

The push answer names the notice of a conflict (`conflict_id`). Older clients ignore that key and
the pulled "conflicts" rows (an unknown table), and never send `resolves`: nothing changes for them.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from sync.protocol import NOTICE_TABLE
from sync.server.tables import revisions

if TYPE_CHECKING:
    from sync.server.push import Batch, Stored

__all__ = ["NOTICE_TABLE", "after_change"]

MAX_RESOLVES = 50  # notice ids one change may close


def after_change(batch: Batch, change: dict[str, Any], result: dict[str, Any]) -> None:
    """Open a notice for a conflict; close the notices a change resolves (called per applied change)."""
    status = result.get("status")
    resolves = [str(n) for n in (change.get("resolves") or [])][:MAX_RESOLVES]
    if status == "conflict":
        notice_id = _open(batch, change, result)
        for old in resolves:
            _close(batch, old, change, "superseded", superseded_by=notice_id)
    elif status in ("accepted", "merged"):
        for old in resolves:
            _close(batch, old, change, "resolved")


def _scope(batch: Batch, record: Stored) -> Any:
    """The record's scope, never public: a notice goes to those involved (the record's owner and
    their managers, the one who raised it, the bureau), not to everyone who may read the record."""
    from sync.server.push import Scope

    owner = record.owner_id
    if owner is None and record.public:
        owner = batch.user.commissioner_id
    return Scope(owner, record.team_id, record.workstation_id, False, record.county)


def _writer(batch: Batch, table: str, record_id: str, rev: int) -> dict[str, Any]:
    written = batch._revisions_written.get((table, record_id, rev))
    if written is not None:
        return {
            "user_id": written["user_id"],
            "username": written["username"],
            "device_id": written["device_id"],
        }
    row = batch.conn.execute(
        select(revisions.c.user_id, revisions.c.username, revisions.c.device_id).where(
            revisions.c.table_name == table, revisions.c.record_id == record_id, revisions.c.rev == rev
        )
    ).first()
    if row is None:
        return {"user_id": "", "username": "", "device_id": ""}
    return {"user_id": row.user_id, "username": row.username, "device_id": row.device_id}


def _open(batch: Batch, change: dict[str, Any], result: dict[str, Any]) -> str:
    table, record_id = change["table"], change["id"]
    record = batch.load(table, record_id)
    assert record is not None  # a conflict needs a stored record
    writer = _writer(batch, table, record_id, record.rev)
    notice_id = str(uuid.uuid4())
    fields = {
        "table": table,
        "record_id": record_id,
        "status": "open",
        "conflicts": result.get("conflicts", []),
        "base_rev": change["base_rev"],
        "server_rev": record.rev,
        "owner_id": record.owner_id,
        "raised_by_user_id": batch.user.id,
        "raised_by": batch.user.username,
        "raised_by_name": batch.user.display_name,
        "raised_device": batch.device_id,
        "writer_user_id": writer["user_id"],
        "writer": writer["username"],
        "writer_device": writer["device_id"],
        "created_at": batch.now,
    }
    batch.write(NOTICE_TABLE, notice_id, None, fields, False, _scope(batch, record))
    result["conflict_id"] = notice_id
    return notice_id


def _close(
    batch: Batch, notice_id: str, change: dict[str, Any], status: str, superseded_by: str = ""
) -> None:
    from sync.server.push import Scope

    notice = batch.load(NOTICE_TABLE, notice_id)
    if notice is None or notice.deleted:
        return
    f = notice.fields
    # Only a notice about this very record, still open: a change cannot close anyone else's.
    if f.get("status") != "open" or f.get("table") != change["table"] or f.get("record_id") != change["id"]:
        return
    record = batch.load(change["table"], change["id"])
    if record is None:
        return
    closed = {
        **f,
        "status": status,
        "resolved_at": batch.now,
        "resolved_by": batch.user.username,
        "resolved_device": batch.device_id,
        "resolved_rev": record.rev,
    }
    if status == "resolved":
        closed["chosen"] = {
            c["field"]: (record.deleted if c["field"] == "deleted" else record.fields.get(c["field"]))
            for c in f.get("conflicts", [])
        }
    if superseded_by:
        closed["superseded_by"] = superseded_by
    # The notice keeps the scope it was opened with: whoever closes it, the same people see the close.
    kept = Scope(notice.owner_id, notice.team_id, notice.workstation_id, False, notice.county)
    batch.write(NOTICE_TABLE, notice_id, notice, closed, False, kept)
