"""The visit editor as a keyboard user meets it: Enter, times typed as digits, the calendar's
future days, and validation messages that go as soon as their field is corrected."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QEvent, Qt, QTime
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QToolTip

from commissioner_app.domain import Commissioner
from tests.ui.editor_support import EditorContext, add_target, close_windows, save_and_wait
from ui.editors import open_visit_editor
from ui.editors.target_dialog import TargetDialog


@pytest.fixture
def context(store):
    store.save_profile(Commissioner(name="李明", sending_unit="五邑大学", phone="13912345678"))
    return EditorContext(store)


@pytest.fixture(autouse=True)
def _close_windows():
    yield
    close_windows()


def open_dialogs() -> list:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, TargetDialog)]


def test_enter_in_any_line_edit_opens_no_other_dialog(qtbot, context, store):
    add_target(store)
    editor = open_visit_editor(None, context, None)
    entered = []
    for tab in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(tab)
        if tab == 2:
            editor.add_new_problem()
        edits = [e for e in editor.findChildren(QLineEdit) if e.isVisible() and e is not editor.target.search]
        for edit in edits:
            edit.setFocus()
            edit.setText(edit.text() or "陈")
            qtbot.keyClick(edit, Qt.Key.Key_Return)
            QApplication.processEvents()
            assert editor._target_dialog is None, edit.objectName() or type(edit.parent()).__name__
            assert not open_dialogs()
            assert editor.isVisible()
            entered.append(edit)
    assert len(entered) >= 7


def test_enter_in_the_target_search_picks_the_first_match(qtbot, context, store):
    target = add_target(store)
    add_target(store, name="江门市蓬江区某柑橘种植场", county="蓬江区", town="杜阮镇", village="")
    editor = open_visit_editor(None, context, None)
    editor.target.search.setFocus()
    editor.target.search.setText("双水")  # as typed (QTest cannot type Chinese)
    qtbot.keyClick(editor.target.search, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert editor.target.target_id() == target.id
    assert editor._target_dialog is None and not open_dialogs()


@pytest.mark.parametrize(
    "typed, expected",
    [("1630", QTime(16, 30)), ("16:30", QTime(16, 30)), ("905", QTime(9, 5)), ("9:05", QTime(9, 5))],
)
def test_times_typed_as_digits_or_with_a_colon(qtbot, context, typed, expected):
    editor = open_visit_editor(None, context, None)
    field = editor.end_time
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert field.time() == expected
    visit, _children = editor.collect()
    assert visit.end_time == expected.toString("HH:mm")


@pytest.mark.parametrize("typed", ["2025-03-17", "2025/3/17", "20250317", "2025-3-17"])
@pytest.mark.parametrize("start", ["tab", "click", "all"])
def test_a_visit_date_typed_whole_is_the_date_typed(qtbot, context, typed, start):
    """Typed after Tab (the year selected), after a click at the start, or over the whole field:
    2025-03-17 became 2025-12-03 (the editor moved to the month by itself after the year, and the
    typed "-" then skipped the month), 2026-03-17 (the year not replaced), or nothing at all."""
    editor = open_visit_editor(None, context, None)
    field = editor.visit_date
    field.setDate(QDate(2026, 12, 5))
    field.setFocus()
    line = field.lineEdit()
    if start == "tab":
        field.setSelectedSection(field.Section.YearSection)
    elif start == "click":
        line.deselect()
        line.setCursorPosition(0)
    else:
        line.selectAll()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert field.date() == QDate(2025, 3, 17)
    visit, _children = editor.collect()
    assert visit.visit_date == date(2025, 3, 17)


def cell_of(view: QTableView, day: date):
    """The calendar cell showing `day` of the month on show (the first or last cell with its number)."""
    model = view.model()
    cells = [
        model.index(r, c)
        for r in range(1, model.rowCount())
        for c in range(model.columnCount())
        if str(model.data(model.index(r, c))) == str(day.day)
    ]
    return cells[0] if day.day <= 15 else cells[-1]


def test_future_days_are_greyed_with_the_reason_and_refused_aloud(qtbot, context, monkeypatch):
    editor = open_visit_editor(None, context, None)
    calendar = editor.visit_date.calendarWidget()
    tomorrow = date.today() + timedelta(days=1)
    fmt = calendar.dateTextFormat(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert fmt.foreground().color().lightness() > 150  # grey, unlike the days one may pick
    assert calendar.dateTextFormat(QDate.currentDate()).foreground().color() != fmt.foreground().color()

    calendar.setCurrentPage(tomorrow.year, tomorrow.month)
    calendar.show()
    view = calendar.findChild(QTableView)
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda _pos, text, *a, **k: shown.append(text)))
    for day in (tomorrow, date.today()):
        shown.clear()
        centre = view.visualRect(cell_of(view, day)).center()
        event = QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre))
        QApplication.sendEvent(view.viewport(), event)
        if day > date.today():
            assert shown and "将来" in shown[-1]
        else:
            assert not any("将来" in t for t in shown)

    # Typed or picked, a future day is refused aloud, beside the field; today clears it.
    editor.visit_date.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    box = editor.boxes["visit_date"]
    assert box.has_issue() and "将来" in box.error.text()
    assert not save_and_wait(editor)
    editor.visit_date.setDate(QDate.currentDate())
    assert not box.has_issue()


def test_a_validation_message_goes_when_its_field_is_fixed(qtbot, context, store):
    target = add_target(store)
    editor = open_visit_editor(None, context, None)
    editor.target.set_target(target.id)
    editor.service_type_boxes["guidance"].setChecked(True)
    editor.content.setPlainText("短")
    assert not save_and_wait(editor)
    box = editor.boxes["content"]
    assert box.has_issue() and "有 1 处需要修改" in editor.summary.text()
    assert editor.tabs.tabBar().tabTextColor(0) == Qt.GlobalColor.red
    editor.content.setPlainText("到合作社指导柑树修剪和陈皮晾晒。")
    assert not box.has_issue()
    assert editor.summary.isHidden()
    assert editor.tabs.tabBar().tabTextColor(0) != Qt.GlobalColor.red


def test_after_a_refused_save_the_message_is_in_sight_on_a_small_screen(qtbot, context, store):
    """On a field laptop at 150 % the content box fills the page: its message, under it, was out of
    sight after a refused save, and the user had to scroll to learn what was wrong."""
    target = add_target(store)
    editor = open_visit_editor(None, context, None)
    editor.resize(900, 430)  # a 1366×768 screen at 150 %, less the title bar and taskbar
    editor.show()
    editor.target.set_target(target.id)
    editor.service_type_boxes["guidance"].setChecked(True)
    editor.content.setPlainText("短")
    assert not save_and_wait(editor)
    QApplication.processEvents()
    error = editor.boxes["content"].error
    assert error.isVisible() and "5" in error.text()  # 请填写服务内容（至少5个字）
    assert not error.visibleRegion().isEmpty(), "the message is scrolled out of sight"


def test_credit_code_error_goes_when_the_code_is_corrected(qtbot, context):
    dialog = TargetDialog(None, context, None)
    qtbot.addWidget(dialog)
    dialog.name.setText("新会区某陈皮有限公司")
    dialog.credit_code.setText("914403001922038217")
    dialog.save()
    assert context.tasks.wait_idle(10000)
    assert dialog.boxes["credit_code"].has_issue()
    dialog.credit_code.setText("914403001922038216")
    assert not dialog.boxes["credit_code"].has_issue()
    assert "校验通过" in dialog.credit_status.text()


def test_a_ten_digit_mobile_number_is_refused_in_the_target_dialog(qtbot, context):
    dialog = TargetDialog(None, context, None)
    qtbot.addWidget(dialog)
    dialog.name.setText("双水村")
    dialog.type.setCurrentIndex(dialog.type.findData("village"))
    dialog.contact_phone.setText("1381234567")
    dialog.save()
    assert context.tasks.wait_idle(10000)
    assert "11" in dialog.boxes["contact_phone"].error.text()


def test_escape_in_the_target_dialog_asks_before_throwing_away_what_was_typed(qtbot, context, monkeypatch):
    """A cold try: Esc, pressed to close a drop-down that had closed already, threw away a typed
    name, region and contact without a word."""
    asked: list[bool] = []
    untouched = TargetDialog(None, context, None)
    qtbot.addWidget(untouched)
    monkeypatch.setattr(untouched, "ask_discard", lambda: asked.append(True) or True)
    untouched.show()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and asked == []  # nothing typed: nothing to ask

    dialog = TargetDialog(None, context, None)
    qtbot.addWidget(dialog)
    answers = [False, True]
    monkeypatch.setattr(dialog, "ask_discard", lambda: asked.append(True) or answers.pop(0))
    dialog.show()
    dialog.name.setText("双水镇桥美村")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.name.text() == "双水镇桥美村"  # 继续编辑
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and len(asked) == 2  # 放弃
