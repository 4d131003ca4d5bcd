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


MODAL_PATIENCE = 15.0  # seconds a message box may wait for an answer in a test run


@pytest.fixture(autouse=True)
def _no_message_box_holds_the_run(qapp):
    """A message box that nobody answers (an operation failing while a test tears down its windows)
    would hold the whole test part until its time limit: it is closed after MODAL_PATIENCE seconds
    and its text printed, so that what went wrong is in the output."""
    import sys
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    opened: dict[int, float] = {}

    def check() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        since = opened.setdefault(id(box), time.monotonic())
        if time.monotonic() - since > MODAL_PATIENCE:
            said = f"{box.windowTitle()}: {box.text()}"
            print(f"\nclosed a message box nobody answered: {said}", file=sys.stderr)
            box.reject()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(1000)
    yield
    timer.stop()
