"""Push: local changes go to the server in batches, pipelined, and the answers are merged back.

See sync/engine.py for the guarantees; sync/uploader.py uploads the files a batch needs first.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import time
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson

from commissioner_app import schema
from commissioner_app.demands import withdraw_take_up, withdrawn_messages
from commissioner_app.domain import new_id, now_iso
from commissioner_app.evidence import note_refused_approval
from commissioner_app.i18n import Message
from commissioner_app.records import column_value as _column_value
from commissioner_app.store import Store
from commissioner_app.targets import undo_merge
from sync import protocol
from sync.checks import answered_fields, plain_reason
from sync.client import PreparedBody, prepare_body
from sync.conflicts import TABLE_LABELS, checked_conflicts, mark_reported, resolutions_to_report
from sync.errors import RefusedError
from sync.puller import keep_echo
from sync.report import SyncProgress, SyncReport, checkpoint
from sync.uploader import Uploader

log = logging.getLogger("commissioner.sync.engine.push")

META_PENDING_BATCH = "push_batch"
META_PENDING_NEXT = "push_batch_next"
PENDING_SLOTS = (META_PENDING_BATCH, META_PENDING_NEXT)  # a batch out is kept in one until answered

# Parents before children, so a server that checks links sees the parent first.
PUSH_ORDER = schema.SYNCED_TABLES
MAX_BATCH_CHARS = 4_000_000  # text in one push batch; the server refuses JSON bodies over 32 MB


class Pusher(Uploader):
    # Take-ups the server refused in the answer being applied: (demand id, taker, demand title).
    _withdrawals: list[tuple[str, str, str]]
    # Merges made here that the server refused: (merged target, the one it was merged into).
    _undone_merges: list[tuple[str, str]]

    def pending_count(self) -> int:
        """Records waiting to be pushed (held-back conflicts and rejections not counted)."""
        return pushable_count(self.store)

    def _push_all(self, report: SyncReport) -> None:
        self._replay_pending(report)
        total = self.pending_count()
        if total == 0:
            return
        # Each table is walked once in rowid order: a row sent (or held back) in this sync is not
        # picked again even if it stays dirty (edited meanwhile: it goes with the next sync).
        after: dict[str, int] = {}
        self._progress(SyncProgress("push", 0, total))
        # Pipelined: while the server works on one batch, the next one is read, stored, compressed
        # and sent on a second connection (a server of several processes works both out at once),
        # and the answer before it is applied. At most two batches are out, each kept in its own
        # meta slot until its answer is applied, so a crash at any point replays exactly them; the
        # server takes them in either order (a link to a record not there yet is allowed), and their
        # answers are applied oldest first.
        with ThreadPoolExecutor(max_workers=len(PENDING_SLOTS), thread_name_prefix="sync-push") as sender:
            stop = threading.Event()
            out: list[_InFlight] = []
            done = 0
            try:
                while not self._cancelled(report):
                    rows, encoded = self._next_rows(after)
                    if not rows:
                        break
                    if self._files_of(rows):
                        # Uploads share the connection: the batches out go first.
                        while out:
                            done = self._land(out, report, done, total)
                        kept = self._upload_attachments(rows, report)
                        if report.cancelled:
                            break
                        if not kept:
                            continue
                        if len(kept) != len(rows):
                            rows, encoded = kept, orjson.dumps([row.change for row in kept])
                    batch = self._make_batch(rows)
                    # Encoded once, for both: written before it is sent, so that after a crash the
                    # same batch_id is replayed; sent as it was written. The changes were encoded as
                    # they were read (to see that they keep within batch_chars): the request is
                    # that text with the batch's head, as orjson.dumps(request) would make it.
                    # (orjson: the same compact UTF-8 JSON as json.dumps, in a tenth of the time.)
                    body = _request_body(self._request_of(batch), encoded)
                    # Compressed here, while the server works on the batches out: not on the way;
                    # and kept so (a tenth of the text to write, and byte for byte what is sent).
                    ready = self.client.prepare_body(body)
                    stored = _stored_value(batch, body, ready)
                    # All made before the oldest answer is waited for: once it is applied, its
                    # server process waits only for this batch to be kept and sent.
                    if len(out) == len(PENDING_SLOTS):
                        done = self._land(out, report, done, total)
                    slot = next(k for k in PENDING_SLOTS if all(o.slot != k for o in out))
                    self.store.set_meta(slot, stored)
                    out.append(_InFlight(batch, slot, sender.submit(self._push_request, batch, ready, stop)))
                    if _answered_first(batch):
                        while out:
                            done = self._land(out, report, done, total)
                while out:
                    done = self._land(out, report, done, total)
            finally:
                stop.set()  # after a failure, what is queued and not yet sent waits for the next sync

    def _replay_pending(self, report: SyncReport) -> None:
        """Batches sent before a crash or a dropped connection: sent again as they were, oldest first."""
        stored = []
        for slot in PENDING_SLOTS:
            if not (kept := self.store.get_meta_value(slot)):
                continue
            try:
                batch, body = stored_batch(kept), kept_body(kept)
                _check_kept(batch)
            except (ValueError, TypeError, KeyError, EOFError, OSError, zlib.error) as exc:
                # Damaged on the disk or cut short: replaying it is impossible, and trying again at
                # every sync would stop them all. Its records are still waiting here (they become
                # clean only when an answer is applied): they go with this sync, and the server,
                # finding those it already has unchanged, keeps each of them once.
                log.warning("the kept push batch in %s cannot be read (%s); dropped", slot, exc)
                self.store.set_meta(slot, None)
                report.problems.append(DAMAGED_BATCH)
                continue
            stored.append((batch, body, slot))
        for batch, body, slot in sorted(stored, key=lambda item: int(item[0].get("queued", 0))):
            log.info("replaying push batch %s", batch["batch_id"])
            try:
                answer = self.client.push(self._request_of(batch), encoded=body)
            except RefusedError:
                self.store.set_meta(slot, None)
                raise
            self._take_answer(batch, answer, report, slot)

    def _push_request(
        self, batch: dict[str, Any], body: PreparedBody, stop: threading.Event
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

    def _next_rows(self, after: dict[str, int]) -> tuple[list[_Row], bytes]:
        """The rows of the next batch, each table walked on from `after` (moved on past them): at
        most batch_size, and no more text than batch_chars; and their changes encoded as JSON. A
        batch is read whole first and, if its JSON is over that budget (long texts, rarely), read
        again row by row against the budget: working out every row's size in SQL took a third of
        the reading."""
        start = dict(after)
        rows = self._read_rows(after, None)
        self._attach_resolutions(rows)
        encoded = orjson.dumps([row.change for row in rows])
        if len(encoded) > self.batch_chars:  # (bytes: never fewer than characters)
            after.clear()
            after.update(start)
            rows = self._read_rows(after, self.batch_chars)
            self._attach_resolutions(rows)
            encoded = orjson.dumps([row.change for row in rows])
        return rows, encoded

    def _read_rows(self, after: dict[str, int], budget: int | None) -> list[_Row]:
        rows: list[_Row] = []
        for table in PUSH_ORDER:
            room = self.batch_size - len(rows)
            if room <= 0:
                break
            columns = self._columns[table]
            # The rowids first, from the state index alone, then those rows: in one query, SQLite went
            # through the rows of every pushable record of the table for each batch to keep the first
            # few hundred (a first sync's visits read 13% slower). Only the columns sent, and each
            # row read straight into the change that carries it.
            size_sql = _size_sql(tuple(columns)) if budget is not None else "0"
            cursor = self.store.db.conn.execute(
                f"SELECT rowid, {size_sql}, id, base_rev, deleted, updated_at, {', '.join(columns)} "
                f"FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {_PUSHABLE} AND rowid > ? "
                "ORDER BY rowid LIMIT ?) ORDER BY rowid",
                [after.get(table, 0), room],
            )
            for found in cursor.fetchall():
                if budget is not None:
                    size = found[1]
                    if rows and budget - size < 0:
                        return rows  # the server takes bodies up to a limit: long texts go in smaller batches
                    budget -= size
                change = {
                    "table": table,
                    "id": found[2],
                    "base_rev": found[3],
                    "deleted": bool(found[4]),
                    "fields": dict(zip(columns, found[6:], strict=True)),
                }
                rows.append(_Row(change, found[5]))
                after[table] = found[0]  # rowid
        return rows

    def _make_batch(self, rows: list[_Row]) -> dict[str, Any]:
        return {
            "batch_id": new_id(),
            "device_id": self.client.device_id,
            "client_time": datetime.now(UTC).isoformat(timespec="seconds"),
            "changes": [row.change for row in rows],
            "queued": time.time_ns(),  # not sent: replays go oldest first
            # Not sent: what each row's updated_at was, to see whether it was edited meanwhile.
            "snapshot": {f"{r.change['table']}/{r.change['id']}": r.updated_at for r in rows},
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
        checkpoint("push_answered")
        with self.store.atomic():
            echoed = len(self._echo)
            self._withdrawals = []
            self._undone_merges = []
            self._apply_push_answer(batch, answer, report)
            for loser, survivor in self._undone_merges:
                undo_merge(self.store, loser, survivor)
            for demand_id, taker, title in self._withdrawals:
                report.problems.extend(
                    withdrawn_messages(title, *withdraw_take_up(self.store, demand_id, taker))
                )
            # Kept with the answer: a pull, in this sync or the next, leaves these out.
            keep_echo(self.store, self._echo[echoed:])
            self._resolutions_reported(batch, answer)
            self.store.set_meta(slot, None)

    def _apply_push_answer(
        self, batch: dict[str, Any], answer: protocol.PushAnswer, report: SyncReport
    ) -> None:
        results = {(r["table"], r["id"]): r for r in answer["results"]}
        db = self.store.db
        changes = self._accepted_as_sent(batch, results, report)
        rows = self._rows_of(changes, results)
        clean: dict[str, list[tuple[int, int, int, str]]] = {}  # the common case, written in bulk
        grouped: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}  # (table, columns) -> values, id
        no_base: list[tuple[str, str]] = []
        for change in changes:
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
                returned = answered_fields(table, result.get("fields"))
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
                if unchanged:
                    self._echo.append(seq)  # the local row is now this version: no need to pull it
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
                report.conflicts += self._record_conflict(table, row, result, sent, report.problems)
            elif status == "rejected":
                report.rejected += 1
                reason = {
                    "zh": plain_reason(result.get("reason_zh")),
                    "en": plain_reason(result.get("reason_en")),
                }
                if unchanged and _superseded(result):
                    # Refused with the record as the server keeps it (a demand closed or taken up
                    # meanwhile): nothing here can correct the change, so the copy becomes the
                    # server's, and the sync says why once, rather than refusing it at every sync.
                    kept = answered_fields(table, result.get("fields"))
                    values = {f: _column_value(v) for f, v in kept.items() if f in self._columns[table]}
                    values.update(
                        rev=rev,
                        base_rev=rev,
                        server_seq=seq,
                        deleted=int(bool(result.get("deleted"))),
                        dirty=0,
                        sync_error=None,
                        has_conflict=0,
                    )
                    _update(db, table, record_id, values)
                    no_base.append((table, record_id))
                    report.problems.append(_superseded_message(table, {**row, **kept}, reason))
                    if table == "service_targets" and sent.get("merged_into") and not kept.get("merged_into"):
                        # A merge refused: what it re-pointed here goes back, once every answer of
                        # the batch is written.
                        self._undone_merges.append((record_id, str(sent["merged_into"])))
                    taker = sent.get("taken_by")
                    if table == "demands" and taker and kept.get("taken_by") != taker:
                        # A refused take-up: the problem it made is withdrawn, once every answer of
                        # the batch is written (its own answer among them).
                        self._withdrawals.append((record_id, str(taker), str(kept.get("title") or "")))
                elif unchanged and table == "reviews" and not row["rev"]:
                    # A decision the server refused cannot be corrected here (a review is not
                    # edited): it is withdrawn, and the sync says why once, naming what was reviewed.
                    # That record comes back by pull as the server has it (an approval refused for
                    # changed evidence: waiting for review again).
                    db.execute("DELETE FROM reviews WHERE id = ?", [record_id])
                    no_base.append((table, record_id))
                    report.problems.append(_withdrawn_review_message(db, sent, reason))
                    if sent.get("decision") == "approved" and isinstance(sent.get("record_id"), str):
                        # The review queue says why the record is back, until it is decided again.
                        note_refused_approval(
                            self.store, sent["record_id"], Message(reason["zh"], reason["en"])
                        )
                elif unchanged:  # a later edit may well be acceptable: it is sent next time
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

    def _accepted_as_sent(
        self, batch: dict[str, Any], results: dict[tuple[str, str], protocol.ChangeResult], report: SyncReport
    ) -> list[dict[str, Any]]:
        """The common case in bulk: a change accepted as it was sent (no field answered back), whose row
        was not edited while the batch was out, becomes clean at the server's revision in one UPDATE
        per table, guarded by the row's updated_at when it was read. Returns the other changes (a
        merge, a conflict, a refusal, a row edited meanwhile) for the row-by-row way."""
        rest: list[dict[str, Any]] = []
        plain: dict[str, list[tuple[tuple[int, int, int, str, str], dict[str, Any]]]] = {}
        snapshot = batch["snapshot"]
        for change in batch["changes"]:
            table, record_id = change["table"], change["id"]
            result = results.get((table, record_id))
            if (
                result is not None
                and result.get("status") == "accepted"
                and not result.get("fields")
                and isinstance(result.get("rev"), int)
                and isinstance(result.get("server_seq"), int)
            ):
                rev, seq = result["rev"], result["server_seq"]
                item = (rev, rev, seq, record_id, snapshot[f"{table}/{record_id}"])
                plain.setdefault(table, []).append((item, change))
            else:
                rest.append(change)
        conn = self.store.db.conn
        for table, items in plain.items():
            done = conn.executemany(
                f"UPDATE {table} SET rev = ?, base_rev = ?, server_seq = ?, dirty = 0, sync_error = NULL, "
                "has_conflict = 0 WHERE id = ? AND updated_at IS ?",
                [item for item, _ in items],
            ).rowcount
            edited: set[str] = set()
            if done != len(items):
                # Some were edited (or removed) while the batch was out: those go the row-by-row way.
                ids = [item[3] for item, _ in items]
                now: dict[str, Any] = {}
                for start in range(0, len(ids), 500):
                    part = ids[start : start + 500]
                    now.update(
                        conn.execute(
                            f"SELECT id, updated_at FROM {table} WHERE id IN ({','.join('?' * len(part))})",
                            part,
                        ).fetchall()
                    )
                edited = {item[3] for item, _ in items if record_gone_or_edited(now, item[3], item[4])}
            # A row never synced before has no base version kept (sync_base) to drop.
            no_base = [
                (table, item[3]) for item, change in items if change["base_rev"] and item[3] not in edited
            ]
            conn.executemany("DELETE FROM sync_base WHERE table_name = ? AND record_id = ?", no_base)
            for item, change in items:
                if item[3] in edited:
                    rest.append(change)
                else:
                    self._echo.append(item[2])
            report.accepted += len(items) - len(edited)
        return rest

    def _attach_resolutions(self, rows: list[_Row]) -> None:
        """Name, on each change, the conflict notices its record's resolution settles (sync/conflicts.py)."""
        waiting = resolutions_to_report(self.store)
        if not waiting:
            return
        for row in rows:
            ids = waiting.get((row.change["table"], row.change["id"]))
            if ids:
                row.change["resolves"] = ids

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
        self,
        table: str,
        row: dict[str, Any],
        result: protocol.ChangeResult,
        sent: dict[str, Any],
        problems: list[Message],
    ) -> bool:
        """Hold the record back with its colliding fields; False when the answer named none we have."""
        db = self.store.db
        record_id = row["id"]
        rev = int(result.get("rev", row["rev"]))
        server = answered_fields(table, result.get("fields"))
        # Field names from the network are checked against the local schema before any SQL.
        colliding = {c["field"]: c for c in checked_conflicts(table, result.get("conflicts", []), problems)}
        if not colliding:
            return False  # nothing to hold back for: the record stays queued as it is
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
                "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, "
                "server_value, server_rev, created_at, notice_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        return True

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


@dataclass(slots=True)
class _Row:
    """A record read to be pushed: its change as sent, and its updated_at when it was read."""

    change: dict[str, Any]
    updated_at: Any


def _request_body(request: protocol.PushRequest, changes: bytes) -> bytes:
    """orjson.dumps(request), its changes already encoded: the head's JSON, then the changes."""
    head = orjson.dumps({k: v for k, v in request.items() if k != "changes"})
    return b'%b,"changes":%b}' % (head[:-1], changes)


@dataclass
class _InFlight:
    batch: dict[str, Any]
    slot: str  # the meta key it is kept under
    answer: Future[protocol.PushAnswer | None]


def _answered_first(batch: dict[str, Any]) -> bool:
    """Whether a batch must be answered before the next is sent: one that deletes a record or
    resolves a conflict. The server decides a part's deletion by its visit's (held while the visit's
    deletion meets a conflict, allowed once the deletion is kept): sent side by side, a later batch
    of the visit's problems could be worked out first. (Rare: a first sync sends no deletion.)"""
    return any(c["deleted"] or c.get("resolves") for c in batch["changes"])


def _stored_text(batch: dict[str, Any], body: str) -> str:
    """A batch as kept in meta until its answer is applied: the request exactly as sent, and what is
    not sent (when it was queued, and each row's updated_at then)."""
    extra = json.dumps({"queued": batch["queued"], "snapshot": batch["snapshot"]}, ensure_ascii=False)
    return f'{extra[:-1]},"request":{body}}}'


# A batch kept compressed: this line, what is not sent (as JSON, on one line), then the request's
# JSON compressed by gzip.
_GZIP_KEPT = b"push batch, gzip request\n"


def _stored_value(batch: dict[str, Any], body: bytes, ready: PreparedBody) -> str | bytes:
    """A batch as kept in meta: compressed (a batch of 500 records is about 400 KB of JSON text to
    write, and 50 to 70 KB of gzip): as the bytes sent when they went compressed, else compressed here
    at the fastest level (a request to a server on this computer goes as it is: the laptop's disk is
    spared the text all the same); a small batch as text (_stored_text)."""
    packed = ready if ready.encoding == "gzip" else prepare_body(body, level=1)
    if packed.encoding != "gzip":
        return _stored_text(batch, body.decode())
    extra = orjson.dumps({"queued": batch["queued"], "snapshot": batch["snapshot"]})
    return _GZIP_KEPT + extra + b"\n" + packed.data


def stored_batch(kept: str | bytes) -> dict[str, Any]:
    """A batch kept in meta, in the engine's shape: compressed, as text, or in the form older versions
    kept (the batch itself, as text)."""
    if isinstance(kept, bytes) and kept.startswith(_GZIP_KEPT):
        extra, _, request = kept[len(_GZIP_KEPT) :].partition(b"\n")
        return {**orjson.loads(gzip.decompress(request)), **orjson.loads(extra)}
    data: dict[str, Any] = json.loads(kept)
    if "request" not in data:
        return data
    return {**data.pop("request"), **data}


DAMAGED_BATCH = Message(
    "上次未完成的一批同步数据已损坏，无法重发，已放弃；其中的记录仍保存在本机，已在本次同步中重新发送。",
    "The batch an earlier sync left unfinished was damaged and could not be sent again, so it was "
    "dropped; its records are still on this computer and were sent again in this sync.",
)


def _check_kept(batch: Any) -> None:
    """Raises ValueError unless a kept batch has the shape a replay needs."""
    if not (
        isinstance(batch, dict)
        and isinstance(batch.get("batch_id"), str)
        and isinstance(batch.get("changes"), list)
        and all(isinstance(c, dict) and {"table", "id", "fields"} <= c.keys() for c in batch["changes"])
    ):
        raise ValueError("not a push batch")
    int(batch.get("queued", 0))


def kept_body(kept: str | bytes) -> PreparedBody | None:
    """The request of a batch kept compressed, as its kept gzip bytes (the JSON it was sent as, replayed
    as it was); None for a batch kept as text, whose request is encoded again."""
    if isinstance(kept, bytes) and kept.startswith(_GZIP_KEPT):
        return PreparedBody(kept[len(_GZIP_KEPT) :].partition(b"\n")[2], "gzip")
    return None


@lru_cache(maxsize=64)
def _size_sql(columns: tuple[str, ...]) -> str:
    """SQL for about the size of a row's JSON in characters (its values' lengths, a NULL as "null",
    and its keys), worked out by SQLite as the row is read; made once per table."""
    values = " + ".join(f"coalesce(length({c}), 4)" for c in columns)
    return f"({values} + {sum(len(c) + 4 for c in columns)})"


_PUSHABLE = "dirty = 1 AND is_draft = 0 AND has_conflict = 0 AND sync_error IS NULL"


def pushable_count(store: Store) -> int:
    """Records a push would send now (held-back conflicts, refusals and drafts not counted)."""
    return sum(
        int(store.db.execute(f"SELECT count(*) FROM {t} WHERE {_PUSHABLE}").fetchone()[0]) for t in PUSH_ORDER
    )


def record_gone_or_edited(now: dict[str, Any], record_id: str, when_sent: Any) -> bool:
    return record_id not in now or now[record_id] != when_sent


def _superseded(result: protocol.ChangeResult) -> bool:
    """A refusal that carries the server's version of the record (sync/server/push.Superseded)."""
    return (
        isinstance(result.get("fields"), dict)
        and type(result.get("rev")) is int
        and type(result.get("server_seq")) is int
    )


def _superseded_message(table: str, fields: dict[str, Any], reason: dict[str, str]) -> Message:
    label = TABLE_LABELS.get(table, Message(table, table))
    # What the user knows it by: a title or name; a file by its own name; a solution by what it says.
    named = (
        fields.get("title") or fields.get("name") or fields.get("original_name") or fields.get("description")
    )
    name = " ".join(str(named or "").split())[:40]
    if not name and table == "visits":
        # A visit has no name: its date and what it says (the served party's id means nothing).
        name = " ".join(f"{fields.get('visit_date') or ''} {fields.get('content') or ''}".split())[:40]
    return Message(
        f"{label.zh}“{name}”：{reason['zh']}（已改为服务器上的版本）",
        f"{label.en} “{name}”: {reason['en']} (now as the server has it)",
    )


def _withdrawn_review_message(db: Any, review: dict[str, Any], reason: dict[str, str]) -> Message:
    """A review the server refused, withdrawn here: what it was of, and why."""
    table, record_id = review.get("record_table") or "visits", str(review.get("record_id") or "")
    if table == "achievements":
        found = db.execute("SELECT title FROM achievements WHERE id = ?", [record_id]).fetchone()
        title = " ".join(str(found[0] if found else "").split())[:40]
        zh, en = f"成果转化“{title}”", f"the achievement “{title}”"
    else:
        found = db.execute(
            "SELECT v.visit_date, coalesce(t.name, '') FROM visits v "
            "LEFT JOIN service_targets t ON t.id = v.target_id WHERE v.id = ?",
            [record_id],
        ).fetchone()
        what = " ".join(" ".join(str(x or "") for x in found).split())[:60] if found else ""
        zh, en = f"服务记录（{what}）", f"the visit ({what})"
    return Message(
        f"对{zh}的审核未被服务器接受，已撤回：{reason['zh']}",
        f"Your review of {en} was not accepted by the server and was withdrawn: {reason['en']}",
    )


def _update(db: Any, table: str, record_id: str, values: dict[str, Any]) -> None:
    if not values:
        return
    sets = ", ".join(f"{c} = ?" for c in values)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), record_id])


def _same(a: Any, b: Any) -> bool:
    return _column_value(a) == _column_value(b)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
