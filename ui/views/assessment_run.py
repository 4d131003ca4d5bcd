"""年度考核: the bureau's annual assessment run — everyone's scores for the year from approved records
(commissioner_app.assessment, the 优秀 share cap applied), the grade distribution, the table exported
to Excel (commissioner_app.exports) and the annual records of everyone as a PDF batch in the
background with progress and cancel (the same AnnualBatchPanel the personal assessment view uses)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.assessment import Assessment, Period, assess, member_ranks
from commissioner_app.assessment_rules import GRADES
from commissioner_app.exports import export_xlsx
from commissioner_app.ops import OpChanges
from commissioner_app.ops.assessment import awaiting_review, publish_results
from commissioner_app.ops.session import session_county
from commissioner_app.store import Store
from ui import screen_fit
from ui.context import AppContext
from ui.models import shown_reference
from ui.plain_text import plain_label
from ui.roles import current_role, user_info, watcher
from ui.tasks import Operation, error_text
from ui.views.annual_batch import AnnualBatchPanel, BatchRun
from ui.views.chart import BarChart
from ui.views.city import _fill, _fitted_table, _headers
from ui.views.common import YearCombo, ask_save_path, heading, until_synced
from ui.views.group_assessment import GroupAssessmentView
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.assessment_run")

RUN_WIDTHS = (60, 63, 300, 72, 74, 110, 136, 63, 65, 57)  # on a wide window; logical pixels
RUN_OPTIONAL = (9, 5)  # the note, then the service days


class AssessmentRunView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.assessment: Assessment | None = None
        self.has_loaded = False
        self.title = heading("", self)
        self.year_label = QLabel(self)
        self.year = YearCombo(self)
        self.export_button = QPushButton(self)
        self.batch_button = QPushButton(self)
        self.batch_button.setObjectName("primary")
        self.publish_button = QPushButton(self)
        self.publish_button.clicked.connect(lambda: self.publish())
        self.export_button.clicked.connect(lambda: self.export())
        self.batch_button.clicked.connect(lambda: self.start_batch())
        self.message = plain_label(QLabel(self))
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.batch_panel = AnnualBatchPanel(context, self.batch_button, self)
        self.batch_panel.finished.connect(self.message.setText)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.chart = BarChart(self)
        # Rank, name, sending unit, county, the figures, score, grade, note: the unit shrinks on a
        # narrow window, the rest show their values whole; the note (rarely filled) gives
        # way first when even the headers do not fit, then the service days (see ColumnFitter).
        self.table = _fitted_table(self, RUN_WIDTHS, stretch=2, texts=(2,), optional=RUN_OPTIONAL)
        self.table.setSortingEnabled(True)

        # The title and year, then the three actions: they wrap onto a second line on a narrow screen.
        top_widget, top = flow_widget(self)
        top.setSpacing(12)
        heading_row = QWidget(self)
        heading_layout = QHBoxLayout(heading_row)
        heading_layout.setContentsMargins(0, 0, 0, 0)
        heading_layout.addWidget(self.title)
        heading_layout.addSpacing(16)
        heading_layout.addWidget(self.year_label)
        heading_layout.addWidget(self.year)
        top.addWidget(heading_row)
        top.addWidget(self.publish_button)
        top.addWidget(self.export_button)
        top.addWidget(self.batch_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.chart, 1)
        left_layout.addWidget(self.summary)
        split = QSplitter(self)
        # The chart over its notes, scrolling when they need more height than there is (at 150 %
        # the notes were drawn over the chart's labels and cut off at the bottom).
        split.addWidget(screen_fit.scrolling(left, self))
        split.addWidget(self.table)
        split.setSizes([380, 820])
        # Commissioners, then teams and workstations (their own indicators and bonuses, 团队考核).
        self.groups = GroupAssessmentView(context, self, embedded=True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, "")
        self.tabs.addTab(self.groups, "")
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        layout = QVBoxLayout(self)
        layout.addWidget(top_widget)
        layout.addWidget(self.batch_panel)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.retranslate()
        # A county bureau runs its county's assessment; only the city bureau publishes results.
        self._role_changed(current_role(context))
        watcher(context).role_changed.connect(self._role_changed)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        context.operation_did_execute.connect(self._records_changed)

    @property
    def chosen_year(self) -> int:
        return self.year.year()

    def set_year(self, year: int) -> None:
        self.year.set_year(year)

    def _tab_shown(self) -> None:
        if self.tabs.currentWidget() is self.groups:
            self.groups.set_year(self.chosen_year)
            self.groups.load()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # What was said of a past act (已生成 8 份年度服务记录…) is gone, not left in the old
            # language (a cold try found it so), as in the city view.
            self.message.clear()
            self.retranslate()
        super().changeEvent(event)

    def _role_changed(self, role: str) -> None:
        self.publish_button.setVisible(role == "bureau")
        self.retranslate()

    def retranslate(self) -> None:
        county = session_county(self.context.reader)
        self.title.setText(self.tr("{0}年度考核").format(county) if county else self.tr("年度考核"))
        self.tabs.setTabText(0, self.tr("科技特派员考核"))
        self.tabs.setTabText(1, self.tr("团队与工作站考核"))
        self.year_label.setText(self.tr("年度"))
        self.export_button.setText(self.tr("导出考核表（Excel）"))
        self.publish_button.setText(self.tr("发布正式结果…"))
        self.publish_button.setToolTip(
            self.tr("按本机已同步的全市数据发布本年度正式考核结果；请先同步，发布后再同步。")
        )
        self.batch_button.setText(self.tr("批量生成年度服务记录（PDF）"))
        self.chart.empty_text = self.tr("本年度暂无考核结果")
        _headers(
            self.table,
            [
                self.tr("名次"),
                self.tr("姓名"),
                self.tr("派出单位"),
                self.tr("区县"),
                self.tr("服务记录"),
                self.tr("服务天数"),
                self.tr("解决难题"),
                self.tr("得分"),
                self.tr("等次"),
                self.tr("说明"),
            ],
        )
        self._show()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        year = self.chosen_year
        self.groups.set_year(year)
        Operation(self, lambda store: assess(store, period=Period.year(year)), self._loaded).with_progress(
            self.tr("正在计算全市考核结果…")
        ).run_in_background()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits",
            "reviews",
            "problems",
            "solutions",
            "commissioners",
            "assessment_rules",
            "assessment_results",
        ):
            self.refresh()

    def _loaded(self, a: Assessment) -> None:
        if a.period.end.year != self.chosen_year:
            return
        self.has_loaded = True
        self.assessment = a
        self._show()

    def _show(self) -> None:
        a = self.assessment
        if a is None:
            return
        lang = self.context.language
        counts = a.grade_counts()
        self.chart.set_data(
            [GRADES[g].text(lang) for g in GRADES],
            [counts.get(g, 0) for g in GRADES],
            self.tr("等次分布（人）"),
        )
        comma = ", " if lang == "en" else "，"
        lines = [
            self.tr("参评 {0} 人：").format(len(a.members))
            + comma.join(f"{GRADES[g].text(lang)} {counts.get(g, 0)}" for g in GRADES)
        ]
        lines += [n.text(lang) for n in a.notes]
        lines.append(a.basis_note.text(lang))
        published = sorted({m.published_at[:10] for m in a.members if m.published_at})
        lines.append(
            self.tr("正式结果，{0} 发布。").format("、".join(published))
            if published
            else self.tr("预估结果，尚未发布。")
        )
        self.summary.setText("\n".join(lines))
        capped = self.tr("按优秀比例上限由优秀调为良好")
        _fill(
            self.table,
            [
                [
                    rank,
                    m.name,
                    m.sending_unit,
                    shown_reference(self.context, "county", m.county),
                    m.figures.visits,
                    m.figures.service_days,
                    m.figures.problems_solved,
                    round(m.total, 1),
                    m.grade_label.text(lang),
                    capped if m.capped else "",
                ]
                for rank, m in zip(member_ranks(a.members), a.members, strict=True)
            ],
            [m.commissioner_id for m in a.members],
        )

    # --- publishing ------------------------------------------------------------------------------

    def publish(self, *, confirm: bool = True) -> None:
        year = self.chosen_year
        if confirm:
            question = self.tr(
                "按本机已同步的全市数据发布 {0} 年度正式考核结果？\n"
                "请确认刚刚同步过。发布后，每位特派员同步后的年度考核表都显示这一结果；"
                "再次发布会替换之前的结果。"
            ).format(year)
            waiting = awaiting_review(self.context.reader, year)
            if waiting:
                # Results count approved records only: what still waits would not count.
                question += "\n\n" + self.tr(
                    "注意：本年度还有 {0} 条服务记录待审核，它们不计入这次发布的结果。"
                ).format(f"{waiting:,}")
            answer = QMessageBox.question(self, self.tr("发布正式结果"), question)
            if answer != QMessageBox.StandardButton.Yes:
                return
        info = user_info(self.context) or {}
        who = str(info.get("display_name") or info.get("username") or self.tr("市科技局"))
        Operation(
            self,
            lambda store: publish_results(store, year, who),
            lambda done: self._published(year, done.value),
        ).failure(lambda e: self.message.setText(error_text(e))).with_progress(
            self.tr("正在发布考核结果…")
        ).run_in_background()

    def _published(self, year: int, n: int) -> None:
        self.message.setText(self.tr("已发布 {0} 年度 {1} 人的正式结果，下次同步时发送。").format(year, n))
        until_synced(self.context, self.message)

    # --- documents -------------------------------------------------------------------------------

    def export(self, out: Path | None = None) -> None:
        year = self.chosen_year
        if out is None:
            start = self.context.setting("assessment", "folder", str(Path.home()), str)
            out = ask_save_path(
                self,
                self.tr("导出考核表"),
                Path(start) / f"{year}年度考核.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
                ".xlsx",
            )
            if out is None:
                return
        a = (
            self.assessment
            if self.assessment is not None and self.assessment.period.end.year == year
            else None
        )
        target = out

        def work(store: Store) -> dict[str, int]:
            return export_xlsx(store, year, target, assessment=a)

        Operation(
            self, work, lambda _counts: self.message.setText(self.tr("已导出：{0}").format(target))
        ).failure(lambda e: self.message.setText(error_text(e))).with_progress(
            self.tr("正在导出考核表…")
        ).run_in_background()

    @property
    def batch(self) -> BatchRun | None:
        return self.batch_panel.run

    def start_batch(self, folder: Path | None = None) -> BatchRun | None:
        return self.batch_panel.start(self.chosen_year, folder)
