"""Applying a push batch: one transaction, idempotent by (user, batch_id), field-wise merges.

Every writer locks the `server_seq` counter row (SELECT ... FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite) before it writes. Writes are therefore serialised across all server
processes, sequence numbers are committed in increasing order (a pull never skips a change
committed late), and no further row locks are needed on `records`.

The batch is first worked out without the lock (reads, checks, merges: most of a push's time), with
provisional sequence numbers: on PostgreSQL in the same transaction, on SQLite in a read transaction
of its own (WAL gives it a snapshot). Then the lock is taken, and if none of the records the batch
read has changed meanwhile (their revisions are compared, and the searches its rules made, such as
for a company's credit code, are made again and must find the same rows), the prepared writes are
renumbered and written. Otherwise the batch is worked out again under the lock. The lock
is thus held for the writes only: a province's day-end rush of pushes is not one long queue, and
one client's two batches in flight are worked out side by side by two server processes.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections import Counter, namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, false, select, text

from commissioner_app.domain import (
    ATTACHMENT_OWNERS,
    LABELS,
    REVIEW_DECISIONS,
    TABLES,
    ServiceAgreement,
    signed_terms_refusal,
)
from commissioner_app.records import from_row, stored_record_issues
from sync.protocol import SERVER_OWNED_FIELDS, WRITABLE_BY
from sync.server import audit, confirm, group_records, notices, projects, timeutil
from sync.server import county as county_scope
from sync.server import targets as shared_targets
from sync.server.auth import User
from sync.server.db import reading, writing
from sync.server.fields import FIELD_SPECS, ID_RE, FieldError, clean_fields
from sync.server.scope import can_see, known_counties, manages
from sync.server.tables import records, revisions

log = logging.getLogger(__name__)

# Records a commissioner owns and writes (a manager too, for their own work).
OWNED_TABLES = (
    "service_targets",
    "service_agreements",
    "visits",
    "problems",
    "solutions",
    "attachments",
    "annual_summaries",
    "achievements",
)
PUBLIC_TABLES = ("reference", "assessment_rules", "demands")
# What a commissioner may change on a published demand: take it up.
DEMAND_TAKE_FIELDS = frozenset({"taken_by", "problem_id", "status"})
# Records a manager reviews (审核), each with a review_status the server keeps.
REVIEWABLE = ("visits", "achievements")
# Review states a commissioner's edit sends back to the reviewer.
REVIEWED = ("approved", "returned")
# Fields that name another record: (field, its table). A commissioner or manager may point only at
# their own records (service targets: at ones they may see); a record not on the server yet is
# allowed (it may come in a later batch). Attachments name theirs in owner_table/owner_id.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "visits": (("target_id", "service_targets"),),
    "service_agreements": (("target_id", "service_targets"),),
    "problems": (("visit_id", "visits"), ("target_id", "service_targets")),
    "solutions": (("problem_id", "problems"), ("visit_id", "visits")),
    "demands": (("problem_id", "problems"),),
    "achievements": (("target_id", "service_targets"),),
}
# Writes the audit trail keeps (sync/server/audit.py), by table: the action of a write to a table
# whose action depends on what changed is worked out by `audit_action` (the table maps to "").
AUDITED = {
    "reviews": "review.decide",
    "assessment_results": "assessment.publish",
    "reference": "reference.edit",
    "assessment_rules": "rules.edit",
    "projects": "",
    "project_applications": "",
    "project_milestones": "",
    "achievements": "",
    "bonus_points": "",
    "exemplars": "",
}
# The fields an audit entry keeps of a record of these tables (its before and after stay small).
AUDIT_FIELDS: dict[str, tuple[str, ...]] = {
    "projects": (
        "title",
        "county",
        "budget",
        "deadline",
        "status",
        "awarded_application_id",
        "awarded_commissioner_id",
        "awarded_team_id",
        "acceptance",
        "acceptance_opinion",
        "accepted_on",
    ),
    "project_applications": ("project_id", "commissioner_id", "team_id", "status", "plan"),
    "project_milestones": ("project_id", "title", "due_date", "done", "done_on", "evidence"),
    "achievements": (
        "title",
        "kind",
        "mode",
        "contract_no",
        "contract_value",
        "contract_date",
        "transferee",
        "project_id",
    ),
    "bonus_points": ("year", "subject_kind", "subject_id", "points", "reason", "status", "review_opinion"),
    "exemplars": ("year", "subject_kind", "subject_id", "title", "citation"),
}
AUDIT_TEXT_CHARS = 200  # a long text (a plan, a citation) is kept cut to this in the trail


def audit_fields(table: str, fields: dict[str, Any] | None) -> dict[str, Any] | None:
    """What an audit entry keeps of a record: the fields that matter, long texts cut."""
    if fields is None:
        return None
    kept = {name: fields.get(name) for name in AUDIT_FIELDS[table]}
    return {k: v[:AUDIT_TEXT_CHARS] if isinstance(v, str) else v for k, v in kept.items()}


def audit_action(table: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str | None:
    """The act a write to a 揭榜, achievement, bonus or exemplar record was, from what changed
    (`before`/`after`: audit_fields, None for "did not exist"); None: nothing that matters changed.

    projects: project.publish (new), .award (the awarded application set or changed), .accept
    (an acceptance result given or changed), .withdraw (deleted), .edit (anything else);
    project_applications: project.apply, .application_decide (the bureau's status), .application_edit,
    .application_withdraw; project_milestones: project.milestone_set, .milestone_done (marked done),
    .milestone_edit, .milestone_delete; achievements: achievement.record, .edit, .delete;
    bonus_points: bonus.propose (new, whoever enters it), .decide (approved or rejected), .edit,
    .withdraw; exemplars: exemplar.name, .edit, .withdraw."""
    if before == after:
        return None
    new, gone = before is None, after is None
    old, now = before or {}, after or {}
    if table == "projects":
        if new:
            return "project.publish"
        if gone:
            return "project.withdraw"
        closed = ("accepted", "failed")
        if now["acceptance"] != old["acceptance"] or (now["status"] in closed) != (old["status"] in closed):
            return "project.accept"
        if now["awarded_application_id"] != old["awarded_application_id"]:
            return "project.award"
        return "project.edit"
    if table == "project_applications":
        if new:
            return "project.apply"
        if gone:
            return "project.application_withdraw"
        return "project.application_decide" if now["status"] != old["status"] else "project.application_edit"
    if table == "project_milestones":
        if new:
            return "project.milestone_set"
        if gone:
            return "project.milestone_delete"
        return "project.milestone_done" if now["done"] and not old["done"] else "project.milestone_edit"
    if table == "achievements":
        return "achievement.record" if new else "achievement.delete" if gone else "achievement.edit"
    if table == "bonus_points":
        if new:
            return "bonus.propose"
        if gone:
            return "bonus.withdraw"
        decided = now["status"] != old["status"] and now["status"] in ("approved", "rejected")
        return "bonus.decide" if decided else "bonus.edit"
    assert table == "exemplars", table
    return "exemplar.name" if new else "exemplar.withdraw" if gone else "exemplar.edit"


# A record may be dated up to this many days after the server's (UTC) date: the clock skew allowed.
DATE_SKEW_DAYS = 1


# The ids travel as one JSON text (orjson, in C), not as arrays: psycopg dumps an array element by
# element in Python, which cost more than the look-ups themselves (a few thousand ids per batch).
_PG_FETCH = text(
    "SELECT r.* FROM json_array_elements_text(CAST(:ids AS json)) AS k(id) CROSS JOIN LATERAL "
    "(SELECT * FROM records WHERE records.table_name = :t AND records.id = k.id LIMIT 1) AS r"
)


_PG_REVS = text(
    "SELECT r.table_name, r.id, r.rev FROM json_array_elements(CAST(:keys AS json)) AS k(key) "
    "JOIN records r ON r.table_name = k.key->>0 AND r.id = k.key->>1"
)
_WRITTEN_SINCE = text("SELECT table_name, id FROM records WHERE server_seq > :after")
_SQLITE_REVS = text(
    "SELECT r.table_name, r.id, r.rev FROM json_each(:keys) AS k "
    "JOIN records r ON r.table_name = json_extract(k.value, '$[0]') AND r.id = json_extract(k.value, '$[1]')"
)
_RECORD_COLUMNS = ", ".join(c.name for c in records.columns)
_RecordRow = namedtuple("_RecordRow", [c.name for c in records.columns])  # type: ignore[misc]
# Sequence numbers of a batch worked out before it holds the counter's lock: far below any real
# one, shifted onto the real ones once the lock is held (Batch.renumber).
PROVISIONAL = -(2**60)


# How long after a demand's deadline a take-up made offline before it is still accepted.
TAKE_UP_GRACE_DAYS = 14
# What a reviewer accepts when they accept a visit's signed sheet: the sheet, and the rating on it.
SHEET_FIELDS = ("confirm_sheet_sha256", "confirm_satisfaction")


class Rejected(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


class Superseded(Rejected):
    """Refused, and the record as the server keeps it goes back with the refusal: a change its
    sender has no way to correct (a demand the bureau closed, or someone else took up, meanwhile),
    which the sender's copy then gives up for the server's (sync/pusher.py)."""

    def __init__(self, zh: str, en: str, current: Stored) -> None:
        super().__init__(zh, en)
        self.current = current


def out_of_scope() -> Rejected:
    # The same reason whether the record exists or not: a refusal reveals nothing.
    return Rejected("记录不存在或不在您的权限范围内", "the record does not exist or is outside your scope")


def changed_evidence(record_table: str) -> Rejected:
    """An approval refused because the record's evidence changed after the reviewer read it."""
    if record_table == "achievements":
        return Rejected(
            "该成果转化记录的附件在您读取后有改动，请同步后重新审核",
            "the achievement's files changed after you read them; sync and review it again",
        )
    return Rejected(
        "该服务记录的佐证材料（照片、签字确认单、技术难题或解决方案）在您读取后有改动，请同步后重新审核",
        "the visit's evidence (photos, the signed sheet, its problems or solutions) changed after you "
        "read it; sync and review it again",
    )


@dataclass
class Stored:
    rev: int
    server_seq: int
    deleted: bool
    owner_id: str | None
    team_id: str | None
    workstation_id: str | None
    public: bool
    decoded: dict[str, Any] | None = None
    text: str | None = None  # the stored JSON, decoded on first use
    county: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        # A batch loads every record its changes point at, mostly to see whose it is: their fields
        # are decoded only when read (a third of loading a batch's records).
        if self.decoded is None:
            self.decoded = orjson.loads(self.text or "{}")
        return self.decoded

    def may_hold(self, values: tuple[str, ...]) -> bool:
        """Whether one of `values` (words of ASCII letters) may be among the record's field values:
        False when none of them is anywhere in its stored JSON, told without decoding it. That text is
        this store's own encoding of checked values, in which such a word is written as it is (no JSON
        encoder escapes an ASCII letter)."""
        text = self.text
        return self.decoded is not None or text is None or any(v in text for v in values)

    @classmethod
    def from_row(cls, row: Any) -> Stored:
        return cls(
            row.rev,
            row.server_seq,
            bool(row.deleted),
            row.owner_id,
            row.team_id,
            row.workstation_id,
            bool(row.public),
            None,
            row.fields,
            row.county,
        )

    def scope(self) -> Scope:
        return Scope(self.owner_id, self.team_id, self.workstation_id, self.public, self.county)


@dataclass
class Scope:
    owner_id: str | None = None
    team_id: str | None = None
    workstation_id: str | None = None
    public: bool = False
    county: str | None = None  # see sync/server/scope.py


# A revision row's fields when they are the record's current ones (its row in `records` holds them):
# every version but the current one keeps its own. A first push stores each record's fields once.
CURRENT_FIELDS = ""


def revision_fields(fields: str, rev: int, current: str, current_rev: int) -> str | None:
    """A version's fields as JSON text, from its revision row and its record's current fields and
    rev. None when they are lost: a CURRENT_FIELDS row that is not the current version (superseded
    by a server from before migration 11 still running beside this one, which did not write them
    out) is read as a pruned version is: a merge from it sends every differing field back as a
    conflict, and the history leaves it out."""
    if fields != CURRENT_FIELDS:
        return fields
    return current if rev == current_rev else None


# The record's current fields and rev, read beside its revisions (see revision_fields).
_CURRENT_COLUMNS = (records.c.fields.label("current"), records.c.rev.label("current_rev"))


def versions_of(table: str, record_id: str, *columns: Any) -> Any:
    """The revisions of one record (their rev and fields, and `columns`) with the record's current
    fields and rev beside them, in one statement (on PostgreSQL each statement sees what was
    committed when it began: two could pair a version with another's fields). For version_text."""
    return (
        select(*columns, revisions.c.rev, revisions.c.fields, *_CURRENT_COLUMNS)
        .join_from(revisions, records, (records.c.table_name == table) & (records.c.id == record_id))
        .where(revisions.c.table_name == table, revisions.c.record_id == record_id)
    )


def version_text(row: Any) -> str | None:
    """revision_fields of a row read with the record's current fields (versions_of, _CURRENT_COLUMNS)."""
    return revision_fields(row.fields, row.rev, row.current, row.current_rev)


def dumps(value: Any) -> str:
    # orjson: the stored fields of every pushed record are encoded here (a fifth of a push's CPU
    # with the standard library's encoder). Compact, UTF-8, as json.dumps(ensure_ascii=False).
    return orjson.dumps(value).decode()


def push(engine: Engine, user: User, request: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(push_json(engine, user, request)))


def push_json(engine: Engine, user: User, request: dict[str, Any]) -> str:
    """Apply a push batch; the answer as JSON text, exactly as stored for a replay of the same batch."""
    if engine.dialect.name == "sqlite":
        return _push_json_sqlite(engine, user, request)
    with writing(engine) as conn:
        if (answer := _replayed(conn, user, request)) is not None:
            return answer
        read_at = _counter(conn)  # nothing committed since, if it has not moved by the lock
        batch, results = _work_out(conn, user, PROVISIONAL, request)
        seq = _lock_counter(conn)
        if (answer := _replayed(conn, user, request)) is not None:
            return answer
        answer, results = _settle(conn, batch, results, seq, request, _unchanged(batch, read_at, seq))
    _log_applied(user, request, results)
    _adopt_named_groups(engine, user, results)
    return answer


def _push_json_sqlite(engine: Engine, user: User, request: dict[str, Any]) -> str:
    """On SQLite the batch is worked out in a read transaction (under WAL a snapshot: writers go on
    meanwhile), then written under BEGIN IMMEDIATE, as on PostgreSQL under the counter's lock."""
    with reading(engine) as conn:
        if (answer := _replayed(conn, user, request)) is not None:
            return answer
        read_at = _counter(conn)  # as of the snapshot the reads below see
        batch, results = _work_out(conn, user, PROVISIONAL, request)
    # Writers of this process queue on a lock of their own: SQLite's busy handler would have them
    # sleep in steps and poll.
    with _sqlite_writer(engine), writing(engine) as conn:
        seq = _counter(conn)
        if (answer := _replayed(conn, user, request)) is not None:
            return answer
        batch.conn = conn
        answer, results = _settle(conn, batch, results, seq, request, _unchanged(batch, read_at, seq))
    _log_applied(user, request, results)
    _adopt_named_groups(engine, user, results)
    return answer


def _unchanged(batch: Batch, read_at: int, seq: int) -> bool:
    """Whether what the batch read is still so, now that the lock is held with the counter at `seq`.
    The accounts scopes were taken from must be as read; and every write of a record moves the
    counter: if it has not moved, no record has changed; else no record read by id may have been
    written since, and every search must find what it found."""
    return batch.accounts_unchanged() and (
        seq == read_at or (batch.unchanged_since_read(read_at, seq) and batch.searches_unchanged())
    )


def _settle(
    conn: Connection,
    batch: Batch,
    results: list[dict[str, Any]],
    seq: int,
    request: dict[str, Any],
    unchanged: bool,
) -> tuple[str, list[dict[str, Any]]]:
    """Under the lock (the counter at `seq`): the worked-out batch written as it is, renumbered, or
    worked out again when something it read has changed. The answer, and the results it holds."""
    if unchanged:
        batch.renumber(seq, results)
    else:
        batch, results = _work_out(conn, batch.user, seq, request)
    return _write(conn, batch, seq, request, results), results


_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITER_LOCKS_GUARD = threading.Lock()
WRITER_WAIT_SECONDS = 60.0  # as long as SQLite's own busy timeout (sync/server/db.py)


@contextmanager
def _sqlite_writer(engine: Engine) -> Iterator[None]:
    """The turn of this process's pushes before SQLite's write lock. Only a shortcut: a push waits
    for it no longer than SQLite itself would, then goes on to SQLite's lock (and its timeout)."""
    with _WRITER_LOCKS_GUARD:
        lock = _WRITER_LOCKS.setdefault(engine, threading.Lock())
    held = lock.acquire(timeout=WRITER_WAIT_SECONDS)
    try:
        yield
    finally:
        if held:
            lock.release()


def _driver_query(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """One of a batch's few bookkeeping statements (is it a replay, the counter, an account),
    written with `?` marks, run on the DB-API connection under `conn`, in its transaction: through
    SQLAlchemy, building each query's cache key and result took 7 % of a push's server time."""
    driver = conn.connection.driver_connection
    assert driver is not None
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return driver.execute(sql, params)


def _replayed(conn: Connection, user: User, request: dict[str, Any]) -> str | None:
    stored = _driver_query(
        conn,
        "SELECT answer FROM push_batches WHERE user_id = ? AND batch_id = ?",
        (user.id, request["batch_id"]),
    ).fetchone()
    if stored is None:
        return None
    log.info("push replayed", extra={"username": user.username, "batch_id": request["batch_id"]})
    return str(stored[0])


def _counter(conn: Connection) -> int:
    return int(_driver_query(conn, "SELECT value FROM counters WHERE name = 'server_seq'").fetchone()[0])


def _lock_counter(conn: Connection) -> int:
    return int(
        _driver_query(conn, "SELECT value FROM counters WHERE name = 'server_seq' FOR UPDATE").fetchone()[0]
    )


def _work_out(
    conn: Connection, user: User, seq: int, request: dict[str, Any]
) -> tuple[Batch, list[dict[str, Any]]]:
    batch = Batch(conn, user, seq, request)
    batch.prefetch(request["changes"])
    return batch, [batch.apply(change) for change in request["changes"]]


def _write(
    conn: Connection, batch: Batch, seq: int, request: dict[str, Any], results: list[dict[str, Any]]
) -> str:
    batch.flush()
    if batch.seq != seq:
        _driver_query(conn, "UPDATE counters SET value = ? WHERE name = 'server_seq'", (batch.seq,))
    answer = dumps({"batch_id": request["batch_id"], "results": results, "server_time": timeutil.now_iso()})
    _driver_query(
        conn,
        "INSERT INTO push_batches (user_id, batch_id, answer, created_at) VALUES (?, ?, ?, ?)",
        (batch.user.id, request["batch_id"], answer, timeutil.now_iso()),
    )
    return answer


def _id_list(value: Any) -> list[str]:
    """The ids of a JSON list field as checked by clean_fields (JSON text, or a list once stored)."""
    if isinstance(value, str):
        value = orjson.loads(value) if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


def _adopt_named_groups(engine: Engine, user: User, results: list[dict[str, Any]]) -> None:
    """After a bureau's push that created teams or workstations: the accounts added for one of them by
    its name before it existed join it (sync/server/admin.py: adopt_group); and after one that wrote a
    workstation, the records of its commissioners without a county of their own follow its county
    (county.follow_station). In a transaction of its own, once the push's is committed: it numbers
    the records it re-scopes after the counter."""
    if user.role != "bureau":
        return
    accepted = [
        (r["table"], r["id"], r.get("rev"))
        for r in results
        if r["table"] in ("teams", "workstations") and r["status"] in ("accepted", "merged")
    ]
    made = [(table, group_id) for table, group_id, rev in accepted if rev == 1]
    # (a new one too: an account may have named its id before it existed)
    stations = [group_id for table, group_id, _rev in accepted if table == "workstations"]
    if not made and not stations:
        return
    from sync.server.admin import adopt_group

    with writing(engine) as conn:
        for table, group_id in made:
            row = conn.execute(
                select(records.c.fields).where(records.c.table_name == table, records.c.id == group_id)
            ).first()
            name = str(orjson.loads(row.fields).get("name") or "") if row is not None else ""
            adopt_group(conn, table, group_id, name, user.username)
        for station_id in stations:
            county_scope.follow_station(conn, station_id)


def _log_applied(user: User, request: dict[str, Any], results: list[dict[str, Any]]) -> None:
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    log.info("push applied", extra={"username": user.username, "batch_id": request["batch_id"], **counts})


class Batch:
    def __init__(self, conn: Connection, user: User, seq: int, request: dict[str, Any]) -> None:
        self.conn, self.user, self.seq = conn, user, seq
        self._known_counties: frozenset[str] | None = None
        # A flag as the driver is given it: SQLite's module binds a bool (as it binds None) only after
        # looking for an adapter for it, two failed attribute lookups that cost more than the row's
        # other values together; PostgreSQL's boolean columns take only a bool.
        self._flag: Callable[[bool], bool | int] = int if conn.dialect.name == "sqlite" else bool
        # A record's fields as they are stored: on SQLite orjson's UTF-8 as it comes, which the insert
        # stores as text (CAST, see _marks), rather than decoded into a str that the driver encodes
        # back into the same bytes; PostgreSQL's COPY is given text.
        self._encode: Callable[[Any], bytes | str] = orjson.dumps if conn.dialect.name == "sqlite" else dumps
        self.device_id = request.get("device_id", "")
        self.batch_id = request["batch_id"]
        self.client_time = request.get("client_time", "")
        self.now = timeutil.now_iso()
        self.latest_date = date.fromisoformat(self.now[:10]) + timedelta(days=DATE_SKEW_DAYS)
        self._groups: dict[str, tuple[str | None, str | None]] = {}
        self._counties: dict[str, str | None] = {}
        self._accounts: dict[str, tuple[str | None, str | None, str] | None] = {}
        self._cache: dict[tuple[str, str], Stored | None] = {}
        self._in_db: set[tuple[str, str]] = set()
        self._pending: dict[tuple[str, str], dict[str, Any]] = {}
        self._revisions_written: dict[tuple[str, str, int], dict[str, Any]] = {}
        # Stored versions this batch supersedes, whose fields their revision row leaves to the record
        # (CURRENT_FIELDS): (their fields as stored, table, id, rev), written out at the flush.
        self._superseded: list[tuple[str, str, str, int]] = []
        # What each record read from the database was then (its rev; None: absent), to see whether
        # another push changed it before this batch took the lock (see the module's docstring).
        self._seen: dict[tuple[str, str], int | None] = {}
        self._after_lock: list[Any] = []  # writes to other tables, made once the lock is held
        # The searches rules made (a credit code, a project's applications) rather than reads by
        # id, and what each found: what a search finds is not among the records checked again
        # under the lock, so each search is made again there (`searches_unchanged`).
        self._searches: list[tuple[Any, Counter[tuple[Any, ...]]]] = []  # in any order
        self._credit_codes: set[str] = set()  # of the batch's new targets (`target_with_code`)
        self._code_owners: dict[str, str | None] = {}
        # The evidence each owner wrote since the earliest change number the batch's reviews say
        # their reviewers had read (`_evidence_written_after`), read once per owner and batch.
        self._evidence_floor = min(
            (
                read
                for c in request.get("changes", ())
                if c.get("table") == "reviews"
                and isinstance(c.get("fields"), dict)
                and type(read := c["fields"].get("evidence_seq")) is int
                and read > 0
            ),
            default=0,
        )
        self._evidence: dict[str | None, list[list[tuple[int, tuple[str, str]]]]] = {}
        self._sent_back: set[tuple[str, str]] = set()  # records a refused approval wrote again
        self._deletions_held: set[tuple[str, str]] = set()  # deletions of this batch met by a conflict
        self._deletions_in_conflict: dict[tuple[str, str], bool] = {}  # _deletion_in_conflict's answers
        # owner -> problem id -> the visits its solutions were given on (_solution_visits)
        self._solutions_by_problem: dict[str, dict[str, set[str]]] = {}

    # --- storage -------------------------------------------------------------------------------
    # Reads go through a per-batch cache and writes are buffered, then sent in a few executemany
    # statements at the end: a batch of 500 changes costs a handful of round trips, not 1,500.

    def prefetch(self, changes: list[dict[str, Any]]) -> None:
        by_table: dict[str, list[str]] = {}
        wanted: set[tuple[str, str]] = set()
        for c in changes:
            keys = [(c["table"], c["id"])]
            fields = c.get("fields") or {}
            for name, target in REFERENCES.get(c["table"], ()):
                if isinstance(fields.get(name), str) and fields[name]:
                    keys.append((target, fields[name]))
            if c["table"] == "service_targets":
                code = shared_targets.new_target_code(c)
                if code:
                    self._credit_codes.add(code)
            owner_table, owner_id = fields.get("owner_table"), fields.get("owner_id")
            if c["table"] == "attachments" and owner_table in WRITABLE_BY and isinstance(owner_id, str):
                keys.append((owner_table, owner_id))
            for key in keys:
                if key not in self._cache and key not in wanted and ID_RE.match(key[1]):
                    wanted.add(key)
                    by_table.setdefault(key[0], []).append(key[1])
        for table, ids in by_table.items():
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                for key in ((table, record_id) for record_id in part):
                    self._cache[key] = None
                    self._seen[key] = None
                for row in self._fetch(table, part):
                    self._cache[(table, row.id)] = Stored.from_row(row)
                    self._seen[(table, row.id)] = row.rev
                    self._in_db.add((table, row.id))

    def _fetch(self, table: str, ids: list[str]) -> Any:
        if self.conn.dialect.name == "postgresql":
            # One index probe per id. A plain "id IN (...)" is planned from the table's statistics,
            # which lag behind a table that grows fast (a first sync): PostgreSQL then scans every
            # row of the table for each batch. The LIMIT keeps the subquery a per-id probe.
            return self.conn.execute(_PG_FETCH, {"ids": dumps(ids), "t": table})
        # Plain SQL on the driver's own cursor: SQLAlchemy's compiling of an IN of 500 and its making
        # of each result row took longer than reading the rows.
        marks = ",".join("?" * len(ids))
        driver = self.conn.connection.driver_connection
        assert driver is not None
        found = driver.execute(
            f"SELECT {_RECORD_COLUMNS} FROM records WHERE table_name = ? AND id IN ({marks})", (table, *ids)
        )
        return map(_RecordRow._make, found.fetchall())

    def search(self, statement: Any) -> list[Any]:
        """Records found by a query other than their id; the query and its rows are kept, to be
        made again under the lock (`searches_unchanged`)."""
        rows = list(self.conn.execute(statement))
        self._searches.append((statement, Counter(tuple(row) for row in rows)))
        return rows

    def searches_unchanged(self) -> bool:
        """Whether every search made while working the batch out finds the same rows now (under the
        lock): then what the rules decided from them stands."""
        return all(
            Counter(tuple(row) for row in self.conn.execute(statement)) == found
            for statement, found in self._searches
        )

    def target_with_code(self, code: str) -> str | None:
        """The first live target visible to the pusher whose credit code is `code` (upper case).
        The codes of all the batch's new targets are looked up at the first call, in one search."""
        if code not in self._code_owners:
            codes = sorted(c for c in self._credit_codes | {code} if c not in self._code_owners)
            for i in range(0, len(codes), 500):
                part = codes[i : i + 500]
                self._code_owners.update(dict.fromkeys(part))
                for row in self.search(shared_targets.code_search(self.conn, self.user, part)):
                    # In order of server_seq: the first stored one is the one the others merge into.
                    if self._code_owners.get(row.code) is None:
                        self._code_owners[row.code] = row.id
        return self._code_owners[code]

    def claim_code(self, code: str, target_id: str) -> None:
        """A new target of this batch stored live with `code`, which no stored target had: a later
        one in the batch with the same code is the duplicate of this one."""
        if code in self._code_owners and self._code_owners[code] is None:
            self._code_owners[code] = target_id

    def load(self, table: str, record_id: str) -> Stored | None:
        key = (table, record_id)
        if key not in self._cache:
            row = self.conn.execute(
                select(records).where(records.c.table_name == table, records.c.id == record_id)
            ).first()
            self._cache[key] = Stored.from_row(row) if row else None
            self._seen[key] = row.rev if row else None
            if row:
                self._in_db.add(key)
        return self._cache[key]

    def unchanged_since_read(self, read_at: int, seq: int) -> bool:
        """Whether every record this batch read is still as it was (same revision, or still absent);
        called under the counter lock, which every writer takes, with the counter at `seq`.

        Every write of a record gives it a sequence number past the counter as it was: when fewer
        numbers were given out since the read (at `read_at`) than records were read, the records
        written since are looked at (one range of the sequence index: on a busy server, another
        batch's 500), else each record read is looked up."""
        if seq - read_at < len(self._seen):
            written = self.conn.execute(_WRITTEN_SINCE, {"after": read_at})
            return not any((str(row.table_name), str(row.id)) in self._seen for row in written)
        keys = list(self._seen)
        now: dict[tuple[str, str], int] = {}
        query = _PG_REVS if self.conn.dialect.name == "postgresql" else _SQLITE_REVS
        for i in range(0, len(keys), 1000):
            part = keys[i : i + 1000]
            for row in self.conn.execute(query, {"keys": dumps(part)}):
                now[(str(row.table_name), str(row.id))] = int(row.rev)
        return all(now.get(key) == rev for key, rev in self._seen.items())

    def renumber(self, seq: int, results: list[dict[str, Any]]) -> None:
        """Give the prepared writes their sequence numbers, now that the counter (at `seq`) is locked."""
        shift = seq - PROVISIONAL

        def moved(value: int) -> int:
            return value + shift if value < 0 else value  # provisional ones are negative, real ones not

        for row in self._pending.values():
            row["server_seq"] = moved(row["server_seq"])
        for row in self._revisions_written.values():
            row["server_seq"] = moved(row["server_seq"])
        for result in results:
            if isinstance(result.get("server_seq"), int):
                result["server_seq"] = moved(result["server_seq"])
        self.seq += shift

    def base_of(self, table: str, record_id: str, rev: int) -> tuple[dict[str, Any], bool]:
        if rev == 0:
            return {}, False
        written = self._revisions_written.get((table, record_id, rev))
        if written is not None:
            return json.loads(written["fields"]), written["deleted"]
        row = self.conn.execute(
            versions_of(table, record_id, revisions.c.deleted).where(revisions.c.rev == rev)
        ).first()
        text = version_text(row) if row is not None else None
        if row is None or text is None:
            return {}, False  # pruned (or lost): every field that differs is the pusher's to decide
        return json.loads(text), bool(row.deleted)

    def write(
        self,
        table: str,
        record_id: str,
        current: Stored | None,
        fields: dict[str, Any],
        deleted: bool,
        scope: Scope,
    ) -> tuple[int, int]:
        self.seq += 1
        rev = (current.rev if current else 0) + 1
        sha = fields.get("sha256") if table == "attachments" else fields.get("confirm_sheet_sha256")
        text = self._encode(fields)
        if current is not None and (table, record_id, current.rev) not in self._revisions_written:
            # The version stored until now becomes history: its revision row gets its fields.
            stored = current.text if current.text is not None else dumps(current.fields)
            self._superseded.append((stored, table, record_id, current.rev))
        flag = self._flag
        self._pending[(table, record_id)] = dict(
            table_name=table,
            id=record_id,
            rev=rev,
            server_seq=self.seq,
            deleted=flag(deleted),
            owner_id=scope.owner_id,
            team_id=scope.team_id,
            workstation_id=scope.workstation_id,
            public=flag(scope.public),
            county=scope.county,
            sha256=sha or None,
            fields=text,
            updated_at=self.now,
            updated_by=self.user.username,
        )
        revision = dict(
            table_name=table,
            record_id=record_id,
            rev=rev,
            server_seq=self.seq,
            deleted=flag(deleted),
            fields=text,
            user_id=self.user.id,
            username=self.user.username,
            device_id=self.device_id,
            batch_id=self.batch_id,
            client_time=self.client_time,
            at=self.now,
        )
        self._revisions_written[(table, record_id, rev)] = revision
        self._cache[(table, record_id)] = Stored(
            rev,
            self.seq,
            deleted,
            scope.owner_id,
            scope.team_id,
            scope.workstation_id,
            scope.public,
            decoded=dict(fields),
            county=scope.county,
        )
        return rev, self.seq

    def flush(self) -> None:
        """Send the buffered writes in bulk, straight to the driver (SQLAlchemy's per-row parameter
        processing would cost more than the database work): COPY or executemany for new rows,
        executemany for updates."""
        for write in self._after_lock:
            write()
        self._after_lock.clear()
        record_columns = [c.name for c in records.columns]
        inserts = [v for k, v in self._pending.items() if k not in self._in_db]
        updates = [v for k, v in self._pending.items() if k in self._in_db]
        if inserts:
            self._insert("records", record_columns, inserts)
        if updates:
            keys = ("table_name", "id")
            assigned = [c for c in record_columns if c not in keys]
            mark = self._mark()
            sets = ", ".join(f"{c} = {m}" for c, m in zip(assigned, self._marks(assigned), strict=True))
            self._executemany(
                f"UPDATE records SET {sets} WHERE table_name = {mark} AND id = {mark}",
                [*assigned, *keys],
                updates,
            )
        if self._revisions_written:
            columns = [c.name for c in revisions.columns if c.name != "id"]
            # A record's current version is its row in `records`: its revision row says so
            # (CURRENT_FIELDS) rather than keep the same fields twice. Versions written and then
            # superseded within the batch keep theirs.
            rows = [
                {**v, "fields": CURRENT_FIELDS}
                if self._pending[(v["table_name"], v["record_id"])]["rev"] == v["rev"]
                else v
                for v in self._revisions_written.values()
            ]
            self._insert("revisions", columns, rows)
        if self._superseded:
            mark = self._mark()
            self.conn.exec_driver_sql(
                f"UPDATE revisions SET fields = {mark} WHERE table_name = {mark} AND record_id = {mark} "
                f"AND rev = {mark} AND fields = '{CURRENT_FIELDS}'",
                self._superseded,
            )
            self._superseded.clear()

    def _insert(self, table: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        if self.conn.dialect.name != "postgresql":
            marks = ", ".join(self._marks(columns))
            self._executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", columns, rows)
            return
        # COPY: psycopg's executemany spends ~40 us of Python per row; COPY a few.
        driver = self.conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for values in map(itemgetter(*columns), rows):
                copy.write_row(values)

    def _mark(self) -> str:
        return "?" if self.conn.dialect.paramstyle == "qmark" else "%s"

    def _marks(self, columns: list[str]) -> list[str]:
        """The parameter mark of each column: on SQLite, a record's fields come as UTF-8 (write),
        stored as the text they are."""
        if self.conn.dialect.name != "sqlite":
            return [self._mark()] * len(columns)
        return ["CAST(? AS TEXT)" if c == "fields" else "?" for c in columns]

    def _executemany(self, sql: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        # (Multi-row VALUES measured slower than psycopg's pipelined executemany on PostgreSQL.)
        self.conn.exec_driver_sql(sql, list(map(itemgetter(*columns), rows)))

    def _account(self, commissioner_id: str) -> tuple[str | None, str | None, str] | None:
        """The team, workstation and county of a commissioner's account (None: no account), read
        once per batch and checked again under the lock (`accounts_unchanged`)."""
        if commissioner_id not in self._accounts:
            self._accounts[commissioner_id] = self._read_account(commissioner_id)
        return self._accounts[commissioner_id]

    def _read_account(self, commissioner_id: str) -> tuple[str | None, str | None, str] | None:
        row = _driver_query(
            self.conn,
            "SELECT team_id, workstation_id, county FROM users WHERE commissioner_id = ? "
            "ORDER BY created_at LIMIT 1",
            (commissioner_id,),
        ).fetchone()
        return (row[0], row[1], row[2] or "") if row is not None else None

    def accounts_unchanged(self) -> bool:
        """Whether the accounts this batch took scopes from are as they were read (an account's team
        or county may change without any record being written)."""
        return all(self._read_account(cid) == seen for cid, seen in self._accounts.items())

    def group_of(self, commissioner_id: str | None) -> tuple[str | None, str | None]:
        """The team and workstation of a commissioner: their account, else their profile record."""
        if not commissioner_id:
            return None, None
        if commissioner_id not in self._groups:
            account = self._account(commissioner_id)
            if account is not None:
                self._groups[commissioner_id] = (account[0], account[1])
            else:
                profile = self.load("commissioners", commissioner_id)
                f = profile.fields if profile else {}
                self._groups[commissioner_id] = (f.get("team_id"), f.get("workstation_id"))
        return self._groups[commissioner_id]

    def county_of(self, commissioner_id: str | None) -> str | None:
        """A commissioner's service county: their account's county, else their workstation's."""
        if not commissioner_id:
            return None
        if commissioner_id not in self._counties:
            account = self._account(commissioner_id)
            county = account[2] if account is not None else ""
            if not county:
                station = self.group_of(commissioner_id)[1]
                found = self.load("workstations", station) if station else None
                county = str(found.fields.get("county") or "") if found is not None else ""
            self._counties[commissioner_id] = county[:40] or None
        return self._counties[commissioner_id]

    # --- one change ----------------------------------------------------------------------------

    def apply(self, change: dict[str, Any]) -> dict[str, Any]:
        table, record_id = change["table"], change["id"]
        head = {"table": table, "id": record_id}
        try:
            result = {**head, **self._apply(table, record_id, change)}
        except Rejected as exc:
            refused = {**head, "status": "rejected", "reason_zh": exc.zh, "reason_en": exc.en}
            if isinstance(exc, Superseded):
                kept = exc.current
                refused.update(
                    rev=kept.rev, server_seq=kept.server_seq, fields=kept.fields, deleted=kept.deleted
                )
            return refused
        if result["status"] == "conflict" or change.get("resolves"):
            notices.after_change(self, change, result)  # the other side sees the conflict too
        return result

    def _apply(self, table: str, record_id: str, change: dict[str, Any]) -> dict[str, Any]:
        user = self.user
        if table == "confirmations":  # pulled by every laptop, written only here (sync/server/confirm.py)
            raise Rejected(
                "服务确认只能由服务对象本人通过服务记录上的确认链接提交",
                "a confirmation comes only from the served party, through the link on the visit sheet",
            )
        if table not in WRITABLE_BY:
            raise Rejected("未知的数据表", f"unknown table {table[:40]!r}")
        if user.role not in WRITABLE_BY[table]:
            raise Rejected("您的角色无权修改此类记录", f"your role ({user.role}) may not write {table}")
        if not ID_RE.match(record_id):
            raise Rejected("记录编号格式不正确", "the record id is not valid")
        try:
            incoming = clean_fields(table, record_id, change["fields"])
        except FieldError as exc:
            label = LABELS.get(exc.field)  # the field's name as the application shows it, if it has one
            zh = f"{label.zh}（{exc.field}）" if label else f"字段 {exc.field}"
            en = f"{label.en} ({exc.field})" if label else f"field {exc.field}"
            raise Rejected(f"{zh}：{exc.zh}", f"{en}: {exc.en}") from exc
        current = self.load(table, record_id)
        if current is not None and not can_see(user, table, current):
            raise out_of_scope()
        if table == "attachments":
            self._check_attachment_owner(incoming, current, bool(change["deleted"]))
        # Fields only the server sets: a value sent for one is not taken. One sent otherwise than
        # the server keeps is answered with the server's (below), so the laptop's copy is corrected.
        claimed = {n: incoming.pop(n) for n in SERVER_OWNED_FIELDS.get(table, ()) if n in incoming}
        # The served party's link is registered, never stored with the visit (nobody else gets it).
        confirm_token = str(incoming.pop("confirm_token", None) or "") if table == "visits" else ""
        if confirm_token and not confirm.TOKEN_RE.match(confirm_token):
            raise Rejected("服务确认链接格式不正确", "the confirmation link token is not valid")
        touched = self._precheck(table, record_id, incoming, current, change)
        touched |= shared_targets.before_write(self, table, incoming, current, change)
        deleted = bool(change["deleted"])

        status = "accepted"
        deleted_again = False
        if current is None:
            merged, new_deleted = dict(incoming), deleted
        else:
            base_rev = change["base_rev"]
            if base_rev > current.rev:
                raise Rejected(
                    "基准版本比服务器上的还新，请重新同步",
                    f"base_rev {base_rev} is newer than the server's rev {current.rev}; sync again",
                )
            if base_rev == current.rev:
                merged, new_deleted = {**current.fields, **incoming}, deleted
            else:
                status = "merged"
                outcome = self._merge(table, record_id, current, incoming, deleted, base_rev)
                if isinstance(outcome, list):
                    # A conflict is shown to others only if the pusher's version would pass every
                    # rule had it come first: a change they may not make is refused, not noticed.
                    self._check_as_if_first(table, record_id, incoming, current, change)
                    if deleted:
                        self._deletions_held.add((table, record_id))
                    return {
                        "status": "conflict",
                        "rev": current.rev,
                        "server_seq": current.server_seq,
                        "fields": current.fields,
                        "conflicts": outcome,
                    }
                merged, new_deleted = outcome
                # Deleted by a pusher that had it live, after a deletion made elsewhere: a revision
                # says so. The laptop whose deletion of a visit took it, keeping the visit after all,
                # brings back what its own deletion took, not what this one removed on purpose.
                deleted_again = (
                    deleted and current.deleted and not self.base_of(table, record_id, base_rev)[1]
                )

        touched |= self._server_fields(table, merged, current, new_deleted)
        touched |= any(merged.get(n) != v for n, v in claimed.items())
        scope = self._scope(table, record_id, merged, current)
        self._postcheck(table, merged, current, new_deleted)
        if table in TABLES and not new_deleted and (current is None or merged != current.fields):
            self._validate(table, merged)
        if table == "service_targets":
            shared_targets.check_merge(self, record_id, merged, current, new_deleted)

        if (
            current is not None
            and merged == current.fields
            and new_deleted == current.deleted
            and scope == current.scope()
            and not deleted_again
        ):
            rev, seq = current.rev, current.server_seq  # nothing new: no revision, no sequence number
        else:
            rev, seq = self.write(table, record_id, current, merged, new_deleted, scope)
            self._audit(table, record_id, current, merged, new_deleted, scope)
            if deleted_again:
                pass  # a record already gone changes nothing else (a visit's review stays as it is)
            elif table == "reviews" and not new_deleted:
                self._review_visit(merged)
            elif table in ("problems", "solutions", "attachments"):
                self.reopen_reviews(table, merged, current, record_id)
            elif table == "service_targets":
                shared_targets.after_write(self, record_id, merged, current)
        # A link is registered with a version that goes to review: a fresh token pushed alone for an
        # approved visit (no field changed) made a new 30-day link, and the owner confirmed their own
        # visit through it. An edit (another laptop's, which makes its own token) sends the visit
        # back to review, and its sheet's link works.
        approved = merged.get("review_status") == "approved"
        if confirm_token and not new_deleted and not approved and scope.owner_id == self.user.commissioner_id:
            args = (confirm_token, record_id, scope.owner_id, self.now, str(merged.get("visit_date") or ""))
            self._after_lock.append(lambda: confirm.register(self.conn, *args))
        result: dict[str, Any] = {"status": status, "rev": rev, "server_seq": seq}
        if status == "merged":
            result["fields"] = merged
        elif touched:
            # What the server set otherwise than sent (a new visit's review state, a commissioner's
            # team): the pusher holds the rest already, so it is not sent back to it.
            sent = change["fields"]
            if not merged.items() <= sent.items():  # (mostly they are: the same review state, say)
                result["fields"] = {f: v for f, v in merged.items() if f not in sent or sent[f] != v}
        return result

    def _audit(
        self,
        table: str,
        record_id: str,
        current: Stored | None,
        merged: dict[str, Any],
        deleted: bool,
        scope: Scope,
    ) -> None:
        """The audit trail's entry for a review decision, a published assessment result, a bureau
        edit of reference data or rules, or a step of a 揭榜 project, an achievement, a bonus or an
        exemplar (sync/server/audit.py)."""
        action = AUDITED.get(table)
        if action is None or (table == "assessment_results" and self.user.role != "bureau"):
            return
        before: Any = None if current is None or current.deleted else current.fields
        after: Any = None if deleted else merged
        subject = f"{table}/{record_id}"
        county = scope.county or ""
        if table in AUDIT_FIELDS:
            before, after = audit_fields(table, before), audit_fields(table, after)
            found = audit_action(table, before, after)
            if found is None:
                return  # nothing that matters changed (a note, a server-kept field)
            action = found
            county = county or self._audit_county(table, after or before or {})
        if table == "reviews":
            keys = ("decision", "opinion", "sheet_accepted", "record_rev")
            before = {k: before.get(k) for k in keys} if before is not None else None
            after = {k: merged.get(k) for k in keys}
            subject = f"{merged.get('record_table') or 'visits'}/{merged.get('record_id')}"
            if before == after:
                return  # the same decision again (a re-sent review): nothing was decided
        entry = (self.user, action, subject, before, after)
        # Written with the batch's other writes, on the connection that holds the lock: a batch
        # worked out again under the lock drops what its first working-out prepared, so an act is in
        # the trail once.
        self._after_lock.append(lambda: audit.record(self.conn, *entry, county=county))

    def _audit_county(self, table: str, kept: dict[str, Any]) -> str:
        """The county a project, or a team's or workstation's bonus or exemplar, concerns when its
        scope has none (a project's own county; the team's or workstation's): that county's bureau
        then sees the entry too."""
        if table == "projects":
            return str(kept.get("county") or "")[:40]
        group = {"team": "teams", "workstation": "workstations"}.get(str(kept.get("subject_kind")))
        if group is None:
            return ""
        found = self.load(group, str(kept.get("subject_id") or ""))
        return (found.county or "") if found is not None else ""

    def _check_as_if_first(
        self, table: str, record_id: str, incoming: dict[str, Any], current: Stored, change: dict[str, Any]
    ) -> None:
        base, _ = self.base_of(table, record_id, change["base_rev"])
        candidate = {**current.fields, **{f: v for f, v in incoming.items() if v != base.get(f)}}
        deleted = bool(change["deleted"])
        self._server_fields(table, candidate, current, deleted)
        self._scope(table, record_id, candidate, current)
        self._postcheck(table, candidate, current, deleted)
        if table == "service_targets":
            shared_targets.check_merge(self, record_id, candidate, current, deleted)

    def _check_attachment_owner(
        self, incoming: dict[str, Any], current: Stored | None, deleted: bool
    ) -> None:
        """A file belongs to a record of a kind that takes files (ATTACHMENT_OWNERS); one stored
        otherwise may still be deleted."""
        owner_table = incoming.get("owner_table", current.fields.get("owner_table") if current else None)
        if owner_table in ATTACHMENT_OWNERS or (deleted and current is not None):
            return
        *first, last = ATTACHMENT_OWNERS
        raise Rejected(
            f"字段 owner_table：附件只能属于{'、'.join(ATTACHMENT_OWNERS[t].zh for t in first)}"
            f"或{ATTACHMENT_OWNERS[last].zh}",
            "field owner_table: a file can be attached only to a "
            f"{', '.join(ATTACHMENT_OWNERS[t].en for t in first)} or {ATTACHMENT_OWNERS[last].en}",
        )

    def _check_references(self, table: str, incoming: dict[str, Any], current: Stored | None) -> None:
        """A record of a commissioner or manager may not name someone else's record."""
        refs = list(REFERENCES.get(table, ()))
        if table == "attachments":
            owner_table = incoming.get("owner_table", current.fields.get("owner_table") if current else None)
            if owner_table in WRITABLE_BY:
                refs.append(("owner_id", str(owner_table)))
        for name, target in refs:
            value = incoming.get(name)
            if not value or not isinstance(value, str):
                continue
            if current is not None and current.fields.get(name) == value:
                continue  # unchanged: only a new pointer is checked
            ref = self.load(target, value)
            if ref is None:
                continue
            mine = self.user.commissioner_id
            if ref.owner_id == mine or (target == "service_targets" and can_see(self.user, target, ref)):
                continue
            raise Rejected(
                f"字段 {name} 指向的记录不存在或不在您的权限范围内",
                f"field {name} names a record that does not exist or is outside your scope",
            )

    def _merge(
        self,
        table: str,
        record_id: str,
        current: Stored,
        incoming: dict[str, Any],
        deleted: bool,
        base_rev: int,
    ) -> list[dict[str, Any]] | tuple[dict[str, Any], bool]:
        """Field-wise three-way merge against the revision at base_rev: the conflicts, or the result."""
        base, base_deleted = self.base_of(table, record_id, base_rev)
        server = current.fields
        local_changed = {f: v for f, v in incoming.items() if v != base.get(f)}
        server_changed = {f for f in set(server) | set(base) if server.get(f) != base.get(f)}
        conflicts = [
            {"field": f, "base": base.get(f), "local": v, "server": server.get(f)}
            for f, v in local_changed.items()
            if f in server_changed and v != server.get(f)
        ]
        new_deleted = current.deleted
        if deleted and not current.deleted:
            if server_changed:  # deleting what someone else changed since: a person decides
                conflicts.append({"field": "deleted", "base": base_deleted, "local": True, "server": False})
            new_deleted = True
        elif not deleted and current.deleted and not base_deleted and local_changed:
            conflicts.append({"field": "deleted", "base": False, "local": False, "server": True})
        elif not deleted and current.deleted and base_deleted:
            # Brought back by the pusher from the deletion it knew (a conflict resolved for the live
            # version), the deletion since written again with other fields: the pusher's change of
            # `deleted` stands as any other field's does. (Kept deleted, the laptop showed it live
            # for good: the answer of a merge does not carry `deleted`.)
            new_deleted = False
        if conflicts:
            return conflicts
        return {**server, **local_changed}, new_deleted

    # --- who may write what --------------------------------------------------------------------

    def _precheck(
        self,
        table: str,
        record_id: str,
        incoming: dict[str, Any],
        current: Stored | None,
        change: dict[str, Any],
    ) -> bool:
        """Scope checks before merging; may set server-decided fields. True when it changed a field."""
        user = self.user
        if table == "reviews":
            return self._precheck_review(incoming, current, change)
        if table in projects.PROJECT_TABLES:
            return projects.precheck(self, table, record_id, incoming, current, bool(change["deleted"]))
        if table == "attachments" and user.role == "bureau":
            return projects.precheck_bureau_attachment(self, incoming, current)
        if table in group_records.TABLES:
            return group_records.precheck(self, table, incoming, current, change)
        if table == "demands" and user.role == "bureau" and current is not None:
            self._precheck_bureau_demand(record_id, incoming, current, change)
        if table == "service_agreements" and not change["deleted"]:
            self._check_co_commissioners(incoming, current)
        if user.role == "bureau":
            if change["deleted"]:
                return False
            if table in ("teams", "workstations"):
                self._check_county(incoming.get("county"))
            elif table == "commissioners" and "county" in FIELD_SPECS[table]:
                # A profile with an account has the account's county, from whoever it comes; one
                # without names a county of the reference data, or none.
                account = self._account(record_id)
                if account is not None:
                    touched = incoming.get("county", account[2]) != account[2]
                    incoming["county"] = account[2]
                    return touched
                self._check_county(incoming.get("county"))
            return False
        mine = user.commissioner_id
        if table == "commissioners":
            if not mine or record_id != mine:
                raise out_of_scope()
            if change["deleted"]:
                raise Rejected(
                    "不能删除自己的科技特派员档案；停用须由市科技局办理",
                    "you cannot delete your own commissioner profile; the bureau deactivates commissioners",
                )
            kept = {
                "deactivated_on": (current.fields.get("deactivated_on") if current else None) or None,
                "deactivation_reason": (current.fields.get("deactivation_reason") if current else "") or "",
            }
            refused = any(name in incoming and incoming[name] != v for name, v in kept.items())
            incoming.update(kept)
            # Team and account come from the user account, the source of every scope decision.
            server_view = {
                "team_id": user.team_id,
                "workstation_id": user.workstation_id,
                "county": user.county,
                "username": user.username,
            }
            touched = any(name in incoming and incoming[name] != v for name, v in server_view.items())
            incoming.update(server_view)
            return touched or refused
        if table == "demands":
            if current is None or not current.public or change["deleted"]:
                raise out_of_scope()
            if current.deleted:
                # Deleted by the bureau: a take-up sent on the deleted version would bring it back.
                raise Superseded("该需求已被市科技局删除", "the bureau has deleted this demand", current)
            self._check_take_up(record_id, incoming, current)
            self._check_references(table, incoming, current)
            return False
        if table in OWNED_TABLES:
            if not mine:
                raise Rejected("您的账号未关联科技特派员档案", "your account has no commissioner profile")
            if (
                current is not None
                and current.owner_id != mine
                and not shared_targets.may_edit(self, table, incoming, current, change)
            ):
                raise out_of_scope()
            if (
                change["deleted"]
                and table in REVIEWABLE
                and current is not None
                and not current.deleted
                and current.fields.get("review_status") != "returned"
                and self._ever_approved(table, record_id, current)
            ):
                # Deleted without review, an approved visit took its served party's poor rating out
                # of the assessment (and came back, re-created, rated by its owner); an edit first, or
                # the served party's 情况有误, only made it wait for review again. Once approved, it
                # goes after a reviewer has returned it; the laptop gets it back meanwhile.
                raise Superseded(
                    "曾经审核通过的记录不能由本人删除；如记录有误，请联系站长/团长退回",
                    "a record that was once approved cannot be deleted by its owner; if it is wrong, "
                    "ask your reviewer to return it",
                    current,
                )
            if change["deleted"] and current is not None and not current.deleted:
                self._check_part_deletion(table, current)
            self._check_references(table, incoming, current)
            if table == "problems" and not change["deleted"]:
                self._check_cited_demand(incoming, current)
            if table in projects.LINKING_TABLES:
                projects.check_links(self, table, incoming, current)
            if "commissioner_id" in FIELD_SPECS[table]:
                given = incoming.get("commissioner_id")
                if given and given != mine:
                    raise out_of_scope()
                if not given and (current is None or "commissioner_id" in incoming):
                    incoming["commissioner_id"] = mine
                    return True
            return False
        raise Rejected("您的角色无权修改此类记录", f"your role ({user.role}) may not write {table}")

    def _check_cited_demand(self, incoming: dict[str, Any], current: Stored | None) -> None:
        """A problem cites only a demand its owner took up (or is taking up: the take-up comes after
        it, in this batch or the next), and a problem made for a demand stays that demand's (it may
        become an ordinary problem: a take-up refused after work was recorded on it)."""
        cited = incoming.get("demand_id") if "demand_id" in incoming else None
        before = current.fields.get("demand_id") if current is not None else None
        if not cited or cited == before:
            return
        if current is not None:
            raise Rejected(
                "技术难题不能改为为某项需求建立的（揭榜时建立的技术难题才是）",
                "a problem made otherwise, or for another demand, cannot become a demand's",
            )
        demand = self.load("demands", str(cited))
        taker = demand.fields.get("taken_by") if demand is not None else None
        if (
            demand is None
            or demand.deleted
            or not (
                taker == self.user.commissioner_id
                or (not taker and demand.fields.get("status") == "published")
            )
        ):
            raise Rejected(
                "该需求不存在、已关闭或已被其他科技特派员揭榜，不能为它建立技术难题",
                "the demand does not exist, is closed, or another commissioner has taken it up: "
                "a problem cannot be made for it",
            )

    def _take_up_holds(self, demand_id: str, fields: dict[str, Any]) -> bool:
        """Whether a taken demand names a live problem of its taker made for it."""
        named = fields.get("problem_id")
        problem = self.load("problems", named) if isinstance(named, str) and named else None
        return (
            problem is not None
            and not problem.deleted
            and problem.owner_id == fields.get("taken_by")
            and problem.fields.get("demand_id") == demand_id
        )

    def _check_take_up(self, record_id: str, incoming: dict[str, Any], current: Stored) -> None:
        """A take-up comes by the deadline (a laptop offline for up to TAKE_UP_GRACE_DAYS after it
        still counts), and names a problem made for this demand (one not here yet may still be on its
        way, in a batch worked out beside this one); the problem a taken demand names stays."""
        fields = current.fields
        if fields.get("status") == "taken" and fields.get("taken_by") == self.user.commissioner_id:
            if "problem_id" in incoming and incoming.get("problem_id") != fields.get("problem_id"):
                raise Superseded(
                    "已揭榜的需求不能改为指向另一个技术难题",
                    "a demand taken up keeps the technical problem it was taken up with",
                    current,
                )
            return
        if fields.get("status") != "published" or not incoming.get("taken_by"):
            return
        deadline = str(current.fields.get("deadline") or "")
        if (
            deadline
            and deadline
            < (date.fromisoformat(self.now[:10]) - timedelta(days=TAKE_UP_GRACE_DAYS)).isoformat()
        ):
            raise Superseded(
                f"该需求的揭榜截止日期（{deadline}）已过，不能再揭榜",
                f"the demand's deadline ({deadline}) has passed: it can no longer be taken up",
                current,
            )
        named = incoming.get("problem_id")
        problem = self.load("problems", named) if isinstance(named, str) and named else None
        if problem is not None and (
            problem.deleted
            or problem.owner_id != self.user.commissioner_id
            or problem.fields.get("demand_id") != record_id
        ):
            raise Superseded(
                "揭榜须指明为该需求建立的技术难题",
                "a take-up names the technical problem made for this demand",
                current,
            )

    def _check_county(self, county: Any) -> None:
        """A county a bureau's push names (a team's, a workstation's, a profile's): one of the reference
        data's, as the admin endpoints require, or none. "蓬江区 " or a made-up one took a station's
        commissioners' records out of every county bureau's view (a cold try)."""
        if not county:
            return
        if self._known_counties is None:
            self._known_counties = frozenset(known_counties(self.conn))
        if county not in self._known_counties:
            raise Rejected(
                f"“{county}”不是基础数据中的县（市、区）",
                f"{county!r} is not a county (县、市、区) of the reference data",
            )

    def _check_co_commissioners(self, incoming: dict[str, Any], current: Stored | None) -> None:
        """The commissioners an agreement names beside its own: their approved visits to its target
        count toward it (commissioner_app/agreements.py) and their annual record lists it. Each one
        newly named is a colleague of the pusher's team or workstation (whom the application offers);
        for the bureau, anyone with an account. One already named stays, wherever they moved since."""
        named = incoming.get("co_commissioner_ids")
        if not named:
            return
        before = current.fields.get("co_commissioner_ids") if current is not None else None
        kept = set(_id_list(before))
        user = self.user
        for cid in _id_list(named):
            if cid in kept:
                continue
            account = self._account(cid)
            if account is None or (
                user.role != "bureau"
                and not (
                    (user.team_id and account[0] == user.team_id)
                    or (user.workstation_id and account[1] == user.workstation_id)
                )
            ):
                raise Rejected(
                    "共同履约的特派员须为本团队或本工作站已开通账号的科技特派员",
                    "a co-commissioner must be a commissioner with an account in your team or workstation",
                )

    def _precheck_bureau_demand(
        self, record_id: str, incoming: dict[str, Any], current: Stored, change: dict[str, Any]
    ) -> None:
        """A demand a commissioner has taken up is their technical problem now (its text copied into
        it): the bureau's correction or closing of it, made before it heard of the take-up, is
        refused, and its copy gets the demand as it stands (who took it)."""
        fields = current.fields
        if not (fields.get("taken_by") or fields.get("status") == "taken"):
            return
        if not self._take_up_holds(record_id, fields):
            # Taken up naming no problem of the taker's made for it (one that never came, or was
            # deleted): the bureau may release it, or the demand would be locked for good.
            return
        base, _ = self.base_of("demands", record_id, change["base_rev"])
        if change["deleted"] or any(v != base.get(f) for f, v in incoming.items()):
            raise Superseded(
                "该需求已被科技特派员揭榜，已成为其技术难题，不能再修改或关闭",
                "a commissioner has taken up this demand (it is their technical problem now): "
                "it can no longer be changed or closed",
                current,
            )

    def _precheck_review(
        self, incoming: dict[str, Any], current: Stored | None, change: dict[str, Any]
    ) -> bool:
        user = self.user
        if change["deleted"]:
            raise Rejected(
                "审核记录不能删除，请另行审核", "a review cannot be deleted; review the record again"
            )
        fields = {**(current.fields if current else {}), **incoming}
        record_table = fields.get("record_table") or "visits"
        if record_table not in REVIEWABLE:
            raise Rejected("只能审核服务记录和成果转化记录", "only visits and achievements can be reviewed")
        if current is not None:
            for name in ("record_table", "record_id"):
                if name in incoming and incoming[name] != current.fields.get(name):
                    raise Rejected("不能更改审核针对的记录", "a review cannot be moved to another record")
            if user.role != "bureau" and current.fields.get("reviewer_id") != (
                user.commissioner_id or user.id
            ):
                raise out_of_scope()
        if fields.get("decision") not in REVIEW_DECISIONS:
            raise Rejected("审核结论应为通过或退回", "decision must be approved or returned")
        if fields.get("decision") == "returned" and not str(fields.get("opinion") or "").strip():
            raise Rejected("退回时须填写审核意见", "say why the record is returned")
        visit = self.load(record_table, str(fields.get("record_id") or ""))
        if visit is None or visit.deleted or not manages(user, visit):
            raise out_of_scope()
        if user.role == "manager" and user.commissioner_id and visit.owner_id == user.commissioner_id:
            raise Rejected("不能审核自己的记录", "you cannot review your own record")
        record_rev = fields.get("record_rev") or 0
        if record_rev and record_rev != visit.rev:
            raise Rejected(
                "记录在您审核后已被修改，请同步后重新审核",
                f"the record changed since you reviewed it (rev {record_rev}, now {visit.rev}); "
                "sync and review again",
            )
        # An approval is of the evidence its reviewer read: what the reviewer's laptop had pulled, up
        # to change number evidence_seq (0 from older versions: not said, not checked). Checked
        # whenever a review would make the record approved, a new one or one sent again.
        read_up_to = fields.get("evidence_seq") or 0
        approving = fields.get("decision") == "approved" and visit.fields.get("review_status") != "approved"
        if approving and read_up_to > 0:
            reviewed = (record_table, str(fields["record_id"]))
            if self._evidence_written_after(*reviewed, visit, read_up_to):
                if reviewed not in self._sent_back and 0 <= visit.server_seq <= read_up_to:
                    # The reviewer's laptop has this version and shows it decided: the record is
                    # written again, unchanged, so that their next pull brings it back as it stands,
                    # with the evidence (once: the new version is past what they had read).
                    self._sent_back.add(reviewed)
                    self.write(*reviewed, visit, dict(visit.fields), False, visit.scope())
                raise changed_evidence(record_table)
        incoming["record_table"] = record_table
        server_view = {"reviewer_id": user.commissioner_id or user.id, "reviewer_name": user.display_name}
        touched = any(name in incoming and incoming[name] != v for name, v in server_view.items())
        incoming.update(server_view)
        # The server dates a review: when it is made, and again when its decision or opinion changes.
        given = incoming.pop("reviewed_at", None)
        decided = current is None or any(
            name in incoming and incoming[name] != current.fields.get(name)
            for name in ("decision", "opinion")
        )
        reviewed_at = self.now
        if current is not None and not decided and current.fields.get("reviewed_at"):
            reviewed_at = current.fields["reviewed_at"]
        incoming["reviewed_at"] = reviewed_at
        return touched or (given is not None and given != reviewed_at)

    def _server_fields(
        self, table: str, merged: dict[str, Any], current: Stored | None, deleted: bool
    ) -> bool:
        """Fields the server decides after the merge: a visit's (or an achievement's) review state."""
        if table not in REVIEWABLE:
            return False
        before = current.fields.get("review_status", "") if current else ""
        status = before
        if current is None:
            status = "pending"
        elif before in REVIEWED:
            content_changed = deleted != current.deleted or any(
                merged.get(f) != current.fields.get(f)
                for f in set(merged) | set(current.fields)
                if f not in SERVER_OWNED_FIELDS[table]
            )
            if content_changed:
                status = "pending"  # edited after review: the reviewer looks again
        merged.setdefault("review_opinion", current.fields.get("review_opinion", "") if current else "")
        if table == "visits" and (
            current is None
            or status != before
            or any(merged.get(f) != current.fields.get(f) for f in SHEET_FIELDS)
        ):
            # Until a reviewer accepts the signed sheet; and again after the visit went back to
            # review, or its sheet or rating changed: what was accepted is not what it holds now.
            merged["confirm_sheet_accepted"] = 0
        touched = merged.get("review_status") != status
        merged["review_status"] = status
        return touched

    def _scope(self, table: str, record_id: str, merged: dict[str, Any], current: Stored | None) -> Scope:
        scope = self._group_scope(table, record_id, merged, current)
        if table in ("teams", "workstations"):
            scope.county = str(merged.get("county") or "")[:40] or None
        elif table == "reviews":
            reviewed = self.load(str(merged.get("record_table") or "visits"), merged["record_id"])
            scope.county = reviewed.county if reviewed is not None else None
        elif table not in ("reference", "assessment_rules"):
            scope.county = self.county_of(scope.owner_id)
        return scope

    def _group_scope(
        self, table: str, record_id: str, merged: dict[str, Any], current: Stored | None
    ) -> Scope:
        special = projects.scope(self, table, merged, current)
        if special is not None:
            return special
        if table in ("reference", "assessment_rules"):
            return Scope(public=True)
        if table in group_records.TABLES:
            return group_records.scope(table, merged)
        if table == "teams":
            return Scope(team_id=record_id)
        if table == "workstations":
            return Scope(workstation_id=record_id)
        if table == "commissioners":
            if self.user.role == "bureau":
                return Scope(record_id, merged.get("team_id"), merged.get("workstation_id"))
            return Scope(record_id, self.user.team_id, self.user.workstation_id)
        if table == "demands":
            taker = merged.get("taken_by") or None
            return Scope(taker, *self.group_of(taker), public=True)
        if table == "reviews":
            visit = self.load(merged.get("record_table") or "visits", merged["record_id"])
            assert visit is not None  # checked in _precheck_review
            return Scope(visit.owner_id, visit.team_id, visit.workstation_id)
        if self.user.role == "bureau":
            if current is not None:
                return Scope(current.owner_id, current.team_id, current.workstation_id, current.public)
            owner = merged.get("commissioner_id") or None
            if table == "service_agreements" and not owner:
                raise Rejected("服务协议须指定科技特派员", "a service agreement needs its commissioner_id")
            return Scope(owner, *self.group_of(owner), public=owner is None)
        mine = self.user.commissioner_id
        if current is not None and current.owner_id != mine:  # a colleague's shared target stays theirs
            return Scope(current.owner_id, current.team_id, current.workstation_id, current.public)
        return Scope(mine, self.user.team_id, self.user.workstation_id)

    @staticmethod
    def _check_signed_agreement(merged: dict[str, Any], current: Stored, deleted: bool) -> None:
        """A signed agreement's targets and period are the three parties' (domain.signed_terms_refusal):
        its commissioner's change of them is refused, and their copy gets the agreement as signed.
        The bureau's correction is not refused."""
        if current.deleted or merged == current.fields and deleted == current.deleted:
            return
        signed = from_row(ServiceAgreement, current.fields)
        after = None if deleted else from_row(ServiceAgreement, merged)
        if (refusal := signed_terms_refusal(signed, after)) is not None:
            raise Superseded(refusal.zh, refusal.en, current)

    def _postcheck(self, table: str, merged: dict[str, Any], current: Stored | None, deleted: bool) -> None:
        if table == "service_agreements" and self.user.role != "bureau" and current is not None:
            self._check_signed_agreement(merged, current, deleted)
        if table != "demands" or self.user.role == "bureau" or current is None:
            return
        mine = self.user.commissioner_id
        changed = {f for f in set(merged) | set(current.fields) if merged.get(f) != current.fields.get(f)}
        if not changed:
            return
        already_mine = current.fields.get("taken_by") == mine and current.fields.get("status") == "taken"
        if (
            changed - DEMAND_TAKE_FIELDS
            or merged.get("taken_by") != mine
            or merged.get("status") != "taken"
            or not merged.get("problem_id")  # a take-up makes the taker's problem, and names it
            or not mine
            or (current.fields.get("status") != "published" and not already_mine)
        ):
            # A commissioner changes a demand only by taking it up: a refusal leaves nothing to
            # correct, so their copy gets the demand as it stands (Superseded).
            if current.fields.get("taken_by") not in (None, "", mine):
                raise Superseded(
                    "该需求已被其他科技特派员揭榜", "another commissioner has taken up this demand", current
                )
            if current.fields.get("status") == "closed":
                raise Superseded(
                    "该需求已被市科技局关闭，不能再揭榜",
                    "the bureau has closed this demand: it can no longer be taken up",
                    current,
                )
            raise Superseded(
                "只能揭榜（认领）已发布的需求，不能修改其内容",
                "you may only take up a published demand, not change it",
                current,
            )

    def _validate(self, table: str, merged: dict[str, Any]) -> None:
        """The application's own validation rules (commissioner_app.domain), on the stored result."""
        issues = stored_record_issues(table, merged, today=self.latest_date)
        if issues:
            raise Rejected(
                "；".join(f"{i.label.zh}：{i.message.zh}" for i in issues),
                "; ".join(f"{i.label.en}: {i.message.en}" for i in issues),
            )

    def _evidence_written_after(self, record_table: str, record_id: str, record: Stored, after: int) -> bool:
        """Whether evidence of a visit (its problems, solutions, files and the served party's
        confirmation) or of an achievement (its files) was written after change number `after` by
        the record's owner: evidence pointing at it now, or when the reviewer read it (a photo moved
        to another visit changed both)."""
        target = (record_table, record_id)
        for versions in self._evidence_histories(record.owner_id):
            then: tuple[str, str] | None = None
            changed = False
            for seq, points_to in versions:
                if seq <= after:
                    then = points_to  # the version the reviewer's laptop had
                else:
                    changed = True
                    if points_to == target:
                        return True
            if changed and then == target:
                return True
        return False

    def _evidence_histories(self, owner_id: str | None) -> list[list[tuple[int, tuple[str, str]]]]:
        """The evidence records `owner_id` wrote since the batch's earliest evidence_seq, each as its
        versions in order: (change number, the record it is evidence of). Read once per owner and
        batch, whatever the number of approvals and the numbers they say."""
        if owner_id in self._evidence:
            return self._evidence[owner_id]
        written = self.search(
            select(
                records.c.table_name, records.c.id, records.c.rev, records.c.server_seq, records.c.fields
            ).where(
                records.c.owner_id == owner_id,
                records.c.server_seq > self._evidence_floor,
                records.c.table_name.in_(("attachments", "problems", "solutions", "confirmations")),
            )
        )
        histories = []
        for row in written:
            table = str(row.table_name)
            versions = [(int(row.server_seq), json.loads(row.fields))]
            if row.rev > 1:
                # Its earlier versions too (a version is rewritten only to get its fields, by the
                # push that supersedes it, which changes the record: the search above is made again
                # under the lock). The current one's fields are read with them, in one statement.
                kept = self.conn.execute(
                    versions_of(table, row.id, revisions.c.server_seq).order_by(revisions.c.rev)
                )
                texts = [(v.server_seq, version_text(v)) for v in kept]
                versions = [
                    (int(seq), json.loads(text)) for seq, text in texts if text is not None
                ] or versions
            histories.append([(seq, self._evidence_of(table, fields)) for seq, fields in versions])
        self._evidence[owner_id] = histories
        return histories

    def _evidence_of(self, table: str, fields: dict[str, Any]) -> tuple[str, str]:
        """The record a version of a file, problem or solution is evidence of."""
        if table == "attachments":
            return str(fields.get("owner_table")), str(fields.get("owner_id"))
        visit_id = fields.get("visit_id")
        if table == "solutions" and not visit_id:
            problem = self.load("problems", str(fields.get("problem_id") or ""))
            visit_id = problem.fields.get("visit_id") if problem is not None else None
        return "visits", str(visit_id)

    def reopen_reviews(
        self, table: str, merged: dict[str, Any], current: Stored | None, record_id: str = ""
    ) -> None:
        """A problem, solution or file (a photo, the signed sheet) of a reviewed visit, or a file of a
        reviewed achievement, changed, or the served party disputed the visit (sync/server/confirm.py):
        that record goes back to review, as an edit of it does, so nothing added after an approval
        counts unreviewed; a visit's accepted sheet with it."""
        owners: set[tuple[str, str]] = set()
        for fields in (merged, current.fields if current else {}):
            if table == "attachments":
                owner_table, owner_id = fields.get("owner_table"), fields.get("owner_id")
                if owner_table in REVIEWABLE and isinstance(owner_id, str) and owner_id:
                    owners.add((str(owner_table), owner_id))
                continue
            if (
                table == "problems"
                and current is not None
                and fields is merged
                and _solved_changed(merged, current)
            ):
                # Marked solved (or its solved date moved) after the visit its solution was given on
                # was approved: that approval did not see it counted as solved.
                for solved_on in self._solution_visits(current.owner_id, record_id):
                    owners.add(("visits", solved_on))
            visit_id = fields.get("visit_id")
            if table == "solutions" and not visit_id:
                # A solution without its own visit counts through its problem's (see assessment.py).
                problem = self.load("problems", str(fields.get("problem_id") or ""))
                visit_id = problem.fields.get("visit_id") if problem is not None else None
            if isinstance(visit_id, str) and visit_id:
                owners.add(("visits", visit_id))
        for owner_table, owner_id in sorted(owners):
            record = self.load(owner_table, owner_id)
            # (A problem or solution of a visit not yet reviewed, the common case, decodes no visit.)
            if (
                record is None
                or record.deleted
                or not record.may_hold(REVIEWED)
                or record.fields.get("review_status") not in REVIEWED
            ):
                continue
            fields = {**record.fields, "review_status": "pending"}
            if owner_table == "visits":
                fields["confirm_sheet_accepted"] = 0
            self.write(owner_table, owner_id, record, fields, record.deleted, record.scope())

    def _check_part_deletion(self, table: str, current: Stored) -> None:
        """The problems and solutions recorded on a once-approved visit go only with it, after a
        reviewer has returned it: deleted in the application together with their visit, whose own
        deletion is refused, they were accepted and every laptop lost them. Nor do they go while
        their visit's deletion in this batch met a conflict (edited on another laptop meanwhile), nor
        its files then. The laptop gets each back. (Otherwise a file's removal is an edit of the
        evidence: the record waits for review again.)"""
        fields = current.fields
        parent: tuple[str, str] | None = None
        if table in ("problems", "solutions") and fields.get("visit_id"):
            parent = ("visits", str(fields["visit_id"]))
        elif table == "solutions" and fields.get("problem_id"):  # given on the problem's own visit
            problem = self.load("problems", str(fields["problem_id"]))
            if problem is not None and problem.fields.get("visit_id"):
                parent = ("visits", str(problem.fields["visit_id"]))
        elif table == "attachments" and fields.get("owner_table") in REVIEWABLE and fields.get("owner_id"):
            parent = (str(fields["owner_table"]), str(fields["owner_id"]))
        if parent is None:
            return
        if self._deletion_in_conflict(parent):
            raise Superseded(
                "所属记录的删除与另一台电脑上的修改冲突，尚未删除；其中的内容保留，请先处理冲突",
                "the deletion of the record it belongs to conflicts with a change made on another "
                "computer and has not happened; it stays until that conflict is resolved",
                current,
            )
        if table == "attachments":
            return  # (a file's removal is an edit of the evidence: the record waits for review again)
        stored = self.load(*parent)
        if (
            stored is not None
            and not stored.deleted
            and stored.fields.get("review_status") != "returned"
            and self._ever_approved(*parent, stored)
        ):
            raise Superseded(
                "所属的记录曾经审核通过，其中的内容不能由本人删除；如记录有误，请联系站长/团长退回该记录",
                "it belongs to a record that was once approved, and cannot be deleted by its owner; if "
                "that record is wrong, ask your reviewer to return it",
                current,
            )

    def _deletion_in_conflict(self, parent: tuple[str, str]) -> bool:
        """Whether the pusher's deletion of `parent` met a conflict (an edit made on another laptop
        meanwhile) that is not resolved: in this batch, or in an earlier one, whose conflict notice
        this user raised from this device is still open (the other laptop's own removal of a part,
        made on purpose, is not held). A laptop with more to send than a batch sends a visit's
        problems after the visit, in later batches: held in the visit's batch alone, they were deleted
        while the visit stayed."""
        if parent in self._deletions_held:
            return True
        if parent not in self._deletions_in_conflict:
            stored = self.load(*parent)
            found = False
            if stored is not None and not stored.deleted and stored.owner_id:
                # The notices of the record's owner (scoped as their record: sync/server/notices.py).
                for row in self.search(
                    select(records.c.id).where(
                        records.c.table_name == notices.NOTICE_TABLE,
                        records.c.owner_id == stored.owner_id,
                        records.c.deleted == false(),
                    )
                ):
                    notice = self.load(notices.NOTICE_TABLE, str(row.id))
                    f = notice.fields if notice is not None and not notice.deleted else {}
                    if (
                        f.get("status") == "open"
                        and (f.get("table"), f.get("record_id")) == parent
                        and f.get("raised_by_user_id") == self.user.id
                        and f.get("raised_device") == self.device_id
                        and any(
                            isinstance(c, dict) and c.get("field") == "deleted" and c.get("local") is True
                            for c in f.get("conflicts") or []
                        )
                    ):
                        found = True
                        break
            self._deletions_in_conflict[parent] = found
        return self._deletions_in_conflict[parent]

    def _ever_approved(self, table: str, record_id: str, current: Stored) -> bool:
        """Whether the record is approved, or any version of it the store keeps was."""
        if current.fields.get("review_status") == "approved":
            return True
        texts = [version_text(v) for v in self.conn.execute(versions_of(table, record_id))]
        return any(orjson.loads(t).get("review_status") == "approved" for t in texts if t is not None)

    def _solution_visits(self, owner_id: str | None, problem_id: str) -> set[str]:
        """The visits the owner's solutions to a problem were given on; the owner's solutions read
        once per batch (only a problem marked solved after it was stored asks)."""
        if not owner_id or not problem_id:
            return set()
        found = self._solutions_by_problem.get(owner_id)
        if found is None:
            found = {}
            rows: list[str] = list(
                self.conn.execute(
                    select(records.c.fields).where(
                        records.c.owner_id == owner_id,
                        records.c.table_name == "solutions",
                        records.c.deleted == false(),
                    )
                ).scalars()
            )
            for stored_text in rows:
                fields = orjson.loads(stored_text)
                problem, visit = fields.get("problem_id"), fields.get("visit_id")
                if isinstance(problem, str) and isinstance(visit, str) and visit:
                    found.setdefault(problem, set()).add(visit)
            self._solutions_by_problem[owner_id] = found
        return found.get(problem_id, set())

    def _review_visit(self, review: dict[str, Any]) -> None:
        """An accepted review sets the visit's (or achievement's) review state: a new revision that
        flows back by pull."""
        record_table = review.get("record_table") or "visits"
        visit = self.load(record_table, review["record_id"])
        assert visit is not None
        fields = {
            **visit.fields,
            "review_status": review["decision"],
            "review_opinion": review.get("opinion") or "",
        }
        if record_table == "visits":
            # The signed sheet counts as the served party's word only once a reviewer accepted it.
            # Only a visit that has a signed sheet can have it accepted (a review saying so for a
            # visit without one would make its typed-in rating count as the served party's word).
            fields["confirm_sheet_accepted"] = int(
                review["decision"] == "approved"
                and bool(review.get("sheet_accepted"))
                and bool(visit.fields.get("confirm_sheet_sha256"))
            )
        if fields != visit.fields:
            self.write(
                record_table,
                review["record_id"],
                visit,
                fields,
                visit.deleted,
                visit.scope(),
            )


def _solved_changed(merged: dict[str, Any], current: Stored) -> bool:
    """Whether it became solved, stopped being so, or its solved date moved (another state, such as
    解决中, changes no count)."""
    was, now = current.fields.get("status") == "solved", merged.get("status") == "solved"
    return was != now or (now and merged.get("solved_on") != current.fields.get("solved_on"))
