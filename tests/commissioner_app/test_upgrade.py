"""A data directory written by the first released schema opens in this version with nothing lost.

tests/fixtures/schema_v1/ was made once by tests/fixtures/make_schema_v1.py when m001 was the only
migration; expected.json holds every row as that version wrote it. A later migration may add
columns and tables; it must not change or drop what was there.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from commissioner_app import schema
from commissioner_app.attachments import attachments_of, blob_path, thumbnail_path, verify_blob
from commissioner_app.domain import Solution, TechnicalProblem, Visit
from commissioner_app.paths import DB_FILENAME
from commissioner_app.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def upgraded(tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir, ignore=shutil.ignore_patterns("expected.json"))
    store = Store.open(data_dir)
    yield store
    store.close()


def _key(table: str) -> str:
    return "key" if table == "meta" else "id"


def test_every_row_the_first_version_wrote_is_intact(upgraded: Store):
    _assert_rows_intact(upgraded)


def _assert_rows_intact(upgraded: Store) -> None:
    for table, rows in EXPECTED["tables"].items():
        key = _key(table)
        for old in rows:
            cursor = upgraded.db.execute(f"SELECT * FROM {table} WHERE {key} = ?", [old[key]])
            found = cursor.fetchone()
            assert found is not None, f"{table} {old[key]} lost"
            now = dict(zip([d[0] for d in cursor.description], found, strict=True))
            # New columns may have been added; every old one keeps its value.
            assert {k: now.get(k) for k in old} == old, f"{table} {old[key]} changed"


def test_unsent_changes_and_drafts_are_still_waiting(upgraded: Store):
    waiting = [
        (t, r["id"])
        for t in schema.SYNCED_TABLES
        for r in EXPECTED["tables"].get(t, [])
        if r["dirty"] == 1 and r["is_draft"] == 0
    ]
    assert waiting, "the fixture has unsent changes"
    assert upgraded.waiting_to_sync() == len(waiting)
    for table, record_id in waiting:
        assert upgraded.row(table, record_id)["dirty"] == 1
    drafts = [r["id"] for r in EXPECTED["tables"]["visits"] if r["is_draft"]]
    assert [upgraded.row("visits", i)["sync_state"] for i in drafts] == ["draft"]
    conflicts = [r["id"] for r in EXPECTED["tables"]["service_targets"] if r["has_conflict"]]
    assert [upgraded.row("service_targets", i)["sync_state"] for i in conflicts] == ["conflict"]


def test_records_read_through_the_current_domain(upgraded: Store):
    visits = {r["id"]: r for r in EXPECTED["tables"]["visits"] if not r["deleted"]}
    for visit_id, old in visits.items():
        visit = upgraded.require(Visit, visit_id)
        assert visit.content == old["content"]
        assert visit.service_types == json.loads(old["service_types"])
    deleted = [r["id"] for r in EXPECTED["tables"]["visits"] if r["deleted"]]
    assert deleted and all(upgraded.get(Visit, i) is None for i in deleted)
    problem = upgraded.require(TechnicalProblem, EXPECTED["tables"]["problems"][0]["id"])
    assert [s.id for s in upgraded.solutions_of_problem(problem.id)] == [
        r["id"] for r in EXPECTED["tables"]["solutions"]
    ]
    assert upgraded.require(Solution, EXPECTED["tables"]["solutions"][0]["id"]).confirmed is True
    assert upgraded.profile() is not None
    assert upgraded.profile().id == EXPECTED["tables"]["commissioners"][0]["id"]


def test_search_index_still_finds_old_records(upgraded: Store):
    hits = upgraded.search("疏花疏果")
    assert any(h.kind == "visits" for h in hits)
    assert upgraded.search("腐烂病")


def test_attachments_are_intact(upgraded: Store):
    for old in EXPECTED["tables"]["attachments"]:
        assert verify_blob(upgraded, old["sha256"], old["original_name"]) is None
        assert blob_path(upgraded, old["sha256"]).is_file()
        assert thumbnail_path(upgraded, old["sha256"]).is_file()
        assert [a.id for a in attachments_of(upgraded, old["owner_table"], old["owner_id"])] == [old["id"]]
    assert upgraded.check() == []


def test_a_dated_backup_is_made_if_and_only_if_a_migration_ran(upgraded: Store):
    _assert_backup_iff_migrated(upgraded)


def test_a_later_migration_backs_up_first_and_keeps_every_row(tmp_path: Path, monkeypatch):
    """What the tests above check once an m002 exists, tried now with a stand-in migration."""

    def m002_visit_weather(db):
        db.execute("ALTER TABLE visits ADD COLUMN weather TEXT NOT NULL DEFAULT ''")

    later = schema.migrations._Migration("m002_visit_weather", m002_visit_weather)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, later])
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir, ignore=shutil.ignore_patterns("expected.json"))
    store = Store.open(data_dir)
    try:
        assert "weather" in store.db["visits"].columns_dict
        _assert_rows_intact(store)
        _assert_backup_iff_migrated(store)
    finally:
        store.close()


def _assert_backup_iff_migrated(upgraded: Store) -> None:
    pending = [m.name for m in schema.migrations._migrations if m.name not in EXPECTED["migrations"]]
    applied = [m.name for m in schema.migrations.applied(upgraded.db)]
    assert applied == [*EXPECTED["migrations"], *pending]
    assert upgraded.data_dir is not None
    backups = sorted((upgraded.data_dir / "backups").glob("commissioner-*-before-*.db"))
    if not pending:
        assert backups == []
        return
    assert len(backups) == 1 and backups[0].name.endswith(f"-before-{pending[0]}.db")
    # The backup is the database as the old version left it: old schema, same rows.
    conn = sqlite3.connect(backups[0])
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert names == EXPECTED["migrations"]
        for table, rows in EXPECTED["tables"].items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(rows)
    finally:
        conn.close()


def test_opening_again_changes_nothing_more(upgraded: Store):
    assert upgraded.data_dir is not None
    upgraded.close()
    before = (
        sorted((upgraded.data_dir / "backups").glob("*")) if (upgraded.data_dir / "backups").exists() else []
    )
    again = Store.open(upgraded.data_dir)
    after = sorted((again.data_dir / "backups").glob("*")) if (again.data_dir / "backups").exists() else []
    assert after == before, "a second start must not migrate or back up again"
    assert again.waiting_to_sync() == sum(
        1
        for t in schema.SYNCED_TABLES
        for r in EXPECTED["tables"].get(t, [])
        if r["dirty"] and not r["is_draft"]
    )
    again.close()


def test_a_database_of_the_previous_version_keeps_its_rows_and_mends_its_search_index(tmp_path: Path):
    """Written by m001–m005, with the index out of step as that version left it: a target renamed
    after its visits were written, and a visit written before its target (as a pull may bring them)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = Database(sqlite3.connect(str(data_dir / DB_FILENAME)))
    schema.migrations.apply(db, stop_before="m006_visit_index_follows_target_name")
    db.execute(
        "INSERT INTO service_targets (id, name, county, rev, dirty) VALUES "
        "('t1', '双水陈皮专业合作社', '新会区', 3, 0)"
    )
    db.execute(
        "INSERT INTO visits (id, target_id, visit_date, content, county, rev, dirty) VALUES "
        "('v1', 't1', '2026-03-01', '指导陈皮晒制', '新会区', 2, 0), "
        "('v2', 't1', '2026-03-08', '讲解陈化仓储', '新会区', 0, 1), "
        "('v3', 't2', '2026-04-02', '调研鳗鱼养殖', '台山市', 1, 0)"
    )
    db.execute("UPDATE service_targets SET name = '江门柑普茶产业园', dirty = 1 WHERE id = 't1'")
    db.execute(
        "INSERT INTO service_targets (id, name, county, rev, dirty) VALUES ('t2', '大泽镇五和村', '台山市', "
        "1, 0)"
    )
    db.execute("INSERT INTO problems (id, target_id, visit_id, title) VALUES ('p1', 't1', 'v1', '陈皮霉变')")
    db.conn.commit()
    before = {
        t: [dict(r) for r in db.query(f"SELECT * FROM {t} ORDER BY rowid")]
        for t in ("service_targets", "visits", "problems", "sync_base")
    }
    assert before["sync_base"], "the rename was recorded as a local change of a synced target"
    db.conn.close()

    store = Store.open(data_dir)
    try:
        for table, rows in before.items():
            after = [dict(r) for r in store.db.query(f"SELECT * FROM {table} ORDER BY rowid")]
            assert [{k: r[k] for k in old} for r, old in zip(after, rows, strict=True)] == rows, table
        assert list((data_dir / "backups").glob("*-before-m006_visit_index_follows_target_name.db"))

        def found(text: str) -> set[str]:
            return {h.id for h in store.search(text) if h.kind == "visits"}

        assert found("柑普茶") == {"v1", "v2"}
        assert found("双水陈皮") == set()
        assert found("五和村") == {"v3"}
        assert found("晒制") == {"v1"}
        store.db.execute("UPDATE service_targets SET name = '台山鳗鱼合作社' WHERE id = 't2'")
        assert found("鳗鱼合作社") == {"v3"} and found("五和村") == set()
    finally:
        store.close()
