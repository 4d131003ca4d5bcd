"""Automatic sync: when the server comes back after being unreachable, the waiting records go."""

from __future__ import annotations

from pathlib import Path

from commissioner_app.store import Store
from sync import session
from tests.sync.fieldwork import FAST
from tests.sync.harness import PASSWORD, Server, running_server
from tests.ui.sync_gui_support import add_visits, field_dir, gui_server, open_context, wait_until
from ui.views.sync import SyncView

__all__ = ["gui_server"]


def test_sync_starts_by_itself_when_the_server_comes_up(tmp_path: Path, qtbot) -> None:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        folder, _cid, user = field_dir(server, tmp_path / "field")
        store = Store.open(folder)
        session.login(store, server.url, user, PASSWORD, use_file=True, **FAST)
        store.close()
        port, database = server.port, server.database
    # The server is down (the commissioner is out in a township); work goes on.
    visits = add_visits(folder, 2)
    context, controller = open_context(folder, probe_seconds=1)
    page = SyncView(context, None, controller)
    qtbot.addWidget(page)
    page.show()
    page.load()
    wait_until(lambda: controller.account.logged_in, what="the account")
    assert page.auto.isChecked() and controller.probe_timer.isActive()
    wait_until(lambda: controller.reachable is False, timeout=15, what="the failed probe")
    assert "网络恢复后会自动同步" in page.reach.text()
    assert not controller.syncing
    started: list[bool] = []
    controller.sync_started.connect(started.append)

    back = Server(database, tmp_path, port=port).start()  # the network is back
    try:
        wait_until(lambda: started, timeout=20, what="the automatic sync")
        assert started == [True]
        wait_until(lambda: not controller.syncing, timeout=30, what="the sync to finish")
        wait_until(lambda: page.summary is not None and page.summary["total"] == 0, what="the page")
        assert page.reach.text() == "可以连接服务器"
        records = back.records()
        assert all(("visits", v.id) in records for v in visits)
        # Reachable and idle: the probe does not sync again and again.
        qtbot.wait(2500)
        assert started == [True]
    finally:
        back.stop()
    context.close()


def test_records_saved_while_online_go_by_themselves(tmp_path: Path, qtbot) -> None:
    """Online all along (the office, a township with signal): what is saved meanwhile goes at the
    next check, as the setting promises ("能连接服务器时自动同步（每分钟检查一次）"), not only when the
    server comes back after being unreachable."""
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        folder, _cid, user = field_dir(server, tmp_path / "field")
        store = Store.open(folder)
        session.login(store, server.url, user, PASSWORD, use_file=True, **FAST)
        store.close()
        context, controller = open_context(folder, probe_seconds=1)
        page = SyncView(context, None, controller)
        qtbot.addWidget(page)
        page.load()
        wait_until(lambda: controller.reachable is True, timeout=15, what="the first probe")
        wait_until(lambda: not controller.syncing, timeout=30, what="the first sync")
        started: list[bool] = []
        controller.sync_started.connect(started.append)
        visits = add_visits(folder, 2)  # saved while online
        wait_until(lambda: started, timeout=20, what="the automatic sync of the new records")
        wait_until(lambda: not controller.syncing, timeout=30, what="the sync to finish")
        records = server.records()
        assert all(("visits", v.id) in records for v in visits)
        # Nothing left waiting: the checks do not sync again and again.
        count = len(started)
        qtbot.wait(2500)
        assert len(started) == count
        context.close()


def test_automatic_sync_can_be_turned_off(gui_server: Server, tmp_path: Path, qtbot) -> None:
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    store = Store.open(folder)
    session.login(store, gui_server.url, user, PASSWORD, use_file=True, **FAST)
    store.close()
    add_visits(folder, 1)
    context, controller = open_context(folder, probe_seconds=1)
    page = SyncView(context, None, controller)
    qtbot.addWidget(page)
    wait_until(lambda: controller.account.logged_in, what="the account")
    page.auto.setChecked(False)
    assert not controller.probe_timer.isActive()
    assert context.setting("sync", "auto", True, bool) is False  # remembered
    started: list[bool] = []
    controller.sync_started.connect(started.append)
    qtbot.wait(2500)
    assert started == [] and controller.reachable is None
    context.close()
