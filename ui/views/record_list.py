"""The list of one kind of record (problems, service targets): a search box and two filters above a
sortable table; double-click or Enter opens the record, or its conflict first.

A subclass adds its filters with `add_filter`, says what its filters ask of the model
(`filters`), gives its texts (`retranslate_filters`, `count_text`) and opens a record (`open_record`).
Its texts stay in the subclass so that they translate under its own name (`self.tr` looks them up
by the class the object is, which is the subclass)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from commissioner_app.store import RECORD_STATES
from ui.context import AppContext
from ui.models import STATE_ROLE, RowListModel
from ui.views.common import ColumnFitter, SearchBox, compact, keep_sort_indicator_sortable, make_table


class RecordListView(QWidget):
    def __init__(
        self,
        context: AppContext,
        model: RowListModel,
        *,
        sort: tuple[int, Qt.SortOrder],
        widths: tuple[int, ...],
        stretch: int,
        texts: tuple[int, ...],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.context = context
        self.model = model
        model.setParent(self)
        self.search_box = SearchBox(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")
        self.table = make_table(self)
        self.table.setModel(model)
        self.table.sortByColumn(*sort)
        # One column takes what is left; on a narrow window the texts shrink (see ColumnFitter).
        self.columns = ColumnFitter(self.table, widths, stretch, texts, self._samples)
        keep_sort_indicator_sortable(self.table)
        self.table.activated.connect(self._activated)

        self._filters = QHBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addSpacing(10)
        top.addLayout(self._filters)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

        self.search_box.search.connect(lambda _text: self.apply_filters())
        model.loading.connect(self._show_count)
        model.loaded.connect(lambda _n: self._show_count())

    def add_filter(self) -> tuple[QLabel, QComboBox]:
        """A labelled filter combo at the end of the top row; choosing in it filters the list."""
        label, combo = QLabel(self), QComboBox(self)
        compact(combo, 7)
        self._filters.addWidget(label)
        self._filters.addWidget(combo)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return label, combo

    # --- what a subclass says --------------------------------------------------------------------

    def filters(self) -> dict[str, str]:
        """The model's filters besides the search text, from the filter combos."""
        raise NotImplementedError

    def retranslate_filters(self, language: str) -> None:
        """Set the search box's placeholder and the filters' labels and items in `language`."""
        raise NotImplementedError

    def count_text(self, count: int | None) -> str:
        """The line above the table: how many records (None: still loading)."""
        raise NotImplementedError

    def open_record(self, record_id: str) -> None:
        raise NotImplementedError

    # --- the rest ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _samples(self) -> dict[int, str]:
        """The state column shows its longest state whole."""
        metrics = self.table.fontMetrics()
        states = [m.text(self.context.language) for m in RECORD_STATES.values()]
        return {0: max(states, key=metrics.horizontalAdvance)}

    def retranslate(self) -> None:
        lang = self.context.language
        self.retranslate_filters(lang)
        self.model.retranslate()
        self.columns.refit()  # the headers' widths change with the language
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.count_text(self.model.rowCount() if self.model.has_loaded else None))

    def apply_filters(self) -> None:
        self.model.set_filters(text=self.search_box.text().strip(), **self.filters())

    def load(self) -> None:
        if not self.model.has_loaded:
            self.apply_filters()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        record_id = self.model.record_id(index.row())
        if record_id is None:
            return
        if index.data(STATE_ROLE) == "conflict":
            # Both versions first: the user chooses field by field, then edits as usual.
            from ui.conflicts_dialog import open_conflicts

            open_conflicts(self, self.context, record_id)
            return
        self.open_record(record_id)
