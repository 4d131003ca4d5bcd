"""Qt's own messages (a failed image load, a bad layout, a platform plugin's complaint) go into the
application's log, under the logger `commissioner.qt`, instead of stderr where nobody sees them
(after qutebrowser's `utils/log.py`)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("commissioner.qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The message handler: one log record per Qt message, with where Qt says it came from."""
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    log.log(LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def route_qt_messages() -> None:
    """Install the handler (once, at start: before the QApplication prints anything)."""
    qInstallMessageHandler(qt_message)
