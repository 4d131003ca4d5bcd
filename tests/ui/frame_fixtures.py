"""Fixtures of the application frame's tests (imported by the test modules that use them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from ui.context import AppContext


def make_context(store: Store, language: str = "zh_CN") -> AppContext:
    return AppContext(store, language=language)


@pytest.fixture
def context(store: Store, qapp):
    """An application context on an empty store, Chinese."""
    ctx = make_context(store)
    yield ctx
    ctx.set_language("zh_CN")
    ctx.close()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A data directory with 3,000 demo visits, made once per test session."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    store = Store.open(folder)
    generate_demo(store, visits=3000, seed=7)
    store.close()
    return folder


@pytest.fixture
def demo_context(demo_dir: Path, tmp_path: Path, qapp):
    """A context on a private copy of the demo data (tests may write to it)."""
    from commissioner_app.paths import DB_FILENAME
    from commissioner_app.store import copy_database

    folder = tmp_path / "demo"
    folder.mkdir()
    copy_database(demo_dir / DB_FILENAME, folder / DB_FILENAME)
    store = Store.open(folder)
    ctx = make_context(store)
    yield ctx
    ctx.set_language("zh_CN")
    ctx.close()
    ctx.close()
