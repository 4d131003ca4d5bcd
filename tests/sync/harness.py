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
# The server's code (the same checkout, unless a test run points elsewhere).
SERVER_REPO = Path(os.environ.get("COMMISSIONER_SERVER_REPO", str(REPO)))
SERVER_ENV = {**ENV, "PYTHONPATH": str(SERVER_REPO)}


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
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "not reachable"
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
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def server_cli(database: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING", *args],
        input=stdin, capture_output=True, text=True, env=SERVER_ENV, cwd=SERVER_REPO, timeout=120, check=True,
    )


class Server:
    """The central store in its own process (so a test can kill it)."""

    def __init__(self, database: str, log_dir: Path, port: int | None = None):
        self.database = database
        self.port = port or free_port()
        self.log_path = log_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_user(self, name: str, role: str = "commissioner", *, commissioner_id: str | None = None,
                 team: str | None = None) -> None:
        args = ["user", "add", name, "--role", role, "--password-stdin"]
        if commissioner_id:
            args += ["--commissioner-id", commissioner_id]
        if team:
            args += ["--team", team]
        server_cli(self.database, *args, stdin=PASSWORD + "\n")

    def start(self) -> Server:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync.server_cli", "--database", self.database, "--log-level", "WARNING",
             "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=SERVER_ENV, cwd=SERVER_REPO,
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
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def records(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every record the server holds, read from its database: (table, id) -> rev, deleted, fields."""
        from sqlalchemy import create_engine, text

        url = self.database
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT table_name, id, rev, deleted, fields FROM records")).fetchall()
        finally:
            engine.dispose()
        return {(t, i): {"rev": rev, "deleted": bool(deleted), "fields": json.loads(fields)}
                for t, i, rev, deleted, fields in rows}

    def uploads(self) -> dict[str, bool]:
        from sqlalchemy import create_engine, text

        url = self.database
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                return {sha: bool(c) for sha, c in conn.execute(text("SELECT sha256, complete FROM uploads"))}
        finally:
            engine.dispose()


@contextlib.contextmanager
def running_server(database: str, log_dir: Path) -> Iterator[Server]:
    server = Server(database, log_dir)
    server.start()  # `serve` brings the schema up to date first
    try:
        yield server
    finally:
        server.stop()
