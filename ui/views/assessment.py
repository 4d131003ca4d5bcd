"""考核: the annual assessment of a commissioner — indicators with targets, actual values, part
scores and grade (the same `commissioner_app.assessment.assess` the PDF uses), visits per month,
the written annual summary, and the documents: annual record and visit sheet with a preview before
saving, and the annual records of every commissioner in one background run."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.assessment import Assessment, MemberResult, visits_per_month
from commissioner_app.collation import name_key, zh_key
from commissioner_app.domain import AnnualSummary, short_id
from commissioner_app.ops import OpChanges
from commissioner_app.ops.assessment import (
    YearAssessment,
    load_summary,
    save_summary,
    visits_of,
    year_assessment,
)
from commissioner_app.store import Store
from ui import screen_fit
from ui.context import AppContext
from ui.models import owner_name
from ui.plain_text import plain_label, plain_tooltip
from ui.roles import current_role, reviewer, watcher
from ui.tasks import Operation, show_error
from ui.views.annual_batch import AnnualBatchPanel, BatchRun, OwnStoreTask
from ui.views.chart import BarChart
from ui.views.common import YearCombo, heading
from ui.views.measured_fit import MeasuredFitter
from ui.views.pdf_preview import PdfPreviewDialog, render_pages, show_preview
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.assessment")

SUBTOTAL_BG = QColor("#eef2f7")
TOTAL_BG = QColor("#dde6f1")
# The person chooser's width in average characters: at least, and at most (a long unit shows its
# start, the name, and is whole in the tooltip).
WHO_CHARACTERS = (12, 24)


def annual_pdf(store: Store, commissioner_id: str, year: int) -> tuple[bytes, list[bytes] | None]:
    from commissioner_app.reports.annual import annual_record

    buffer = io.BytesIO()
    annual_record(store, commissioner_id, year, buffer)
    pdf = buffer.getvalue()
    return pdf, render_pages(pdf)


def visit_pdf(store: Store, visit_id: str) -> tuple[bytes, list[bytes] | None]:
    from commissioner_app.reports.visit_sheet import visit_sheet

    buffer = io.BytesIO()
    visit_sheet(store, visit_id, buffer)
    pdf = buffer.getvalue()
    return pdf, render_pages(pdf)


class VisitPicker(QDialog):
    """Choose a visit for its service sheet: a search field narrows the list (date, target, content);
    Enter in it takes the first match."""

    def __init__(self, rows: list[dict[str, Any]], parent: QWidget | None = None):
        super().__init__(parent)
        self.rows = rows
        self.setWindowTitle(self.tr("选择服务记录"))
        screen_fit.fit_dialog(self, (720, 480))
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("输入日期、服务对象或内容查找"))
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._take_first)
        # Whose visit, when the rows are more than one person's (a manager's laptop holds the team's).
        owners = {row.get("commissioner_id") for row in rows} - {"", None}  # ("": saved before a profile)
        keys: tuple[str, ...] = ("visit_date", "target_name", "content")
        titles = [self.tr("服务日期"), self.tr("服务对象"), self.tr("服务内容")]
        if len(owners) > 1:
            keys = ("visit_date", "commissioner_name", "target_name", "content")
            titles.insert(1, self.tr("科技特派员"))
            self.search.setPlaceholderText(self.tr("输入日期、特派员、服务对象或内容查找"))
        self.keys = keys
        self.table = QTableWidget(len(rows), len(keys), self)
        self.table.setHorizontalHeaderLabels(titles)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        for row, item in enumerate(rows):
            for column, key in enumerate(keys):
                text = owner_name(item) if key == "commissioner_name" else str(item[key] or "")
                self.table.setItem(row, column, QTableWidgetItem(" ".join(text.split())))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(len(keys) - 1, QHeaderView.ResizeMode.Stretch)
        if rows:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(self)
        self.preview_button = buttons.addButton(
            self.tr("预览服务记录单"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.preview_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter in the search field is the search's, not a button's
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        words = text.split()
        first = -1
        for row in range(self.table.rowCount()):
            shown = " ".join(
                (cell.text() if (cell := self.table.item(row, c)) else "") for c in range(len(self.keys))
            )
            match = all(w.lower() in shown.lower() for w in words)
            self.table.setRowHidden(row, not match)
            if match and first < 0:
                first = row
        if first >= 0:
            self.table.selectRow(first)
        else:
            self.table.clearSelection()

    def _take_first(self) -> None:
        if self.chosen() is not None:
            self.accept()

    def chosen(self) -> str | None:
        rows = [r for r in self.table.selectionModel().selectedRows() if not self.table.isRowHidden(r.row())]
        return str(self.rows[rows[0].row()]["id"]) if rows else None


class AssessmentView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.data: YearAssessment | None = None
        self.has_loaded = False
        self.summary: AnnualSummary | None = None
        self.summary_saved_at = ""
        self.preview: QDialog | None = None
        self.document_task: OwnStoreTask | None = None
        self._annual_name = ""
        self.title = heading("", self)
        self.year_label = QLabel(self)
        self.year = YearCombo(self)
        self.who_label = QLabel(self)
        self.who = QComboBox(self)
        self.who.setMinimumContentsLength(WHO_CHARACTERS[0])
        self.who.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.who.setEditable(True)
        self.who.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.who.completer()  # made by setEditable
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.annual_button = QPushButton(self)
        self.annual_button.setObjectName("primary")
        self.visit_button = QPushButton(self)
        self.batch_button = QPushButton(self)
        self.annual_button.clicked.connect(self.print_annual_record)
        self.visit_button.clicked.connect(self.print_visit_sheet)
        self.batch_button.clicked.connect(lambda: self.start_batch())
        self.result_label = plain_label(QLabel(self))
        self.result_label.setObjectName("heading")
        self.result_label.setWordWrap(True)
        self.basis_label = QLabel(self)
        self.basis_label.setObjectName("hint")
        self.basis_label.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setColumnCount(7)
        # The indicators and the figures whole, the part's name (in its tooltip too) what is left;
        # the indicator's cap gives way if need be (in the row's tooltip then).
        self.columns = MeasuredFitter(self.table, stretch=1, texts=(0,), optional=(5,))
        self.chart = BarChart(self)
        self.summary_label = QLabel(self)
        self.summary_edit = QPlainTextEdit(self)
        self.summary_save = QPushButton(self)
        self.summary_save.clicked.connect(self.save_summary)
        self.summary_edit.textChanged.connect(self._summary_edited)
        self.summary_state = QLabel(self)
        self.summary_state.setObjectName("hint")
        self.message = QLabel(self)
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.batch_panel = AnnualBatchPanel(context, self.batch_button, self)
        self.batch_panel.finished.connect(self.message.setText)

        # The title, the choice of year and person and the buttons wrap on a narrow screen.
        top_widget, top = flow_widget(self)
        top.setSpacing(16)
        top.addWidget(self.title)
        top.add_group(self.year_label, self.year, self.who_label, self.who)
        top.add_group(self.annual_button, self.visit_button, self.batch_button, spacing=6)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.result_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.basis_label)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart, 2)
        summary_head = QHBoxLayout()
        summary_head.addWidget(self.summary_label, 1)
        summary_head.addWidget(self.summary_state)
        summary_head.addWidget(self.summary_save)
        right_layout.addLayout(summary_head)
        right_layout.addWidget(self.summary_edit, 3)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        # The score table first: its indicators are what a commissioner reads (cut short at 150 %).
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(top_widget)
        layout.addWidget(self.batch_panel)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.retranslate()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.who.activated.connect(lambda _i: self._show_member())
        # A long "name（unit）" is wider than the field: show its start, the name, not its end.
        self.who.currentIndexChanged.connect(lambda _i: self._show_name_start())
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    # --- who and when ----------------------------------------------------------------------------

    @property
    def chosen_year(self) -> int:
        return self.year.year()

    def set_year(self, year: int) -> None:
        self.year.set_year(year)  # refreshes

    def own_id(self) -> str:
        if self.context.profile is not None:
            return self.context.profile.id
        return self.context.reader.get_meta("self_commissioner_id") or ""

    def _allowed(self, a: Assessment) -> list[MemberResult]:
        """A commissioner sees their own assessment, a manager their team's, the bureau everyone's."""
        role = current_role(self.context)
        if role == "bureau":
            return sorted(a.members, key=lambda m: (zh_key(m.county), name_key(m.name)))
        if role == "manager":
            who = reviewer(self.context)
            members = [
                m
                for m in a.members
                if who is not None
                and (
                    (who.team_id and m.team_id == who.team_id)
                    or (who.workstation_id and m.workstation_id == who.workstation_id)
                    or m.commissioner_id == who.id
                )
            ]
            return sorted(members, key=lambda m: name_key(m.name))
        return [m for m in a.members if m.commissioner_id == self.own_id()]

    def chosen_member(self) -> MemberResult | None:
        if self.data is None:
            return None
        cid = self.who.currentData()
        return self.data.assessment.member(cid) if cid else None

    def select_commissioner(self, commissioner_id: str) -> None:
        index = self.who.findData(commissioner_id)
        if index >= 0:
            self.who.setCurrentIndex(index)
            self._show_member()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        self.batch_button.setVisible(current_role(self.context) in ("manager", "bureau"))
        year = self.chosen_year
        shown = self.who.currentData() or self.own_id()
        Operation(self, lambda store: year_assessment(store, year, shown), self._show).with_progress(
            self.tr("正在计算考核结果…")
        ).run_in_background()

    def _show_name_start(self) -> None:
        """The chosen "name（unit）" whole where the row has room (up to WHO_CHARACTERS); a longer one
        shows its start, the name, not its end, and is whole in the tooltip."""
        text = self.who.currentText()
        metrics = self.who.fontMetrics()
        # (In the unit QComboBox counts its contents length in: the width of an "x".)
        wanted = -(-metrics.horizontalAdvance(text) // max(1, metrics.horizontalAdvance("x"))) + 1
        low, high = WHO_CHARACTERS
        self.who.setMinimumContentsLength(min(max(wanted, low), high))
        self.who.setToolTip(plain_tooltip(text))
        line = self.who.lineEdit()
        if line is not None:
            line.setCursorPosition(0)

    def _role_changed(self, _role: str) -> None:
        self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits",
            "reviews",
            "problems",
            "solutions",
            "commissioners",
            "assessment_rules",
            "assessment_results",
            "confirmations",
        ):
            self.refresh()

    def _show(self, data: YearAssessment) -> None:
        self.data = data
        self.has_loaded = True
        current = self.who.currentData() or self.own_id()
        members = self._allowed(data.assessment)
        self.who.blockSignals(True)
        self.who.clear()
        for m in members:
            self.who.addItem(f"{m.name}（{m.sending_unit}）" if m.sending_unit else m.name, m.commissioner_id)
        index = max(self.who.findData(current), 0)
        self.who.setCurrentIndex(index)
        self.who.blockSignals(False)
        self._show_name_start()
        self.who.setEnabled(len(members) > 1)
        self._show_member()

    def _show_member(self) -> None:
        m = self.chosen_member()
        self._fill_table(m)
        self._fill_chart(m)
        has = m is not None
        self.annual_button.setEnabled(has)
        self.visit_button.setEnabled(has)
        self.summary = None
        self.summary_edit.blockSignals(True)
        self.summary_edit.setPlainText("")
        self.summary_edit.blockSignals(False)
        self._update_summary_controls()
        if m is None:
            self.message.setText(
                self.tr("没有可显示的考核结果：请先在“设置”中填写本人信息，或同步团队数据。")
                if self.data is not None
                else ""
            )
            return
        self.message.setText("")
        cid, year = m.commissioner_id, self.chosen_year
        Operation(
            self, lambda store: load_summary(store, cid, year), lambda s: self._show_summary(cid, year, s)
        ).run_in_background()

    def _fill_table(self, m: MemberResult | None) -> None:
        lang = self.context.language
        headers = [
            self.tr("考核部分"),
            self.tr("考核指标"),
            self.tr("年度目标"),
            self.tr("完成值"),
            self.tr("分值"),
            self.tr("上限"),
            self.tr("得分"),
        ]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows: list[tuple[list[str], QColor | None]] = []
        spans: list[tuple[int, int]] = []  # a part's first row and its rows (its indicators, subtotal)
        if m is not None:
            for part in m.parts:
                spans.append((len(rows), len(part.indicators) + 1))
                for i, ind in enumerate(part.indicators):
                    digits = 2 if ind.metric in ("economic_benefit", "satisfaction_mean") else 0
                    actual = "–" if ind.actual is None else f"{ind.actual:,.{digits}f}"
                    # The part's weight is in its subtotal row (分值): the name alone leaves the
                    # indicators the room.
                    part_name = part.name.text(lang) if i == 0 else ""
                    rows.append(
                        (
                            [
                                part_name,
                                ind.label.text(lang),
                                f"{ind.target:g}",
                                actual,
                                f"{ind.points:g}",
                                f"{ind.cap:g}",
                                f"{ind.score:.1f}",
                            ],
                            None,
                        )
                    )
                rows.append(
                    (["", self.tr("小计"), "", "", f"{part.weight:g}", "", f"{part.score:.1f}"], SUBTOTAL_BG)
                )
            rows.append(([self.tr("总分"), "", "", "", "100", "", f"{m.total:.1f}"], TOTAL_BG))
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, (cells, colour) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                elif c == 0 and text:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                    item.setToolTip(text)  # the part's name may be cut on a narrow screen
                if colour is not None:
                    item.setBackground(QBrush(colour))
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        # A part's name spans its rows, wrapped onto more lines in a narrow column.
        self.table.clearSpans()
        for first, count in spans:
            self.table.setSpan(first, 0, count, 1)
        self.columns.contents_changed()
        if m is None or self.data is None:
            self.result_label.setText("")
            self.basis_label.setText("")
            return
        a = self.data.assessment
        grade = m.grade_label.text(lang)
        text = self.tr("{0}：总分 {1}　等级 {2}").format(m.name, f"{m.total:.1f}", grade)
        text += "　" + m.status_label.text(lang)
        self.result_label.setText(text)
        gap = m.next_grade_gap(a.rules)
        notes = [
            a.basis_note.text(lang),
            m.satisfaction_note(a.rules).text(lang),
            *([gap.text(lang)] if gap else []),
            *[n.text(lang) for n in a.notes],
        ]
        if m.capped:
            notes.append(self.tr("得分达到优秀，受优秀比例上限调整为良好。"))
        notes.append(
            self.tr("等级线：优秀 ≥ {0}，良好 ≥ {1}，合格 ≥ {2}。评分细则：{3}").format(
                f"{a.rules.excellent:g}",
                f"{a.rules.good:g}",
                f"{a.rules.pass_mark:g}",
                a.rules.title.text(lang),
            )
        )
        self.basis_label.setText("\n".join(notes))

    def _fill_chart(self, m: MemberResult | None) -> None:
        months = self.data.months.get(m.commissioner_id, []) if (self.data and m) else []
        if (
            m is not None
            and self.data is not None
            and not months
            and m.commissioner_id not in self.data.months
        ):
            cid, year = m.commissioner_id, self.chosen_year
            a = self.data.assessment
            Operation(
                self,
                lambda store: visits_per_month(store, a.period, a.basis, [cid]),
                lambda found: self._months_loaded(cid, year, found),
            ).run_in_background()
        self.chart.empty_text = self.tr("本年度没有计入考核的服务记录")
        self.chart.set_data(
            [str(int(k[5:])) for k, _n in months],
            [n for _k, n in months],
            self.tr("各月计入考核的服务次数（月）"),
        )

    def _months_loaded(self, cid: str, year: int, months: list[tuple[str, int]]) -> None:
        if self.data is None or year != self.chosen_year:
            return
        self.data.months[cid] = months
        m = self.chosen_member()
        if m is not None and m.commissioner_id == cid:
            self._fill_chart(m)

    # --- the annual summary ----------------------------------------------------------------------

    def summary_editable(self) -> bool:
        m = self.chosen_member()
        return (
            m is not None
            and m.commissioner_id == self.own_id()
            and current_role(self.context) == "commissioner"
        )

    def _show_summary(self, cid: str, year: int, found: tuple[AnnualSummary | None, str]) -> None:
        m = self.chosen_member()
        if m is None or m.commissioner_id != cid or year != self.chosen_year:
            return
        summary, self.summary_saved_at = found
        self.summary = summary
        self.summary_edit.blockSignals(True)
        self.summary_edit.setPlainText(summary.text if summary else "")
        self.summary_edit.blockSignals(False)
        self._update_summary_controls()

    def _update_summary_controls(self, edited: bool = False) -> None:
        editable = self.summary_editable()
        self.summary_edit.setReadOnly(not editable)
        self.summary_save.setVisible(editable)
        self.summary_save.setEnabled(edited)
        if not editable:
            self.summary_state.setText(self.tr("由特派员本人填写") if self.chosen_member() else "")
        elif edited:
            self.summary_state.setText(self.tr("未保存"))
        elif self.summary is not None:
            self.summary_state.setText(
                self.tr("已保存 {0}").format(self.summary_saved_at.replace("T", " ")[:16])
            )
        else:
            self.summary_state.setText("")

    def _summary_edited(self) -> None:
        self._update_summary_controls(edited=True)

    def save_summary(self) -> None:
        m = self.chosen_member()
        if m is None or not self.summary_editable():
            return
        cid, year, text = m.commissioner_id, self.chosen_year, self.summary_edit.toPlainText().strip()
        self.summary_save.setEnabled(False)
        Operation(
            self,
            lambda store: save_summary(store, cid, year, text),
            lambda done: self._summary_saved(cid, year, done.value),
        ).with_progress(self.tr("正在保存年度工作总结…")).run_in_background()

    def _summary_saved(self, cid: str, year: int, found: tuple[AnnualSummary | None, str]) -> None:
        self._show_summary(cid, year, found)

    # --- documents -------------------------------------------------------------------------------

    def print_annual_record(self) -> None:
        m = self.chosen_member()
        if m is None:
            return
        from commissioner_app.reports.annual_photos import year_photo_hashes
        from ui.evidence_files import fetch_previews_first

        cid, year, name = m.commissioner_id, self.chosen_year, m.name
        suggested = self.tr("{0}年度服务记录_{1}.pdf").format(year, name)
        self.annual_button.setEnabled(False)
        self._annual_name = suggested
        # A manager's or the bureau's computer: the previews of the record's photos that no sync
        # brought come first (small; the record draws them at 55 mm), else it prints 尚未下载.
        fetch_previews_first(
            self,
            self.context.tasks,
            lambda store: year_photo_hashes(store, cid, year),
            lambda: self._make_annual_record(cid, year),
            self.tr("正在下载年度服务记录的照片预览图…"),
        )

    def _make_annual_record(self, cid: str, year: int) -> None:
        self.message.setText(self.tr("正在生成年度服务记录…"))
        task = OwnStoreTask(self.context, lambda store: annual_pdf(store, cid, year), "annual-record", self)
        task.done.connect(self._annual_done)
        self.document_task = task
        task.start()

    def _annual_done(
        self, result: tuple[bytes, list[bytes] | None] | None, error: BaseException | None
    ) -> None:
        self.document_task = None
        self.message.setText("")
        if error is not None:
            self._document_failed(error, self.annual_button)
        elif result is not None:
            self._preview(result, self._annual_name, self.annual_button)

    def print_visit_sheet(self) -> None:
        m = self.chosen_member()
        if m is None:
            return
        cid, year = m.commissioner_id, self.chosen_year
        Operation(self, lambda store: visits_of(store, cid, year), self._pick_visit).run_in_background()

    def _pick_visit(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            self.message.setText(self.tr("{0}年没有服务记录。").format(self.chosen_year))
            return
        picker = VisitPicker(rows, self)
        self.picker = picker
        picker.accepted.connect(lambda: self.preview_visit_sheet(picker.chosen()))
        picker.open()

    def preview_visit_sheet(self, visit_id: str | None) -> None:
        if not visit_id:
            return
        suggested = self.tr("服务记录单_{0}.pdf").format(short_id(visit_id))
        self.visit_button.setEnabled(False)
        Operation(
            self,
            lambda store: visit_pdf(store, visit_id),
            lambda result: self._preview(result, suggested, self.visit_button),
        ).failure(lambda error: self._document_failed(error, self.visit_button)).with_progress(
            self.tr("正在生成服务记录单…")
        ).run_in_background()

    def _preview(self, result: tuple[bytes, list[bytes] | None], suggested: str, button: QPushButton) -> None:
        button.setEnabled(True)
        pdf, pages = result
        folder = self.context.setting("assessment", "folder", str(Path.home()), str)
        self.preview = show_preview(self, pdf, pages, str(Path(folder) / suggested))
        if isinstance(self.preview, PdfPreviewDialog):
            # Said here once the dialog has closed: where it went (as the summaries' buttons say).
            self.preview.saved.connect(lambda path: self.message.setText(self.tr("已保存：{0}").format(path)))

    def _document_failed(self, error: BaseException, button: QPushButton) -> None:
        button.setEnabled(True)
        show_error(self, error)

    # --- batch of annual records -----------------------------------------------------------------

    @property
    def batch(self) -> BatchRun | None:
        return self.batch_panel.run

    def start_batch(self, folder: Path | None = None) -> BatchRun | None:
        return self.batch_panel.start(self.chosen_year, folder)

    # --- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("考核"))
        self.year_label.setText(self.tr("年度"))
        self.who_label.setText(self.tr("科技特派员"))
        self.annual_button.setText(self.tr("打印年度服务记录…"))
        self.visit_button.setText(self.tr("打印服务记录单…"))
        self.batch_button.setText(self.tr("批量生成年度服务记录…"))
        self.batch_button.setVisible(current_role(self.context) in ("manager", "bureau"))
        self.summary_label.setText(self.tr("年度工作总结"))
        self.summary_save.setText(self.tr("保存总结"))
        self.summary_edit.setPlaceholderText(
            self.tr("写下本年度的服务工作、取得的成效和下一步打算（将印在年度服务记录上）。")
        )
        if self.data is not None:
            m = self.chosen_member()
            self._fill_table(m)
            self._fill_chart(m)
        self._update_summary_controls(edited=self.summary_save.isEnabled() and self.summary_save.isVisible())
