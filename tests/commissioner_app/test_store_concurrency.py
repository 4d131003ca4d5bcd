"""Two writers on one data directory (the application saving while a sync applies a page, or the
command line beside the window) wait for each other instead of failing with "database is locked"."""

from __future__ import annotations

import multiprocessing
import random
from pathlib import Path

from commissioner_app.domain import ServiceTarget
from commissioner_app.errors import DatabaseLockedError
from commissioner_app.store import Store

ITERATIONS = 150


def _saver(data_dir: str, target_id: str, seed: int, out: multiprocessing.Queue) -> None:
    """Like a person saving: read the record, change it, write it (store.save)."""
    store = Store.open(data_dir, load_reference=False)
    rng = random.Random(seed)
    locked = 0
    for i in range(ITERATIONS):
        target = store.require(ServiceTarget, target_id)
        target.contact_name = f"陈{seed}-{i}"
        try:
            store.save(target)
        except DatabaseLockedError:
            locked += 1
        if rng.random() < 0.1:
            store.get_meta("device_id")
    store.close()
    out.put(("save", locked))


def _syncer(data_dir: str, seed: int, out: multiprocessing.Queue) -> None:
    """Like a sync applying a page: one transaction that reads, then writes records and meta."""
    store = Store.open(data_dir, load_reference=False)
    locked = 0
    for i in range(ITERATIONS):
        try:
            with store.atomic():
                rows = store.db.execute("SELECT id, rev FROM service_targets").fetchall()
                for record_id, rev in rows:
                    store.db.execute(
                        "UPDATE service_targets SET server_seq = ? WHERE id = ?", [rev + i, record_id]
                    )
                store.set_meta("pull_since", str(i))
        except DatabaseLockedError:
            locked += 1
    store.close()
    out.put(("sync", locked))


def test_a_save_loop_and_a_sync_on_one_data_directory_never_meet_database_is_locked(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data", load_reference=False)
    target = ServiceTarget(name="双水陈皮合作社", type="cooperative", county="新会区", town="双水镇")
    store.save(target)
    store.close()
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    workers = [
        ctx.Process(target=_saver, args=(str(tmp_path / "data"), target.id, 1, out)),
        ctx.Process(target=_saver, args=(str(tmp_path / "data"), target.id, 2, out)),
        ctx.Process(target=_syncer, args=(str(tmp_path / "data"), 3, out)),
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=600) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert all(w.exitcode == 0 for w in workers)
    assert sorted(results) == [("save", 0), ("save", 0), ("sync", 0)], results
