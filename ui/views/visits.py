"""服务记录: the visit list with filters and full-text search as you type."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import REVIEW_STATUSES
from commissioner_app.reference import reference, towns_of
from commissioner_app.store import RECORD_STATES, SYNC_STATES, VisitQuery
from ui.context import AppContext
from ui.models import VisitTableModel
from ui.roles import current_role, records_visits, watcher
from ui.views.common import (
    ColumnFitter,
    SearchBox,
    compact,
    fill_code_combo,
    fill_reference_combo,
    keep_sort_indicator_sortable,
    make_table,
)
from ui.widgets.dates import TypedDateEdit
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.visits")

PERIODS = ("all", "this_month", "last_month", "last_30_days", "this_year", "last_year", "custom")


def period_range(period: str, today: date) -> tuple[date | None, date | None]:
    """The dates a period preset stands for (custom and all give no preset range)."""
    first = today.replace(day=1)
    if period == "this_month":
        return first, today
    if period == "last_month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if period == "last_30_days":
        return today - timedelta(days=29), today
    if period == "this_year":
        return today.replace(month=1, day=1), today
    if period == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None, None


COLUMN_WIDTHS = (70, 92, 92, 240, 150, 90, 220, 72, 112, 96)  # on a wide window; logical pixels
STRETCHED = 6  # 服务类型
TEXT_COLUMNS = (3, 4, 5, 6)  # target, region, industry, service types: shrink on a narrow window
OWNER_COLUMN = 9  # 科技特派员: whose visit, where the list holds others' (OTHERS_VISITS)
OTHERS_VISITS = ("manager", "bureau", "county")  # roles whose laptop pulls others' visits
# Given up, in this order, when even two-line headers are too wide (a manager's list in English at
# 150 %, with its owner column): what they hold is then in each row's tooltip.
OPTIONAL_COLUMNS = (5,)  # industry


class VisitsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.model = VisitTableModel(context, self)
        self._place: tuple[str | None, int] | None = None

        self.search_box = SearchBox(self)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(lambda: self.open_visit(None))

        self.period_label = QLabel(self)
        self.period = QComboBox(self)
        self.date_from = TypedDateEdit(self)
        self.date_to = TypedDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
        self.date_dash = QLabel("–", self)
        self.region_label = QLabel(self)
        self.county = QComboBox(self)
        self.town = QComboBox(self)
        self.industry_label = QLabel(self)
        self.industry = QComboBox(self)
        self.review_label = QLabel(self)
        self.review = QComboBox(self)
        self.sync_label = QLabel(self)
        self.sync_state = QComboBox(self)
        self.clear_button = QPushButton(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")

        for combo, width in (
            (self.period, 6),
            (self.county, 6),
            (self.town, 6),
            (self.industry, 7),
            (self.review, 5),
            (self.sync_state, 5),
        ):
            compact(combo, width)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.sortByColumn(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        # One column takes what is left; on a narrow window the texts shrink (see ColumnFitter).
        self.columns = ColumnFitter(
            self.table, COLUMN_WIDTHS, STRETCHED, TEXT_COLUMNS, self._samples, optional=OPTIONAL_COLUMNS
        )
        keep_sort_indicator_sortable(self.table)
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.clear_button)
        top.addWidget(self.new_button)
        # The filters wrap onto a second line on a narrow screen (911 logical pixels at 150 %).
        filters_widget, filters = flow_widget(self)
        filters.add_group(self.period_label, self.period, self.date_from, self.date_dash, self.date_to)
        filters.add_group(self.region_label, self.county, self.town)
        filters.add_group(self.industry_label, self.industry)
        filters.add_group(self.review_label, self.review, self.sync_label, self.sync_state)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filters_widget)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

        order = [
            self.search_box,
            self.clear_button,
            self.new_button,
            self.period,
            self.date_from,
            self.date_to,
            self.county,
            self.town,
            self.industry,
            self.review,
            self.sync_state,
            self.table,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self.retranslate()
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)
        self.search_box.search.connect(lambda _text: self.apply_filters())
        # Enter in the search picks the first match (once the search it started has answered).
        self._search_pending = False
        self._pick_first = False
        self.search_box.search.connect(lambda _text: setattr(self, "_search_pending", True))
        self.search_box.returnPressed.connect(self._enter_in_search)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(lambda _d: self.apply_filters())
        self.date_to.dateChanged.connect(lambda _d: self.apply_filters())
        self.county.currentIndexChanged.connect(self._county_changed)
        for combo in (self.town, self.industry, self.review, self.sync_state):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.clear_button.clicked.connect(self.clear_filters)
        self.model.loading.connect(self._loading)
        self.model.loaded.connect(self._loaded)
        self.model.first_page.connect(lambda _n: self.count_label.setText(self.tr("正在统计服务记录…")))

    # --- texts -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _samples(self) -> dict[int, str]:
        """What the state, date, time and figure columns must show whole."""
        metrics = self.table.fontMetrics()
        states = [m.text(self.context.language) for m in RECORD_STATES.values()]
        return {
            0: max(states, key=metrics.horizontalAdvance),
            1: "2026-12-05",
            2: "09:00–12:00",
            7: "9999",  # people trained
            8: "9,999.99",  # economic benefit, 10k yuan
            OWNER_COLUMN: "欧阳晓明",  # a long Chinese name
        }

    def _others_visits(self) -> bool:
        """Whether this laptop holds others' visits too (a manager's, the bureau's): the list says
        whose each is, and its search finds them by name."""
        return current_role(self.context) in OTHERS_VISITS

    def _role_changed(self, _role: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.context.language
        others = self._others_visits()
        self.columns.set_absent(() if others else (OWNER_COLUMN,))
        self.columns.refit()  # the headers' widths change with the language
        self.search_box.setPlaceholderText(
            self.tr("搜索服务记录：服务对象、内容、地区、特派员…（Ctrl+F）")
            if others
            else self.tr("搜索服务记录：服务对象、内容、地区…（Ctrl+F）")
        )
        self.new_button.setText(self.tr("新建服务记录"))
        self.new_button.setToolTip(self.tr("新建一条服务记录（Ctrl+N）"))
        self.new_button.setVisible(records_visits(self.context))
        self.period_label.setText(self.tr("时间"))
        period_labels = [
            self.tr("全部时间"),
            self.tr("本月"),
            self.tr("上月"),
            self.tr("近30天"),
            self.tr("今年"),
            self.tr("去年"),
            self.tr("自定义"),
        ]
        fill_code_combo(self.period, list(zip(PERIODS[1:], period_labels[1:], strict=True)), period_labels[0])
        self.region_label.setText(self.tr("地区"))
        reader = self.context.reader
        fill_reference_combo(self.county, reference(reader, "county"), lang, self.tr("全部区县"))
        self._fill_towns()
        self.industry_label.setText(self.tr("产业"))
        fill_reference_combo(self.industry, reference(reader, "industry"), lang, self.tr("全部产业"))
        self.review_label.setText(self.tr("审核"))
        fill_code_combo(
            self.review, [(code, m.text(lang)) for code, m in REVIEW_STATUSES.items()], self.tr("全部")
        )
        self.sync_label.setText(self.tr("同步"))
        fill_code_combo(
            self.sync_state, [(code, m.text(lang)) for code, m in SYNC_STATES.items()], self.tr("全部")
        )
        self.clear_button.setText(self.tr("清除筛选"))
        self.model.retranslate()
        self._show_count()

    def _fill_towns(self) -> None:
        county = self.county.currentData() or ""
        towns = towns_of(self.context.reader, county) if county else []
        fill_reference_combo(self.town, towns, self.context.language, self.tr("全部镇街"))
        self.town.setEnabled(bool(county))

    # --- filters ---------------------------------------------------------------------------------

    def query(self) -> VisitQuery:
        period = self.period.currentData()
        if period == "custom":
            date_from: date | None = self.date_from.date().toPython()  # type: ignore[assignment]
            date_to: date | None = self.date_to.date().toPython()  # type: ignore[assignment]
        else:
            date_from, date_to = period_range(period or "all", date.today())
        return VisitQuery(
            text=self.search_box.text().strip(),
            date_from=date_from,
            date_to=date_to,
            county=self.county.currentData() or "",
            town=self.town.currentData() or "",
            industry=self.industry.currentData() or "",
            review_status=self.review.currentData(),
            sync_state=self.sync_state.currentData(),
            by_name=self._others_visits(),
            order_by=self.model.query.order_by,
            descending=self.model.query.descending,
        )

    def apply_filters(self) -> None:
        self.model.set_query(self.query())

    def load(self) -> None:
        """Load the list the first time the view is shown (keeps the start fast)."""
        if not self.model.has_loaded:
            self.apply_filters()

    def clear_filters(self) -> None:
        for combo in (self.period, self.county, self.industry, self.review, self.sync_state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_towns()
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.apply_filters()

    def show_filtered(self, period: str = "", review_status: str = "") -> None:
        """Only the given period and review status (the other filters and the search cleared)."""
        for combo, value in ((self.period, period or None), (self.review, review_status or None)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
            combo.blockSignals(False)
        for combo in (self.county, self.industry, self.sync_state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_towns()
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self._period_changed(self.period.currentIndex())

    def _period_changed(self, _index: int) -> None:
        period = self.period.currentData()
        custom = period == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            start, end = period_range(period or "all", date.today())
            for edit, value in ((self.date_from, start), (self.date_to, end)):
                if value:
                    edit.blockSignals(True)
                    edit.setDate(QDate(value.year, value.month, value.day))
                    edit.blockSignals(False)
        self.apply_filters()

    def _county_changed(self, _index: int) -> None:
        self._fill_towns()
        self.apply_filters()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # --- state -----------------------------------------------------------------------------------

    def _loading(self) -> None:
        if self.model.refreshing:
            # Records changed (e.g. a visit was saved): come back to the same place afterwards.
            current = self.table.currentIndex()
            self._place = (
                self.model.visit_id(current.row()) if current.isValid() else None,
                self.table.verticalScrollBar().value(),
            )
        if not self.model.has_loaded:
            self.count_label.setText(self.tr("正在加载服务记录…"))

    def _enter_in_search(self) -> None:
        if self._search_pending:
            self._pick_first = True
        else:
            self._pick_first_row()

    def _pick_first_row(self) -> None:
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
            self.table.setFocus()  # Enter again opens it

    def _loaded(self, _count: int) -> None:
        self._search_pending = False
        if self._pick_first:
            self._pick_first = False
            self._place = None
            self._pick_first_row()
        place, self._place = self._place, None
        if place is not None:
            visit_id, scrolled = place
            self.table.verticalScrollBar().setValue(scrolled)
            row = self.model.row_of(visit_id) if visit_id else -1
            if row >= 0:
                self.table.selectRow(row)
        self._show_count()

    def _show_count(self) -> None:
        if not self.model.has_loaded:
            self.count_label.setText(self.tr("正在加载服务记录…"))
            return
        count = self.model.rowCount()
        filtered = self.query() != VisitQuery(
            order_by=self.model.query.order_by, descending=self.model.query.descending
        )
        if filtered:
            self.count_label.setText(self.tr("符合条件的服务记录 {0} 条").format(f"{count:,}"))
        else:
            self.count_label.setText(self.tr("共 {0} 条服务记录；双击或按回车键打开").format(f"{count:,}"))

    # --- opening ---------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        visit_id = self.model.visit_id(index.row())
        if visit_id:
            self.open_visit(visit_id)

    def selected_visit_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.visit_id(rows[0].row()) if rows else None

    def context_menu(self, row: int) -> QMenu | None:
        """打开, 打印服务记录单… and 修改历史… for the visit in `row` (what a right click shows)."""
        visit_id = self.model.visit_id(row)
        if not visit_id:
            return None
        menu = QMenu(self)
        menu.addAction(self.tr("打开"), lambda: self.open_visit(visit_id))
        menu.addAction(self.tr("打印服务记录单…"), lambda: self.print_visit(visit_id))
        menu.addAction(self.tr("修改历史…"), lambda: self.show_history(visit_id))
        return menu

    def show_history(self, visit_id: str) -> QWidget:
        """The visit's revisions on the central store: who changed which field, when."""
        from ui.views.history import RecordHistoryDialog

        dialog = RecordHistoryDialog(self.context, "visits", visit_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = self.context_menu(index.row())
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def print_visit(self, visit_id: str) -> None:
        from ui.printing import print_visit_sheet

        print_visit_sheet(self, self.context, visit_id)

    def open_visit(self, visit_id: str | None) -> None:
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_visit_editor(self, self.context, visit_id)
