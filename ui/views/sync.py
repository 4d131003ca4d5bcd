"""同步: what waits to be sent to the bureau's server and when it last synced.

The sync issue replaces this page with the real one (add_view("sync", ...) again).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from commissioner_app.store import Store
from ui.context import AppContext
from ui.tasks import Operation
from ui.views.common import heading

KIND_TABLES = ("visits", "problems", "solutions", "service_targets", "attachments")


def sync_summary(store: Store) -> dict[str, Any]:
    waiting = {
        table: int(store.db.execute(
            f"SELECT count(*) FROM {table} WHERE dirty = 1 AND is_draft = 0"
        ).fetchone()[0])
        for table in KIND_TABLES
    }
    return {"total": store.waiting_to_sync(), "by_table": waiting, "last_sync": store.get_meta("last_sync_at")}


class SyncView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.summary: dict[str, Any] | None = None
        self.title = heading("", self)
        self.form = QFormLayout()
        self.total_label, self.total = QLabel(self), QLabel(self)
        self.last_label, self.last = QLabel(self), QLabel(self)
        self.kind_labels = {t: (QLabel(self), QLabel(self)) for t in KIND_TABLES}
        self.form.addRow(self.total_label, self.total)
        self.form.addRow(self.last_label, self.last)
        for name, value in self.kind_labels.values():
            self.form.addRow(name, value)
        self.sync_button = QPushButton(self)
        self.sync_button.setEnabled(False)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        body = QWidget(self)
        body.setMaximumWidth(760)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addLayout(self.form)
        body_layout.addSpacing(12)
        body_layout.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(body)
        layout.addStretch(1)
        self.retranslate()
        context.records_changed.connect(lambda _t: self.load(force=True))
        context.language_changed.connect(lambda _lang: self.retranslate())

    def load(self, force: bool = False) -> None:
        if self.summary is not None and not force:
            return
        Operation(self, sync_summary, self._show).run_in_background()

    def _show(self, summary: dict[str, Any]) -> None:
        self.summary = summary
        self.retranslate()

    def retranslate(self) -> None:
        s = self.summary
        self.title.setText(self.tr("同步"))
        self.total_label.setText(self.tr("等待同步的记录"))
        self.last_label.setText(self.tr("上次同步时间"))
        names = {"visits": self.tr("服务记录"), "problems": self.tr("技术难题"), "solutions": self.tr("解决方案"),
                 "service_targets": self.tr("服务对象"), "attachments": self.tr("附件")}
        for table, (name, value) in self.kind_labels.items():
            name.setText("    " + names[table])
            value.setText(f"{s['by_table'][table]:,}" if s else "…")
        self.total.setText(self.tr("{0} 条").format(f"{s['total']:,}") if s else "…")
        if s is None:
            self.last.setText("…")
        else:
            self.last.setText((s["last_sync"] or "").replace("T", " ")[:19] or self.tr("从未同步"))
        self.sync_button.setText(self.tr("立即同步（F5）"))
        self.note.setText(self.tr("与市科技局服务器同步的功能将在后续版本提供。在此之前，所有记录都安全地保存在本机，"
                                  "等待同步。"))
