"""When the application hits a bug: log the traceback, tell the user where the log is, keep running.

Without this, an exception in a slot prints to a console a Windows user never sees, and an
exception before the event loop starts makes the window vanish without a word.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from commissioner_app import i18n
from commissioner_app.logs import configure_logging, log_path

log = logging.getLogger("commissioner.ui.crash")

_handler: CrashHandler | None = None
_fault_file: IO[str] | None = None


def crash_texts(log_file: Path, lang: str | None = None) -> tuple[str, str, str]:
    """(title, text, informative text) of the crash dialog, in the user's language."""
    if (lang or i18n.language()) == "en":
        return (
            "Field Commissioner – unexpected error",
            "The application hit an unexpected error. Records already saved are safe.",
            f"The details were written to the log file:\n{log_file}\n\n"
            "Please send this file to technical support. If the application misbehaves, save your "
            "work and restart it.",
        )
    return (
        "科技特派员服务记录 - 程序错误",
        "程序遇到了意外错误。已保存的记录不受影响。",
        f"详细信息已写入日志文件：\n{log_file}\n\n请将此文件发送给技术支持人员。如程序运行异常，请保存当前工作后重新启动程序。",
    )


class CrashHandler(QObject):
    """Receives uncaught exceptions from any thread; shows the dialog on the GUI thread."""

    crashed = Signal(str)

    def __init__(self, log_file: Path, *, show_dialog: bool = True):
        super().__init__()
        self.log_file = log_file
        self.show_dialog = show_dialog
        self._showing = False
        # Queued: an exception in a worker thread is shown by the GUI thread.
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        self.report("".join(traceback.format_exception_only(exc_type, exc)).strip())

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        log.critical(
            "uncaught exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
        )
        self.report(f"{args.exc_type.__name__}: {args.exc_value}")

    def report(self, summary: str) -> None:
        app = QCoreApplication.instance()
        if app is None or not self.show_dialog:
            print(summary, crash_texts(self.log_file)[2], sep="\n", file=sys.stderr)
            return
        if threading.current_thread() is threading.main_thread():
            # The dialog's own event loop works before app.exec() and inside a slot alike.
            self._show(summary)
        else:
            self.crashed.emit(summary)

    @Slot(str)
    def _show(self, summary: str) -> None:
        if self._showing or not isinstance(QCoreApplication.instance(), QApplication):
            return  # one dialog at a time: a burst of errors should not bury the user
        self._showing = True
        try:
            title, text, informative = crash_texts(self.log_file)
            box = QMessageBox(QMessageBox.Icon.Critical, title, text)
            box.setInformativeText(informative)
            box.setDetailedText(summary)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.exec()
        finally:
            self._showing = False


def install_crash_handler(data_dir: Path | str, *, show_dialog: bool = True) -> CrashHandler:
    """Log to <data dir>/logs and show a dialog with the log's location for any uncaught exception.

    Call once, after the QApplication exists. Also records hard crashes (segmentation faults) of
    the Python runtime with faulthandler in logs/fatal.log.
    """
    global _handler, _fault_file
    log_file = configure_logging(data_dir) or log_path(data_dir)
    handler = CrashHandler(log_file, show_dialog=show_dialog)
    sys.excepthook = handler.excepthook
    threading.excepthook = handler.thread_excepthook
    try:
        if _fault_file is None:
            _fault_file = (log_file.parent / "fatal.log").open("a", encoding="utf-8")
            faulthandler.enable(_fault_file)
    except OSError as exc:
        log.warning("cannot record fatal errors in %s: %s", log_file.parent, exc)
    _handler = handler
    return handler
