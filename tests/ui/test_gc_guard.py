"""Python's cyclic garbage collector runs in whichever thread allocates when a threshold is passed. A
collection on a worker thread that finds a cycle holding a Qt object destroys that object there, and
the application then crashes inside Qt at a later, unrelated moment (seen in test runs: SIGSEGV
while "Garbage-collecting" in the GUI thread, or a hang in processEvents). Once an AppContext
exists, collections happen on the GUI thread only, and garbage cycles are still collected."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

from PySide6.QtCore import QObject

from commissioner_app.store import Store


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _allocate_cycles(_store: Store) -> int:
    """A worker's job that allocates like indexing a pull does: enough to pass gen-0's threshold
    many times over."""
    made = 0
    for _ in range(50_000):
        _Cycle()
        made += 1
    return made


def test_garbage_is_collected_on_the_gui_thread_only(qtbot, tmp_path: Path):
    from ui.context import AppContext

    store = Store.open(tmp_path / "data")
    context = AppContext(store, language="zh_CN")
    threads: list[str] = []

    def record(phase: str, _info: dict) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(record)
    try:
        done: list[int] = []
        context.tasks.submit(_allocate_cycles, lambda result, error: done.append(result))
        qtbot.waitUntil(lambda: bool(done), timeout=30_000)
        assert done == [50_000]
        on_workers = [name for name in threads if name != threading.main_thread().name]
        assert on_workers == [], f"collections ran on worker threads: {sorted(set(on_workers))}"

        # A cycle holding a Qt object, dropped on the GUI thread, is still collected there.
        holder = _Cycle()
        holder.qt = QObject()
        gone = weakref.ref(holder)
        del holder
        for _ in range(2_000):  # garbage enough for a gen-0 collection to be due
            _Cycle()
        qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
        assert threads and all(name == threading.main_thread().name for name in threads)
    finally:
        gc.callbacks.remove(record)
        context.tasks.shutdown()
        store.close()
