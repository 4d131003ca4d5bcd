"""The proof: processes killed with SIGKILL in the middle of a sync.

The client runs as `commissioner sync` in its own process and is killed at a chosen point
(tests/sync/paused_sync.py makes it wait there): after the server applied a push batch but before
the client recorded the answer, in the middle of applying a pull page, and between two chunks of a
photo upload. Then it is started again: the next sync completes, nothing is lost or duplicated,
and the database passes PRAGMA integrity_check. The server process is killed in the middle of a push as well.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.store import Store
from sync.engine import SyncProgress, stored_batch
from sync.errors import SyncError
from tests.sync.fieldwork import (
    add_photo,
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    integrity_ok,
    local_records,
    reconnect,
)
from tests.sync.harness import ENV, REPO, Server

pytestmark = pytest.mark.slow


def run_sync(
    data_dir: Path, *extra: str, pause_at: str | None = None, after: int = 1, marker: Path | None = None
) -> subprocess.Popen[str]:
    # Paused runs go through a test entry point that sets the engine's checkpoint hook.
    entry = ["commissioner_app"]
    if pause_at:
        assert marker is not None
        entry = ["tests.sync.paused_sync", pause_at, str(after), str(marker)]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            *entry,
            "--data-dir",
            str(data_dir),
            "sync",
            "--json",
            "--timeout",
            "10",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=REPO,
    )


def kill_when_paused(process: subprocess.Popen[str], marker: Path) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"sync ended before the pause point: {process.returncode}\n{out}\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the sync never reached the pause point")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL


def finish(data_dir: Path, *extra: str) -> dict[str, Any]:
    process = run_sync(data_dir, *extra)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"sync after the kill failed ({process.returncode}): {out}\n{err}"
    return dict(json.loads(out.strip().splitlines()[-1]))


def prepared(server: Server, tmp_path: Path, name: str) -> tuple[Path, str]:
    cid = str(uuid.uuid4())
    server.add_user(name, commissioner_id=cid)
    data_dir = tmp_path / name
    store = commissioner_store(data_dir, cid)
    connect(store, server.url, name)
    store.close()
    return data_dir, cid


def fill(store: Store, visits: int, seed: int) -> None:
    rng = random.Random(seed)
    target = add_target(store, rng)
    for i in range(visits):
        add_visit(store, rng, target, f"第{i}条-{seed}")


def check_same(data_dir: Path, server: Server) -> None:
    store = Store.open(data_dir)
    try:
        assert integrity_ok(store)
        records = server.records()
        assert differences(local_records(store), records) == []
        problems = [r["fields"]["title"] for (t, _), r in records.items() if t == "problems"]
        assert len(problems) == len(set(problems)), "a problem was stored twice"
    finally:
        store.close()


def test_client_killed_after_the_server_applied_a_push_batch(sqlite_server: Server, tmp_path: Path) -> None:
    data_dir, _ = prepared(sqlite_server, tmp_path, "chenli")
    store = Store.open(data_dir)
    fill(store, 30, 1)
    store.close()
    marker = tmp_path / "paused"
    # Killed after the answer of the second batch arrived and before it was recorded locally; the
    # third batch was already queued behind it (pushes are pipelined), so two batches are out.
    kill_when_paused(
        run_sync(data_dir, "--batch-size", "20", pause_at="push_answered", after=2, marker=marker), marker
    )
    store = Store.open(data_dir)
    out = [stored_batch(text) for key in ("push_batch", "push_batch_next") if (text := store.get_meta(key))]
    assert len(out) == 2, "both batches out are kept to be replayed"
    assert len({batch["batch_id"] for batch in out}) == 2
    store.close()
    result = finish(data_dir, "--batch-size", "20")
    assert result["rejected"] == 0 and result["conflicts"] == 0
    check_same(data_dir, sqlite_server)


def test_client_killed_while_applying_a_pull_page(sqlite_server: Server, tmp_path: Path) -> None:
    data_dir, cid = prepared(sqlite_server, tmp_path, "zhaomin")
    # The same commissioner's other laptop has recorded visits the first one has not seen.
    other = commissioner_store(tmp_path / "other", cid)
    fill(other, 25, 2)
    connect(other, sqlite_server.url, "zhaomin").sync()
    marker = tmp_path / "paused"
    kill_when_paused(
        run_sync(data_dir, "--page-size", "15", pause_at="pull_applying", after=2, marker=marker), marker
    )
    store = Store.open(data_dir)
    cursor = int(store.get_meta("pull_since") or 0)
    assert 0 < cursor, "the first page and its cursor were committed together"
    store.close()
    result = finish(data_dir, "--page-size", "15")
    assert result["pulled"] > 0
    check_same(data_dir, sqlite_server)
    assert differences(local_records(other), sqlite_server.records()) == []


def test_client_killed_between_chunks_of_an_upload_resumes(sqlite_server: Server, tmp_path: Path) -> None:
    data_dir, _ = prepared(sqlite_server, tmp_path, "sunyu")
    store = Store.open(data_dir)
    rng = random.Random(3)
    fill(store, 2, 3)
    visit_id = store.db.execute("SELECT id FROM visits LIMIT 1").fetchone()[0]
    size = 1_300_000  # five or six chunks
    sha = add_photo(store, tmp_path, visit_id, rng, size)
    store.close()
    marker = tmp_path / "paused"
    kill_when_paused(run_sync(data_dir, pause_at="upload_chunk_sent", after=3, marker=marker), marker)
    assert sqlite_server.uploads().get(sha) is False  # part of it is there
    result = finish(data_dir)
    assert result["attachments_uploaded"] == 1
    assert 0 < result["bytes_uploaded"] < size, "the upload resumed from the server's offset"
    assert sqlite_server.uploads()[sha] is True
    check_same(data_dir, sqlite_server)


def test_server_killed_in_the_middle_of_a_push(own_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    own_server.add_user("huangwei", commissioner_id=cid)
    store = commissioner_store(tmp_path / "c", cid)
    fill(store, 200, 4)  # about five hundred records
    engine = connect(store, own_server.url, "huangwei", batch_size=25, retries=1)
    killed = threading.Event()

    def progress(p: SyncProgress) -> None:
        if p.phase == "push" and p.done >= 100 and not killed.is_set():
            killed.set()
            # A moment later the next batch is in the server's hands.
            threading.Timer(random.Random(5).uniform(0.0, 0.03), own_server.kill).start()

    with pytest.raises(SyncError):
        engine.sync(progress=progress)
    assert killed.is_set()
    own_server.start()
    report = reconnect(store, batch_size=25).sync()
    assert report.rejected == 0 and report.conflicts == 0
    assert integrity_ok(store)
    records = own_server.records()
    assert differences(local_records(store), records) == []
    problems = [r["fields"]["title"] for (t, _), r in records.items() if t == "problems"]
    assert (
        len(problems) == len(set(problems)) == store.db.execute("SELECT count(*) FROM problems").fetchone()[0]
    )
    if own_server.database.startswith("sqlite:///"):
        import sqlite3

        db = sqlite3.connect(own_server.database[len("sqlite:///") :])
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
