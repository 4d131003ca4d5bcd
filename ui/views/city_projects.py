"""The city view's 揭榜与成果转化 tab: 揭榜挂帅 projects by status (count and budget), approved
achievements transferred and the 技术交易额 they add, per county of the served party."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from commissioner_app.domain import PROJECT_STATUSES
from commissioner_app.ops.projects import CityProjectFigures, city_project_figures
from ui.context import AppContext
from ui.tasks import Operation
from ui.views.common import fit_by_content
from ui.views.projects import _table


class CityProjectsPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.figures: CityProjectFigures | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_table = _table(self, 3)
        self.county_label = QLabel(self)
        self.county_table = _table(self, 3)
        # Each column shows its values whole and the first the spare width (see ColumnFitter).
        for table in (self.status_table, self.county_table):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        tables = (self.status_table, self.county_table)
        self.fitters = [
            fit_by_content(t, widths, 0, ())
            for t, widths in zip(tables, ((240, 40, 76), (240, 40, 112)), strict=True)
        ]
        left = QVBoxLayout()
        left.addWidget(self.status_label)
        left.addWidget(self.status_table, 1)
        right = QVBoxLayout()
        right.addWidget(self.county_label)
        right.addWidget(self.county_table, 1)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addLayout(row, 1)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.status_label.setText(self.tr("揭榜挂帅项目（按状态）"))
        self.status_table.setHorizontalHeaderLabels(
            [self.tr("状态"), self.tr("项目数"), self.tr("经费（万元）")]
        )
        self.county_label.setText(self.tr("成果转化（已审核通过，按服务对象所在区县）"))
        self.county_table.setHorizontalHeaderLabels(
            [self.tr("区县"), self.tr("成果数"), self.tr("技术交易额（万元）")]
        )
        self._show()

    def load(self, year: int) -> None:
        Operation(self, lambda store: city_project_figures(store, year), self._loaded).run_in_background()

    def _loaded(self, figures: CityProjectFigures) -> None:
        self.figures = figures
        self._show()

    def _show(self) -> None:
        f = self.figures
        if f is None:
            return
        lang = self.context.language
        total = sum(int(v["count"]) for v in f.by_status.values())
        self.summary.setText(
            self.tr(
                "{0}年：揭榜挂帅项目 {1} 个；成果转化 {2} 项，技术交易额 {3:.2f} 万元（另有 {4} 项待审核）。"
            ).format(f.year, total, int(f.totals["count"]), f.totals["value"], int(f.totals["pending"]))
        )
        self.status_table.setRowCount(len(PROJECT_STATUSES))
        for row, (code, label) in enumerate(PROJECT_STATUSES.items()):
            values = f.by_status.get(code, {"count": 0, "budget": 0.0})
            for column, text in enumerate(
                (label.text(lang), str(int(values["count"])), f"{values['budget']:.2f}")
            ):
                self.status_table.setItem(row, column, QTableWidgetItem(text))
        self.county_table.setRowCount(len(f.by_county))
        for row, c in enumerate(f.by_county):
            for column, text in enumerate(
                (c["county"] or self.tr("（未填写）"), str(c["count"]), f"{float(c['value']):.2f}")
            ):
                self.county_table.setItem(row, column, QTableWidgetItem(text))
        for fitter in self.fitters:
            fitter.refit()  # the widest value and the headers may have changed
