"""The local database's definitions: released migrations never change, and the full-text index is
defined once (its triggers and the pull's bulk indexing agree)."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from sqlite_utils import Database

from commissioner_app import schema
from commissioner_app.store import Store

# The statements each released migration executes on a new database, by checksum. A released
# migration must never change (a database made by an older version has run it already): add a
# migration instead. Only a new migration gets a new line here.
RELEASED = {
    "m001_initial": "5be5c7979dee9e69ddeea7ea3337352faaf1076d15d5fbfb49e33f1bd7d2fc7c",
    "m002_sync_state_indexes": "5cea059faa29bb2aa79a787f897b12e1590fea1a111df37e29143101d06acf53",
    "m003_activity_indexes": "8bb4acfa35431985015aa5dcd41a387ca00021c699cc72dbaead0abf6814c0ac",
    "m004_sync_base": "a01137c01648499655f6c63e93a23188d326049111e666fc9e92be929c9c0bfc",
    "m005_conflict_notices": "7c57e6ef9b68a6900dc0088376ab52d271fe39962c4dba967be4e68ed61d39da",
    "m006_visit_index_follows_target_name": (
        "6caffd7107bd88c769298e46a40e347b151b05e45369cb5bdeda5ce2be8c5721"
    ),
}


def statements_of_each_migration() -> dict[str, str]:
    """Run every migration on a new in-memory database; the checksum of the statements each executed."""
    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    found = {}
    for migration in schema.migrations._migrations:
        seen.clear()
        migration.fn(db)
        text = "\n;\n".join(s.strip() for s in seen)
        found[migration.name] = hashlib.sha256(text.encode()).hexdigest()
    conn.close()
    return found


def test_released_migrations_execute_the_statements_they_were_released_with():
    found = statements_of_each_migration()
    for name, checksum in RELEASED.items():
        assert found[name] == checksum, f"{name} changed: a released migration must never change"


def test_changing_the_current_definitions_changes_no_released_migration(monkeypatch):
    monkeypatch.setattr(schema, "SYNCED_TABLES", (*schema.SYNCED_TABLES, "harvests"))
    monkeypatch.setattr(
        schema, "SYNC_COLUMNS", schema.SYNC_COLUMNS + ",\n    origin TEXT NOT NULL DEFAULT ''"
    )
    visits = schema.FTS["visits"]
    changed = schema.FtsIndex(
        visits.table, (*visits.columns, "remark"), visits.sources, visits.values + ", new.id"
    )
    monkeypatch.setattr(schema, "FTS", {**schema.FTS, "visits": changed})
    found = statements_of_each_migration()
    for name, checksum in RELEASED.items():
        assert found[name] == checksum, f"{name} follows the current definitions; it must keep its own copy"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.mark.parametrize("table", sorted(schema.FTS))
def test_the_current_full_text_definition_is_what_the_database_has(store: Store, table: str):
    statements = schema.FTS[table].statements()
    names = [f"{table}_fts", f"{table}_fts_vocab", f"{table}_fts_ai", f"{table}_fts_ad", f"{table}_fts_au"]
    for name, statement in zip(names, statements, strict=True):
        sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
        assert sql == statement


def test_bulk_indexing_indexes_a_row_as_its_trigger_does(store: Store):
    db = store.db
    db.execute(
        "INSERT INTO service_targets (id, name, county, town) VALUES ('t1', '红星合作社', '兴国县', '埠头乡')"
    )
    db.execute(
        "INSERT INTO visits (id, target_id, county, town, village, content, industry, deleted) "
        "VALUES ('v1', 't1', '兴国县', '埠头乡', '凤凰村', '脐橙黄龙病防治', '柑橘', 0)"
    )
    by_trigger = db.execute(
        "SELECT * FROM visits_fts WHERE rowid = (SELECT rowid FROM visits WHERE id = 'v1')"
    )
    expected = by_trigger.fetchall()
    assert expected and expected[0][0] == "红星合作社 "
    index = schema.FTS["visits"]
    rowid = db.execute("SELECT rowid FROM visits WHERE id = 'v1'").fetchone()[0]
    db.execute("DELETE FROM visits_fts WHERE rowid = ?", [rowid])
    assert db.execute("SELECT count(*) FROM visits_fts").fetchone()[0] == 0
    db.execute(index.index_rowids("?"), [rowid])
    again = db.execute("SELECT * FROM visits_fts WHERE rowid = (SELECT rowid FROM visits WHERE id = 'v1')")
    assert again.fetchall() == expected


@pytest.mark.parametrize("table", sorted(schema.SYNCED_TABLES))
def test_the_first_edit_of_a_synced_record_keeps_the_servers_version_as_its_base(store: Store, table: str):
    """Every synced table's trigger keeps the version the server has (the row as it was) when a clean,
    synced record is first edited, and only then: not when it is marked clean after a push, and not
    on a second edit. (It reads the row itself before the update, m015.)"""
    db = store.db
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
    text_column = next(
        c
        for c, kind, notnull in ((r[1], r[2], r[3]) for r in db.execute(f"PRAGMA table_info({table})"))
        if kind == "TEXT" and notnull and c not in ("id", "created_at", "updated_at", "updated_by")
    )
    db.execute(
        f"INSERT INTO {table} (id, {text_column}, rev, dirty) VALUES ('r1', 'as the server has it', 1, 0)"
    )
    assert "dirty" in columns and db.execute("SELECT count(*) FROM sync_base").fetchone()[0] == 0
    db.execute(f"UPDATE {table} SET {text_column} = 'edited here', dirty = 1 WHERE id = 'r1'")
    rev, fields = db.execute("SELECT rev, fields FROM sync_base WHERE record_id = 'r1'").fetchone()
    assert rev == 1 and json.loads(fields)[text_column] == "as the server has it"
    db.execute(f"UPDATE {table} SET {text_column} = 'edited again', dirty = 1 WHERE id = 'r1'")
    db.execute(f"UPDATE {table} SET rev = 2, base_rev = 2, dirty = 0 WHERE id = 'r1'")  # pushed, clean
    (fields,) = db.execute("SELECT fields FROM sync_base WHERE record_id = 'r1'").fetchone()
    assert json.loads(fields)[text_column] == "as the server has it"
    assert db.execute("SELECT count(*) FROM sync_base").fetchone()[0] == 1


# The updates that make a clean, synced record dirty, as the application writes them (store.py,
# targets.py, sync/conflicts.py): each must keep the server's version as the record's base.
EDITS = {
    "a save": "UPDATE visits SET content = 'edited here', updated_at = 'now', dirty = 1 WHERE id = 'v1'",
    "a deletion": "UPDATE visits SET deleted = 1, dirty = 1, sync_error = NULL, base_rev = 1, "
    "updated_at = 'now', updated_by = 'me' WHERE id = 'v1'",
    "a merge re-pointing it": "UPDATE visits SET target_id = 't2', dirty = 1 WHERE id = 'v1'",
    "a time alone": "UPDATE visits SET has_conflict = 0, dirty = 1, sync_error = NULL, "
    "base_rev = max(base_rev, 1), updated_at = 'now' WHERE id = 'v1'",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_kind_of_local_edit_keeps_the_base_and_marking_clean_keeps_none(store: Store, edit: str):
    db = store.db
    db.execute(
        "INSERT INTO visits (id, target_id, content, rev, base_rev, dirty) "
        "VALUES ('v1', 't1', 'as the server has it', 1, 1, 0)"
    )
    db.execute(EDITS[edit])
    rev, fields = db.execute("SELECT rev, fields FROM sync_base WHERE record_id = 'v1'").fetchone()
    assert rev == 1 and json.loads(fields)["content"] == "as the server has it"
    assert json.loads(fields)["target_id"] == "t1"
    # Pushed: the answer marks it clean at the server's new revision, as the push writes it.
    db.execute("DELETE FROM sync_base")
    db.execute(
        "UPDATE visits SET rev = 2, base_rev = 2, server_seq = 7, dirty = 0, sync_error = NULL, "
        "has_conflict = 0 WHERE id = 'v1' AND updated_at IS updated_at"
    )
    assert db.execute("SELECT count(*) FROM sync_base").fetchone()[0] == 0


def test_a_database_from_before_m017_gets_the_trigger_that_watches_edits(tmp_path):
    """Made by the version before (its trigger fired on every update of `dirty`): opened by this one,
    its rows are kept and an edit still keeps the base, a push's answer no longer runs the trigger."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = Database(sqlite3.connect(str(data_dir / "commissioner.db")))
    schema.migrations.apply(db, stop_before="m017_base_trigger_on_edits")
    db.execute(
        "INSERT INTO visits (id, content, rev, base_rev, dirty) VALUES ('v1', '指导陈皮晒制', 3, 3, 0), "
        "('v2', '讲解陈化仓储', 0, 0, 1)"
    )
    db.conn.commit()
    db.conn.close()
    store = Store.open(data_dir)
    try:
        rows = store.db.execute("SELECT id, content, rev, dirty FROM visits ORDER BY id").fetchall()
        assert rows == [("v1", "指导陈皮晒制", 3, 0), ("v2", "讲解陈化仓储", 0, 1)]
        (sql,) = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'visits_sync_base'").fetchone()
        assert "UPDATE OF dirty" not in sql and "updated_at" in sql
        store.db.execute("UPDATE visits SET content = '改了', updated_at = 'now', dirty = 1 WHERE id = 'v1'")
        (fields,) = store.db.execute("SELECT fields FROM sync_base WHERE record_id = 'v1'").fetchone()
        assert json.loads(fields)["content"] == "指导陈皮晒制"
    finally:
        store.close()


def test_the_shorter_sync_state_indexes_are_gone_and_the_state_index_serves_their_queries(store: Store):
    db = store.db
    assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'idx%dirty'").fetchall()
    for table in schema.SYNCED_TABLES:
        plan = " ".join(
            str(r[3])
            for r in db.execute(
                f"EXPLAIN QUERY PLAN SELECT rowid FROM {table} WHERE dirty = 1 AND is_draft = 0 "
                "AND has_conflict = 0 AND sync_error IS NULL AND rowid > 0 ORDER BY rowid LIMIT 500"
            )
        )
        assert f"idx_{table}_state" in plan or "PRIMARY KEY" in plan or "INTEGER PRIMARY" in plan, (
            table,
            plan,
        )


def test_a_database_from_before_m018_finds_the_signed_sheets_by_an_index(tmp_path):
    """The evidence step of every sync lists the visits' signed sheets: read from an index of the
    visits that have one, not by going through every visit; the rows made before are all kept."""
    from sync.evidence import _evidence_hashes

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = Database(sqlite3.connect(str(data_dir / "commissioner.db")))
    schema.migrations.apply(db, stop_before="m018_visits_with_a_sheet")
    sheet, gone = "a" * 64, "b" * 64
    db.execute(
        "INSERT INTO visits (id, content, confirm_sheet_sha256, deleted) VALUES "
        "('v1', '指导陈皮晒制', ?, 0), ('v2', '讲解陈化仓储', '', 0), ('v3', '已删除', ?, 1)",
        [sheet, gone],
    )
    db.conn.commit()
    db.conn.close()
    store = Store.open(data_dir)
    try:
        assert store.db.execute("SELECT id FROM visits ORDER BY id").fetchall() == [("v1",), ("v2",), ("v3",)]
        assert _evidence_hashes(store) == [sheet]
        plan = " ".join(
            str(r[3])
            for r in store.db.execute(
                "EXPLAIN QUERY PLAN SELECT confirm_sheet_sha256 FROM visits "
                "WHERE deleted = 0 AND confirm_sheet_sha256 != ''"
            )
        )
        assert "idx_visits_sheet" in plan
    finally:
        store.close()
