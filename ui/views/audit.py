"""操作日志: the bureau's (and a county bureau's) audit trail, read from the central store: who did
what, when, to what, before and after; filtered by person, action, date range and subject, and
exported as CSV. Runs on the network lane (sync/audit_ops.py); nothing is kept on this computer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.i18n import Message
from sync.audit_ops import (
    ACTIONS,
    MAX_EXPORT,
    AuditEntry,
    AuditExport,
    AuditFilter,
    audit_entries,
    export_audit,
    local_times,
    role_name,
    shown_fields,
)
from ui import folders
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.tasks import error_text
from ui.views.city import _fill, _headers, _selected_key, _table
from ui.views.common import ask_save_path, heading
from ui.widgets.dates import TypedDateEdit
from ui.widgets.flow import flow_widget

log = logging.getLogger("commissioner.ui.audit")


class AuditView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.entries: list[AuditEntry] = []
        self.total = 0
        self.has_loaded = False
        self.title = heading("", self)
        self.actor = QLineEdit(self)
        self.actor.setClearButtonEnabled(True)
        self.action = QComboBox(self)
        self.subject = QLineEdit(self)
        self.subject.setClearButtonEnabled(True)
        self.use_dates = QCheckBox(self)
        today = QDate.currentDate()
        self.date_from = TypedDateEdit(today.addDays(-30), self)
        self.date_to = TypedDateEdit(today, self)
        for date_edit in (self.date_from, self.date_to):
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
        self.search_button = QPushButton(self)
        self.search_button.setObjectName("primary")
        self.export_button = QPushButton(self)
        self.search_button.clicked.connect(lambda: self.refresh())
        self.export_button.clicked.connect(lambda: self.export())
        for edit in (self.actor, self.subject):
            edit.returnPressed.connect(self.refresh)
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.table = _table(self, 5, stretch=4)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)

        filters, row = flow_widget(self)
        row.setSpacing(8)
        self.actor_label, self.action_label, self.subject_label = QLabel(self), QLabel(self), QLabel(self)
        for widget in (
            self.title,
            self.actor_label,
            self.actor,
            self.action_label,
            self.action,
            self.subject_label,
            self.subject,
            self.use_dates,
            self.date_from,
            self.date_to,
            self.search_button,
            self.export_button,
        ):
            row.addWidget(widget)
        split = QSplitter(self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([900, 300])
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.retranslate()

    # --- text ------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = self.context.language
        self.title.setText(self.tr("操作日志"))
        self.actor_label.setText(self.tr("操作人"))
        self.action_label.setText(self.tr("操作"))
        self.subject_label.setText(self.tr("对象"))
        self.actor.setPlaceholderText(self.tr("用户名"))
        self.subject.setPlaceholderText(self.tr("记录编号或账号"))
        self.use_dates.setText(self.tr("日期"))
        self.search_button.setText(self.tr("查询"))
        self.export_button.setText(self.tr("导出（CSV）…"))
        chosen = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem(self.tr("全部操作"), "")
        for code, label in ACTIONS.items():
            self.action.addItem(label.text(lang), code)
        self.action.setCurrentIndex(max(0, self.action.findData(chosen)))
        self.action.blockSignals(False)
        if self.has_loaded:
            self._show()  # (its headers too)
        else:
            self._set_headers()

    def _set_headers(self, header: Message | None = None) -> None:
        # The time column says which time it shows (Beijing time on a computer set to China's zone),
        # as the exported file does.
        if header is None:
            header = local_times([e.at for e in self.entries], seconds=False, short=True)[0]
        _headers(
            self.table,
            [
                header.text(self.context.language),
                self.tr("操作人"),
                self.tr("操作"),
                self.tr("对象"),
                self.tr("变更内容"),
            ],
        )

    # --- loading ---------------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        dates = self.use_dates.isChecked()
        return AuditFilter(
            actor=self.actor.text(),
            action=str(self.action.currentData() or ""),
            subject=self.subject.text(),
            date_from=self.date_from.date().toPython() if dates else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if dates else None,  # type: ignore[arg-type]
        )

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        given = self.current_filter()
        self.status.setText(self.tr("正在从服务器读取操作日志…"))
        self.search_button.setEnabled(False)
        self.context.tasks.submit_network(lambda store: audit_entries(store, given), self._loaded)

    def _loaded(self, result: Any, error: BaseException | None) -> None:
        self.search_button.setEnabled(True)
        self.has_loaded = True
        if error is not None:
            log.info("audit trail not read: %s", error)
            self.status.setText(error_text(error))
            return
        self.total, self.entries = result
        self._show()

    def _show(self) -> None:
        if not self.has_loaded:
            return
        lang = self.context.language
        shown = len(self.entries)
        text = self.tr("共 {0} 条，按时间从新到旧排列。").format(f"{self.total:,}")
        if shown < self.total <= MAX_EXPORT:
            text += self.tr("显示最新的 {0} 条；导出包含全部。").format(f"{shown:,}")
        elif shown < self.total:
            text += self.tr(
                "显示最新的 {0} 条；导出一次最多包含最新的 {1} 条，请缩小日期范围分批导出。"
            ).format(f"{shown:,}", f"{MAX_EXPORT:,}")
        self.status.setText(text if self.total else self.tr("没有符合条件的操作记录。"))
        header, times = local_times([e.at for e in self.entries], seconds=False, short=True)
        self._set_headers(header)
        _fill(
            self.table,
            [
                [
                    when,
                    e.actor_text(lang),
                    e.action_label().text(lang),
                    e.subject_text(lang),
                    e.change_text(lang=lang),
                ]
                for e, when in zip(self.entries, times, strict=True)
            ],
            [e.id for e in self.entries],
        )
        self._show_detail()

    def _show_detail(self) -> None:
        key = _selected_key(self.table)
        entry = next((e for e in self.entries if e.id == key), None)
        if entry is None:
            self.detail.setPlainText("")
            return
        lang = self.context.language
        role = role_name(entry.actor_role, lang)
        actor = entry.actor_text(lang)
        who = f"{actor} ({role})" if lang == "en" else f"{actor}（{role}）"
        # The time as the table and the file show it (with its offset when the offsets differ).
        when = local_times([e.at for e in self.entries])[1][self.entries.index(entry)]
        lines = [
            "  ".join([when, who, entry.action_label().text(lang)]),
            " ".join(part for part in (entry.subject_text(lang, whole=True), entry.county) if part),
            "",
            *entry.change_text(limit=4000, lang=lang).split("；"),
            "",
            self.tr("之前："),
            shown_fields(entry.before, lang) or self.tr("（无）"),
            "",
            self.tr("之后："),
            shown_fields(entry.after, lang) or self.tr("（无）"),
        ]
        self.detail.setPlainText("\n".join(lines))

    # --- export ----------------------------------------------------------------------------------

    def export(self, out: Path | None = None) -> None:
        if out is None:
            suggested = Path(folders.start("audit_export")) / "操作日志.csv"
            out = ask_save_path(self, self.tr("导出操作日志"), suggested, "CSV (*.csv)", ".csv")
            if out is None:
                return
            folders.remember("audit_export", out)
        given = self.current_filter()
        target = out
        lang = self.context.language
        self.status.setText(self.tr("正在导出…"))
        self.context.tasks.submit_network(
            lambda store: export_audit(store, given, target, lang).value,
            lambda done, e: self._exported(target, done, e),
        )

    def _exported(self, out: Path, done: Any, error: BaseException | None) -> None:
        if error is not None:
            self.status.setText(error_text(error))
            return
        assert isinstance(done, AuditExport)
        text = self.tr("已导出 {0} 条到 {1}").format(f"{done.rows:,}", out)
        if done.rows < done.matched:
            text += self.tr(
                "（符合条件的共 {0} 条，一次最多导出最新的 {1} 条；请缩小日期范围分批导出其余的。）"
            ).format(f"{done.matched:,}", f"{done.rows:,}")
        self.status.setText(text)
