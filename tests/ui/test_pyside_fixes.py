"""The PySide6 6.12.0 work-around keeps `True` alive however many signals are emitted."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

from ui import pyside_fixes


class _Emitter(QObject):
    fired = Signal(str)


@pytest.mark.skipif(not pyside_fixes.AFFECTED, reason="only PySide6 6.12.0 on CPython 3.11 loses references")
def test_references_lost_by_emit_are_given_back():
    emitter = _Emitter()
    pyside_fixes.keep_true_alive()
    before = sys.getrefcount(True)
    for _ in range(1000):
        emitter.fired.emit("x")
    assert sys.getrefcount(True) < before - 900  # the bug this module works around
    low = pyside_fixes.LOW_WATER
    ctypes_value = sys.getrefcount(True)
    pyside_fixes.LOW_WATER = ctypes_value + 1  # force a top-up
    try:
        pyside_fixes.keep_true_alive()
    finally:
        pyside_fixes.LOW_WATER = low
    assert sys.getrefcount(True) >= ctypes_value + pyside_fixes.TOP_UP - 5
