"""团队: a manager's team at a glance — each member's activity in the chosen period, visits per
week, members without a visit for 30 days, the team's assessment and its summary PDF."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.activity import IDLE_DAYS
from commissioner_app.assessment import Assessment
from commissioner_app.collation import name_key, zh_key
from commissioner_app.domain import AGREED_TARGETS
from commissioner_app.ops import OpChanges
from commissioner_app.ops.team import TeamFigures, team_figures, write_team_summary
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.roles import reviewer, watcher
from ui.tasks import Operation
from ui.views.chart import BarChart
from ui.views.common import heading, pdf_target
from ui.views.measured_fit import MeasuredFitter
from ui.widgets.dates import TypedDateEdit
from ui.widgets.flow import flow_widget

IDLE_COLOUR = QColor("#fde8c8")
PRESETS = ("30days", "month", "quarter", "year", "last_year", "custom")


def preset_period(key: str, today: date) -> tuple[date, date]:
    if key == "30days":
        return today - timedelta(days=29), today
    if key == "month":
        return today.replace(day=1), today
    if key == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), today


class NumberItem(QTableWidgetItem):
    """A right-aligned number shown as formatted text that sorts by its value."""

    def __init__(self, value: float | int, digits: int = 0):
        super().__init__(f"{value:,.{digits}f}")
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


class TextItem(QTableWidgetItem):
    """A cell of text that sorts as Chinese readers look for it: names by pinyin."""

    key = staticmethod(zh_key)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, TextItem):
            return self.key(self.text()) < self.key(other.text())
        return super().__lt__(other)


class PersonItem(TextItem):
    """A person's name: by pinyin, its surname by its reading as one (曾 as zēng)."""

    key = staticmethod(name_key)


def _with_tip(text: str) -> QTableWidgetItem:
    """A cell whose whole text shows on hover (the column may elide it)."""
    item = TextItem(text)
    item.setToolTip(text)
    return item


def _number(value: float | int, digits: int = 0) -> QTableWidgetItem:
    return NumberItem(value, digits)


def _table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(28)
    table.setSortingEnabled(True)
    table.setShowGrid(False)
    return table


class TeamView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.figures: TeamFigures | None = None
        self.has_loaded = False
        self.today = date.today()
        self.title = heading("", self)
        self.team_label = QLabel(self)
        self.team_label.setObjectName("hint")
        self.period_label = QLabel(self)
        self.preset = QComboBox(self)
        self.date_from = TypedDateEdit(self)
        self.date_to = TypedDateEdit(self)
        self.to_label = QLabel(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(lambda: self.save_summary())  # not clicked(bool) as the path
        self.message = plain_label(QLabel(self))
        self.message.setObjectName("hint")
        self.members_title = QLabel(self)
        self.members_title.setObjectName("hint")
        self.agreements_note = plain_label(QLabel(self))
        self.agreements_note.setWordWrap(True)
        self.agreements_note.setStyleSheet("color: #b35c00;")
        self.members = _table(self)
        self.members.setColumnCount(7)
        # The unit (elided, whole in its tooltip) takes what the names and the figures leave.
        self.members_columns = MeasuredFitter(self.members, stretch=1, texts=(1,))
        self.chart = BarChart(self)
        self.assessment_title = QLabel(self)
        self.assessment_title.setWordWrap(True)  # the basis and the status make a long line in English
        self.assessment_title.setObjectName("hint")
        self.assessment = _table(self)
        # Every column whole: the member's name takes the spare width (set for each year's parts).
        self.assessment_columns = MeasuredFitter(self.assessment, stretch=0, texts=())

        # The title, the period and the PDF button wrap onto more lines on a narrow screen.
        top_widget, top = flow_widget(self)
        top.setSpacing(16)
        names_widget = QWidget(self)
        names = QVBoxLayout(names_widget)
        names.setContentsMargins(0, 0, 0, 0)
        names.addWidget(self.title)
        names.addWidget(self.team_label)
        top.addWidget(names_widget)
        top.add_group(self.period_label, self.preset, self.date_from, self.to_label, self.date_to)
        top.addWidget(self.pdf_button)
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        members_box = QWidget(upper)
        members_layout = QVBoxLayout(members_box)
        members_layout.setContentsMargins(0, 0, 0, 0)
        members_layout.addWidget(self.members_title)
        members_layout.addWidget(self.agreements_note)
        members_layout.addWidget(self.members, 1)
        upper.addWidget(members_box)
        upper.addWidget(self.chart)
        # The members table first: its seven columns need the room more than the weekly chart does
        # (at 150 % their English headers fit on one line only so).
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 1)
        upper.setSizes([880, 240])
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.assessment_title)
        lower_layout.addWidget(self.assessment, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([380, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(top_widget)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.retranslate()
        self._set_preset("30days")
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.date_from.dateChanged.connect(lambda _d: self._dates_edited())
        self.date_to.dateChanged.connect(lambda _d: self._dates_edited())
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    # --- period ----------------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def _set_preset(self, key: str) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index(key))
        self.preset.blockSignals(False)
        if key != "custom":
            start, end = preset_period(key, self.today)
            for edit, day in ((self.date_from, start), (self.date_to, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)

    def _preset_chosen(self, index: int) -> None:
        self._set_preset(PRESETS[index])
        self.refresh()

    def _dates_edited(self) -> None:
        self._set_preset("custom")
        self.refresh()

    def set_period(self, start: date, end: date) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self._dates_edited()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        who = reviewer(self.context)
        if who is None or not (who.team_id or who.workstation_id):
            self.figures = None
            self.has_loaded = True
            self._say(self.tr("团队情况供工作站站长或团长使用：请在“同步”页面用站长账户登录。"))
            self._fill()
            return
        start, end = self.period()
        if start > end:
            self._say(self.tr("开始日期晚于结束日期。"))
            return
        Operation(self, lambda store: team_figures(store, who, start, end), self._show).with_progress(
            self.tr("正在统计团队情况…")
        ).run_in_background()

    def _role_changed(self, _role: str) -> None:
        self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits", "reviews", "commissioners", "problems", "assessment_rules"
        ):
            self.refresh()

    def _show(self, figures: TeamFigures) -> None:
        self.figures = figures
        self.has_loaded = True
        self._say("")
        self._fill()

    def idle_names(self) -> list[str]:
        return [m.name for m in self.figures.members if m.idle] if self.figures else []

    def _fill(self) -> None:
        f = self.figures
        lang = self.context.language
        self.members.setSortingEnabled(False)
        self.members.setColumnCount(7)
        self.members.setHorizontalHeaderLabels(
            [
                self.tr("成员"),
                self.tr("派出单位"),
                self.tr("服务次数"),
                self.tr("服务天数"),
                self.tr("解决难题"),
                self.tr("待审核"),
                self.tr("最近服务"),
            ]
        )
        members = f.members if f else []
        self.members.setRowCount(len(members))
        for row, m in enumerate(members):
            cells = [
                PersonItem(m.name),
                _with_tip(m.sending_unit),
                _number(m.visits),
                _number(m.service_days),
                _number(m.problems_solved),
                _number(m.pending_reviews),
                QTableWidgetItem(m.last_visit.isoformat() if m.last_visit else self.tr("从未")),
            ]
            for column, item in enumerate(cells):
                if m.idle:
                    item.setBackground(QBrush(IDLE_COLOUR))
                    idle_tip = self.tr("已超过 {0} 天没有服务记录").format(IDLE_DAYS)
                    item.setToolTip(f"{item.toolTip()}\n{idle_tip}" if item.toolTip() else idle_tip)
                self.members.setItem(row, column, item)
        self.members.setSortingEnabled(True)
        self.members_columns.contents_changed()
        idle = len(self.idle_names())
        if f is None:
            self.team_label.setText("")
            self.members_title.setText("")
        else:
            # (A team the bureau has not made yet, or not synced here yet, has no name to show.)
            name = f.team_name or self.tr("本团队")
            self.team_label.setText(self.tr("{0}，成员 {1} 人").format(name, len(members)))
            total = sum(m.visits for m in members)
            text = self.tr("本期共服务 {0} 次。").format(total)
            if idle:
                text += self.tr("{0} 名成员已超过 {1} 天没有服务记录（以橙色标出）。").format(idle, IDLE_DAYS)
            self.members_title.setText(text)
        behind = f.agreements_behind if f else []
        self.agreements_note.setVisible(bool(behind))
        self.agreements_note.setText(
            self.tr("服务协议进度落后（已过协议期一半，有约定指标未完成一半）：{0}").format(
                "；".join(
                    who + "·" + target + "（" + "、".join(AGREED_TARGETS[k].text(lang) for k in keys) + "）"
                    for who, target, keys in behind
                )
            )
        )
        weeks = f.weeks if f else []
        self.chart.empty_text = self.tr("本期没有服务记录")
        self.chart.set_data(
            [f"{w.month}/{w.day}" for w, _n in weeks],
            [n for _w, n in weeks],
            self.tr("每周服务次数"),
        )
        self._fill_assessment(f.assessment if f else None, lang)

    def _fill_assessment(self, a: Assessment | None, lang: str) -> None:
        parts = [p.name.text(lang) for p in a.members[0].parts] if a and a.members else []
        self.assessment.setSortingEnabled(False)
        self.assessment.setColumnCount(4 + len(parts))
        self.assessment.setHorizontalHeaderLabels(
            [self.tr("成员"), self.tr("服务次数"), *parts, self.tr("总分"), self.tr("等级")]
        )
        members = a.members if a else []
        self.assessment.setRowCount(len(members))
        capped_note = self.tr("得分达到优秀，受优秀比例上限调整为良好。")
        for row, m in enumerate(members):
            grade = QTableWidgetItem(m.grade_label.text(lang) + ("*" if m.capped else ""))
            if m.capped:  # as the team summary PDF marks it
                grade.setToolTip(capped_note)
            cells = [
                PersonItem(m.name),
                _number(m.figures.visits),
                *[_number(p.score, 1) for p in m.parts],
                _number(m.total, 1),
                grade,
            ]
            for column, item in enumerate(cells):
                self.assessment.setItem(row, column, item)
        self.assessment.setSortingEnabled(True)
        self.assessment_columns.contents_changed()  # the parts' long English names wrap if need be
        if a is None:
            self.assessment_title.setText("")
        else:
            text = self.tr("{0}考核（与团队汇总 PDF 相同的计算）。{1}").format(
                a.period.label.text(lang), a.basis_note.text(lang)
            )
            if members:  # an estimate until the bureau publishes the year's official results
                text += "　" + members[0].status_label.text(lang)
            if any(m.capped for m in members):
                text += "\n* " + capped_note
            self.assessment_title.setText(text)

    # --- the summary PDF -------------------------------------------------------------------------

    def save_summary(self, path: str | None = None) -> None:
        who = reviewer(self.context)
        if who is None:
            return
        year = self.period()[1].year
        name = self.tr("{0}年度团队工作汇总.pdf").format(year)
        target = pdf_target(self, self.context, "team", self.tr("保存团队汇总"), name, path)
        if target is None:
            return
        self.pdf_button.setEnabled(False)
        Operation(
            self, lambda store: write_team_summary(store, who, year, target), self._summary_saved
        ).failure(self._summary_failed).with_progress(self.tr("正在生成团队汇总…")).run_in_background()

    def _summary_saved(self, path: Path) -> None:
        self.pdf_button.setEnabled(True)
        self.context.set_setting("team", "folder", str(path.parent))  # a folder that worked
        self._say(self.tr("团队汇总已保存：{0}").format(path))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))  # no empty line above the tables

    def _summary_failed(self, error: BaseException) -> None:
        from ui.tasks import show_error

        self.pdf_button.setEnabled(True)
        show_error(self, error)

    # --- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # What was said of a past act is not said again in the new language: gone, not left
            # in the old one.
            self._say("")
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("团队"))
        self.period_label.setText(self.tr("统计期间"))
        self.to_label.setText(self.tr("至"))
        labels = {
            "30days": self.tr("近30天"),
            "month": self.tr("本月"),
            "quarter": self.tr("本季度"),
            "year": self.tr("本年度"),
            "last_year": self.tr("上一年度"),
            "custom": self.tr("自定义"),
        }
        index = max(self.preset.currentIndex(), 0)
        self.preset.blockSignals(True)
        self.preset.clear()
        self.preset.addItems([labels[k] for k in PRESETS])
        self.preset.setCurrentIndex(index)
        self.preset.blockSignals(False)
        self.pdf_button.setText(self.tr("本年度团队汇总 PDF…"))  # the year, whatever period the view shows
        self._fill()
