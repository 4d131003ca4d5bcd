"""揭榜与成果: the city plan's 揭榜挂帅 projects and the achievements register (成果转化), one view
with a tab each.

揭榜挂帅: the bureau publishes a demand as a project (deadline, budget, requirements), compares the
applications, awards one and records the acceptance with its evidence; a commissioner applies with a
short plan (for themselves or their team) and, once awarded, sets milestones and marks them done.
成果转化: a commissioner records a technology contract with its evidence; a manager approves or
returns it; only approved ones count. Everything travels through the next sync.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.attachments import valid_sha256
from commissioner_app.domain import (
    ACCEPTANCE_RESULTS,
    ACHIEVEMENT_KINDS,
    APPLICATION_STATUSES,
    LIMITS,
    PROJECT_STATUSES,
    REVIEW_STATUSES,
    TRANSFER_MODES,
    Achievement,
    Commissioner,
)
from commissioner_app.ops import OpChanges
from commissioner_app.ops.projects import (
    AchievementsPage,
    ProjectsPage,
    accept_project,
    achievements_page,
    add_evidence,
    add_milestone,
    apply_for_project,
    award_project,
    complete_milestone,
    decide_achievements,
    delete_achievement,
    edit_achievement,
    link_to_project,
    projects_page,
    publish_project,
    save_achievement,
)
from commissioner_app.store import Store
from ui import folders, screen_fit
from ui.context import AppContext
from ui.evidence_files import open_full, open_named_copy
from ui.plain_text import plain_label
from ui.roles import current_role, reviewer, watcher
from ui.tasks import Operation, error_text
from ui.views.common import confirm_deletion, heading, until_synced
from ui.widgets.dates import TypedDateEdit
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.projects")

DEFAULT_DAYS = 30  # a new project's application deadline


class _ShortTable(QTableWidget):
    """A table that asks for no more than its minimum height: on a short window (a field laptop at
    150 %) the form below it keeps its rows and the page scrolls less; on a tall one the layout's
    stretch gives it the room."""

    def sizeHint(self) -> QSize:  # Qt's name
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumHeight())


def _table(parent: QWidget, columns: int, *, multi: bool = False, short: bool = False) -> QTableWidget:
    table = (_ShortTable if short else QTableWidget)(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    _FirstColumnFit(table)
    table.setMinimumHeight(90)
    return table


FIRST_COLUMN_MIN = 160


class _FirstColumnFit(QObject):
    """The first column (the record's name) takes the room the others leave, as a stretched one
    would, but never less than FIRST_COLUMN_MIN: at 150 % in English the other columns took all of
    a field laptop's width and left the names a single "…"; the table scrolls sideways instead."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._resized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, index: int, _old: int, _new: int) -> None:
        if index != 0:
            self.fit()

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(1, header.count()) if not header.isSectionHidden(i))
        header.resizeSection(0, max(FIRST_COLUMN_MIN, self.table.viewport().width() - others))


def _fill(table: QTableWidget, rows: list[list[Any]], keys: list[str]) -> None:
    selected = _selected_keys(table)
    table.setRowCount(len(rows))
    for r, (values, key) in enumerate(zip(rows, keys, strict=True)):
        for c, value in enumerate(values):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
        if key in selected:
            table.selectRow(r)


def _short(name: str, limit: int = 40) -> str:
    """A file's name as a link shows it: a long one cut, so that it cannot widen the page past a
    field laptop's screen (a link is not wrapped inside)."""
    return name if len(name) <= limit else name[: limit - 12] + "…" + name[-11:]


def _selected_keys(table: QTableWidget) -> list[str]:
    keys = []
    for index in table.selectionModel().selectedRows():
        item = table.item(index.row(), 0)
        if item is not None:
            keys.append(str(item.data(Qt.ItemDataRole.UserRole)))
    return keys


def _fill_combo(combo: QComboBox, items: list[tuple[str, str]], empty: str) -> None:
    """Items (id, text) with their id as data; `empty` (when given) first, for none."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if empty:
        combo.addItem(empty, "")
    for key, text in items:
        combo.addItem(text, key)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def _date_edit(parent: QWidget, days: int = 0) -> QDateEdit:
    edit = TypedDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate().addDays(days))
    return edit


def _py_date(edit: QDateEdit) -> date | None:
    value = edit.date().toPython()
    return value if isinstance(value, date) else None


class ProjectsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.has_loaded = False
        self.page: ProjectsPage | None = None
        self.ach: AchievementsPage | None = None
        self._links: dict[QLabel, list[dict[str, Any]]] = {}  # each label's files, as its links number them
        self.title = heading("", self)
        self.message = plain_label(QLabel(self))
        self.message.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(screen_fit.scrolling(self._projects_tab(), self), "")
        self.tabs.addTab(screen_fit.scrolling(self._achievements_tab(), self), "")
        self.tabs.addTab(screen_fit.scrolling(self.publish_page, self), "")  # the bureau's
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    # --- building ----------------------------------------------------------------------------------

    def _projects_tab(self) -> QWidget:
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 4)
        self.project_hint = QLabel(self)
        self.project_hint.setObjectName("hint")
        self.project_hint.setWordWrap(True)
        self.project_table = _table(self, 7)
        self.project_table.setMinimumHeight(120)
        self.project_table.itemSelectionChanged.connect(self._project_chosen)
        self.requirements = QLabel(self)
        self.requirements.setWordWrap(True)
        self.requirements.setTextFormat(Qt.TextFormat.PlainText)
        self.project_files = self._files_label()
        page_layout.addWidget(self.project_hint)
        page_layout.addWidget(self.project_table, 2)
        page_layout.addWidget(self.requirements)
        page_layout.addWidget(self.project_files)

        details = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.applications_label = QLabel(self)
        self.applications_table = _table(self, 6)
        self.milestones_label = QLabel(self)
        self.milestones_table = _table(self, 4)
        left_layout.addWidget(self.applications_label)
        left_layout.addWidget(self.applications_table, 1)
        right_layout.addWidget(self.milestones_label)
        right_layout.addWidget(self.milestones_table, 1)
        details.addWidget(left)
        details.addWidget(right)
        page_layout.addWidget(details, 2)
        right_layout = page_layout  # the actions go below both tables

        # The bureau: publish, award, accept.
        self.publish_box = QGroupBox(self)
        self.demand_combo = QComboBox(self)
        self.project_title = QLineEdit(self)
        self.project_requirements = QLineEdit(self)
        self.budget = QDoubleSpinBox(self)
        self.budget.setRange(0, LIMITS["budget"])
        self.budget.setDecimals(2)
        self.deadline = _date_edit(self, DEFAULT_DAYS)
        self.publish_button = QPushButton(self)
        self.publish_button.setObjectName("primary")
        self.publish_button.clicked.connect(self.publish)
        form = QFormLayout(self.publish_box)
        self.publish_labels = [QLabel(self) for _ in range(5)]
        for label, field in zip(
            self.publish_labels,
            (self.demand_combo, self.project_title, self.project_requirements, self.budget, self.deadline),
            strict=True,
        ):
            form.addRow(label, field)
        form.addRow(self.publish_button)
        self.decide_row, decide = flow_widget(self)
        self.award_button = QPushButton(self)
        self.award_button.clicked.connect(self.award_selected)
        self.acceptance = QComboBox(self)
        self.acceptance_opinion = QLineEdit(self)
        self.accept_button = QPushButton(self)
        self.accept_button.clicked.connect(self.accept_selected)
        self.project_evidence_button = QPushButton(self)
        self.project_evidence_button.clicked.connect(lambda: self.add_evidence_file("projects"))
        for w in (
            self.award_button,
            self.acceptance,
            self.acceptance_opinion,
            self.accept_button,
            self.project_evidence_button,
        ):
            decide.addWidget(w)
        self.bureau_panel = QWidget(self)
        bureau_layout = QVBoxLayout(self.bureau_panel)
        bureau_layout.setContentsMargins(0, 0, 0, 0)
        bureau_layout.addWidget(self.decide_row)
        self.publish_page = QWidget(self)
        publish_layout = QVBoxLayout(self.publish_page)
        publish_layout.addWidget(self.publish_box)
        publish_layout.addStretch(1)

        # A commissioner: apply; once awarded, milestones.
        self.plan = QPlainTextEdit(self)
        self.plan.setMaximumHeight(60)
        self.as_team = QCheckBox(self)
        self.apply_button = QPushButton(self)
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self.apply_selected)
        self.milestone_row, ms = flow_widget(self)
        self.milestone_title = QLineEdit(self)
        self.milestone_due = _date_edit(self, 60)
        self.milestone_button = QPushButton(self)
        self.milestone_button.clicked.connect(self.add_milestone)
        self.milestone_evidence = QLineEdit(self)
        self.done_button = QPushButton(self)
        self.done_button.clicked.connect(self.complete_selected)
        self.milestone_file_button = QPushButton(self)
        self.milestone_file_button.clicked.connect(lambda: self.add_evidence_file("project_milestones"))
        self.link_visit = QComboBox(self)
        self.link_visit.setMinimumContentsLength(14)
        self.link_button = QPushButton(self)
        self.link_button.clicked.connect(self.link_selected_visit)
        for widget in (
            self.milestone_title,
            self.milestone_due,
            self.milestone_button,
            self.milestone_evidence,
            self.done_button,
            self.milestone_file_button,
            self.link_visit,
            self.link_button,
        ):
            ms.addWidget(widget)
        self.commissioner_panel = QWidget(self)
        apply_layout = QVBoxLayout(self.commissioner_panel)
        apply_layout.setContentsMargins(0, 0, 0, 0)
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.plan, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.as_team)
        buttons.addWidget(self.apply_button)
        apply_row.addLayout(buttons)
        apply_layout.addLayout(apply_row)
        apply_layout.addWidget(self.milestone_row)
        right_layout.addWidget(self.bureau_panel)
        right_layout.addWidget(self.commissioner_panel)
        return page

    def _achievements_tab(self) -> QWidget:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.totals_label = QLabel(self)
        self.totals_label.setWordWrap(True)
        self.achievement_table = _table(self, 8, multi=True, short=True)
        self.achievement_table.itemSelectionChanged.connect(self._achievement_chosen)
        self.achievement_files = self._files_label()
        self.review_row, rv = flow_widget(self)
        self.review_opinion = QLineEdit(self)
        self.approve_button = QPushButton(self)
        self.approve_button.clicked.connect(lambda: self.decide("approved"))
        self.return_button = QPushButton(self)
        self.return_button.clicked.connect(lambda: self.decide("returned"))
        for w in (self.review_opinion, self.approve_button, self.return_button):
            rv.addWidget(w)
        left_layout.addWidget(self.totals_label)
        left_layout.addWidget(self.achievement_table, 1)
        left_layout.addWidget(self.achievement_files)
        left_layout.addWidget(self.review_row)

        self.achievement_box = QGroupBox(self)
        self.ach_title = QLineEdit(self)
        self.ach_kind = QComboBox(self)
        self.ach_mode = QComboBox(self)
        self.ach_contract = QLineEdit(self)
        self.ach_value = QDoubleSpinBox(self)
        self.ach_value.setRange(0, LIMITS["contract_value"])
        self.ach_value.setDecimals(2)
        self.ach_date = _date_edit(self)
        self.ach_transferor = QLineEdit(self)
        self.ach_transferee = QLineEdit(self)
        self.ach_target = QComboBox(self)
        self.ach_target.setMinimumContentsLength(10)
        self.ach_visit = QComboBox(self)
        self.ach_visit.setMinimumContentsLength(10)
        self.save_achievement_button = QPushButton(self)
        self.save_achievement_button.setObjectName("primary")
        self.save_achievement_button.clicked.connect(self.save_achievement)
        self.achievement_file_button = QPushButton(self)
        self.achievement_file_button.clicked.connect(lambda: self.add_evidence_file("achievements"))
        self.edit_achievement_button = QPushButton(self)
        self.edit_achievement_button.clicked.connect(self.edit_selected_achievement)
        self.delete_achievement_button = QPushButton(self)
        self.delete_achievement_button.clicked.connect(self.delete_selected_achievement)
        self.cancel_edit_button = QPushButton(self)
        self.cancel_edit_button.clicked.connect(self._end_edit)
        self.cancel_edit_button.hide()
        self._editing: str | None = None  # the id of the achievement the form corrects
        grid = QGridLayout(self.achievement_box)
        self.ach_labels = [QLabel(self) for _ in range(10)]
        fields = (
            self.ach_title,
            self.ach_contract,
            self.ach_kind,
            self.ach_mode,
            self.ach_value,
            self.ach_date,
            self.ach_transferor,
            self.ach_transferee,
            self.ach_target,
            self.ach_visit,
        )
        for i, (label, field) in enumerate(zip(self.ach_labels, fields, strict=True)):
            grid.addWidget(label, i // 2, (i % 2) * 2)
            grid.addWidget(field, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_achievement_button)
        save_row.addWidget(self.cancel_edit_button)
        save_row.addWidget(self.edit_achievement_button)
        save_row.addWidget(self.delete_achievement_button)
        save_row.addWidget(self.achievement_file_button)
        grid.addLayout(save_row, 5, 0, 1, 4)
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 4)
        page_layout.addWidget(left, 1)
        # Its own height always: on a field laptop at 150 % the table gives way and the page
        # scrolls, where the form's rows were squeezed until 保存 lost the foot of its characters.
        self.achievement_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        page_layout.addWidget(self.achievement_box)
        return page

    def _files_label(self) -> QLabel:
        """The evidence files of what is chosen, each a link that opens it (downloaded first when
        it is someone else's and not on this computer yet)."""
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        label.linkActivated.connect(lambda link: self._open_file(label, link))
        return label

    # --- role ------------------------------------------------------------------------------------

    @property
    def role(self) -> str:
        return current_role(self.context)

    def me(self) -> Commissioner | None:
        """The user as a commissioner: a manager with the team the server gave the account."""
        return reviewer(self.context) or self.context.profile

    def _show_role(self) -> None:
        bureau = self.role == "bureau"
        # A county bureau looks on: it neither publishes (the city does) nor applies or records
        # achievements (commissioners do); the central store refuses those from it.
        county = self.role == "county"
        self.bureau_panel.setVisible(bureau)
        self.tabs.setTabVisible(2, bureau)
        self.commissioner_panel.setVisible(not bureau and not county)
        self.achievement_box.setVisible(not bureau and not county)
        self.review_row.setVisible(self.role == "manager")
        if bureau:
            hint = self.tr("发布揭榜项目，比较各方申请后选定中榜方；攻关结束后记录验收结论并附佐证。")
        elif county:
            hint = self.tr("市科技局发布的揭榜项目，及各方的申请、攻关节点和验收情况（只读）。")
        else:
            hint = self.tr(
                "市科技局发布的揭榜项目：截止日期前可提交攻关方案（个人或团队）；中榜后设置节点并标记完成。"
            )
        self.project_hint.setText(hint)

    # --- text ------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("揭榜与成果"))
        self.tabs.setTabText(0, self.tr("揭榜挂帅项目"))
        self.tabs.setTabText(1, self.tr("成果转化"))
        self.tabs.setTabText(2, self.tr("发布揭榜项目"))
        self.project_table.setHorizontalHeaderLabels(
            [
                self.tr("项目名称"),
                self.tr("经费（万元）"),
                self.tr("截止日期"),
                self.tr("状态"),
                self.tr("申请数"),
                self.tr("中榜方"),
                self.tr("节点完成"),
            ]
        )
        self.applications_label.setText(self.tr("申请（市科技局可见全部，申请人只见本人的）"))
        self.applications_table.setHorizontalHeaderLabels(
            [
                self.tr("攻关方案"),
                self.tr("申请人"),
                self.tr("派出单位"),
                self.tr("团队"),
                self.tr("已通过服务记录"),
                self.tr("状态"),
            ]
        )
        self.milestones_label.setText(self.tr("攻关节点"))
        self.milestones_table.setHorizontalHeaderLabels(
            [self.tr("节点"), self.tr("计划完成日期"), self.tr("完成情况"), self.tr("佐证")]
        )
        self.publish_box.setTitle(self.tr("发布揭榜项目"))
        for label, text in zip(
            self.publish_labels,
            (
                self.tr("来自技术需求"),
                self.tr("项目名称"),
                self.tr("揭榜要求"),
                self.tr("经费（万元）"),
                self.tr("申请截止日期"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.publish_button.setText(self.tr("发布项目"))
        self.award_button.setText(self.tr("选定所选申请中榜"))
        self.acceptance_opinion.setPlaceholderText(self.tr("验收意见"))
        self.accept_button.setText(self.tr("记录验收"))
        self.project_evidence_button.setText(self.tr("添加验收佐证…"))
        self.plan.setPlaceholderText(self.tr("攻关方案（技术路线、进度安排、团队分工）"))
        self.as_team.setText(self.tr("以本团队名义"))
        self.apply_button.setText(self.tr("提交申请"))
        self.milestone_title.setPlaceholderText(self.tr("节点名称"))
        self.milestone_button.setText(self.tr("添加节点"))
        self.milestone_evidence.setPlaceholderText(self.tr("完成佐证说明"))
        self.done_button.setText(self.tr("标记所选节点完成"))
        self.milestone_file_button.setText(self.tr("添加节点佐证…"))
        self.link_button.setText(self.tr("关联到本项目"))
        self.link_visit.setToolTip(self.tr("本人的服务记录（★：已关联某个项目）"))
        # Short headings: at 150 % a field laptop's screen leaves the table about 760 pixels, and the
        # English ones pushed the review state off it.
        self.achievement_table.setHorizontalHeaderLabels(
            [
                self.tr("成果名称"),
                self.tr("类型"),
                self.tr("金额（万元）"),
                self.tr("日期"),
                self.tr("受让方"),
                self.tr("科技特派员"),
                self.tr("状态"),
                self.tr("佐证"),
            ]
        )
        self.review_opinion.setPlaceholderText(self.tr("审核意见（退回时必填）"))
        self.approve_button.setText(self.tr("通过"))
        self.return_button.setText(self.tr("退回"))
        self._title_achievement_box()
        self.edit_achievement_button.setText(self.tr("修改所选成果…"))
        self.delete_achievement_button.setText(self.tr("删除所选成果…"))
        self.delete_achievement_button.setToolTip(
            self.tr("删除记错或重复登记的成果；审核通过的须先由团队负责人退回")
        )
        self.cancel_edit_button.setText(self.tr("取消修改"))
        for label, text in zip(
            self.ach_labels,
            (
                self.tr("成果名称"),
                self.tr("技术合同编号"),
                self.tr("成果类型"),
                self.tr("转化方式"),
                self.tr("合同金额（万元）"),
                self.tr("合同日期"),
                self.tr("转让方（许可方）"),
                self.tr("受让方（被许可方）"),
                self.tr("服务对象"),
                self.tr("关联服务记录"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.achievement_file_button.setText(self.tr("添加合同佐证…"))
        lang = self.context.language
        for combo, codes in (
            (self.acceptance, {k: v for k, v in ACCEPTANCE_RESULTS.items() if k}),
            (self.ach_kind, ACHIEVEMENT_KINDS),
            (self.ach_mode, TRANSFER_MODES),
        ):
            current = combo.currentData()
            combo.clear()
            for code, name in codes.items():
                combo.addItem(name.text(lang), code)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        self._show_role()
        self._fill_projects()
        self._fill_achievements()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        self._show_role()
        me = self.me()
        chosen = self.selected_project()
        year = date.today().year
        manager = reviewer(self.context)
        Operation(self, lambda store: projects_page(store, me, chosen), self._projects_loaded).with_progress(
            self.tr("正在加载揭榜项目…")
        ).run_in_background()
        Operation(
            self, lambda store: achievements_page(store, year, manager, me), self._achievements_loaded
        ).run_in_background()

    def _role_changed(self, _role: str) -> None:
        self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "projects",
            "project_applications",
            "project_milestones",
            "achievements",
            "reviews",
            "demands",
            "attachments",
        ):
            self.refresh()

    def _projects_loaded(self, page: ProjectsPage) -> None:
        self.has_loaded = True
        self.page = page
        self._fill_projects()

    def _achievements_loaded(self, page: AchievementsPage) -> None:
        self.ach = page
        self._fill_achievements()

    def _fill_projects(self) -> None:
        page = self.page
        if page is None:
            return
        lang = self.context.language
        rows, keys = [], []
        for p in page.projects:
            status = PROJECT_STATUSES.get(p["status"])
            awarded = p["awarded_team"] or p["awarded_name"] or ""
            rows.append(
                [
                    p["title"],
                    round(float(p["budget"] or 0), 2),
                    p["deadline"] or "",
                    status.text(lang) if status else p["status"],
                    p["applications"],
                    awarded,
                    f"{p['milestones_done']}/{p['milestones']}",
                ]
            )
            keys.append(p["id"])
        self.project_table.blockSignals(True)
        _fill(self.project_table, rows, keys)
        self.project_table.blockSignals(False)
        self.demand_combo.clear()
        self.demand_combo.addItem(self.tr("（不关联，直接填写）"), "")
        for demand_id, title in page.demands:
            self.demand_combo.addItem(title, demand_id)
        apps = []
        for a in page.applications:
            status = APPLICATION_STATUSES.get(a["status"])
            apps.append(
                [
                    a["plan"],
                    a["applicant"] or "",
                    a["sending_unit"] or "",
                    a["team_name"] or "",
                    a["approved_visits"],
                    status.text(lang) if status else "",
                ]
            )
        _fill(self.applications_table, apps, [a["id"] for a in page.applications])
        ms = []
        for m in page.milestones:
            ms.append(
                [
                    m["title"],
                    m["due_date"] or "",
                    self.tr("已完成") if m["done"] else self.tr("未完成"),
                    m["evidence"],
                ]
            )
        _fill(self.milestones_table, ms, [m["id"] for m in page.milestones])
        _fill_combo(self.link_visit, page.my_visits, "")
        self._show_project_detail()

    def _fill_achievements(self) -> None:
        page = self.ach
        if page is None:
            return
        lang = self.context.language
        t = page.totals
        text = self.tr(
            "本年度已审核通过的成果转化 {0} 项，技术交易额 {1:.2f} 万元；待审核 {2} 项（不计入）。"
        ).format(int(t["count"]), t["value"], int(t["pending"]))
        self.totals_label.setText(text)
        rows = []
        for a in page.rows:
            kind = ACHIEVEMENT_KINDS.get(a["kind"])
            review = REVIEW_STATUSES.get(a["review_status"] or "")
            rows.append(
                [
                    a["title"],
                    kind.text(lang) if kind else a["kind"],
                    round(float(a["contract_value"] or 0), 2),
                    a["contract_date"] or "",
                    a["transferee"],
                    a["commissioner_name"] or "",
                    review.text(lang) if review else "",
                    len(page.files.get(a["id"], [])),
                ]
            )
        _fill(self.achievement_table, rows, [a["id"] for a in page.rows])
        _fill_combo(self.ach_target, page.targets, self.tr("（未选择）"))
        _fill_combo(self.ach_visit, page.my_visits, self.tr("（未选择）"))
        self._achievement_chosen()

    # --- selection ---------------------------------------------------------------------------------

    def selected_project(self) -> str | None:
        keys = _selected_keys(self.project_table)
        return keys[0] if keys else None

    def select_project(self, project_id: str) -> None:
        for row in range(self.project_table.rowCount()):
            item = self.project_table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == project_id:
                self.project_table.selectRow(row)
                return

    def _project_row(self) -> dict[str, Any] | None:
        chosen = self.selected_project()
        if self.page is None or chosen is None:
            return None
        return next((p for p in self.page.projects if p["id"] == chosen), None)

    def _project_chosen(self) -> None:
        if self.has_loaded:
            self.refresh()  # the chosen project's applications and milestones

    def _show_project_detail(self) -> None:
        p = self._project_row()
        if p is None:
            self.requirements.setText(self.tr("选择一个项目查看揭榜要求、申请和节点。"))
        else:
            text = self.tr("揭榜要求：{0}").format(p["requirements"])
            if p["acceptance"]:
                result = ACCEPTANCE_RESULTS.get(p["acceptance"])
                text += "\n" + self.tr("验收：{0}（{1}）{2}").format(
                    result.text(self.context.language) if result else p["acceptance"],
                    p["accepted_on"] or "",
                    p["acceptance_opinion"],
                )
            self.requirements.setText(text)
        self._show_files(
            self.project_files,
            self.page.files if self.page is not None and p is not None else {},
            []
            if p is None or self.page is None
            else [
                (self.tr("验收佐证"), p["id"]),
                *((self.tr("节点佐证（{0}）").format(m["title"]), m["id"]) for m in self.page.milestones),
            ],
            "",
        )
        awarded_to_me = p is not None and p["status"] == "awarded" and self._awarded_to_me(p)
        for w in (self.milestone_title, self.milestone_due, self.milestone_button, self.milestone_evidence):
            w.setEnabled(awarded_to_me)
        self.done_button.setEnabled(awarded_to_me)
        self.link_visit.setEnabled(awarded_to_me)
        self.link_button.setEnabled(awarded_to_me and self.link_visit.count() > 0)
        self.milestone_file_button.setEnabled(awarded_to_me)
        can_apply = p is not None and p["status"] == "published" and not p["my_application"]
        self.apply_button.setEnabled(can_apply)
        self.award_button.setEnabled(p is not None and p["status"] == "published")
        decided = p is not None and p["status"] in ("awarded", "accepted", "failed")
        self.accept_button.setEnabled(decided)
        self.project_evidence_button.setEnabled(decided)

    def _awarded_to_me(self, p: dict[str, Any]) -> bool:
        me = self.me()
        if me is None:
            return False
        return p["awarded_commissioner_id"] == me.id or bool(
            me.team_id and p["awarded_team_id"] == me.team_id
        )

    def _achievement_chosen(self) -> None:
        mine = set(self.ach.pending_for_me) if self.ach else set()
        chosen = set(_selected_keys(self.achievement_table))
        can_review = bool(chosen) and chosen <= mine
        self.approve_button.setEnabled(can_review)
        self.return_button.setEnabled(can_review)
        # Files go with one's own achievement (the central store refuses one on another's).
        me = self.me()
        rows = {a["id"]: a for a in self.ach.rows} if self.ach else {}
        own = (
            me is not None
            and len(chosen) == 1
            and rows.get(next(iter(chosen)), {}).get("commissioner_id") == me.id
        )
        self.achievement_file_button.setEnabled(own)
        self.edit_achievement_button.setEnabled(own)
        approved = own and rows.get(next(iter(chosen)), {}).get("review_status") == "approved"
        self.delete_achievement_button.setEnabled(own and not approved)
        if len(chosen) == 1:
            [chosen_id] = chosen
            row = rows.get(chosen_id, {})
            self._show_files(
                self.achievement_files,
                self.ach.files if self.ach else {},
                [(self.tr("合同佐证"), chosen_id)],
                self.tr("此成果尚无合同佐证（技术合同扫描件、发票等）。"),
            )
            if row.get("review_status") == "returned" and (row.get("review_opinion") or "").strip():
                # Why it came back, where its owner looks: the 已退回 in the table said nothing more.
                said = html.escape(self.tr("退回意见：{0}").format(row["review_opinion"]))
                opinion = f"<span style='color:#b91c1c'>{said}</span>"
                self.achievement_files.setText(opinion + "<br>" + self.achievement_files.text())
                self.achievement_files.setVisible(True)
        else:
            self.achievement_files.setText(html.escape(self.tr("选择一项成果查看其合同佐证。")))

    def _show_files(
        self, label: QLabel, files: dict[str, list[dict[str, Any]]], groups: list[tuple[str, str]], empty: str
    ) -> None:
        """Each group's files as links (`groups`: the group's name and its owner's id); `empty` when
        no group has any. Names come from others' records: shown as text, never as markup."""
        lines = []
        shown: list[dict[str, Any]] = []
        self._links[label] = shown
        for title, owner in groups:
            links = []
            for f in files.get(owner, []):
                if f["sha256"]:  # a valid hash (file_state leaves others empty)
                    # A link names its place among the label's files, not the file's hash: two
                    # attachments of the same bytes each open under their own name.
                    name = html.escape(_short(f["original_name"] or f["sha256"]))
                    links.append(f'<a href="evidence:{len(shown)}">{name}</a>')
                    shown.append(f)
            if links:
                lines.append(html.escape(title) + self.tr("：") + self.tr("、").join(links))
        label.setText("<br>".join(lines) if lines else html.escape(empty))
        label.setVisible(bool(lines or empty))

    def _open_file(self, label: QLabel, link: str) -> None:
        """A click on a file's link: the file in the system viewer, downloaded first if needed."""
        shown = self._links.get(label, [])
        n = link.removeprefix("evidence:")
        found = shown[int(n)] if n.isascii() and n.isdigit() and int(n) < len(shown) else None
        if found is None or not valid_sha256(found["sha256"]):
            return  # not a file this label shows
        sha256 = found["sha256"]

        def show(_path: str = "") -> None:
            problem = open_named_copy(self.context.reader, sha256, found["original_name"])
            if problem:
                self._say(problem, error=True)
            elif self.message.text() and "#b91c1c" in self.message.styleSheet():
                self.message.clear()  # an earlier failure to open is not this file's

        if Path(found["path"]).exists():
            show()
        else:
            open_full(self, self.context.tasks, sha256, lambda text: self._say(text, error=True), show)

    # --- actions ---------------------------------------------------------------------------------

    def _run(
        self,
        work: Any,
        done_text: str,
        progress: str,
        *,
        until_sync: bool = False,
        saved: Callable[[], None] | None = None,
    ) -> None:
        """Run `work` in the background; `saved` (clearing what was typed) only once it succeeded:
        a refusal leaves the form as it was, to be corrected."""

        def done(_result: Any) -> None:
            if saved is not None:
                saved()
            self._say(done_text, until_sync=until_sync)

        Operation(self, work, done).failure(lambda e: self._say(error_text(e), error=True)).with_progress(
            progress
        ).run_in_background()

    def publish(self) -> None:
        fields = dict(
            title=self.project_title.text().strip(),
            requirements=self.project_requirements.text().strip(),
            deadline=_py_date(self.deadline),
            budget=self.budget.value(),
            demand_id=self.demand_combo.currentData() or None,
            published_by=self.context.profile_name or self.tr("市科技局"),
        )
        if not fields["title"] and not fields["demand_id"]:
            self._say(self.tr("请填写项目名称，或选择一项技术需求。"), error=True)
            return
        self._run(
            lambda store: publish_project(store, **fields),
            self.tr("已发布揭榜项目，下次同步时送达各科技特派员。"),
            self.tr("正在发布…"),
            until_sync=True,
            saved=self._published,
        )

    def _published(self) -> None:
        self.project_title.clear()
        self.project_requirements.clear()

    def award_selected(self) -> None:
        project, apps = self.selected_project(), _selected_keys(self.applications_table)
        if project is None or not apps:
            self._say(self.tr("请先选择项目和其中一份申请。"), error=True)
            return
        self._run(
            lambda store: award_project(store, project, apps[0]),
            self.tr("已选定中榜方，其余申请标记为未入选。"),
            self.tr("正在保存…"),
        )

    def accept_selected(self) -> None:
        project = self.selected_project()
        if project is None:
            return
        result, opinion = self.acceptance.currentData(), self.acceptance_opinion.text()
        self._run(
            lambda store: accept_project(store, project, result, opinion),
            self.tr("已记录验收结论。"),
            self.tr("正在保存…"),
        )

    def apply_selected(self) -> None:
        project, me = self.selected_project(), self.me()
        if project is None or me is None:
            self._say(self.tr("请先选择项目；申请须有科技特派员档案。"), error=True)
            return
        plan, as_team = self.plan.toPlainText(), self.as_team.isChecked()
        self._run(
            lambda store: apply_for_project(store, project, me, plan, as_team),
            self.tr("已提交申请，下次同步时送达市科技局。"),
            self.tr("正在提交…"),
            until_sync=True,
        )

    def add_milestone(self) -> None:
        project, me = self.selected_project(), self.me()
        if project is None or me is None:
            return
        title, due = self.milestone_title.text(), _py_date(self.milestone_due)
        self._run(
            lambda store: add_milestone(store, project, me, title, due),
            self.tr("已添加节点。"),
            self.tr("正在保存…"),
            saved=self.milestone_title.clear,
        )

    def link_selected_visit(self) -> None:
        project, visit = self.selected_project(), self.link_visit.currentData()
        if project is None or not visit:
            return
        self._run(
            lambda store: link_to_project(store, "visits", visit, project),
            self.tr("服务记录已关联到本项目，下次同步时送达市科技局。"),
            self.tr("正在保存…"),
            until_sync=True,
        )

    def complete_selected(self) -> None:
        chosen = _selected_keys(self.milestones_table)
        if not chosen:
            self._say(self.tr("请先选择一个节点。"), error=True)
            return
        evidence = self.milestone_evidence.text()
        self._run(
            lambda store: complete_milestone(store, chosen[0], evidence),
            self.tr("节点已标记完成。"),
            self.tr("正在保存…"),
        )

    def add_evidence_file(self, owner_table: str) -> None:
        table = {
            "projects": self.project_table,
            "project_milestones": self.milestones_table,
            "achievements": self.achievement_table,
        }[owner_table]
        chosen = _selected_keys(table)
        if not chosen:
            self._say(self.tr("请先选择要附佐证的记录。"), error=True)
            return
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择佐证文件"), folders.start("evidence"))
        if not name:
            return
        folders.remember("evidence", name)
        path, owner = Path(name), chosen[0]
        self._run(
            lambda store: add_evidence(store, path, owner_table, owner),
            self.tr("已添加佐证“{0}”。").format(path.name),
            self.tr("正在保存…"),
            until_sync=True,
        )

    def save_achievement(self) -> None:
        me = self.me()
        if me is None:
            self._say(self.tr("登记成果须有科技特派员档案。"), error=True)
            return
        # The form's fields: a correction replaces these of the stored achievement (the linked
        # visits and the rest stay), a new one is made of them.
        fields: dict[str, Any] = dict(
            title=self.ach_title.text().strip(),
            kind=self.ach_kind.currentData() or "technology",
            mode=self.ach_mode.currentData() or "transfer",
            contract_no=self.ach_contract.text().strip(),
            contract_value=self.ach_value.value(),
            contract_date=_py_date(self.ach_date),
            transferor=self.ach_transferor.text().strip(),
            transferee=self.ach_transferee.text().strip(),
            target_id=self.ach_target.currentData() or None,
        )
        editing = self._editing
        if editing is None:
            visit = self.ach_visit.currentData()
            achievement = Achievement(commissioner_id=me.id, visit_ids=[visit] if visit else [], **fields)

        def work(store: Store) -> Any:
            if editing is not None:
                return edit_achievement(store, editing, **fields)
            return save_achievement(store, achievement)

        Operation(self, work, lambda _r: self._achievement_saved()).failure(
            lambda e: self._say(error_text(e), error=True)
        ).with_progress(self.tr("正在保存…")).run_in_background()

    def _achievement_saved(self) -> None:
        if self._editing is None:
            self._say(self.tr("已登记，待团队负责人审核；审核通过后计入统计。"), until_sync=True)
        else:
            self._say(self.tr("已保存修改；有改动的成果重新等待审核。"), until_sync=True)
        self._end_edit()

    def edit_selected_achievement(self) -> None:
        """One's own achievement into the form, to correct it (a returned one, say)."""
        chosen = _selected_keys(self.achievement_table)
        row = next((a for a in (self.ach.rows if self.ach else []) if chosen and a["id"] == chosen[0]), None)
        if row is None:
            return
        self._editing = row["id"]
        self.ach_title.setText(row["title"] or "")
        self.ach_contract.setText(row["contract_no"] or "")
        self.ach_kind.setCurrentIndex(max(self.ach_kind.findData(row["kind"]), 0))
        self.ach_mode.setCurrentIndex(max(self.ach_mode.findData(row["mode"]), 0))
        self.ach_value.setValue(float(row["contract_value"] or 0))
        if row["contract_date"]:
            self.ach_date.setDate(QDate.fromString(str(row["contract_date"]), "yyyy-MM-dd"))
        self.ach_transferor.setText(row["transferor"] or "")
        self.ach_transferee.setText(row["transferee"] or "")
        self.ach_target.setCurrentIndex(max(self.ach_target.findData(row["target_id"] or None), 0))
        self.ach_visit.setEnabled(False)  # the linked visits stay as they are
        self.cancel_edit_button.show()
        self._title_achievement_box()
        self.ach_title.setFocus()

    def ask_delete(self, title: str) -> bool:
        """Whether the user confirms deleting an achievement (tests replace this)."""
        return confirm_deletion(
            self,
            self.tr("删除成果转化"),
            self.tr("删除成果“{0}”？下次同步后，市科技局处也将删除。").format(title),
        )

    def delete_selected_achievement(self) -> None:
        """One's own achievement recorded by mistake (twice, or under the wrong contract)."""
        chosen = _selected_keys(self.achievement_table)
        row = next((a for a in (self.ach.rows if self.ach else []) if chosen and a["id"] == chosen[0]), None)
        if row is None or not self.ask_delete(row["title"] or ""):
            return
        achievement_id = row["id"]

        def deleted() -> None:
            if self._editing == achievement_id:
                self._end_edit()  # the form no longer corrects anything

        self._run(
            lambda store: delete_achievement(store, achievement_id),
            self.tr("已删除；下次同步后，市科技局处也将删除。"),
            self.tr("正在删除…"),
            until_sync=True,
            saved=deleted,
        )

    def _end_edit(self) -> None:
        self._editing = None
        for edit in (self.ach_title, self.ach_contract, self.ach_transferor, self.ach_transferee):
            edit.clear()
        self.ach_value.setValue(0)
        self.ach_date.setDate(QDate.currentDate())  # nothing of the corrected one carries over
        self.ach_target.setCurrentIndex(0)
        self.ach_visit.setEnabled(True)
        self.cancel_edit_button.hide()
        self._title_achievement_box()

    def _title_achievement_box(self) -> None:
        if self._editing is None:
            self.achievement_box.setTitle(self.tr("登记成果转化"))
            self.save_achievement_button.setText(self.tr("保存"))
        else:
            self.achievement_box.setTitle(self.tr("修改成果转化：{0}").format(self.ach_title.text()))
            self.save_achievement_button.setText(self.tr("保存修改"))

    def decide(self, decision: str) -> None:
        manager = reviewer(self.context)
        chosen = _selected_keys(self.achievement_table)
        if manager is None or not chosen:
            return
        opinion = self.review_opinion.text()
        shown = self.ach.read_up_to if self.ach is not None else None  # an approval is of what was shown
        self._run(
            lambda store: decide_achievements(store, chosen, decision, manager, opinion, shown),
            self.tr("已审核 {0} 项成果转化。").format(len(chosen)),
            self.tr("正在保存…"),
            until_sync=True,  # the central store may yet refuse it (evidence came meanwhile)
        )

    def _say(self, text: str, *, error: bool = False, until_sync: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setText(text)
        if until_sync:
            until_synced(self.context, self.message)
