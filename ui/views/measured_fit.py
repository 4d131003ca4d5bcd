"""Columns fitted to a small table's contents: a QTableWidget filled cell by cell, or a RowsModel.

`MeasuredFitter` is a `ColumnFitter` whose set widths are what the contents need (what Qt's
ResizeToContents gives, or a width the view sets if that is more), so a wide window lays the table
out as before: each column its contents' width, the stretched one the rest. On a narrow one (a
field laptop at 150 %) the short columns (figures, dates, states, names) keep their widest value
whole, the text columns share what is left, the headers wrap onto two lines between words and the
optional columns give way, as in the lists (see ColumnFitter). (common.ContentFitter is the other
way round: set widths given by the view, short columns sized by their contents when narrow.)
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from shiboken6 import isValid

from ui.views.common import CELL_MARGIN, ColumnFitter, widest_value

MAX_ROWS = 500  # the rows read for the widest value (these tables hold a few dozen)


class MeasuredFitter(ColumnFitter):
    """`texts`: the columns that may be cut (a long name, a reason; their whole text belongs in the
    cell's tooltip). `least`: a width a column has at least on a wide window, by column. Call
    `contents_changed()` once the rows or the headers change (a RowsModel's reset does so itself)."""

    def __init__(
        self,
        table: QTableView,
        stretch: int,
        texts: tuple[int, ...],
        optional: tuple[int, ...] = (),
        least: dict[int, int] | None = None,
    ) -> None:
        model = table.model()
        columns = model.columnCount() if model is not None else 0
        self.least = least or {}
        self.widest: dict[int, str] = {}
        super().__init__(table, (0,) * max(columns, stretch + 1), stretch, texts, self._samples, optional)
        if model is not None:
            model.modelReset.connect(self.contents_changed)
            model.headerDataChanged.connect(self._headers_changed)

    def _samples(self) -> dict[int, str]:
        # Room for every column's contents: each has its set width (as ResizeToContents gave).
        if self.table.viewport().width() >= sum(self.widths):
            return {}
        return self.widest

    def _headers_changed(self, _orientation: Qt.Orientation, _first: int, _last: int) -> None:
        self.contents_changed()

    def contents_changed(self) -> None:
        """Measure the contents again (when next fitted, in the font the table then has) and refit."""
        if isValid(self.table):  # not while the table is being deleted
            self.refit()

    def _measure(self) -> None:
        table, model = self.table, self.table.model()
        header = table.horizontalHeader()
        columns = model.columnCount()
        widths = []
        widest = {c: widest_value(table, c, MAX_ROWS) for c in range(columns)}
        for column in range(columns):
            # Qt's own measure, which leaves out a cell spanning rows (measured by its text here).
            text = table.fontMetrics().horizontalAdvance(widest[column]) + CELL_MARGIN
            contents = max(header.sectionSizeHint(column), table.sizeHintForColumn(column), text)
            if column in self.texts and column in self.least:
                widths.append(self.least[column])  # a text's set width: what it had
            else:
                widths.append(max(contents, self.least.get(column, 0)))
        self.widths = tuple(widths)
        self.widest = {c: text for c, text in widest.items() if c not in self.texts}

    def fit(self) -> None:
        before = self._width
        if self.table.model() is None or self.table.viewport().width() in (before, 0):
            return
        self._measure()
        super().fit()
