"""组织与账号 (ui/views/organisation.py): the bureau's accounts, teams and roster import, against the
real server on loopback. With SCREENSHOTS=DIR the screens are saved there (README pictures: run
with QT_SCALE_FACTOR=1.5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from commissioner_app.store import Store
from tests.sync.roster_data import make_roster
from tests.ui.sync_gui_support import Server, bureau_context, gui_server, wait_until
from ui.main_window import MainWindow

__all__ = ["gui_server"]


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        widget.window().grab().save(str(Path(folder) / name), "PNG")


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sync.credentials.keyring_available", lambda: False)


def test_the_bureau_imports_a_roster_and_administers_accounts_and_teams(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _controller = bureau_context(gui_server, tmp_path / "bureau", "shikeji")
    window = MainWindow(context)
    qtbot.addWidget(window)
    ratio = window.devicePixelRatioF()  # 1366 x 728 device pixels (a laptop's screen less a taskbar)
    window.resize(int(1366 / ratio), int(728 / ratio))
    window.show()
    window.start()  # a bureau account: no profile form
    assert getattr(window, "profile_dialog", None) is None
    view = window.show_view("organisation")
    wait_until(lambda: view.accounts_table.rowCount() == 1, what="the accounts")
    assert view.accounts_table.item(0, 0).text() == "shikeji"

    # The dry run lists every problem by row and column; nothing is written.
    view.tabs.setCurrentIndex(2)
    bad_file = tmp_path / "名册.xlsx"
    bad = make_roster(bad_file, 40, bad=4)
    view.set_roster(bad_file)
    view.check_button.click()
    wait_until(lambda: "处错误" in view.roster_summary.text(), what="the dry run")
    table = view.problems_table
    errors = {
        int(table.item(r, 0).text()) for r in range(table.rowCount()) if table.item(r, 2).text() == "错误"
    }
    assert errors == bad
    assert "未写入任何内容" in view.roster_summary.text()
    shoot(view, "organisation-roster-dry-run.png")

    good_file = tmp_path / "名册-改.xlsx"
    make_roster(good_file, 40, bad=0)
    view.set_roster(good_file)
    slips = tmp_path / "slips"
    slips.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(slips))
    view.import_button.click()
    wait_until(lambda: "已创建" in view.roster_summary.text(), timeout=120, what="the import")
    assert (slips / "账号通知.pdf").exists() and (slips / "账号通知.xlsx").exists()
    wait_until(lambda: view.accounts_table.rowCount() == 41, what="the new accounts")

    # Accounts: reset a password (the code is shown once), disable with a reason, enable again.
    view.tabs.setCurrentIndex(0)
    wait_until(lambda: view.teams_table.rowCount() > 0, timeout=60, what="the synced teams")
    wait_until(lambda: bool(view.accounts_table.item(1, 4).text()), what="team names")
    shoot(view, "organisation-accounts.png")
    view.accounts_table.selectRow(1)
    username = view.accounts_table.item(1, 0).text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.reset_button.click()
    wait_until(lambda: getattr(view, "code_box", None) is not None, what="the one-time code")
    assert username in view.code_box.text()
    view.code_box.close()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("调离本市", True))
    view.accounts_table.selectRow(1)
    view.disable_button.click()
    wait_until(lambda: view.accounts_table.item(1, 6).text() == "已停用：调离本市", what="disabled")
    view.accounts_table.selectRow(1)
    view.enable_button.click()
    wait_until(lambda: "已停用" not in view.accounts_table.item(1, 6).text(), what="enabled")
    view.accounts_table.selectRow(1)
    view.history_button.click()
    wait_until(lambda: getattr(view, "history_box", None) is not None, what="the membership history")
    assert "至今" in view.history_box.text() and "shikeji" in view.history_box.text()
    view.history_box.close()

    # A new account: its code is shown once; the list shows it waiting for its first login.
    dialog = view.new_account()
    dialog.widgets["username"].setText("13800138000")
    dialog.widgets["display_name"].setText("林晓")
    dialog.select("role", "county")
    dialog.select("county", "鹤山市")
    view.code_box = None
    dialog.accept()
    wait_until(lambda: view.code_box is not None, what="the new account's code")
    assert "13800138000" in view.code_box.text()
    view.code_box.close()
    wait_until(lambda: view.accounts_table.rowCount() == 42, what="the new account listed")

    # A team: made on the server, back here with the sync. An account added for it by its name
    # before it existed (`user add --team NAME`) joins it, and the bureau is told so.
    gui_server.add_user("enping01", commissioner_id="c-enping01", team="恩平簕菜科技特派团")
    view.tabs.setCurrentIndex(1)
    dialog = view.edit_team(None)
    dialog.widgets["name"].setText("恩平簕菜科技特派团")
    dialog.widgets["industry"].setText("簕菜")
    dialog.widgets["counties"].setText("恩平市、台山市")
    dialog.accept()
    wait_until(lambda: "1 个账号已加入：enping01" in view.status.text(), what="the account that joined")
    names = lambda: [view.teams_table.item(r, 0).text() for r in range(view.teams_table.rowCount())]  # noqa: E731
    wait_until(lambda: "恩平簕菜科技特派团" in names(), timeout=60, what="the new team after sync")
    row = names().index("恩平簕菜科技特派团")
    assert view.teams_table.item(row, 3).text() == "恩平市、台山市"
    shoot(view, "organisation-teams.png")
    context.tasks.wait_idle()


def test_the_forms_say_what_is_wrong_and_stay_open_with_what_was_typed(tmp_path: Path, qtbot) -> None:
    """The account and group forms closed before the server checked them: an empty user name came
    back as "body.username：过短" and everything typed had to be typed again; a workstation without
    a county was saved (its members' records then in no county bureau's view)."""
    from tests.ui.manager_support import log_in_as
    from ui.context import AppContext
    from ui.views.organisation import OrganisationView

    store = Store.open(tmp_path / "bureau")
    log_in_as(store, "bureau", None)
    context = AppContext(store, language="zh_CN")
    view = OrganisationView(context)
    qtbot.addWidget(view)
    view.organisation = {"teams": [], "workstations": [], "counties": ["新会区", "台山市"]}
    sent: list[str] = []
    view._network = lambda *args, **kwargs: sent.append("sent")  # type: ignore[method-assign]

    dialog = view.new_account()
    dialog.widgets["display_name"].setText("林晓")
    for username, says in (("", "请填写用户名"), ("林 晓", "不能含空格")):
        dialog.widgets["username"].setText(username)
        dialog.accept()
        assert dialog.isVisible() and says in dialog.error.text()
    dialog.widgets["username"].setText("13800138000")
    dialog.widgets["phone"].setText("1380013800")
    dialog.accept()
    assert dialog.isVisible() and "手机号码" in dialog.error.text()
    assert dialog.widgets["display_name"].text() == "林晓" and sent == []  # kept, nothing sent
    dialog.widgets["phone"].setText("13800138000")
    dialog.accept()
    assert not dialog.isVisible() and sent == ["sent"]

    team = view.edit_team(None)
    team.widgets["name"].setText("恩平簕菜科技特派团")
    team.widgets["counties"].setText("恩平市、台山市")
    team.accept()
    assert team.isVisible() and "恩平市" in team.error.text() and "台山市" in team.error.text()

    station = view.edit_station(None)
    station.widgets["name"].setText("月山镇工作站")
    station.accept()
    assert station.isVisible() and "县（市、区）" in station.error.text()
    station.select("county", "新会区")
    station.accept()
    assert not station.isVisible() and sent == ["sent", "sent"]
    context.close()


def test_the_accounts_a_saved_group_took_in_are_shown_only_as_names_the_server_could_mean() -> None:
    """What the server answers is checked before it is shown: names only, without control
    characters, each cut short; anything else in their place is left out."""
    from ui.views.organisation import joined_accounts

    assert joined_accounts({"joined": ["linzz", "wang\x1b[2Jfang", 7, None, "", "x" * 500]}) == [
        "linzz",
        "wang[2Jfang",
        "x" * 40,
    ]
    assert joined_accounts({"joined": "linzz"}) == [] and joined_accounts(["linzz"]) == []
    assert joined_accounts({"id": "team-1", "rev": 1}) == []
    assert len(joined_accounts({"joined": [f"u{i}" for i in range(20_000)]})) == 10_000


def test_a_refused_import_says_so_instead_of_importing_for_ever(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold try: the server refused an import the dry run had passed; the roster tab went on
    saying "正在导入…（1,000 人约需半分钟）" for good."""
    from commissioner_app.errors import CommissionerError
    from commissioner_app.i18n import Message
    from sync import admin_ops
    from ui.views.organisation import OrganisationView

    # (an account of its own: the server is the module's)
    context, _controller = bureau_context(gui_server, tmp_path / "bureau", "roster_clerk")
    view = OrganisationView(context)
    qtbot.addWidget(view)
    view.show()
    roster = tmp_path / "名册.xlsx"
    make_roster(roster, 3, bad=0)
    view.set_roster(roster)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))

    def refused(*_args: object) -> None:
        raise CommissionerError(Message("服务器拒绝了请求：电话号码格式不正确", "refused"))

    monkeypatch.setattr(admin_ops, "roster_import", refused)
    view.import_roster()
    wait_until(lambda: "正在导入" not in view.roster_summary.text(), what="the refusal")
    assert "未写入任何内容" in view.roster_summary.text()
    assert "电话号码格式不正确" in view.roster_summary.text()
    context.close()
