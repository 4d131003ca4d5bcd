"""Numbered migrations of the local database.

A migration, once released, never changes: a database made by an older version must open in a newer
one with every record kept. Add a new numbered function instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("commissioner_app")

# Sync metadata every synced table carries (see SYNC.md). `dirty` = changed since the last accepted
# push; `is_draft` = incomplete, never pushed; `sync_error` = the server's reason for a rejection.
SYNC_COLUMNS = """
    rev INTEGER NOT NULL DEFAULT 0,
    server_seq INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    base_rev INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    is_draft INTEGER NOT NULL DEFAULT 0,
    has_conflict INTEGER NOT NULL DEFAULT 0,
    sync_error TEXT,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT ''
"""

# SYNCED_TABLES (below, after the frozen list of m001-m007) grows; released migrations never see it.

# Full-text search. The trigram tokenizer finds any substring of three or more characters, which
# suits Chinese (no word boundaries). Every indexed text ends with a space so that a two-character
# term is the start of some trigram; see Store.search. The index keeps its own copy of the text
# (rowid = the record's rowid) so a visit's index entry can include its target's name.


@dataclass(frozen=True)
class FtsIndex:
    """The full-text index of one table, as the database has it now: its triggers and the indexing
    of what a pull stored (Store.index_pending) are both made from this one definition."""

    table: str
    columns: tuple[str, ...]  # the index's columns
    sources: str  # the table's columns whose change re-indexes a row
    values: str  # one SQL expression per index column, over the row `new`

    @property
    def name(self) -> str:
        return f"{self.table}_fts"

    def _padded_values(self, row: str) -> list[str]:
        values = re.sub(r"\bnew\.", f"{row}.", self.values)
        return [f"coalesce({v.strip()}, '') || ' '" for v in _split_values(values)]

    def padded(self, row: str = "new") -> str:
        """The indexed values, each ended with a space (see above), read from the row named `row`."""
        return ", ".join(self._padded_values(row))

    def text(self, row: str = "new") -> str:
        """All the indexed text of the row named `row` as one SQL string (a search of rows not yet
        indexed, Store.fts_filter)."""
        return " || ".join(self._padded_values(row))

    def statements(self) -> list[str]:
        """The index, its vocabulary and the triggers that keep it up to date."""
        fts, cols, padded = self.name, ", ".join(self.columns), self.padded()
        table = self.table
        return [
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, tokenize='trigram')",
            f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, 'row')",
            f"""CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} WHEN new.deleted = 0 BEGIN
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {padded}); END""",
            f"""CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.rowid; END""",
            # Only a change of indexed text re-indexes: sync bookkeeping updates stay cheap.
            f"""CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {self.sources}, deleted ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.rowid;
            INSERT INTO {fts} (rowid, {cols}) SELECT new.rowid, {padded} WHERE new.deleted = 0; END""",
        ]

    @property
    def row_triggers(self) -> tuple[str, str]:
        """The triggers that index row by row on insert and update (a pull's large page sets them aside
        and lists its rows in fts_pending)."""
        return f"{self.table}_fts_ai", f"{self.table}_fts_au"

    def index_rowids(self, marks: str) -> str:
        """Index the rows whose rowid is one of `marks` (placeholders), as the insert trigger would."""
        return (
            f"INSERT INTO {self.name} (rowid, {', '.join(self.columns)}) SELECT x.rowid, {self.padded('x')} "
            f"FROM {self.table} x WHERE +x.deleted = 0 AND x.rowid IN ({marks})"
        )


FTS: Mapping[str, FtsIndex] = MappingProxyType(
    {
        index.table: index
        for index in (
            FtsIndex(
                "visits",
                ("target_name", "place", "content", "industry"),
                "target_id, county, town, village, content, industry",
                "(SELECT name FROM service_targets WHERE id = new.target_id), "
                "new.county || new.town || new.village, new.content, new.industry",
            ),
            FtsIndex(
                "problems",
                ("title", "description", "industry", "status_reason"),
                "title, description, industry, status_reason",
                "new.title, new.description, new.industry, new.status_reason",
            ),
            FtsIndex(
                "solutions",
                ("description", "technology", "outcome"),
                "description, technology, outcome",
                "new.description, new.technology, new.outcome",
            ),
            FtsIndex(
                "service_targets",
                ("name", "place", "contact", "industry", "notes"),
                "name, county, town, village, address, contact_name, contact_phone, industry, notes, "
                "credit_code",
                "new.name, new.county || new.town || new.village || new.address, new.contact_name || ' ' "
                "|| new.contact_phone, new.industry, new.notes || ' ' || new.credit_code",
            ),
        )
    }
)


# --- What the released migrations were written with ------------------------------------------
#
# Their own copies, frozen: a released migration executes the same statements forever (a test
# keeps a checksum of each one's, tests/commissioner_app/test_schema.py). To change a table or
# an index, change the current definitions (SYNC_COLUMNS, SYNCED_TABLES, FTS) and add a migration;
# never edit what follows.

_V1_SYNC_COLUMNS = """
    rev INTEGER NOT NULL DEFAULT 0,
    server_seq INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    base_rev INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    is_draft INTEGER NOT NULL DEFAULT 0,
    has_conflict INTEGER NOT NULL DEFAULT 0,
    sync_error TEXT,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT ''
"""

_V1_SYNCED_TABLES = (
    "commissioners",
    "teams",
    "workstations",
    "service_targets",
    "service_agreements",
    "visits",
    "problems",
    "solutions",
    "attachments",
    "reviews",
    "demands",
    "annual_summaries",
)
SYNCED_TABLES = (
    *_V1_SYNCED_TABLES,
    "confirmations",
    "assessment_results",
    # m012: 揭榜挂帅 projects and the achievements register (projects before what names them).
    "projects",
    "project_applications",
    "project_milestones",
    "achievements",
    # m013: bonuses (加分项) of teams and workstations, and the exemplars (先进典型) the bureau names.
    "bonus_points",
    "exemplars",
)

_M001 = [
    f"""CREATE TABLE commissioners (
        id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
        sending_unit TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
        specialty TEXT NOT NULL DEFAULT '', industries TEXT NOT NULL DEFAULT '[]',
        team_id TEXT, workstation_id TEXT, username TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE teams (
        id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '',
        leader_id TEXT, partner_university TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE workstations (
        id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '',
        town TEXT NOT NULL DEFAULT '', manager_id TEXT, {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE service_targets (
        id TEXT PRIMARY KEY, type TEXT NOT NULL DEFAULT 'village', name TEXT NOT NULL DEFAULT '',
        county TEXT NOT NULL DEFAULT '', town TEXT NOT NULL DEFAULT '', village TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT '',
        contact_phone TEXT NOT NULL DEFAULT '', credit_code TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE service_agreements (
        id TEXT PRIMARY KEY, commissioner_id TEXT NOT NULL DEFAULT '', target_id TEXT NOT NULL DEFAULT '',
        start_date TEXT, end_date TEXT, co_commissioner_ids TEXT NOT NULL DEFAULT '[]',
        agreed TEXT NOT NULL DEFAULT '{{}}', notes TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE visits (
        id TEXT PRIMARY KEY, commissioner_id TEXT NOT NULL DEFAULT '', target_id TEXT,
        visit_date TEXT, start_time TEXT NOT NULL DEFAULT '', end_time TEXT NOT NULL DEFAULT '',
        county TEXT NOT NULL DEFAULT '', town TEXT NOT NULL DEFAULT '', village TEXT NOT NULL DEFAULT '',
        service_types TEXT NOT NULL DEFAULT '[]', industry TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL DEFAULT '',
        training_sessions INTEGER NOT NULL DEFAULT 0, people_trained INTEGER NOT NULL DEFAULT 0,
        techniques_promoted INTEGER NOT NULL DEFAULT 0, varieties_introduced INTEGER NOT NULL DEFAULT 0,
        demo_bases INTEGER NOT NULL DEFAULT 0, demo_households INTEGER NOT NULL DEFAULT 0,
        jobs_created INTEGER NOT NULL DEFAULT 0, economic_benefit REAL NOT NULL DEFAULT 0,
        confirm_contact TEXT NOT NULL DEFAULT '', confirm_satisfaction INTEGER,
        confirm_remark TEXT NOT NULL DEFAULT '', confirm_sheet_sha256 TEXT NOT NULL DEFAULT '',
        review_status TEXT NOT NULL DEFAULT '', review_opinion TEXT NOT NULL DEFAULT '',
        gps_lat REAL, gps_lon REAL, {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE problems (
        id TEXT PRIMARY KEY, commissioner_id TEXT NOT NULL DEFAULT '', target_id TEXT, visit_id TEXT,
        title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT 'visit', demand_id TEXT,
        urgency TEXT NOT NULL DEFAULT 'normal', status TEXT NOT NULL DEFAULT 'open',
        status_reason TEXT NOT NULL DEFAULT '', raised_on TEXT, solved_on TEXT, {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE solutions (
        id TEXT PRIMARY KEY, problem_id TEXT NOT NULL DEFAULT '', visit_id TEXT,
        commissioner_id TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        technology TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',
        economic_benefit REAL NOT NULL DEFAULT 0, confirmed INTEGER NOT NULL DEFAULT 0, {_V1_SYNC_COLUMNS})""",  # noqa: E501 (released)
    f"""CREATE TABLE attachments (
        id TEXT PRIMARY KEY, sha256 TEXT NOT NULL DEFAULT '', owner_table TEXT NOT NULL DEFAULT '',
        owner_id TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT 'photo', mime TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL DEFAULT 0, original_name TEXT NOT NULL DEFAULT '',
        taken_at TEXT NOT NULL DEFAULT '', gps_lat REAL, gps_lon REAL, {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE reviews (
        id TEXT PRIMARY KEY, record_table TEXT NOT NULL DEFAULT 'visits', record_id TEXT NOT NULL DEFAULT '',
        record_rev INTEGER NOT NULL DEFAULT 0, decision TEXT NOT NULL DEFAULT '',
        opinion TEXT NOT NULL DEFAULT '', reviewer_id TEXT NOT NULL DEFAULT '',
        reviewer_name TEXT NOT NULL DEFAULT '', reviewed_at TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE demands (
        id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '', town TEXT NOT NULL DEFAULT '',
        target_name TEXT NOT NULL DEFAULT '', deadline TEXT, status TEXT NOT NULL DEFAULT 'published',
        published_by TEXT NOT NULL DEFAULT '', taken_by TEXT, problem_id TEXT, {_V1_SYNC_COLUMNS})""",
    f"""CREATE TABLE annual_summaries (
        id TEXT PRIMARY KEY, commissioner_id TEXT NOT NULL DEFAULT '', year INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '', {_V1_SYNC_COLUMNS})""",
    # Local, not synced.
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)""",
    """CREATE TABLE reference_items (
        kind TEXT NOT NULL, code TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',
        parent_code TEXT NOT NULL DEFAULT '', sort_order INTEGER NOT NULL DEFAULT 0,
        extra TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (kind, code))""",
    """CREATE TABLE record_history (
        id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, record_id TEXT NOT NULL,
        changed_at TEXT NOT NULL, changed_by TEXT NOT NULL DEFAULT '', changes TEXT NOT NULL)""",
    """CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL,
        base_value TEXT, local_value TEXT, server_value TEXT, server_rev INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT)""",
    "CREATE INDEX idx_history_record ON record_history (table_name, record_id)",
    "CREATE INDEX idx_conflicts_record ON sync_conflicts (table_name, record_id)",
    "CREATE INDEX idx_visits_date ON visits (deleted, visit_date DESC, start_time DESC)",
    "CREATE INDEX idx_visits_commissioner ON visits (commissioner_id, visit_date)",
    "CREATE INDEX idx_visits_target ON visits (target_id)",
    "CREATE INDEX idx_problems_visit ON problems (visit_id)",
    "CREATE INDEX idx_problems_status ON problems (deleted, status)",
    "CREATE INDEX idx_solutions_problem ON solutions (problem_id)",
    "CREATE INDEX idx_solutions_visit ON solutions (visit_id)",
    "CREATE INDEX idx_attachments_owner ON attachments (owner_table, owner_id)",
    "CREATE INDEX idx_attachments_sha ON attachments (sha256)",
    "CREATE INDEX idx_reviews_record ON reviews (record_table, record_id)",
    "CREATE INDEX idx_targets_name ON service_targets (name)",
]
_M001 += [f"CREATE INDEX idx_{t}_dirty ON {t} (dirty, is_draft)" for t in _V1_SYNCED_TABLES]
_M001 += [f"CREATE INDEX idx_{t}_seq ON {t} (server_seq)" for t in _V1_SYNCED_TABLES]

# The full-text indexes as m001 made them (see FTS).
_V1_FTS: Mapping[str, tuple[tuple[str, ...], str, str]] = MappingProxyType(
    {
        "visits": (
            ("target_name", "place", "content", "industry"),
            "target_id, county, town, village, content, industry",
            "(SELECT name FROM service_targets WHERE id = new.target_id), "
            "new.county || new.town || new.village, new.content, new.industry",
        ),
        "problems": (
            ("title", "description", "industry", "status_reason"),
            "title, description, industry, status_reason",
            "new.title, new.description, new.industry, new.status_reason",
        ),
        "solutions": (
            ("description", "technology", "outcome"),
            "description, technology, outcome",
            "new.description, new.technology, new.outcome",
        ),
        "service_targets": (
            ("name", "place", "contact", "industry", "notes"),
            "name, county, town, village, address, contact_name, contact_phone, industry, notes, credit_code",
            "new.name, new.county || new.town || new.village || new.address, "
            "new.contact_name || ' ' || new.contact_phone, new.industry, new.notes || ' ' || new.credit_code",
        ),
    }
)


def _v1_fts_statements(table: str, columns: tuple[str, ...], sources: str, values: str) -> list[str]:
    fts = f"{table}_fts"
    padded = _v1_padded(values)
    cols = ", ".join(columns)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, tokenize='trigram')",
        f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, 'row')",
        f"""CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} WHEN new.deleted = 0 BEGIN
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {padded}); END""",
        f"""CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.rowid; END""",
        # Only a change of indexed text re-indexes: sync bookkeeping updates stay cheap.
        f"""CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {sources}, deleted ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.rowid;
            INSERT INTO {fts} (rowid, {cols}) SELECT new.rowid, {padded} WHERE new.deleted = 0; END""",
    ]


def _v1_padded(values: str, row: str = "new") -> str:
    """The indexed values, each ended with a space (see above), read from the row named `row`."""
    values = re.sub(r"\bnew\.", f"{row}.", values)
    return ", ".join(f"coalesce({v.strip()}, '') || ' '" for v in _split_values(values))


def _split_values(values: str) -> list[str]:
    """Split a comma-separated SQL expression list at top level (not inside parentheses)."""
    parts, depth, current = [], 0, ""
    for ch in values:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


for _table, (_columns, _sources, _values) in _V1_FTS.items():
    _M001 += _v1_fts_statements(_table, _columns, _sources, _values)


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _M001:
        db.execute(statement)


def known_migration_names() -> set[str]:
    return {m.name for m in migrations._migrations}


@migrations()
def m002_sync_state_indexes(db: Database) -> None:
    """Covering indexes so counting records by sync state reads no table rows (status, status bar)."""
    for table in _V1_SYNCED_TABLES:
        db.execute(
            f"CREATE INDEX IF NOT EXISTS idx_{table}_state ON {table} "
            # `deleted` last: leading with it, the planner took this index for every `deleted = 0`
            # query and scanned whole tables instead of using the owner indexes.
            "(dirty, is_draft, has_conflict, sync_error, deleted)"
        )


@migrations()
def m003_activity_indexes(db: Database) -> None:
    """Covering indexes for the team and city views, so they never read the visits' text."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_visits_activity ON visits (deleted, is_draft, visit_date, county, "
        "town, industry, commissioner_id, review_status, service_types)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_visits_member ON visits "
        "(commissioner_id, visit_date, deleted, is_draft, review_status)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_problems_solved ON problems (status, solved_on, commissioner_id, "
        "deleted)"
    )


# --- m004: what sync needs beyond m001 --------------------------------------------------------
#
# `sync_base` keeps the server's version of a record (its fields at `rev`) from the moment a synced
# record is first edited locally. A push that meets a conflict compares the local row with this
# base, field by field, to tell the user's own changes from the server's: without it, a field the
# server changed would look like a local change and be pushed back over the server's value.
# A trigger fills it when a row goes from clean to dirty, so ordinary saves cost one small insert
# and a pull (which writes clean rows) costs nothing. The trigger lists the columns present when
# this migration runs; a later migration that adds columns to a synced table re-creates it.
#
# `assessment_rules` holds the bureau's assessment rules per year (TOML text) as pulled by sync,
# for the reports module.


def _record_columns(db: Database, table: str) -> list[str]:
    """A synced table's columns other than the sync bookkeeping ones: what a sync_base row keeps."""
    sync_columns = {line.strip().split()[0] for line in _V1_SYNC_COLUMNS.strip().splitlines()}
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall() if r[1] not in sync_columns]


def _base_trigger(db: Database, table: str) -> str:
    pairs = ", ".join(f"'{c}', old.{c}" for c in _record_columns(db, table))
    return f"""CREATE TRIGGER {table}_sync_base AFTER UPDATE OF dirty ON {table}
        WHEN old.dirty = 0 AND new.dirty = 1 AND old.rev > 0 BEGIN
        INSERT OR REPLACE INTO sync_base (table_name, record_id, rev, fields)
        VALUES ('{table}', old.id, old.rev, json_object({pairs})); END"""


@migrations()
def m004_sync_base(db: Database) -> None:
    db.execute(
        """CREATE TABLE sync_base (
            table_name TEXT NOT NULL, record_id TEXT NOT NULL, rev INTEGER NOT NULL, fields TEXT NOT NULL,
            PRIMARY KEY (table_name, record_id))"""
    )
    db.execute(
        """CREATE TABLE assessment_rules (
            year INTEGER PRIMARY KEY, toml TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 0,
            server_seq INTEGER NOT NULL DEFAULT 0, received_at TEXT NOT NULL DEFAULT '')"""
    )
    db.execute("CREATE INDEX idx_conflicts_open ON sync_conflicts (resolved_at, table_name, record_id)")
    for table in _V1_SYNCED_TABLES:
        db.execute(_base_trigger(db, table))


# --- m005: conflicts seen from the other side -------------------------------------------------
#
# The server records each same-field conflict as a notice (sync/server/notices.py) and delivers it
# by pull to the other side. `notice_id` links a local conflict to its notice; `origin` is 'push'
# for a conflict this computer's push met (the record is held back) and 'remote' for someone
# else's version that conflicts with this computer's (nothing is held back; the local value is
# on the server); `other_by` names the other side. `reported` = 1 once the server knows of the
# resolution (the resolving push was answered, or the notice was closed elsewhere).


@migrations()
def m005_conflict_notices(db: Database) -> None:
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN notice_id TEXT")
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN origin TEXT NOT NULL DEFAULT 'push'")
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN other_by TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN reported INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_conflicts_notice ON sync_conflicts (notice_id)")


# --- m006: a visit's index entry follows its target's name ---------------------------------------
#
# A visit is found by its target's name (see FTS), but the index copied that name when the visit
# was written: renaming the target, here or by a pull, left its visits under the old name. And a
# pull may bring a visit before its target (the target changed on the server after the visit), so
# the visit was indexed with no target name at all. Two triggers on service_targets re-index the
# target's visits when a target arrives or its name changes; they find the visits through
# idx_visits_target, and `+deleted` keeps the planner off the indexes that lead with `deleted`
# (with those it scans the whole visits table). The sync engine sets aside only the `*_fts_ai`
# and `*_fts_au` triggers while it indexes a pull page at once, so these stay on during a pull.


def _visit_reindex_statements() -> list[str]:
    columns, _, values = _V1_FTS["visits"]
    cols = ", ".join(columns)
    padded = _v1_padded(values, "v")
    body = f"""DELETE FROM visits_fts WHERE rowid IN (SELECT rowid FROM visits WHERE target_id = new.id);
            INSERT INTO visits_fts (rowid, {cols}) SELECT v.rowid, {padded} FROM visits v
            WHERE v.target_id = new.id AND +v.deleted = 0; END"""
    return [
        f"""CREATE TRIGGER service_targets_visits_fts_ai AFTER INSERT ON service_targets BEGIN
            {body}""",
        f"""CREATE TRIGGER service_targets_visits_fts_au AFTER UPDATE OF name ON service_targets
            WHEN old.name IS NOT new.name BEGIN
            {body}""",
    ]


@migrations()
def m006_visit_index_follows_target_name(db: Database) -> None:
    for statement in _visit_reindex_statements():
        db.execute(statement)
    # Mend the entries already out of step: visits whose target was renamed, or arrived after them.
    columns, _, values = _V1_FTS["visits"]
    name = "coalesce((SELECT name FROM service_targets WHERE id = v.target_id), '') || ' '"
    stale = [
        r[0]
        for r in db.execute(
            "SELECT v.rowid FROM visits v JOIN visits_fts f ON f.rowid = v.rowid WHERE f.target_name IS "
            f"NOT {name}"
        ).fetchall()
    ]
    padded = _v1_padded(values, "v")
    for start in range(0, len(stale), 500):
        part = stale[start : start + 500]
        marks = ",".join("?" * len(part))
        db.execute(f"DELETE FROM visits_fts WHERE rowid IN ({marks})", part)
        db.execute(
            f"INSERT INTO visits_fts (rowid, {', '.join(columns)}) SELECT v.rowid, {padded} FROM visits v "
            f"WHERE v.rowid IN ({marks})",
            part,
        )


_M008_SYNC_COLUMNS = """
    rev INTEGER NOT NULL DEFAULT 0,
    server_seq INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    base_rev INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    is_draft INTEGER NOT NULL DEFAULT 0,
    has_conflict INTEGER NOT NULL DEFAULT 0,
    sync_error TEXT,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT ''
"""


@migrations()
def m008_earned_scores(db: Database) -> None:
    """Scores must be earned: the bureau deactivates a commissioner (a date and a reason) instead of
    deleting them; a visit carries the served party's confirmation link and whether the reviewer
    accepted its signed sheet; the served party's own confirmations and the bureau's published
    results arrive by pull."""
    db.execute("ALTER TABLE commissioners ADD COLUMN deactivated_on TEXT")
    db.execute("ALTER TABLE commissioners ADD COLUMN deactivation_reason TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE visits ADD COLUMN confirm_token TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE visits ADD COLUMN confirm_sheet_accepted INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE reviews ADD COLUMN sheet_accepted INTEGER NOT NULL DEFAULT 0")
    db.execute(
        f"""CREATE TABLE confirmations (
        id TEXT PRIMARY KEY, visit_id TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL DEFAULT 'confirmed',
        satisfaction INTEGER, comment TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '', submitted_at TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX idx_confirmations_visit ON confirmations (visit_id)")
    db.execute(
        f"""CREATE TABLE assessment_results (
        id TEXT PRIMARY KEY, year INTEGER NOT NULL DEFAULT 0, commissioner_id TEXT NOT NULL DEFAULT '',
        total REAL NOT NULL DEFAULT 0, grade TEXT NOT NULL DEFAULT 'fail',
        grade_uncapped TEXT NOT NULL DEFAULT 'fail', parts TEXT NOT NULL DEFAULT '[]',
        figures TEXT NOT NULL DEFAULT '{{}}', rules_title TEXT NOT NULL DEFAULT '',
        population INTEGER NOT NULL DEFAULT 0, published_at TEXT NOT NULL DEFAULT '',
        published_by TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX idx_assessment_results_year ON assessment_results (year, commissioner_id)")
    for table in ("confirmations", "assessment_results"):
        db.execute(f"CREATE INDEX idx_{table}_dirty ON {table} (dirty, is_draft)")
        db.execute(f"CREATE INDEX idx_{table}_seq ON {table} (server_seq)")
        db.execute(
            f"CREATE INDEX idx_{table}_state ON {table} (dirty, is_draft, has_conflict, sync_error, deleted)"
        )
    # The base of a merge keeps every field, the new columns included.
    for table in ("commissioners", "visits", "reviews"):
        db.execute(f"DROP TRIGGER {table}_sync_base")
    for table in ("commissioners", "visits", "reviews", "confirmations", "assessment_results"):
        db.execute(_base_trigger(db, table))


@migrations()
def m009_evidence_previews(db: Database) -> None:
    """Other people's attachment files this computer downloaded (the cache that a limit evicts, least
    recently used first; one's own files are never in it) and the ones asked for while offline
    (state 'wanted': fetched at the next sync). Local only, never synced."""
    db.execute(
        """CREATE TABLE downloaded_files (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'done',
        downloaded_at TEXT NOT NULL DEFAULT '', last_used_at TEXT NOT NULL DEFAULT '')"""
    )
    db.execute("CREATE INDEX idx_downloaded_files_used ON downloaded_files (state, last_used_at)")


@migrations()
def m010_shared_targets_agreements(db: Database) -> None:
    """Service targets are shared in a team: a target found to be a duplicate names the one it was
    merged into (its records follow it). Service agreements get a status and free-text deliverables
    (the signed copy is an attachment of the agreement)."""
    db.execute("ALTER TABLE service_targets ADD COLUMN merged_into TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE service_agreements ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'")
    db.execute("ALTER TABLE service_agreements ADD COLUMN deliverables TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX idx_targets_credit_code ON service_targets (credit_code)")
    db.execute("CREATE INDEX idx_targets_merged_into ON service_targets (merged_into)")
    db.execute("CREATE INDEX idx_problems_target ON problems (target_id)")
    db.execute("CREATE INDEX idx_agreements_target ON service_agreements (target_id)")
    # The base of a merge keeps every field, the new columns included.
    for table in ("service_targets", "service_agreements"):
        db.execute(f"DROP TRIGGER IF EXISTS {table}_sync_base")
        db.execute(_base_trigger(db, table))


@migrations()
def m011_organisation(db: Database) -> None:
    """The bureau's organisation (sync/server/admin.py): a team's industry and the counties it
    serves, a workstation's host unit, a commissioner's gender from the roster."""
    db.execute("ALTER TABLE teams ADD COLUMN industry TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE teams ADD COLUMN counties TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE workstations ADD COLUMN host_unit TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE commissioners ADD COLUMN gender TEXT NOT NULL DEFAULT ''")
    # The base of a merge keeps every field, the new columns included.
    for table in ("commissioners", "teams", "workstations"):
        db.execute(f"DROP TRIGGER {table}_sync_base")
        db.execute(_base_trigger(db, table))


def _sync_state_indexes(db: Database, table: str) -> None:
    """The indexes sync reads a synced table by (what is dirty, the server's order, the state
    shown), as m008 made them for its tables."""
    db.execute(f"CREATE INDEX idx_{table}_dirty ON {table} (dirty, is_draft)")
    db.execute(f"CREATE INDEX idx_{table}_seq ON {table} (server_seq)")
    db.execute(
        f"CREATE INDEX idx_{table}_state ON {table} (dirty, is_draft, has_conflict, sync_error, deleted)"
    )


@migrations()
def m012_projects_achievements(db: Database) -> None:
    """The city plan's 揭榜挂帅 projects (the bureau publishes, commissioners and teams apply, one is
    awarded, milestones, acceptance) and the achievements register (成果转化: technology contracts);
    visits, problems and solutions may name the project they serve."""
    for table in ("visits", "problems", "solutions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN project_id TEXT")
        db.execute(f"CREATE INDEX idx_{table}_project ON {table} (project_id)")
    db.execute(
        f"""CREATE TABLE projects (
        id TEXT PRIMARY KEY, demand_id TEXT, title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '', requirements TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '', budget REAL NOT NULL DEFAULT 0,
        deadline TEXT, status TEXT NOT NULL DEFAULT 'published', awarded_application_id TEXT,
        awarded_commissioner_id TEXT, awarded_team_id TEXT, acceptance TEXT NOT NULL DEFAULT '',
        acceptance_opinion TEXT NOT NULL DEFAULT '', accepted_on TEXT,
        published_by TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute(
        f"""CREATE TABLE project_applications (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL DEFAULT '', commissioner_id TEXT NOT NULL DEFAULT '',
        team_id TEXT, plan TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'submitted',
        submitted_on TEXT, {_M008_SYNC_COLUMNS})"""
    )
    db.execute(
        f"""CREATE TABLE project_milestones (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL DEFAULT '', commissioner_id TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '', due_date TEXT, done INTEGER NOT NULL DEFAULT 0, done_on TEXT,
        evidence TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute(
        f"""CREATE TABLE achievements (
        id TEXT PRIMARY KEY, commissioner_id TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'technology', mode TEXT NOT NULL DEFAULT 'transfer',
        contract_no TEXT NOT NULL DEFAULT '', contract_value REAL NOT NULL DEFAULT 0, contract_date TEXT,
        transferor TEXT NOT NULL DEFAULT '', transferee TEXT NOT NULL DEFAULT '', target_id TEXT,
        visit_ids TEXT NOT NULL DEFAULT '[]', problem_ids TEXT NOT NULL DEFAULT '[]', project_id TEXT,
        note TEXT NOT NULL DEFAULT '', review_status TEXT NOT NULL DEFAULT '',
        review_opinion TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX idx_project_applications_project ON project_applications (project_id)")
    db.execute("CREATE INDEX idx_project_milestones_project ON project_milestones (project_id)")
    db.execute("CREATE INDEX idx_achievements_commissioner ON achievements (commissioner_id, contract_date)")
    new = ("projects", "project_applications", "project_milestones", "achievements")
    for table in new:
        _sync_state_indexes(db, table)
    # The base of a merge keeps every field, the new columns included.
    for table in ("visits", "problems", "solutions"):
        db.execute(f"DROP TRIGGER {table}_sync_base")
    for table in ("visits", "problems", "solutions", *new):
        db.execute(_base_trigger(db, table))


@migrations()
def m013_team_assessment(db: Database) -> None:
    """Teams and workstations are assessed too: the bonuses (加分项) granted to them and the
    exemplars (先进典型) the bureau names arrive by sync."""
    db.execute(
        f"""CREATE TABLE bonus_points (
        id TEXT PRIMARY KEY, year INTEGER NOT NULL DEFAULT 0, subject_kind TEXT NOT NULL DEFAULT 'team',
        subject_id TEXT NOT NULL DEFAULT '', points REAL NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending', review_opinion TEXT NOT NULL DEFAULT '',
        entered_by TEXT NOT NULL DEFAULT '', reviewed_by TEXT NOT NULL DEFAULT '',
        reviewed_at TEXT NOT NULL DEFAULT '', {_M008_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX idx_bonus_points_year ON bonus_points (year, subject_kind, subject_id)")
    db.execute(
        f"""CREATE TABLE exemplars (
        id TEXT PRIMARY KEY, year INTEGER NOT NULL DEFAULT 0,
        subject_kind TEXT NOT NULL DEFAULT 'commissioner', subject_id TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '', citation TEXT NOT NULL DEFAULT '',
        nominated_by TEXT NOT NULL DEFAULT '', nominated_at TEXT NOT NULL DEFAULT '',
        {_M008_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX idx_exemplars_year ON exemplars (year, subject_kind, subject_id)")
    for table in ("bonus_points", "exemplars"):
        _sync_state_indexes(db, table)
        db.execute(_base_trigger(db, table))


@migrations()
def m014_fts_pending(db: Database) -> None:
    """The rows a sync's pull wrote whose full-text index is still to be made (Store.index_pending):
    a pull stores records while the network is there and leaves indexing them, which needs none,
    to the first search or to the application once the sync is over."""
    db.execute(
        "CREATE TABLE fts_pending (table_name TEXT NOT NULL, row_id INTEGER NOT NULL, "
        "PRIMARY KEY (table_name, row_id)) WITHOUT ROWID"
    )


# --- m015: sync state kept at less cost ----------------------------------------------------------
#
# Marking a pushed record clean (and every other update of `dirty`) had SQLite copy the whole old
# row for each table's sync_base trigger, which named every column as old.<column>, even though the
# trigger fires only when a clean record is first edited: a BEFORE trigger reads the row itself
# (still the old one then) and only when it fires. And each synced table had two indexes on
# (dirty, is_draft, ...): the shorter one, a prefix of the sync state index, is dropped. A push of
# 17,715 records marks them clean with a fifth less work; every save updates one index fewer.
# (m017 replaced this trigger: see _base_trigger_v3.)


def _base_trigger_v2(db: Database, table: str, watched: str = "dirty") -> str:
    pairs = ", ".join(f"'{c}', {c}" for c in _record_columns(db, table))
    return f"""CREATE TRIGGER {table}_sync_base BEFORE UPDATE OF {watched} ON {table}
        WHEN old.dirty = 0 AND new.dirty = 1 AND old.rev > 0 BEGIN
        INSERT OR REPLACE INTO sync_base (table_name, record_id, rev, fields)
        SELECT '{table}', id, rev, json_object({pairs}) FROM {table} WHERE rowid = old.rowid; END"""


@migrations()
def m015_cheaper_sync_state(db: Database) -> None:
    for table in _base_trigger_tables(db):
        db.execute(f"DROP TRIGGER {table}_sync_base")
        db.execute(_base_trigger_v2(db, table))
    for (index,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx%dirty' ORDER BY name"
    ).fetchall():
        table = index[len("idx_") : -len("_dirty")]
        if db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [f"idx_{table}_state"]
        ).fetchone():
            db.execute(f"DROP INDEX {index}")


@migrations()
def m016_review_evidence_seq(db: Database) -> None:
    """A review says how far its reviewer's laptop had pulled (Review.evidence_seq): the server
    refuses an approval of a record whose evidence changed after that."""
    db.execute("ALTER TABLE reviews ADD COLUMN evidence_seq INTEGER NOT NULL DEFAULT 0")
    if db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'reviews_sync_base'"
    ).fetchone():
        db.execute("DROP TRIGGER reviews_sync_base")
        db.execute(_base_trigger_v2(db, "reviews"))


# --- m017: the base trigger leaves a push's answer alone ------------------------------------------
#
# The trigger fired on every update naming `dirty`, so marking each pushed record clean ran it (its
# WHEN clause is checked inside the trigger's own program, which SQLite sets up for every row): 21
# of the 69 thousand instructions that UPDATE took a row, 8 % of a first push's work on the laptop.
# It now fires on the updates that can make a clean record dirty: those naming one of the record's
# columns, its deletion or its edit time. Every edit the application makes names one of them (a save
# writes every column and updated_at, a deletion `deleted`, a merge the target_id it re-points, a
# conflict resolved updated_at); the answer of a push names only the sync columns (rev, base_rev,
# server_seq, dirty, sync_error, has_conflict). Its WHEN clause, and so what it does when it fires,
# is the same. An update that sets dirty = 1 and nothing else keeps no base: making a record wait to
# be sent again as new (sync/recovery.py: rev 0) needs none.
# A later migration that adds columns to a synced table re-creates its trigger with _base_trigger_v3.


def _base_trigger_v3(db: Database, table: str) -> str:
    return _base_trigger_v2(db, table, ", ".join([*_record_columns(db, table), "deleted", "updated_at"]))


def _base_trigger_tables(db: Database) -> list[str]:
    """The synced tables that have a sync_base trigger."""
    return [
        r[0]
        for r in db.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = tbl_name || '_sync_base' "
            "ORDER BY tbl_name"
        ).fetchall()
    ]


@migrations()
def m017_base_trigger_on_edits(db: Database) -> None:
    for table in _base_trigger_tables(db):
        db.execute(f"DROP TRIGGER {table}_sync_base")
        db.execute(_base_trigger_v3(db, table))


# --- m018: the visits with a signed sheet, found without reading every visit ----------------------
# A sync's evidence step lists the files the records on this computer name (sync/evidence.py): the
# visits' signed confirmation sheets were found by reading every visit, in every sync, one with
# nothing to do too (25 ms at 10,000 visits). This index holds only the visits that have a sheet.


@migrations()
def m018_visits_with_a_sheet(db: Database) -> None:
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_visits_sheet ON visits (deleted, confirm_sheet_sha256) "
        "WHERE confirm_sheet_sha256 != ''"
    )


@migrations()
def m019_commissioner_county(db: Database) -> None:
    """A commissioner's own county (the account's, from the bureau's roster): one without a team or
    workstation had none in the assessment, the exports and the annual record."""
    db.execute("ALTER TABLE commissioners ADD COLUMN county TEXT NOT NULL DEFAULT ''")
    db.execute("DROP TRIGGER commissioners_sync_base")
    db.execute(_base_trigger(db, "commissioners"))
