from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import Server, fresh_postgres_database, running_server

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _serve(backend: str, folder: Path) -> Iterator[Server]:
    if backend == "sqlite":
        with running_server(f"sqlite:///{folder / 'server.db'}", folder) as s:
            yield s
    else:
        with fresh_postgres_database() as url, running_server(url, folder) as s:
            yield s


@pytest.fixture(scope="session", params=BACKENDS)
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One real central store per backend for the tests that do not stop it (each uses its own accounts)."""
    yield from _serve(request.param, tmp_path_factory.mktemp(f"server-{request.param}"))


@pytest.fixture(params=BACKENDS)
def own_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A central store process of the test's own, on SQLite and on PostgreSQL (the test may kill it).

    (`server`, in tests/sync/server_support.py, is the store's API in this process.)"""
    yield from _serve(request.param, tmp_path)


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    yield from _serve("sqlite", tmp_path)


@pytest.fixture
def username() -> str:
    """A fresh account name, so tests can share one server."""
    return f"u{uuid.uuid4().hex[:10]}"
