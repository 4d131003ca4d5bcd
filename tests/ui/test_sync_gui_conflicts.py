"""A conflict made by two data directories of one commissioner shows in the conflicts view with
both values, readable, and resolving it puts the record back in the queue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from commissioner_app.domain import Visit
from commissioner_app.store import Store
from sync.conflicts import list_conflicts
from tests.sync.fieldwork import connect, reconnect
from tests.ui.sync_gui_support import Server, add_visits, field_dir, gui_server, open_context, wait_until
from ui.conflicts_dialog import COL_BASE, COL_FIELD, COL_LOCAL, COL_SERVER, ConflictsDialog
from ui.main_window import MainWindow

__all__ = ["gui_server"]


def make_conflict(server: Server, tmp_path: Path) -> tuple[Path, str]:
    """Laptop A and laptop B change the same visit's content and service types; A syncs first."""
    folder_a, cid, user = field_dir(server, tmp_path / "a")
    (visit,) = add_visits(folder_a, 1)
    a = Store.open(folder_a)
    a.actor = cid
    engine_a = connect(a, server.url, user)
    engine_a.sync()
    folder_b = tmp_path / "b"
    b = Store.open(folder_b)
    b.set_meta("self_commissioner_id", cid)
    b.actor = cid
    connect(b, server.url, user).sync()
    for store, content, types in (
        (a, "甲电脑：讲解稻瘟病识别", ["training"]),
        (b, "乙电脑：示范无人机飞防", ["guidance", "promotion"]),
    ):
        v = store.require(Visit, visit.id)
        v.content = content
        v.service_types = types
        store.save_visit(v)
    reconnect(a).sync()
    a.close()
    b.close()
    return folder_b, visit.id


def synced_with_one_conflict(folder: Path, qtbot):  # type: ignore[no-untyped-def]
    """The main window of `folder` on its sync page, after a sync that met one conflict."""
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.show_view("sync")
    wait_until(lambda: controller.account.logged_in, what="the account")
    page.sync_button.click()
    wait_until(lambda: not controller.syncing, what="the sync")
    wait_until(
        lambda: page.summary is not None and page.summary["conflicts"] == 1 and context.tasks.pending == 0,
        what="the conflict on the page",
    )
    return context, controller, window, page


def test_conflict_shows_both_values_and_resolving_queues_the_record(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    folder, visit_id = make_conflict(gui_server, tmp_path)
    context, controller, window, page = synced_with_one_conflict(folder, qtbot)
    assert page.conflicts_button.isVisible() and "1 条记录" in page.conflicts_button.text()
    assert "冲突 1 条" in page.result.text()

    qtbot.mouseClick(page.conflicts_button, Qt.MouseButton.LeftButton)
    dialog = page.conflicts_dialog
    assert isinstance(dialog, ConflictsDialog)
    wait_until(lambda: dialog.table.rowCount() == 2 and context.tasks.pending == 0, what="the conflicts view")
    assert dialog.record_list.count() == 1
    assert dialog.record_list.item(0).text().startswith("服务记录：")
    rows = {dialog.table.item(r, COL_FIELD).text(): r for r in range(2)}
    assert set(rows) == {"服务内容", "服务类型"}
    content, types = rows["服务内容"], rows["服务类型"]
    assert dialog.table.item(content, COL_LOCAL).text() == "乙电脑：示范无人机飞防"
    assert dialog.table.item(content, COL_SERVER).text() == "甲电脑：讲解稻瘟病识别"
    assert dialog.table.item(content, COL_BASE).text().startswith("指导水稻病虫害绿色防控")
    # Codes are shown by their names, as the user chose them.
    assert dialog.table.item(types, COL_LOCAL).text() == "技术指导、新品种新技术推广"
    assert dialog.table.item(types, COL_SERVER).text() == "技术培训"
    assert dialog.table.item(types, COL_BASE).text() == "技术指导"

    # Nothing is applied until every field has a choice.
    assert not dialog.apply_button.isEnabled()
    dialog.choose(content, "local")
    assert not dialog.apply_button.isEnabled()
    dialog.choose(types, "server")
    assert dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    wait_until(lambda: dialog.record_list.count() == 0 and context.tasks.pending == 0, what="the resolution")
    assert dialog.empty.text() == "没有需要处理的冲突。"

    store = Store.open(folder)
    row = store.row("visits", visit_id)
    assert row is not None and row["sync_state"] == "queued"
    assert row["content"] == "乙电脑：示范无人机飞防" and row["service_types"] == '["training"]'
    assert not list_conflicts(store)
    store.close()
    wait_until(lambda: page.summary is not None and page.summary["conflicts"] == 0, what="the page")
    assert not page.conflicts_button.isVisible()
    assert page.summary["total"] == 1

    # The next sync sends the chosen version; the server now holds it.
    dialog.close()
    page.sync_button.click()
    wait_until(lambda: not controller.syncing, what="the sync")
    fields = gui_server.records()[("visits", visit_id)]["fields"]
    assert fields["content"] == "乙电脑：示范无人机飞防"
    window.close()
    context.close()


def test_the_visit_editor_of_a_record_in_conflict_leads_to_the_conflicts_view(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    folder, visit_id = make_conflict(gui_server, tmp_path)
    context, controller = open_context(folder)
    wait_until(lambda: controller.account.logged_in, what="the account")
    controller.start_sync()
    wait_until(lambda: not controller.syncing, what="the sync")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    visits = window.show_view("visits")
    context.tasks.wait_idle()
    model = visits.model
    wait_until(lambda: model.rowCount() == 1, what="the visit list")
    state = model.index(0, 0)
    assert model.data(state) == "冲突"
    assert "冲突" in model.data(state, Qt.ItemDataRole.ToolTipRole)

    from ui.editors import open_visit_editor

    editor = open_visit_editor(window, context, visit_id)
    context.tasks.wait_idle()
    wait_until(lambda: editor.conflict_button.isVisible(), what="the conflict button")
    editor.conflict_button.click()
    dialog = editor.conflicts_dialog
    wait_until(lambda: dialog.table.rowCount() == 2, what="the conflicts of the visit")
    editor.close()
    window.close()
    context.close()


def test_a_problem_in_conflict_opens_the_conflicts_view_from_its_list(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    from commissioner_app.domain import TechnicalProblem

    folder_a, cid, user = field_dir(gui_server, tmp_path / "a")
    add_visits(folder_a, 1)
    a = Store.open(folder_a)
    a.actor = cid
    connect(a, gui_server.url, user).sync()
    b = Store.open(tmp_path / "b")
    b.set_meta("self_commissioner_id", cid)
    b.actor = cid
    connect(b, gui_server.url, user).sync()
    (problem,) = a.all(TechnicalProblem)
    for store, title in ((a, "稻瘟病：叶瘟为主"), (b, "稻瘟病：穗颈瘟严重")):
        p = store.require(TechnicalProblem, problem.id)
        p.title = title
        store.save(p)
    reconnect(a).sync()
    reconnect(b).sync()
    a.close()
    b.close()

    context, _controller = open_context(tmp_path / "b")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    problems = window.show_view("problems")
    wait_until(lambda: problems.model.rowCount() == 1 and context.tasks.pending == 0, what="the problem list")
    index = problems.model.index(0, 0)
    assert problems.model.data(index) == "冲突"
    problems.table.activated.emit(index)
    dialogs = [w for w in problems.findChildren(ConflictsDialog)]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    wait_until(lambda: dialog.table.rowCount() == 1, what="the conflicts view")
    assert dialog.table.item(0, COL_FIELD).text() == "标题"
    assert dialog.table.item(0, COL_LOCAL).text() == "稻瘟病：穗颈瘟严重"
    assert dialog.table.item(0, COL_SERVER).text() == "稻瘟病：叶瘟为主"
    dialog.close()
    window.close()
    context.close()


def test_the_side_whose_version_was_kept_sees_the_conflict_as_someone_elses_version(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    import os

    folder_b, visit_id = make_conflict(gui_server, tmp_path)
    b = Store.open(folder_b)
    reconnect(b).sync()  # B meets the conflict
    b.close()
    context, controller, window, page = synced_with_one_conflict(tmp_path / "a", qtbot)
    assert page.conflicts_button.isVisible()

    dialog = page.open_conflicts()
    wait_until(lambda: dialog.table.rowCount() == 2 and context.tasks.pending == 0, what="the conflicts view")
    assert "他人的版本" in dialog.record_list.item(0).text()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers[COL_LOCAL] == "您的值（服务器上）" and headers[COL_SERVER] == "对方的值（未被接受）"
    assert dialog.record_note.isVisible() and "服务器保留的是您的版本" in dialog.record_note.text()
    rows = {dialog.table.item(r, COL_FIELD).text(): r for r in range(2)}
    assert dialog.table.item(rows["服务内容"], COL_LOCAL).text() == "甲电脑：讲解稻瘟病识别"
    assert dialog.table.item(rows["服务内容"], COL_SERVER).text() == "乙电脑：示范无人机飞防"
    if shots := os.environ.get("SCREENSHOTS"):
        dialog.grab().save(f"{shots}/conflicts_remote_zh.png")

    dialog.choose_all("local")  # keep my version
    dialog.apply_button.click()
    wait_until(
        lambda: dialog.record_list.count() == 0 and context.tasks.pending == 0, what="the choice applied"
    )
    assert list_conflicts(context.store) == []
    assert context.store.require(Visit, visit_id).content == "甲电脑：讲解稻瘟病识别"
    dialog.close()
    window.close()
    context.close()

    # The choice reaches the server and closes the conflict on B at its next sync.
    a = Store.open(tmp_path / "a")
    reconnect(a).sync()
    a.close()
    b = Store.open(folder_b)
    reconnect(b).sync()
    assert list_conflicts(b) == []
    assert b.require(Visit, visit_id).content == "甲电脑：讲解稻瘟病识别"
    b.close()
