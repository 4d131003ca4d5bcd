"""历史: who changed which field of a record, when, from what to what — the central store's revisions
of it (sync/audit_ops.py), for anyone who may see the record (the server checks)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from sync.audit_ops import FieldChange, local_times, record_history
from ui import screen_fit
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.tasks import error_text
from ui.views.city import _fill, _headers, _table


class RecordHistoryDialog(QDialog):
    def __init__(self, context: AppContext, table: str, record_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.record_table, self.record_id = table, record_id
        self.changes: list[FieldChange] | None = None
        self.setWindowTitle(self.tr("修改历史"))
        screen_fit.fit_dialog(self, (900, 520))
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.table = _table(self, 6, stretch=5)
        _headers(
            self.table,
            [
                self.tr("时间"),
                self.tr("修改人"),
                self.tr("版本"),
                self.tr("字段"),
                self.tr("原值"),
                self.tr("新值"),
            ],
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("关闭"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.status.setText(self.tr("正在从服务器读取修改历史…"))
        context.tasks.submit_network(lambda store: record_history(store, table, record_id), self._loaded)

    def _loaded(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self.status.setText(error_text(error))
            return
        self.changes = result
        lang = self.context.language
        # The time column says which time it shows, as the audit trail does.
        header, times = local_times([c.at for c in result], seconds=False, short=True)
        _headers(
            self.table,
            [
                header.text(lang),
                self.tr("修改人"),
                self.tr("版本"),
                self.tr("字段"),
                self.tr("原值"),
                self.tr("新值"),
            ],
        )
        _fill(
            self.table,
            [
                [
                    when,
                    c.writer(lang),
                    c.rev,
                    c.label.text(lang),
                    c.shown(c.before, lang)[:200],
                    c.shown(c.after, lang)[:200],
                ]
                for c, when in zip(result, times, strict=True)
            ],
        )
        edits = len({c.rev for c in result})
        changed = sum(1 for c in result if c.field)
        self.status.setText(
            self.tr("服务器上保存的每个版本：共 {0} 个版本，{1} 处字段变更。").format(edits, changed)
        )
