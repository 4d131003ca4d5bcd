"""Qt's own messages reach the application's log."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QPixmap

from ui.qt_log import qt_message, route_qt_messages


@pytest.fixture
def routed():
    route_qt_messages()
    yield
    qInstallMessageHandler(None)  # pytest-qt installs its own again for the next test


def test_a_qt_warning_becomes_a_log_record(routed, caplog, qapp):
    with caplog.at_level(logging.DEBUG, logger="commissioner.qt"):
        QPixmap().scaled(0, 0)  # Qt warns: "QPixmap::scaled: Pixmap is a null pixmap"
    records = [r for r in caplog.records if r.name == "commissioner.qt"]
    assert records, "Qt's warning did not reach the log"
    assert records[0].levelno == logging.WARNING
    assert "null pixmap" in records[0].getMessage()


def test_each_kind_keeps_its_level(caplog):
    class Where:
        category = "qt.qpa"

    with caplog.at_level(logging.DEBUG, logger="commissioner.qt"):
        qt_message(QtMsgType.QtCriticalMsg, Where(), "cannot open display")  # type: ignore[arg-type]
        qt_message(QtMsgType.QtDebugMsg, Where(), "plugin loaded")  # type: ignore[arg-type]
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, "cannot open display (qt.qpa)"),
        (logging.DEBUG, "plugin loaded (qt.qpa)"),
    ]
