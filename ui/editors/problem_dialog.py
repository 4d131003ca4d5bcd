"""Technical problem (技术难题) detail: life cycle, linked visits and solutions, add a solution."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.domain import (
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    URGENCIES,
    ServiceTarget,
    Solution,
    TechnicalProblem,
    field_label,
)
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops.problems import save_problem
from ui import screen_fit
from ui.editors.fields import ErrorLabel, FieldBox, ReferenceCombo, issue_text, show_issues
from ui.tasks import Operation, error_text

if TYPE_CHECKING:
    from ui.context import AppContext
from ui.plain_text import plain_label, plain_tooltip

log = logging.getLogger("commissioner.ui.problem")


def _fill_codes(combo: QComboBox, codes: dict[str, Any]) -> None:
    for i in range(combo.count()):
        combo.setItemText(i, codes[combo.itemData(i)].text(i18n.language()))


class ProblemDialog(QDialog):
    saved = Signal(str)
    save_failed = Signal()

    def __init__(self, parent: QWidget | None, context: AppContext, problem_id: str):
        super().__init__(parent)
        self.context = context
        store = self.store = context.reader  # reads only: the save is an operation on the executor
        self.last_save_ok: bool | None = None
        self.problem = store.require(TechnicalProblem, problem_id)

        self.title = QLineEdit(self)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(110)
        self.industry = ReferenceCombo(store, "industry", self)
        self.target = plain_label(QLabel(self))
        self.source = QComboBox(self)
        for code in PROBLEM_SOURCES:
            self.source.addItem("", code)
        self.urgency = QComboBox(self)
        for code in URGENCIES:
            self.urgency.addItem("", code)
        self.status = QComboBox(self)
        for code in PROBLEM_STATUSES:
            self.status.addItem("", code)
        self.status_reason = QLineEdit(self)
        self.status.currentIndexChanged.connect(lambda _i: self._status_changed())

        self.boxes = {
            "title": FieldBox(self.title),
            "description": FieldBox(self.description),
            "industry": FieldBox(self.industry),
            "source": FieldBox(self.source),
            "urgency": FieldBox(self.urgency),
            "status": FieldBox(self.status),
            "status_reason": FieldBox(self.status_reason),
        }
        self.labels = {key: QLabel(self) for key in [*self.boxes, "target"]}
        form = QFormLayout()
        form.addRow(self.labels["title"], self.boxes["title"])
        form.addRow(self.labels["target"], self.target)
        for key in ("description", "industry", "source", "urgency", "status", "status_reason"):
            form.addRow(self.labels[key], self.boxes[key])

        self.visits_group = QGroupBox(self)
        self.visits = QListWidget(self)
        self.visits.setMaximumHeight(72)
        self.visits.itemDoubleClicked.connect(self._open_visit)
        QVBoxLayout(self.visits_group).addWidget(self.visits)
        self.solutions_group = QGroupBox(self)
        self.solutions = QListWidget(self)
        self.solutions.setMaximumHeight(72)
        self.new_solution = QPlainTextEdit(self)
        self.new_solution.setTabChangesFocus(True)
        self.new_solution.setFixedHeight(56)
        self.new_technology = QLineEdit(self)
        self.new_outcome = QLineEdit(self)
        self.new_benefit = QDoubleSpinBox(self)
        self.new_benefit.setRange(0, 1e7)
        self.new_benefit.setDecimals(2)
        self.new_confirmed = QCheckBox(self)
        self.solution_box = FieldBox(self.new_solution)
        self.solution_labels = {k: QLabel(self) for k in ("description", "technology", "outcome", "benefit")}
        sol_form = QFormLayout()
        sol_form.addRow(self.solution_labels["description"], self.solution_box)
        sol_form.addRow(self.solution_labels["technology"], self.new_technology)
        sol_form.addRow(self.solution_labels["outcome"], self.new_outcome)
        sol_form.addRow(self.solution_labels["benefit"], self.new_benefit)
        sol_form.addRow("", self.new_confirmed)
        self.new_solution_label = QLabel(self)
        sol_layout = QVBoxLayout(self.solutions_group)
        sol_layout.addWidget(self.solutions)
        sol_layout.addWidget(self.new_solution_label)
        sol_layout.addLayout(sol_form)

        self.summary = ErrorLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.save)
        # The body scrolls, so the dialog fits a 1366x768 screen however long the lists grow.
        body = QWidget()
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.visits_group)
        right.addWidget(self.solutions_group)
        right.addStretch(1)
        body_layout = QHBoxLayout(body)
        body_layout.addLayout(left, 1)
        body_layout.addLayout(right, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._load()
        self.retranslate()
        screen_fit.fit_dialog(self, (1120, 560))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("技术难题：%1").replace("%1", self.problem.title))
        texts = {
            "title": self.tr("标题"),
            "target": self.tr("服务对象"),
            "description": self.tr("描述"),
            "industry": self.tr("产业"),
            "source": self.tr("来源"),
            "urgency": self.tr("紧急程度"),
            "status": self.tr("状态"),
            "status_reason": self.tr("原因说明"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.industry.relabel()
        _fill_codes(self.source, PROBLEM_SOURCES)
        _fill_codes(self.urgency, URGENCIES)
        _fill_codes(self.status, PROBLEM_STATUSES)
        self.visits_group.setTitle(self.tr("相关服务记录（双击打开）"))
        self.solutions_group.setTitle(self.tr("解决方案"))
        self.new_solution_label.setText(self.tr("新增解决方案（标记为已解决前至少需要一个）："))
        self.solution_labels["description"].setText(self.tr("做了什么"))
        self.solution_labels["technology"].setText(self.tr("采用技术"))
        self.solution_labels["outcome"].setText(self.tr("效果"))
        self.solution_labels["benefit"].setText(field_label(Solution, "economic_benefit").heading.text())
        self.new_confirmed.setText(self.tr("服务对象已确认"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._status_changed()
        self._fill_lists()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _load(self) -> None:
        p = self.problem
        self.title.setText(p.title)
        self.description.setPlainText(p.description)
        self.industry.set_value(p.industry)
        self.source.setCurrentIndex(max(self.source.findData(p.source), 0))
        self.urgency.setCurrentIndex(max(self.urgency.findData(p.urgency), 0))
        self.status.setCurrentIndex(max(self.status.findData(p.status), 0))
        self.status_reason.setText(p.status_reason)
        target = self.store.get(ServiceTarget, p.target_id) if p.target_id else None
        self.target.setText(target.name if target else "—")

    def _fill_lists(self) -> None:
        store = self.store
        self.visits.clear()
        for visit in store.visits_of_problem(self.problem.id):
            day = visit.visit_date.isoformat() if visit.visit_date else ""
            item = QListWidgetItem(f"{day}  {visit.start_time}-{visit.end_time}  {visit.content[:24]}…")
            item.setToolTip(plain_tooltip(visit.content))
            item.setData(Qt.ItemDataRole.UserRole, visit.id)
            self.visits.addItem(item)
        if self.visits.count() == 0:
            self.visits.addItem(self.tr("（暂无）"))
        self.solutions.clear()
        for solution in store.solutions_of_problem(self.problem.id):
            extra = f"（{solution.technology}）" if solution.technology else ""
            self.solutions.addItem(f"{solution.description[:60]}{extra}")
        if self.solutions.count() == 0:
            self.solutions.addItem(self.tr("（尚无解决方案）"))

    def _open_visit(self, item: QListWidgetItem) -> None:
        visit_id = item.data(Qt.ItemDataRole.UserRole)
        if visit_id:
            from ui.editors.visit_editor import VisitEditor

            VisitEditor(self.parentWidget(), self.context, str(visit_id)).show()

    def _status_changed(self) -> None:
        needs_reason = self.status.currentData() in ("referred", "unresolved")
        self.labels["status_reason"].setText(
            self.tr("原因说明（必填）") if needs_reason else self.tr("原因说明")
        )

    def save(self) -> None:
        """Save on the executor; `saved(id)` and the dialog closes, or the issues show at their fields."""
        for box in [*self.boxes.values(), self.solution_box]:
            box.clear()
        self.summary.clear_message()
        p = self.problem
        p.title = self.title.text().strip()
        p.description = self.description.toPlainText().strip()
        p.industry = self.industry.value()
        p.source = str(self.source.currentData())
        p.urgency = str(self.urgency.currentData())
        p.status = str(self.status.currentData())
        p.status_reason = self.status_reason.text().strip()
        solution = None
        if self.new_solution.toPlainText().strip():
            solution = Solution(
                problem_id=p.id,
                commissioner_id=self.store.actor,
                description=self.new_solution.toPlainText().strip(),
                technology=self.new_technology.text().strip(),
                outcome=self.new_outcome.text().strip(),
                economic_benefit=self.new_benefit.value(),
                confirmed=self.new_confirmed.isChecked(),
            )
            issues = solution.validate()
            if issues:
                self.solution_box.show_issues([issue_text(i) for i in issues])
                self.new_solution.setFocus()
                self.last_save_ok = False
                return
        p.solved_on = (p.solved_on or date.today()) if p.status == "solved" else None

        self.last_save_ok = None
        # The new solution and the status change together, or neither.
        Operation(
            self, lambda store: save_problem(store, p, solution), lambda _done: self._saved(p.id)
        ).failure(self._refused).run_in_background()

    def _saved(self, problem_id: str) -> None:
        self.last_save_ok = True
        self.saved.emit(problem_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.last_save_ok = False
        if isinstance(error, ValidationError):
            show_issues(error.issues, self.boxes, self.summary)
        elif isinstance(error, CommissionerError):
            self.summary.show_message(error.text(i18n.language()))
        else:
            self.summary.show_message(error_text(error))
        self.save_failed.emit()
