import sys

from PySide6.QtCore import QObject, Signal

import ui  # noqa: F401 - applies the work-around


class Emitter(QObject):
    changed = Signal(str)


def test_emitting_many_signals_keeps_true_alive():
    """PySide6 6.12.0's emit() lost a reference to True each time; 2,000 emits aborted Python."""
    emitter = Emitter()
    seen = []
    emitter.changed.connect(lambda table: seen.append(table))
    before = sys.getrefcount(True)
    for _ in range(5000):
        emitter.changed.emit("visits")
    assert len(seen) == 5000
    assert sys.getrefcount(True) >= before
