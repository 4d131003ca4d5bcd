"""`serve --db-connections N`: how many database connections each server process may hold, so that
several processes (and machines) fit within one PostgreSQL's max_connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import server_cli
from sync.server.db import make_engine

URL = "postgresql://nobody@127.0.0.1:1/none"  # the pool is made without connecting


def test_each_process_holds_40_connections_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMISSIONER_SERVER_DB_CONNECTIONS", raising=False)
    pool = make_engine(URL).pool
    assert pool.size() + pool._max_overflow == 40  # type: ignore[attr-defined]
    monkeypatch.setenv("COMMISSIONER_SERVER_DB_CONNECTIONS", "15")
    pool = make_engine(URL).pool
    assert (pool.size(), pool._max_overflow) == (10, 5)  # type: ignore[attr-defined]
    monkeypatch.setenv("COMMISSIONER_SERVER_DB_CONNECTIONS", "4")
    pool = make_engine(URL).pool
    assert (pool.size(), pool._max_overflow) == (4, 0)  # type: ignore[attr-defined]


def test_serve_refuses_fewer_than_one_connection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMISSIONER_SERVER_DB_CONNECTIONS", raising=False)
    database = f"sqlite:///{tmp_path / 'server.db'}"
    code = server_cli.main(["--database", database, "serve", "--db-connections", "0"])
    assert code == server_cli.EXIT_USER_ERROR
    assert "--db-connections" in capsys.readouterr().err


def test_health_says_so_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    """A load balancer in front of several server processes asks /health which of them can serve: one
    that cannot reach its database must not answer ok (it answered 200 while every login failed)."""
    from fastapi.testclient import TestClient

    from sync.protocol import API_PREFIX
    from sync.server.app import create_app

    with TestClient(create_app(f"sqlite:///{tmp_path / 'server.db'}")) as client:
        answer = client.get(f"{API_PREFIX}/health")
        assert answer.status_code == 200 and answer.json()["ok"] is True
    # A PostgreSQL nobody listens for (the app is made without connecting to it).
    with TestClient(create_app(URL, run_migrations=False)) as client:
        answer = client.get(f"{API_PREFIX}/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["ok"] is False and body["error"] == "database_unavailable"
    assert "数据库" in body["message_zh"] and "database" in body["message_en"]


@pytest.mark.postgres
def test_serve_warns_when_its_processes_may_want_more_connections_than_postgresql_takes(
    tmp_path: Path,
) -> None:
    """`serve --workers 3` with 40 connections each against a PostgreSQL of max_connections 100 started
    without a word, and would have failed under load (a cold try)."""
    from sync.server.db import connections_warning
    from tests.sync.harness import postgres_url

    base = postgres_url()
    assert base is not None
    engine = make_engine(base)
    try:
        with engine.connect() as conn:
            most = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
        assert connections_warning(engine, 1, 10) is None
        too_many = most // 40 + 1
        warning = connections_warning(engine, too_many, 40)
        assert warning is not None
        assert f"max_connections {most}" in warning and str(too_many * 40) in warning
        assert "--workers" in warning and "警告" in warning
    finally:
        engine.dispose()
    assert connections_warning(make_engine(f"sqlite:///{tmp_path / 'server.db'}"), 99, 40) is None


def test_a_push_answered_by_a_sqlite_store_is_on_its_disk_first(tmp_path: Path) -> None:
    """A laptop marks its records sent once the store has answered for them, and sends them no more.
    Under SQLite's synchronous=NORMAL a commit reaches the disk only at the next checkpoint: a power
    cut of the server (a county office's PC) lost the batches it had answered since, which no laptop
    would send again. Every connection of the store commits to its disk (FULL), as PostgreSQL does."""
    from sync.server.auth import add_user
    from sync.server.migrations import migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    migrate(engine)
    add_user(engine, "zhangsan", "a good password 1", "commissioner", commissioner_id="c1")
    connections = [engine.raw_connection() for _ in range(3)]  # the pool's, each made anew
    try:
        assert [c.execute("PRAGMA synchronous").fetchone()[0] for c in connections] == [2, 2, 2]
        assert all(c.execute("PRAGMA journal_mode").fetchone()[0] == "wal" for c in connections)
    finally:
        for c in connections:
            c.close()
        engine.dispose()
