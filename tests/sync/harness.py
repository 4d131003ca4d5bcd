"""Running the real central store for the proof tests: a uvicorn process on a free loopback port,
on SQLite (a file) or PostgreSQL (a fresh database per run), and reading its records directly."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery 9"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "COMMISSIONER_LANG": "zh_CN"}
SERVER_REPO = REPO
SERVER_ENV = ENV


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_url() -> str | None:
    """A PostgreSQL server URL when one is reachable; skips (or fails when CI=true) otherwise."""
    url = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return url
    except Exception as exc:  # any failure to connect means "not reachable"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {url} is unreachable with CI=true: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {url} ({exc}); set CI=true to require it")
    return None


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    base = postgres_url()
    assert base is not None
    name = f"fc_sync_client_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def server_cli(database: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=SERVER_ENV,
        cwd=SERVER_REPO,
        timeout=120,
        check=True,
    )


class Server:
    """The central store in its own process (so a test can kill it)."""

    def __init__(self, database: str, log_dir: Path, port: int | None = None):
        self.database = database
        self.port = port or free_port()
        self.log_path = log_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._engine: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_user(
        self,
        name: str,
        role: str = "commissioner",
        *,
        commissioner_id: str | None = None,
        team: str | None = None,
        county: str = "",
    ) -> str:
        """Add an account (as `commissioner-server user add` does); returns the name."""
        from argon2 import PasswordHasher

        from sync.server import auth

        # The production argon2 cost is for the server's users, not for a test's setup; the
        # server process verifies these hashes with their own (cheap) parameters.
        previous = auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        try:
            auth.add_user(
                self.engine,
                name,
                PASSWORD,
                role,
                commissioner_id=commissioner_id,
                team_id=team,
                county=county,
            )
        finally:
            auth.use_password_hasher(*previous)
        return name

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from sync.server.db import make_engine
            from sync.server.migrations import migrate

            self._engine = make_engine(self.database)
            migrate(self._engine)
        return self._engine

    def start(self) -> Server:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server_cli",
                "--database",
                self.database,
                "--log-level",
                "WARNING",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=SERVER_ENV,
            cwd=SERVER_REPO,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                requests.get(self.url + "/api/v1/me", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def records(self, owner: str | None = None) -> dict[tuple[str, str], dict[str, Any]]:
        """The records the server holds (of one commissioner, when given), read from its database:
        (table, id) -> rev, deleted, fields."""
        from sqlalchemy import text

        sql = "SELECT table_name, id, rev, deleted, fields FROM records"
        with self.engine.connect() as conn:
            if owner:
                rows = conn.execute(text(sql + " WHERE owner_id = :owner"), {"owner": owner}).fetchall()
            else:
                rows = conn.execute(text(sql)).fetchall()
        return {
            (t, i): {"rev": rev, "deleted": bool(deleted), "fields": json.loads(fields)}
            for t, i, rev, deleted, fields in rows
        }

    def uploads(self) -> dict[str, bool]:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return {sha: bool(c) for sha, c in conn.execute(text("SELECT sha256, complete FROM uploads"))}


@contextlib.contextmanager
def running_server(database: str, log_dir: Path) -> Iterator[Server]:
    server = Server(database, log_dir)
    server.start()  # `serve` brings the schema up to date first
    try:
        yield server
    finally:
        server.stop()
