"""Date and time fields as people type them in the field.

`TimeField` takes a time typed with or without the colon (16:30, 1630, 9:05, 905): the section-wise
QTimeEdit ignored "1630" typed over a selected time. `TypedDateEdit` takes a date typed whole
(2025-03-17, 2025/3/17, 20250317), wherever the cursor was. `PastDateEdit` is a date of something that
has happened: the calendar greys the days after today and says why when the pointer rests on one;
choosing one anyway is said beside the field by the form (see `is_future`), not silently refused.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QTime, Signal
from PySide6.QtGui import QColor, QHelpEvent, QKeyEvent, QRegularExpressionValidator, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QLineEdit, QTableView, QToolTip, QWidget

FUTURE_COLOUR = "#b0b0b0"
GREYED_DAYS = 400  # as far ahead as a calendar page is likely to be turned


def parse_time(text: str) -> QTime | None:
    """16:30, 16：30, 16.30, 1630, 9:05, 905 → the time; anything else → None."""
    t = text.strip()
    m = re.fullmatch(r"(\d{1,2})[:：.](\d{2})", t)
    if m is None and re.fullmatch(r"\d{3,4}", t):
        m = re.fullmatch(r"(\d{1,2})(\d{2})", t)
    if m is None:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    return QTime(hours, minutes) if hours < 24 and minutes < 60 else None


class TimeField(QLineEdit):
    """A time of day as HH:mm; `timeChanged` as soon as what is typed is a whole time."""

    timeChanged = Signal(QTime)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._time = QTime(0, 0)
        self.setValidator(QRegularExpressionValidator(r"\d{0,2}[:：.]?\d{0,2}", self))
        self.setMaxLength(5)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00") + 28)
        self.setPlaceholderText("09:30")
        self.setText("00:00")
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)

    def time(self) -> QTime:
        return QTime(self._time)

    def setTime(self, value: QTime) -> None:
        self.setText(value.toString("HH:mm"))
        self._set(value)

    def _set(self, value: QTime) -> None:
        if value != self._time:
            self._time = QTime(value)
            self.timeChanged.emit(QTime(value))

    def _edited(self, text: str) -> None:
        parsed = parse_time(text)
        if parsed is not None:
            self._set(parsed)

    def _finished(self) -> None:
        parsed = parse_time(self.text())
        if parsed is not None:
            self._set(parsed)
        self.setText(self._time.toString("HH:mm"))  # what was typed, written the usual way


SEPARATORS = "-/.年月日"


class TypedDateEdit(QDateEdit):
    """A QDateEdit that takes a date typed whole (see keyPressEvent); every date field uses it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._just_moved = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A date typed whole, as people type it: 2025-03-17, 2025/3/17, 20250317, over the selected
        year or with the cursor anywhere in the field. The section-wise editor of QDateEdit moves on
        by itself after the fourth digit of the year and then took the typed "-" as "skip the month":
        2025-03-17 typed after Tab became 2025-12-03, without a word."""
        text = event.text()
        line = self.lineEdit()
        if text and text in SEPARATORS:
            start = line.selectionStart() if line.hasSelectedText() else line.cursorPosition()
            at_a_section_start = start > 0 and line.text()[start - 1] in SEPARATORS
            # Right after the editor moved on by itself (it then selects the next section), or with
            # the cursor already past a separator: this one is the separator typed, not "skip".
            if at_a_section_start and (self._just_moved or not line.hasSelectedText()):
                self._just_moved = False
                event.accept()
                return
        if text.isdigit():
            if line.hasSelectedText() and len(line.selectedText()) == len(line.text()):
                self.setSelectedSection(QDateEdit.Section.YearSection)  # all selected: start at the year
            elif not line.hasSelectedText() and self._at_section_start():
                self.setSelectedSection(self.currentSection())  # typed over, not inserted
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._just_moved = bool(text.isdigit()) and self.currentSectionIndex() != before

    def _at_section_start(self) -> bool:
        position = self.lineEdit().cursorPosition()
        return position == 0 or self.lineEdit().text()[position - 1] in SEPARATORS


class PastDateEdit(TypedDateEdit):
    """A date with a calendar that greys the future and says why."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        # The latest day a visit may have: today, or the server's today when this clock is behind it.
        self.latest = QDate.currentDate()
        calendar = self.calendarWidget()
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        grey = QTextCharFormat()
        grey.setForeground(QColor(FUTURE_COLOUR))
        grey.setToolTip(self.future_reason())
        today = QDate.currentDate()
        for offset in range(1, GREYED_DAYS):
            calendar.setDateTextFormat(today.addDays(offset), grey)
        view = calendar.findChild(QTableView)
        self._view = view
        self._tips = _FutureTips(self)
        if view is not None:
            view.viewport().installEventFilter(self._tips)

    def future_reason(self) -> str:
        return self.tr("不能选择将来的日期：服务记录只记已经进行的服务")

    def is_future(self) -> bool:
        return self.date() > self.latest

    def date_at(self, row: int, column: int) -> QDate | None:
        """The day a calendar cell shows (the page's own month, or a neighbour's in the first/last rows)."""
        view = self._view
        if view is None or row < 1:
            return None
        text = view.model().data(view.model().index(row, column))
        try:
            day = int(str(text))
        except ValueError:
            return None
        calendar = self.calendarWidget()
        first = QDate(calendar.yearShown(), calendar.monthShown(), 1)
        if row <= 2 and day > 20:
            first = first.addMonths(-1)
        elif row >= 4 and day < 15:
            first = first.addMonths(1)
        return QDate(first.year(), first.month(), day)


class _FutureTips(QObject):
    def __init__(self, edit: PastDateEdit):
        super().__init__(edit)
        self.edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        edit = getattr(self, "edit", None)  # gone while the field is being destroyed
        if edit is None:
            return False
        view = edit._view
        if event.type() == QEvent.Type.ToolTip and view is not None and isinstance(event, QHelpEvent):
            index = view.indexAt(event.pos())
            day = self.edit.date_at(index.row(), index.column()) if index.isValid() else None
            if day is not None and day > QDate.currentDate():
                QToolTip.showText(event.globalPos(), self.edit.future_reason(), view)
                return True
        return False
