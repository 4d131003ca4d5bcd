"""Number fields and lists that leave the mouse wheel to the form around them: scrolling a long form
must not change them. Focused too: a 产业 just picked from its list still has the focus, and a form
scrolled with the pointer over it changed it to 现代种业 (a cold try). The keyboard's arrows still
step a focused field."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

W = TypeVar("W", bound=QWidget)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget):
            event.ignore()  # (passed on to the scroll area)
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
