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

    def fake(parent, caption="", directory="", filter="", *args, **kwargs):
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


# --- printing a visit's sheet from where the visit is ------------------------------------------------


def pdf_text(data: bytes, tmp_path: Path) -> str:
    import subprocess

    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def shown_sheet(qtbot, owner) -> PdfPreviewDialog:
    qtbot.waitUntil(lambda: getattr(owner, "sheet_preview", None) is not None, timeout=30000)
    dialog = owner.sheet_preview
    assert isinstance(dialog, PdfPreviewDialog) and dialog.isVisible()
    return dialog


def test_print_from_the_visit_editor(manager_context, team_data, qtbot, tmp_path):  # noqa: F811
    from ui.editors import open_visit_editor

    visit = team_data.visits["wang_new"]
    editor = open_visit_editor(None, manager_context, visit.id)
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)
    dialog = shown_sheet(qtbot, editor)
    assert "指导陈皮晾晒" in pdf_text(dialog.pdf, tmp_path)
    dialog.close()
    # Unsaved changes are not what the sheet would show: save first.
    editor.content.setPlainText("指导陈皮晾晒，讲解霉变防控；另讲仓储")
    editor.sheet_preview = None
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)
    assert "请先保存" in editor.summary.text() and editor.sheet_preview is None
    editor._dirty = False
    editor.close()


def test_print_from_the_visit_lists_context_menu(manager_context, team_data, qtbot, tmp_path):  # noqa: F811
    from ui.views.visits import VisitsView

    view = VisitsView(manager_context)
    qtbot.addWidget(view)
    view.show()
    view.load()
    wait(manager_context)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    visit = team_data.visits["li"]
    row = view.model.row_of(visit.id)
    menu = view.context_menu(row)
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"打开", "打印服务记录单…", "修改历史…"}
    actions["打印服务记录单…"].trigger()
    dialog = shown_sheet(qtbot, view)
    assert "木虱监测培训" in pdf_text(dialog.pdf, tmp_path)
    dialog.close()


def test_ctrl_p_prints_the_selected_visit_or_asks_with_a_searchable_picker(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
):
    from PySide6.QtGui import QKeySequence

    from ui.main_window import MainWindow

    window = MainWindow(manager_context)
    qtbot.addWidget(window)
    window.show()
    assert window.print_action.shortcut() == QKeySequence("Ctrl+P")
    assert window.print_action in window.file_menu.actions()

    # Nothing selected (the overview is shown): a picker, searchable; Enter takes the first match.
    window.print_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "visit_picker", None) is not None, timeout=10000)
    picker = window.visit_picker
    assert picker.isVisible() and picker.table.rowCount() == len(team_data.visits)
    picker.search.setText("木虱")  # as typed (QTest cannot type Chinese)
    shown = [r for r in range(picker.table.rowCount()) if not picker.table.isRowHidden(r)]
    assert len(shown) == 1 and picker.chosen() == team_data.visits["li"].id
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    dialog = shown_sheet(qtbot, window)
    assert "木虱监测培训" in pdf_text(dialog.pdf, tmp_path)
    dialog.close()

    # A visit selected in the list: its sheet at once.
    view = window.show_view("visits")
    wait(manager_context)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    view.table.selectRow(view.model.row_of(team_data.visits["zhao"].id))
    window.sheet_preview = None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = shown_sheet(qtbot, window)
    assert "春梢管理指导" in pdf_text(dialog.pdf, tmp_path)
    dialog.close()


def test_the_assessment_picker_searches(manager_context, team_data, qtbot):  # noqa: F811
    from ui.views.assessment import AssessmentView

    view = AssessmentView(manager_context)
    qtbot.addWidget(view)
    view.show()
    view.load()
    wait(manager_context)
    view.select_commissioner(team_data.members["王芳"].id)
    wait(manager_context)
    qtbot.mouseClick(view.visit_button, Qt.MouseButton.LeftButton)
    wait(manager_context)
    qtbot.waitUntil(lambda: getattr(view, "picker", None) is not None, timeout=10000)
    picker = view.picker
    assert picker.search.isVisible()
    picker.search.setText("黄龙病")
    assert picker.chosen() == team_data.visits["wang_old"].id
    picker.search.setText("没有这样的记录")
    assert picker.chosen() is None
    qtbot.mouseClick(picker.cancel_button, Qt.MouseButton.LeftButton)
    assert not picker.isVisible()


def test_enter_in_the_visit_search_picks_the_first_match(manager_context, team_data, qtbot):  # noqa: F811
    from ui.views.visits import VisitsView

    view = VisitsView(manager_context)
    qtbot.addWidget(view)
    view.show()
    view.load()
    wait(manager_context)
    qtbot.waitUntil(lambda: view.model.rowCount() > 1, timeout=10000)
    view.search_box.setFocus()
    view.search_box.setText("木虱")  # as typed (QTest cannot type Chinese); Enter before the pause
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.selected_visit_id() is not None, timeout=10000)
    assert view.model.rowCount() == 1 and view.selected_visit_id() == team_data.visits["li"].id
    # And once the search has answered, Enter picks at once.
    view.table.clearSelection()
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    assert view.selected_visit_id() == team_data.visits["li"].id
