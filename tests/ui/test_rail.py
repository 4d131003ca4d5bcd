"""The rail: one order for every role whenever the role arrived, a shortcut for every view of every
role, an English rail without a horizontal scroll bar; reference names in English on English screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from commissioner_app.ops import OpChanges
from commissioner_app.store import Store, VisitQuery
from tests.ui.manager_support import build_team, log_in_as
from ui.context import AppContext
from ui.main_window import MainWindow


def rail_keys(window: MainWindow) -> list[str]:
    return [
        window.rail.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(window.rail.count())
        if not window.rail.isRowHidden(row)
    ]


def view_shortcuts(window: MainWindow) -> dict[str, str]:
    return {a.text(): a.shortcut().toString() for a in window.view_menu.actions() if a.isVisible()}


def close(window: MainWindow, context: AppContext) -> None:
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    context.close()


def log_in(store: Store, role: str) -> None:
    me = store.profile()
    if role == "bureau":
        log_in_as(store, "bureau", None)
    else:
        log_in_as(store, role, me, me.team_id if me else None)


@pytest.mark.parametrize("role", ["manager", "bureau"])
def test_the_rail_order_after_a_login_is_the_order_after_a_restart(store, role, qapp):
    build_team(store)
    first = AppContext(store, language="zh_CN")
    window = MainWindow(first)
    log_in(store, role)
    first.operation_did_execute.emit(OpChanges.all())  # what a login announces
    after_login = rail_keys(window)
    shortcuts_after_login = view_shortcuts(window)
    close(window, first)

    again = AppContext(Store.open(store.data_dir), language="zh_CN")
    restarted = MainWindow(again)
    try:
        assert after_login == rail_keys(restarted)
        assert shortcuts_after_login == view_shortcuts(restarted)
    finally:
        close(restarted, again)


@pytest.mark.parametrize("role", ["commissioner", "manager", "bureau", "county"])
def test_every_view_of_every_role_has_a_shortcut_that_opens_it(store, role, qtbot):
    build_team(store)
    if role != "commissioner":
        log_in(store, role)
    context = AppContext(store, language="zh_CN")
    window = MainWindow(context)
    try:
        keys = rail_keys(window)
        assert {"sync", "settings"} <= set(keys)
        shortcuts = {
            action.shortcut().toString(): action
            for action in window.view_menu.actions()
            if action.isVisible()
        }
        assert len(shortcuts) == len(keys), "every shown view has a shortcut, and no two share one"
        assert "" not in shortcuts
        for sequence, action in shortcuts.items():
            action.trigger()
            opened = window.current_view_key()
            assert window.views[opened].isVisibleTo(window) or not window.isVisible()
            assert window._titles[opened]() == action.text(), f"{sequence} opens {opened}"
        # In rail order: Ctrl+1 is the first view, 设置 is Ctrl+, for every role.
        by_title = {action.text(): seq for seq, action in shortcuts.items()}
        assert by_title[window._titles[keys[0]]()] == QKeySequence("Ctrl+1").toString()
        assert by_title[window._titles["settings"]()] == QKeySequence("Ctrl+,").toString()
        # Hidden views (another role's) keep no shortcut.
        hidden = [
            window.rail.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(window.rail.count())
            if window.rail.isRowHidden(row)
        ]
        assert not {window._titles[k]() for k in hidden} & set(by_title)
    finally:
        close(window, context)


def test_a_key_press_opens_the_view(store, qtbot):
    build_team(store)
    log_in(store, "bureau")
    context = AppContext(store, language="zh_CN")
    window = MainWindow(context)
    try:
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        keys = rail_keys(window)
        qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view_key() == keys[9] == "organisation"
        # The bureau has more than ten views: the eleventh is Ctrl+Shift+1, the thirteenth Ctrl+Shift+3.
        shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(window, Qt.Key.Key_1, shift)
        assert window.current_view_key() == keys[10] == "audit"
        qtbot.keyClick(window, Qt.Key.Key_3, shift)
        assert window.current_view_key() == keys[12] == "projects"
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view_key() == "settings"
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view_key() == keys[1]
    finally:
        close(window, context)


@pytest.mark.parametrize("role", ["commissioner", "manager", "bureau", "county"])
def test_the_english_rail_shows_whole_titles_without_a_scroll_bar(store, role, qtbot):
    build_team(store)
    if role != "commissioner":
        log_in(store, role)
    context = AppContext(store, language="en")
    window = MainWindow(context)
    try:
        window.show()
        qtbot.waitExposed(window)
        rail = window.rail
        assert rail.horizontalScrollBar().maximum() == 0
        metrics = rail.fontMetrics()
        for row in range(rail.count()):
            if rail.isRowHidden(row):
                continue
            text = rail.item(row).text()
            assert text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
            # The whole title shows when the item is selected (its padding and the 4-pixel marker).
            rail.setCurrentRow(row)
            assert metrics.horizontalAdvance(text) + 28 + 4 <= rail.visualItemRect(rail.item(row)).width(), (
                text
            )
            assert rail.visualItemRect(rail.item(row)).right() < rail.viewport().width(), text
    finally:
        close(window, context)


def test_reference_names_in_english_where_there_is_one(store, qtbot):
    from commissioner_app.reference import english_names, shown_name
    from ui.models import VisitTableModel

    build_team(store)  # visits in 新会区 双水镇, industry 陈皮
    names = english_names(store)
    assert shown_name(names, "county", "新会区", "en") == "Xinhui"
    assert shown_name(names, "county", "新会区", "zh_CN") == "新会区"
    assert shown_name(names, "industry", "不在表里", "en") == "不在表里"

    context = AppContext(store, language="en")
    try:
        model = VisitTableModel(context)
        with qtbot.waitSignal(model.loaded, timeout=30000):
            model.set_query(VisitQuery())
        keys = [column.key for column in model.columns]
        region = model.data(model.index(0, keys.index("region")))
        industry = model.data(model.index(0, keys.index("industry")))
        assert region.startswith("Xinhui "), region
        assert industry == names["industry"]["陈皮"]
        # The stored value stays Chinese.
        assert store.db.execute("SELECT DISTINCT county FROM visits").fetchall() == [("新会区",)]
    finally:
        context.close()
