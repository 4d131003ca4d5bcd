"""Number fields that ignore the mouse wheel unless focused: scrolling a long form must not change them."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

W = TypeVar("W", bound=QWidget)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()
            return True
        return False


_guard: _WheelGuard | None = None


def no_wheel(widget: W) -> W:
    global _guard
    if _guard is None:
        _guard = _WheelGuard()
    if isinstance(widget, QAbstractSpinBox | QComboBox):
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_guard)
    return widget
