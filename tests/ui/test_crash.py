"""A bug shows a dialog with the log's location instead of the window vanishing."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from commissioner_app import i18n, logs
from ui import crash


class RecordingBox(QMessageBox):
    shown: list[RecordingBox] = []

    def exec(self) -> int:  # instead of blocking on a modal dialog
        RecordingBox.shown.append(self)
        return 0


@pytest.fixture
def handler(tmp_path: Path, monkeypatch):
    RecordingBox.shown = []
    monkeypatch.setattr(crash, "QMessageBox", RecordingBox)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    level = logging.getLogger().level
    yield crash.install_crash_handler(tmp_path)
    logs.stop_logging()
    logging.getLogger().setLevel(level)
    if crash._fault_file is not None:
        faulthandler.enable(sys.__stderr__)
        crash._fault_file.close()
        crash._fault_file = None
    i18n.set_language("zh_CN")


def _raise_in_main_thread() -> None:
    try:
        {}["missing visit"]
    except KeyError:
        sys.excepthook(*sys.exc_info())


def test_an_uncaught_exception_shows_the_log_location_in_chinese(handler, tmp_path: Path):
    assert sys.excepthook == handler.excepthook
    _raise_in_main_thread()
    assert len(RecordingBox.shown) == 1
    box = RecordingBox.shown[0]
    log_file = tmp_path / "logs" / "commissioner.log"
    assert "程序遇到了意外错误" in box.text()
    assert str(log_file) in box.informativeText()
    assert "KeyError" in box.detailedText()
    assert box.icon() == QMessageBox.Icon.Critical
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception" in text and "Traceback" in text and "missing visit" in text


def test_the_dialog_is_in_english_when_english_is_selected(handler, tmp_path: Path):
    i18n.set_language("en")
    _raise_in_main_thread()
    box = RecordingBox.shown[0]
    assert "unexpected error" in box.text()
    assert str(tmp_path / "logs" / "commissioner.log") in box.informativeText()


def test_an_exception_in_a_worker_thread_is_shown_by_the_gui_thread(handler, qtbot, tmp_path: Path):
    def work():
        raise RuntimeError("sync worker failed")

    worker = threading.Thread(target=work, name="sync-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(RecordingBox.shown) == 1, timeout=3000)
    assert "sync worker failed" in RecordingBox.shown[0].detailedText()
    text = (tmp_path / "logs" / "commissioner.log").read_text(encoding="utf-8")
    assert "sync-worker" in text and "RuntimeError" in text


def test_an_exception_raised_in_a_slot_is_caught(handler, qtbot):
    from PySide6.QtCore import QTimer

    def slot():
        raise ValueError("bad date in the visit form")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: len(RecordingBox.shown) == 1, timeout=3000)
    assert "bad date" in RecordingBox.shown[0].detailedText()


def test_without_dialogs_the_log_location_goes_to_stderr(handler, tmp_path: Path, capsys):
    handler.show_dialog = False  # as for --screenshot, where nobody could close a dialog
    _raise_in_main_thread()
    assert RecordingBox.shown == []
    err = capsys.readouterr().err
    assert "KeyError" in err and str(tmp_path / "logs" / "commissioner.log") in err
