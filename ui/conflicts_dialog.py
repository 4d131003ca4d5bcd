"""The conflicts view: both versions of each colliding field, and the user's choice.

A conflict means this computer and the server both changed the same field since the version the
local edit started from (sync/conflicts.py). The other side sees it too, as someone else's version
that conflicts with the one the server kept from this computer (a "remote" conflict): then the
columns read "your value (on the server)" and "their value (not accepted)", and either side's
choice closes the conflict on both at the next syncs. Nothing was overwritten: the record keeps the local
value and waits. Here the user sees, for each record, every colliding field with the value on this
computer and the value on the server (and what it was before both edits), picks one per field, and
applies: the record then goes back to the queue and the next sync sends it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.store import Store
from sync.conflicts import list_conflicts
from sync.ops import resolve_conflicts
from ui import screen_fit
from ui.context import AppContext
from ui.plain_text import plain_label, plain_tooltip
from ui.sync_display import conflict_records, field_label, readable_value, record_caption, table_label
from ui.tasks import Operation

log = logging.getLogger("commissioner.ui.conflicts")

COL_FIELD, COL_LOCAL, COL_SERVER, COL_BASE, COL_CHOICE = range(5)
LOCAL_STYLE = "QRadioButton { color: #1d4ed8; }"


def load_conflicts(store: Store, language: str) -> list[dict[str, Any]]:
    """Every record with open conflicts, each with its fields' readable values (runs on the worker)."""
    records = []
    for table, record_id, _count in conflict_records(store):
        row = store.row(table, record_id)
        by_origin: dict[bool, list[dict[str, Any]]] = {}
        others: dict[bool, str] = {}
        for c in list_conflicts(store, record_id=record_id):
            if c.table != table:
                continue
            by_origin.setdefault(c.remote, []).append(
                {
                    "id": c.id,
                    "field": c.field,
                    "label": field_label(table, c.field, language),
                    "local": readable_value(store, table, c.field, c.local, language),
                    "server": readable_value(store, table, c.field, c.server, language),
                    "base": readable_value(store, table, c.field, c.base, language),
                }
            )
            others[c.remote] = c.other_by
        # This computer's own conflicts first, then someone else's version against this one's.
        for remote in sorted(by_origin):
            records.append(
                {
                    "table": table,
                    "id": record_id,
                    "kind": table_label(table, language),
                    "caption": record_caption(store, table, row, language),
                    "short": record_caption(store, table, row, language, short=True),
                    "fields": by_origin[remote],
                    "remote": remote,
                    "other_by": others[remote],
                }
            )
    return records


class ConflictsDialog(QDialog):
    """Lists the records in conflict; for the selected one, each field's two versions and a choice."""

    resolved = Signal(str, str)  # table, record id: its conflicts are settled and it is queued again

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, record_id: str | None = None):
        super().__init__(parent)
        self.context = context
        self.wanted = record_id
        self.records: list[dict[str, Any]] = []
        self.groups: list[QButtonGroup] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.record_list = QListWidget(self)
        self.record_list.setMinimumWidth(260)
        self.record_list.setWordWrap(True)
        self.record_list.setSpacing(2)
        self.record_list.currentRowChanged.connect(self._show_record)
        self.record_title = plain_label(QLabel(self))
        self.record_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.record_title.setWordWrap(True)
        self.record_note = plain_label(
            QLabel(self)
        )  # for someone else's version: whose, and what the columns hold
        self.record_note.setWordWrap(True)
        self.record_note.setStyleSheet(
            "background: #fff4ce; color: #5c4400; padding: 6px; border-radius: 4px;"
        )
        self.record_note.setVisible(False)
        self.table = QTableWidget(0, 5, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_FIELD, QHeaderView.ResizeMode.ResizeToContents)
        for column in (COL_LOCAL, COL_SERVER, COL_BASE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_CHOICE, QHeaderView.ResizeMode.ResizeToContents)
        self.all_local = QPushButton(self)
        self.all_local.clicked.connect(lambda: self.choose_all("local"))
        self.all_server = QPushButton(self)
        self.all_server.clicked.connect(lambda: self.choose_all("server"))
        self.apply_button = QPushButton(self)
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.accept)
        self.empty = QLabel(self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.record_title)
        right_layout.addWidget(self.record_note)
        right_layout.addWidget(self.table, 1)
        choose = QHBoxLayout()
        choose.addWidget(self.all_local)
        choose.addWidget(self.all_server)
        choose.addStretch(1)
        choose.addWidget(self.apply_button)
        right_layout.addLayout(choose)
        splitter = QSplitter(self)
        splitter.addWidget(self.record_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 820])
        bottom = QHBoxLayout()
        bottom.addWidget(self.empty, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        screen_fit.fit_dialog(self, (1180, 640))
        self.retranslate()
        self.load()

    # --- language --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("处理同步冲突"))
        self.intro.setText(
            self.tr(
                "下面的记录在本机和服务器上都被修改过，而且改的是同一处，系统没有替您决定，两边的内容都保留着。"
                "请逐项选择保留哪一个版本，然后点“应用选择”；记录随后回到待同步队列，下次同步时发送。"
            )
            + "\n"
            + self.tr(
                "标有“他人的版本”的记录：服务器保留的是您的版本，另一方的修改与之冲突、尚未被接受。"
                "任何一方处理即可，同步后另一方的冲突也随之关闭。"
            )
        )
        self._label_columns()
        self.apply_button.setText(self.tr("应用选择"))
        self.close_button.setText(self.tr("关闭"))
        self._update_state()

    def _label_columns(self) -> None:
        """Column and choice names: this computer's and the server's, or yours and theirs (remote)."""
        record = self.current_record()
        remote = bool(record and record.get("remote"))
        if remote:
            headers = [
                self.tr("字段"),
                self.tr("您的值（服务器上）"),
                self.tr("对方的值（未被接受）"),
                self.tr("修改前"),
                self.tr("保留"),
            ]
            mine, theirs = self.tr("我的"), self.tr("对方的")
            self.all_local.setText(self.tr("全部保留我的"))
            self.all_server.setText(self.tr("全部采用对方的"))
            other = record.get("other_by") if record else ""
            self.record_note.setText(
                self.tr(
                    "他人的版本与您的冲突：{0}（或您在另一台电脑上）改了同一处，服务器保留的是您的版本。"
                    "请决定保留哪一个；同步后对方也会看到结果。"
                ).format(other or self.tr("另一方"))
            )
        else:
            headers = [
                self.tr("字段"),
                self.tr("本机的值"),
                self.tr("服务器上的值"),
                self.tr("修改前"),
                self.tr("保留"),
            ]
            mine, theirs = self.tr("本机"), self.tr("服务器")
            self.all_local.setText(self.tr("全部保留本机"))
            self.all_server.setText(self.tr("全部采用服务器"))
        self.record_note.setVisible(remote)
        self.table.setHorizontalHeaderLabels(headers)
        for group in self.groups:
            group.button(0).setText(mine)
            group.button(1).setText(theirs)

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.records:
                self.load()  # the values (service types, dates) are shown in the language too
        super().changeEvent(event)

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        language = self.context.language
        Operation(self, lambda store: load_conflicts(store, language), self._loaded).with_progress(
            self.tr("正在读取冲突…")
        ).run_in_background()

    def _loaded(self, records: list[dict[str, Any]]) -> None:
        current = self.current_record()
        keep = (current["table"], current["id"], current.get("remote")) if current else None
        self.records = records
        self.record_list.blockSignals(True)
        self.record_list.clear()
        select = 0
        for i, record in enumerate(records):
            text = (
                self.tr("{0}：{1}\n他人的版本，{2} 处冲突")
                if record.get("remote")
                else self.tr("{0}：{1}\n{2} 处冲突")
            )
            item = QListWidgetItem(text.format(record["kind"], record["short"], len(record["fields"])))
            item.setToolTip(plain_tooltip(record["caption"]))
            self.record_list.addItem(item)
            if keep == (record["table"], record["id"], record.get("remote")) or record["id"] == self.wanted:
                select = i
        self.record_list.blockSignals(False)
        if records:
            self.record_list.setCurrentRow(select)
            self._show_record(select)
        else:
            self._show_record(-1)
        self._update_state()

    def current_record(self) -> dict[str, Any] | None:
        row = self.record_list.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def _show_record(self, row: int) -> None:
        self.groups = []
        self.table.setRowCount(0)
        record = self.records[row] if 0 <= row < len(self.records) else None
        if record is None:
            self.record_title.setText("")
            self._label_columns()
            self._update_state()
            return
        self.record_title.setText(self.tr("{0}：{1}").format(record["kind"], record["caption"]))
        self.table.setRowCount(len(record["fields"]))
        for r, field in enumerate(record["fields"]):
            for column, key in (
                (COL_FIELD, "label"),
                (COL_LOCAL, "local"),
                (COL_SERVER, "server"),
                (COL_BASE, "base"),
            ):
                item = QTableWidgetItem(field[key])
                item.setToolTip(plain_tooltip(field[key]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(r, column, item)
            cell = QWidget(self.table)
            box = QHBoxLayout(cell)
            box.setContentsMargins(6, 2, 6, 2)
            group = QButtonGroup(cell)
            for code, text in ((0, self.tr("本机")), (1, self.tr("服务器"))):
                button = QRadioButton(text, cell)
                group.addButton(button, code)
                box.addWidget(button)
            group.idToggled.connect(lambda _id, _on: self._update_state())
            self.groups.append(group)
            self.table.setCellWidget(r, COL_CHOICE, cell)
        self._label_columns()
        self.table.resizeRowsToContents()
        self._update_state()

    # --- choosing --------------------------------------------------------------------------------

    def choose(self, field_row: int, keep: str) -> None:
        self.groups[field_row].button(0 if keep == "local" else 1).setChecked(True)

    def choose_all(self, keep: str) -> None:
        for row in range(len(self.groups)):
            self.choose(row, keep)

    def choices(self) -> dict[int, str]:
        record = self.current_record()
        if record is None:
            return {}
        chosen = {}
        for field, group in zip(record["fields"], self.groups, strict=True):
            if group.checkedId() == 0:
                chosen[field["id"]] = "local"
            elif group.checkedId() == 1:
                chosen[field["id"]] = "server"
        return chosen

    def _update_state(self) -> None:
        record = self.current_record()
        complete = record is not None and len(self.choices()) == len(record["fields"])
        self.apply_button.setEnabled(complete)
        self.all_local.setEnabled(record is not None)
        self.all_server.setEnabled(record is not None)
        if not self.records:
            self.empty.setText(self.tr("没有需要处理的冲突。"))
        elif record is not None and not complete:
            self.empty.setText(
                self.tr("请为每一项选择“我的”或“对方的”。")
                if record.get("remote")
                else self.tr("请为每一项选择“本机”或“服务器”。")
            )
        else:
            self.empty.setText("")

    def apply(self) -> None:
        record = self.current_record()
        choices = self.choices()
        if record is None or len(choices) != len(record["fields"]):
            return
        self.apply_button.setEnabled(False)
        table, record_id = record["table"], record["id"]

        def done(_result: object) -> None:
            self.resolved.emit(table, record_id)
            self.load()

        def failed(error: BaseException) -> None:
            from ui.tasks import show_error

            show_error(self, error)
            self.load()

        Operation(self, lambda store: resolve_conflicts(store, table, choices), done).failure(
            failed
        ).with_progress(self.tr("正在保存选择…")).run_in_background()


def open_conflicts(parent: QWidget, context: AppContext, record_id: str | None = None) -> ConflictsDialog:
    dialog = ConflictsDialog(context, parent, record_id=record_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
