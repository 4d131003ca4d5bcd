"""First start, the profile, the rail and switching language live."""

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from commissioner_app.store import VisitQuery
from tests.ui.frame_fixtures import context, demo_context, demo_dir  # noqa: F401
from ui.main_window import MainWindow

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_first_start_asks_for_the_profile_and_shows_problems_in_chinese(context, qtbot):  # noqa: F811
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    dialog = window.profile_dialog
    assert dialog.isVisible()
    assert context.store.profile() is None

    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.errors["name"].isVisibleTo(dialog)
    assert dialog.errors["name"].text() == "必须填写"
    assert dialog.errors["sending_unit"].text() == "必须填写"
    assert not dialog.errors["phone"].isVisibleTo(dialog)

    dialog.name.setText("李明")
    dialog.phone.setText("12a")
    dialog.sending_unit.setCurrentIndex(dialog.sending_unit.findText("五邑大学"))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.errors["name"].isVisibleTo(dialog)
    assert dialog.errors["phone"].text() == "电话号码格式不正确"
    assert dialog.isVisible()

    dialog.phone.setText("13800138000")
    dialog.title.setEditText("高级农艺师")
    dialog.industries.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    saved = context.store.profile()
    assert (saved.name, saved.phone, saved.sending_unit, saved.title) == (
        "李明",
        "13800138000",
        "五邑大学",
        "高级农艺师",
    )
    assert saved.industries == [dialog.industries.item(0).data(Qt.ItemDataRole.UserRole)]
    assert context.store.actor == saved.id
    # The settings view and the overview greet the commissioner by name.
    context.tasks.wait_idle()
    assert "李明" in window.views["settings"].profile.text()
    assert "李明" in window.views["overview"].greeting.text()


def test_rail_views_and_status_bar(demo_context, qtbot):  # noqa: F811
    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    demo_context.tasks.wait_idle()
    # The lists load when first shown, not at start (keeps the start fast on a big database).
    assert not window.views["visits"].model.has_loaded
    assert window.views["visits"].model.rowCount() == 0
    assert [window.rail.item(r).text() for r in range(window.rail.count())] == [
        "工作台",
        "服务记录",
        "技术难题",
        "服务对象",
        "服务协议",
        "考核",
        "技术需求",
        "揭榜与成果",
        "同步",
        "设置",
    ]  # 考核, 技术需求, 揭榜与成果: every role's
    waiting = demo_context.store.waiting_to_sync()
    assert window.sync_count.text() == f"待同步：{waiting:,} 条记录"
    overview = window.views["overview"]
    assert overview.cards["sync"].number.text() == f"{waiting:,}"
    # The profile's own (the demo's laptop holds its team's records too).
    [open_problems] = demo_context.store.db.execute(
        "SELECT count(*) FROM problems WHERE deleted = 0 AND status IN ('open', 'in_progress') "
        "AND commissioner_id IN (?, '')",
        [demo_context.profile.id],
    ).fetchone()
    assert 0 < open_problems < len(demo_context.store.list_problems(limit=100000))
    assert overview.cards["problems"].number.text() == f"{open_problems:,}"
    assert overview.recent.count() == 12

    # A later feature adds its view before the settings.
    extra = QLabel("审核")
    window.add_view("review", extra, lambda: window.tr("审核"), before="settings")
    assert window.rail.item(window.rail.count() - 2).text() == "审核"
    window.show_view("review")
    assert window.views[window.current_view_key()] is extra
    assert extra.isVisibleTo(window)

    # Ctrl+F goes to the visit list's search box when the current view has none. (An offscreen
    # window is active only once asked: focus is only ever given to a widget of the active window.)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    assert not window.views["visits"].search_box.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "visits"
    assert window.views["visits"].search_box.hasFocus()
    # The overview's "returned" card opens the visit list filtered to returned visits.
    window.show_view("overview")
    overview = window.views["overview"]
    with qtbot.waitSignal(window.views["visits"].model.loaded, timeout=10000):
        overview.cards["returned"].clicked.emit()
    assert window.current_view_key() == "visits"
    model = window.views["visits"].model
    assert model.query.review_status == "returned"
    assert model.rowCount() == demo_context.store.count_visits(VisitQuery(review_status="returned"))
    # F5 opens the sync page and announces the request.
    with qtbot.waitSignal(window.sync_requested, timeout=1000):
        window.sync_action.trigger()
    assert window.current_view_key() == "sync"


def test_switching_to_english_and_back(demo_context, qtbot):  # noqa: F811
    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    window.show_view("visits")
    demo_context.tasks.wait_idle()
    visits = window.views["visits"]
    settings = window.show_view("settings")
    assert visits.new_button.text() == "新建服务记录"

    settings.language.setCurrentIndex(settings.language.findData("en"))
    assert demo_context.language == "en"
    assert window.rail.item(1).text() == "Visits"
    assert visits.new_button.text() == "New visit"
    assert visits.model.headerData(1, Qt.Orientation.Horizontal) == "Date"
    assert settings.language_label.text() == "Language"
    assert window.menuBar().actions()[0].text() == "&File"
    # Every label and button of the frame is translated (data such as place names stays Chinese).
    for view in window.views.values():
        for widget in view.findChildren(QLabel) + view.findChildren(QPushButton):
            if (
                widget.objectName() in ("figure",)
                or widget is settings.profile
                or widget is settings.data_dir
            ):
                continue
            text = widget.text().replace(demo_context.profile_name, "")  # the user's name is data
            assert not CJK.search(text), f"untranslated: {widget.text()!r}"

    settings.language.setCurrentIndex(settings.language.findData("zh_CN"))
    assert window.rail.item(1).text() == "服务记录"
    assert visits.new_button.text() == "新建服务记录"
    assert demo_context.setting("ui", "language", "", str) == "zh_CN"


def test_rows_and_buttons_open_the_editors(demo_context, qtbot, monkeypatch):  # noqa: F811
    import ui.editors

    opened = []
    for name in ("open_visit_editor", "open_problem_dialog", "open_target_dialog"):
        monkeypatch.setattr(
            ui.editors, name, lambda parent, ctx, record_id, name=name: opened.append((name, ctx, record_id))
        )
    monkeypatch.setattr(
        ui.editors, "recover_drafts", lambda parent, ctx: opened.append(("recover", ctx, None))
    )
    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert opened == [("recover", demo_context, None)]  # a profile exists: drafts are offered back

    visits = window.show_view("visits")
    demo_context.tasks.wait_idle()
    visits.table.activated.emit(visits.model.index(3, 1))  # double-click or Enter on a row
    assert opened[-1] == ("open_visit_editor", demo_context, visits.model.visit_id(3))
    window.new_visit_action.trigger()  # Ctrl+N
    assert opened[-1] == ("open_visit_editor", demo_context, None)
    visits.new_button.click()
    assert opened[-1] == ("open_visit_editor", demo_context, None)

    problems = window.show_view("problems")
    demo_context.tasks.wait_idle()
    problems.table.activated.emit(problems.model.index(0, 1))
    assert opened[-1] == ("open_problem_dialog", demo_context, problems.model.record_id(0))

    targets = window.show_view("targets")
    demo_context.tasks.wait_idle()
    targets.table.activated.emit(targets.model.index(2, 1))
    # A target opens on its page (the service history); its edit button opens the target dialog.
    from ui.views.target_page import TargetPageDialog

    (page,) = [w for w in targets.findChildren(TargetPageDialog) if w.isVisible()]
    assert page.target_id == targets.model.record_id(2)
    page.edit_button.click()
    assert opened[-1] == ("open_target_dialog", demo_context, targets.model.record_id(2))


def test_closing_the_window_asks_each_open_editor_and_stays_if_one_continues(context, qtbot, monkeypatch):  # noqa: F811
    from commissioner_app.domain import Commissioner
    from ui.editors.visit_editor import VisitEditor

    context.store.save_profile(Commissioner(name="李明", sending_unit="五邑大学"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.new_visit()
    editor = next(w for w in window.findChildren(VisitEditor) if w.isVisible())
    editor.content.setPlainText("在合作社讲解柑橘修剪")  # unsaved work
    answers = ["cancel"]
    asked: list[str] = []

    def ask(self) -> str:
        asked.append(self.content.toPlainText())
        return answers.pop(0)

    monkeypatch.setattr(VisitEditor, "ask_unsaved", ask)
    assert not window.close()  # 继续编辑
    assert asked == ["在合作社讲解柑橘修剪"]
    assert window.isVisible() and editor.isVisible()

    answers.append("discard")
    assert window.close()
    assert not window.isVisible()


def test_a_bureau_or_county_account_is_not_asked_for_a_commissioner_profile(context, qtbot):  # noqa: F811
    from commissioner_app.ops.session import set_session_user
    from ui.roles import watcher

    for role in ("bureau", "county"):
        set_session_user(context.store, {"id": "u1", "username": "x", "role": role, "commissioner_id": None})
        watcher(context).check()  # as after a login: the role's views follow the account
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        window.start()
        assert getattr(window, "profile_dialog", None) is None, role
        shown = {
            window.rail.item(row).data(Qt.ItemDataRole.UserRole): window.rail.item(row).text()
            for row in range(window.rail.count())
            if not window.rail.isRowHidden(row)
        }
        # Both: the overview, the year's assessment, the audit trail; the county bureau also reviews.
        assert {"city", "assessment_run", "audit"} <= set(shown), role
        assert ("review" in shown) == (role == "county") and shown["audit"] == "操作日志"
        assert shown["city"] == ("县域概况" if role == "county" else "全市概况")
        assert ("organisation" in shown) == ("reference" in shown) == (role == "bureau")
        assert "team" not in shown and "group_assessment" not in shown
        window.show_view("audit")
        assert window.current_view_key() == "audit"
        window.close()


def test_a_disabled_main_button_looks_disabled(context, qtbot):  # noqa: F811
    """The blue main buttons (通过, 揭榜, 新建服务记录) looked the same when they could not be pressed:
    a user clicked 通过 with nothing selected and nothing happened."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    button = QPushButton("通过", window)
    button.setObjectName("primary")
    button.resize(120, 36)
    button.show()
    QApplication.processEvents()

    def centre() -> tuple[int, int, int]:
        image = button.grab().toImage()
        colour = image.pixelColor(image.width() // 5, image.height() // 2)
        return colour.red(), colour.green(), colour.blue()

    enabled = centre()
    button.setEnabled(False)
    disabled = centre()
    assert enabled != disabled
    assert sum(disabled) > sum(enabled) + 150  # paler: greyed out, as Qt's own disabled buttons


def test_the_status_bar_does_not_say_all_is_synced_before_any_server_is_set_up(context, qtbot):  # noqa: F811
    """A first start said 所有记录均已同步 though nothing had ever reached a server."""
    from tests.ui.manager_support import log_in_as

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.refresh_sync_count()
    context.tasks.wait_idle()
    assert window.sync_count.text() == "尚未登录同步服务器"
    context.set_language("en")
    assert window.sync_count.text() == "Not signed in to a sync server"
    context.set_language("zh_CN")
    log_in_as(context.store, "commissioner", None)
    window.refresh_sync_count()
    context.tasks.wait_idle()
    assert window.sync_count.text() == "尚未同步"  # signed in, but no sync has finished yet
    context.store.set_meta("last_sync_at", "2026-12-05T08:00:00Z")
    window.refresh_sync_count()
    context.tasks.wait_idle()
    assert window.sync_count.text() == "所有记录均已同步"


def test_a_closed_window_leaves_nothing_listening_to_the_store(context, qtbot):  # noqa: F811
    """A window closed and deleted while the application goes on (an operation finishing after it, at
    exit): its views had connected lambdas to the context's announcements and its role watcher, which
    outlive the views; the next announcement reached the deleted settings page's labels."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from commissioner_app.ops import OpChanges
    from ui.roles import watcher

    window = MainWindow(context)
    window.show()
    qtbot.waitExposed(window)
    assert context.tasks.wait_idle()
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # An exception in a slot fails the test.
    context.operation_did_execute.emit(OpChanges.all())
    watcher(context).role_changed.emit("manager")
    assert context.tasks.wait_idle()
