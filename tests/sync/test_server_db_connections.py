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
