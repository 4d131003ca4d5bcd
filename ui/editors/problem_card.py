"""One problem inside the visit editor: raised on this visit (new) or picked from the open ones,
with the solution given on this visit, if any."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.domain import PROBLEM_STATUSES, URGENCIES, Solution, TechnicalProblem, field_label
from commissioner_app.records import from_row, to_row
from ui.editors.fields import FieldBox
from ui.widgets.spin import no_wheel


class ProblemCard(QGroupBox):
    """`raised_here`: the problem was raised on this visit (saved with it, draft with a draft)."""

    changed = Signal()
    # The card's title field (the base class's title() is replaced: the card shows the problem's).
    title: QLineEdit  # type: ignore[assignment]
    remove_requested = Signal(object)

    def __init__(
        self,
        problem: TechnicalProblem,
        solution: Solution | None,
        *,
        raised_here: bool,
        removable: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.problem = problem
        self.raised_here = raised_here
        self.removable = removable
        self.solution_id = solution.id if solution else Solution().id
        self.solution_saved = solution is not None

        self.title = QLineEdit(problem.title, self)
        self.title.setReadOnly(not raised_here)
        self.description = QPlainTextEdit(problem.description, self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(52)
        self.description.setReadOnly(not raised_here)
        if not raised_here:  # described where it was raised; only its status changes here
            for widget in (self.title, self.description):
                widget.setStyleSheet("background: #f0f0f0; color: #333;")
        self.urgency = QComboBox(self)
        for code in URGENCIES:
            self.urgency.addItem("", code)
        self.urgency.setCurrentIndex(max(self.urgency.findData(problem.urgency), 0))
        self.status = QComboBox(self)
        for code in PROBLEM_STATUSES:
            self.status.addItem("", code)
        self.status.setCurrentIndex(max(self.status.findData(problem.status), 0))
        self.status_reason = QLineEdit(problem.status_reason, self)
        self.solution = QPlainTextEdit(solution.description if solution else "", self)
        self.solution.setTabChangesFocus(True)
        self.solution.setFixedHeight(52)
        self.technology = QLineEdit(solution.technology if solution else "", self)
        self.outcome = QLineEdit(solution.outcome if solution else "", self)
        self.benefit = no_wheel(QDoubleSpinBox(self))
        self.benefit.setRange(0, 1e7)
        self.benefit.setDecimals(2)
        self.benefit.setValue(solution.economic_benefit if solution else 0.0)
        self.confirmed = QCheckBox(self)
        self.confirmed.setChecked(bool(solution and solution.confirmed))
        self.remove_button = QPushButton(self)
        self.remove_button.setEnabled(removable)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

        self.boxes: dict[str, FieldBox] = {
            "title": FieldBox(self.title),
            "description": FieldBox(self.description),
            "urgency": FieldBox(self.urgency),
            "status": FieldBox(self.status),
            "status_reason": FieldBox(self.status_reason),
            "solution.description": FieldBox(self.solution),
            "solution.economic_benefit": FieldBox(self.benefit),
        }
        self.labels = {
            key: QLabel(self)
            for key in (
                "title",
                "description",
                "urgency",
                "status",
                "status_reason",
                "solution.description",
                "technology",
                "outcome",
                "solution.economic_benefit",
            )
        }
        left = QFormLayout()
        for key in ("title", "description", "urgency", "status", "status_reason"):
            left.addRow(self.labels[key], self.boxes[key])
        right = QFormLayout()
        right.addRow(self.labels["solution.description"], self.boxes["solution.description"])
        right.addRow(self.labels["technology"], self.technology)
        right.addRow(self.labels["outcome"], self.outcome)
        right.addRow(self.labels["solution.economic_benefit"], self.boxes["solution.economic_benefit"])
        right.addRow("", self.confirmed)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        layout.addLayout(bottom)

        for edit in (self.title, self.status_reason, self.technology, self.outcome):
            edit.textChanged.connect(self._emit)
        for text in (self.description, self.solution):
            text.textChanged.connect(self._emit)
        for combo in (self.urgency, self.status):
            combo.currentIndexChanged.connect(self._emit)
        self.status.currentIndexChanged.connect(lambda _i: self._status_changed())
        self.benefit.valueChanged.connect(self._emit)
        self.confirmed.toggled.connect(self._emit)
        self.retranslate()

    def _emit(self, *_args: object) -> None:
        self.changed.emit()

    def retranslate(self) -> None:
        if self.raised_here:
            self.setTitle(self.tr("本次发现的技术难题"))
        else:
            self.setTitle(
                self.tr("已有技术难题（%1起）").replace(
                    "%1", self.problem.raised_on.isoformat() if self.problem.raised_on else "—"
                )
            )
        texts = {
            "title": self.tr("难题标题"),
            "description": self.tr("难题描述"),
            "urgency": self.tr("紧急程度"),
            "status": self.tr("处理状态"),
            "solution.description": self.tr("本次解决方案"),
            "technology": self.tr("采用技术"),
            "outcome": self.tr("效果"),
            "solution.economic_benefit": field_label(Solution, "economic_benefit").heading.text(
                i18n.language()
            ),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        for combo, codes in ((self.urgency, URGENCIES), (self.status, PROBLEM_STATUSES)):
            for i in range(combo.count()):
                combo.setItemText(i, codes[combo.itemData(i)].text(i18n.language()))
        self.title.setPlaceholderText(self.tr("一句话说明难题，如：柑橘黄龙病防控"))
        self.solution.setPlaceholderText(self.tr("本次给出的解决办法；标记“已解决”时必填"))
        self.confirmed.setText(self.tr("服务对象已确认此方案"))
        self.remove_button.setText(self.tr("从本记录移除"))
        self.remove_button.setToolTip(
            "" if self.removable else self.tr("已保存的难题请在“技术难题”中修改状态")
        )
        self._status_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _status_changed(self) -> None:
        needs = self.status.currentData() in ("referred", "unresolved")
        self.labels["status_reason"].setText(self.tr("原因说明（必填）") if needs else self.tr("原因说明"))

    def collect(self, visit_id: str, target_id: str | None) -> tuple[TechnicalProblem, Solution | None]:
        p = self.problem
        if self.raised_here:
            p.title = self.title.text().strip()
            p.description = self.description.toPlainText().strip()
            p.visit_id = visit_id
            p.target_id = target_id
        p.urgency = str(self.urgency.currentData())
        p.status = str(self.status.currentData())
        p.status_reason = self.status_reason.text().strip()
        text = self.solution.toPlainText().strip()
        solution = None
        if text or self.solution_saved:
            solution = Solution(
                id=self.solution_id,
                problem_id=p.id,
                visit_id=visit_id,
                description=text,
                technology=self.technology.text().strip(),
                outcome=self.outcome.text().strip(),
                economic_benefit=self.benefit.value(),
                confirmed=self.confirmed.isChecked(),
            )
        return p, solution

    def show_issue(self, key: str, text: str) -> QWidget | None:
        box = self.boxes.get(key)
        if box is None:
            return None
        box.show_issues([text])
        return box.field

    def clear_issues(self) -> None:
        for box in self.boxes.values():
            box.clear()

    def state(self, visit_id: str, target_id: str | None) -> dict[str, Any]:
        problem, solution = self.collect(visit_id, target_id)
        return {
            "problem": to_row(problem),
            "raised_here": self.raised_here,
            "removable": self.removable,
            "solution_id": self.solution_id,
            "solution_saved": self.solution_saved,
            "solution": to_row(solution) if solution else None,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], parent: QWidget | None = None) -> ProblemCard:
        problem = from_row(TechnicalProblem, state["problem"])
        solution = from_row(Solution, state["solution"]) if state.get("solution") else None
        card = cls(
            problem, solution, raised_here=state["raised_here"], removable=state["removable"], parent=parent
        )
        card.solution_id = state["solution_id"]
        card.solution_saved = state["solution_saved"]
        return card
