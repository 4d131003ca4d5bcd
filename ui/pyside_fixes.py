"""Work-arounds for bugs of the PySide6 release in use.

PySide6 6.12.0 on CPython < 3.12: `SignalInstance.emit()` returns `True` without taking a reference,
so every signal emitted from Python drops one reference to the `True` object. After a few thousand
emits (a short session: every background operation, keystroke-driven update and autosave emits)
CPython deallocates `True` and aborts ("Fatal Python error: bool_dealloc"). CPython 3.12+ makes
`True` immortal, so there it is harmless.

`keep_true_alive()` gives back the lost references: it raises the reference count of `True` when it
runs low (the count of a static object; nothing is allocated, and nothing releases them at exit the
way a list of spare references would). Remove this module once PySide6 is fixed or pinned.
"""

from __future__ import annotations

import ctypes
import logging
import sys

import PySide6

log = logging.getLogger("commissioner.ui.pyside_fixes")

AFFECTED = (PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12)
            and sys.implementation.name == "cpython")
LOW_WATER = 200_000
TOP_UP = 1_000_000
CHECK_MS = 10_000

_timer = None


def keep_true_alive() -> None:
    """Top the references to `True` up when they run low (cheap; call as often as you like)."""
    if AFFECTED and sys.getrefcount(True) < LOW_WATER:
        # ob_refcnt is the first field of every CPython object; the GIL is held here.
        ctypes.c_ssize_t.from_address(id(True)).value += TOP_UP
        log.debug("PySide6 6.12.0 work-around: reference count of True raised to %d", sys.getrefcount(True))


def start_watch() -> None:
    """Check now and every few seconds while the application runs (needs a QCoreApplication)."""
    global _timer
    keep_true_alive()
    if not AFFECTED or _timer is not None:
        return
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance()
    if app is None:
        return
    _timer = QTimer(app)
    _timer.setInterval(CHECK_MS)
    _timer.timeout.connect(keep_true_alive)
    _timer.start()
