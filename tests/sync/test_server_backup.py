"""`commissioner-server backup` / `restore`: every row and every attachment comes back identical,
on SQLite and PostgreSQL and from one into the other; damaged, newer or misdirected restores change
nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select, text

from sync.server import backup, migrations
from sync.server.app import create_app
from sync.server.db import make_engine
from sync.server.tables import counters, records, revisions, store_identity
from tests.sync.server_support import (
    BACKENDS,
    POSTGRES_URL,
    Server,
    _pg_problem,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)
from tests.sync.test_server_attachments import upload

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


@pytest.fixture
def target_factory(tmp_path: Path) -> Iterator[Any]:
    """Empty databases to restore into: `make("sqlite")` or `make("postgres")` (a schema of its own)."""
    made: list[Any] = []
    schemas: list[str] = []

    def make(kind: str) -> Any:
        if kind == "sqlite":
            (tmp_path / f"restored-{len(made)}").mkdir(exist_ok=True)
            engine = make_engine(f"sqlite:///{tmp_path / f'restored-{len(made)}' / 'server.db'}")
        else:
            problem = _pg_problem()
            if problem:
                if os.environ.get("CI") == "true":
                    pytest.fail(f"PostgreSQL is required when CI=true: {problem}")
                pytest.skip(f"PostgreSQL not reachable: {problem}")
            schema = f"r_{uuid.uuid4().hex[:16]}"
            with make_engine(POSTGRES_URL).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            schemas.append(schema)
            engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()
    if schemas:
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def fill(server: Server) -> dict[str, bytes]:
    """Two commissioners' visits with photos, an edit (two revisions), a deletion, a half upload."""
    files: dict[str, bytes] = {}
    for name in ("zhangsan", "lisi"):
        cid = server.add_user(name, "commissioner")
        for i in range(3):
            data = os.urandom(70_000 + i * 1000) + "照片".encode()
            sha = hashlib.sha256(data).hexdigest()
            assert upload(server, name, data).status_code == 201
            files[sha] = data
            vid = new_id()
            server.push_ok(
                name,
                [
                    change("visits", vid, {**visit_fields(cid), "content": f"第{i}次：柑橘黄龙病防治"}),
                    change(
                        "attachments",
                        new_id(),
                        {
                            "sha256": sha,
                            "owner_table": "visits",
                            "owner_id": vid,
                            "kind": "photo",
                            "size": len(data),
                            "original_name": f"照片{i}.jpg",
                        },
                    ),
                ],
            )
        edited = server.push_ok(name, [change("visits", vid, {"content": "改过的内容"}, base_rev=1)])
        assert edited[0]["status"] == "accepted", edited
    gone = new_id()
    server.push_ok("lisi", [change("visits", gone, visit_fields("c-lisi"))])
    server.push_ok("lisi", [change("visits", gone, {}, base_rev=1, deleted=True)])
    half = os.urandom(100_000)
    answer = server.request(
        "PUT", f"/attachments/{hashlib.sha256(half).hexdigest()}?offset=0", "lisi", content=half[:65536]
    )
    assert answer.status_code == 200
    return files


def everything(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but the store's identity: a restored store is another one on
    purpose (`identity`)."""
    meta = MetaData()
    with engine.connect() as conn:
        meta.reflect(bind=conn)
        return {
            name: [tuple(row) for row in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for name, t in meta.tables.items()
            if name != "store_identity"
        }


def identity(engine: Any) -> tuple[str, int]:
    """(the store's id, the change number from which its history is unbroken)."""
    with engine.connect() as conn:
        [row] = conn.execute(select(store_identity.c.id, store_identity.c.history_from)).all()
    return str(row.id), int(row.history_from)


def change_number(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(counters.c.value).where(counters.c.name == "server_seq")).scalar_one())


def restore_everywhere(server: Server, out: Path, target: Any, files: dict[str, bytes]) -> None:
    manifest = backup.restore(target, out)
    assert manifest["attachments"]["count"] == len(files)
    before, after = everything(server.engine), everything(target)
    # Another store to the laptops, whose history is unbroken up to the backup's last change.
    assert identity(target)[0] != identity(server.engine)[0]
    assert identity(target)[1] == change_number(server.engine) == change_number(target)
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], table
    # The restored store serves: the same logins, and every photo byte for byte.
    with TestClient(create_app(engine=target)) as client:
        restored = Server(target, client)
        for sha, data in files.items():
            got = restored.request("GET", f"/attachments/{sha}", "zhangsan")
            if got.status_code == 404:
                got = restored.request("GET", f"/attachments/{sha}", "lisi")
            assert got.status_code == 200 and got.content == data
        # New writes continue the sequence numbers and revision ids where the old store left off.
        vid = new_id()
        result = restored.push_ok("zhangsan", [change("visits", vid, visit_fields("c-zhangsan"))])[0]
        with target.connect() as conn:
            assert result["server_seq"] == change_number(target)
            assert result["server_seq"] > max(r[3] for r in before["records"])
            assert conn.execute(select(revisions.c.id).order_by(revisions.c.id.desc())).first()[0] > max(
                r[0] for r in before["revisions"]
            )


@BACKENDS
def test_backup_restores_every_row_and_attachment_into_a_fresh_store(
    server: Server, target_factory: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    files = fill(server)
    out = tmp_path / "central.zip"
    manifest = backup.backup(server.engine, out)
    assert manifest["schema_version"] == migrations.HEAD
    assert manifest["tables"]["records"]["rows"] == 13 and manifest["attachments"]["count"] == 6
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600  # password and token hashes inside
    assert backup.check(out) == manifest
    kind = "sqlite" if server.engine.dialect.name == "sqlite" else "postgres"
    restore_everywhere(server, out, target_factory(kind), files)


@pytest.mark.postgres
def test_a_sqlite_store_moves_to_postgresql_and_back(
    tmp_path: Path, target_factory: Any, cheap_password_hashes: None
) -> None:
    source = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(engine=source)) as client:
        files = fill(Server(source, client))
        out = tmp_path / "central.zip"
        backup.backup(source, out)
        postgres = target_factory("postgres")
        restore_everywhere(Server(source, client), out, postgres, files)
    back = tmp_path / "back.zip"
    backup.backup(postgres, back)
    again = target_factory("sqlite")
    backup.restore(again, back)
    assert everything(again)["records"] == everything(postgres)["records"]
    source.dispose()


def test_backup_is_consistent_while_the_server_writes(
    server: Server, tmp_path: Path, target_factory: Any
) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.token("zhangsan")
    stop, started = threading.Event(), threading.Event()

    def writer() -> None:
        while not stop.is_set():
            server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid)) for _ in range(20)])
            started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(30)
        outs = []
        for i in range(3):
            outs.append(tmp_path / f"b{i}.zip")
            backup.backup(server.engine, outs[-1])
    finally:
        stop.set()
        thread.join()
    counts = []
    for out in outs:
        target = target_factory("sqlite")
        backup.restore(target, out)
        with target.connect() as conn:
            seq = conn.execute(select(counters.c.value)).scalar_one()
            top = conn.execute(select(records.c.server_seq).order_by(records.c.server_seq.desc())).first()
            revs = conn.execute(select(revisions.c.table_name, revisions.c.record_id)).all()
            rows = conn.execute(select(records.c.table_name, records.c.id)).all()
        # One state: the counter, the records and their revisions belong together.
        assert top is not None and seq == top[0]
        assert set(rows) == set(revs)
        counts.append(len(rows))
    assert counts == sorted(counts) and counts[0] < len(everything(server.engine)["records"])


@BACKENDS
def test_a_backup_restored_over_its_store_is_another_store_that_numbers_past_the_old_one(
    server: Server, tmp_path: Path
) -> None:
    """The way back from a failed upgrade: the backup made before it, restored over the store that
    went on after it. The laptops must learn that it is another store (their syncs since the backup
    are not in it), and no change of the restored store may be numbered at or below a number the
    replaced store handed out (a laptop's cursor there would never pull it)."""
    server.add_user("zhangsan", "commissioner", commissioner_id="c-zhangsan")
    server.push_ok("zhangsan", [change("visits", new_id(), visit_fields("c-zhangsan"))])

    def store_said() -> dict[str, Any]:
        answer = server.request("GET", "/sync/pull?since=0&limit=10&count=true", "zhangsan")
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["store"])

    first = store_said()
    assert first == {"id": identity(server.engine)[0], "history_from": 0}
    out = tmp_path / "before-upgrade.zip"
    backup.backup(server.engine, out)
    at_backup = change_number(server.engine)
    later = new_id()
    server.push_ok("zhangsan", [change("visits", later, visit_fields("c-zhangsan"))])
    handed_out = change_number(server.engine)
    assert handed_out > at_backup

    backup.restore(server.engine, out, force=True)
    restored = store_said()
    assert restored["id"] != first["id"] and restored["history_from"] == at_backup
    assert ("visits", later) not in server_records(server)  # what a restore means
    [again] = server.push_ok("zhangsan", [change("visits", new_id(), visit_fields("c-zhangsan"))])
    assert again["server_seq"] == handed_out + 1
    news, _cursor = server.pull_all("zhangsan", since=handed_out)
    assert [c["server_seq"] for c in news] == [handed_out + 1]


def server_records(server: Server) -> set[tuple[str, str]]:
    with server.engine.connect() as conn:
        return {(r.table_name, r.id) for r in conn.execute(select(records.c.table_name, records.c.id))}


def test_restore_refuses_a_store_with_data_unless_forced(
    server: Server, tmp_path: Path, target_factory: Any
) -> None:
    files = fill(server)
    out = tmp_path / "central.zip"
    backup.backup(server.engine, out)
    target = target_factory("sqlite")
    with target.begin() as conn:  # another program's table in the same database: not the store's
        conn.execute(text("CREATE TABLE other_app (x INTEGER)"))
        conn.execute(text("INSERT INTO other_app VALUES (42)"))
    assert backup.is_empty(target)
    with TestClient(create_app(engine=target)) as client:
        Server(target, client).add_user("someone", "bureau")
    before = everything(target)
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore(target, out)
    assert everything(target) == before
    backup.restore(target, out, force=True)
    after = everything(target)
    assert after.pop("other_app") == [(42,)]
    assert after == everything(server.engine)
    assert len(files) == 6


def test_restore_refuses_damaged_and_newer_backups_and_changes_nothing(
    server: Server, tmp_path: Path, target_factory: Any
) -> None:
    files = fill(server)
    good = tmp_path / "central.zip"
    backup.backup(server.engine, good)
    target = target_factory("sqlite")
    with zipfile.ZipFile(good) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}

    def variant(name: str, change_parts: dict[str, bytes | None]) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            for part, data in {**parts, **change_parts}.items():
                if data is not None:
                    zf.writestr(part, data)
        return path

    manifest = json.loads(parts["manifest.json"])
    chunks = parts["tables/upload_chunks.jsonl"].splitlines(keepends=True)
    at = next(i for i, line in enumerate(chunks) if json.loads(line)["sha256"] in files)  # a photo's
    row = json.loads(chunks[at])
    blob = row["data"]["$blob"]
    bad = bytearray(parts[blob])
    bad[100] ^= 0xFF  # one flipped byte of a photo
    # ...with its reference and the manifest made to match: only the photo's own sha256 can tell.
    row["data"]["sha256"] = hashlib.sha256(bad).hexdigest()
    flipped = b"".join([*chunks[:at], json.dumps(row).encode() + b"\n", *chunks[at + 1 :]])
    newer = {**manifest, "schema_version": migrations.HEAD + 1}
    recounted = {**manifest, "tables": {**manifest["tables"]}}
    recounted["tables"]["upload_chunks"] = {
        **manifest["tables"]["upload_chunks"],
        "sha256": hashlib.sha256(flipped).hexdigest(),
    }
    cases = {
        "records.zip": ({"tables/records.jsonl": parts["tables/records.jsonl"][:-50]}, "damaged"),
        "blob.zip": ({blob: bytes(bad)}, f"damaged \\({blob}\\)"),
        "photo.zip": (
            {
                blob: bytes(bad),
                "tables/upload_chunks.jsonl": flipped,
                "manifest.json": json.dumps(recounted).encode(),
            },
            "attachment",
        ),
        "gone.zip": ({blob: None}, "missing"),
        "newer.zip": ({"manifest.json": json.dumps(newer).encode()}, "upgrade the server program"),
        "other.zip": ({"manifest.json": b'{"format": "something else"}'}, "not a central store backup"),
    }
    for name, (changed, message) in cases.items():
        path = variant(name, changed)
        with pytest.raises(backup.BackupError, match=message):
            backup.check(path)
        with pytest.raises(backup.BackupError, match=message):
            backup.restore(target, path)
        assert backup.is_empty(target)
    (tmp_path / "not.zip").write_bytes(b"hello")
    with pytest.raises(backup.BackupError, match="not a central store backup"):
        backup.check(tmp_path / "not.zip")


def test_cli_backup_and_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_password_hashes: None
) -> None:
    import logging

    from sync.server_cli import main as cli_main

    def main(argv: list[str]) -> int:
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        try:
            return cli_main(argv)
        finally:
            root.handlers[:], root.level = handlers, level  # main() installs the server's JSON log

    # A folder named in Chinese, as an operator's may be: the restore said it percent-encoded.
    source, target = tmp_path / "source", tmp_path / "恢复 目标"
    source.mkdir()
    engine = make_engine(f"sqlite:///{source / 'server.db'}")
    with TestClient(create_app(engine=engine)) as client:
        files = fill(Server(engine, client))
    out = tmp_path / "central.zip"
    assert main(["--data-dir", str(source), "--log-level", "ERROR", "backup", "--out", str(out)]) == 0
    assert "6 attachments" in capsys.readouterr().out
    assert main(["--data-dir", str(target), "--log-level", "ERROR", "restore", str(out), "--check"]) == 0
    assert "backup OK" in capsys.readouterr().out
    assert main(["--data-dir", str(target), "--log-level", "ERROR", "restore", str(out)]) == 0
    assert f"into sqlite:///{target / 'server.db'}:" in capsys.readouterr().out  # the path as given
    restored = make_engine(f"sqlite:///{target / 'server.db'}")
    assert everything(restored) == everything(engine)
    assert main(["--data-dir", str(target), "--log-level", "ERROR", "restore", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "目标数据库中已有数据" in err
    assert main(["--data-dir", str(target), "restore", str(tmp_path / "missing.zip"), "--check"]) == 2
    assert "找不到备份文件" in capsys.readouterr().err
    assert len(files) == 6
    engine.dispose()
    restored.dispose()


def test_restore_refuses_a_store_that_a_server_still_serves(own_server: Any, tmp_path: Path) -> None:
    """A server left running over a restore answers from what it read and writes its pushes into the
    store being replaced. The README said to stop the servers first and nothing checked it: restore
    refuses while a server serves the store (SQLite: its lock beside the file; PostgreSQL: any other
    session on the database, named), and goes ahead once they are stopped."""
    import subprocess
    import sys

    from tests.sync.harness import SERVER_ENV, SERVER_REPO

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync.server_cli", "--database", own_server.database, *args],
            capture_output=True,
            text=True,
            env=SERVER_ENV,
            cwd=SERVER_REPO,
            timeout=120,
        )

    own_server.add_user("wangjianguo", commissioner_id=new_id())
    out = tmp_path / "central.zip"
    assert cli("backup", "--out", str(out)).returncode == 0
    before = identity(own_server.engine)
    own_server._engine.dispose()  # the test's own look at the store is not a server

    refused = cli("restore", str(out), "--force")
    assert refused.returncode == 2, refused.stderr
    assert "中心库正在使用中，未做任何更改" in refused.stderr and "commissioner-server" in refused.stderr
    assert identity(own_server.engine) == before  # nothing changed
    own_server._engine.dispose()

    own_server.stop()
    done = cli("restore", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert identity(own_server.engine) != before  # restored: another store


def _start_workers(database: str, port: int) -> Any:
    """`serve --workers 2` in a session of its own, once both workers answer."""
    import subprocess
    import sys
    import time

    import requests

    from tests.sync.harness import SERVER_ENV, SERVER_REPO

    server = subprocess.Popen(
        [sys.executable, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING"]
        + ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=SERVER_ENV,
        cwd=SERVER_REPO,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    answers = 0
    while answers < 10 and time.monotonic() < deadline:  # both workers up (each takes some)
        try:
            answers += requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200
        except requests.RequestException:
            time.sleep(0.2)
    assert answers == 10, "the server did not start"
    time.sleep(1)
    return server


def _holders(path: Path) -> set[int]:
    """The processes holding a flock on `path` (Linux: /proc/locks)."""
    inode = path.stat().st_ino
    found = set()
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        kind_at = parts.index("FLOCK") if "FLOCK" in parts else -1
        # "1: FLOCK  ADVISORY  READ  27461 fd:01:1234 0 EOF": the holder's pid, then device:inode
        if kind_at >= 0 and int(parts[kind_at + 4].split(":")[-1]) == inode:
            found.add(int(parts[kind_at + 3]))
    return found


def _children(pid: int) -> set[int]:
    import subprocess

    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads the locks held from /proc/locks (Linux)")
def test_each_worker_of_serve_holds_the_serving_lock(tmp_path: Path) -> None:
    """`serve --workers 2` killed with SIGKILL left its workers answering on the port, and restore
    went ahead under them: only the killed process held the store's lock. Each worker holds it."""
    import signal

    from tests.sync.harness import free_port

    database = f"sqlite:///{tmp_path / 'central.db'}"
    made = make_engine(database)
    migrations.migrate(made)
    made.dispose()
    server = _start_workers(database, free_port())
    try:
        workers = {p for p in _children(server.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()}
        assert len(workers) == 2
        assert workers | {server.pid} <= _holders(tmp_path / "central.db.serving")
    finally:
        os.killpg(server.pid, signal.SIGKILL)


def test_workers_end_when_their_serve_is_killed_and_restore_goes_ahead_after_them(tmp_path: Path) -> None:
    """Killed with SIGKILL (`kill -9` of the pid it printed, the OOM killer), `serve` left its
    workers serving on the port for good, unsupervised: a new `serve` could not take the port, and
    restore refused until someone found and stopped them. They end when their `serve` does; until
    then (they hold the lock) restore refuses, after it restores."""
    import contextlib
    import signal
    import subprocess
    import sys
    import time

    import requests

    from tests.sync.harness import SERVER_ENV, SERVER_REPO, free_port

    database = f"sqlite:///{tmp_path / 'central.db'}"
    made = make_engine(database)
    migrations.migrate(made)
    made.dispose()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING"]
            + list(args),
            capture_output=True,
            text=True,
            env=SERVER_ENV,
            cwd=SERVER_REPO,
            timeout=120,
        )

    out = tmp_path / "central.zip"
    assert cli("backup", "--out", str(out)).returncode == 0
    port = free_port()
    server = _start_workers(database, port)
    try:
        workers = _children(server.pid)
        server.kill()  # the process `serve` started as, alone
        server.wait(10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
            time.sleep(0.2)
        assert not any(Path(f"/proc/{p}").exists() for p in workers), "the workers outlived their serve"
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
    finally:
        with contextlib.suppress(ProcessLookupError):  # (all gone, as they should be)
            os.killpg(server.pid, signal.SIGKILL)
    done = cli("restore", str(out), "--force")
    assert done.returncode == 0, done.stderr


def test_a_store_served_under_another_name_is_still_refused(tmp_path: Path) -> None:
    """The lock was named after the path as given: a restore through a link to the served file (or
    the server started through one) replaced the store under the running server."""
    from sync.server.serving import serving, unused

    real = tmp_path / "central.db"
    made = make_engine(f"sqlite:///{real}")
    migrations.migrate(made)
    made.dispose()
    alias = tmp_path / "alias.db"
    alias.symlink_to(real)
    engine = make_engine(f"sqlite:///{alias}")
    with serving(f"sqlite:///{real}"), unused(engine, f"sqlite:///{alias}") as users:
        assert users and "serve" in users[0]
    with serving(f"sqlite:///{alias}"), unused(engine, f"sqlite:///{real}") as users:
        assert users
    with unused(engine, f"sqlite:///{alias}") as users:
        assert users is None  # nothing serves it now
    engine.dispose()


def test_a_server_started_during_a_restore_waits_for_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """restore looked for servers and let the lock go at once: a server started while a large
    backup was being restored served the store as it was being replaced. The restore holds the
    lock to its end; a server started meanwhile says so and waits."""
    import logging
    import time

    from sync.server.serving import serving, unused

    url = f"sqlite:///{tmp_path / 'central.db'}"
    engine = make_engine(url)
    migrations.migrate(engine)
    with serving(url):
        pass  # served once: the lock file is there
    started = threading.Event()

    def serve() -> None:
        with serving(url):
            started.set()

    with caplog.at_level(logging.WARNING, logger="sync.server.serving"):
        with unused(engine, url) as users:
            assert users is None
            server = threading.Thread(target=serve)
            server.start()
            assert not started.wait(0.5)  # not while the restore runs
            deadline = time.monotonic() + 5
            while "being restored" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.05)
            assert "the store is being restored" in caplog.text
        assert started.wait(5)  # and then at once
        server.join(5)
    engine.dispose()


def test_serve_that_cannot_open_its_lock_file_says_so_and_does_not_start(tmp_path: Path) -> None:
    """A lock file the server's account cannot open (another account's, a read-only folder) ended
    `serve` in a PermissionError traceback; served without it, a restore would find the store free.
    It says what to do and does not start; a worker that cannot take it (its serve holds it) goes on."""
    import subprocess
    import sys

    from sync.server.serving import _HELD, hold_while_alive
    from tests.sync.harness import SERVER_ENV, SERVER_REPO, free_port

    db = tmp_path / "central.db"
    made = make_engine(f"sqlite:///{db}")
    migrations.migrate(made)
    made.dispose()
    (tmp_path / "central.db.serving").mkdir()  # cannot be opened as a file, whoever runs this
    done = subprocess.run(
        [sys.executable, "-m", "sync.server_cli", "--database", f"sqlite:///{db}", "--log-level", "WARNING"]
        + ["serve", "--host", "127.0.0.1", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=SERVER_ENV,
        cwd=SERVER_REPO,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "无法打开服务锁文件" in done.stderr and "cannot open the serving lock file" in done.stderr
    assert "Traceback" not in done.stderr
    held = list(_HELD)
    hold_while_alive(f"sqlite:///{db}")  # logged, not raised
    assert _HELD == held


def _served_once(tmp_path: Path) -> tuple[str, Any]:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    engine = make_engine(url)
    migrations.migrate(engine)
    return url, engine


def test_restore_takes_the_lock_of_a_store_never_served(tmp_path: Path) -> None:
    """With no lock file yet (a store never served here, or its file removed), restore looked at
    nothing and held nothing: a server started during it served the store as it was replaced."""
    from sync.server.serving import serving, unused

    url, engine = _served_once(tmp_path)
    assert not (tmp_path / "central.db.serving").exists()
    started = threading.Event()

    def serve() -> None:
        with serving(url):
            started.set()

    with unused(engine, url) as users:
        assert users is None
        server = threading.Thread(target=serve)
        server.start()
        assert not started.wait(0.5)
    assert started.wait(5)
    server.join(5)
    assert (tmp_path / "central.db.serving").stat().st_mode & 0o777 == 0o600
    engine.dispose()


def test_a_lock_file_that_is_a_link_or_a_pipe_is_refused(tmp_path: Path) -> None:
    """A lock file that was a symbolic link was followed (a server created its target elsewhere, and
    once the link was pointed at another file a restore went ahead under the running server); one
    that was a pipe left restore waiting for ever for a writer. Neither is used: serve does not
    start, restore refuses, each saying what it found."""
    from sync.server.serving import LockFileError, serving, unused

    url, engine = _served_once(tmp_path)
    lock = tmp_path / "central.db.serving"
    elsewhere = tmp_path / "elsewhere"
    lock.symlink_to(elsewhere)
    with pytest.raises(LockFileError) as refused, serving(url):
        pass
    assert "符号链接" in refused.value.message() and not elsewhere.exists()
    with unused(engine, url) as users:
        assert users and "symbolic link" in users[0]
    lock.unlink()
    os.mkfifo(lock)
    done = threading.Event()

    def restore_check() -> None:
        with unused(engine, url) as users:
            assert users and "not a plain file" in users[0]
        done.set()

    checking = threading.Thread(target=restore_check, daemon=True)
    checking.start()
    assert done.wait(5), "restore waited on the pipe"
    engine.dispose()


def test_restore_refuses_a_store_with_other_names_or_open_elsewhere(tmp_path: Path) -> None:
    """A hard link to the served file is another path to the same store: a restore through it went
    ahead under the running server, which then answered 500 (database disk image is malformed).
    Restore refuses a store file with other names, and one another process has open (Linux)."""
    import subprocess
    import sys

    from sync.server.serving import unused

    url, engine = _served_once(tmp_path)
    other = tmp_path / "other-name.db"
    os.link(tmp_path / "central.db", other)
    with unused(make_engine(f"sqlite:///{other}"), f"sqlite:///{other}") as users:
        assert users and "hard links" in users[0]
    other.unlink()
    if not Path("/proc/self/fd").is_dir():
        return
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; f = open(sys.argv[1], 'rb'); print(1, flush=True); time.sleep(60)",
        ]
        + [str(tmp_path / "central.db")],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline()
        with unused(engine, url) as users:
            assert users and f"pid {holder.pid}" in users[0]
    finally:
        holder.kill()
        holder.wait()
    with unused(engine, url) as users:
        assert users is None
    engine.dispose()


def test_ctrl_c_while_serve_waits_for_a_restore_stops_it_quietly(tmp_path: Path) -> None:
    """A serve waiting for a restore to end, stopped with Ctrl-C, ended in a KeyboardInterrupt
    traceback."""
    import signal
    import subprocess
    import sys
    import time

    from commissioner_app.file_lock import lock
    from tests.sync.harness import SERVER_ENV, SERVER_REPO, free_port

    url, engine = _served_once(tmp_path)
    engine.dispose()
    with open(tmp_path / "central.db.serving", "wb") as restoring:
        assert lock(restoring) is True  # as a restore holds it
        server = subprocess.Popen(
            [sys.executable, "-m", "sync.server_cli", "--database", url, "--log-level", "WARNING"]
            + ["serve", "--host", "127.0.0.1", "--port", str(free_port())],
            stderr=subprocess.PIPE,
            text=True,
            env=SERVER_ENV,
            cwd=SERVER_REPO,
            # Ctrl-C as at a terminal: a test run started in the background by a script (`pytest &`)
            # has SIGINT ignored, and a process keeps that ignored; the server then never heard it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert server.stderr is not None
        deadline = time.monotonic() + 60
        seen = ""
        while "being restored" not in seen and time.monotonic() < deadline:
            seen += server.stderr.readline()
        assert "being restored" in seen
        server.send_signal(signal.SIGINT)
        rest = server.communicate(timeout=30)[1]
    assert server.returncode == 130
    assert "Traceback" not in seen + rest and "stopped" in rest


def test_a_store_of_another_account_is_said_so_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another account's store (or one on a read-only file system) ended every server command in a
    PermissionError (OSError: Read-only file system) traceback from making the file private. As the
    test may run as root, whom no mode stops, the refusal is the operating system's, made here."""
    import errno

    from sync.server import db as server_db
    from sync.server_cli import main

    database = tmp_path / "central.db"
    real_open = os.open

    def refused(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path) == database:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(server_db.os, "open", refused)
    assert main(["--database", f"sqlite:///{database}", "--log-level", "ERROR", "user", "list"]) == 2
    err = capsys.readouterr().err
    assert "无法写入中心库" in err and "Read-only file system" in err and "Traceback" not in err


def test_a_store_the_account_may_only_read_is_backed_up(tmp_path: Path, cheap_password_hashes: None) -> None:
    """A backup only reads, yet it opened the store for writing (and made its files private first):
    run by an account that may read the store but not write it (a backup account, a snapshot
    mounted read-only), it refused with "cannot write the store" and wrote no backup. It reads the
    store read-only now, leaves its files as they were, and the backup restores every row. The
    refusal is the operating system's: as another account when the test runs as root (whom no
    mode stops; in a process forked from this one, with the program already loaded, as this
    checkout may lie in a folder only root may enter), else through the files' modes."""
    import shutil
    import stat
    import tempfile

    from sync.server_cli import main

    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if os.name != "posix":
        pytest.skip("file modes and accounts as on Linux")
    # Under /tmp itself: pytest's own folders are private to the account that runs the tests.
    folder = Path(tempfile.mkdtemp(prefix="ro-store 中心库-"))
    try:
        store, out = folder / "store", folder / "out"
        store.mkdir()
        out.mkdir()
        engine = make_engine(f"sqlite:///{store / 'server.db'}")
        with TestClient(create_app(engine=engine)) as client:
            fill(Server(engine, client))
        expected = everything(engine)
        engine.dispose()  # the server stopped cleanly: the store is whole in its file
        database = store / "server.db"
        argv = ["--database", f"sqlite:///{database}", "--log-level", "ERROR", "backup", "--out"]
        assert main([*argv, str(folder / "warm.zip")]) == 0  # (everything it uses, loaded here)
        assert sorted(p.name for p in store.iterdir()) == ["server.db"]
        database.chmod(0o444)
        store.chmod(0o555)
        folder.chmod(0o755)
        out.chmod(0o777)
        before = os.stat(database)

        def run_backup(name: str) -> tuple[int, str]:
            """`backup --out out/NAME` as nobody (or, not root, as this account): its exit code and output."""
            log = out / f"{name}.log"
            pid = os.fork()
            if pid == 0:  # pragma: no cover (the child)
                code = 99
                try:
                    fd = os.open(log, os.O_WRONLY | os.O_CREAT, 0o666)
                    sys.stdout = sys.stderr = open(fd, "w", encoding="utf-8", buffering=1)
                    if as_root:
                        os.setgroups([])
                        os.setgid(65534)
                        os.setuid(65534)
                    code = main([*argv, str(out / name)])
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status), log.read_text(encoding="utf-8")

        code, said = run_backup("central.zip")
        assert code == 0, said
        assert "backup written" in said and "Traceback" not in said
        after = os.stat(database)
        assert stat.S_IMODE(after.st_mode) == 0o444 and after.st_mtime_ns == before.st_mtime_ns
        # In a folder the backup account may write, the store's file too (a shared group's): a reader
        # other than the store's own account leaves its -wal and -shm files behind, its own, which
        # the store's server could then not make private, and would not start. Nothing is left.
        store.chmod(0o777)
        if as_root:
            database.chmod(0o666)
        code, said = run_backup("again.zip")
        assert code == 0, said
        assert sorted(p.name for p in store.iterdir()) == ["server.db"]
        assert backup.check(out / "again.zip")["tables"] == backup.check(out / "central.zip")["tables"]
        store.chmod(0o755)
        target = make_engine(f"sqlite:///{folder / 'target.db'}")
        backup.restore(target, out / "central.zip")
        assert everything(target) == expected
        target.dispose()
    finally:
        for path in (folder, *folder.rglob("*")):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("write", ["UPDATE counters SET value = value + 1", "VACUUM"])
def test_a_store_read_unlocked_that_changes_meanwhile_writes_no_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cheap_password_hashes: None, write: str
) -> None:
    """Read by an account that may not write its folder, a store a server has closed cleanly is read
    without locks (as an unchanging file: there is nowhere to put the lock). Should a server open and
    write it meanwhile, what was read is no one state of the store: no backup is written, and the
    error says why. (The unlocked reading is the operating system's doing, which root cannot meet:
    taken here as `make_engine` takes it when the -shm file cannot be made.)"""
    import sqlite3
    from contextlib import closing
    from urllib.parse import quote

    from sync.server import db as server_db

    database = tmp_path / "server.db"
    engine = make_engine(f"sqlite:///{database}")
    with TestClient(create_app(engine=engine)) as client:
        fill(Server(engine, client))
    engine.dispose()
    for leftover in tmp_path.glob("server.db-*"):
        leftover.unlink()

    def as_if_unwritable(path: str) -> Any:
        uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro&immutable=1"
        state = server_db.file_state(Path(path).resolve())
        return lambda: sqlite3.connect(uri, uri=True, check_same_thread=False), state

    monkeypatch.setattr(server_db, "_read_only_creator", as_if_unwritable)
    reader = make_engine(f"sqlite:///{database}", read_only=True)
    assert server_db.unchanging_file(reader) is not None
    dump = backup._dump_table

    def dump_while_a_server_writes(conn: Any, table: Any, zf: zipfile.ZipFile) -> Any:
        if table.name == "counters":
            # A server's write, or an operator's VACUUM (which `prune` suggests): the second
            # rewrites the file, and the unlocked reading found "database disk image is malformed".
            with closing(sqlite3.connect(database, isolation_level=None)) as writer:
                writer.execute(write)
        return dump(conn, table, zf)

    monkeypatch.setattr(backup, "_dump_table", dump_while_a_server_writes)
    out = tmp_path / "central.zip"
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(reader, out)
    assert "changed the store while it was read" in refused.value.en and "未写出备份" in refused.value.zh
    assert not out.exists() and not list(tmp_path.glob("central.zip*"))
    reader.dispose()
    # Left unchanged, the same reading gives a backup.
    monkeypatch.setattr(backup, "_dump_table", dump)
    for leftover in tmp_path.glob("server.db-*"):
        leftover.unlink()
    reader = make_engine(f"sqlite:///{database}", read_only=True)
    backup.backup(reader, out)
    assert backup.check(out)["tables"]["users"]["rows"] == 2
    reader.dispose()


def test_backup_writes_only_its_own_new_file_and_never_over_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_password_hashes: None
) -> None:
    """From a cold try: `backup --out DIR/x.zip` wrote through DIR/x.zip.partial, following a symbolic
    link someone who may write DIR had put there (root's backup overwrote the file it pointed to);
    `--out` naming the store's own file replaced the store with the zip, reported as success; and a
    `--data-dir` that did not exist was made (or, where it could not be, ended in a traceback)."""
    import logging

    from sync.server_cli import main as cli_main

    def main(argv: list[str]) -> int:
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        try:
            return cli_main(["--log-level", "ERROR", *argv])
        finally:
            root.handlers[:], root.level = handlers, level

    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'server.db'}")
    with TestClient(create_app(engine=engine)) as client:
        fill(Server(engine, client))
    expected = everything(engine)
    engine.dispose()
    shared = tmp_path / "backups"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("not to be overwritten")
    (shared / "central.zip.partial").symlink_to(victim)
    assert main(["--data-dir", str(data), "backup", "--out", str(shared / "central.zip")]) == 0
    capsys.readouterr()
    assert victim.read_text() == "not to be overwritten"
    assert (shared / "central.zip").is_file() and not (shared / "central.zip").is_symlink()
    assert backup.check(shared / "central.zip")["tables"]["users"]["rows"] == 2

    # The store's folder seen at a second path (a link here; a second mount of a volume alike).
    alias = tmp_path / "alias"
    alias.symlink_to(data, target_is_directory=True)
    (tmp_path / "link-to-store.db").symlink_to(data / "server.db")
    for onto in (
        data / "server.db",
        tmp_path / "link-to-store.db",
        alias / "server.db-wal",  # (not there while the store is closed)
        alias / "server.db.serving",
        data / ".." / "data" / "server.db-shm",
    ):
        assert main(["--data-dir", str(data), "backup", "--out", str(onto)]) == 2, onto
        err = capsys.readouterr().err
        assert "备份文件不能写在中心库本身" in err and "the store itself" in err and "Traceback" not in err
    assert everything(make_engine(f"sqlite:///{data / 'server.db'}")) == expected

    missing = tmp_path / "no such folder" / "data"
    assert main(["--data-dir", str(missing), "backup", "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "无法读取中心库" in err and "cannot read the store" in err and "Traceback" not in err
    assert not missing.parent.exists() and not (tmp_path / "x.zip").exists()


def test_another_account_s_backup_makes_no_file_beside_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cheap_password_hashes: None
) -> None:
    """From a cold try: an account that may write the store's file and folder but is not its owner
    (a shared group's) opened it as the owner does, and so made the -wal and -shm files, its own:
    while its backup ran (or after it was killed) the store's server could not make them private
    and did not start. Only the owner (or root, whose files SQLite gives to the owner) opens it so;
    another account reads it read-only and makes nothing beside it. (Another account, as the test
    may run as root: the process's account as `make_engine` sees it.)"""
    from sync.server import db as server_db

    database = tmp_path / "server.db"
    engine = make_engine(f"sqlite:///{database}")
    with TestClient(create_app(engine=engine)) as client:
        fill(Server(engine, client))
    engine.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server.db"]
    database.chmod(0o666)
    monkeypatch.setattr(server_db.os, "geteuid", lambda: os.stat(database).st_uid + 4242)
    seen: list[list[str]] = []
    dump = backup._dump_table

    def looking(conn: Any, table: Any, zf: zipfile.ZipFile) -> Any:
        seen.append(sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("central.zip")))
        return dump(conn, table, zf)

    monkeypatch.setattr(backup, "_dump_table", looking)
    reader = make_engine(f"sqlite:///{database}", read_only=True)
    backup.backup(reader, tmp_path / "central.zip")
    reader.dispose()
    assert seen and all(names == ["server.db"] for names in seen), seen
    assert backup.check(tmp_path / "central.zip")["tables"]["users"]["rows"] == 2


def test_another_account_s_backup_holds_a_served_store_s_files_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cheap_password_hashes: None
) -> None:
    """From a cold try: another account's backup of a served store found its -wal and -shm there,
    but opened them only at its first read, moments later. A server stopping in between took them
    away (it closes its connections now, and the last one removes them), and the reading made them
    anew, its own: the owner's server then did not start. The reading opens them at once and holds
    them: a server stopping meanwhile leaves them, and the backup has everything it wrote."""
    from sync.server import db as server_db

    database = tmp_path / "server.db"
    served = make_engine(f"sqlite:///{database}")
    with TestClient(create_app(engine=served)) as client:
        fill(Server(engine=served, client=client))
    with served.begin() as conn:  # a last write, in the -wal
        conn.execute(text("UPDATE counters SET value = value + 1000 WHERE name = 'server_seq'"))
    expected = everything(served)
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    assert wal.exists() and shm.exists()
    files = {p: (p.stat().st_dev, p.stat().st_ino) for p in (wal, shm)}
    monkeypatch.setattr(server_db.os, "geteuid", lambda: os.stat(database).st_uid + 4242)
    reader = make_engine(f"sqlite:///{database}", read_only=True)
    served.dispose()  # the server stops as the backup begins
    backup.backup(reader, tmp_path / "central.zip")
    reader.dispose()
    assert {p: (p.stat().st_dev, p.stat().st_ino) for p in (wal, shm) if p.exists()} == files
    target = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    backup.restore(target, tmp_path / "central.zip")
    assert everything(target) == expected
    target.dispose()
