"""The mouse wheel scrolls a form; it never changes the field under the pointer (ui/widgets/spin.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from ui.widgets.spin import no_wheel


def _wheel(widget: QWidget) -> bool:
    """One notch of the wheel, turned down, with the pointer over the widget's middle; whether the
    widget took it (one it leaves goes on to the scroll area around it, when it comes from a real
    wheel: a synthesized one stops here)."""
    middle = QPointF(widget.rect().center())
    event = QWheelEvent(
        middle,
        QPointF(widget.mapToGlobal(middle.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_wheel_scrolls_the_form_and_leaves_a_chosen_value_alone(qtbot) -> None:
    """A cold try: 产业 picked from the list (the field then has the focus), the form scrolled with
    the wheel over it: 产业 became 现代种业."""
    area = QScrollArea()
    qtbot.addWidget(area)
    body = QWidget()
    column = QVBoxLayout(body)
    combo = no_wheel(QComboBox())
    combo.addItems(["陈皮", "大米", "现代种业"])
    spin = no_wheel(QSpinBox())
    spin.setRange(0, 10_000)
    spin.setValue(30)
    column.addWidget(combo)
    column.addWidget(spin)
    body.setMinimumHeight(3000)  # a long form: there is something to scroll
    area.setWidget(body)
    area.resize(300, 200)
    area.show()
    qtbot.waitExposed(area)
    for widget in (combo, spin):
        for focused in (False, True):
            if focused:
                widget.setFocus()
                qtbot.waitUntil(widget.hasFocus)
            taken = _wheel(widget)
            assert (combo.currentText(), spin.value()) == ("陈皮", 30), (type(widget).__name__, focused)
            assert not taken, (type(widget).__name__, focused)
    # The scroll area itself scrolls with the wheel.
    _wheel(area.viewport())
    assert area.verticalScrollBar().value() > 0
