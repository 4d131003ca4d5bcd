"""技术难题: the problem list with status and industry filters."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from commissioner_app.domain import PROBLEM_STATUSES
from commissioner_app.reference import reference
from commissioner_app.store import RECORD_STATES
from ui.context import AppContext
from ui.models import ProblemTableModel
from ui.views.common import (
    SearchBox,
    compact,
    fill_code_combo,
    fill_reference_combo,
    fit_state_column,
    keep_sort_indicator_sortable,
    make_table,
)


class ProblemsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.model = ProblemTableModel(context, self)
        self.search_box = SearchBox(self)
        self.status_label = QLabel(self)
        self.status = QComboBox(self)
        self.industry_label = QLabel(self)
        self.industry = QComboBox(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")
        for combo in (self.status, self.industry):
            compact(combo, 7)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
        for column, width in enumerate((76, 330, 90, 80, 110, 260, 100, 80)):
            self.table.setColumnWidth(column, width)
        # One column takes what is left, so the table never scrolls sideways in either language.
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        keep_sort_indicator_sortable(self.table)
        self.table.activated.connect(self._activated)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addSpacing(10)
        for widget in (self.status_label, self.status, self.industry_label, self.industry):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

        self.retranslate()
        self.search_box.search.connect(lambda _text: self.apply_filters())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.industry.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.model.loading.connect(self._show_count)
        self.model.loaded.connect(lambda _n: self._show_count())
        context.language_changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        lang = self.context.language
        self.search_box.setPlaceholderText(self.tr("搜索技术难题：标题、描述…（Ctrl+F）"))
        self.status_label.setText(self.tr("进展"))
        fill_code_combo(self.status, [(c, m.text(lang)) for c, m in PROBLEM_STATUSES.items()], self.tr("全部"))
        self.industry_label.setText(self.tr("产业"))
        fill_reference_combo(self.industry, reference(self.context.reader, "industry"), lang, self.tr("全部产业"))
        self.model.retranslate()
        fit_state_column(self.table, [m.text(lang) for m in RECORD_STATES.values()])
        self._show_count()

    def _show_count(self) -> None:
        if not self.model.has_loaded:
            self.count_label.setText(self.tr("正在加载技术难题…"))
        else:
            self.count_label.setText(self.tr("共 {0} 个技术难题；双击或按回车键查看详情").format(
                f"{self.model.rowCount():,}"))

    def apply_filters(self) -> None:
        self.model.set_filters(text=self.search_box.text().strip(), status=self.status.currentData() or "",
                               industry=self.industry.currentData() or "")

    def load(self) -> None:
        if not self.model.has_loaded:
            self.apply_filters()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        problem_id = self.model.record_id(index.row())
        if problem_id is None:
            return
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_problem_dialog(self, self.context, problem_id)
