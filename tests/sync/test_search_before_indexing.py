"""The deferred full-text indexing of pulled records (fts_pending): every search path
finds what a pull stored, whichever connection it reads through."""

from __future__ import annotations

import random
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from commissioner_app import store as store_module
from commissioner_app.domain import ServiceTarget
from commissioner_app.errors import DatabaseFullError
from commissioner_app.ops.query import open_reader
from commissioner_app.store import Store
from sync.engine import FTS_BULK_MIN
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def pulled_not_indexed(server: Server, tmp_path: Path, name: str, seed: int) -> tuple[Store, ServiceTarget]:
    """A second laptop that has just pulled a commissioner's targets, one of them named `name`, and
    not indexed them yet: (its store, that target)."""
    cid = str(uuid.uuid4())
    user = server.add_user(f"ro{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(seed)
    for _ in range(FTS_BULK_MIN + 3):
        add_target(here, rng)
    special = ServiceTarget(name=name, type="enterprise", county="龙岩市新罗区", town="适中镇")
    here.save(special)
    connect(here, server.url, user).sync()
    laptop = commissioner_store(tmp_path / "laptop", cid)
    connect(laptop, server.url, user).sync()
    assert laptop.fts_pending() > 0
    return laptop, special


def test_the_read_only_connection_finds_pulled_targets_before_they_are_indexed(
    shared_server: Server, tmp_path: Path
) -> None:
    # The visit form's target picker searches through the GUI thread's query-only connection
    # (ui/editors/target_picker.py): a sync that just stored targets must not make it fail.
    laptop, special = pulled_not_indexed(shared_server, tmp_path, "漳州市天宝香蕉合作社", 21)
    reader = open_reader(laptop)
    found = [row["id"] for row in reader.list_targets(text="天宝香蕉")]
    assert found == [special.id]
    assert [(h.kind, h.id) for h in reader.search("天宝香蕉")] == [("service_targets", special.id)]
    assert [(h.kind, h.id) for h in reader.search("天宝 香")] == [("service_targets", special.id)]


def test_the_read_only_connection_does_not_find_what_a_pull_replaced(
    shared_server: Server, tmp_path: Path
) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"ro{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(22)
    targets = [add_target(here, rng) for _ in range(FTS_BULK_MIN + 3)]
    connect(here, shared_server.url, name).sync()
    laptop = commissioner_store(tmp_path / "laptop", cid)
    connect(laptop, shared_server.url, name).sync()
    laptop.index_pending()
    for i, target in enumerate(targets):
        target.name = f"武夷岩茶基地{i:03d}"
        here.save(target)
    connect(here, shared_server.url, name).sync()
    connect(laptop, shared_server.url, name).sync()
    assert laptop.fts_pending() > 0
    reader = open_reader(laptop)
    assert len(reader.list_targets(text="武夷岩茶", limit=500)) == len(targets)
    assert reader.list_targets(text="合作社", limit=500) == []  # the names before the pull
    assert reader.list_targets(text="%", limit=500) == []  # a LIKE wildcard is a character like any other
    assert laptop.fts_pending() > 0  # the reader wrote nothing
    assert len(laptop.list_targets(text="武夷岩茶", limit=500)) == len(targets)
    assert laptop.fts_pending() == 0


def test_a_search_while_another_program_writes_finds_pulled_records_instead_of_failing(
    shared_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search only read before pulls left indexing for later; now it must index first, which needs
    # the write lock: `commissioner search` while the application writes a long transaction (a
    # restore, an import) waited and then failed with "database is locked".
    laptop, special = pulled_not_indexed(shared_server, tmp_path, "平和县琯溪蜜柚合作社", 23)
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.2)
    assert laptop.path is not None
    other = sqlite3.connect(laptop.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's long write
    try:
        assert [h.id for h in laptop.search("琯溪蜜柚")] == [special.id]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [h.id for h in laptop.search("琯溪蜜柚")] == [special.id]
    assert laptop.fts_pending() == 0


def test_a_search_does_not_wait_for_a_long_write_elsewhere(shared_server: Server, tmp_path: Path) -> None:
    # A search indexes what a pull stored first, which needs the write lock: it waited for another
    # program's write as long as a save does (20 s) before answering from the rows' text, and the
    # search box showed nothing meanwhile.
    laptop, special = pulled_not_indexed(shared_server, tmp_path, "南靖县土楼蜜柚合作社", 25)
    assert laptop.path is not None
    other = sqlite3.connect(laptop.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's long write
    found: list[list[str]] = []
    searching = threading.Thread(target=lambda: found.append([h.id for h in laptop.search("土楼蜜柚")]))
    try:
        searching.start()
        searching.join(timeout=5)
        answered = not searching.is_alive()
    finally:
        other.execute("ROLLBACK")
        other.close()
        searching.join()
    assert answered, "the search waited for the other program's write"
    assert found == [[special.id]]
    assert laptop.fts_pending() > 0  # indexed later, by a search or after the next sync


def test_searches_wait_for_another_programs_write_once_not_per_table_and_search(
    shared_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search looks in four tables, and each tried to index first and waited for the lock: 2 s a
    # search from the command line, every search, while another program wrote.
    laptop, special = pulled_not_indexed(shared_server, tmp_path, "诏安县八仙茶合作社", 26)
    waits: list[float] = []
    begin = Store._begin_immediate

    def recorded(self: Store, wait: float) -> None:
        waits.append(wait)
        begin(self, wait)

    monkeypatch.setattr(Store, "_begin_immediate", recorded)
    assert laptop.path is not None
    other = sqlite3.connect(laptop.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's long write
    try:
        assert [h.id for h in laptop.search("八仙茶")] == [special.id]
        assert len([w for w in waits if w > 0]) == 1  # one wait for the whole search
        waits.clear()
        assert [h.id for h in laptop.search("八仙")] == [special.id]
        assert [row["id"] for row in laptop.list_targets(text="八仙茶")] == [special.id]
        assert [w for w in waits if w > 0] == []  # the lock is still held: no new wait
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [h.id for h in laptop.search("八仙茶")] == [special.id]
    assert laptop.fts_pending() == 0  # indexed once the lock was free


def test_a_disk_that_fills_during_a_large_pulled_page_says_so(shared_server: Server, tmp_path: Path) -> None:
    # SQLite rolls a transaction back by itself when the disk is full; the pull then put back the
    # full-text triggers it had set aside in it (they were back already) and failed with "trigger
    # visits_fts_ai already exists" instead of the disk-full error a user can act on.
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"df{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(24)
    place = add_target(here, rng)
    for i in range(FTS_BULK_MIN + 50):
        add_visit(here, rng, place, f"长文本{i}" + "很长的服务内容" * 200, children=False)
    connect(here, shared_server.url, name).sync()
    laptop = commissioner_store(tmp_path / "laptop", cid)
    pages = laptop.db.execute("PRAGMA page_count").fetchone()[0]
    laptop.db.execute(f"PRAGMA max_page_count = {pages + 40}")  # a disk with 160 kB left
    with pytest.raises(DatabaseFullError):
        connect(laptop, shared_server.url, name).sync()
    triggers = {r[0] for r in laptop.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"visits_fts_ai", "visits_fts_au"} <= triggers
    assert laptop.get_meta("pull_since") in (None, "", "0")
