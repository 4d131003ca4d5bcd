"""团队考核: the assessment of teams (科技特派团) and workstations (工作站) — each one's indicators by the
year's rules, its bonuses (加分项) with their review, capped by the rules — and the exemplars
(先进典型) the bureau names from the published results, with the commendation list as a PDF.

A workstation manager or team leader sees their own group and proposes bonuses for it; the bureau
sees every group, approves or rejects bonuses and names exemplars. The server checks each of these
again (sync/server/group_records.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.assessment import GroupResult, group_ranks
from commissioner_app.domain import BONUS_STATUSES, MAX_BONUS_POINTS, BonusPoint, Exemplar
from commissioner_app.ops import OpChanges
from commissioner_app.ops.groups import (
    GroupAssessment,
    decide_bonus,
    group_assessment,
    nominate_exemplar,
    save_bonus,
)
from commissioner_app.store import Store
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.roles import current_role, user_info, watcher
from ui.screen_fit import fit_dialog
from ui.tasks import Operation, error_text
from ui.views.city import _fill, _headers, _selected_key, _table
from ui.views.common import YearCombo, ask_save_path, heading, until_synced
from ui.views.measured_fit import MeasuredFitter
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.group_assessment")

KINDS = ("team", "workstation")


def fitted(
    table: QTableView, stretch: int, texts: tuple[int, ...], optional: tuple[int, ...] = ()
) -> MeasuredFitter:
    """Fit a RowsModel table's columns to its width (refitted when its rows or headers change)."""
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return MeasuredFitter(table, stretch=stretch, texts=texts, optional=optional)


class GroupPane(QWidget):
    """One kind of group: the ranked list, and the chosen group's indicators and bonuses."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.groups = _table(self, 7, stretch=1)
        self.groups.setSortingEnabled(True)
        self.detail = plain_label(QLabel(self))
        self.detail.setWordWrap(True)
        self.indicators = _table(self, 5)
        self.bonuses = _table(self, 5, stretch=1)
        for table in (self.groups, self.indicators, self.bonuses):
            table.setMinimumHeight(40)  # the header and some of a row: three above each other at 150 %
        # Each column whole but the names and the texts (elided, whole in their tooltips), which
        # share what the others leave: the indicators' names whole, the reasons cut if need be.
        self.columns = [
            fitted(self.groups, stretch=1, texts=(1,)),
            fitted(self.indicators, stretch=0, texts=()),
            # The review and the evidence give way if need be (in each row's tooltip then).
            fitted(self.bonuses, stretch=1, texts=(1, 2, 4), optional=(4, 2)),
        ]
        # The list above the chosen group's indicators above its bonuses, each the pane's width: the
        # list's seven columns beside the indicators' five did not fit a 1366×768 screen at 150 %.
        detail_box = QWidget(self)
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail)
        detail_layout.addWidget(self.indicators, 1)
        split = QSplitter(self)
        split.setOrientation(Qt.Orientation.Vertical)
        split.addWidget(self.groups)
        split.addWidget(detail_box)
        split.addWidget(self.bonuses)
        split.setSizes([260, 300, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)


class GroupAssessmentView(QWidget):
    """`embedded`: a tab of the bureau's 年度考核 view, which chooses the year (no title or year here)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, embedded: bool = False):
        super().__init__(parent)
        self.context = context
        self.result: GroupAssessment | None = None
        self.has_loaded = False
        self.embedded = embedded
        self.title = heading("", self)
        self.year_label = QLabel(self)
        self.year = YearCombo(self)
        self.bonus_button = QPushButton(self)
        self.bonus_button.clicked.connect(lambda: self.add_bonus())
        self.approve_button = QPushButton(self)
        self.approve_button.clicked.connect(lambda: self.decide("approved"))
        self.reject_button = QPushButton(self)
        self.reject_button.clicked.connect(lambda: self.decide("rejected"))
        self.exemplar_button = QPushButton(self)
        self.exemplar_button.clicked.connect(lambda: self.nominate())
        self.list_button = QPushButton(self)
        self.list_button.clicked.connect(lambda: self.save_list())
        self.message = plain_label(QLabel(self))  # what the last action did
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        # The caps and the counting basis: apart from the message, so that reading the tables again
        # after an action does not replace what the action said.
        self.rules_note = plain_label(QLabel(self))
        self.rules_note.setObjectName("hint")
        self.rules_note.setWordWrap(True)
        self.panes = {kind: GroupPane(self) for kind in KINDS}
        for kind, pane in self.panes.items():
            pane.groups.selectionModel().selectionChanged.connect(lambda *_a, k=kind: self._show_detail(k))
            pane.bonuses.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.exemplars = _table(self, 5, stretch=4)
        self.exemplar_columns = fitted(self.exemplars, stretch=4, texts=(1, 3, 4))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panes["team"], "")
        self.tabs.addTab(self.panes["workstation"], "")
        self.tabs.addTab(self.exemplars, "")
        self.tabs.currentChanged.connect(lambda _i: self._enable())

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
        for button in (
            self.bonus_button,
            self.approve_button,
            self.reject_button,
            self.exemplar_button,
            self.list_button,
        ):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(top_widget)
        layout.addWidget(self.message)
        layout.addWidget(self.rules_note)
        layout.addWidget(self.tabs, 1)

        if embedded:
            layout.setContentsMargins(0, 0, 0, 0)
            heading_row.setVisible(False)
        self.retranslate()
        self.year.currentIndexChanged.connect(lambda _i: self._year_changed())
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)
        self._role_changed()

    def hasHeightForWidth(self) -> bool:  # Qt's name
        # As a tab, its height must not follow its width: a tab widget asks every page, the hidden
        # ones too, and this page's wrapping buttons would make the whole 年度考核 view scroll.
        return not self.embedded and super().hasHeightForWidth()

    @property
    def chosen_year(self) -> int:
        return self.year.year()

    def set_year(self, year: int) -> None:
        if year != self.chosen_year:
            self.year.set_year(year)

    @property
    def is_bureau(self) -> bool:
        return current_role(self.context) == "bureau"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("团队考核"))
        self.year_label.setText(self.tr("年度"))
        self.bonus_button.setText(self.tr("录入加分项…"))
        self.approve_button.setText(self.tr("通过加分项"))
        self.reject_button.setText(self.tr("不予通过…"))
        self.exemplar_button.setText(self.tr("评选先进典型…"))
        self.list_button.setText(self.tr("先进典型名单（PDF）…"))
        self.tabs.setTabText(0, self.tr("科技特派团"))
        self.tabs.setTabText(1, self.tr("工作站"))
        self.tabs.setTabText(2, self.tr("先进典型"))
        for pane in self.panes.values():
            _headers(
                pane.groups,
                [
                    self.tr("名次"),
                    self.tr("名称"),
                    self.tr("成员"),
                    self.tr("指标得分"),
                    self.tr("加分"),
                    self.tr("总分"),
                    self.tr("等次"),
                ],
            )
            _headers(
                pane.indicators,
                [self.tr("考核指标"), self.tr("完成"), self.tr("目标"), self.tr("分值"), self.tr("得分")],
            )
            _headers(
                pane.bonuses,
                [self.tr("加分"), self.tr("理由"), self.tr("佐证材料"), self.tr("状态"), self.tr("审核")],
            )
        _headers(
            self.exemplars,
            [self.tr("称号"), self.tr("名称"), self.tr("类别"), self.tr("单位 / 地区"), self.tr("主要事迹")],
        )
        self._show()

    def _role_changed(self, _role: str = "") -> None:
        bureau = self.is_bureau
        for button in (self.approve_button, self.reject_button, self.exemplar_button):
            button.setVisible(bureau)
        if self.has_loaded:
            self.refresh()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        year = self.chosen_year
        Operation(self, lambda store: group_assessment(store, year), self._loaded).with_progress(
            self.tr("正在计算团队与工作站考核…")
        ).run_in_background()

    def _year_changed(self) -> None:
        if self.has_loaded or not self.embedded:  # an embedded tab loads when first shown
            self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits",
            "reviews",
            "problems",
            "solutions",
            "commissioners",
            "teams",
            "workstations",
            "assessment_rules",
            "assessment_results",
            "bonus_points",
            "exemplars",
        ):
            self.refresh()

    def _loaded(self, result: GroupAssessment) -> None:
        if result.year != self.chosen_year:
            return
        self.has_loaded = True
        self.result = result
        self._show()

    # --- showing ---------------------------------------------------------------------------------

    def _visible_groups(self, kind: str) -> list[GroupResult]:
        """Every group for the bureau; a manager's own team and workstation otherwise."""
        if self.result is None:
            return []
        groups = self.result.of(kind)
        if self.is_bureau:
            return groups
        info = user_info(self.context) or {}
        own = info.get("team_id") if kind == "team" else info.get("workstation_id")
        return [g for g in groups if g.group_id == own]

    def _show(self) -> None:
        r = self.result
        if r is None:
            return
        lang = self.context.language
        for kind, pane in self.panes.items():
            chosen = _selected_key(pane.groups)
            groups = self._visible_groups(kind)
            # Among every group of the city (a manager sees their own ranked among them), equal
            # totals sharing a rank.
            everyone = r.of(kind)
            ranks = dict(zip((g.group_id for g in everyone), group_ranks(everyone), strict=True))
            _fill(
                pane.groups,
                [
                    [
                        ranks[g.group_id],
                        g.name,
                        g.members,
                        round(g.base, 1),
                        round(g.bonus, 1),
                        round(g.total, 1),
                        g.grade_label.text(lang),
                    ]
                    for g in groups
                ],
                [g.group_id for g in groups],
            )
            keys = [g.group_id for g in groups]
            if chosen in keys:
                pane.groups.selectRow(keys.index(chosen))
            elif keys:
                pane.groups.selectRow(0)
            self._show_detail(kind)
        _fill(
            self.exemplars,
            [[e.title, e.name, e.kind_label.text(lang), e.detail, e.citation] for e in r.exemplars],
            [e.id for e in r.exemplars],
        )
        rules = r.city.rules
        self.rules_note.setText(
            self.tr(
                "科技特派团加分上限 {0} 分，工作站加分上限 {1} 分；仅计市科技局审核通过的加分项。"
            ).format(f"{rules.group('team').bonus_cap:g}", f"{rules.group('workstation').bonus_cap:g}")
            + r.city.basis_note.text(lang)
        )
        self._enable()

    def chosen_group(self, kind: str | None = None) -> GroupResult | None:
        kind = kind or self.current_kind
        if kind is None or self.result is None:
            return None
        key = _selected_key(self.panes[kind].groups)
        return next((g for g in self.result.of(kind) if g.group_id == key), None)

    @property
    def current_kind(self) -> str | None:
        index = self.tabs.currentIndex()
        return KINDS[index] if index < len(KINDS) else None

    def _show_detail(self, kind: str) -> None:
        pane = self.panes[kind]
        g = self.chosen_group(kind)
        lang = self.context.language
        if g is None:
            pane.detail.setText("")
            _fill(pane.indicators, [])
            _fill(pane.bonuses, [])
            self._enable()
            return
        pane.detail.setText(
            self.tr("{0}：成员 {1} 人（在岗服务 {2} 人）；").format(
                g.name + (f"（{g.county}）" if g.county else ""), g.members, g.active_members
            )
            + g.bonus_note.text(lang)
        )
        _fill(
            pane.indicators,
            [
                [
                    s.label.text(lang),
                    "—" if s.actual is None else round(s.actual, 1),
                    f"{s.target:g}",
                    f"{s.points:g}",
                    round(s.score, 1),
                ]
                for s in g.indicators
            ],
        )
        _fill(
            pane.bonuses,
            [
                [
                    f"{b.points:g}",
                    b.reason,
                    b.evidence,
                    BONUS_STATUSES[b.status].text(lang) if b.status in BONUS_STATUSES else b.status,
                    b.reviewed_by + ("：" + b.review_opinion if b.review_opinion else ""),
                ]
                for b in g.bonus_items
            ],
            [b.id for b in g.bonus_items],
        )
        self._enable()

    def chosen_bonus(self) -> str | None:
        kind = self.current_kind
        return _selected_key(self.panes[kind].bonuses) if kind else None

    def _enable(self) -> None:
        kind = self.current_kind
        self.bonus_button.setEnabled(bool(kind and self._visible_groups(kind)))
        chosen = self.chosen_bonus() is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
        self.exemplar_button.setEnabled(self.result is not None)

    # --- actions ---------------------------------------------------------------------------------

    def _who(self) -> str:
        info = user_info(self.context) or {}
        return str(info.get("display_name") or info.get("username") or self.tr("市科技局"))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _said_until_sync(self, text: str) -> None:
        self._say(text)
        until_synced(self.context, self.message)

    def _run(self, work: Any, done_text: str, *, until_sync: bool = False) -> None:
        Operation(
            self, work, lambda _r: self._said_until_sync(done_text) if until_sync else self._say(done_text)
        ).failure(lambda e: self._say(error_text(e))).run_in_background()

    def add_bonus(self, values: dict[str, Any] | None = None) -> None:
        """Enter a bonus for a team or workstation of the open tab (`values`: the dialog's answers,
        for tests and scripts)."""
        kind = self.current_kind or "team"
        groups = self._visible_groups(kind)
        if not groups:
            return
        if values is None:
            chosen = self.chosen_group(kind)
            dialog = BonusDialog(
                self, [(g.group_id, g.name) for g in groups], chosen.group_id if chosen else None
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        bonus = BonusPoint(
            year=self.chosen_year,
            subject_kind=kind,
            entered_by=self._who(),
            status="pending",
            **values,
        )
        self._run(
            lambda store: save_bonus(store, bonus),
            self.tr("已录入加分项，待市科技局审核；下次同步时发送。"),
            until_sync=True,
        )

    def decide(self, decision: str, opinion: str | None = None) -> None:
        bonus_id = self.chosen_bonus()
        if bonus_id is None:
            return
        if decision == "rejected" and opinion is None:
            text, ok = QInputDialog.getText(self, self.tr("不予通过"), self.tr("请填写不予通过的理由："))
            if not ok or not text.strip():
                return
            opinion = text
        who = self._who()
        note = opinion or ""
        self._run(
            lambda store: decide_bonus(store, bonus_id, decision, note, who),
            self.tr("已审核加分项；下次同步时发送。"),
            until_sync=True,
        )

    def nominate(self, values: dict[str, Any] | None = None) -> None:
        r = self.result
        if r is None:
            return
        if values is None:
            choices = [
                ("commissioner", m.commissioner_id, f"{m.name}（{m.sending_unit}，{m.grade_label.text()}）")
                for m in r.city.members
                if m.published_at
            ]
            choices += [("team", g.group_id, g.name) for g in r.teams]
            choices += [("workstation", g.group_id, g.name) for g in r.workstations]
            dialog = ExemplarDialog(self, choices)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        exemplar = Exemplar(year=self.chosen_year, **values)
        who = self._who()
        self._run(
            lambda store: nominate_exemplar(store, exemplar, who),
            self.tr("已评选先进典型；下次同步时发送。"),
            until_sync=True,
        )

    def save_list(self, out: Path | None = None) -> None:
        year = self.chosen_year
        if out is None:
            start = self.context.setting("assessment", "folder", str(Path.home()), str)
            out = ask_save_path(
                self,
                self.tr("保存先进典型名单"),
                Path(start) / f"{year}年度先进典型名单.pdf",
                self.tr("PDF 文件 (*.pdf)"),
                ".pdf",
            )
            if out is None:
                return
        target = out

        def work(store: Store) -> int:
            from commissioner_app.reports.groups import exemplars_list  # reportlab: only when asked

            return exemplars_list(store, year, target)

        self._run(work, self.tr("已保存：{0}").format(target))


class BonusDialog(QDialog):
    """A bonus: which group, how many points, why and what proves it."""

    def __init__(self, parent: QWidget, groups: list[tuple[str, str]], chosen: str | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("录入加分项"))
        self.subject = QComboBox(self)
        for key, name in groups:
            self.subject.addItem(name, key)
        if chosen is not None and self.subject.findData(chosen) >= 0:
            self.subject.setCurrentIndex(self.subject.findData(chosen))
        self.points = QDoubleSpinBox(self)
        self.points.setRange(0.5, MAX_BONUS_POINTS)
        self.points.setSingleStep(0.5)
        self.points.setValue(2)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("如：获评省级优秀科技特派团"))
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText(self.tr("如：文件编号、获奖证书、新闻报道"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = plain_label(QLabel(self))
        self.problem.setObjectName("error")
        form = QFormLayout(self)
        form.addRow(self.tr("对象"), self.subject)
        form.addRow(self.tr("加分"), self.points)
        form.addRow(self.tr("加分理由"), self.reason)
        form.addRow(self.tr("佐证材料"), self.evidence)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        fit_dialog(self, (460, 260))

    def _accept(self) -> None:
        if not self.reason.text().strip() or not self.evidence.text().strip():
            self.problem.setText(self.tr("请填写加分理由和佐证材料。"))
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        return {
            "subject_id": self.subject.currentData(),
            "points": self.points.value(),
            "reason": self.reason.text().strip(),
            "evidence": self.evidence.text().strip(),
        }


class ExemplarDialog(QDialog):
    """An exemplar: a commissioner with a published result, a team or a workstation; the honour and
    the citation."""

    def __init__(self, parent: QWidget, choices: list[tuple[str, str, str]]):
        super().__init__(parent)
        self.setWindowTitle(self.tr("评选先进典型"))
        self.subject = QComboBox(self)
        for kind, key, name in choices:
            self.subject.addItem(name, (kind, key))
        self.title_edit = QLineEdit(self.tr("优秀科技特派员"), self)
        self.citation = QPlainTextEdit(self)
        self.citation.setPlaceholderText(self.tr("主要事迹"))
        self.note = plain_label(QLabel(self.tr("先进典型从已发布的年度考核结果中评选。"), self))
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.problem = plain_label(QLabel(self))
        self.problem.setObjectName("error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.note)
        form.addRow(self.tr("对象"), self.subject)
        form.addRow(self.tr("称号"), self.title_edit)
        form.addRow(self.tr("主要事迹"), self.citation)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        fit_dialog(self, (520, 340))

    def _accept(self) -> None:
        if self.subject.currentData() is None or not self.citation.toPlainText().strip():
            self.problem.setText(self.tr("请选择对象并填写主要事迹。"))
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        kind, key = self.subject.currentData()
        return {
            "subject_kind": kind,
            "subject_id": key,
            "title": self.title_edit.text().strip(),
            "citation": self.citation.toPlainText().strip(),
        }
