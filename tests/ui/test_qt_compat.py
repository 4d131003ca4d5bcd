"""PySide6 6.12.0 loses references to None/True/False; thousands of calls used to abort Python."""

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QComboBox

import ui  # noqa: F401 - applies the work-around


class Emitter(QObject):
    changed = Signal(str)


def test_many_signals_and_empty_qvariants_do_not_abort_python():
    emitter = Emitter()
    seen = []
    emitter.changed.connect(lambda table: seen.append(table))
    combo = QComboBox()
    combo.addItem("全部", None)
    for _ in range(20000):  # each loses a reference on 6.12.0; True has about 2,000
        emitter.changed.emit("visits")
        assert combo.currentData() is None
        assert QModelIndex().data() is None
    assert len(seen) == 20000
