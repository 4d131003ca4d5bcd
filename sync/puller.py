"""Pull: the server's changes, page by page, each applied with its cursor in one transaction,
re-indexed for full-text search; reference data and assessment rules too."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from commissioner_app import schema
from commissioner_app.domain import now_iso
from commissioner_app.ops.session import ROLES, session_user, set_session_user
from commissioner_app.records import column_value as _column_value
from commissioner_app.reference import RefItem, replace_reference
from commissioner_app.store import META_PULLED_UP_TO, Store
from sync import protocol
from sync.bureau_push import META_REFERENCE_REV
from sync.checks import cleaned_fields, refused_change
from sync.conflicts import apply_notices
from sync.recovery import META_RESTORED, META_STORE, mark_for_restored_store, store_identity
from sync.report import EngineParts, SyncProgress, SyncReport, checkpoint

# Tables whose pulled updates are kept in the local history (record_history).
HISTORY_TABLES = ("visits", "service_targets")
log = logging.getLogger("commissioner.sync.engine.pull")

META_CURSOR = META_PULLED_UP_TO
# What of an account decides what it sees (sync/server/scope.py). (Whose laptop it is, its
# commissioner id, is settled at login and not taken from a pull.)
ACCOUNT_SCOPE = ("role", "team_id", "workstation_id", "county")
LOCK_GAP_SECONDS = 0.01  # between pulled pages, the database is left to other writers this long


class Puller(EngineParts):
    _fts: dict[str, _FtsBulk | None]
    _pulled_pages: tuple[int, int]
    _store_restored: bool  # this sync's pull found the store restored from a backup (sync/recovery.py)

    def _pull_all(self, report: SyncReport) -> None:
        since = int(self.store.get_meta(META_CURSOR) or 0)
        if self._cancelled(report):
            return
        # This sync's answered pushes, and any an earlier sync cut short left (kept with each answer).
        kept = kept_echo(self.store)
        skip = pull_skip(kept, since)
        # The next page is fetched while this one is applied (at most two pages in memory).
        # The first page counts what is to come, and says what the account is now.
        opening = self.client.pull(since, self.pull_limit, True, skip)
        if self._account_moved(opening.get("account")) and since > 0:
            # Moved to another team, workstation, county or role since the cursor: records of the
            # new scope stored before it were never sent here. From the start again (what is here
            # already is kept; a record here at the same revision is not written again).
            log.info("the account's scope changed: pulling from the start")
            since = 0
            self.store.set_meta(META_CURSOR, "0")
            skip = pull_skip(kept, since)
            opening = self.client.pull(since, self.pull_limit, True, skip)
        identity = store_identity(opening)
        known = self.store.get_meta(META_STORE)
        if identity is not None and known is not None and identity[0] != known:
            # Another store: a backup restored. What was synced with the store before it, past the
            # backup, is queued again (sent by the engine after this pull), and everything it holds
            # is pulled from the start, in step with its own numbers (sync/recovery.py).
            log.info("the central store was restored from a backup: pulling from the start")
            user = session_user(self.store) or {}
            people = [str(p) for p in (user.get("commissioner_id"), user.get("id")) if p]
            with self.store.atomic():
                queued = mark_for_restored_store(
                    self.store, identity[1], set(self._echo), str(user.get("role") or ""), people
                )
                told = int(self.store.get_meta(META_RESTORED) or 0)  # (a sync cut short did not say)
                self.store.set_meta(META_RESTORED, str(told + queued))
                self.store.set_meta(META_CURSOR, "0")
                self.store.set_meta(META_ECHO, None)
                self.store.set_meta(META_STORE, identity[0])
            self._store_restored = True
            since, kept, skip = 0, [], []
            opening = self.client.pull(since, self.pull_limit, True, skip)
        elif identity is not None and known is None:
            self.store.set_meta(META_STORE, identity[0])
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
            coming: Future[protocol.PullAnswer] = Future()
            coming.set_result(opening)
            first = True
            while True:
                answer = coming.result()
                self._note_clock(answer.get("server_time"), report)
                more = bool(answer.get("has_more"))
                if more:
                    after = int(answer["next_since"])
                    skip = [r for r in skip if r[1] > after]
                    coming = fetcher.submit(self.client.pull, after, self.pull_limit, False, skip)
                with self.store.atomic():
                    self._apply_page(answer["changes"], report)
                    checkpoint("pull_applying")
                    # The cursor moves in the same transaction as the page it covers, and the kept
                    # echo loses what the cursor has passed.
                    self.store.set_meta(META_CURSOR, str(answer["next_since"]))
                    passed = [r for r in kept if r[1] <= int(answer["next_since"])]
                    if passed:
                        kept = [r for r in kept if r not in passed]
                        self.store.set_meta(META_ECHO, json.dumps(kept) if kept else None)
                if more:
                    # A save waiting for the database gets its turn between pages.
                    time.sleep(LOCK_GAP_SECONDS)
                self._progress(self._pull_progress(answer, first))
                first = False
                if not more or self._cancelled(report):
                    break  # (a page fetched after a cancel is dropped: the cursor has not moved past it)

    def _account_moved(self, account: Any) -> bool:
        """Take the account as the server describes it now (checked: the server is not trusted with
        more than text), keeping the rest of what the login stored. Whether its scope moved."""
        known = session_user(self.store)
        if not isinstance(account, dict) or known is None:
            return False
        now = {
            k: (v if isinstance(v, str) and len(v) <= 200 else None)
            for k, v in account.items()
            if k in ACCOUNT_SCOPE or k == "display_name"
        }
        if now.get("role") not in ROLES:
            return False
        if now.get("display_name") is None:
            now.pop("display_name", None)
        moved = any((now.get(k) or None) != (known.get(k) or None) for k in ACCOUNT_SCOPE)
        if moved or (now.get("display_name") or "") != (known.get("display_name") or ""):
            set_session_user(self.store, {**known, **now})
        return moved

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
                    self.store,
                    [dict(i) for i in items],
                    _user(self.store),
                    self.client.device_id,
                    refused=report.problems,
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
        # (columns, new here) -> rows: a row the laptop does not have yet is a plain INSERT, three
        # times cheaper in SQLite than the upsert an update needs (a first pull is all new rows).
        groups: dict[tuple[tuple[str, ...], bool], list[list[Any]]] = {}
        fresh: set[str] = set()
        updated: list[protocol.PulledChange] = []
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}  # the field names as sent -> known columns
        for change in items:
            refused = refused_change(table, dict(change))  # a hash that is no hash never reaches the disk
            if refused is not None:
                report.problems.append(refused)
                continue
            record_id, rev = change["id"], int(change["rev"])
            mine = local.get(record_id)
            if mine is not None and mine[1]:
                report.kept_local += 1  # unsent local changes win locally; push will merge them
                continue
            if mine is not None and mine[0] >= rev:
                continue  # already have it (e.g. the echo of our own push)
            if mine is not None and table in HISTORY_TABLES and not change["deleted"]:
                updated.append(change)
            if change["deleted"]:
                report.deleted += 1
            else:
                report.pulled += 1
            fields = cleaned_fields(table, change["fields"])
            shape = tuple(fields)
            cols = shapes.get(shape)
            if cols is None:
                cols = shapes[shape] = tuple(f for f in shape if f in known)
            values: list[Any] = [record_id]
            for c in cols:
                v = fields[c]
                values.append(v if type(v) in _PLAIN else _column_value(v))
            values += [rev, int(change["server_seq"]), int(bool(change["deleted"])), now]
            new = mine is None and record_id not in fresh
            if new:
                fresh.add(record_id)
            groups.setdefault((cols, new), []).append(values)
        if updated:
            self._record_history(table, updated, known)
        written = [r[0] for rows in groups.values() for r in rows]
        bulk = self._fts_bulk(table) if len(written) >= FTS_BULK_MIN else None
        if bulk is not None:
            # Full-text indexing needs no network: the rows of a large page are listed in
            # fts_pending instead, in this same transaction, and indexed after the sync or by the
            # first search (Store.index_pending). Indexing page by page here took 0.7 s of a
            # 17,600-record first pull; all of them at once afterwards take 0.2 s. The triggers are
            # set aside inside this transaction only (a crash rolls their removal back with the page).
            for name, _ in bulk.triggers:
                db.execute(f"DROP TRIGGER {name}")
        try:
            for (cols, new), rows in groups.items():
                # A tombstone is written too (deleted = 1): the record disappears from every list but
                # the local copy stays in step with the server's.
                names = ["id", *cols, "rev", "server_seq", "deleted", "updated_at"]
                updates = ", ".join(f"{c} = excluded.{c}" for c in names[1:])
                upsert = (
                    ""
                    if new
                    else f" ON CONFLICT(id) DO UPDATE SET {updates}, base_rev = excluded.rev, dirty = 0, "
                    "is_draft = 0, has_conflict = 0, sync_error = NULL, updated_by = 'server'"
                )
                db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}, base_rev, created_at, updated_by, dirty, "
                    f"is_draft, has_conflict) VALUES ({', '.join('?' * len(names))}, ?, ?, 'server', 0, 0, "
                    f"0){upsert}",
                    [[*r, r[-4], now] for r in rows],
                )
            if bulk is not None:
                for start in range(0, len(written), 500):
                    part = written[start : start + 500]
                    marks = ",".join("?" * len(part))
                    db.execute(
                        "INSERT OR IGNORE INTO fts_pending (table_name, row_id) "
                        f"SELECT ?, rowid FROM {table} WHERE id IN ({marks})",
                        [table, *part],
                    )
        finally:
            # (A disk-full or I/O error makes SQLite roll the whole transaction back, the triggers'
            # removal with it: they are back already.)
            if bulk is not None and db.conn.in_transaction:
                for _, sql in bulk.triggers:
                    db.execute(sql)

    def _fts_bulk(self, table: str) -> _FtsBulk | None:
        """How to index a page of `table` at once (schema.FTS), and the triggers to set aside (None: no
        index)."""
        if table not in self._fts:
            index = schema.FTS.get(table)
            found = (
                self.store.db.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                    "AND name IN (?, ?) ORDER BY name",
                    [table, *index.row_triggers],
                ).fetchall()
                if index is not None
                else []
            )
            if index is None or len(found) != 2:
                self._fts[table] = None
            else:
                self._fts[table] = _FtsBulk(
                    triggers=[(str(n), str(q)) for n, q in found],
                    index=index,
                )
        return self._fts[table]

    def _record_history(self, table: str, changes: list[protocol.PulledChange], known: set[str]) -> None:
        """Keep what a pulled update changed in a visit (so a reviewer sees what changed since approval)
        or a service target (a colleague's correction shows on the target page)."""
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
            "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) VALUES "
            "(?, ?, ?, ?, ?)",
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


META_ECHO = "push_echo"  # the answered push's numbers the cursor has not yet passed (JSON ranges)
MAX_KEPT_ECHO = 1024  # ranges kept (the longest); what is left out is pulled and found held already


def kept_echo(store: Store) -> list[tuple[int, int]]:
    """The server_seq ranges of this computer's answered pushes that no pull has passed yet: kept
    in meta with the answers, so that a sync cut before its pull (a link lost, the application
    closed) does not have the next one download what this computer sent. Unreadable: none."""
    try:
        data = json.loads(store.get_meta(META_ECHO) or "[]")
        return [(int(a), int(b)) for a, b in data if 0 < int(a) <= int(b)]
    except (ValueError, TypeError):
        return []


def keep_echo(store: Store, seqs: list[int]) -> None:
    """Add the numbers of an answered batch (in the transaction that applies its answer)."""
    if seqs:
        ranges = _merged([*kept_echo(store), *_runs(seqs)])
        store.set_meta(META_ECHO, json.dumps(_longest(ranges, MAX_KEPT_ECHO)))


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for seq in sorted(set(seqs)):
        if runs and runs[-1][1] == seq - 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    return runs


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def _longest(ranges: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    if len(ranges) <= most:
        return ranges
    return sorted(sorted(ranges, key=lambda r: r[1] - r[0], reverse=True)[:most])


def pull_skip(ranges: list[tuple[int, int]], since: int) -> list[tuple[int, int]]:
    """The ranges a pull from `since` leaves out: those above it, at most protocol.MAX_PULL_SKIP."""
    above = [(max(low, since + 1), high) for low, high in _merged(ranges) if high > since]
    return _longest(above, protocol.MAX_PULL_SKIP)


def echo_ranges(seqs: list[int], since: int) -> list[tuple[int, int]]:
    """The server_seq numbers of one's own answered push as ranges of consecutive numbers above
    `since`, at most protocol.MAX_PULL_SKIP of them (the longest; the rest is pulled and found to
    be held already)."""
    return pull_skip(_runs(seqs), since)


_PLAIN = (str, int, float, type(None))
FTS_BULK_MIN = 64  # rows of one table in a pull page from which the page is indexed at once


@dataclass(frozen=True)
class _FtsBulk:
    triggers: list[tuple[str, str]]  # (name, sql) of the insert and update triggers set aside
    index: schema.FtsIndex


def _user(store: Store) -> dict[str, Any] | None:
    """The account this computer syncs as (sync/session.py keeps it in meta at login)."""
    return session_user(store)
