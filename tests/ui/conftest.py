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


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(qapp):
    """Windows of a finished test are deleted: a language switch later sends every window a
    LanguageChange, and a window whose store is closed must not be there to receive it."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
