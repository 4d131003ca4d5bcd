"""The offer at start to resume work autosaved before the application was closed abruptly."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import ServiceTarget
from commissioner_app.ops import drafts as draft_ops
from ui import screen_fit
from ui.tasks import Operation

if TYPE_CHECKING:
    from ui.context import AppContext


class DraftRecoveryDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        context: AppContext,
        drafts: list[dict[str, Any]],
        resume: Callable[[str], object],
    ):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.context = context
        self._resume = resume
        self._drafts = drafts
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.resume_button = QPushButton(self)
        self.discard_button = QPushButton(self)
        self.later_button = QPushButton(self)
        self.resume_button.clicked.connect(self.resume_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button.clicked.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _i: self.resume_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        screen_fit.fit_dialog(self, (760, 380))
        self._fill()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("恢复未保存的服务记录"))
        self.intro.setText(
            self.tr("上次关闭程序时，以下服务记录还有未保存的内容（已自动保存）。请选择继续编辑或丢弃。")
        )
        self.resume_button.setText(self.tr("继续编辑"))
        self.discard_button.setText(self.tr("丢弃"))
        self.later_button.setText(self.tr("以后再说"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill(self) -> None:
        self.list.clear()
        store = self.context.reader
        for draft in self._drafts:
            visit = draft["state"]["visit"]
            target = store.get(ServiceTarget, visit.get("target_id")) if visit.get("target_id") else None
            content = (visit.get("content") or "").replace("\n", " ")
            text = self.tr("%1 %2　服务对象：%3\n%4\n自动保存于 %5")
            for i, value in enumerate(
                (
                    visit.get("visit_date") or "",
                    visit.get("start_time") or "",
                    target.name if target else self.tr("未选择"),
                    content[:60] or self.tr("（无内容）"),
                    draft["saved_at"][:16].replace("T", " "),
                ),
                start=1,
            ):
                text = text.replace(f"%{i}", value)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, draft["visit_id"])
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.resume_button.setEnabled(bool(self.list.count()))
        self.discard_button.setEnabled(bool(self.list.count()))

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _done_with(self, visit_id: str) -> None:
        self._drafts = [d for d in self._drafts if d["visit_id"] != visit_id]
        self._fill()
        if not self._drafts:
            self.accept()

    def resume_selected(self) -> None:
        visit_id = self._selected()
        if visit_id:
            self._resume(visit_id)
            self._done_with(visit_id)

    def discard_selected(self) -> None:
        visit_id = self._selected()
        if visit_id:
            Operation(self, lambda store: draft_ops.discard(store, visit_id)).run_in_background()
            self._done_with(visit_id)
