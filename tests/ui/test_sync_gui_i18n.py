"""The sync GUI in English and back, live."""

from __future__ import annotations

from ui.context import AppContext
from ui.sync_login import LoginDialog
from ui.views.sync import SyncView


def test_sync_page_and_login_switch_language_live(store, qtbot) -> None:
    context = AppContext(store, language="zh_CN")
    page = SyncView(context)
    qtbot.addWidget(page)
    page.load()
    context.tasks.wait_idle()
    dialog = LoginDialog(context, page)
    qtbot.addWidget(dialog)
    assert page.sync_button.text() == "立即同步（F5）" and page.user.text() == "未登录"
    assert page.result.text() == "还没有同步过。"
    assert dialog.windowTitle() == "登录市科技局服务器"
    try:
        context.set_language("en")
        context.tasks.wait_idle()
        assert page.sync_button.text() == "Sync now (F5)"
        assert page.title.text() == "Sync" and page.user.text() == "Not logged in"
        assert page.result.text() == "No sync yet."
        assert page.auto.text().startswith("Sync automatically")
        assert dialog.windowTitle() == "Log in to the bureau's server"
        assert (dialog.login_button.text(), dialog.cancel_button.text()) == ("Log in", "Cancel")
    finally:
        context.set_language("zh_CN")
        context.tasks.wait_idle()
    assert page.sync_button.text() == "立即同步（F5）"
    context.close()


def test_a_closed_sync_page_is_not_reached_by_the_controllers_signals(store, qtbot) -> None:
    """The controller outlives a sync page built with it (the window builds its pages again): once
    the page is gone, an account or reachability change must not reach its deleted labels."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.sync_control import sync_controller

    context = AppContext(store, language="zh_CN")
    controller = sync_controller(context)
    page = SyncView(context, None, controller)
    page.load()
    context.tasks.wait_idle()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    controller.account_changed.emit(controller.account)
    controller.reachable_changed.emit(True)
    later = SyncView(context, None, controller)  # a page built again answers them
    qtbot.addWidget(later)
    controller.account_changed.emit(controller.account)
    assert later.user.text() == "未登录"
    context.close()
