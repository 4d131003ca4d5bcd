"""Work around a reference-counting bug of PySide6 6.12.0 on Python 3.11.

`SignalInstance.emit()` returns `True` without taking a reference to it, so every signal emitted
from Python code costs `True` one reference; after about 2,000 emissions Python frees `True` and
the process aborts ("Fatal Python error: bool_dealloc"). PySide6 6.11 does not have the bug.

`apply()` checks the behaviour once (so a fixed PySide6 is left alone) and, if the bug is there,
wraps `emit` to give back the missing reference.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

log = logging.getLogger("commissioner.ui.qt_compat")

_applied = False


def emit_loses_references() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        probe = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.probe.emit()
    after = sys.getrefcount(True)
    if after < before:
        # Give back what the probe itself took.
        for _ in range(before - after):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
        return True
    return False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    if not emit_loses_references():
        return
    from PySide6.QtCore import SignalInstance

    original = SignalInstance.emit

    def emit(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    log.info("PySide6 emit() reference bug found: emit wrapped")
