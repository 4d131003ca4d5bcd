"""Backup and restore: one file holds everything, and a bad file never replaces good data."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from commissioner_app import backup as backup_module
from commissioner_app import schema
from commissioner_app.attachments import add_attachment, attachments_of, verify_blob
from commissioner_app.backup import BackupError, make_backup, restore_backup, verify_backup
from commissioner_app.demo import generate_demo
from commissioner_app.domain import ServiceTarget, Visit
from commissioner_app.store import Store

REPO = Path(__file__).resolve().parents[2]


def _snapshot(data_dir: Path) -> dict[str, str]:
    """Every data file below data_dir with the sha256 of its bytes (the log file may grow)."""
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.relative_to(data_dir).parts[0] != "logs"
    }


def _files(snapshot: dict[str, str]) -> dict[str, str]:
    """The snapshot without the database files (whose bytes change when the WAL is folded in)."""
    return {k: v for k, v in snapshot.items() if not k.startswith(("commissioner.db", "backups"))}


def _rows(store: Store) -> dict[str, list[tuple]]:
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in schema.SYNCED_TABLES}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A data directory with demo data, a photo, a document, an unsent change and a draft."""
    data_dir = tmp_path / "source"
    store = Store.open(data_dir)
    generate_demo(store, visits=30, seed=3)
    visit_id = store.db.execute("SELECT id FROM visits LIMIT 1").fetchone()[0]
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), "green").save(photo)
    note = tmp_path / "notes.txt"
    note.write_text("大棚温度记录" * 50, encoding="utf-8")
    add_attachment(store, photo, "visits", visit_id)
    add_attachment(store, note, "visits", visit_id, "document")
    target = store.save(ServiceTarget(name="备份测试合作社", county="永和县", type="cooperative"))
    store.save(
        Visit(
            commissioner_id=store.actor or "c",
            target_id=target.id,
            visit_date=date(2026, 5, 1),
            content="未同步的服务记录：指导苹果疏花疏果",
            county="永和县",
            service_types=["guidance"],
        ),
        draft=True,
    )
    store.close()
    return data_dir


def test_round_trip_keeps_every_record_attachment_and_unsent_change(source: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    target = tmp_path / "target"
    other = Store.open(target)
    generate_demo(other, visits=5, seed=9)
    other_rows = _rows(other)
    other.close()
    before_restore = _snapshot(target)

    result = restore_backup(archive, target)

    original, restored = Store.open(source), Store.open(target)
    assert _rows(restored) == _rows(original)
    assert restored.waiting_to_sync() == original.waiting_to_sync() > 0
    draft = restored.db.execute(
        "SELECT is_draft, dirty FROM visits WHERE content LIKE '未同步的服务记录%'"
    ).fetchall()
    assert draft == [(1, 1)]
    assert restored.get_meta("device_id") == original.get_meta("device_id")
    visit_id = original.db.execute(
        "SELECT owner_id FROM attachments WHERE original_name = 'notes.txt'"
    ).fetchone()[0]
    files = attachments_of(restored, "visits", visit_id)
    assert {"photo.jpg", "notes.txt"} <= {a.original_name for a in files}
    assert all(verify_blob(restored, a.sha256) is None for a in files)
    assert restored.check() == []
    # The data that was replaced is kept in the data directory: attachments byte for byte, the
    # database with every row (its write-ahead log folded in).
    assert result.previous is not None and result.previous.parent == target / "backups"
    assert _files(_snapshot(result.previous)) == _files(before_restore)
    assert _rows(Store.open(result.previous)) == other_rows
    assert not list(target.glob(".restore-*"))


def test_a_restore_cleans_up_after_an_interrupted_one(source: Path, target: Path, tmp_path: Path):
    (target / ".restore-abc123" / "attachments").mkdir(parents=True)
    (target / ".restore-abc123" / "commissioner.db").write_bytes(b"half extracted")
    restore_backup(make_backup(source, tmp_path / "b.zip").path, target)
    assert not list(target.glob(".restore-*"))


def test_backup_while_the_store_is_open_includes_uncheckpointed_writes(tmp_path: Path):
    store = Store.open(tmp_path / "live")
    generate_demo(store, visits=10, seed=1)
    store.db.execute("PRAGMA wal_autocheckpoint=0")
    store.save(ServiceTarget(name="刚刚保存的服务对象", county="吉县"))
    archive = make_backup(tmp_path / "live", tmp_path / "b.zip").path
    restored = restore_backup(archive, tmp_path / "copy").data_dir
    names = {r[0] for r in Store.open(restored).db.execute("SELECT name FROM service_targets")}
    assert "刚刚保存的服务对象" in names
    store.close()


def test_backup_of_a_missing_data_dir_is_refused(tmp_path: Path):
    with pytest.raises(BackupError) as info:
        make_backup(tmp_path / "nothing", tmp_path / "b.zip")
    assert "没有数据库" in info.value.message.zh and "no database" in info.value.message.en
    assert not (tmp_path / "b.zip").exists()


def _rewrite(archive: Path, out: Path, *, manifest=None, members: dict[str, bytes] | None = None) -> Path:
    """A copy of a backup with some members or the manifest replaced."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif members and info.filename in members:
                data = members[info.filename]
            dst.writestr(info.filename, data)
    return out


def _assert_refused(archive: Path, target: Path, *words: str) -> BackupError:
    before = _snapshot(target)
    with pytest.raises(BackupError) as info:
        restore_backup(archive, target)
    assert _snapshot(target) == before, "a refused restore must change nothing"
    assert not list(target.glob(".restore-*"))
    assert not (target / "backups").exists()
    for word in words:
        assert word in info.value.message.zh + info.value.message.en
    return info.value


@pytest.fixture
def target(tmp_path: Path) -> Path:
    data_dir = tmp_path / "target"
    store = Store.open(data_dir)
    generate_demo(store, visits=3, seed=5)
    store.close()
    return data_dir


def test_damaged_zip_is_refused_and_nothing_is_replaced(source: Path, target: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    raw = archive.read_bytes()

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(raw[: len(raw) // 2])
    error = _assert_refused(truncated, target, "已损坏", "damaged")
    assert "未做任何更改" in error.message.zh and "nothing was changed" in error.message.en

    (tmp_path / "flipped.zip").write_bytes(_damaged_database(raw))
    _assert_refused(tmp_path / "flipped.zip", target, "damaged")


def _damaged_database(raw: bytes) -> bytes:
    """The archive with one byte of its compressed database flipped, from the middle on, such that
    what it holds changes. Not every flipped byte does: about one in fifty of these archives, the
    byte in the middle lay among bits the deflate decoder ignores, the database came out the same
    (its sha256 as in the manifest) and was rightly restored."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        db_info = zf.getinfo("commissioner.db")
        content = zf.read("commissioner.db")
    start = db_info.header_offset + 100 + db_info.compress_size // 2
    for offset in range(start, db_info.header_offset + db_info.compress_size):
        flipped = bytearray(raw)
        flipped[offset] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(flipped)) as zf:
                if zf.read("commissioner.db") != content:
                    return bytes(flipped)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return bytes(flipped)
    raise AssertionError("no flipped byte damaged the database")


def test_member_that_does_not_match_its_hash_is_refused(source: Path, target: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    with zipfile.ZipFile(archive) as zf:
        blob = next(n for n in zf.namelist() if n.startswith("attachments/") and "thumbs" not in n)
    swapped = _rewrite(archive, tmp_path / "swapped.zip", members={blob: b"not the photo"})
    _assert_refused(swapped, target, blob, "sha256")

    no_blob = _rewrite(
        archive,
        tmp_path / "no-blob.zip",
        manifest=lambda m: {**m, "members": {k: v for k, v in m["members"].items() if k != blob}},
    )
    _assert_refused(no_blob, target, "missing")


def test_database_failing_its_integrity_check_is_refused(source: Path, target: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    with zipfile.ZipFile(archive) as zf:
        (tmp_path / "db").write_bytes(zf.read("commissioner.db"))
    # An index whose entries no longer match its table: the file opens, the check fails. The zip
    # and the manifest are made consistent with the damaged file, so only the check can tell.
    conn = sqlite3.connect(tmp_path / "db")
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(target_id)', '(county)') "
        "WHERE name = 'idx_visits_target'"
    )
    conn.commit()
    conn.close()
    db = (tmp_path / "db").read_bytes()
    bad = _rewrite(
        archive,
        tmp_path / "bad-db.zip",
        members={"commissioner.db": db},
        manifest=lambda m: {
            **m,
            "members": {
                **m["members"],
                "commissioner.db": {"sha256": hashlib.sha256(db).hexdigest(), "size": len(db)},
            },
        },
    )
    _assert_refused(bad, target, "integrity check")


def test_backup_from_a_newer_version_is_refused(source: Path, target: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    newer = _rewrite(
        archive,
        tmp_path / "newer.zip",
        manifest=lambda m: {**m, "app_version": "9.0.0", "migrations": [*m["migrations"], "m999_future"]},
    )
    error = _assert_refused(newer, target, "更新版本", "newer version", "m999_future")
    assert "未做任何更改" in error.message.zh

    newer_format = _rewrite(archive, tmp_path / "format.zip", manifest=lambda m: {**m, "format_version": 2})
    _assert_refused(newer_format, target, "newer version")


def test_database_from_a_newer_version_is_refused_even_if_the_manifest_says_otherwise(
    source: Path, target: Path, tmp_path: Path
):
    archive = make_backup(source, tmp_path / "b.zip").path
    with zipfile.ZipFile(archive) as zf:
        (tmp_path / "db").write_bytes(zf.read("commissioner.db"))
    conn = sqlite3.connect(tmp_path / "db")
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [schema.migrations.name, "m999_future", "2030-01-01"],
        )
    conn.close()
    db = (tmp_path / "db").read_bytes()
    lying = _rewrite(
        archive,
        tmp_path / "lying.zip",
        members={"commissioner.db": db},
        manifest=lambda m: {
            **m,
            "members": {
                **m["members"],
                "commissioner.db": {"sha256": hashlib.sha256(db).hexdigest(), "size": len(db)},
            },
        },
    )
    _assert_refused(lying, target, "m999_future")


def test_other_files_are_not_backups(target: Path, tmp_path: Path):
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("a.txt", "x")
    _assert_refused(foreign, target, "不是科技特派员服务记录的备份文件")
    escaping = tmp_path / "escape.zip"
    with zipfile.ZipFile(escaping, "w") as zf:
        zf.writestr("commissioner.db", "x")
        zf.writestr("../evil", "x")
        zf.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": "field-commissioner-backup",
                    "format_version": 1,
                    "migrations": [],
                    "members": {"commissioner.db": {"sha256": ""}, "../evil": {"sha256": ""}},
                }
            ),
        )
    _assert_refused(escaping, target, "../evil")
    assert not (tmp_path / "evil").exists()


def test_a_failed_swap_puts_the_previous_data_back(source: Path, target: Path, tmp_path: Path, monkeypatch):
    archive = make_backup(source, tmp_path / "b.zip").path
    before = _snapshot(target)
    opened = Store.open(target)
    before_rows = _rows(opened)
    opened.close()
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst):
        calls["n"] += 1
        if "attachments" in str(src) and ".restore-" in str(src):  # moving the new attachments in
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", failing_replace)
    with pytest.raises(BackupError) as info:
        restore_backup(archive, target)
    assert calls["n"] > 2
    assert "previous data was put back" in info.value.message.en
    assert _files(_snapshot(target)) == _files(before)
    assert _rows(Store.open(target)) == before_rows
    assert not (target / "backups").exists() or not any((target / "backups").rglob("*.db"))


def test_verify_checks_a_backup_without_restoring_it(source: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    manifest = verify_backup(archive)
    assert manifest["records"]["visits"] == 31
    assert manifest["migrations"] == [m.name for m in schema.migrations._migrations]


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )


def test_cli_backup_and_restore(source: Path, target: Path, tmp_path: Path):
    out = tmp_path / "cli.zip"
    done = _cli("--lang", "en", "backup", "--out", str(out), data_dir=source)
    assert done.returncode == 0, done.stderr
    assert "Backed up" in done.stdout and str(out) in done.stdout

    done = _cli("restore", str(out), data_dir=target)
    assert done.returncode == 0, done.stderr
    assert "已从" in done.stdout and "原有数据已保留在" in done.stdout
    assert Store.open(target).count_visits() == 31

    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(out.read_bytes()[:1000])
    before = _snapshot(target)
    done = _cli("--lang", "en", "restore", str(damaged), data_dir=target)
    assert done.returncode == 2
    assert "damaged" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(target) == before


def test_restore_is_refused_while_the_data_is_open_elsewhere(source: Path, target: Path, tmp_path: Path):
    archive = make_backup(source, tmp_path / "b.zip").path
    running = subprocess.Popen(  # the application, still running on the target data
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM "
            "visits').fetchone(); print('open', flush=True); sys.stdin.read()",
            str(target / "commissioner.db"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert running.stdout.readline().strip() == "open"
        error = _assert_refused(archive, target, "in use", "正被另一个程序使用")
        assert "nothing was changed" in error.message.en
    finally:
        running.communicate("", timeout=10)
    assert restore_backup(archive, target).previous is not None  # once it is closed, it works
