"""Logging in to the bureau's server from the GUI, against the real server on loopback."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from commissioner_app.store import Store
from sync import credentials, session
from tests.sync.harness import free_port
from tests.ui.sync_gui_support import (
    PASSWORD,
    Server,
    add_user,
    field_dir,
    gui_server,
    open_context,
    wait_until,
)
from ui.main_window import MainWindow
from ui.profile import ProfileDialog
from ui.sync_control import SyncController
from ui.sync_login import LoginDialog

__all__ = ["gui_server"]


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same on every machine: no system keyring, so the dialog must ask before using a file.
    monkeypatch.setattr("ui.sync_login.keyring_available", lambda: False)


def press_login(dialog: LoginDialog) -> None:
    dialog.login_button.click()


def fill(dialog: LoginDialog, url: str, user: str, password: str) -> None:
    dialog.server.setText(url)
    dialog.username.setText(user)
    dialog.password.setText(password)


def test_wrong_password_is_explained_then_the_right_one_logs_in(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    page = window.show_view("sync")
    wait_until(lambda: page.user.text() == "未登录", what="the account shown")
    assert page.login_button.text() == "登录…" and not page.logout_button.isVisible()

    page.login_button.click()
    dialog = page.login_dialog
    assert dialog.keyring_note.isVisibleTo(dialog) and dialog.use_file.isVisibleTo(dialog)
    fill(dialog, gui_server.url, user, "not the password")
    press_login(dialog)
    # Without a keyring nothing is sent until the user chooses the token file explicitly.
    assert "没有系统密钥环" in dialog.status.text()
    dialog.use_file.setChecked(True)
    press_login(dialog)
    wait_until(
        lambda: dialog.buttons.isEnabled() and "不正确" in dialog.status.text(),
        what="the wrong-password message",
    )
    assert dialog.status.text().startswith("用户名或密码不正确") and "账号已停用" in dialog.status.text()
    assert not controller.account.logged_in and dialog.isVisible()

    dialog.password.setText(PASSWORD)
    press_login(dialog)
    wait_until(lambda: controller.account.logged_in, what="the login")
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert page.server.text() == gui_server.url
    assert page.user.text().startswith(user) and page.logout_button.isVisibleTo(page)
    store = Store.open(folder)
    try:
        assert store.get_meta(credentials.META_STORAGE) == "file"  # the choice made in the dialog
        assert credentials.load_token(store, gui_server.url, user)
    finally:
        store.close()

    # Logging out forgets the token and says so.
    page.logout_button.click()
    wait_until(lambda: not controller.account.logged_in, what="the logout")
    assert page.user.text().endswith("已退出登录") and page.login_button.text() == "登录…"
    window.close()
    context.close()


def test_a_logout_the_server_did_not_hear_says_so(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Offline, the page said only 已退出登录: the login stays good at the server until it expires.
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    store = Store.open(folder)
    session.login(store, gui_server.url, user, PASSWORD, use_file=True)
    store.close()
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    page = window.show_view("sync")
    wait_until(lambda: controller.account.logged_in, what="the account")
    monkeypatch.setattr(session, "_revoke", lambda client: False)  # the server out of reach
    page.logout_button.click()
    wait_until(lambda: not controller.account.logged_in, what="the logout")
    wait_until(lambda: page.error_banner.isVisibleTo(page), what="the note")
    assert "未在服务器上撤销" in page.error_banner.text() and "停用账号" in page.error_banner.text()
    window.close()
    context.close()


def test_offline_and_outdated_client_are_explained(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    context, controller = open_context(folder)
    controller.client_options = {}
    dialog = LoginDialog(context, None, controller)
    qtbot.addWidget(dialog)
    dialog.use_file.setChecked(True)
    fill(dialog, f"http://127.0.0.1:{free_port()}", user, PASSWORD)
    press_login(dialog)
    wait_until(lambda: dialog.buttons.isEnabled(), timeout=40, what="the offline answer")
    assert dialog.status.text().startswith("无法连接到服务器")

    # A client speaking a protocol the server no longer accepts is told to update.
    from sync import client as client_module

    original = client_module.SyncClient.__init__

    def old_client(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["protocol_version"] = 0
        original(self, *args, **kwargs)

    monkeypatch.setattr(client_module.SyncClient, "__init__", old_client)
    fill(dialog, gui_server.url, user, PASSWORD)
    press_login(dialog)
    wait_until(
        lambda: dialog.buttons.isEnabled() and dialog.status.text() != "正在连接服务器…", what="the answer"
    )
    assert "版本过旧" in dialog.status.text() and "更新" in dialog.status.text()
    assert not controller.account.logged_in
    context.close()


def test_first_start_profile_is_filled_from_the_server(gui_server: Server, tmp_path: Path, qtbot) -> None:
    # The commissioner set up a profile on another laptop, which synced it to the server.
    from tests.sync.fieldwork import connect

    first, cid, user = field_dir(gui_server, tmp_path / "laptop-1")
    other = Store.open(first)
    connect(other, gui_server.url, user).sync()
    other.close()

    context, controller = open_context(tmp_path / "laptop-2")
    assert context.profile is None
    dialog = ProfileDialog(context, None, first_start=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_button.isEnabled()
    dialog.server_button.click()
    login = dialog.login_dialog
    login.use_file.setChecked(True)
    fill(login, gui_server.url, user, PASSWORD)
    press_login(login)
    wait_until(lambda: "填入" in dialog.server_status.text(), timeout=30, what="the profile from the server")
    assert dialog.name.text() == "王建国"
    assert dialog.sending_unit.currentText() == "省农业科学院"
    assert dialog.commissioner().id == cid  # the same commissioner as on the server: records match
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_until(lambda: context.profile is not None, what="the saved profile")
    assert context.profile.id == cid and context.profile.name == "王建国"
    context.close()


def test_display_name_fills_an_empty_profile_when_the_server_has_none(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    add_user(gui_server, "liming", "c-liming", display_name="李明")
    context, _controller = open_context(tmp_path / "fresh")
    dialog = ProfileDialog(context, None, first_start=True)
    qtbot.addWidget(dialog)
    dialog.server_button.click()
    login = dialog.login_dialog
    login.use_file.setChecked(True)
    fill(login, gui_server.url, "liming", PASSWORD)
    press_login(login)
    wait_until(lambda: "还没有您的个人资料" in dialog.server_status.text(), timeout=30, what="the answer")
    assert dialog.name.text() == "李明"
    # Chosen, so that a name typed as a new user would replace it, not follow it (李明李明).
    assert dialog.name.selectedText() == "李明"
    assert dialog.commissioner().id == "c-liming"
    context.close()


def test_a_profile_skipped_at_first_start_is_asked_for_again_with_the_accounts_name_filled_in(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """From a cold try: a manager skipped the first-start profile, logged in on the sync page and
    synced; the server had no profile of the account yet, so the next start asked again, with an
    empty form and no word of why. The form now starts from the account: its name, and the reason."""
    from sync import session

    add_user(gui_server, "wangwu", "c-wangwu", display_name="王五")
    folder = tmp_path / "manager"
    store = Store.open(folder)
    session.login(store, gui_server.url, "wangwu", PASSWORD, use_file=True)
    store.close()
    context, _controller = open_context(folder)
    assert context.profile is None
    dialog = ProfileDialog(context, None, first_start=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.text() == "王五"
    assert "服务器上还没有您的个人资料" in dialog.server_status.text()
    assert dialog.commissioner().id == "c-wangwu"
    context.close()


def test_a_bureau_account_signed_in_at_first_start_is_not_asked_for_a_profile(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """Signed in as the bureau from the first-start dialog, the clerk was told to fill in a
    commissioner profile by hand (a bureau account has none)."""
    from sync.server import auth
    from sync.server.db import make_engine

    engine = make_engine(gui_server.database)
    auth.add_user(engine, "kjj", PASSWORD, "bureau", display_name="市科技局")
    engine.dispose()
    context, _controller = open_context(tmp_path / "bureau")
    dialog = ProfileDialog(context, None, first_start=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server_button.click()
    login = dialog.login_dialog
    login.use_file.setChecked(True)
    fill(login, gui_server.url, "kjj", PASSWORD)
    press_login(login)
    wait_until(lambda: not dialog.isVisible(), timeout=30, what="the dialog to close")
    assert dialog.result() == QDialog.DialogCode.Rejected and context.store.profile() is None
    # The city's records come at once: the clerk did not have to find the sync page first.
    wait_until(lambda: context.store.get_meta("last_sync_at"), timeout=30, what="the first sync")
    context.close()


def test_a_plain_http_server_elsewhere_needs_the_warned_choice_ticked(
    tmp_path: Path, qtbot, monkeypatch
) -> None:
    context, controller = open_context(tmp_path / "field")
    calls: list[dict] = []
    monkeypatch.setattr(controller, "login", lambda *a, **kw: calls.append(kw))
    dialog = LoginDialog(context, None, controller)
    qtbot.addWidget(dialog)
    dialog.use_file.setChecked(True)
    fill(dialog, "https://kjtpy.example.gov.cn", "wang", "pw")
    assert not dialog.insecure_note.isVisibleTo(dialog) and not dialog.allow_insecure.isVisibleTo(dialog)
    fill(dialog, "http://127.0.0.1:8765", "wang", "pw")  # this computer: nothing crosses a network
    assert not dialog.allow_insecure.isVisibleTo(dialog)

    fill(dialog, "http://10.0.0.5:8765", "wang", "pw")
    assert dialog.insecure_note.isVisibleTo(dialog) and dialog.allow_insecure.isVisibleTo(dialog)
    assert "未加密" in dialog.insecure_note.text() and "明文" in dialog.insecure_note.text()
    press_login(dialog)
    assert calls == [] and "https://" in dialog.status.text()
    dialog.allow_insecure.setChecked(True)
    press_login(dialog)
    assert len(calls) == 1 and calls[0]["allow_insecure"] is True
    from sync.errors import OfflineError

    calls[0]["done"](None, OfflineError())  # the server did not answer: the dialog stays

    fill(dialog, "https://kjtpy.example.gov.cn", "wang", "pw")
    assert not dialog.allow_insecure.isChecked()  # the choice belongs to that address only
    press_login(dialog)
    assert calls[-1]["allow_insecure"] is False


def offline_dir(gui_server: Server, folder: Path, visits: int = 2):  # type: ignore[no-untyped-def]
    """A data directory set up offline (first start's 以后再说), with visits; and a new account."""
    import uuid

    from tests.sync.fieldwork import commissioner_store
    from tests.ui.sync_gui_support import add_visits

    store = commissioner_store(folder, str(uuid.uuid4()), name="陈志远")
    offline_id = store.get_meta("self_commissioner_id")
    store.close()
    recorded = add_visits(folder, visits)
    cid = str(uuid.uuid4())
    user = f"chen{cid[:6]}"
    add_user(gui_server, user, cid)
    return offline_id, cid, user, recorded


def test_offline_records_are_bound_to_the_first_account_and_synced(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    from commissioner_app.domain import Visit

    offline_id, cid, user, recorded = offline_dir(gui_server, tmp_path / "field")
    context, controller = open_context(tmp_path / "field")
    assert context.profile is not None and context.profile.id == offline_id
    dialog = LoginDialog(context, None, controller)
    qtbot.addWidget(dialog)
    dialog.use_file.setChecked(True)
    fill(dialog, gui_server.url, user, PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: controller.account.logged_in, timeout=30, what="the login")
    assert "另一位" not in dialog.status.text() and "--data-dir" not in dialog.status.text()
    assert context.profile.id == cid and context.profile.name == "陈志远"
    controller.start_sync()
    wait_until(lambda: set(gui_server.records(cid)) >= {("visits", v.id) for v in recorded}, what="the sync")
    assert all(context.reader.require(Visit, v.id).commissioner_id == cid for v in recorded)
    context.close()


def test_an_account_with_records_offers_bind_or_another_folder_never_an_option(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from tests.sync.fieldwork import commissioner_store, connect
    from tests.ui.sync_gui_support import add_visits

    offline_id, cid, user, recorded = offline_dir(gui_server, tmp_path / "field")
    office = commissioner_store(tmp_path / "office", cid)
    office.close()
    add_visits(tmp_path / "office", 1, seed=9)
    office = Store.open(tmp_path / "office")
    connect(office, gui_server.url, user).sync()
    office.close()

    context, controller = open_context(tmp_path / "field")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    page = window.show_view("sync")
    dialog = page.open_login()
    dialog.use_file.setChecked(True)
    fill(dialog, gui_server.url, user, PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: getattr(dialog, "choice_box", None) is not None, timeout=30, what="the choice")
    box = dialog.choice_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert (
        "陈志远" in box.text() and "--data-dir" not in box.text() and "--data-dir" not in dialog.status.text()
    )
    assert not controller.account.logged_in

    # Another data directory: a folder dialog, then the application starts again on it.
    started: list[tuple[Path, str | None]] = []
    chosen = tmp_path / "chen"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(chosen)))
    monkeypatch.setattr(
        "ui.app.relaunch_with", lambda folder, lang=None: started.append((folder, lang)) or True
    )
    qtbot.mouseClick(dialog.other_dir_button, Qt.MouseButton.LeftButton)
    assert started == [(chosen, "zh_CN")]
    wait_until(lambda: not window.isVisible(), what="the window closing")
    context.close()

    # Bind: the offline records become the account's, beside its own.
    context, controller = open_context(tmp_path / "field")
    dialog = LoginDialog(context, None, controller)
    qtbot.addWidget(dialog)
    dialog.use_file.setChecked(True)
    fill(dialog, gui_server.url, user, PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: getattr(dialog, "choice_box", None) is not None, timeout=30, what="the choice")
    qtbot.mouseClick(dialog.bind_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: controller.account.logged_in, timeout=30, what="the login")
    assert context.profile.id == cid
    controller.start_sync()
    wait_until(lambda: set(gui_server.records(cid)) >= {("visits", v.id) for v in recorded}, what="the sync")
    context.close()


def test_a_one_time_code_asks_for_a_new_password_before_logging_in(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    from sqlalchemy import update

    from sync.server import auth
    from sync.server.db import make_engine
    from sync.server.tables import users

    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    engine = make_engine(gui_server.database)
    with engine.begin() as conn:  # as the bureau's reset does (sync/server/admin.py)
        conn.execute(
            update(users)
            .where(users.c.username == user)
            .values(password_hash=auth.hash_code("abcd-efgh-jkmn"), must_change_password=True)
        )
    engine.dispose()
    context, controller = open_context(folder)
    dialog = LoginDialog(context, controller=controller)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.new_password.isVisible()
    fill(dialog, gui_server.url, user, "abcd-efgh-jkmn")
    dialog.use_file.setChecked(True)
    press_login(dialog)
    wait_until(lambda: dialog.new_password.isVisible(), what="the new password fields")
    assert "一次性密码" in dialog.status.text() and not controller.account.logged_in
    dialog.new_password.setText("my own secret")
    dialog.new_password_again.setText("my own secreT")
    press_login(dialog)
    assert dialog.status.text() == "两次输入的新密码不一致。"
    dialog.new_password_again.setText("my own secret")
    press_login(dialog)
    wait_until(lambda: controller.account.logged_in, what="the login with the new password")
    assert gui_server_login(gui_server, user, "my own secret") == 200
    assert gui_server_login(gui_server, user, "abcd-efgh-jkmn") == 401


def gui_server_login(server: Server, user: str, password: str) -> int:
    import requests

    answer = requests.post(
        server.url + "/api/v1/auth/login",
        headers={"X-Protocol-Version": "1"},
        json={"username": user, "password": password},
        timeout=10,
    )
    return int(answer.status_code)


def login_dialog(folder: Path, qtbot) -> tuple[MainWindow, SyncController, LoginDialog]:
    """The main window on `folder`'s data, its sync page's login dialog open (the token file chosen)."""
    context, controller = open_context(folder)
    window = MainWindow(context)
    qtbot.addWidget(window)
    page = window.show_view("sync")
    page.login_button.click()
    dialog = page.login_dialog
    dialog.use_file.setChecked(True)
    return window, controller, dialog


def test_a_mistyped_server_address_is_explained_in_the_dialog(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """Half-typed or wrong addresses: nothing breaks while typing, and logging in says what is wrong
    with the address (not that the network is down)."""
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    _window, controller, dialog = login_dialog(folder, qtbot)
    for url, says in (
        ("http://[::1", "不是有效的网址"),
        ("ftp://example.org", "http:// 或 https://"),
        (gui_server.url.removeprefix("http://"), "不支持 HTTPS"),
    ):
        fill(dialog, url, user, PASSWORD)  # typed: the plain-http warning checks it as it changes
        press_login(dialog)
        wait_until(lambda says=says: dialog.buttons.isEnabled() and says in dialog.status.text(), what=url)
        assert not controller.account.logged_in and dialog.isVisible()


def test_the_accounts_profile_is_used_as_soon_as_a_sync_brings_it(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """A commissioner skips the profile at first start and logs in: the account's profile arrives
    with the first sync. It was not used until the application restarted: 设置 said 尚未填写, and
    filling the form in made a second profile that the server refused, and every record after it."""
    from commissioner_app.domain import Visit
    from tests.sync.fieldwork import add_target, add_visit, connect

    there, cid, user = field_dir(gui_server, tmp_path / "there")  # the profile, made elsewhere
    elsewhere = Store.open(there)
    connect(elsewhere, gui_server.url, user).sync()
    elsewhere.close()

    here = tmp_path / "here"  # a new laptop, no profile
    Store.open(here).close()
    window, controller, dialog = login_dialog(here, qtbot)
    context = window.context
    assert context.profile is None
    fill(dialog, gui_server.url, user, PASSWORD)
    press_login(dialog)
    wait_until(lambda: controller.account.logged_in, what="the login")
    assert controller.start_sync()
    wait_until(lambda: not controller.syncing, what="the sync")
    wait_until(lambda: context.profile is not None, what="the account's profile")
    assert context.profile.id == cid and context.profile.name == "王建国"
    settings = window.show_view("settings")
    assert "王建国" in settings.profile.text()

    # Records made now are the account's (the worker writes as its commissioner).
    import random

    rng = random.Random(4)
    store = context.store
    visit = add_visit(store, rng, add_target(store, rng), "登录后记录")
    assert store.require(Visit, visit.id).commissioner_id == cid


def test_a_profile_typed_after_login_before_any_sync_is_the_accounts(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """Logged in, not synced yet, the commissioner fills in the profile from 设置: it is the account's
    profile (its id), not a new one the server would refuse."""
    from ui.profile import ProfileDialog

    cid = str(uuid.uuid4())
    user = f"new{cid[:6]}"
    add_user(gui_server, user, cid)
    here = tmp_path / "here"
    Store.open(here).close()
    window, controller, dialog = login_dialog(here, qtbot)
    context = window.context
    fill(dialog, gui_server.url, user, PASSWORD)
    press_login(dialog)
    wait_until(lambda: controller.account.logged_in, what="the login")

    profile = ProfileDialog(context, window)
    qtbot.addWidget(profile)
    profile.name.setText("李晓红")
    profile.phone.setText("13800138000")
    profile.sending_unit.setCurrentText("华南农业大学")
    profile.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_until(lambda: context.profile is not None, what="the saved profile")
    assert context.profile.id == cid


def test_a_profile_withdrawn_at_a_bureau_login_is_no_longer_the_one_in_use(
    gui_server: Server, tmp_path: Path, qtbot
) -> None:
    """The login withdrew the first-start profile a bureau clerk had filled in, but the running
    application went on writing as 王科员 (a demand published then said so) until it restarted."""
    from commissioner_app.domain import Commissioner
    from sync.server import auth
    from sync.server.db import make_engine

    engine = make_engine(gui_server.database)
    auth.add_user(engine, "kjj2", PASSWORD, "bureau", display_name="市科技局")
    engine.dispose()
    context, controller = open_context(tmp_path / "clerk")
    clerk = Commissioner(name="王科员", sending_unit="江门市科学技术局")
    context.store.save_profile(clerk)
    context.set_profile(clerk)
    results: list[object] = []
    controller.login(
        gui_server.url, "kjj2", PASSWORD, use_file=True, done=lambda account, error: results.append(error)
    )
    wait_until(lambda: results, timeout=30, what="the login")
    assert results == [None]
    wait_until(lambda: context.profile is None, timeout=10, what="the profile to go")
    assert context.profile_name == "" and context.store.actor == ""
    context.close()
