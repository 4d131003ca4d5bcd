"""The sync engine: push local changes, upload their attachments, pull the server's changes.

Guarantees (SYNC.md), and how this module keeps them:

- Nothing is lost or duplicated. A push batch, with its idempotency key (`batch_id`), is written
  to the local database *before* it is sent; after a crash or a dropped connection the same batch
  is sent again, and the server answers a replay with its first answer. A change is marked as sent
  only when the server's answer for it has been committed locally, and only if the row was not
  edited meanwhile (its `updated_at` is compared with the one sent).
- No last-writer-wins. A conflict answer keeps the local values of the colliding fields, takes the
  server's values for the fields only the server changed (told apart with the base version kept in
  `sync_base`), records each collision in `sync_conflicts` and holds the record back from push
  until a person resolves it (sync/conflicts.py).
- A pull applies each page and its cursor in one local transaction and never overwrites a record
  with unsent local changes.

`SyncEngine.sync()` is meant to run on a worker thread: it reports progress through a callback
(phase, label, numbers), stops between steps when the cancel flag is set, and raises the typed
errors of sync/errors.py. Use the store from that thread only while the sync runs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from commissioner_app import schema
from commissioner_app.attachments import blob_path, sha256_of
from commissioner_app.domain import TABLES, new_id, now_iso
from commissioner_app.i18n import Message
from commissioner_app.records import column_value as _column_value
from commissioner_app.records import domain_columns
from commissioner_app.reference import RefItem, replace_reference
from commissioner_app.store import Store
from sync import protocol
from sync.bureau_push import META_REFERENCE_REV, push_bureau_edits
from sync.client import SyncClient
from sync.conflicts import apply_notices, mark_reported, resolutions_to_report
from sync.errors import ConflictError, RefusedError, SyncCancelledError

log = logging.getLogger("commissioner.sync.engine")

META_CURSOR = "pull_since"
META_PENDING_BATCH = "push_batch"
META_PENDING_NEXT = "push_batch_next"
PENDING_SLOTS = (META_PENDING_BATCH, META_PENDING_NEXT)  # a batch out is kept in one until answered
META_LAST_SYNC = "last_sync_at"
META_CLOCK_SKEW = "clock_skew_seconds"

# Parents before children, so a server that checks links sees the parent first.
PUSH_ORDER = schema.SYNCED_TABLES
CLOCK_SKEW_WARNING = 300  # seconds
MAX_BATCH_CHARS = 4_000_000  # text in one push batch; the server refuses JSON bodies over 32 MB

PHASES: dict[str, Message] = {
    "push": Message("发送记录", "Sending records"),
    "upload": Message("上传附件", "Uploading attachments"),
    "pull": Message("接收更新", "Receiving updates"),
    "done": Message("同步完成", "Sync finished"),
}

# A test hook: with COMMISSIONER_SYNC_PAUSE_AT=<point>, the engine writes the file named by
# COMMISSIONER_SYNC_PAUSE_FILE and sleeps the Nth time (COMMISSIONER_SYNC_PAUSE_AFTER, default 1)
# it reaches that point, so a test can kill the process exactly there.
PAUSE_POINTS = ("push_answered", "pull_applying", "upload_chunk_sent")


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # a key of PHASES
    done: int
    total: int  # 0 when unknown (a server too old to count what a pull has left)

    @property
    def label(self) -> Message:
        return PHASES[self.phase]


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class SyncReport:
    accepted: int = 0
    merged: int = 0
    conflicts: int = 0  # records that met a conflict in this sync
    rejected: int = 0
    pulled: int = 0  # records written from the server
    kept_local: int = 0  # pulled records not applied because they have unsent local changes
    remote_conflicts: int = 0  # conflicts someone else's push met with this side's version, newly shown
    deleted: int = 0  # records deleted locally because the server deleted them
    reference_kinds: list[str] = field(default_factory=list)
    assessment_years: list[int] = field(default_factory=list)
    attachments_uploaded: int = 0
    bytes_uploaded: int = 0
    requests: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    clock_skew_seconds: float | None = None
    problems: list[Message] = field(default_factory=list)

    @property
    def pushed(self) -> int:
        return self.accepted + self.merged

    def summary(self) -> Message:
        zh = (
            f"已发送 {self.pushed} 条（合并 {self.merged}），接收 {self.pulled} 条，"
            f"冲突 {self.conflicts}，被拒绝 {self.rejected}，上传附件 {self.attachments_uploaded} 个"
        )
        en = (
            f"sent {self.pushed} (merged {self.merged}), received {self.pulled}, "
            f"conflicts {self.conflicts}, rejected {self.rejected}, attachments uploaded {self.attachments_uploaded}"
        )
        if self.cancelled:
            zh, en = "同步已取消；" + zh, "Sync cancelled; " + en
        return Message(zh, en)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        batch_size: int = protocol.MAX_PUSH_CHANGES,
        pull_limit: int = protocol.MAX_PULL_LIMIT,
        chunk_size: int = protocol.CHUNK_SIZE,
        batch_chars: int = MAX_BATCH_CHARS,
    ):
        self.store = store
        self.client = client
        self.batch_size = min(batch_size, protocol.MAX_PUSH_CHANGES)
        self.pull_limit = min(pull_limit, protocol.MAX_PULL_LIMIT)
        self.chunk_size = chunk_size
        self.batch_chars = batch_chars
        self._columns = {t: [c for c in domain_columns(TABLES[t]) if c != "id"] for t in schema.SYNCED_TABLES}
        self._fts: dict[str, _FtsBulk | None] = {}
        self._pulled_pages = (0, 0)  # changes received by this sync's pull, and how many there were to come
        if not client.device_id:
            client.device_id = store.get_meta("device_id") or ""

    # --- the whole sync --------------------------------------------------------------------------

    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelFlag | Callable[[], bool] | None = None,
    ) -> SyncReport:
        """Push, then pull. Raises a SyncError when the sync cannot go on; what was done stays done."""
        report = SyncReport()
        started = time.perf_counter()
        first_request = self.client.requests_made
        self._progress = progress or (lambda p: None)
        self._cancel = _cancel_check(cancel)
        self.client.resume()
        finished = threading.Event()
        if cancel is not None:
            # A cancel cuts the request under way: a stalled connection does not hold the sync
            # (and the person waiting for it) for the read timeout and every retry.
            threading.Thread(
                target=_abort_when_cancelled, args=(self._cancel, self.client, finished), daemon=True
            ).start()
        try:
            self._push_all(report)
            if not report.cancelled:
                push_bureau_edits(self.store, self.client, report)  # reference data and rules (bureau only)
                self._pull_all(report)
                _tell_remote_conflicts(report)
            if not report.cancelled:
                self.store.set_meta(META_LAST_SYNC, now_iso())
                self._progress(SyncProgress("done", 1, 1))
        except SyncCancelledError:
            report.cancelled = True  # what was answered is applied; the rest waits, as after a network cut
        finally:
            finished.set()
            report.requests = self.client.requests_made - first_request
            report.seconds = time.perf_counter() - started
        return report

    def _cancelled(self, report: SyncReport) -> bool:
        if self._cancel():
            report.cancelled = True
        return report.cancelled

    # --- push ------------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """Records waiting to be pushed (held-back conflicts and rejections not counted)."""
        return sum(
            self.store.db.execute(f"SELECT count(*) FROM {t} WHERE {_PUSHABLE}").fetchone()[0]
            for t in PUSH_ORDER
        )

    def _push_all(self, report: SyncReport) -> None:
        self._replay_pending(report)
        total = self.pending_count()
        if total == 0:
            return
        # Each table is walked once in rowid order: a row sent (or held back) in this sync is not
        # picked again even if it stays dirty (edited meanwhile: it goes with the next sync).
        after: dict[str, int] = {}
        self._progress(SyncProgress("push", 0, total))
        # Pipelined: while the server works on one batch, the next one is read, stored and queued,
        # and the answer before it is applied. At most two batches are out, each kept in its own
        # meta slot until its answer is applied, so a crash at any point replays exactly them.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:
            stop = threading.Event()
            out: list[_InFlight] = []
            done = 0
            try:
                while not self._cancelled(report):
                    rows = self._next_rows(after)
                    if not rows:
                        break
                    if self._files_of(rows):
                        # Uploads share the connection: the batches out go first.
                        while out:
                            done = self._land(out, report, done, total)
                        rows = self._upload_attachments(rows, report)
                        if report.cancelled:
                            break
                        if not rows:
                            continue
                    batch = self._make_batch(rows)
                    self._attach_resolutions(batch)
                    if len(out) == len(PENDING_SLOTS):
                        done = self._land(out, report, done, total)
                    slot = next(k for k in PENDING_SLOTS if all(o.slot != k for o in out))
                    # Encoded once, for both: written before it is sent, so that after a crash the
                    # same batch_id is replayed; sent as it was written.
                    body = json.dumps(self._request_of(batch), ensure_ascii=False, separators=(",", ":"))
                    self.store.set_meta(slot, _stored_text(batch, body))
                    out.append(_InFlight(batch, slot, sender.submit(self._push_request, batch, body, stop)))
                while out:
                    done = self._land(out, report, done, total)
            finally:
                stop.set()  # after a failure, what is queued and not yet sent waits for the next sync

    def _replay_pending(self, report: SyncReport) -> None:
        """Batches sent before a crash or a dropped connection: sent again as they were, oldest first."""
        stored = [(stored_batch(text), slot) for slot in PENDING_SLOTS if (text := self.store.get_meta(slot))]
        for batch, slot in sorted(stored, key=lambda item: int(item[0].get("queued", 0))):
            log.info("replaying push batch %s", batch["batch_id"])
            try:
                answer = self.client.push(self._request_of(batch))
            except RefusedError:
                self.store.set_meta(slot, None)
                raise
            self._take_answer(batch, answer, report, slot)

    def _push_request(
        self, batch: dict[str, Any], body: str, stop: threading.Event
    ) -> protocol.PushAnswer | None:
        """Runs on the sender thread: HTTP only, no database."""
        if stop.is_set():
            return None
        return self.client.push(self._request_of(batch), encoded=body)

    def _land(self, out: list[_InFlight], report: SyncReport, done: int, total: int) -> int:
        """Wait for the oldest batch out and apply its answer. Returns the records done so far."""
        first = out.pop(0)
        try:
            answer = first.answer.result()
        except RefusedError:
            # The server refused the batch as a whole and applied none of it: forget the batch
            # (its records stay dirty) so that the next sync does not replay a refused request.
            self.store.set_meta(first.slot, None)
            raise
        assert answer is not None  # only a stopped sender skips a batch, and then nothing lands
        self._take_answer(first.batch, answer, report, first.slot)
        done += len(first.batch["changes"])
        self._progress(SyncProgress("push", min(done, total), total))
        return done

    def _next_rows(self, after: dict[str, int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        budget = self.batch_chars
        for table in PUSH_ORDER:
            room = self.batch_size - len(rows)
            if room <= 0:
                break
            cursor = self.store.db.execute(
                f"SELECT rowid AS _rowid, * FROM {table} WHERE {_PUSHABLE} AND rowid > ? ORDER BY rowid LIMIT ?",
                [after.get(table, 0), room],
            )
            names = [d[0] for d in cursor.description]
            for found in cursor.fetchall():
                size = len(repr(found))  # about the size of its JSON, cheaply
                if rows and budget - size < 0:
                    return rows  # the server takes bodies up to a limit: long texts go in smaller batches
                budget -= size
                row = dict(zip(names, found, strict=True))
                row["_table"] = table
                rows.append(row)
                after[table] = found[0]  # _rowid
        return rows

    def _make_batch(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        changes = [
            {
                "table": row["_table"],
                "id": row["id"],
                "base_rev": row["base_rev"],
                "deleted": bool(row["deleted"]),
                "fields": {c: row[c] for c in self._columns[row["_table"]]},
            }
            for row in rows
        ]
        return {
            "batch_id": new_id(),
            "device_id": self.client.device_id,
            "client_time": datetime.now(UTC).isoformat(timespec="seconds"),
            "changes": changes,
            "queued": time.time_ns(),  # not sent: replays go oldest first
            # Not sent: what each row's updated_at was, to see whether it was edited meanwhile.
            "snapshot": {f"{r['_table']}/{r['id']}": r["updated_at"] for r in rows},
        }

    @staticmethod
    def _request_of(batch: dict[str, Any]) -> protocol.PushRequest:
        return {
            "batch_id": batch["batch_id"],
            "device_id": batch["device_id"],
            "client_time": batch["client_time"],
            "changes": batch["changes"],
        }

    def _take_answer(
        self, batch: dict[str, Any], answer: protocol.PushAnswer, report: SyncReport, slot: str
    ) -> None:
        """Apply a batch's answer and, in the same transaction, empty the meta slot that kept it."""
        self._note_clock(answer.get("server_time"), report)
        _pause_point("push_answered")
        with self.store.atomic():
            self._apply_push_answer(batch, answer, report)
            self._resolutions_reported(batch, answer)
            self.store.set_meta(slot, None)

    def _apply_push_answer(
        self, batch: dict[str, Any], answer: protocol.PushAnswer, report: SyncReport
    ) -> None:
        results = {(r["table"], r["id"]): r for r in answer["results"]}
        db = self.store.db
        rows = self._rows_of(batch["changes"], results)
        clean: dict[str, list[tuple[int, int, int, str]]] = {}  # the common case, written in bulk
        grouped: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}  # (table, columns) -> values, id
        no_base: list[tuple[str, str]] = []
        for change in batch["changes"]:
            table, record_id = change["table"], change["id"]
            result = results.get((table, record_id))
            if result is None:
                log.warning(
                    "no answer for %s %s in batch %s; it stays queued", table, record_id, batch["batch_id"]
                )
                continue
            row = rows.get((table, record_id))
            if row is None:
                continue
            unchanged = row["updated_at"] == batch["snapshot"][f"{table}/{record_id}"]
            status = result["status"]
            rev = int(result.get("rev", row["rev"]))
            seq = int(result.get("server_seq", row["server_seq"]))
            sent = change["fields"]
            if status in ("accepted", "merged"):
                report.accepted += status == "accepted"
                report.merged += status == "merged"
                returned = result.get("fields") or {}
                server_fields = {**sent, **returned}
                # Fields the server set otherwise than sent (merged from elsewhere, or decided by the
                # server such as a review status), unless edited again here since they were sent.
                values = {}
                for f, v in returned.items():
                    mine = sent.get(f)
                    if v == mine or f not in self._columns[table]:
                        continue
                    value = _column_value(v)
                    if value != mine and _same(row[f], mine):
                        values[f] = value
                if unchanged and not values:
                    clean.setdefault(table, []).append((rev, rev, seq, record_id))
                    continue
                values.update(rev=rev, base_rev=rev, server_seq=seq)
                if unchanged:
                    values.update(dirty=0, sync_error=None, has_conflict=0)
                    no_base.append((table, record_id))
                else:
                    # Edited while the push was in flight: the edit now builds on the new revision.
                    self._set_base(table, record_id, rev, server_fields)
                shape = (table, *values)
                grouped.setdefault(shape, []).append((*values.values(), record_id))
            elif status == "conflict":
                self._record_conflict(table, row, result, sent)
                report.conflicts += 1
            elif status == "rejected":
                report.rejected += 1
                if unchanged:  # a later edit may well be acceptable: it is sent next time
                    reason = {"zh": result.get("reason_zh", ""), "en": result.get("reason_en", "")}
                    _update(db, table, record_id, {"sync_error": json.dumps(reason, ensure_ascii=False)})
            else:
                log.warning("unknown status %r for %s %s", status, table, record_id)
        for table, items in clean.items():
            db.conn.executemany(
                f"UPDATE {table} SET rev = ?, base_rev = ?, server_seq = ?, dirty = 0, sync_error = NULL, "
                "has_conflict = 0 WHERE id = ?",
                items,
            )
            no_base += [(table, item[3]) for item in items]
        for (table, *columns), items in grouped.items():
            sets = ", ".join(f"{c} = ?" for c in columns)
            db.conn.executemany(f"UPDATE {table} SET {sets} WHERE id = ?", items)
        db.conn.executemany("DELETE FROM sync_base WHERE table_name = ? AND record_id = ?", no_base)

    def _attach_resolutions(self, batch: dict[str, Any]) -> None:
        """Name, on each change, the conflict notices its record's resolution settles (sync/conflicts.py)."""
        waiting = resolutions_to_report(self.store)
        if not waiting:
            return
        for change in batch["changes"]:
            ids = waiting.get((change["table"], change["id"]))
            if ids:
                change["resolves"] = ids

    def _resolutions_reported(self, batch: dict[str, Any], answer: protocol.PushAnswer) -> None:
        """The server closed (or superseded) the notices named on changes it accepted, merged or met again."""
        status = {(r["table"], r["id"]): r["status"] for r in answer["results"]}
        told = [
            n
            for c in batch["changes"]
            if c.get("resolves") and status.get((c["table"], c["id"])) in ("accepted", "merged", "conflict")
            for n in c["resolves"]
        ]
        if told:
            mark_reported(self.store, told)

    def _rows_of(
        self,
        changes: list[dict[str, Any]],
        results: dict[tuple[str, str], protocol.ChangeResult],
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """The current local rows of the changes of a batch, with the columns the answer needs: a
        few for an accepted record, every column for a conflict. A query per table and kind."""
        wanted: dict[tuple[str, str], list[str]] = {}  # (table, columns) -> ids
        columns: dict[str, set[str]] = {}
        for change in changes:
            table, record_id = change["table"], change["id"]
            result = results.get((table, record_id)) or {}
            if result.get("status") == "conflict":
                wanted.setdefault((table, "*"), []).append(record_id)
                continue
            returned = result.get("fields")
            if returned:
                columns.setdefault(table, set()).update(returned)
            wanted.setdefault((table, ""), []).append(record_id)
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for (table, kind), ids in wanted.items():
            known = {
                "id",
                "updated_at",
                "rev",
                "server_seq",
                *(columns.get(table, set()) & set(self._columns[table])),
            }
            selected = kind or ", ".join(sorted(known))
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                cursor = self.store.db.execute(
                    f"SELECT {selected} FROM {table} WHERE id IN ({','.join('?' * len(part))})", part
                )
                names = [d[0] for d in cursor.description]
                for found in cursor.fetchall():
                    row = dict(zip(names, found, strict=True))
                    rows[(table, row["id"])] = row
        return rows

    def _record_conflict(
        self, table: str, row: dict[str, Any], result: protocol.ChangeResult, sent: dict[str, Any]
    ) -> None:
        db = self.store.db
        record_id = row["id"]
        rev = int(result.get("rev", row["rev"]))
        server = result.get("fields") or {}
        colliding = {c["field"]: c for c in result.get("conflicts", [])}
        base_row = db.execute(
            "SELECT rev, fields FROM sync_base WHERE table_name = ? AND record_id = ?", [table, record_id]
        ).fetchone()
        base = json.loads(base_row[1]) if base_row and base_row[0] == row["base_rev"] else None
        values: dict[str, Any] = {}
        for f, server_value in server.items():
            if f not in self._columns[table] or f in colliding:
                continue
            if base is not None and f in base:
                mine = not _same(row[f], base[f])
            else:
                # Without the base version a difference cannot be attributed: keep the local
                # value (nothing typed is lost; the next push shows the server the difference).
                mine = True
                log.info("no base version of %s %s; keeping local %s", table, record_id, f)
            if not mine:
                values[f] = _column_value(server_value)
        values.update(
            rev=rev,
            base_rev=rev,
            server_seq=int(result.get("server_seq", row["server_seq"])),
            has_conflict=1,
            dirty=1,
        )
        if "deleted" in colliding:
            values["deleted"] = row["deleted"]
        _update(db, table, record_id, values)
        self._set_base(table, record_id, rev, server)
        now = now_iso()
        for f, c in colliding.items():
            db.execute(
                "UPDATE sync_conflicts SET resolved_at = ?, resolution = 'superseded' "
                "WHERE table_name = ? AND record_id = ? AND field = ? AND resolved_at IS NULL",
                [now, table, record_id, f],
            )
            local = bool(row["deleted"]) if f == "deleted" else row.get(f, c.get("local"))
            db.execute(
                "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, server_value, "
                "server_rev, created_at, notice_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    table,
                    record_id,
                    f,
                    _dump(c.get("base")),
                    _dump(local),
                    _dump(c.get("server")),
                    rev,
                    now,
                    result.get("conflict_id"),
                ],  # the server's notice of it (sync/server/notices.py), if any
            )

    def _set_base(self, table: str, record_id: str, rev: int, fields: dict[str, Any]) -> None:
        self.store.db.execute(
            "INSERT OR REPLACE INTO sync_base (table_name, record_id, rev, fields) VALUES (?, ?, ?, ?)",
            [
                table,
                record_id,
                rev,
                json.dumps({f: _column_value(v) for f, v in fields.items()}, ensure_ascii=False),
            ],
        )

    # --- attachments -----------------------------------------------------------------------------

    @staticmethod
    def _files_of(rows: list[dict[str, Any]]) -> bool:
        """Whether pushing these rows may upload files first (see _upload_attachments)."""
        return any(
            not row["deleted"]
            and (
                (row["_table"] == "attachments" and row["sha256"])
                or (row["_table"] == "visits" and row.get("confirm_sheet_sha256"))
            )
            for row in rows
        )

    def _upload_attachments(self, rows: list[dict[str, Any]], report: SyncReport) -> list[dict[str, Any]]:
        """Upload the files of the attachment records about to be pushed; drop records whose file is missing."""
        kept = []
        wanted: dict[str, int] = {}
        for row in rows:
            if row["_table"] == "attachments" and not row["deleted"] and row["sha256"]:
                path = blob_path(self.store, row["sha256"])
                if not path.exists():
                    report.problems.append(
                        Message(
                            f"附件 {row['original_name']} 的文件缺失，暂不发送该附件记录",
                            f"The file of attachment {row['original_name']} is missing; its record is held back",
                        )
                    )
                    continue
                wanted[row["sha256"]] = path.stat().st_size
            elif row["_table"] == "visits" and not row["deleted"] and row.get("confirm_sheet_sha256"):
                # The signed confirmation sheet travels with its visit when this computer has it.
                path = blob_path(self.store, row["confirm_sheet_sha256"])
                if path.exists():
                    wanted[row["confirm_sheet_sha256"]] = path.stat().st_size
            kept.append(row)
        total = sum(wanted.values())
        sent = 0
        for sha, size in wanted.items():
            if self._cancelled(report):
                return []
            sent += self._upload(sha, size, report, sent, total)
        return kept

    def _upload(self, sha: str, size: int, report: SyncReport, before: int, total: int) -> int:
        status = self.client.attachment_status(sha)
        if status.get("complete"):
            return size
        if sha256_of(blob_path(self.store, sha)) != sha:
            raise RefusedError(
                Message(f"本机附件文件 {sha[:12]} 已损坏", f"The local attachment file {sha[:12]} is damaged")
            )
        offset = int(status.get("received", 0))
        self._progress(SyncProgress("upload", before + offset, total))
        with blob_path(self.store, sha).open("rb") as f:
            while offset < size:
                if self._cancelled(report):
                    return offset
                f.seek(offset)
                chunk = f.read(self.chunk_size)
                try:
                    offset = self.client.upload_chunk(sha, offset, chunk)
                    report.bytes_uploaded += len(chunk)
                except ConflictError as exc:
                    # The server holds a different amount (a retried chunk had arrived): resume there.
                    received = exc.body.get("received")
                    offset = (
                        int(received)
                        if received is not None
                        else int(self.client.attachment_status(sha).get("received", 0))
                    )
                _pause_point("upload_chunk_sent")
                self._progress(SyncProgress("upload", before + offset, total))
        self.client.complete_attachment(sha, size)
        report.attachments_uploaded += 1
        return size

    def download_attachment(self, sha: str) -> None:
        """Fetch an attachment's bytes on demand (downloads are lazy) and store them under their hash."""
        from commissioner_app.attachments import store_bytes

        if blob_path(self.store, sha).exists():
            return
        data = self.client.download_attachment(sha)
        if store_bytes(self.store, data) != sha:
            raise RefusedError(
                Message("下载的附件与校验值不符", "The downloaded attachment does not match its hash")
            )

    # --- pull ------------------------------------------------------------------------------------

    def _pull_all(self, report: SyncReport) -> None:
        since = int(self.store.get_meta(META_CURSOR) or 0)
        if self._cancelled(report):
            return
        # The next page is fetched while this one is applied (at most two pages in memory).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
            coming = fetcher.submit(self.client.pull, since, self.pull_limit, True)  # the first page counts
            first = True
            while True:
                answer = coming.result()
                self._note_clock(answer.get("server_time"), report)
                more = bool(answer.get("has_more"))
                if more:
                    coming = fetcher.submit(self.client.pull, int(answer["next_since"]), self.pull_limit)
                with self.store.atomic():
                    self._apply_page(answer["changes"], report)
                    _pause_point("pull_applying")
                    # The cursor moves in the same transaction as the page it covers.
                    self.store.set_meta(META_CURSOR, str(answer["next_since"]))
                self._progress(self._pull_progress(answer, first))
                first = False
                if not more or self._cancelled(report):
                    break  # (a page fetched after a cancel is dropped: the cursor has not moved past it)

    def _pull_progress(self, answer: protocol.PullAnswer, first: bool) -> SyncProgress:
        """Changes received so far, of how many (the first page's `remaining`; 0: not known)."""
        if first:
            self._pulled_pages = (0, int(answer.get("remaining") or 0))
        received, total = self._pulled_pages
        received += len(answer["changes"])
        self._pulled_pages = (received, total)
        # Changes pushed by others while the pull runs come on top of the count.
        return SyncProgress("pull", received, max(total, received) if total else 0)

    def _apply_page(self, changes: list[protocol.PulledChange], report: SyncReport) -> None:
        by_table: dict[str, list[protocol.PulledChange]] = {}
        for change in changes:
            by_table.setdefault(change["table"], []).append(change)
        for table, items in by_table.items():
            if table == "reference":
                for item in items:
                    self._apply_reference(item)
                    report.reference_kinds.append(item["id"])
            elif table == "assessment_rules":
                for item in items:
                    self._apply_rules(item)
                    report.assessment_years.append(int(item["fields"].get("year") or item["id"]))
            elif table in self._columns:
                self._apply_records(table, items, report)
            elif table == protocol.NOTICE_TABLE:
                # Same-field conflicts seen from the other side (sync/conflicts.py).
                report.remote_conflicts += apply_notices(
                    self.store, [dict(i) for i in items], _user(self.store), self.client.device_id
                )
            else:
                log.warning("pull delivered %d changes of unknown table %r; ignored", len(items), table)

    def _apply_records(self, table: str, items: list[protocol.PulledChange], report: SyncReport) -> None:
        db = self.store.db
        local: dict[str, tuple[int, int]] = {}
        ids = [c["id"] for c in items]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for record_id, rev, dirty in db.execute(
                f"SELECT id, rev, dirty FROM {table} WHERE id IN ({','.join('?' * len(part))})", part
            ).fetchall():
                local[record_id] = (rev, dirty)
        known = set(self._columns[table])
        now = now_iso()
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        updated: list[protocol.PulledChange] = []
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}  # the field names as sent -> known columns
        for change in items:
            record_id, rev = change["id"], int(change["rev"])
            mine = local.get(record_id)
            if mine is not None and mine[1]:
                report.kept_local += 1  # unsent local changes win locally; push will merge them
                continue
            if mine is not None and mine[0] >= rev:
                continue  # already have it (e.g. the echo of our own push)
            if mine is not None and table == "visits" and not change["deleted"]:
                updated.append(change)
            if change["deleted"]:
                report.deleted += 1
            else:
                report.pulled += 1
            fields = change["fields"]
            shape = tuple(fields)
            cols = shapes.get(shape)
            if cols is None:
                cols = shapes[shape] = tuple(f for f in shape if f in known)
            values: list[Any] = [record_id]
            for c in cols:
                v = fields[c]
                values.append(v if type(v) in _PLAIN else _column_value(v))
            values += [rev, int(change["server_seq"]), int(bool(change["deleted"])), now]
            groups.setdefault(cols, []).append(values)
        if updated:
            self._record_history(table, updated, known)
        written = [r[0] for rows in groups.values() for r in rows]
        bulk = self._fts_bulk(table) if len(written) >= FTS_BULK_MIN else None
        if bulk is not None:
            # Indexing row by row through the full-text triggers costs several times more than
            # indexing the page at once; the triggers are set aside inside this transaction only
            # (a crash rolls their removal back with the page).
            for name, _ in bulk.triggers:
                db.execute(f"DROP TRIGGER {name}")
        try:
            for cols, rows in groups.items():
                # A tombstone is written too (deleted = 1): the record disappears from every list but
                # the local copy stays in step with the server's.
                names = ["id", *cols, "rev", "server_seq", "deleted", "updated_at"]
                updates = ", ".join(f"{c} = excluded.{c}" for c in names[1:])
                db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}, base_rev, created_at, updated_by, dirty, "
                    f"is_draft, has_conflict) VALUES ({', '.join('?' * len(names))}, ?, ?, 'server', 0, 0, 0) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}, base_rev = excluded.rev, dirty = 0, "
                    "is_draft = 0, has_conflict = 0, sync_error = NULL, updated_by = 'server'",
                    [[*r, r[-4], now] for r in rows],
                )
            if bulk is not None:
                for start in range(0, len(written), 500):
                    part = written[start : start + 500]
                    marks = ",".join("?" * len(part))
                    db.execute(bulk.delete.format(marks=marks), part)
                    db.execute(bulk.insert.format(marks=marks), part)
        finally:
            if bulk is not None:
                for _, sql in bulk.triggers:
                    db.execute(sql)

    def _fts_bulk(self, table: str) -> _FtsBulk | None:
        """How to index a page of `table` at once, read from its full-text triggers (None: no index)."""
        if table not in self._fts:
            found = self.store.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (?, ?) "
                "ORDER BY name",
                [table, f"{table}_fts_ai", f"{table}_fts_au"],
            ).fetchall()
            insert = next((sql for name, sql in found if name.endswith("_fts_ai")), None)
            match = _FTS_INSERT.search(insert or "")
            if len(found) != 2 or match is None:
                self._fts[table] = None
            else:
                fts, cols, values = match.groups()
                values = re.sub(r"\bnew\.", "x.", values)
                self._fts[table] = _FtsBulk(
                    triggers=[(str(n), str(q)) for n, q in found],
                    delete=f"DELETE FROM {fts} WHERE rowid IN (SELECT rowid FROM {table} WHERE id IN ({{marks}}))",
                    insert=f"INSERT INTO {fts} (rowid, {cols}) SELECT x.rowid, {values} FROM {table} x "
                    "WHERE +x.deleted = 0 AND x.id IN ({marks})",  # "+": look up by id, never scan by `deleted`
                )
        return self._fts[table]

    def _record_history(self, table: str, changes: list[protocol.PulledChange], known: set[str]) -> None:
        """Keep what a pulled update changed in a visit, so a reviewer sees what changed since approval."""
        db = self.store.db
        ids = [c["id"] for c in changes]
        cursor = db.execute(f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(ids))})", ids)
        names = [d[0] for d in cursor.description]
        before = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        entries = []
        for change in changes:
            old = before.get(change["id"])
            if old is None:
                continue
            diff = {
                f: [old[f], _column_value(v)]
                for f, v in change["fields"].items()
                if f in known and old.get(f) != _column_value(v)
            }
            if diff:
                entries.append(
                    [
                        table,
                        change["id"],
                        now_iso(),
                        str(change["fields"].get("commissioner_id") or ""),
                        json.dumps(diff, ensure_ascii=False, default=str),
                    ]
                )
        db.conn.executemany(
            "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) VALUES (?, ?, ?, ?, ?)",
            entries,
        )

    def _apply_reference(self, item: protocol.PulledChange) -> None:
        fields = item["fields"]
        kind = item["id"]
        items = [
            RefItem(
                kind,
                str(i["code"]),
                str(i["name_zh"]),
                str(i.get("name_en", "")),
                str(i.get("parent_code", "")),
                int(i.get("sort_order", n)),
            )
            for n, i in enumerate(fields.get("items") or [])
        ]
        replace_reference(self.store, kind, items, source="server", version=str(fields.get("version", "")))
        self.store.set_meta(
            META_REFERENCE_REV.format(kind=kind), str(item["rev"])
        )  # the base of a bureau edit

    def _apply_rules(self, item: protocol.PulledChange) -> None:
        fields = item["fields"]
        year = int(fields.get("year") or item["id"])
        if item["deleted"]:
            self.store.db.execute("DELETE FROM assessment_rules WHERE year = ?", [year])
            return
        self.store.db.execute(
            "INSERT INTO assessment_rules (year, toml, rev, server_seq, received_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(year) DO UPDATE SET toml = excluded.toml, rev = excluded.rev, "
            "server_seq = excluded.server_seq, received_at = excluded.received_at",
            [year, str(fields.get("toml", "")), int(item["rev"]), int(item["server_seq"]), now_iso()],
        )

    # --- clock -----------------------------------------------------------------------------------

    def _note_clock(self, server_time: str | None, report: SyncReport) -> None:
        if not server_time or report.clock_skew_seconds is not None:
            return
        try:
            server = datetime.fromisoformat(server_time.replace("Z", "+00:00"))
        except ValueError:
            return
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        skew = (datetime.now(UTC) - server).total_seconds()
        report.clock_skew_seconds = skew
        self.store.set_meta(META_CLOCK_SKEW, f"{skew:.0f}")
        if abs(skew) > CLOCK_SKEW_WARNING:
            minutes = round(abs(skew) / 60)
            report.problems.append(
                Message(
                    f"本机时钟与服务器相差约 {minutes} 分钟，请校准电脑时间（同步不受影响，但记录的时间可能不准）",
                    f"This computer's clock is about {minutes} minutes off the server's; please set the time "
                    "(sync is not affected, but recorded times may be wrong)",
                )
            )


_PLAIN = (str, int, float, type(None))
FTS_BULK_MIN = 64  # rows of one table in a pull page from which the page is indexed at once
_FTS_INSERT = re.compile(r"INSERT INTO (\w+) \(rowid, ([^)]*)\) VALUES \(new\.rowid, (.*)\);\s*END\s*$", re.S)


@dataclass(frozen=True)
class _FtsBulk:
    triggers: list[tuple[str, str]]  # (name, sql) of the insert and update triggers set aside
    delete: str
    insert: str


@dataclass
class _InFlight:
    batch: dict[str, Any]
    slot: str  # the meta key it is kept under
    answer: Future[protocol.PushAnswer | None]


def _stored_text(batch: dict[str, Any], body: str) -> str:
    """A batch as kept in meta until its answer is applied: the request exactly as sent, and what is
    not sent (when it was queued, and each row's updated_at then)."""
    extra = json.dumps({"queued": batch["queued"], "snapshot": batch["snapshot"]}, ensure_ascii=False)
    return f'{extra[:-1]},"request":{body}}}'


def stored_batch(text: str) -> dict[str, Any]:
    """A batch kept in meta, in the engine's shape (also the form older versions kept: the batch itself)."""
    data: dict[str, Any] = json.loads(text)
    if "request" not in data:
        return data
    return {**data.pop("request"), **data}


_PUSHABLE = "dirty = 1 AND is_draft = 0 AND has_conflict = 0 AND sync_error IS NULL"


def _tell_remote_conflicts(report: SyncReport) -> None:
    if report.remote_conflicts:
        n = report.remote_conflicts
        report.problems.append(
            Message(
                f"有 {n} 条记录，他人（或您在另一台电脑上）的修改与您已同步的版本冲突：服务器保留了您的版本，"
                "请在“处理冲突”中决定保留哪一个",
                f"On {n} record(s), a change made elsewhere (by someone else, or by you on another computer) "
                "conflicts with your synced version: the server kept yours; decide which to keep under "
                "\u201cResolve conflicts\u201d",
            )
        )


def _user(store: Store) -> dict[str, Any] | None:
    """The account this computer syncs as (sync/session.py keeps it in meta at login)."""
    try:
        value = json.loads(store.get_meta("sync_user") or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _update(db: Any, table: str, record_id: str, values: dict[str, Any]) -> None:
    if not values:
        return
    sets = ", ".join(f"{c} = ?" for c in values)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), record_id])


def _same(a: Any, b: Any) -> bool:
    return _column_value(a) == _column_value(b)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


CANCEL_POLL_SECONDS = 0.05
# After a cancel, the request under way may finish for this long (a batch that is answered is
# recorded, not sent again); then its connection is cut. Well inside the 2 s a cancel may take.
CANCEL_GRACE_SECONDS = 0.8


def _abort_when_cancelled(
    cancelled: Callable[[], bool], client: SyncClient, finished: threading.Event
) -> None:
    while not finished.wait(CANCEL_POLL_SECONDS):
        if cancelled():
            if not finished.wait(CANCEL_GRACE_SECONDS):
                client.abort()
            return


def _cancel_check(cancel: CancelFlag | Callable[[], bool] | None) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    assert callable(cancel)
    return cancel


_pause_hits: dict[str, int] = {}


def _pause_point(name: str) -> None:
    if os.environ.get("COMMISSIONER_SYNC_PAUSE_AT") != name:
        return
    _pause_hits[name] = _pause_hits.get(name, 0) + 1
    if _pause_hits[name] < int(os.environ.get("COMMISSIONER_SYNC_PAUSE_AFTER", "1")):
        return
    marker = os.environ.get("COMMISSIONER_SYNC_PAUSE_FILE")
    if marker:
        with open(marker, "w") as f:
            f.write(name)
    log.warning("paused at %s for a test", name)
    time.sleep(float(os.environ.get("COMMISSIONER_SYNC_PAUSE_SECONDS", "120")))
