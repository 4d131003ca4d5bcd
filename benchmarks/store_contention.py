"""Writers on one data directory: a save loop beside a sync-like loop, in separate processes.
Prints how many writes met "database is locked" and how long a write waited; asserts nothing.

    python benchmarks/store_contention.py [--seconds 30] [--savers 2]

A save reads the record and writes it (Store.save); a "sync" applies a page in one transaction
that reads every target, writes them and moves a meta cursor (as the engine's pull does).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commissioner_app.domain import ServiceTarget  # noqa: E402
from commissioner_app.errors import DatabaseLockedError  # noqa: E402
from commissioner_app.store import Store  # noqa: E402


def _saver(data_dir: str, target_id: str, seconds: float, out: multiprocessing.Queue) -> None:
    store = Store.open(data_dir, load_reference=False)
    done = locked = 0
    waits = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        target = store.require(ServiceTarget, target_id)
        target.contact_name = f"陈{done}"
        started = time.perf_counter()
        try:
            store.save(target)
            done += 1
        except DatabaseLockedError:
            locked += 1
        waits.append(time.perf_counter() - started)
    store.close()
    out.put(("save", done, locked, waits))


def _syncer(data_dir: str, seconds: float, out: multiprocessing.Queue) -> None:
    store = Store.open(data_dir, load_reference=False)
    done = locked = 0
    waits = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        try:
            with store.atomic():
                rows = store.db.execute("SELECT id, rev FROM service_targets").fetchall()
                for record_id, rev in rows:
                    store.db.execute(
                        "UPDATE service_targets SET server_seq = ? WHERE id = ?", [rev + done, record_id]
                    )
                time.sleep(0.01)  # a page takes a moment to apply
                store.set_meta("pull_since", str(done))
            done += 1
        except DatabaseLockedError:
            locked += 1
        waits.append(time.perf_counter() - started)
    store.close()
    out.put(("sync", done, locked, waits))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--savers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = Store.open(data, load_reference=False)
        targets = [ServiceTarget(name=f"合作社{i}", type="cooperative", county="新会区") for i in range(200)]
        for t in targets:
            store.save(t)
        store.close()
        ctx = multiprocessing.get_context("spawn")
        out: multiprocessing.Queue = ctx.Queue()
        procs = [
            ctx.Process(target=_saver, args=(str(data), targets[0].id, args.seconds, out))
            for _ in range(args.savers)
        ]
        procs.append(ctx.Process(target=_syncer, args=(str(data), args.seconds, out)))
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
    for kind, done, locked, waits in sorted(results, key=lambda r: r[0]):
        waits_ms = sorted(w * 1000 for w in waits) or [0.0]
        print(
            f"{kind}: {done} done, {locked} 'database is locked' of {done + locked}; "
            f"write median {statistics.median(waits_ms):.1f} ms, worst {waits_ms[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main()
