"""Service target picker: type to search (the core's Chinese full-text search), or create one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.domain import TARGET_TYPES, ServiceTarget
from commissioner_app.store import Store
from ui.plain_text import plain_label

RESULTS = 50


class TargetPicker(QWidget):
    picked = Signal(str)
    create_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self._store = store  # the read-only connection
        self._target_id: str | None = None
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(self.create_requested.emit)
        self.results = QListWidget(self)
        self.results.setFixedHeight(96)
        self.results.itemActivated.connect(self._item_chosen)
        self.results.itemClicked.connect(self._item_chosen)
        self.chosen = plain_label(QLabel(self))  # a target's name is data, never markup
        self.chosen.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.chosen.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.chosen)
        layout.addLayout(top)
        layout.addWidget(self.results)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._pick_first)
        self.retranslate()
        # The first list waits until the window is up: opening the editor should not wait for it.
        QTimer.singleShot(0, self, self._first_refresh)

    def _first_refresh(self) -> None:
        if self.results.count() == 0:
            self.refresh()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("输入名称、地区或联系人查找服务对象"))
        self.search.setAccessibleName(self.tr("查找服务对象"))
        self.new_button.setText(self.tr("新建服务对象…"))
        self._show_chosen()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.results.clear()
        for row in self._store.list_targets(text=self.search.text(), limit=RESULTS):
            self.results.addItem(self._item(row))
        if self.results.count() == 0 and self.search.text().strip():
            empty = QListWidgetItem(self.tr("没有找到，可点“新建服务对象…”"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(empty)

    def _item(self, row: dict[str, Any]) -> QListWidgetItem:
        kind = TARGET_TYPES.get(row["type"])
        place = " ".join(p for p in (row["county"], row["town"], row["village"]) if p)
        text = f"{row['name']}　{kind.text(i18n.language()) if kind else ''}　{place}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, row["id"])
        return item

    def _item_chosen(self, item: QListWidgetItem) -> None:
        target_id = item.data(Qt.ItemDataRole.UserRole)
        if target_id:
            self.set_target(str(target_id))
            self.picked.emit(str(target_id))

    def _pick_first(self) -> None:
        item = self.results.item(0)
        if item is not None:
            self._item_chosen(item)

    def set_target(self, target_id: str | None) -> None:
        self._target_id = target_id
        self._show_chosen()

    def target_id(self) -> str | None:
        return self._target_id

    def _show_chosen(self) -> None:
        target = self._store.get(ServiceTarget, self._target_id) if self._target_id else None
        if target is None:
            self.chosen.setText(self.tr("尚未选择服务对象"))
            self.chosen.setStyleSheet("color: #666;")
            return
        place = " ".join(p for p in (target.county, target.town, target.village) if p)
        contact = ""
        if target.contact_name:
            contact = "　" + self.tr("联系人：%1").replace(
                "%1", f"{target.contact_name} {target.contact_phone}"
            )
        self.chosen.setText(f"{target.name}　{place}{contact}")
        self.chosen.setStyleSheet("")
