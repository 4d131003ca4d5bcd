"""A view's message about what the next sync sends goes once a sync has sent it: the bureau's
“已发布……，下次同步时送达各科技特派员” stayed after the sync, saying the demand was still waiting."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from sync import session
from sync.errors import OfflineError
from tests.sync.fieldwork import FAST, commissioner_store
from tests.ui.manager_support import wait
from tests.ui.sync_gui_support import PASSWORD, Server, gui_server, open_context, wait_until
from ui.views.demands import DemandsView

__all__ = ["gui_server"]

pytestmark = pytest.mark.slow


def bureau_dir(server: Server, folder: Path) -> Path:
    """A bureau's data directory, logged in to the server."""
    from sync.server import auth
    from sync.server.db import make_engine

    cid = str(uuid.uuid4())
    username = f"kjj{cid[:6]}"
    engine = make_engine(server.database)
    try:
        auth.add_user(engine, username, PASSWORD, "bureau", commissioner_id=cid)
    finally:
        engine.dispose()
    store = commissioner_store(folder, cid, "市科技局农村科技科")
    session.login(store, server.url, username, PASSWORD, use_file=True, **FAST)
    store.close()
    return folder


def publish_in(view: DemandsView, context, title: str) -> None:
    view.title_edit.setText(title)
    view.description_edit.setPlainText("果园发现疑似病株，需要检测和防控方案。")
    view.publish_button.click()
    wait(context)
    wait(context)


def test_the_next_sync_notice_goes_once_a_sync_sent_it_and_stays_after_a_failed_one(
    gui_server: Server, tmp_path: Path, qtbot, qapp
) -> None:
    context, controller = open_context(bureau_dir(gui_server, tmp_path / "bureau"))
    try:
        view = DemandsView(context)
        qtbot.addWidget(view)
        view.show()
        view.load()
        wait(context)
        wait_until(lambda: controller.account.logged_in, what="the account")
        assert view.form_column.isVisible()

        publish_in(view, context, "柑橘黄龙病绿色防控")
        assert "下次同步时送达" in view.message.text()
        # A sync that did not reach the server sent nothing: the notice stays true.
        controller.sync_finished.emit(None, OfflineError("no network"))
        assert "下次同步时送达" in view.message.text()

        assert controller.start_sync()
        wait_until(lambda: not controller.syncing, what="the sync")
        assert view.message.text() == ""
        # The notice of a later act is its own: it stays until the sync after it.
        publish_in(view, context, "荔枝霜疫霉病防控")
        assert "荔枝霜疫霉病防控" in view.message.text()
        assert controller.start_sync()
        wait_until(lambda: not controller.syncing, what="the second sync")
        assert view.message.text() == ""
        # Said while a sync runs (it may have read the records before the act): that sync's end
        # leaves it, the next one's takes it.
        controller.syncing = True
        publish_in(view, context, "番石榴枯萎病防控")
        controller.syncing = False
        sent = {"pushed": 1, "cancelled": False}
        controller.sync_finished.emit(sent, None)
        assert "番石榴枯萎病防控" in view.message.text()
        controller.sync_finished.emit(sent, None)
        assert view.message.text() == ""
    finally:
        context.close()
