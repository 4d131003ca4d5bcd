"""全市概况: the bureau's view of the programme — progress toward the plan's targets, activity by
county and town, by industry and service type (charts and tables), every commissioner's score and
grade, and a drill-down from a county to its towns to a town's visits.

The figures come from commissioner_app.activity (one pass over a covering index, so the view opens
quickly on 100,000 visits); the scores from commissioner_app.assessment, loaded after the figures
so the view is usable while they are computed. All loading runs on the store worker."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.activity import town_breakdown
from commissioner_app.assessment import Assessment, MemberResult, Period, assess
from commissioner_app.domain import SERVICE_TYPES
from commissioner_app.ops import OpChanges
from commissioner_app.ops.city import (
    CityFigures,
    city_figures,
    county_scores,
    town_visits,
    write_city_summary,
)
from commissioner_app.ops.session import session_county
from commissioner_app.store import RECORD_STATES
from ui import screen_fit
from ui.context import AppContext
from ui.models import shown_reference
from ui.roles import watcher
from ui.tasks import Operation
from ui.views.chart import BarChart
from ui.views.city_projects import CityProjectsPanel
from ui.views.common import ColumnFitter, YearCombo, fit_by_content, heading, pdf_target
from ui.views.rows_model import RowsModel

log = logging.getLogger("commissioner.ui.city")


def _table(parent: QWidget, columns: int, stretch: int = 0) -> QTableView:
    """A read-only table over a RowsModel; the `stretch` column takes the spare width (a name, not a
    number)."""
    table = QTableView(parent)
    _read_only(table)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setProperty("stretch_column", stretch)
    return table


def _read_only(table: QTableView) -> None:
    table.setModel(RowsModel(table))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.setWordWrap(False)


class FittedTable(QTableView):
    """A read-only table over a RowsModel whose columns fit its width (see ColumnFitter)."""

    columns: ColumnFitter


def _fitted_table(
    parent: QWidget,
    widths: tuple[int, ...],
    stretch: int = 0,
    texts: tuple[int, ...] = (0,),
    optional: tuple[int, ...] = (),
) -> FittedTable:
    """A read-only table over a RowsModel that never scrolls sideways. On a wide window each column
    has its width in `widths` and the `stretch` one takes the spare width; on a narrow one the `texts`
    columns (names and texts that may be cut, with the whole in the tooltip) share what the others
    leave, each of which shows its widest value whole; the `optional` ones give way if need be."""
    table = FittedTable(parent)
    _read_only(table)
    _model(table).set_headers([""] * len(widths))  # the columns exist before the fitter sizes them
    table.columns = fit_by_content(table, widths, stretch, texts, optional=optional)
    return table


def _model(table: QTableView) -> RowsModel:
    model = table.model()
    assert isinstance(model, RowsModel)
    return model


def _fill(table: QTableView, rows: list[list[Any]], keys: list[Any] | None = None) -> None:
    _model(table).set_rows(rows, keys)
    if isinstance(table, FittedTable):
        table.columns.refit()  # the widest value may have changed


def _headers(table: QTableView, headers: list[str]) -> None:
    _model(table).set_headers(headers)
    if isinstance(table, FittedTable):
        table.columns.refit()  # the headers' widths change with the language
        return
    # Resize modes apply to existing sections: set once the columns exist.
    table.horizontalHeader().setSectionResizeMode(
        int(table.property("stretch_column")), QHeaderView.ResizeMode.Stretch
    )


def _selected_key(table: QTableView) -> Any:
    rows = table.selectionModel().selectedRows()
    return _model(table).key(rows[0].row()) if rows else None


class ProgressCard(QFrame):
    """One plan target: the figure, the target and a bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.caption = QLabel(self)
        self.figure = QLabel(self)
        self.figure.setObjectName("figure")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        for label in (self.caption, self.note):
            label.setWordWrap(True)  # three cards side by side on a 911-pixel screen, in English too
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.figure)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)

    def set_value(self, value: int, target: int | None) -> None:
        self.figure.setText(f"{value:,}")
        if target:
            self.bar.setVisible(True)
            self.bar.setRange(0, target)
            self.bar.setValue(min(value, target))
            self.bar.setFormat(f"{value / target:.1%}")  # as the summary PDF: 1 of 1,000 is 0.1 %, not 0 %
        else:
            self.bar.setVisible(False)


class CityView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.figures: CityFigures | None = None
        self.assessment: Assessment | None = None  # the year's, once computed (after the figures)
        self.members: list[MemberResult] | None = None
        self.towns: list[dict[str, Any]] = []
        self.visits: list[dict[str, Any]] = []
        self.visit_total = 0
        self.county = ""
        self.town = ""
        self.has_loaded = False
        self.title = heading("", self)
        self.year_label = QLabel(self)
        self.year = YearCombo(self)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(lambda: self.save_summary())
        self.message = QLabel(self)  # where the summary was saved
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.active_card = ProgressCard(self)
        self.solved_card = ProgressCard(self)
        self.visits_card = ProgressCard(self)

        # Places: counties (chart + table) → a county's towns → a town's visits.
        self.county_chart = BarChart(self)
        # The counties compared: activity, then assessment (every column a name or a figure, whole).
        self.county_table = _fitted_table(self, (240, 60, 100, 96, 116, 101, 66), texts=())
        self.county_table.selectionModel().selectionChanged.connect(lambda *_a: self._county_chosen())
        self.town_label = QLabel(self)
        self.town_table = _fitted_table(self, (240, 60, 100), texts=())
        self.town_table.selectionModel().selectionChanged.connect(lambda *_a: self._town_chosen())
        self.visits_label = QLabel(self)
        self.visits_table = _fitted_table(self, (60, 100, 240, 140, 60, 300), stretch=5, texts=(2, 3, 5))
        places = QWidget(self)
        grid = QGridLayout(places)
        grid.setContentsMargins(4, 4, 4, 4)
        # The chart beside the chosen county's towns; below them the counties' table and the chosen
        # town's visits, each the page's width (seven columns, or six with the content, fit a field
        # laptop at 150 % only so).
        grid.addWidget(self.county_chart, 0, 0)
        town_box = QVBoxLayout()
        town_box.addWidget(self.town_label)
        town_box.addWidget(self.town_table)
        grid.addLayout(town_box, 0, 1)
        grid.addWidget(self.county_table, 1, 0, 1, 2)
        visit_box = QVBoxLayout()
        visit_box.addWidget(self.visits_label)
        visit_box.addWidget(self.visits_table)
        grid.addLayout(visit_box, 2, 0, 1, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)

        # Industries and service types.
        self.industry_chart = BarChart(self)
        self.industry_table = _fitted_table(self, (300, 60))
        self.type_chart = BarChart(self)
        self.type_table = _fitted_table(self, (300, 60))
        kinds = QWidget(self)
        kinds_grid = QGridLayout(kinds)
        kinds_grid.setContentsMargins(4, 4, 4, 4)
        kinds_grid.addWidget(self.industry_chart, 0, 0)
        kinds_grid.addWidget(self.industry_table, 1, 0)
        kinds_grid.addWidget(self.type_chart, 0, 1)
        kinds_grid.addWidget(self.type_table, 1, 1)

        # Commissioners with score and grade.
        self.people_table = _fitted_table(self, (90, 400, 72, 74, 136, 63, 70), stretch=1, texts=(1,))
        self.people_table.setSortingEnabled(True)
        # In the assessment's order (by score) until a column is clicked: the arrow on 姓名 said
        # the rows were by name, and they were not (a cold try).
        self.people_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.people_note = QLabel(self)
        self.people_note.setObjectName("hint")
        self.people_note.setWordWrap(True)
        people = QWidget(self)
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(4, 4, 4, 4)
        people_layout.addWidget(self.people_note)
        people_layout.addWidget(self.people_table, 1)

        # The plan's yearly list by county: each county against its own targets.
        self.plan_note = QLabel(self)
        self.plan_note.setObjectName("hint")
        self.plan_note.setWordWrap(True)
        self.plan_table = _fitted_table(self, (240, 60, 60, 60, 60), texts=())
        plan = QWidget(self)
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(4, 4, 4, 4)
        plan_layout.addWidget(self.plan_note)
        plan_layout.addWidget(self.plan_table, 1)

        self.tabs = QTabWidget(self)
        # The pages scroll on a small screen (at 150 % the charts and tables do not fit one above the other).
        self.tabs.addTab(screen_fit.scrolling(places, self), "")
        self.tabs.addTab(screen_fit.scrolling(kinds, self), "")
        self.tabs.addTab(screen_fit.scrolling(people, self), "")
        self.projects_panel = CityProjectsPanel(context, self)  # 揭榜挂帅 and 成果转化
        self.tabs.addTab(screen_fit.scrolling(self.projects_panel, self), "")
        self.tabs.addTab(screen_fit.scrolling(plan, self), "")

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.pdf_button)
        cards = QHBoxLayout()
        for card in (self.active_card, self.solved_card, self.visits_card):
            cards.addWidget(card, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(cards)
        layout.addWidget(self.tabs, 1)

        self.retranslate()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    def _role_changed(self, _role: str = "") -> None:
        self.retranslate()
        self._records_changed(OpChanges.all())

    @property
    def chosen_year(self) -> int:
        return self.year.year()

    def set_year(self, year: int) -> None:
        self.year.set_year(year)

    # --- text ------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # What was said of a past act is not said again in the new language: gone, not left
            # in the old one.
            self.message.clear()
            self.message.setVisible(False)
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        # A county bureau's: the same view over its county's records (the server sends only those).
        county = shown_reference(self.context, "county", session_county(self.context.reader))
        self.title.setText(self.tr("{0}概况").format(county) if county else self.tr("全市概况"))
        self.year_label.setText(self.tr("年度"))
        # The chosen year's, as the command line's `report city` makes it.
        self.pdf_button.setText(
            self.tr("{0}汇总 PDF…").format(county) if county else self.tr("全市汇总 PDF…")
        )
        self.active_card.caption.setText(self.tr("在岗服务的科技特派员（人）"))
        self.solved_card.caption.setText(self.tr("解决技术难题（项）"))
        self.visits_card.caption.setText(self.tr("服务记录（条）"))
        self.tabs.setTabText(0, self.tr("区县与镇街"))
        self.tabs.setTabText(1, self.tr("产业与服务类型"))
        self.tabs.setTabText(2, self.tr("科技特派员考核"))
        self.tabs.setTabText(3, self.tr("揭榜与成果转化"))
        self.tabs.setTabText(4, self.tr("年度清单（分县）"))
        _headers(
            self.plan_table,
            [
                self.tr("区县"),
                self.tr("在岗服务的科技特派员（人）"),
                self.tr("解决技术难题（项）"),
                self.tr("成果转化（项）"),
                self.tr("技术交易额（万元）"),
            ],
        )
        _headers(
            self.county_table,
            [
                self.tr("区县"),
                self.tr("服务记录"),
                self.tr("科技特派员"),
                self.tr("服务镇街"),
                self.tr("解决难题"),
                self.tr("平均得分"),
                self.tr("优秀"),
            ],
        )
        _headers(self.town_table, [self.tr("镇街"), self.tr("服务记录"), self.tr("科技特派员")])
        _headers(
            self.visits_table,
            [
                self.tr("服务日期"),
                self.tr("科技特派员"),
                self.tr("服务对象"),
                self.tr("产业"),
                self.tr("状态"),
                self.tr("服务内容"),
            ],
        )
        _headers(self.industry_table, [self.tr("产业"), self.tr("服务记录")])
        _headers(self.type_table, [self.tr("服务类型"), self.tr("服务记录")])
        _headers(
            self.people_table,
            [
                self.tr("姓名"),
                self.tr("派出单位"),
                self.tr("区县"),
                self.tr("服务记录"),
                self.tr("解决难题"),
                self.tr("得分"),
                self.tr("等次"),
            ],
        )
        for chart in (self.county_chart, self.industry_chart, self.type_chart):
            chart.empty_text = self.tr("本年度暂无服务记录")
        self._show_figures()
        self._show_towns()
        self._show_visits()
        self._show_members()

    # --- the summary PDF -------------------------------------------------------------------------

    def save_summary(self, path: str | None = None) -> None:
        year, county = self.chosen_year, session_county(self.context.reader)
        name = self.tr("{0}年度{1}科技特派员工作汇总.pdf").format(year, county or self.tr("全市"))
        target = pdf_target(self, self.context, "city", self.tr("保存汇总"), name, path)
        if target is None:
            return
        self.pdf_button.setEnabled(False)
        Operation(
            self, lambda store: write_city_summary(store, year, target, county), self._summary_saved
        ).failure(self._summary_failed).with_progress(self.tr("正在生成汇总…")).run_in_background()

    def _summary_saved(self, path: Path) -> None:
        self.pdf_button.setEnabled(True)
        self.context.set_setting("city", "folder", str(path.parent))  # a folder that worked
        county = shown_reference(self.context, "county", session_county(self.context.reader))
        self.message.setText(self.tr("{0}汇总已保存：{1}").format(county or self.tr("全市"), path))
        self.message.setVisible(True)

    def _summary_failed(self, error: BaseException) -> None:
        from ui.tasks import show_error

        self.pdf_button.setEnabled(True)
        show_error(self, error)

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        year = self.chosen_year
        self.status.setText(self.tr("正在统计…"))
        Operation(self, lambda store: city_figures(store, year), self._figures_loaded).with_progress(
            self.tr("正在统计全市数据…")
        ).run_in_background()
        # The scores come second: the figures show while the assessment is computed.
        Operation(
            self, lambda store: (year, assess(store, period=Period.year(year))), self._members_loaded
        ).with_progress(self.tr("正在计算考核得分…")).run_in_background()
        self.projects_panel.load(year)

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits",
            "problems",
            "solutions",
            "reviews",
            "commissioners",
            "assessment_rules",
            "projects",
            "achievements",
        ):
            self.refresh()

    def _figures_loaded(self, figures: CityFigures) -> None:
        if figures.year != self.chosen_year:
            return
        self.has_loaded = True
        self.figures = figures
        self.status.setText("")
        self._show_figures()
        if self.county:
            self.choose_county(self.county, self.town)

    def _members_loaded(self, result: tuple[int, Any]) -> None:
        year, a = result
        if year != self.chosen_year:
            return
        self.members = a.members
        self.assessment = a
        self._show_members()
        self._show_counted()

    # --- showing ---------------------------------------------------------------------------------

    def _show_figures(self) -> None:
        f = self.figures
        if f is None:
            return
        o = f.overview
        lang = self.context.language
        self.active_card.set_value(o["active_commissioners"], f.plan_active)
        self.solved_card.set_value(o["problems_solved"], f.plan_solved)
        self.visits_card.set_value(o["visits"], None)
        self._show_counted()
        counties = o["by_county"]
        unnamed = self.tr("（未填写）")
        self.county_chart.set_data(
            [shown_reference(self.context, "county", c["county"]) or unnamed for c in counties],
            [c["visits"] for c in counties],
            self.tr("各区县服务记录"),
        )
        self._fill_counties()
        self._show_plan(f)
        industries = o["by_industry"]
        self.industry_chart.set_data(
            [shown_reference(self.context, "industry", i["industry"]) or unnamed for i in industries[:12]],
            [i["visits"] for i in industries[:12]],
            self.tr("各产业服务记录（前 12 个）"),
        )
        _fill(
            self.industry_table,
            [
                [shown_reference(self.context, "industry", i["industry"]) or unnamed, i["visits"]]
                for i in industries
            ],
        )
        types = [
            (SERVICE_TYPES[code].text(lang) if code in SERVICE_TYPES else code, n)
            for code, n in o["by_service_type"]
        ]
        self.type_chart.set_data(
            [t for t, _n in types], [n for _t, n in types], self.tr("各服务类型服务记录")
        )
        _fill(self.type_table, [[t, n] for t, n in types])

    def _show_counted(self) -> None:
        """The cards' notes. Their figures are activity as submitted, reviewed or not; the assessment
        and its documents count by its basis (approved records, once review is in use): once it is
        computed each note says how much of the figure it counts (the two differ while review is
        under way), and the basis is the notes' tooltip."""
        f = self.figures
        if f is None:
            return
        a = self.assessment
        if a is None or a.period.end.year != f.year:
            self.active_card.note.setText(
                self.tr("计划目标 {0:,} 人；含待审核的记录，考核只计审核通过的").format(f.plan_active)
            )
            self.solved_card.note.setText(
                self.tr("计划目标 {0:,} 项；含待审核的记录，考核只计审核通过的").format(f.plan_solved)
            )
            self.visits_card.note.setText(self.tr("已提交的服务记录（不含草稿）"))
            basis = ""
        else:
            self.active_card.note.setText(
                self.tr("计划目标 {0:,} 人；考核计入 {1:,} 人").format(f.plan_active, a.active_members)
            )
            self.solved_card.note.setText(
                self.tr("计划目标 {0:,} 项；考核计入 {1:,} 项").format(
                    f.plan_solved, a.totals.problems_solved
                )
            )
            self.visits_card.note.setText(self.tr("不含草稿；考核计入 {0:,} 条").format(a.totals.visits))
            basis = a.basis_note.text(self.context.language)
        for card in (self.active_card, self.solved_card, self.visits_card):
            card.note.setToolTip(basis)

    def _show_plan(self, f: CityFigures) -> None:
        """Each county's figures against its own targets: 完成 / 目标（比例）."""
        none = self.tr("无目标")
        rows = []
        for c in f.counties:
            row: list[Any] = [shown_reference(self.context, "county", c.county) or c.county]
            for name in ("active_commissioners", "problems_solved", "achievements", "transaction_value"):
                line = c.line(name)
                actual = (
                    "—"
                    if line.actual is None
                    else f"{line.actual:,.{1 if name == 'transaction_value' else 0}f}"
                )
                if not c.has_targets or not line.target:
                    row.append(f"{actual} / {none}")
                elif line.ratio is None:
                    row.append(f"{actual} / {line.target:,.0f}")
                else:
                    row.append(f"{actual} / {line.target:,.0f}（{line.ratio:.0%}）")
            rows.append(row)
        _fill(self.plan_table, rows, [c.county for c in f.counties])
        self.plan_note.setText(
            self.tr(
                "各县（市、区）按本年度考核细则中的分县目标统计（完成 / 目标）；"
                "成果转化和技术交易额按服务对象所在县统计已审核通过的成果登记；"
                "在岗人数和解决难题含待审核的记录（全市汇总 PDF 按考核口径统计）。"
                "全市目标：科技特派员 {0:,} 人，解决难题 {1:,} 项。"
            ).format(f.plan_active, f.plan_solved)
        )

    def _fill_counties(self) -> None:
        """Each county's activity beside its assessment (average score, 优秀), once both are known."""
        if self.figures is None:
            return
        counties = self.figures.overview["by_county"]
        scores = county_scores(self.members or [])
        unnamed = self.tr("（未填写）")
        rows = []
        for c in counties:
            score = scores.get(c["county"])
            rows.append(
                [
                    shown_reference(self.context, "county", c["county"]) or unnamed,
                    c["visits"],
                    c["commissioners"],
                    c["towns"],
                    c["problems_solved"],
                    score["average"] if score else "",
                    score["excellent"] if score else "",
                ]
            )
        _fill(self.county_table, rows, [c["county"] for c in counties])

    def _show_members(self) -> None:
        self._fill_counties()
        a = self.assessment
        if self.members is None or a is None:
            self.people_note.setText(self.tr("正在计算考核得分…"))
            return
        lang = self.context.language
        self.people_note.setText(
            self.tr("{0}共 {1} 名科技特派员参评。").format(a.basis_note.text(lang), len(self.members))
        )
        _fill(
            self.people_table,
            [
                [
                    m.name,
                    m.sending_unit,
                    shown_reference(self.context, "county", m.county),
                    m.figures.visits,
                    m.figures.problems_solved,
                    round(m.total, 1),
                    m.grade_label.text(lang),
                ]
                for m in self.members
            ],
            [m.commissioner_id for m in self.members],
        )

    # --- drill-down ------------------------------------------------------------------------------

    def choose_county(self, county: str, town: str = "") -> None:
        """Show the towns of a county (and, with `town`, that town's visits)."""
        self.county, self.town = county, town
        year = self.chosen_year
        Operation(
            self,
            lambda store: town_breakdown(store, county, date(year, 1, 1), date(year, 12, 31)),
            lambda rows: self._towns_loaded(county, town, rows),
        ).run_in_background()

    def _towns_loaded(self, county: str, town: str, rows: list[dict[str, Any]]) -> None:
        if county != self.county:
            return
        self.towns = rows
        self._show_towns()
        if town:
            self.choose_town(town)
        else:
            self.visits, self.visit_total = [], 0
            self._show_visits()

    def choose_town(self, town: str) -> None:
        self.town = town
        county, year = self.county, self.chosen_year
        Operation(
            self,
            lambda store: town_visits(store, county, town, year),
            lambda result: self._visits_loaded(county, town, result),
        ).run_in_background()

    def _visits_loaded(self, county: str, town: str, result: tuple[int, list[dict[str, Any]]]) -> None:
        if (county, town) != (self.county, self.town):
            return
        self.visit_total, self.visits = result
        self._show_visits()

    def _county_chosen(self) -> None:
        county = _selected_key(self.county_table)
        if county is not None:
            if county != self.county:
                self.choose_county(county)

    def _town_chosen(self) -> None:
        town = _selected_key(self.town_table)
        if town is not None:
            if town != self.town:
                self.choose_town(town)

    def _show_towns(self) -> None:
        if not self.county:
            self.town_label.setText(self.tr("选择左侧的区县，查看其各镇街的服务情况。"))
            _fill(self.town_table, [])
            return
        self.town_label.setText(self.tr("{0}：各镇街").format(self.county or self.tr("（未填写）")))
        unnamed = self.tr("（未填写）")
        _fill(
            self.town_table,
            [[t["town"] or unnamed, t["visits"], t["commissioners"]] for t in self.towns],
            [t["town"] for t in self.towns],
        )

    def _show_visits(self) -> None:
        if not self.town:
            self.visits_label.setText(self.tr("选择镇街，查看其服务记录。"))
            _fill(self.visits_table, [])
            return
        lang = self.context.language
        shown = len(self.visits)
        text = self.tr("{0}：{1:,} 条服务记录").format(self.town, self.visit_total)
        if shown < self.visit_total:
            text += self.tr("（显示最近 {0} 条）").format(shown)
        self.visits_label.setText(text)
        _fill(
            self.visits_table,
            [
                [
                    str(v["visit_date"]),
                    v["commissioner_name"],
                    v["target_name"],
                    v["industry"],
                    RECORD_STATES[v["state"]].text(lang) if v["state"] in RECORD_STATES else v["state"],
                    " ".join(str(v["content"] or "").split()),
                ]
                for v in self.visits
            ],
            [v["id"] for v in self.visits],
        )
