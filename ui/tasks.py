"""Background operations: database work off the GUI thread, results back on it.

Design (after Anki's `QueryOp` and task manager):

- Every call on the application's `Store` runs on ONE worker thread (`TaskRunner`), in the order
  submitted, so a Store is never used by two threads at once and writes never interleave.
- The GUI thread never touches that Store. The only database access on the GUI thread is the
  lazy row fetch of the list models, which goes through a second, read-only connection
  (`AppContext.reader`): SQLite in WAL mode lets it read committed data while the worker writes,
  and fetching one page of 100 rows by id takes about a millisecond, so scrolling never waits for
  a long-running search on the worker.
- Results and errors come back to the GUI thread through a queued Qt signal. A callback whose
  parent widget has been destroyed meanwhile is dropped.

Usage::

    Operation(parent, op=lambda store: store.count_visits(q), success=show_count) \\
        .failure(on_error).with_progress(self.tr("正在统计…")).run_in_background()
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import language
from commissioner_app.store import Store

log = logging.getLogger("commissioner.ui.tasks")

T = TypeVar("T")

SLOW_MS = 200  # operations slower than this are logged, to find what makes a screen wait


class TaskRunner(QObject):
    """Runs store operations one after another on a single worker thread."""

    # Emitted from the worker after it queued a result; delivered on the GUI thread. The results
    # stay in a Python queue, so only a wake-up crosses Qt (no Python objects converted by Qt).
    _finished = Signal()
    # The label of the oldest running operation that asked for progress, or "" when none.
    busy_changed = Signal(str)
    # Emitted on the GUI thread whenever no operation is queued or running.
    idle = Signal()

    _current: TaskRunner | None = None

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="store-worker"
        )
        self._pending = 0
        self._labels: list[tuple[int, str]] = []
        self._serial = 0
        self._results: queue.SimpleQueue[
            tuple[Callable[[Any, BaseException | None], None], Any, BaseException | None]
        ] = queue.SimpleQueue()
        self._finished.connect(self._deliver)
        self._read_lock = threading.Lock()
        self._reading = False
        TaskRunner._current = self

    @classmethod
    def current(cls) -> TaskRunner:
        if cls._current is None:
            raise RuntimeError("no TaskRunner: create an AppContext first")
        return cls._current

    @property
    def pending(self) -> int:
        """Operations submitted whose callbacks have not run yet."""
        return self._pending

    def submit(
        self,
        op: Callable[[Store], Any],
        done: Callable[[Any, BaseException | None], None],
        label: str = "",
        *,
        interruptible: bool = False,
    ) -> None:
        """Run `op(store)` on the worker; `done(result, error)` runs later on the GUI thread."""
        if self._executor is None:
            log.warning("operation submitted after shutdown was ignored")
            return
        self._serial += 1
        serial = self._serial
        self._pending += 1
        if label:
            self._labels.append((serial, label))
            self.busy_changed.emit(self._labels[0][1])

        def finish(result: Any, error: BaseException | None) -> None:
            self._finish_label(serial)
            done(result, error)

        def work() -> None:
            if interruptible:
                with self._read_lock:
                    self._reading = True
            started = time.perf_counter()
            result, error = None, None
            try:
                result = op(self.store)
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                error = exc
            finally:
                # Cleared before the result is announced: an interrupt can only hit this read.
                if interruptible:
                    with self._read_lock:
                        self._reading = False
            elapsed = (time.perf_counter() - started) * 1000
            if elapsed > SLOW_MS:
                log.info("slow operation %s: %.0f ms", getattr(op, "__qualname__", op), elapsed)
            self._results.put((finish, result, error))
            self._finished.emit()

        self._executor.submit(work)

    def interrupt_reads(self) -> bool:
        """Stop the running operation if it is an interruptible read (a search made stale by the
        next keystroke, a long list load before a save); it then fails with
        sqlite3.OperationalError("interrupted") and its model loads again if still wanted.

        Writes are never submitted as interruptible, so a save can never be cut short."""
        with self._read_lock:
            if self._reading:
                self.store.db.conn.interrupt()
                return True
        return False

    def _finish_label(self, serial: int) -> None:
        before = self._labels[0][1] if self._labels else ""
        self._labels = [(s, text) for s, text in self._labels if s != serial]
        after = self._labels[0][1] if self._labels else ""
        if after != before:
            self.busy_changed.emit(after)

    def _deliver(self) -> None:
        while True:
            try:
                callback, result, error = self._results.get_nowait()
            except queue.Empty:
                return
            self._pending -= 1
            try:
                callback(result, error)
            finally:
                if self._pending == 0:
                    self.idle.emit()

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until every submitted operation has delivered (tests, screenshots)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._pending and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            threading.Event().wait(0.002)
        QCoreApplication.processEvents()
        return self._pending == 0

    def shutdown(self) -> None:
        """Finish the running operation and drop the queued ones (at exit)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if TaskRunner._current is self:
            TaskRunner._current = None


class Operation(Generic[T]):
    """One background operation on the store with GUI-thread callbacks."""

    def __init__(
        self,
        parent: QObject | None,
        op: Callable[[Store], T],
        success: Callable[[T], None] | None = None,
        *,
        runner: TaskRunner | None = None,
    ):
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._label = ""
        self._runner = runner
        self._interruptible = False

    def failure(self, callback: Callable[[BaseException], None]) -> Operation[T]:
        self._failure = callback
        return self

    def with_progress(self, label: str) -> Operation[T]:
        """Show `label` with a busy indicator while the operation runs."""
        self._label = label
        return self

    def interruptible(self) -> Operation[T]:
        """Mark a read-only operation that a newer one may cut short (see TaskRunner.interrupt_reads)."""
        self._interruptible = True
        return self

    def run_in_background(self) -> None:
        # The runner of the parent's application context, else the last one created.
        context = getattr(self._parent, "context", None)
        runner = self._runner or getattr(context, "tasks", None) or TaskRunner.current()
        runner.submit(self._op, self._done, self._label, interruptible=self._interruptible)

    def _done(self, result: Any, error: BaseException | None) -> None:
        if self._parent is not None and not shiboken6.isValid(self._parent):
            log.debug("dropped the result of an operation whose window was closed")
            return
        if error is None:
            if self._success is not None:
                self._success(result)
            return
        if self._failure is not None:
            self._failure(error)
        else:
            show_error(self._parent if isinstance(self._parent, QWidget) else None, error)


def error_text(error: BaseException) -> str:
    """What to tell the user about a failed operation, in the current language."""
    if isinstance(error, CommissionerError):
        return error.text(language())
    return QCoreApplication.translate(
        "tasks", "发生意外错误：{0}。数据未丢失；请重试，若仍出错请联系技术支持。"
    ).format(error)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if not isinstance(error, CommissionerError):
        log.error("operation failed", exc_info=error)
    QMessageBox.warning(parent, QCoreApplication.translate("tasks", "操作未完成"), error_text(error))
