"""Garbage cycles are collected on the GUI thread only.

Python's cyclic garbage collector runs in whichever thread happens to allocate when a generation's
threshold is passed: with the executor's workers (ui/tasks.py) that is often a worker, in the middle
of a sync or of indexing what a pull stored. A cycle it finds there may hold a Qt object (a widget
and a lambda connected to its signal, a progress dialog and its callback), which is then destroyed
on that worker; the application crashes inside Qt later, at an unrelated moment (seen in test
runs as a SIGSEGV while "Garbage-collecting" on the GUI thread, and as a hang in processEvents).

So, as pyqtgraph and other Qt applications do, automatic collection is turned off once the
application's context exists, and a timer on the GUI thread runs the collections that are due,
generation by generation with Python's own thresholds. Reference counting still frees everything
that is not in a cycle at once, on whatever thread drops it (the executor makes sure Qt objects are
dropped on the GUI thread, see Executor._kept).
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger("commissioner.ui.gc")

INTERVAL_MS = 500
SLOW_MS = 100  # a full collection slower than this is logged


class GuiGarbageCollector(QObject):
    """Runs the garbage collections that are due, on the GUI thread, from a timer."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose thresholds have been passed, youngest first; the number
        of generations collected (0 when none was due)."""
        t0, t1, t2 = self.threshold
        c0, c1, c2 = gc.get_count()
        if c0 <= t0:
            return 0
        generation = 2 if (c1 > t1 and c2 > t2) else 1 if c1 > t1 else 0
        started = time.perf_counter()
        gc.collect(generation)
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed > SLOW_MS:
            log.info("garbage collection of generation %d took %.0f ms", generation, elapsed)
        return generation + 1


def install() -> GuiGarbageCollector | None:
    """Turn automatic collection off and collect on the GUI thread instead, once per application
    (None without a QCoreApplication: nothing runs a timer then, and collection stays automatic)."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    existing = app.findChild(GuiGarbageCollector)
    if isinstance(existing, GuiGarbageCollector):
        return existing
    return GuiGarbageCollector(app)
