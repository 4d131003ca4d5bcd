"""服务对象: the service target list with type and county filters."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from commissioner_app.domain import TARGET_TYPES
from commissioner_app.reference import reference
from commissioner_app.store import RECORD_STATES
from ui.context import AppContext
from ui.models import TargetTableModel
from ui.views.common import (
    SearchBox,
    compact,
    fill_code_combo,
    fill_reference_combo,
    fit_state_column,
    keep_sort_indicator_sortable,
    make_table,
)


class TargetsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.model = TargetTableModel(context, self)
        self.search_box = SearchBox(self)
        self.type_label = QLabel(self)
        self.type = QComboBox(self)
        self.county_label = QLabel(self)
        self.county = QComboBox(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")
        for combo in (self.type, self.county):
            compact(combo, 7)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((76, 300, 120, 220, 110, 90, 130, 80)):
            self.table.setColumnWidth(column, width)
        # One column takes what is left, so the table never scrolls sideways in either language.
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        keep_sort_indicator_sortable(self.table)
        self.table.activated.connect(self._activated)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addSpacing(10)
        for widget in (self.type_label, self.type, self.county_label, self.county):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

        self.retranslate()
        self.search_box.search.connect(lambda _text: self.apply_filters())
        self.type.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.county.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.model.loading.connect(self._show_count)
        self.model.loaded.connect(lambda _n: self._show_count())
        context.language_changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        lang = self.context.language
        self.search_box.setPlaceholderText(self.tr("搜索服务对象：名称、地区、联系人…（Ctrl+F）"))
        self.type_label.setText(self.tr("类型"))
        fill_code_combo(self.type, [(c, m.text(lang)) for c, m in TARGET_TYPES.items()], self.tr("全部类型"))
        self.county_label.setText(self.tr("区县"))
        fill_reference_combo(self.county, reference(self.context.reader, "county"), lang, self.tr("全部区县"))
        self.model.retranslate()
        fit_state_column(self.table, [m.text(lang) for m in RECORD_STATES.values()])
        self._show_count()

    def _show_count(self) -> None:
        if not self.model.has_loaded:
            self.count_label.setText(self.tr("正在加载服务对象…"))
        else:
            self.count_label.setText(self.tr("共 {0} 个服务对象；双击或按回车键查看详情").format(
                f"{self.model.rowCount():,}"))

    def apply_filters(self) -> None:
        self.model.set_filters(text=self.search_box.text().strip(), type=self.type.currentData() or "",
                               county=self.county.currentData() or "")

    def load(self) -> None:
        if not self.model.has_loaded:
            self.apply_filters()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        target_id = self.model.record_id(index.row())
        if target_id is None:
            return
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_target_dialog(self, self.context, target_id)
