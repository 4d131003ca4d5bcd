from pathlib import Path

import pytest

from commissioner_app.store import Store


@pytest.fixture
def store(tmp_path: Path):
    """An empty store in a fresh data directory."""
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _bundled_font(qapp):
    from ui.fonts import register_bundled_font

    register_bundled_font(qapp)
