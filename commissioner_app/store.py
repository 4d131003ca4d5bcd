"""The local store: one SQLite database (WAL) per data directory, plus attachment files beside it.

Access is serialised: one thread at a time uses a Store (the GUI runs database work on one worker
thread). Synced tables have no SQL foreign keys on purpose: a pull may deliver a child before its
parent; integrity of links is checked by `check()` instead.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from commissioner_app import collation, schema
from commissioner_app.domain import (
    Achievement,
    Commissioner,
    Issue,
    Record,
    Solution,
    TechnicalProblem,
    Visit,
    contract_key,
    limit_issues,
    new_id,
    now_iso,
)
from commissioner_app.errors import (
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    NotFoundError,
    ValidationError,
    sqlite_errors,
)
from commissioner_app.i18n import Message
from commissioner_app.paths import DB_FILENAME
from commissioner_app.records import domain_columns, from_row, to_row

log = logging.getLogger("commissioner.store")

R = TypeVar("R", bound=Record)

# The sync state of a row, derived from its sync metadata (SYNC.md: local only / queued / sent /
# conflict / rejected). Rows never pushed and rows changed since the last push are both "queued".
SYNC_STATE_SQL = (
    "CASE WHEN {p}is_draft THEN 'draft' WHEN {p}has_conflict THEN 'conflict' "
    "WHEN {p}sync_error IS NOT NULL THEN 'rejected' WHEN {p}dirty THEN 'queued' ELSE 'synced' END"
)

SYNC_STATES: dict[str, Message] = {
    "draft": Message("草稿", "Draft"),
    "queued": Message("待同步", "Waiting to sync"),
    "synced": Message("已同步", "Synced"),
    "conflict": Message("冲突", "Conflict"),
    "rejected": Message("被拒绝", "Rejected"),
}

# What a user sees as a record's state: sync state and review state in one word.
RECORD_STATES: dict[str, Message] = {
    **SYNC_STATES,
    "pending": Message("待审核", "Waiting for review"),
    "approved": Message("已通过", "Approved"),
    "returned": Message("已退回", "Returned"),
}

BACKUPS_KEPT = 5
BUSY_TIMEOUT_MS = 5000  # a single statement's wait for another writer
LOCK_WAIT_SECONDS = 20.0  # a write transaction's wait for another writer (a sync's pages, say)
# A search's wait to index what a pull stored before it answers: past this it answers from the
# rows' text instead (see Store._unindexed), so a search never waits on a long write elsewhere.
SEARCH_LOCK_WAIT_SECONDS = 0.5
# After such a wait in vain, searches only try the lock (no wait) for this long, then wait again.
SEARCH_LOCK_RETRY_SECONDS = 10.0
META_CLOCK_SKEW = "clock_skew_seconds"  # written by sync (sync/engine.py) after each sync
# The server's change number up to which this laptop has pulled (sync/puller.py moves it).
META_PULLED_UP_TO = "pull_since"


def record_state(sync_state: str, review_status: str = "") -> str:
    """The one state to show for a record (draft, conflict and rejection come first)."""
    if sync_state in ("draft", "conflict", "rejected"):
        return sync_state
    if review_status == "returned":
        return "returned"
    if sync_state == "queued":
        return "queued"
    if review_status in ("approved", "pending"):
        return review_status
    return sync_state


@dataclass
class VisitQuery:
    """Filters and ordering for the visit list."""

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    county: str = ""
    town: str = ""
    industry: str = ""
    review_status: str | None = None
    sync_state: str | None = None
    commissioner_id: str | None = None
    # This laptop's own work: the visits of this commissioner and those saved before a profile was.
    mine: str | None = None
    # The search text also finds a visit by its commissioner's name (a list that shows whose each
    # visit is: a manager's, the bureau's; the name is not in the search index).
    by_name: bool = False
    target_id: str | None = None
    order_by: str = "visit_date"
    descending: bool = True


@dataclass
class SearchHit:
    kind: str  # table name
    id: str
    title: str
    detail: str


VISIT_ORDER_COLUMNS = {
    "visit_date": "v.visit_date {d}, v.start_time {d}, v.rowid {d}",
    "target_name": "kt.key {d}, v.visit_date DESC",
    "county": "kn.key {d}, kw.key {d}, v.visit_date DESC",
    "industry": "ki.key {d}, v.visit_date DESC",
    "people_trained": "v.people_trained {d}, v.visit_date DESC",
    "economic_benefit": "v.economic_benefit {d}, v.visit_date DESC",
    "state": "v.dirty {d}, v.review_status {d}, v.visit_date DESC",
    "commissioner_name": "kc.key {d}, v.visit_date DESC",
}

# What an order needs joined to the visits (the lists read only the visits' own columns otherwise).
VISIT_ORDER_JOINS = {
    "target_name": "LEFT JOIN service_targets t ON t.id = v.target_id",
    "commissioner_name": "LEFT JOIN commissioners c ON c.id = v.commissioner_id",
}

# The orders by a name, in pinyin order (commissioner_app/collation.py): each distinct name is keyed
# once in the query (a materialized WITH table), and the sort joins the keys (alias, the name in
# the sorted query, its distinct values). Keying each row in the sort itself, a call into Python
# for each of 100,000 visits, made sorting the bureau's list by a name 60-80 % slower.
VISIT_NAME_KEYS = {
    "target_name": [("kt", "t.name", "SELECT DISTINCT name AS n FROM service_targets", "zh_key")],
    # A person's name: its surname by its reading as one (collation.name_key: 曾 as zēng).
    "commissioner_name": [("kc", "c.name", "SELECT DISTINCT name AS n FROM commissioners", "zh_name_key")],
    "county": [
        ("kn", "v.county", "SELECT DISTINCT county AS n FROM visits", "zh_key"),
        ("kw", "v.town", "SELECT DISTINCT town AS n FROM visits", "zh_key"),
    ],
    "industry": [("ki", "v.industry", "SELECT DISTINCT industry AS n FROM visits", "zh_key")],
}


FTS_CATCH_UP_CHUNK = 2000  # rows indexed in one transaction by Store.index_pending


def database(conn: sqlite3.Connection | None = None) -> Database:
    """sqlite-utils over `conn` (None: a new database in memory), without sqlite-utils plugins: the
    records are prepared by this application alone, not by a plugin another package installed on
    the same Python (looking for them also cost every start ~15 ms)."""
    if conn is None:
        return Database(memory=True, execute_plugins=False)
    return Database(conn, execute_plugins=False)


def _name_keys(order_by: str) -> tuple[str, str]:
    """For an order by a name (VISIT_NAME_KEYS): the WITH clause that keys its names, once each,
    and the joins of those keys."""
    keyed = VISIT_NAME_KEYS.get(order_by, [])
    if not keyed:
        return "", ""
    tables = ", ".join(
        f"{alias}(name, key) AS MATERIALIZED (SELECT n, {key}(n) FROM ({names}) WHERE n IS NOT NULL)"
        for alias, _, names, key in keyed
    )
    joins = "".join(f" LEFT JOIN {alias} ON {alias}.name = {name}" for alias, name, _, _ in keyed)
    return f"WITH {tables} ", joins


def _by_commissioner_name(term: str, rowid_expr: str) -> tuple[str, list[Any]]:
    """A visit whose commissioner's name holds the term (VisitQuery.by_name)."""
    return (
        f"{rowid_expr} IN (SELECT x.rowid FROM visits x WHERE x.commissioner_id IN "
        "(SELECT id FROM commissioners WHERE name LIKE ? ESCAPE '\\' AND +deleted = 0))",
        [f"%{_like_escaped(term)}%"],
    )


class Store:
    """A commissioner's local database."""

    def __init__(self, db: Database, data_dir: Path | None = None):
        self.db = db
        # Counting a technology contract once compares numbers as contract_key does (SQL cannot).
        db.conn.create_function("contract_key", 1, contract_key, deterministic=True)
        collation.register(db.conn)  # zh_key(), zh_name_key(): pinyin order (commissioner_app/collation.py)
        self.data_dir = data_dir
        self.path: Path | None = data_dir / DB_FILENAME if data_dir else None
        self.actor = ""
        self._index_locked_at: float | None = None  # when a search last found the write lock taken

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str, *, load_reference: bool = True) -> Store:
        """Open (or create) the store in `data_dir`, migrating an older database after a backup."""
        data_dir = Path(data_dir)
        path = data_dir / DB_FILENAME
        with sqlite_errors(path):
            data_dir.mkdir(parents=True, exist_ok=True)
            make_private(path, create=True)  # before SQLite creates it: the WAL and SHM files take its mode
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            db = database(conn)
            db.execute("PRAGMA journal_mode=WAL")
            store = cls(db, data_dir)
            store._prepare(load_reference)
        return store

    @classmethod
    def memory(cls, *, load_reference: bool = True) -> Store:
        db = database()
        store = cls(db, None)
        store._prepare(load_reference)
        return store

    def _prepare(self, load_reference: bool) -> None:
        db = self.db
        db.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit is on the disk when it returns (a field laptop's battery dies without warning;
        # NORMAL left the last commits to the next checkpoint or to the operating system). About 0.4
        # ms a commit on the development machine.
        db.execute("PRAGMA synchronous=FULL")
        # Reading the schema fails here, not later, if the file is not a database.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        applied = [m.name for m in schema.migrations.applied(db)]
        unknown = [name for name in applied if name not in schema.known_migration_names()]
        if unknown:
            where = self.path or ":memory:"
            raise DatabaseTooNewError(
                Message(
                    f"数据库 {where} 由更新版本的程序创建（{unknown[-1]}），本版本无法打开。请升级程序；"
                    "数据未被改动。",
                    f"The database {where} was written by a newer version of the application "
                    f"({unknown[-1]}); this version cannot open it. Please update; the data was not changed.",
                ),
                self.path,
            )
        if self.data_dir is not None:
            from commissioner_app.attachments import remove_stale_incoming

            clean_backups(self.data_dir / "backups")
            remove_stale_incoming(self)
        pending = schema.migrations.pending(db)
        if pending and applied and self.path is not None:
            self.backup_before_migration(pending[0].name)
        schema.migrations.apply(db)
        if not self.get_meta("device_id"):
            self.set_meta("device_id", new_id())
        if load_reference and not self.db.execute("SELECT 1 FROM reference_items LIMIT 1").fetchone():
            from commissioner_app.reference import load_bundled_reference

            load_bundled_reference(self)

    def backup_before_migration(self, label: str) -> Path:
        """Copy the database to a dated backup in the data directory and keep the last few."""
        assert self.data_dir is not None
        folder = self.data_dir / "backups"
        folder.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"commissioner-{stamp}-before-{label}.db"
        # Written under a temporary name (no journal: a partial copy is simply deleted), made
        # durable, then renamed: a kill at any moment leaves no incomplete file under the final name.
        partial = folder / f".{target.name}{PARTIAL_SUFFIX}"
        partial.unlink(missing_ok=True)
        make_private(partial, create=True)
        try:
            dest = sqlite3.connect(str(partial))
            try:
                dest.execute("PRAGMA journal_mode=OFF")
                self.db.conn.backup(dest, pages=BACKUP_STEP_PAGES, progress=_backup_progress)
            finally:
                dest.close()
            _fsync(partial)
            os.replace(partial, target)
            _fsync(folder)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        complete = [b for b in sorted(folder.glob("commissioner-*-before-*.db")) if _complete_backup(b)]
        for old in complete[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)
        log.info("backed up %s to %s before migrating", self.path, target)
        return target

    def close(self) -> None:
        # Keeps the planner's statistics fresh, as SQLite advises for long-lived connections; the
        # analysis limit bounds its cost on a large database.
        with suppress(sqlite3.Error):
            self.db.execute("PRAGMA analysis_limit = 400")
            self.db.execute("PRAGMA optimize")
        self.db.close()

    @contextmanager
    def atomic(self, wait: float | None = None) -> Iterator[Database]:
        """One write transaction (nested calls become savepoints); environmental errors become StoreError.

        It starts with `BEGIN IMMEDIATE`: the write lock is taken first, waiting up to `wait` seconds
        (LOCK_WAIT_SECONDS by default) while another connection (a sync, the command line) writes. A
        deferred `BEGIN` would read first and then fail at once with "database is locked" when it
        came to write."""
        conn = self.db.conn
        with sqlite_errors(self.path):
            if conn.in_transaction:
                with self.db.atomic() as db:
                    yield db
                return
            self._begin_immediate(LOCK_WAIT_SECONDS if wait is None else wait)
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise

    def _begin_immediate(self, wait: float) -> None:
        """Start a write transaction, waiting up to `wait` seconds for another writer.

        The wait polls every few milliseconds instead of through SQLite's busy handler, whose
        sleeps grow to 100 ms: a sync that applies page after page leaves only short gaps between
        its transactions, and a save waiting in 100 ms steps would miss them all until it timed out."""
        conn = self.db.conn
        deadline = time.monotonic() + wait
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    text = str(exc).lower()
                    if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                        raise
                time.sleep(random.uniform(0.001, 0.004))
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    # --- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def get_meta_value(self, key: str) -> str | bytes | None:
        """A meta value kept as text or as bytes (see sync/pusher.py: a push batch kept compressed)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | bytes | None) -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # --- profile ---------------------------------------------------------------------------------

    def profile(self) -> Commissioner | None:
        """The commissioner who uses this data directory, if set up."""
        cid = self.get_meta("self_commissioner_id")
        return self.get(Commissioner, cid) if cid else None

    def save_profile(self, commissioner: Commissioner) -> Commissioner:
        with self.atomic():
            self.save(commissioner)
            self.set_meta("self_commissioner_id", commissioner.id)
        self.actor = commissioner.id
        return commissioner

    # --- records ---------------------------------------------------------------------------------

    def get(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R | None:
        sql = f"SELECT * FROM {cls.__table__} WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        cursor = self.db.execute(sql, [record_id])
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        return from_row(cls, dict(zip(names, row, strict=True)))

    def require(self, cls: type[R], record_id: str) -> R:
        record = self.get(cls, record_id)
        if record is None:
            raise NotFoundError(Message(f"找不到记录 {record_id}", f"No record {record_id}"))
        return record

    def row(self, table: str, record_id: str) -> dict[str, Any] | None:
        """The raw row, sync metadata included."""
        cursor = self.db.execute(
            f"SELECT *, {SYNC_STATE_SQL.format(p='')} AS sync_state FROM {table} WHERE id = ?", [record_id]
        )
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def validate(self, record: Record, *, pending_solutions: int = 0) -> list[Issue]:
        if isinstance(record, TechnicalProblem):
            issues = record.validate(solution_count=self.solution_count(record.id) + pending_solutions)
        elif isinstance(record, Visit):
            issues = record.validate(today=self.latest_visit_date(record))
        elif isinstance(record, Achievement):
            issues = record.validate(today=self.latest_visit_date())
        else:
            issues = record.validate()
        return [*issues, *limit_issues(record)]

    def latest_visit_date(self, visit: Visit | None = None) -> date:
        """The latest service date a save accepts.

        A date the user sets now may not be after today: by this computer's clock, or by the
        server's when the last sync found this clock behind it. A date that came from elsewhere
        (a pull: another computer's "today", perhaps ahead) and is not changed here is not
        judged again, so the record stays editable. A draft's date is the user's own, set here: the
        editor's autosave kept a date typed next March, and the save then passed it as unchanged."""
        latest = date.today()
        skew = self.get_meta(META_CLOCK_SKEW)  # this clock minus the server's, in seconds
        with suppress(TypeError, ValueError, OverflowError):
            latest = max(latest, (datetime.now() - timedelta(seconds=float(skew or 0))).date())
        if visit is not None and visit.visit_date is not None and visit.visit_date > latest:
            stored = self.db.execute(
                "SELECT visit_date FROM visits WHERE id = ? AND is_draft = 0", [visit.id]
            ).fetchone()
            if stored is not None and stored[0] == visit.visit_date.isoformat():
                latest = visit.visit_date
        return latest

    def save(self, record: R, *, draft: bool = False) -> R:
        """Validate (unless a draft) and write one record; raises ValidationError with every issue."""
        if not draft:
            issues = self.validate(record)
            if issues:
                raise ValidationError(issues)
        with self.atomic():
            if self._write(record, draft) and not draft:
                self._reopen_review(record.__table__, record.id)
        return record

    def save_visit(
        self,
        visit: Visit,
        problems: Iterable[TechnicalProblem] = (),
        solutions: Iterable[Solution] = (),
        *,
        draft: bool = False,
    ) -> Visit:
        """Save a visit with the problems raised and solutions given, all or nothing.

        A draft may be incomplete and is never queued for sync; its problems and solutions are
        drafts with it. Issues of child records name them as `problems[0].title`.
        """
        problems, solutions = list(problems), list(solutions)
        if not visit.commissioner_id and self.actor:
            visit.commissioner_id = self.actor
        for problem in problems:
            problem.visit_id = problem.visit_id or visit.id
            problem.target_id = problem.target_id or visit.target_id
            problem.commissioner_id = problem.commissioner_id or visit.commissioner_id
            problem.raised_on = problem.raised_on or visit.visit_date
        for solution in solutions:
            solution.visit_id = solution.visit_id or visit.id
            solution.commissioner_id = solution.commissioner_id or visit.commissioner_id
        if not draft:
            issues = list(self.validate(visit))
            for i, problem in enumerate(problems):
                new_solutions = sum(1 for s in solutions if s.problem_id == problem.id)
                issues += _prefixed(f"problems[{i}]", self.validate(problem, pending_solutions=new_solutions))
            for i, solution in enumerate(solutions):
                issues += _prefixed(f"solutions[{i}]", self.validate(solution))
            if issues:
                raise ValidationError(issues)
            if not visit.confirm_token:
                # The served party's confirmation link (printed as a QR code on the visit sheet).
                visit.confirm_token = secrets.token_urlsafe(16)
            current = self.get(Visit, visit.id)
            if visit.review_status in ("", "returned", "approved"):
                if current is None or visit.review_status != "approved" or _changed(current, visit):
                    visit.review_status = "pending"
            if current is not None and (
                visit.review_status != current.review_status
                or visit.confirm_sheet_sha256 != current.confirm_sheet_sha256
                or visit.confirm_satisfaction != current.confirm_satisfaction
            ):
                # What the reviewer accepted is not what the visit holds now (as on the server).
                visit.confirm_sheet_accepted = False
        for problem in problems:
            if problem.status == "solved" and problem.solved_on is None:
                problem.solved_on = visit.visit_date or date.today()
        with self.atomic():
            self._write(visit, draft)
            for child in (*problems, *solutions):
                if self._write(child, draft) and not draft:
                    self._reopen_review(child.__table__, child.id)
            visit.review_status = self.db.execute(
                "SELECT review_status FROM visits WHERE id = ?", [visit.id]
            ).fetchone()[0]
        return visit

    def delete(self, cls: type[Record], record_id: str) -> None:
        """Delete as a tombstone, so that sync can carry the deletion."""
        with self.atomic():
            current = self.db.execute(
                f"SELECT rev, dirty, base_rev FROM {cls.__table__} WHERE id = ? AND deleted = 0", [record_id]
            ).fetchone()
            if current is None:
                raise NotFoundError(Message(f"找不到记录 {record_id}", f"No record {record_id}"))
            rev, dirty, base_rev = current
            # A new state to send, as an edit is: a refusal of the record before it no longer holds
            # it back (a deletion sent never refused, it waited to sync for good).
            self.db.execute(
                f"UPDATE {cls.__table__} SET deleted = 1, dirty = 1, sync_error = NULL, base_rev = ?, "
                "updated_at = ?, updated_by = ? WHERE id = ?",
                [base_rev if dirty else rev, now_iso(), self.actor, record_id],
            )
            self._history(cls.__table__, record_id, {"deleted": [0, 1]})
            self._reopen_review(cls.__table__, record_id)

    def undelete(self, cls: type[Record], record_id: str) -> None:
        """Bring a tombstone back, as an edit to send (a deletion undone after a sync conflict); its
        base stays the server's version it was deleted from, as `delete` keeps it."""
        with self.atomic():
            self.db.execute(
                f"UPDATE {cls.__table__} SET deleted = 0, sync_error = NULL, "
                "base_rev = CASE WHEN dirty = 1 THEN base_rev ELSE rev END, dirty = 1, updated_at = ?, "
                "updated_by = ? WHERE id = ? AND deleted = 1",
                [now_iso(), self.actor, record_id],
            )
            self._history(cls.__table__, record_id, {"deleted": [1, 0]})

    def _write(self, record: Record, draft: bool) -> bool:
        """Insert or update one record; whether anything was written."""
        table = record.__table__
        row = to_row(record)
        now = now_iso()
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [record.id])
        found = cursor.fetchone()
        if found is None:
            row.update(
                created_at=now,
                updated_at=now,
                updated_by=self.actor,
                dirty=1,
                is_draft=int(draft),
                rev=0,
                base_rev=0,
            )
            self.db.table(table).insert(row)
            return True
        existing = dict(zip([d[0] for d in cursor.description], found, strict=True))
        changes = {k: [existing[k], v] for k, v in row.items() if existing.get(k) != v}
        if not changes and existing["is_draft"] == int(draft) and not existing["deleted"]:
            return False
        row.update(
            updated_at=now,
            updated_by=self.actor,
            dirty=1,
            is_draft=int(draft),
            deleted=0,
            sync_error=None,
            base_rev=existing["base_rev"] if existing["dirty"] else existing["rev"],
        )
        self.db.table(table).update(record.id, row)
        if changes and not existing["is_draft"]:
            self._history(table, record.id, changes)
        return True

    def _reopen_review(self, table: str, record_id: str) -> None:
        """A problem, solution or file (a photo, the signed sheet) of a reviewed visit, or a file of a
        reviewed achievement, changed: it waits for review again.

        The central store decides the review state and does the same on push; this shows it at once.
        """
        if table == "attachments":
            found = self.db.execute(
                "SELECT owner_table, owner_id FROM attachments WHERE id = ? "
                "AND owner_table IN ('visits', 'achievements')",
                [record_id],
            ).fetchone()
            if found is not None:
                self._reopen(found[0], found[1])
            return
        if table == "problems":
            sql = "SELECT visit_id FROM problems WHERE id = ?"
        elif table == "solutions":
            sql = (
                "SELECT coalesce(s.visit_id, p.visit_id) FROM solutions s "
                "LEFT JOIN problems p ON p.id = s.problem_id WHERE s.id = ?"
            )
        else:
            return
        found = self.db.execute(sql, [record_id]).fetchone()
        if found and found[0]:
            self._reopen("visits", found[0])

    def _reopen(self, table: str, record_id: str) -> None:
        """A reviewed visit or achievement waits for review again; a visit's accepted sheet with it."""
        sheet = ", confirm_sheet_accepted = 0" if table == "visits" else ""
        self.db.execute(
            f"UPDATE {table} SET review_status = 'pending'{sheet} "
            "WHERE id = ? AND review_status IN ('approved', 'returned')",
            [record_id],
        )

    def _history(self, table: str, record_id: str, changes: dict[str, list[Any]]) -> None:
        self.db.execute(
            "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) "
            "VALUES (?, ?, ?, ?, ?)",
            [table, record_id, now_iso(), self.actor, json.dumps(changes, ensure_ascii=False, default=str)],
        )

    def history(self, table: str, record_id: str) -> list[dict[str, Any]]:
        return [
            {**r, "changes": json.loads(r["changes"])}
            for r in self.db.query(
                "SELECT * FROM record_history WHERE table_name = ? AND record_id = ? ORDER BY id",
                [table, record_id],
            )
        ]

    # --- related records -------------------------------------------------------------------------

    def solution_count(self, problem_id: str) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM solutions WHERE problem_id = ? AND +deleted = 0", [problem_id]
        ).fetchone()
        return int(row[0])

    def problems_of_visit(self, visit_id: str) -> list[TechnicalProblem]:
        return self._many(TechnicalProblem, "visit_id = ?", [visit_id])

    def solutions_of_visit(self, visit_id: str) -> list[Solution]:
        return self._many(Solution, "visit_id = ?", [visit_id])

    def solutions_of_problem(self, problem_id: str) -> list[Solution]:
        return self._many(Solution, "problem_id = ?", [problem_id])

    def visits_of_problem(self, problem_id: str) -> list[Visit]:
        return self._many(
            Visit,
            "id IN (SELECT visit_id FROM problems WHERE id = ? UNION SELECT visit_id FROM solutions "
            "WHERE problem_id = ? AND +deleted = 0)",
            [problem_id, problem_id],
        )

    def all(self, cls: type[R], where: str = "1", params: Iterable[Any] = ()) -> list[R]:
        return self._many(cls, where, list(params))

    def _many(self, cls: type[R], where: str, params: list[Any]) -> list[R]:
        # `+deleted`: without planner statistics SQLite would pick idx_<table>_state (deleted, ...)
        # over the index of the looked-up column and scan the whole table (seconds at 100,000 visits).
        cursor = self.db.execute(
            f"SELECT {', '.join(domain_columns(cls))} FROM {cls.__table__} WHERE +deleted = 0 AND ({where}) "
            "ORDER BY rowid",
            params,
        )
        names = [d[0] for d in cursor.description]
        return [from_row(cls, dict(zip(names, r, strict=True))) for r in cursor.fetchall()]

    # --- lists -----------------------------------------------------------------------------------

    def _visit_where(self, q: VisitQuery) -> tuple[str, list[Any]]:
        # With search text, `+v.deleted` keeps the planner on the full-text match instead of walking
        # the date index over every visit.
        clauses, params = ["+v.deleted = 0" if q.text.strip() else "v.deleted = 0"], []
        if q.text.strip():
            names = _by_commissioner_name if q.by_name else None
            match = self.fts_filter("visits", q.text, "v.rowid", also=names)
            clauses.append(match[0])
            params += match[1]
        if q.date_from:
            clauses.append("v.visit_date >= ?")
            params.append(q.date_from.isoformat())
        if q.date_to:
            clauses.append("v.visit_date <= ?")
            params.append(q.date_to.isoformat())
        for column in ("county", "town", "industry", "commissioner_id", "target_id"):
            value = getattr(q, column)
            if value:
                clauses.append(f"v.{column} = ?")
                params.append(value)
        if q.mine:
            clauses.append("v.commissioner_id IN (?, '')")
            params.append(q.mine)
        if q.review_status is not None:
            clauses.append("v.review_status = ?")
            params.append(q.review_status)
        if q.sync_state:
            clauses.append(f"({SYNC_STATE_SQL.format(p='v.')}) = ?")
            params.append(q.sync_state)
        return " AND ".join(clauses), params

    def visit_ids(self, q: VisitQuery | None = None) -> list[str]:
        """Every matching visit id in display order: cheap even for 100,000 visits."""
        sql, params = self._ordered_visits(q or VisitQuery())
        return [r[0] for r in self.db.execute(sql, params).fetchall()]

    def _ordered_visits(self, q: VisitQuery) -> tuple[str, list[Any]]:
        """The SELECT of the matching visits' ids in display order, and its values."""
        where, params = self._visit_where(q)
        order = VISIT_ORDER_COLUMNS.get(q.order_by, VISIT_ORDER_COLUMNS["visit_date"])
        keyed, key_joins = _name_keys(q.order_by)
        join = VISIT_ORDER_JOINS.get(q.order_by, "") + key_joins
        direction = "DESC" if q.descending else "ASC"
        sql = f"{keyed}SELECT v.id FROM visits v {join} WHERE {where} ORDER BY {order.format(d=direction)}"
        return sql, params

    def visit_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """List rows (with the target's name and sync state) for the given ids."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cursor = self.db.execute(
            f"""SELECT v.id, v.visit_date, v.start_time, v.end_time, v.target_id, t.name AS target_name,
                t.type AS target_type, v.county, v.town, v.village, v.service_types, v.industry,
                substr(v.content, 1, 120) AS content, v.people_trained, v.training_sessions,
                v.techniques_promoted, v.varieties_introduced, v.economic_benefit,
                v.confirm_satisfaction, v.review_status, v.review_opinion, v.commissioner_id,
                c.name AS commissioner_name, v.rev, v.sync_error,
                {SYNC_STATE_SQL.format(p="v.")} AS sync_state
            FROM visits v LEFT JOIN service_targets t ON t.id = v.target_id
            LEFT JOIN commissioners c ON c.id = v.commissioner_id WHERE v.id IN ({marks})""",
            ids,
        )
        names = [d[0] for d in cursor.description]
        rows = {}
        for found in cursor.fetchall():
            row = dict(zip(names, found, strict=True))
            row["service_types"] = json.loads(row["service_types"] or "[]")
            row["state"] = record_state(row["sync_state"], row["review_status"])
            rows[row["id"]] = row
        return rows

    def list_visits(
        self, q: VisitQuery | None = None, *, offset: int = 0, limit: int = 200
    ) -> list[dict[str, Any]]:
        """One page of the visit list, in display order."""
        sql, params = self._ordered_visits(q or VisitQuery())
        ids = [r[0] for r in self.db.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()]
        rows = self.visit_rows(ids)
        return [rows[i] for i in ids]

    def count_visits(self, q: VisitQuery | None = None) -> int:
        where, params = self._visit_where(q or VisitQuery())
        return int(self.db.execute(f"SELECT count(*) FROM visits v WHERE {where}", params).fetchone()[0])

    def list_problems(
        self,
        *,
        text: str = "",
        status: str | None = None,
        industry: str = "",
        limit: int = 1000,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        clauses, params = ["p.deleted = 0"], []
        if text.strip():
            sql, extra = self.fts_filter("problems", text, "p.rowid")
            clauses.append(sql)
            params += extra
        if status:
            clauses.append("p.status = ?")
            params.append(status)
        if industry:
            clauses.append("p.industry = ?")
            params.append(industry)
        return list(
            self.db.query(
                f"""SELECT p.id, p.title, p.industry, p.status, p.status_reason, p.urgency, p.source,
                    p.raised_on, p.solved_on, p.visit_id, t.name AS target_name, p.sync_error,
                    (SELECT count(*) FROM solutions s WHERE s.problem_id = p.id AND +s.deleted = 0)
                    AS solutions,
                    {SYNC_STATE_SQL.format(p="p.")} AS sync_state
                FROM problems p LEFT JOIN service_targets t ON t.id = p.target_id
                WHERE {" AND ".join(clauses)} ORDER BY p.raised_on DESC, p.rowid DESC LIMIT ? OFFSET ?""",
                [*params, limit, offset],
            )
        )

    def list_targets(
        self, *, text: str = "", type: str = "", county: str = "", limit: int = 1000
    ) -> list[dict[str, Any]]:
        clauses, params = ["t.deleted = 0"], []
        if text.strip():
            sql, extra = self.fts_filter("service_targets", text, "t.rowid")
            clauses.append(sql)
            params += extra
        if type:
            clauses.append("t.type = ?")
            params.append(type)
        if county:
            clauses.append("t.county = ?")
            params.append(county)
        return list(
            self.db.query(
                f"""SELECT t.id, t.type, t.name, t.county, t.town, t.village, t.industry, t.contact_name,
                    t.contact_phone, t.credit_code, t.sync_error,
                    {SYNC_STATE_SQL.format(p="t.")} AS sync_state,
                    (SELECT count(*) FROM visits v WHERE v.target_id = t.id AND +v.deleted = 0) AS visits
                FROM service_targets t WHERE {" AND ".join(clauses)}
                ORDER BY zh_key(t.county), zh_key(t.town), zh_key(t.name) LIMIT ?""",
                [*params, limit],
            )
        )

    # --- full-text search ------------------------------------------------------------------------

    def fts_pending(self) -> int:
        """Rows a pull stored whose full-text index is still to be made (see index_pending)."""
        return int(self.db.execute("SELECT count(*) FROM fts_pending").fetchone()[0])

    def index_pending(
        self,
        chunk: int = FTS_CATCH_UP_CHUNK,
        cancelled: Callable[[], bool] | None = None,
        wait: float | None = None,
    ) -> int:
        """Index the rows a pull left for later (schema m014), a transaction of `chunk` rows at a
        time so that a save waits at most for one; returns how many were indexed. A search calls it
        first, so what it finds is always complete; the application calls it once a sync is over.
        `wait`: how long each chunk waits for another writer (see atomic)."""
        done = 0
        while not (cancelled and cancelled()):
            with self.atomic(wait):
                rows = self.db.execute(
                    "SELECT table_name, row_id FROM fts_pending LIMIT ?", [chunk]
                ).fetchall()
                by_table: dict[str, list[int]] = {}
                for table, row_id in rows:
                    by_table.setdefault(str(table), []).append(int(row_id))
                for table, ids in by_table.items():
                    index = schema.FTS.get(table)
                    for start in range(0, len(ids), 500):
                        part = ids[start : start + 500]
                        marks = ",".join("?" * len(part))
                        if index is not None:
                            self.db.execute(f"DELETE FROM {index.name} WHERE rowid IN ({marks})", part)
                            self.db.execute(index.index_rowids(marks), part)
                        self.db.execute(
                            f"DELETE FROM fts_pending WHERE table_name = ? AND row_id IN ({marks})",
                            [table, *part],
                        )
            done += len(rows)
            if len(rows) < chunk:
                break
        return done

    def fts_filter(
        self,
        table: str,
        text: str,
        rowid_expr: str,
        also: Callable[[str, str], tuple[str, list[Any]]] | None = None,
    ) -> tuple[str, list[Any]]:
        """An SQL condition restricting `rowid_expr` to rows of `table` matching every term of `text`
        (`also(term, rowid_expr)`: another way a term may match, an SQL condition and its values)."""
        index = schema.FTS.get(table) if self._unindexed() else None
        clauses, params = [], []
        for term in _terms(text):
            expr = self._match_expression(table, term)
            found: list[Any] = []
            if expr == "":
                clause = "0"  # a two-character term that occurs nowhere
            elif expr is None:
                # One character: no trigram holds it alone, so scan the index's copy of the text.
                columns = _fts_columns(self.db, table)
                like = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
                clause = f"{rowid_expr} IN (SELECT rowid FROM {table}_fts WHERE {like})"
                found += [f"%{_like_escaped(term)}%"] * len(columns)
            else:
                clause = f"{rowid_expr} IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)"
                found.append(expr)
            if index is not None:
                # A connection that cannot write (the GUI thread's query-only one) cannot index what
                # a pull stored: those rows are matched on their text, their index entry (missing,
                # or of the version before the pull) is not used.
                pending = "SELECT row_id FROM fts_pending WHERE table_name = ?"
                clause = (
                    f"(({clause}) AND {rowid_expr} NOT IN ({pending}) OR {rowid_expr} IN (SELECT x.rowid "
                    f"FROM {table} x WHERE x.rowid IN ({pending}) AND +x.deleted = 0 "
                    f"AND {index.text('x')} LIKE ? ESCAPE '\\'))"
                )
                found += [table, table, f"%{_like_escaped(term)}%"]
            number = _short_number(term)
            if number is not None:
                # The number a sheet or a list shows for a record, by domain.short_id's rule: a
                # time-ordered id's last eight characters (its first eight are the minute it was
                # made, shared by every record of that minute), another id's first eight.
                clause = f"({clause} OR {rowid_expr} IN (SELECT rowid FROM {table} WHERE {SHORT_ID_SQL} = ?))"
                found.append(number)
            elif _WHOLE_ID.fullmatch(term):
                clause = f"({clause} OR {rowid_expr} IN (SELECT rowid FROM {table} WHERE id = ?))"
                found.append(term)
            if also is not None:
                other, values = also(term, rowid_expr)
                clause = f"({clause} OR {other})"
                found += values
            clauses.append(clause)
            params += found
        return (" AND ".join(clauses) or "1"), params

    def _unindexed(self) -> bool:
        """Index what a pull stored (schema m014) before a search, so that it is found as if typed
        here; True when some is left because this connection cannot write, or another program holds
        the write lock (a search reads: it answers from the rows' text rather than fail, or wait
        for a long write elsewhere for more than SEARCH_LOCK_WAIT_SECONDS)."""
        if not self.db.execute("SELECT 1 FROM fts_pending LIMIT 1").fetchone():
            return False
        if not self.db.execute("PRAGMA query_only").fetchone()[0]:
            # One wait, not one per table a search looks in nor per search: while the lock stays
            # taken, the next searches only try it.
            locked_at = self._index_locked_at
            recent = locked_at is not None and time.monotonic() - locked_at < SEARCH_LOCK_RETRY_SECONDS
            try:
                self.index_pending(wait=0 if recent else SEARCH_LOCK_WAIT_SECONDS)
            except DatabaseLockedError:
                if not recent:
                    self._index_locked_at = time.monotonic()
            except DatabaseReadOnlyError:
                pass
            else:
                self._index_locked_at = None
                return False
        return True

    def _match_expression(self, table: str, term: str) -> str | None:
        if len(term) >= 3:
            return _quote(term)
        if len(term) == 2:
            # Every two-character sequence in the index starts some trigram (texts end in a space),
            # so expand the term to the trigrams that start with it.
            trigrams = [
                r[0]
                for r in self.db.execute(
                    f"SELECT term FROM {table}_fts_vocab WHERE term >= ? AND term < ?",
                    [term, term + "\U0010ffff"],
                ).fetchall()
            ]
            if not trigrams:
                return ""
            return " OR ".join(_quote(t) for t in trigrams)
        return None

    def search(self, text: str, *, limit: int = 50) -> list[SearchHit]:
        """Search visits, problems, solutions and targets at once."""
        hits: list[SearchHit] = []
        if not _terms(text):
            return hits
        specs = [
            (
                "visits",
                "x.visit_date || ' ' || coalesce((SELECT name FROM service_targets WHERE id = "
                "x.target_id), '')",
                "substr(x.content, 1, 80)",
            ),
            ("problems", "x.title", "substr(x.description, 1, 80)"),
            ("solutions", "substr(x.description, 1, 40)", "x.technology"),
            ("service_targets", "x.name", "x.county || x.town || x.village"),
        ]
        for table, title, detail in specs:
            where, params = self.fts_filter(table, text, "x.rowid")
            for row in self.db.execute(
                f"SELECT x.id, {title}, {detail} FROM {table} x WHERE x.deleted = 0 AND {where} "
                "ORDER BY x.rowid DESC LIMIT ?",
                [*params, limit],
            ).fetchall():
                hits.append(SearchHit(table, row[0], row[1] or "", row[2] or ""))
        return hits

    def ids_by_number(self, table: str, number: str) -> list[str]:
        """The ids of `table`'s records whose short number (domain.short_id) is `number`."""
        return [
            str(row[0])
            for row in self.db.conn.execute(
                f"SELECT id FROM {table} WHERE {SHORT_ID_SQL} = ?", [number.lower()]
            ).fetchall()
        ]

    # --- status and checks -----------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """Counts of records by kind and sync state, the database's path and size."""
        counts: dict[str, dict[str, int]] = {}
        # `+deleted` keeps the planner on the covering sync-state index (no table rows read).
        for table in schema.SYNCED_TABLES:
            per_state = {
                state: n
                for state, n in self.db.execute(
                    f"SELECT {SYNC_STATE_SQL.format(p='')} AS s, count(*) FROM {table} WHERE +deleted = 0 "
                    "GROUP BY s"
                ).fetchall()
            }
            counts[table] = per_state
        size = 0
        if self.path is not None:
            for suffix in ("", "-wal"):
                f = Path(str(self.path) + suffix)
                if f.exists():
                    size += f.stat().st_size
        return {
            "path": str(self.path) if self.path else ":memory:",
            "size_bytes": size,
            "counts": counts,
            "waiting_to_sync": self.waiting_to_sync(),
            "last_sync": self.get_meta("last_sync_at"),
        }

    def waiting_to_sync(self) -> int:
        total = 0
        for table in schema.SYNCED_TABLES:
            total += self.db.execute(
                f"SELECT count(*) FROM {table} WHERE dirty = 1 AND is_draft = 0"
            ).fetchone()[0]
        return int(total)

    def check(self, not_downloaded: list[str] | None = None) -> list[Message]:
        """Integrity check of the database and of every attachment's file (hash must match).
        `not_downloaded`: the caller's `not_downloaded()`, when it has it already (not looked up twice)."""
        from commissioner_app.attachments import empty_blob_message, is_empty_blob, verify_blob

        problems: list[Message] = []
        with sqlite_errors(self.path):
            for (result,) in self.db.execute("PRAGMA integrity_check").fetchall():
                if result != "ok":
                    problems.append(
                        Message(f"数据库完整性检查：{result}", f"Database integrity check: {result}")
                    )
        if self.data_dir is not None:
            from commissioner_app.attachments import remove_stale_incoming

            remove_stale_incoming(self)
        later = set(self.not_downloaded() if not_downloaded is None else not_downloaded)
        empty: dict[str, bool] = {}  # each file checked once; whether it is intact but empty
        for sha, name in self.db.execute(
            "SELECT sha256, original_name FROM attachments WHERE deleted = 0"
        ).fetchall():
            if sha in later:
                continue
            if sha not in empty:
                message = verify_blob(self, sha, name)
                if message:
                    problems.append(message)
                empty[sha] = message is None and is_empty_blob(self, sha)
            if empty[sha]:
                # Every empty file has the same hash: each attachment is named, as a sync holds each back.
                problems.append(empty_blob_message(sha, name, "无法同步", "it cannot be synced"))
        return problems

    def not_downloaded(self) -> list[str]:
        """Hashes of attachments that came by pull and whose files were never downloaded: someone
        else's, or one's own made on another computer (a replacement laptop pulls them all).

        Downloads are lazy: such a file is fetched from the server when it is opened, so its absence
        is no fault. A file added on this computer (or named by a record still to be pushed) that is
        gone is another matter: `check` reports it as missing."""
        if self.data_dir is None:
            return []
        from commissioner_app.attachments import OWNER_LIVE, blob_path, valid_sha256

        found = []
        for (sha,) in self.db.execute(
            f"""SELECT DISTINCT sha256 FROM attachments a
                WHERE deleted = 0 AND updated_by = 'server' AND dirty = 0
                AND sha256 NOT IN
                    (SELECT sha256 FROM attachments WHERE updated_by != 'server' OR dirty = 1)
                AND {OWNER_LIVE}"""
        ).fetchall():
            if valid_sha256(sha) and not blob_path(self, sha).exists():
                found.append(sha)
        return found

    # --- attachments -----------------------------------------------------------------------------

    @property
    def attachments_dir(self) -> Path:
        if self.data_dir is None:
            raise RuntimeError("an in-memory store has no attachment folder")
        return self.data_dir / "attachments"


def _changed(current: Visit, edited: Visit) -> bool:
    """Whether an edit changes anything but the review fields."""
    ignore = {"review_status", "review_opinion", "confirm_token", "confirm_sheet_accepted"}
    a, b = to_row(current), to_row(edited)
    return any(a[k] != b[k] for k in a if k not in ignore)


def _prefixed(prefix: str, issues: list[Issue]) -> list[Issue]:
    return [replace(i, field=f"{prefix}.{i.field}") for i in issues]


MAX_SEARCH_TERMS = 32  # each is a condition: SQLite refuses a query nested past 1,000 of them


def _terms(text: str) -> list[str]:
    """The words searched for: each once, the first MAX_SEARCH_TERMS of them (a paragraph pasted
    into a search box is searched by its beginning rather than refused)."""
    return list(dict.fromkeys(t for t in text.lower().split() if t))[:MAX_SEARCH_TERMS]


_SHORT_NUMBER = re.compile(r"[0-9a-f]{8}")
_WHOLE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# domain.short_id in SQL: a time-ordered id's (new_id's, UUID version 7) last eight characters,
# another id's first eight.
SHORT_ID_SQL = (
    "CASE WHEN length(id) = 36 AND substr(id, 9, 1) = '-' AND substr(id, 15, 1) = '7' "
    "THEN substr(id, -8) ELSE substr(id, 1, 8) END"
)


def _short_number(term: str) -> str | None:
    """A search term that is a record's short number, as printed ("9d78c7e1") or listed with an
    ellipsis ("…9d78c7e1", "3f2a9c1e…"); lower case, as ids are."""
    bare = term.strip("…").strip(".")
    return bare if _SHORT_NUMBER.fullmatch(bare) else None


def _like_escaped(term: str) -> str:
    """`term` for a LIKE pattern with ESCAPE '\\': its % and _ match only themselves."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


_FTS_COLUMNS: dict[str, list[str]] = {}


def _fts_columns(db: Database, table: str) -> list[str]:
    if table not in _FTS_COLUMNS:
        _FTS_COLUMNS[table] = [r[1] for r in db.execute(f"PRAGMA table_info({table}_fts)").fetchall()]
    return _FTS_COLUMNS[table]


PARTIAL_SUFFIX = ".partial"
BACKUP_STEP_PAGES = 256  # pages copied per step of a pre-upgrade backup


def _backup_progress(status: int, remaining: int, total: int) -> None:
    """Called between steps of a pre-upgrade backup (a test stops the process here)."""


def _fsync(path: Path) -> None:
    """Make a file (or, where the system allows it, a folder's entries) durable."""
    try:
        fd = os.open(str(path), os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its renames are durable when they return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_private(path: Path, *, create: bool = False) -> None:
    """Readable and writable by this account only (0600): a database and the files SQLite keeps
    beside it. Creates `path` so when asked and missing; tightens existing files that are wider."""
    if os.name != "posix":
        return  # Windows: the user profile's folder permissions protect the data directory
    if create and not path.exists():
        with suppress(FileExistsError):
            os.close(os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = Path(str(path) + suffix)
        try:
            if f.stat().st_mode & 0o077:
                f.chmod(0o600)
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot restrict the permissions of %s: %s", f, exc)


def _complete_backup(path: Path) -> bool:
    """A backup copy that finished: an SQLite file with content and no journal left beside it."""
    if Path(str(path) + "-journal").exists():
        return False
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def clean_backups(folder: Path) -> None:
    """Remove what a kill during a pre-upgrade backup left: temporary copies, journals and copies
    that never finished (an earlier version wrote under the final name). Complete backups stay."""
    if not folder.is_dir():
        return
    for leftover in [
        *folder.glob(f".commissioner-*{PARTIAL_SUFFIX}*"),
        *folder.glob("commissioner-*-before-*.db"),
    ]:
        if leftover.name.startswith(".") or not _complete_backup(leftover):
            log.warning("removing an unfinished backup %s", leftover)
            leftover.unlink(missing_ok=True)
    for journal in folder.glob("commissioner-*-before-*.db-journal"):
        log.warning("removing the journal of an unfinished backup %s", journal)
        journal.unlink(missing_ok=True)
    for f in folder.glob("commissioner-*-before-*.db"):
        make_private(f)


def copy_database(src: Path, dest: Path) -> None:
    """A consistent copy of a live database (uses SQLite's backup API, safe with WAL)."""
    source = sqlite3.connect(str(src))
    target = sqlite3.connect(str(dest))
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()


__all__ = [
    "Store",
    "VisitQuery",
    "SearchHit",
    "SYNC_STATES",
    "RECORD_STATES",
    "record_state",
    "copy_database",
]
