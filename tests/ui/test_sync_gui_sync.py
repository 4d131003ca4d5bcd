"""The sync page: F5 sends the records and the waiting count drops to 0; a sync can be cancelled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from commissioner_app.store import Store
from sync import session
from sync.client import SyncClient
from sync.engine import SyncEngine
from tests.sync.fieldwork import FAST, commissioner_store
from tests.ui.sync_gui_support import (
    PASSWORD,
    Server,
    add_visits,
    field_dir,
    gui_server,
    open_context,
    wait_until,
)
from ui.main_window import MainWindow
from ui.views.sync import SyncView

__all__ = ["gui_server"]


def logged_in_dir(server: Server, folder: Path) -> tuple[Path, str]:
    folder, _cid, user = field_dir(server, folder)
    store = Store.open(folder)
    session.login(store, server.url, user, PASSWORD, use_file=True, **FAST)
    store.close()
    return folder, user


def waiting(folder: Path) -> int:
    store = Store.open(folder)
    try:
        return store.waiting_to_sync()
    finally:
        store.close()


def test_f5_sends_every_record_and_the_waiting_count_drops_to_zero(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    folder, user = logged_in_dir(gui_server, tmp_path / "field")
    visits = add_visits(folder, 4)
    queued = waiting(folder)
    assert queued > len(visits)  # visits, their problems and solutions, the target, the profile
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.views["sync"]
    wait_until(lambda: controller.account.logged_in, what="the account")
    window.show_view("overview")
    context.tasks.wait_idle()
    assert user in page.user.text()
    # Each kind named: the profile among them (it was counted as 其他 1).
    window.show_view("sync")
    wait_until(lambda: page.summary is not None and context.tasks.pending == 0, what="the waiting count")
    assert "个人资料 1" in page.total.text() and "其他" not in page.total.text()

    window.sync_action.trigger()  # F5: shows the sync page and syncs
    assert window.current_view_key() == "sync"
    assert controller.syncing and page.cancel_button.isVisible() and not page.sync_button.isEnabled()
    wait_until(lambda: not controller.syncing, what="the sync")
    wait_until(
        lambda: page.summary is not None and page.summary["total"] == 0 and context.tasks.pending == 0,
        what="the page to show the new count",
    )
    assert page.total.text() == "0 条"
    assert page.result.text().startswith(f"发送 {queued} 条")
    assert page.last.text() not in ("", "从未同步", "…")
    assert not page.error_banner.isVisible() and not page.cancel_button.isVisible()
    assert window.sync_count.text() == "所有记录均已同步"
    on_server = gui_server.records()
    assert all(("visits", v.id) in on_server for v in visits)
    window.close()
    context.close()


def test_a_sync_can_be_cancelled_and_what_was_sent_stays_sent(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch
) -> None:
    folder, _user = logged_in_dir(gui_server, tmp_path / "field")
    add_visits(folder, 4)
    queued = waiting(folder)
    context, controller = open_context(folder)
    controller.engine_options = {"batch_size": 4}  # several batches: the cancel lands between two
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.show_view("sync")
    wait_until(lambda: controller.account.logged_in, what="the account")

    in_push, release = threading.Event(), threading.Event()
    real_push = SyncClient.push

    def held_push(self, request, **kwargs):  # type: ignore[no-untyped-def]
        in_push.set()
        release.wait(20)  # the first batch waits until the user has pressed cancel
        return real_push(self, request, **kwargs)

    monkeypatch.setattr(SyncClient, "push", held_push)
    page.sync_button.click()
    wait_until(in_push.is_set, what="the first push")
    qtbot.wait(50)  # the progress of the start reaches the page
    assert page.progress.isVisible() and page.cancel_button.isEnabled()
    page.cancel_button.click()
    assert "正在取消" in page.phase_label.text() and not page.cancel_button.isEnabled()
    release.set()
    wait_until(lambda: not controller.syncing, what="the cancelled sync")
    wait_until(
        lambda: page.summary is not None and context.tasks.pending == 0 and "取消" in page.result.text(),
        what="the cancelled result",
    )
    left = waiting(folder)
    assert (
        0 < left < queued
    )  # the batches out (pushes are pipelined) were completed and recorded, nothing more
    assert page.summary["total"] == left
    assert page.result.text().startswith("同步被取消，已完成的部分已保存。")

    monkeypatch.setattr(SyncClient, "push", real_push)
    page.sync_button.click()
    wait_until(lambda: not controller.syncing, what="the second sync")
    assert waiting(folder) == 0
    window.close()
    context.close()


def test_a_rejected_record_shows_the_servers_reason_on_the_page_in_the_list_and_in_the_editor(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    from PySide6.QtCore import Qt

    from commissioner_app.domain import Visit

    folder, _user = logged_in_dir(gui_server, tmp_path / "field")
    (visit,) = add_visits(folder, 1)
    store = Store.open(folder)
    wrong = store.require(Visit, visit.id)
    wrong.commissioner_id = "someone-else"  # a record of another commissioner: outside this account's scope
    store.save_visit(wrong)
    store.close()
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.show_view("sync")
    wait_until(lambda: controller.account.logged_in, what="the account")
    page.sync_button.click()
    wait_until(lambda: not controller.syncing, what="the sync")
    wait_until(
        lambda: page.summary is not None and page.summary["rejected"] and context.tasks.pending == 0,
        what="the rejection on the page",
    )
    reason = "记录不存在或不在您的权限范围内"
    assert page.rejected.rowCount() == 1
    assert page.rejected.item(0, 0).text() == "服务记录"
    assert page.rejected.item(0, 2).text() == reason
    assert "被拒绝 1 条" in page.result.text()
    assert "另有 1 条" in page.total.text()

    visits = window.show_view("visits")
    wait_until(lambda: visits.model.rowCount() == 1 and context.tasks.pending == 0, what="the visit list")
    state = visits.model.index(0, 0)
    assert visits.model.data(state) == "被拒绝"
    assert visits.model.data(state, Qt.ItemDataRole.ToolTipRole) == f"服务器拒绝：{reason}"

    from ui.editors import open_visit_editor

    editor = open_visit_editor(window, context, visit.id)
    context.tasks.wait_idle()
    assert reason in editor.state_label.text() and not editor.conflict_button.isVisible()
    editor.close()
    window.close()
    context.close()


def second_laptop(server: Server, tmp_path: Path, qtbot, *, visits: int, pull_limit: int | None = None):  # type: ignore[no-untyped-def]
    """A commissioner's first laptop syncs `visits` visits; their second, logged in and never synced,
    shows its sync page: (context, controller, page)."""
    first, cid, user = field_dir(server, tmp_path / "first")
    add_visits(first, visits)
    store = Store.open(first)
    session.login(store, server.url, user, PASSWORD, use_file=True, **FAST)
    SyncEngine(store, session.open_client(store, **FAST)).sync()
    store.close()
    second = tmp_path / "second"
    store = commissioner_store(second, cid)
    session.login(store, server.url, user, PASSWORD, use_file=True, **FAST)
    store.close()
    context, controller = open_context(second)
    if pull_limit is not None:
        controller.engine_options = {"pull_limit": pull_limit}
    page = SyncView(context, controller=controller)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    wait_until(lambda: controller.account.logged_in, what="the account")
    return context, controller, page


def test_the_progress_bar_shows_how_far_a_pull_has_come(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch
) -> None:
    # The commissioner's second laptop receives it all, five changes a page.
    context, controller, page = second_laptop(gui_server, tmp_path, qtbot, visits=6, pull_limit=5)

    pages, release = [], threading.Event()
    real_pull = SyncClient.pull

    def held_pull(self, since, limit=500, count=False, skip=None):  # type: ignore[no-untyped-def]
        if len(pages) == 1:
            release.wait(20)  # the second page waits while the test looks at the bar
        answer = real_pull(self, since, limit, count, skip)
        pages.append(answer)
        return answer

    monkeypatch.setattr(SyncClient, "pull", held_pull)
    page.sync_button.click()
    wait_until(lambda: len(pages) == 1 and page.phase == "pull", what="the first page")
    total = pages[0]["remaining"]
    assert total > 5
    assert (page.progress.minimum(), page.progress.maximum(), page.progress.value()) == (0, total, 5)
    assert page.phase_label.text() == f"接收更新 5 / {total}"
    if shots := os.environ.get("SCREENSHOTS"):
        page.grab().save(f"{shots}/sync_pull_progress_zh.png")
    release.set()
    wait_until(lambda: not controller.syncing, what="the sync")
    assert not page.progress.isVisible()
    context.close()


def test_what_a_sync_pulled_is_indexed_for_the_search_after_it(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    from sync.engine import FTS_BULK_MIN

    context, controller, page = second_laptop(gui_server, tmp_path, qtbot, visits=FTS_BULK_MIN + 4)
    indexed = []
    real = Store.index_pending

    def watched(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        indexed.append(real(self, *args, **kwargs))
        return indexed[-1]

    Store.index_pending = watched  # type: ignore[method-assign]
    try:
        page.sync_button.click()
        wait_until(lambda: not controller.syncing, what="the sync")
        assert controller.wait_idle()
    finally:
        Store.index_pending = real  # type: ignore[method-assign]
    assert max(indexed) >= FTS_BULK_MIN  # done in the background, with no search asked for
    assert context.store.fts_pending() == 0
    context.close()


def test_a_sync_run_from_the_command_line_on_the_same_data_directory_shows_in_the_open_application(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """From cold tries: `commissioner sync` run from a shell while the application was open left its
    sync page, status bar and lists as they were (12 waiting, the last sync's old result) until the
    application's own next sync; then also after a sync cut short, after the application's own sync
    right behind it (which sent nothing, so nothing read again), with the error of an earlier sync of
    its own still shown, and after a login or logout from the shell. Every sync leaves a stamp the
    application reads when it comes back to the front, every WATCH_SECONDS and as its own sync
    starts; its own syncs are not taken for another's."""
    from commissioner_app.ops import OpChanges
    from sync.errors import OfflineError
    from tests.sync.test_sync_cli import cli

    def command(*args: str) -> None:
        done = cli(folder, *args)
        assert done.returncode == 0, done.stderr

    def shown_waiting() -> int:
        wait_until(lambda: context.tasks.pending == 0 and not controller._jobs, what="the views")
        return int(page.summary["total"]) if page.summary else -1

    folder, _user = logged_in_dir(gui_server, tmp_path / "field")
    add_visits(folder, 3)
    queued = waiting(folder)
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.views["sync"]
    outside: list[bool] = []
    controller.synced_outside.connect(outside.append)
    window.show_view("sync")
    wait_until(lambda: page.summary is not None and context.tasks.pending == 0, what="the page")
    assert page.summary["total"] == queued and page.last.text() == "从未同步"
    page._finished(None, OfflineError())  # an earlier sync of its own did not get through
    assert page.error_banner.isVisible()

    # A whole sync from the shell, seen when the application comes back to the front.
    command("sync", "--quiet")
    controller._application_state(Qt.ApplicationState.ApplicationActive)
    wait_until(lambda: outside == [True], what="the sync outside to be noticed")
    assert shown_waiting() == 0
    assert page.total.text() == "0 条" and page.last.text() not in ("", "从未同步", "…")
    assert page.result.text().startswith(f"发送 {queued} 条")  # the command line's sync's result
    assert not page.error_banner.isVisible() and controller.reachable is True
    assert window.sync_count.text() == "所有记录均已同步"

    # A visit saved, sent from the shell, and the application's own sync at once, before any read:
    # it sends nothing, and the views read again all the same.
    add_visits(folder, 1, seed=9)
    context.tasks.operation_did_execute.emit(OpChanges.all())
    assert shown_waiting() > 0 and window.sync_count.text() != "所有记录均已同步"
    command("sync", "--quiet")
    window.sync_action.trigger()
    wait_until(lambda: not controller.syncing, what="the sync")
    assert shown_waiting() == 0 and outside == [True, True]
    assert window.sync_count.text() == "所有记录均已同步"
    controller.check_outside_sync()  # and its own sync is not taken for another's
    assert shown_waiting() == 0 and outside == [True, True]

    # A sync cut short in another process (a connection of its own, cancelled after a batch).
    add_visits(folder, 5, seed=11)
    context.tasks.operation_did_execute.emit(OpChanges.all())
    before = shown_waiting()
    other = Store.open(folder)
    cancel = threading.Event()
    engine = SyncEngine(other, session.open_client(other, **FAST), batch_size=2)
    report = engine.sync(
        progress=lambda p: cancel.set() if p.phase == "push" and p.done else None, cancel=cancel
    )
    other.close()
    assert report.cancelled and 0 < waiting(folder) < before
    controller.check_outside_sync()
    wait_until(lambda: outside == [True, True, False], what="the sync cut short to be noticed")
    assert shown_waiting() == waiting(folder)

    # A logout from the shell: the application's account is logged out too.
    command("logout")
    controller.check_outside_sync()
    wait_until(lambda: not controller.account.logged_in, what="the logout to be noticed")
    assert "已退出登录" in page.user.text()
