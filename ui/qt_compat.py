"""Work around reference-counting bugs of PySide6 6.12.0 on Python 3.11.

PySide6 6.12.0 hands out `None`, `True` and `False` without taking a reference in several places:
`SignalInstance.emit()` returns `True`, `disconnect()` returns `True`, and every QVariant that
converts to `None` (`QComboBox.currentData()`, `itemData()`, `QListWidgetItem.data()`,
`QModelIndex.data()`, `QAction.data()` …) returns `None`. Each call costs the object one
reference; after a few thousand calls CPython 3.11 frees it and the process aborts ("Fatal Python
error: bool_dealloc" / "none_dealloc"), in the middle of a user's day. PySide6 6.11 is not
affected, and from Python 3.12 these objects are immortal, so the bug is harmless there.

`apply()` detects the bug once and, when found on CPython < 3.12, does what Python 3.12 does:
gives the three singletons so many references (2**40) that no leak can use them up.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import sys

log = logging.getLogger("commissioner.ui.qt_compat")

EXTRA_REFERENCES = 1 << 40

_applied = False


def emit_loses_references() -> bool:
    """Whether `emit()` takes a reference to True away (the bug's signature)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        probe = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.probe.emit()
    return sys.getrefcount(True) < before


def _add_references(obj: object, count: int) -> None:
    # ob_refcnt is the first field of every object in CPython's (non-debug) object layout.
    refcount = ctypes.c_ssize_t.from_address(id(obj))
    refcount.value += count


def apply() -> bool:
    """Make None/True/False immune to the leaks if needed; True if the work-around was applied."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    if not emit_loses_references():
        return False
    for obj in (None, True, False):
        _add_references(obj, EXTRA_REFERENCES)
    _applied = True
    log.info("PySide6 reference leaks on None/True/False found: the singletons were pinned")
    return True
