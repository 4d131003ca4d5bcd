from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import Server, fresh_postgres_database, running_server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """The real central store on a free loopback port, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
            yield s
    else:
        with fresh_postgres_database() as url, running_server(url, tmp_path) as s:
            yield s


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
        yield s
