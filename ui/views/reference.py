"""基础数据: the bureau edits the towns of a county, the industries, and the year's assessment rules
(TOML, validated with commissioner_app.assessment_rules.parse_rules; a bad file is refused with the
parser's Chinese message and never replaces good rules).

Edits are saved locally (reference data with source "bureau"; rules in the assessment_rules table)
and marked edited in meta; the next sync publishes them (sync/bureau_push.py). Records keep the
names they were saved with, so old records keep their values whatever the lists become."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.ops.reference import rules_text, save_industries, save_rules, save_towns
from commissioner_app.reference import reference
from ui.context import AppContext
from ui.tasks import Operation, error_text
from ui.views.common import heading

log = logging.getLogger("commissioner.ui.reference")


def _codes_unique(rows: list[tuple[str, str, str]]) -> bool:
    codes = [r[0] for r in rows]
    return len(codes) == len(set(codes))


class ItemsEditor(QWidget):
    """An editable list of (code, Chinese name, English name) with add and remove."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.add_button.clicked.connect(lambda: self.add_row("", "", ""))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(*row)

    def add_row(self, code: str, zh: str, en: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((code, zh, en)):
            self.table.setItem(row, column, QTableWidgetItem(value))

    def remove_selected(self) -> None:
        for index in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(index)

    def rows(self) -> list[tuple[str, str, str]]:
        result = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, c) for c in range(3)]
            values = [item.text().strip() if item is not None else "" for item in items]
            if any(values):
                result.append((values[0], values[1], values[2]))
        return result


class ReferenceView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.has_loaded = False
        self.title = heading("", self)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.tabs = QTabWidget(self)

        towns_page = QWidget(self)
        self.county_label = QLabel(self)
        self.county = QComboBox(self)
        self.towns = ItemsEditor(self)
        self.towns_save = QPushButton(self)
        self.towns_save.setObjectName("primary")
        self.towns_save.clicked.connect(self.save_towns)
        row = QHBoxLayout()
        row.addWidget(self.county_label)
        row.addWidget(self.county)
        row.addStretch(1)
        row.addWidget(self.towns_save)
        towns_layout = QVBoxLayout(towns_page)
        towns_layout.addLayout(row)
        towns_layout.addWidget(self.towns, 1)
        self.county.currentIndexChanged.connect(lambda _i: self._show_towns())

        industries_page = QWidget(self)
        self.industries = ItemsEditor(self)
        self.industries_save = QPushButton(self)
        self.industries_save.setObjectName("primary")
        self.industries_save.clicked.connect(self.save_industries)
        industries_layout = QVBoxLayout(industries_page)
        head = QHBoxLayout()
        head.addStretch(1)
        head.addWidget(self.industries_save)
        industries_layout.addLayout(head)
        industries_layout.addWidget(self.industries, 1)

        rules_page = QWidget(self)
        self.year_label = QLabel(self)
        self.year = QComboBox(self)
        this_year = date.today().year
        for y in range(this_year + 1, this_year - 4, -1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(1)
        self.rules_edit = QPlainTextEdit(self)
        self.rules_edit.setFont(QFont("monospace"))
        self.rules_save = QPushButton(self)
        self.rules_save.setObjectName("primary")
        self.rules_save.clicked.connect(self.save_rules)
        rules_head = QHBoxLayout()
        rules_head.addWidget(self.year_label)
        rules_head.addWidget(self.year)
        rules_head.addStretch(1)
        rules_head.addWidget(self.rules_save)
        rules_layout = QVBoxLayout(rules_page)
        rules_layout.addLayout(rules_head)
        rules_layout.addWidget(self.rules_edit, 1)
        self.year.currentIndexChanged.connect(lambda _i: self._load_rules())

        self.tabs.addTab(towns_page, "")
        self.tabs.addTab(industries_page, "")
        self.tabs.addTab(rules_page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("基础数据"))
        self.hint.setText(self.tr("修改镇街、产业和年度考核细则。已有记录保留填写时的名称，不受修改影响。"))
        self.tabs.setTabText(0, self.tr("区县与镇街"))
        self.tabs.setTabText(1, self.tr("产业"))
        self.tabs.setTabText(2, self.tr("考核细则"))
        self.county_label.setText(self.tr("区县"))
        self.year_label.setText(self.tr("年度"))
        for editor in (self.towns, self.industries):
            editor.table.setHorizontalHeaderLabels(
                [self.tr("代码"), self.tr("中文名称"), self.tr("英文名称")]
            )
            editor.add_button.setText(self.tr("添加一行"))
            editor.remove_button.setText(self.tr("删除所选"))
        self.towns_save.setText(self.tr("保存镇街"))
        self.industries_save.setText(self.tr("保存产业"))
        self.rules_save.setText(self.tr("检查并保存考核细则"))
        self._fill_counties()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.has_loaded = True
            self._fill_counties()
            self._show_towns()
            self._show_industries()
            self._load_rules()

    def _fill_counties(self) -> None:
        current = self.county.currentData()
        self.county.blockSignals(True)
        self.county.clear()
        for item in reference(self.context.reader, "county"):
            self.county.addItem(item.name(self.context.language), item.code)
        self.county.setCurrentIndex(max(self.county.findData(current), 0) if current else 0)
        self.county.blockSignals(False)

    def _show_towns(self) -> None:
        code = self.county.currentData() or ""
        self.towns.set_rows(
            [(t.code, t.name_zh, t.name_en) for t in reference(self.context.reader, "town", code)]
        )

    def _show_industries(self) -> None:
        self.industries.set_rows(
            [(t.code, t.name_zh, t.name_en) for t in reference(self.context.reader, "industry")]
        )

    def _load_rules(self) -> None:
        year = int(self.year.currentData())
        Operation(self, lambda store: rules_text(store, year), self._show_rules).run_in_background()

    def _show_rules(self, text: str) -> None:
        self.rules_edit.setPlainText(text)
        self.rules_edit.moveCursor(QTextCursor.MoveOperation.Start)

    # --- saving ----------------------------------------------------------------------------------

    def _check(self, rows: list[tuple[str, str, str]]) -> bool:
        if any(not code or not zh for code, zh, _en in rows):
            self._say(self.tr("每一行都须填写代码和中文名称。"), error=True)
            return False
        if not _codes_unique(rows):
            self._say(self.tr("代码不能重复。"), error=True)
            return False
        return True

    def save_towns(self) -> None:
        code = self.county.currentData() or ""
        rows = self.towns.rows()
        if not code or not self._check(rows):
            return
        county = self.county.currentText()
        Operation(
            self,
            lambda store: save_towns(store, code, rows),
            lambda _r: self._saved(self.tr("已保存{0}的 {1} 个镇街。").format(county, len(rows))),
        ).failure(lambda e: self._say(error_text(e), error=True)).run_in_background()

    def save_industries(self) -> None:
        rows = self.industries.rows()
        if not self._check(rows):
            return
        Operation(
            self,
            lambda store: save_industries(store, rows),
            lambda _r: self._saved(self.tr("已保存 {0} 个产业。").format(len(rows))),
        ).failure(lambda e: self._say(error_text(e), error=True)).run_in_background()

    def save_rules(self) -> None:
        year = int(self.year.currentData())
        text = self.rules_edit.toPlainText()
        Operation(
            self,
            lambda store: save_rules(store, year, text),
            lambda _r: self._saved(self.tr("已保存{0}年度考核细则。").format(year)),
        ).failure(
            lambda e: self._say(self.tr("考核细则有误，未保存：{0}").format(error_text(e)), error=True)
        ).run_in_background()

    def _saved(self, text: str) -> None:
        self._say(text)  # the executor announces what changed; the views refresh themselves

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setText(text)
