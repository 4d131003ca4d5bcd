"""Pieces the list views share: the debounced search box, the table, reference combos."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from commissioner_app.reference import RefItem

SEARCH_DELAY_MS = 200
# One Chinese character matches too much to be useful and cannot use the trigram index; give
# the user time to type the second one.
SINGLE_CHARACTER_DELAY_MS = 700


class SearchBox(QLineEdit):
    """A search field that reports its text once typing pauses (debounced)."""

    search = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.textChanged.connect(self._changed)
        self.returnPressed.connect(self._fire)
        self._last: str | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()  # Esc empties the search; the list comes back after the usual pause
            return
        super().keyPressEvent(event)

    def _changed(self, text: str) -> None:
        stripped = text.strip()
        self._timer.start(SINGLE_CHARACTER_DELAY_MS if len(stripped) == 1 else SEARCH_DELAY_MS)

    def _fire(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search.emit(text)


def make_table(parent: QWidget) -> QTableView:
    """A read-only, row-selecting, sortable table with fixed row heights (fast for long lists)."""
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(30)
    horizontal = table.horizontalHeader()
    horizontal.setHighlightSections(False)
    horizontal.setStretchLastSection(False)
    horizontal.setSectionsMovable(False)
    return table


def compact(combo: QComboBox, characters: int = 8) -> QComboBox:
    """Size a filter combo for about `characters` characters, not for its longest item (keeps the
    filter row within a 1366-pixel screen in both languages; the popup still shows whole names)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setMinimumWidth(220)
    return combo


def fit_state_column(table: QTableView, labels: list[str], column: int = 0) -> None:
    """Make the state column as wide as its longest label in the current language."""
    metrics = table.fontMetrics()
    table.setColumnWidth(column, max(metrics.horizontalAdvance(text) for text in labels) + 20)


def keep_sort_indicator_sortable(table: QTableView) -> None:
    """A click on a column the list cannot sort by leaves the sort indicator where it was."""
    header = table.horizontalHeader()
    state: dict[str, Any] = {"column": header.sortIndicatorSection(), "order": header.sortIndicatorOrder()}

    def changed(column: int, order: Qt.SortOrder) -> None:
        columns = getattr(table.model(), "columns", None)
        if columns and columns[column].sort_key is None:
            header.blockSignals(True)
            header.setSortIndicator(state["column"], state["order"])
            header.blockSignals(False)
        else:
            state["column"], state["order"] = column, order

    header.sortIndicatorChanged.connect(changed)


def fill_reference_combo(combo: QComboBox, items: list[RefItem], language: str, all_label: str) -> None:
    """Items show the name in the user's language; their data is the Chinese name records keep."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, "")
    for item in items:
        combo.addItem(item.name(language), item.name_zh)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def fill_code_combo(combo: QComboBox, labels: list[tuple[str, str]], all_label: str) -> None:
    """A filter combo of (code, label) pairs, keeping the selected code across relabelling."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for code, label in labels:
        combo.addItem(label, code)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class YearCombo(QComboBox):
    """The year a view shows: this year and the few before it, newest first."""

    def __init__(self, parent: QWidget | None = None, shown: int = 6):
        super().__init__(parent)
        this_year = date.today().year
        for year in range(this_year, this_year - shown, -1):
            self.addItem(str(year), year)

    def year(self) -> int:
        return int(self.currentData())

    def set_year(self, year: int) -> None:
        """Choose `year`, adding it if it is not among those shown."""
        index = self.findData(year)
        if index < 0:
            self.addItem(str(year), year)
            index = self.count() - 1
        self.setCurrentIndex(index)


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("heading")
    return label
