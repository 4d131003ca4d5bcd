"""Buttons that save PDFs do so when clicked (Qt passes `checked` to a slot that takes an argument)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.manager_support import manager_context, team_data, wait  # noqa: F401
from ui.views.pdf_preview import PdfPreviewDialog
from ui.views.team import TeamView


def answer_save_dialog(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(parent, caption="", directory="", filter="", *args, **kwargs):  # noqa: A002 - Qt's name
        asked.append(directory)
        return str(path), filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def test_preview_save_button_asks_where_and_writes_the_pdf(qtbot, monkeypatch, tmp_path):
    dialog = PdfPreviewDialog(b"%PDF-1.4 test", [], "服务记录单.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "sheet"
    asked = answer_save_dialog(monkeypatch, out)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["服务记录单.pdf"]
    assert (tmp_path / "sheet.pdf").read_bytes() == b"%PDF-1.4 test"
    assert not dialog.isVisible()


def test_team_summary_button_saves_the_pdf(manager_context, team_data, qtbot, monkeypatch, tmp_path):  # noqa: F811
    view = TeamView(manager_context)
    qtbot.addWidget(view)
    view.show()
    view.load()
    wait(manager_context)
    out = tmp_path / "汇总.pdf"
    answer_save_dialog(monkeypatch, out)
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    wait(manager_context)
    qtbot.waitUntil(lambda: "团队汇总已保存" in view.message.text(), timeout=30000)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
