"""A server worker is ready for its first sync when it starts taking requests: what FastAPI builds
at a process's first routed request (every route's parameter schemas) is built at start-up, not
while a commissioner's first push of the day waits for it."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync import protocol
from sync.server.app import create_app, warm_up

HEADERS = {protocol.PROTOCOL_HEADER: str(protocol.PROTOCOL_VERSION)}


@pytest.fixture
def schemas_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every pydantic schema built (a TypeAdapter made) while the test runs."""
    built: list[Any] = []
    original = pydantic.TypeAdapter.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(args[0] if args else kwargs.get("type"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(pydantic.TypeAdapter, "__init__", counting)
    yield built


def first_requests(app: FastAPI, built: list[Any]) -> list[Any]:
    """The schemas built while a fresh process answers its first requests: a login attempt, an
    unauthenticated pull and a health check."""
    built.clear()
    with TestClient(app) as client:
        assert client.post(f"{protocol.API_PREFIX}/auth/login", json={}, headers=HEADERS).status_code == 422
        assert client.get(f"{protocol.API_PREFIX}/sync/pull", headers=HEADERS).status_code == 401
        assert client.get(f"{protocol.API_PREFIX}/health").status_code == 200
    return list(built)


def test_a_warmed_up_app_builds_no_schema_at_its_first_requests(
    tmp_path: Path, schemas_built: list[Any]
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'server.db'}")
    warm_up(app)
    assert first_requests(app, schemas_built) == []


def test_the_warm_up_is_not_a_request_anyone_sees(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'server.db'}")
    with caplog.at_level(logging.DEBUG):
        warm_up(app)
    assert [r for r in caplog.records if r.name.startswith("sync.server.access")] == []
    with TestClient(app) as client:
        assert client.get(f"{protocol.API_PREFIX}/health").json()["ok"] is True


def test_the_workers_app_is_warmed_up_before_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schemas_built: list[Any]
) -> None:
    from sync import server_cli

    # The worker's factory also tunes this process's garbage collector: not in the test process.
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(gc, "set_threshold", lambda *a: None)
    # ... and holds the store's serving lock for the life of its process: not the test process's.
    monkeypatch.setattr("sync.server.serving.hold_while_alive", lambda url: None)
    monkeypatch.setenv("COMMISSIONER_SERVER_URL", f"sqlite:///{tmp_path / 'server.db'}")
    monkeypatch.setenv("COMMISSIONER_SERVER_LOG_LEVEL", "WARNING")
    app = server_cli.app_from_env()
    assert first_requests(app, schemas_built) == []


def test_a_warmed_up_worker_checks_its_first_token_without_loading_or_compiling(tmp_path: Path) -> None:
    """What a worker's first request with a token paid besides (15-19 ms of the first push batch it
    took, measured): importing anyio's thread-pool backend for asyncio and compiling the token
    query. In a process of its own, as a worker starts: nothing of the test run loaded yet."""
    script = f"""
import sys
from sync.server import auth
from sync.server.app import create_app, warm_up
from sync.server.errors import ApiError
app = create_app({f"sqlite:///{tmp_path / 'server.db'}"!r})
assert "anyio._backends._asyncio" not in sys.modules, "loaded before the warm-up: the test sees nothing"
warm_up(app)
engine = app.state.engine
compiled = len(engine._compiled_cache)
try:
    auth.authenticate(engine, "Bearer someone-elses")
except ApiError:
    pass
print("anyio backend loaded:", "anyio._backends._asyncio" in sys.modules)
print("queries compiled at the first token check:", len(engine._compiled_cache) - compiled)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "anyio backend loaded: True",
        "queries compiled at the first token check: 0",
    ]
