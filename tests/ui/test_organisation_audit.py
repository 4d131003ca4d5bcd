"""The bureau's acts in 组织与账号 reach its 操作日志, through the real server on loopback: a roster
import and a password reset are listed under their Chinese names, the action filter narrows the list
to one of them, and the CSV export holds the import but none of the one-time codes handed out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.sync.roster_data import make_roster
from tests.ui.sync_gui_support import Server, bureau_context, gui_server, wait_until
from ui.main_window import MainWindow
from ui.views.audit import AuditView
from ui.views.organisation import OrganisationView

__all__ = ["gui_server"]

CODE = re.compile(r"\b[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}\b")


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sync.credentials.keyring_available", lambda: False)


def column(view: AuditView, index: int) -> list[str]:
    model = view.table.model()
    return [model.index(r, index).data() for r in range(model.rowCount())]


def test_the_roster_import_and_a_password_reset_are_on_the_audit_screen(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _controller = bureau_context(gui_server, tmp_path / "bureau", "shiju")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    org = window.show_view("organisation")
    assert isinstance(org, OrganisationView)
    wait_until(lambda: org.accounts_table.rowCount() == 1, what="the accounts")

    # A small roster, imported from the 名册导入 tab; the slips hold one one-time code per person.
    org.tabs.setCurrentIndex(2)
    roster = tmp_path / "名册.xlsx"
    make_roster(roster, 6, bad=0)
    org.set_roster(roster)
    slips = tmp_path / "slips"
    slips.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(slips))
    org.import_button.click()
    wait_until(lambda: "已创建" in org.roster_summary.text(), timeout=60, what="the import")
    sheet = load_workbook(slips / "账号通知.xlsx", read_only=True)
    codes = {
        match
        for ws in sheet.worksheets
        for row in ws.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
        for match in CODE.findall(cell)
    }
    sheet.close()
    assert len(codes) == 6
    wait_until(lambda: org.accounts_table.rowCount() == 7, what="the new accounts")

    # A password reset from the accounts tab: its code is shown once, then kept nowhere.
    org.tabs.setCurrentIndex(0)
    row = next(r for r in range(7) if org.accounts_table.item(r, 0).text() != "shiju")
    username = org.accounts_table.item(row, 0).text()
    org.accounts_table.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    org.code_box = None
    org.reset_button.click()
    wait_until(lambda: org.code_box is not None, what="the one-time code")
    reset_codes = CODE.findall(org.code_box.text())
    assert len(reset_codes) == 1
    codes |= set(reset_codes)
    org.code_box.close()

    # 操作日志: refreshed, it lists both acts under their Chinese names, the newest first.
    audit = window.show_view("audit")
    assert isinstance(audit, AuditView)
    audit.search_button.click()
    wait_until(lambda: audit.has_loaded and len(audit.entries) >= 2, what="the audit trail")
    actions = [e.action for e in audit.entries]
    assert actions[:2] == ["account.reset_password", "roster.import"]
    assert column(audit, 1)[:2] == ["shiju", "shiju"]
    assert column(audit, 2)[:2] == ["重置密码", "导入名册"]
    assert column(audit, 3)[0] == f"users/{username}" or username in column(audit, 3)[0]
    assert column(audit, 4)[0] == "已生成新的一次性密码（密码不记入日志）"
    assert column(audit, 4)[1].startswith("6 个账号：")
    imported = audit.entries[1]
    listed = [org.accounts_table.item(r, 0).text() for r in range(7)]
    assert sorted(a["username"] for a in imported.after["accounts"]) == sorted(set(listed) - {"shiju"})
    # Every action in the filter has its Chinese name; none shows its code.
    names = [audit.action.itemText(i) for i in range(audit.action.count())]
    assert {"导入名册", "重置密码", "新建账号", "停用账号", "启用账号", "修改账号"} <= set(names)
    assert {"保存科技特派团", "保存工作站"} <= set(names)
    assert not any(re.fullmatch(r"[a-z_.]+", n) for n in names)
    # The detail pane: the import's accounts, and no code.
    audit.table.selectRow(1)
    detail = audit.detail.toPlainText()
    assert "导入名册" in detail and imported.after["accounts"][0]["username"] in detail
    assert not any(code in detail for code in codes)

    # Filtered by action: the import alone.
    audit.action.setCurrentIndex(audit.action.findData("roster.import"))
    audit.search_button.click()
    wait_until(lambda: [e.action for e in audit.entries] == ["roster.import"], what="the filtered trail")
    assert column(audit, 2) == ["导入名册"] and "共 1 条" in audit.status.text()

    # Exported: the import is in the CSV, no one-time code is.
    out = tmp_path / "操作日志.csv"
    audit.export(out)
    wait_until(lambda: out.exists() and "已导出" in audit.status.text(), what="the export")
    text = out.read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "导入名册" in lines[1] and "shiju" in lines[1]
    assert imported.after["accounts"][0]["username"] in text
    assert not any(code in text for code in codes)
    assert "one_time_code" not in text
    # The screen and the file show the same time, under the same header (the computer's own time,
    # named: Beijing time on a computer set to China's zone).
    import csv

    header, row = list(csv.reader(lines))
    model = audit.table.model()
    # (The screen's header leaves out "本机时间，" before an offset, for the column's width.)
    assert model.headerData(0, Qt.Orientation.Horizontal) == header[0].replace("本机时间，", "")
    assert row[0].startswith(column(audit, 0)[0]) and len(column(audit, 0)[0]) == len("2026-05-01 09:02")
    audit.table.selectRow(0)
    assert audit.detail.toPlainText().startswith(row[0] + "  shiju（市科技局）")
    context.tasks.wait_idle()
