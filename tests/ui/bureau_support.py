"""A bureau's data directory for the bureau views' tests: demo data of the city, logged in as bureau."""

from __future__ import annotations

import pytest

from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as
from ui.context import AppContext


@pytest.fixture
def bureau_store(tmp_path) -> Store:
    store = Store.open(tmp_path / "bureau")
    generate_demo(store, visits=400, seed=7, commissioners=12)
    log_in_as(store, "bureau", None)
    yield store
    store.close()


@pytest.fixture
def bureau_context(bureau_store: Store, qapp):
    ctx = AppContext(bureau_store, language="zh_CN")
    yield ctx
    ctx.set_language("zh_CN")
    ctx.close()
