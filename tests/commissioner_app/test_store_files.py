"""The files of a data directory: private to the account, backups that are whole or absent, and
`check` telling a file not downloaded yet from one that is gone."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from commissioner_app.attachments import add_attachment, blob_path
from commissioner_app.domain import Attachment, Commissioner, ServiceTarget, Visit
from commissioner_app.store import BACKUPS_KEPT, Store

from .conftest import make_visit

REPO = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_new_database_and_the_files_beside_it_are_readable_by_this_account_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "data")
        store.set_meta("x", "y")
        for name in ("commissioner.db", "commissioner.db-wal", "commissioner.db-shm"):
            assert _mode(tmp_path / "data" / name) == 0o600, name
        backup = store.backup_before_migration("m999_test")
        assert _mode(backup) == 0o600
        store.close()
    finally:
        os.umask(old)


@posix_only
def test_an_existing_world_readable_database_is_tightened_at_open(tmp_path: Path) -> None:
    Store.open(tmp_path / "data").close()
    db = tmp_path / "data" / "commissioner.db"
    db.chmod(0o644)
    store = Store.open(tmp_path / "data")
    assert _mode(db) == 0o600
    store.close()


def _backups(store: Store) -> Path:
    assert store.data_dir is not None
    return store.data_dir / "backups"


def test_a_failure_in_the_middle_of_a_pre_upgrade_backup_leaves_nothing_under_the_final_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import commissioner_app.store as store_module

    store = Store.open(tmp_path / "data")
    store.set_meta("ballast", "x" * 3_000_000)  # several steps of the copy

    def interrupted(status: int, remaining: int, total: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "_backup_progress", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.backup_before_migration("m999_test")
    assert list(_backups(store).iterdir()) == []
    store.close()


def test_a_kill_in_the_middle_of_a_pre_upgrade_backup_leaves_no_empty_or_partial_backup(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    store.set_meta("ballast", "x" * 3_000_000)
    store.close()
    script = textwrap.dedent(
        f"""
        import os
        import commissioner_app.store as s
        s._backup_progress = lambda status, remaining, total: os._exit(9)  # killed mid-copy
        store = s.Store.open({str(data)!r})
        store.backup_before_migration("m999_test")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 9, done.stderr
    folder = data / "backups"
    assert list(folder.glob("commissioner-*-before-*.db")) == []  # nothing under a final name
    store = Store.open(data)  # the next start clears what the kill left
    assert list(folder.iterdir()) == []
    whole = store.backup_before_migration("m999_test")
    assert (
        sqlite3.connect(whole).execute("SELECT value FROM meta WHERE key = 'ballast'").fetchone()[0]
        == "x" * 3_000_000
    )
    store.close()


def test_partial_backups_and_orphan_journals_of_earlier_kills_are_cleared_and_never_counted(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    folder = _backups(store)
    folder.mkdir()
    good = []
    for day in range(1, 6):
        path = folder / f"commissioner-202501{day:02d}-080000-before-m00{day}_x.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        good.append(path)
    empty = folder / "commissioner-20250601-080000-before-m009_x.db"
    empty.write_bytes(b"")
    torn = folder / "commissioner-20250602-080000-before-m010_x.db"
    torn.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    Path(str(torn) + "-journal").write_bytes(b"\xd9\xd5\x05\xf9 journal")
    store.close()

    store = Store.open(data)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in good)
    newest = store.backup_before_migration("m011_test")
    kept = sorted(folder.iterdir())
    assert len(kept) == BACKUPS_KEPT and kept[-1] == newest and good[0] not in kept
    assert all(p.stat().st_size > 0 for p in kept)
    store.close()


def _my_store(data: Path) -> Store:
    """A laptop whose profile is commissioner c-me."""
    store = Store.open(data)
    store.save_profile(Commissioner(id="c-me", name="王建国", sending_unit="省农科院", phone="13800138000"))
    store.actor = "c-me"
    return store


def _check_command(data: Path) -> subprocess.CompletedProcess[str]:
    """`commissioner check` on a data directory, as a whole process."""
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(data), "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _pulled_attachment(
    store: Store, tmp_path: Path, name: str, commissioner_id: str = "c-other"
) -> Attachment:
    """An attachment of someone else's visit (or of one's own, made on another computer), as a pull
    leaves it: the record, not the file."""
    target = ServiceTarget(name="双水陈皮合作社", type="cooperative", county="新会区", town="双水镇")
    store.save(target)
    visit = make_visit(target, commissioner_id=commissioner_id)
    store.save(visit)
    source = tmp_path / name
    if name.lower().endswith((".jpg", ".png")):  # a picture's file must be one
        from PIL import Image

        Image.new("RGB", (32, 24), (len(name) % 255, 90, 40)).save(source)
    else:
        source.write_bytes(name.encode() * 50)
    attachment = add_attachment(store, source, "visits", visit.id, kind="document")
    blob_path(store, attachment.sha256).unlink()
    for table, record_id in (("visits", visit.id), ("attachments", attachment.id)):
        store.db.execute(
            f"UPDATE {table} SET updated_by = 'server', dirty = 0, rev = 1, base_rev = 1 WHERE id = ?",
            [record_id],
        )
    return attachment


def test_check_counts_others_files_not_yet_downloaded_apart_from_missing_ones(tmp_path: Path) -> None:
    store = _my_store(tmp_path / "data")
    theirs = _pulled_attachment(store, tmp_path, "他人的.pdf")
    assert store.check() == []
    assert store.not_downloaded() == [theirs.sha256]

    target = store.all(ServiceTarget)[0]
    own_visit: Visit = make_visit(target, commissioner_id="c-me")
    store.save(own_visit)
    source = tmp_path / "我的.pdf"
    source.write_bytes(b"mine" * 100)
    mine = add_attachment(store, source, "visits", own_visit.id, kind="document")
    blob_path(store, mine.sha256).unlink()
    problems = store.check()
    assert len(problems) == 1 and "我的.pdf" in problems[0].zh and "缺失" in problems[0].zh
    assert store.not_downloaded() == [theirs.sha256]
    store.close()

    done = _check_command(tmp_path / "data")
    assert done.returncode == 1
    assert (
        "1 个附件的文件尚未下载" in done.stdout
        and "我的.pdf" in done.stderr
        and "他人的.pdf" not in done.stderr
    )


def test_check_on_a_new_laptop_does_not_call_ones_own_synced_photos_missing(tmp_path: Path) -> None:
    # A commissioner setting up a replacement laptop pulls their own records; their photos' files
    # stay on the server until opened. `check` listed every one of them as missing, and a user
    # would think their photos were lost.
    store = _my_store(tmp_path / "data")
    mine = _pulled_attachment(store, tmp_path, "旧电脑拍的.jpg", commissioner_id="c-me")
    assert store.check() == []
    assert store.not_downloaded() == [mine.sha256]
    store.close()

    done = _check_command(tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "1 个附件的文件尚未下载" in done.stdout and "旧电脑拍的.jpg" not in done.stdout + done.stderr
