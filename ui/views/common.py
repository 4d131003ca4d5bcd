"""Pieces the list views share: the debounced search box, the table, reference combos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
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


class ColumnFitter(QObject):
    """A list's columns in its table's width. On a wide window each has the width set for it; on a
    narrow one (a field laptop at 150 %) the columns that show something short (a date, a time, a
    state, a figure) keep what they show whole, and the text columns (`texts`) share the rest in
    proportion, none narrower than its header, so nothing is reached by scrolling sideways.

    Refitted when the table's width changes (a column the user widened stays so until then) and
    when the language does (`refit`). `samples()`: what a short column must show whole, by column
    (its header counts too); a short column without one keeps its set width."""

    def __init__(
        self,
        table: QTableView,
        widths: tuple[int, ...],
        stretch: int,
        texts: tuple[int, ...],
        samples: Callable[[], dict[int, str]] = dict,
    ) -> None:
        super().__init__(table)
        self.table, self.widths, self.stretch, self.texts, self.samples = (
            table,
            widths,
            stretch,
            texts,
            samples,
        )
        self._width = 0
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def refit(self) -> None:
        self._width = 0
        self.fit()

    def fit(self) -> None:
        width = self.table.viewport().width()
        model = self.table.model()
        if width == self._width or width <= 0 or model is None:
            return
        self._width = width
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        samples = self.samples()
        columns = range(len(self.widths))

        def whole(*texts: str) -> int:
            return max(metrics.horizontalAdvance(t) for t in texts) + 18

        floors = [whole(str(model.headerData(c, Qt.Orientation.Horizontal) or "")) for c in columns]
        short = {
            c: max(floors[c], whole(samples[c])) if c in samples else max(floors[c], self.widths[c])
            for c in columns
            if c not in self.texts
        }
        room = width - sum(short.values())
        scale = min(1.0, max(room, 0) / sum(self.widths[c] for c in self.texts))
        header.setMinimumSectionSize(min(floors))
        for column in columns:
            if column == self.stretch:
                continue
            wanted = short[column] if column in short else int(self.widths[column] * scale)
            header.resizeSection(column, max(floors[column], wanted))
        # The stretched column keeps at least its header too (Qt would squeeze it to a sliver).
        rest = width - sum(header.sectionSize(c) for c in columns if c != self.stretch)
        if rest < floors[self.stretch]:
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(self.stretch, floors[self.stretch])
        else:
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)


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


def ask_save_path(parent: QWidget, caption: str, suggested: Path, kind: str, suffix: str) -> Path | None:
    """Where to save a file, asked with the system's dialog; None if cancelled. A name typed without
    the file's extension gets it (a table saved as "考核" would not open in Excel by a double click)."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(suggested), kind)
    if not chosen:
        return None
    return Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
