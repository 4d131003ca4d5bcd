"""Sync operations and queries the GUI and the CLI share (Qt-free): what waits, what was refused,
what collides, and which record kinds a sync changed."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from commissioner_app import schema
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store
from sync import session
from sync.conflicts import resolve
from sync.engine import META_LAST_SYNC, SyncEngine, SyncProgress, SyncReport

# What the next sync sends; records held back (a conflict, a rejection) need the user first.
SENDABLE = "dirty = 1 AND is_draft = 0 AND has_conflict = 0 AND sync_error IS NULL"


META_LAST_REPORT = "last_sync_report"  # the last sync's result, shown on the sync page after a restart


def report_dict(report: SyncReport, changed: list[str]) -> dict[str, Any]:
    """What the sync page shows of a finished sync (kept in meta as JSON)."""
    return {
        "pushed": report.pushed,
        "merged": report.merged,
        "pulled": report.pulled,
        "deleted": report.deleted,
        "conflicts": report.conflicts,
        "rejected": report.rejected,
        "kept_local": report.kept_local,
        "attachments_uploaded": report.attachments_uploaded,
        "cancelled": report.cancelled,
        "seconds": round(report.seconds, 2),
        "problems": [{"zh": m.zh, "en": m.en} for m in report.problems],
        "changed_tables": changed,
    }


def run_sync(
    store: Store,
    *,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: threading.Event | None = None,
    client_options: dict[str, Any] | None = None,
    engine_options: dict[str, Any] | None = None,
) -> OpResult[dict[str, Any]]:
    """Push, upload, pull for the logged-in account; the result as the sync page shows it (also kept
    in meta for the next start) and the record kinds it changed. A failure carries `changes` too:
    what was done before it stays done, and the lists still need to show it."""
    before = table_marks(store)
    client = session.open_client(store, **(client_options or {}))
    engine = SyncEngine(store, client, **(engine_options or {}))
    try:
        report = engine.sync(progress=progress, cancel=cancel)
    except Exception as exc:
        exc.changes = changed_between(before, table_marks(store))  # type: ignore[attr-defined]
        raise
    changes = changed_between(before, table_marks(store))
    return OpResult(keep_report(store, report, sorted(changes.tables)), changes)


def keep_report(store: Store, report: SyncReport, changed: list[str]) -> dict[str, Any]:
    """A finished sync's result as the sync page shows it, kept in meta (the application's own
    syncs and `commissioner sync`'s alike: the page shows the last, whichever ran it)."""
    result = report_dict(report, changed)
    result["finished_at"] = store.get_meta(META_LAST_SYNC) if not report.cancelled else None
    store.set_meta(META_LAST_REPORT, json.dumps(result, ensure_ascii=False))
    return result


def sendable_counts(store: Store) -> dict[str, int]:
    """Per synced table, the records the next sync sends."""
    return {
        table: int(store.db.execute(f"SELECT count(*) FROM {table} WHERE {SENDABLE}").fetchone()[0])
        for table in schema.SYNCED_TABLES
    }


def table_marks(store: Store) -> dict[str, tuple[Any, ...]]:
    """A cheap fingerprint of each synced table, to tell which ones a sync changed."""
    return {
        table: tuple(
            store.db.execute(
                "SELECT count(*), max(server_seq), sum(dirty), sum(has_conflict), count(sync_error) "
                f"FROM {table}"
            ).fetchone()
        )
        for table in schema.SYNCED_TABLES
    }


def changed_between(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> OpChanges:
    return OpChanges.of_tables(t for t in schema.SYNCED_TABLES if before.get(t) != after.get(t))


def linked_text(store: Store, table: str, column: str, record_id: str) -> str | None:
    """One column of a linked record (a visit's target name, a problem's title), None when absent."""
    if table not in schema.SYNCED_TABLES or not column.isidentifier():
        raise ValueError(f"not a synced column: {table}.{column}")
    found = store.db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [record_id]).fetchone()
    return str(found[0]) if found and found[0] else None


def rejected_rows(store: Store, limit: int = 200) -> list[tuple[str, dict[str, Any]]]:
    """(table, row) of records the server refused (they stay here until edited and sent again)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for table in schema.SYNCED_TABLES:
        cursor = store.db.execute(
            f"SELECT * FROM {table} WHERE {_REFUSED} LIMIT ?",
            [limit - len(found)],
        )
        names = [d[0] for d in cursor.description]
        found += [(table, dict(zip(names, values, strict=True))) for values in cursor.fetchall()]
        if len(found) >= limit:
            break
    return found


# Refused records. The flags before sync_error (0 or 1 each) are named so that SQLite reads the sync
# state index (dirty, is_draft, has_conflict, sync_error, deleted) instead of every row: after every
# sync the count was a scan of all tables (10 ms for 10,000 visits, 1 ms so).
_REFUSED = (
    "dirty IN (0, 1) AND is_draft IN (0, 1) AND has_conflict IN (0, 1) AND sync_error IS NOT NULL "
    "AND deleted = 0"
)


def rejected_count(store: Store) -> int:
    """How many records the server refused (they wait for the user to edit them)."""
    return sum(
        int(store.db.execute(f"SELECT count(*) FROM {t} WHERE {_REFUSED}").fetchone()[0])
        for t in schema.SYNCED_TABLES
    )


def open_conflicts(store: Store) -> list[tuple[str, str, int]]:
    """(table, record id, open fields) of every record with open conflicts, oldest first."""
    return [
        (t, r, int(n))
        for t, r, n in store.db.execute(
            "SELECT table_name, record_id, count(*) FROM sync_conflicts WHERE resolved_at IS NULL "
            "GROUP BY table_name, record_id ORDER BY min(id)"
        ).fetchall()
    ]


def resolve_conflicts(store: Store, table: str, choices: dict[int, str]) -> OpResult[int]:
    """Keep "local" or "server" for each conflicting field of one record of `table`."""
    for conflict_id, keep in choices.items():
        resolve(store, conflict_id, keep)  # type: ignore[arg-type]
    return OpResult(len(choices), OpChanges.of(table, "sync_conflicts"))
