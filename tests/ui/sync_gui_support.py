"""Fixtures of the sync GUI tests: the real central store on loopback and commissioners' data
directories, driven through the real widgets."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from commissioner_app.domain import Visit
from commissioner_app.store import Store
from tests.sync.fieldwork import FAST, add_target, add_visit, commissioner_store
from tests.sync.harness import PASSWORD, Server, running_server
from ui.context import AppContext
from ui.sync_control import SyncController, sync_controller

__all__ = [
    "PASSWORD",
    "Server",
    "wait_until",
    "gui_server",
    "field_dir",
    "open_context",
    "add_visits",
    "bureau_context",
]


@pytest.fixture(scope="module")
def gui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One real server per test module (starting one takes seconds); each test has its own account."""
    folder = tmp_path_factory.mktemp("server")
    with running_server(f"sqlite:///{folder / 'server.db'}", folder) as server:
        yield server


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Process Qt events until `condition()` holds (results come back through queued signals)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.01)
    QCoreApplication.processEvents()


def field_dir(server: Server, folder: Path, username: str = "") -> tuple[Path, str, str]:
    """A commissioner's data directory with a profile; the account (a new one unless named) exists
    on the server. Returns (folder, commissioner id, username)."""
    cid = str(uuid.uuid4())
    username = username or f"wangjg{cid[:6]}"
    add_user(server, username, cid)
    store = commissioner_store(folder, cid)
    store.close()
    return folder, cid, username


def add_user(server: Server, username: str, commissioner_id: str, display_name: str = "") -> None:
    """Add a commissioner account in this process (the CLI's subprocess takes seconds to start)."""
    from sync.server import auth
    from sync.server.db import make_engine

    engine = make_engine(server.database)
    try:
        auth.add_user(
            engine,
            username,
            PASSWORD,
            "commissioner",
            display_name=display_name,
            commissioner_id=commissioner_id,
        )
    finally:
        engine.dispose()


def add_visits(folder: Path, count: int, seed: int = 3) -> list[Visit]:
    store = Store.open(folder)
    store.actor = store.get_meta("self_commissioner_id") or ""
    rng = random.Random(seed)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{i}次") for i in range(count)]
    store.close()
    return visits


def open_context(folder: Path, *, probe_seconds: int = 600) -> tuple[AppContext, SyncController]:
    store = Store.open(folder)
    context = AppContext(store, language="zh_CN")
    context.set_setting("sync", "probe_seconds", probe_seconds)
    controller = sync_controller(context)
    controller.client_options = dict(FAST)
    return context, controller


def bureau_context(server: Server, folder: Path, name: str) -> tuple[AppContext, SyncController]:
    """A data folder logged in to `server` as a new city bureau account `name`, opened."""
    from sync import session

    server.add_user(name, "bureau")
    store = Store.open(folder)
    session.login(store, server.url, name, PASSWORD, use_file=True)
    store.close()
    return open_context(folder)
