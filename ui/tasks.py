"""The executor: every operation of the GUI runs off the GUI thread, and its result comes back on it.

Design (after Anki's `QueryOp`/`CollectionOp` and task manager, `aqt/taskman.py`):

- Two lanes. The database lane runs every call on the application's `Store` on ONE worker thread,
  in the order submitted, so a Store is never used by two threads at once and writes never
  interleave. The network lane (sync, login, logout, reachability, and long documents that would
  hold up the saves: an annual record, a batch of them) runs on a small pool of its own; each job
  there opens its own `Store` connection (SQLite in WAL mode lets it write beside the worker's), so
  a sync over a weak link never holds up a save.
- Worker threads never touch Qt. They put a finished job (or a progress report) in a Python queue
  and write one byte to a socket pair; a `QSocketNotifier` on the GUI thread wakes up and delivers
  the callbacks there. (Queued signals emitted from several threads at once crashed the interpreter
  at exit under PySide6 6.12; a byte on a socket cannot.) No timer polls.
- An operation that changed records returns an `OpChanges` (commissioner_app.ops) with its result;
  after its own callback ran the executor announces it ONCE through `operation_did_execute(changes)`, and
  each view decides itself whether to refresh. Views hold no SQL and never wait on a worker.
- The GUI thread reads nothing from the worker's connection. The list models' lazy page fetches go
  through a second, read-only connection (`AppContext.reader`) with core query functions: fetching
  one page of 100 rows by id takes about a millisecond, so scrolling never waits for a search.
- A callback whose parent widget has been destroyed meanwhile is dropped (the changes are still
  announced).

Usage::

    Operation(parent, op=lambda store: store.count_visits(q), success=show_count) \\
        .failure(on_error).with_progress(self.tr("正在统计…")).run_in_background()
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import language
from commissioner_app.ops import changes_of
from commissioner_app.ops.query import interrupt
from commissioner_app.store import Store

log = logging.getLogger("commissioner.ui.tasks")

T = TypeVar("T")
Done = Callable[[Any, BaseException | None], None]

SLOW_MS = 200  # operations slower than this are logged, to find what makes a screen wait
# A sync, a reachability probe and a long document (an annual record, a batch) may run side by side.
NETWORK_WORKERS = 3


class Executor(QObject):
    """Runs operations on the database lane (one worker thread, in order) or the network lane."""

    # The label of the oldest running operation that asked for progress, or "" when none.
    busy_changed = Signal(str)
    # Emitted on the GUI thread whenever no operation is queued or running.
    idle = Signal()
    # After an operation that changed records: what it changed (an OpChanges), once.
    operation_did_execute = Signal(object)

    _current: Executor | None = None

    def __init__(self, store: Store, parent: QObject | None = None, *, data_dir: Path | None = None):
        super().__init__(parent)
        self.store = store
        self.data_dir = data_dir if data_dir is not None else store.data_dir
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="store-worker"
        )
        self._network: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=NETWORK_WORKERS, thread_name_prefix="network"
        )
        self._pending = 0
        self._labels: list[tuple[int, str]] = []
        self._serial = 0
        self._results: queue.SimpleQueue[tuple[int, Any, BaseException | None]] = queue.SimpleQueue()
        # The job and its `done` of each submitted operation, by serial, until delivered. A worker
        # reads its job from here and never holds the last reference to it: the job's closures hold
        # Qt objects (a progress dialog, the view), and the last reference to a Qt object dropped on
        # a worker thread destroys it there, which crashed the application (seen in a test run).
        self._kept: dict[int, tuple[Callable[..., Any], Done]] = {}
        self._progress: dict[int, tuple[Callable[[Any], None], Any]] = {}
        self._progress_lock = threading.Lock()
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._notifier = QSocketNotifier(self._wake_in.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)
        self._read_lock = threading.Lock()
        self._reading = False
        Executor._current = self

    @classmethod
    def current(cls) -> Executor:
        if cls._current is None:
            raise RuntimeError("no Executor: create an AppContext first")
        return cls._current

    @property
    def pending(self) -> int:
        """Operations submitted whose callbacks have not run yet."""
        return self._pending

    # --- the database lane -----------------------------------------------------------------------

    def submit(
        self,
        op: Callable[[Store], Any],
        done: Done,
        label: str = "",
        *,
        interruptible: bool = False,
    ) -> None:
        """Run `op(store)` on the database worker; `done(result, error)` runs later on the GUI thread."""
        if self._executor is None:
            log.warning("operation submitted after shutdown was ignored")
            return
        key = self._keep(op, self._start(done, label))
        store = self.store

        def work() -> None:
            if interruptible:
                with self._read_lock:
                    self._reading = True
            started = time.perf_counter()
            try:
                result, error = self._run_kept(key, lambda job: job(store))
            finally:
                # Cleared before the result is announced: an interrupt can only hit this read.
                if interruptible:
                    with self._read_lock:
                        self._reading = False
            elapsed = (time.perf_counter() - started) * 1000
            if elapsed > SLOW_MS:
                log.info("slow operation %s: %.0f ms", self._name_of(key), elapsed)
            self._post(key, result, error)

        self._executor.submit(work)

    def interrupt_reads(self) -> bool:
        """Stop the running operation if it is an interruptible read (a search made stale by the
        next keystroke, a long list load before a save); it then fails with
        sqlite3.OperationalError("interrupted") and its model loads again if still wanted.

        Writes are never submitted as interruptible, so a save can never be cut short."""
        with self._read_lock:
            if self._reading:
                interrupt(self.store)
                return True
        return False

    # --- the network lane ------------------------------------------------------------------------

    def submit_network(
        self, job: Callable[[Store], Any] | Callable[[], Any], done: Done, *, own_store: bool = True
    ) -> bool:
        """Run `job(store)` on the network lane with a connection of its own (or `job()` with
        `own_store=False`); `done(result, error)` on the GUI thread. False when it cannot run."""
        if self._network is None or (own_store and self.data_dir is None):
            log.warning(
                "network job ignored: %s", "shut down" if self._network is None else "no data directory"
            )
            return False
        data_dir, actor = self.data_dir, self.store.actor
        key = self._keep(job, self._start(done, ""))

        def call(kept: Callable[..., Any]) -> Any:
            if not own_store:
                return kept()
            assert data_dir is not None
            store = Store.open(data_dir, load_reference=False)
            try:
                store.actor = actor
                return kept(store)
            finally:
                store.close()

        def work() -> None:
            result, error = self._run_kept(key, call)
            self._post(key, result, error)

        self._network.submit(work)
        return True

    def _keep(self, job: Callable[..., Any], finish: Done) -> int:
        """On the GUI thread: hold the job and its `done` until delivered (see self._kept)."""
        with self._progress_lock:
            self._serial += 1
            key = self._serial
            self._kept[key] = (job, finish)
        return key

    def _run_kept(
        self, key: int, call: Callable[[Callable[..., Any]], Any]
    ) -> tuple[Any, BaseException | None]:
        """On a worker: run the kept job through `call`; (result, error). The job is only borrowed: when
        this returns, the worker holds no reference to it, nor does the error (see _detach_traceback)."""
        with self._progress_lock:
            job = self._kept[key][0]
        try:
            return call(job), None
        except Exception as exc:  # every failure goes back to the GUI thread
            _detach_traceback(exc)
            return None, exc
        finally:
            del job

    def _name_of(self, key: int) -> str:
        with self._progress_lock:
            kept = self._kept.get(key)
        job = kept[0] if kept else None
        return str(getattr(job, "__qualname__", job))

    def progress_reporter(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """A function a worker may call with each progress value; `callback` gets the latest one on
        the GUI thread (values reported faster than the GUI shows them are skipped)."""
        with self._progress_lock:
            self._serial += 1
            key = self._serial

        def report(value: Any) -> None:
            with self._progress_lock:
                self._progress[key] = (callback, value)
            self._wake()

        return report

    # --- delivery on the GUI thread --------------------------------------------------------------

    def _start(self, done: Done, label: str) -> Done:
        self._serial += 1
        serial = self._serial
        self._pending += 1
        if label:
            self._labels.append((serial, label))
            self.busy_changed.emit(self._labels[0][1])

        def finish(result: Any, error: BaseException | None) -> None:
            self._finish_label(serial)
            try:
                done(result, error)  # the initiator first: it may update what the views read
            finally:
                changes = changes_of(result if error is None else error)
                if changes:
                    self.operation_did_execute.emit(changes)

        return finish

    def _post(self, key: int, result: Any, error: BaseException | None) -> None:
        """On a worker: hand a finished job to the GUI thread."""
        self._results.put((key, result, error))
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_out.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # the socket is full (the GUI will wake anyway) or closed at exit

    def _finish_label(self, serial: int) -> None:
        before = self._labels[0][1] if self._labels else ""
        self._labels = [(s, text) for s, text in self._labels if s != serial]
        after = self._labels[0][1] if self._labels else ""
        if after != before:
            self.busy_changed.emit(after)

    def _deliver(self) -> None:
        try:
            while self._wake_in.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        with self._progress_lock:
            reports, self._progress = self._progress, {}
        for show, value in reports.values():
            if _alive(show):
                show(value)
        while True:
            try:
                key, result, error = self._results.get_nowait()
            except queue.Empty:
                return
            with self._progress_lock:
                _job, finish = self._kept.pop(key)
            self._pending -= 1
            try:
                finish(result, error)
            except BaseException:
                # A callback that fails (its own defect, reported as one) must not strand the
                # answers queued behind it: they come at the event loop's next turn.
                if not self._results.empty():
                    self._wake()
                raise
            finally:
                del _job, finish  # released here, on the GUI thread
                if self._pending == 0:
                    self.idle.emit()

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until every submitted operation has delivered (tests, screenshots, exit)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._pending and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            threading.Event().wait(0.002)
        QCoreApplication.processEvents()
        return self._pending == 0

    def shutdown(self) -> None:
        """Finish the running operations and drop the queued ones (at exit)."""
        for pool in (self._network, self._executor):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._executor = self._network = None
        self._notifier.setEnabled(False)
        self._wake_out.close()
        self._wake_in.close()
        if Executor._current is self:
            Executor._current = None


def _detach_traceback(exc: BaseException) -> None:
    """Replace an error's traceback (and those of the errors it was raised from) with its text, kept
    as a note that logging prints with it: the frames of a traceback keep the job's function and
    all it holds alive, and would take them to the GUI thread's error handling and beyond."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if error.__traceback__ is not None:
            error.add_note("".join(traceback.format_tb(error.__traceback__)).rstrip())
            error.__traceback__ = None
        error = error.__cause__ or error.__context__


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a Qt object that has been deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return not (isinstance(owner, QObject) and not shiboken6.isValid(owner))


class Operation(Generic[T]):
    """One background operation on the store with GUI-thread callbacks."""

    def __init__(
        self,
        parent: QObject | None,
        op: Callable[[Store], T],
        success: Callable[[T], None] | None = None,
        *,
        runner: Executor | None = None,
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
        """Mark a read-only operation that a newer one may cut short (see Executor.interrupt_reads)."""
        self._interruptible = True
        return self

    def run_in_background(self) -> None:
        # The runner of the parent's application context, else the last one created.
        context = getattr(self._parent, "context", None)
        runner = self._runner or getattr(context, "tasks", None) or Executor.current()
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
    if getattr(error, "kind", None) == "not_logged_in":
        # (its own words name the command line's `commissioner login`, which the desktop's user
        # never sees)
        return QCoreApplication.translate("tasks", "尚未登录同步服务器：请在“同步”页点“登录…”，登录后再试。")
    if isinstance(error, CommissionerError):
        return error.text(language())
    return QCoreApplication.translate(
        "tasks", "发生意外错误：{0}。数据未丢失；请重试，若仍出错请联系技术支持。"
    ).format(error)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if not isinstance(error, CommissionerError):
        log.error("operation failed", exc_info=error)
    QMessageBox.warning(parent, QCoreApplication.translate("tasks", "操作未完成"), error_text(error))
