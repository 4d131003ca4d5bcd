"""组织与账号: the bureau's accounts, teams and workstations, and the roster import.

Every change goes to the server (sync/admin_ops.py on the network lane; the server decides and
checks everything); teams and workstations come back to this computer, and to every member's, with
the next sync. One-time codes are shown once, in a message the bureau copies or prints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import Commissioner
from commissioner_app.i18n import language
from commissioner_app.roster import problem_line
from sync import admin_ops
from ui import folders, screen_fit
from ui.context import AppContext
from ui.tasks import error_text
from ui.views.common import ColumnFitter, fit_by_content, heading
from ui.widgets.flow import flow_widget as _flow


def flow_widget(parent: QWidget, buttons: list[QWidget]) -> QWidget:
    """A row of buttons that wraps onto more lines when the window is narrow."""
    widget, flow = _flow(parent)
    for button in buttons:
        flow.addWidget(button)
    return widget


log = logging.getLogger("commissioner.ui.organisation")

ROLES = ("commissioner", "manager", "county", "bureau")


class _Table(QTableWidget):
    """A read-only table whose columns fit its width (see ColumnFitter)."""

    columns: ColumnFitter


def _table(parent: QWidget, widths: tuple[int, ...], stretch: int, texts: tuple[int, ...]) -> _Table:
    """On a wide window each column has its width in `widths` and the `stretch` one the rest; on a
    narrow one the `texts` columns share what the others (a role, a row number) leave, their headers
    wrapping between words (the English ones are long), so none is cut and nothing scrolls sideways."""
    table = _Table(0, len(widths), parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    # Tables take the height there is (a small screen at 150% scrolls inside them, not the page).
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    table.setMinimumHeight(70)
    table.columns = fit_by_content(table, widths, stretch, texts)
    return table


def _fill(table: _Table, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.columns.refit()  # the widest value may have changed


def _county_list(text: str) -> list[str]:
    """The counties typed in a form, separated by 、 or commas."""
    return [c.strip() for c in text.replace(",", "、").split("、") if c.strip()]


class FormDialog(QDialog):
    """A small form: line edits and combo boxes by name; `values()` after accept."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        fields: list[tuple[str, str, Any]],
        check: Callable[[dict[str, Any]], str] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        # What can be told here is told here, the dialog open and nothing typed lost: it used to
        # close first and the server's refusal came after, with everything to type again.
        self.check = check
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.hide()
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        for name, label, spec in fields:
            widget: QWidget
            if isinstance(spec, list):  # (text, data) choices; the first is selected
                combo = QComboBox(self)
                for text, data in spec:
                    combo.addItem(text, data)
                widget = combo
            else:
                widget = QLineEdit(str(spec or ""), self)
            self.widgets[name] = widget
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        screen_fit.fit_dialog(self, (520, self.sizeHint().height()))

    def accept(self) -> None:
        problem = self.check(self.values()) if self.check else ""
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    def select(self, name: str, data: Any) -> None:
        combo = self.widgets[name]
        assert isinstance(combo, QComboBox)
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            else:
                assert isinstance(widget, QLineEdit)
                out[name] = widget.text().strip()
        return out


class OrganisationView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.accounts: list[dict[str, Any]] = []
        self.organisation: dict[str, Any] = {"teams": [], "workstations": [], "counties": []}
        self.roster_path: Path | None = None
        self.letters: dict[str, str] = {}
        self.title = heading("", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # names and reasons come from the server
        self.tabs = QTabWidget(self)

        # 账号
        accounts = QWidget(self)
        # The role shows whole; the status (its reason for a disabled account) takes the rest.
        self.accounts_table = _table(accounts, (245,) * 7, 6, (0, 1, 3, 4, 5, 6))
        self.refresh_button = QPushButton(accounts)
        self.new_account_button = QPushButton(accounts)
        self.change_account_button = QPushButton(accounts)
        self.disable_button = QPushButton(accounts)
        self.enable_button = QPushButton(accounts)
        self.reset_button = QPushButton(accounts)
        self.history_button = QPushButton(accounts)
        self.history_button.clicked.connect(self.show_history)
        self.refresh_button.clicked.connect(self.load)
        self.new_account_button.clicked.connect(self.new_account)
        self.change_account_button.clicked.connect(self.change_account)
        self.disable_button.clicked.connect(self.disable_account)
        self.enable_button.clicked.connect(self.enable_account)
        self.reset_button.clicked.connect(self.reset_password)
        box = QVBoxLayout(accounts)
        box.addWidget(
            flow_widget(
                accounts,
                [
                    self.refresh_button,
                    self.new_account_button,
                    self.change_account_button,
                    self.disable_button,
                    self.enable_button,
                    self.reset_button,
                    self.history_button,
                ],
            )
        )
        box.addWidget(self.accounts_table, 1)

        # 团队与工作站
        groups = QWidget(self)
        self.teams_table = _table(groups, (428,) * 4, 0, (0, 1, 2, 3))
        self.stations_table = _table(groups, (428,) * 4, 0, (0, 1, 2, 3))
        self.new_team_button = QPushButton(groups)
        self.edit_team_button = QPushButton(groups)
        self.new_station_button = QPushButton(groups)
        self.edit_station_button = QPushButton(groups)
        self.new_team_button.clicked.connect(lambda: self.edit_team(None))
        self.edit_team_button.clicked.connect(lambda: self.edit_team(self._selected(self.teams_table)))
        self.new_station_button.clicked.connect(lambda: self.edit_station(None))
        self.edit_station_button.clicked.connect(
            lambda: self.edit_station(self._selected(self.stations_table))
        )
        self.teams_label, self.stations_label = QLabel(groups), QLabel(groups)
        box = QVBoxLayout(groups)
        box.addWidget(self.teams_label)
        box.addWidget(flow_widget(groups, [self.new_team_button, self.edit_team_button]))
        box.addWidget(self.teams_table, 1)
        box.addWidget(self.stations_label)
        box.addWidget(flow_widget(groups, [self.new_station_button, self.edit_station_button]))
        box.addWidget(self.stations_table, 1)

        # 名册导入
        roster = QWidget(self)
        self.roster_intro = QLabel(roster)
        self.roster_intro.setWordWrap(True)
        self.choose_button = QPushButton(roster)
        self.check_button = QPushButton(roster)
        self.import_button = QPushButton(roster)
        self.choose_button.clicked.connect(self.choose_roster)
        self.check_button.clicked.connect(self.check_roster)
        self.import_button.clicked.connect(self.import_roster)
        self.roster_file = QLabel(roster)
        self.roster_summary = QLabel(roster)
        self.roster_summary.setWordWrap(True)
        # The row and the kind show whole; the column and the problem share the rest.
        self.problems_table = _table(roster, (60, 440, 80, 600), 3, (1, 3))
        box = QVBoxLayout(roster)
        box.addWidget(self.roster_intro)
        box.addWidget(flow_widget(roster, [self.choose_button, self.check_button, self.import_button]))
        box.addWidget(self.roster_file)
        box.addWidget(self.roster_summary)
        box.addWidget(self.problems_table, 1)

        self.tabs.addTab(accounts, "")
        self.tabs.addTab(groups, "")
        self.tabs.addTab(roster, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self._roster_buttons()
        context.operation_did_execute.connect(self._changed)
        self.load_local()

    # --- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("组织与账号"))
        self.tabs.setTabText(0, self.tr("账号"))
        self.tabs.setTabText(1, self.tr("团队与工作站"))
        self.tabs.setTabText(2, self.tr("名册导入"))
        self.refresh_button.setText(self.tr("从服务器刷新"))
        self.new_account_button.setText(self.tr("新建账号…"))
        self.change_account_button.setText(self.tr("修改角色与归属…"))
        self.disable_button.setText(self.tr("停用…"))
        self.enable_button.setText(self.tr("重新启用"))
        self.reset_button.setText(self.tr("重置密码"))
        self.history_button.setText(self.tr("归属历史…"))
        self.accounts_table.setHorizontalHeaderLabels(
            [
                self.tr("用户名"),
                self.tr("姓名"),
                self.tr("角色"),
                self.tr("县（市、区）"),
                self.tr("科技特派团"),
                self.tr("工作站"),
                self.tr("状态"),
            ]
        )
        self.teams_label.setText(self.tr("科技特派团"))
        self.stations_label.setText(self.tr("工作站"))
        self.new_team_button.setText(self.tr("新建团队…"))
        self.edit_team_button.setText(self.tr("修改团队…"))
        self.new_station_button.setText(self.tr("新建工作站…"))
        self.edit_station_button.setText(self.tr("修改工作站…"))
        self.teams_table.setHorizontalHeaderLabels(
            [self.tr("名称"), self.tr("依托高校或派出单位"), self.tr("产业"), self.tr("服务县（市、区）")]
        )
        self.stations_table.setHorizontalHeaderLabels(
            [self.tr("名称"), self.tr("县（市、区）"), self.tr("镇（街道）"), self.tr("依托单位")]
        )
        self.roster_intro.setText(
            self.tr(
                "名册为 Excel (.xlsx) 文件，第一行为列名：姓名、性别、派出单位、职称、专业特长、手机号码、"
                "科技特派团、工作站、服务县（市、区）、角色。先检查：列出每一处问题（行、列），不写入任何内容；"
                "没有错误后再导入，并生成账号通知（PDF 和 Excel）。"
            )
        )
        self.choose_button.setText(self.tr("选择名册…"))
        self.check_button.setText(self.tr("检查（不写入）"))
        self.import_button.setText(self.tr("导入并生成账号通知…"))
        self.problems_table.setHorizontalHeaderLabels(
            [self.tr("行"), self.tr("列"), self.tr("类型"), self.tr("问题")]
        )
        self.roster_file.setText(
            self.tr("名册：{0}").format(self.roster_path.name)
            if self.roster_path
            else self.tr("尚未选择名册")
        )
        self.problems_table.columns.refit()  # the headers' widths change with the language
        self._show_accounts()
        self._show_groups()

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def role_name(self, role: str) -> str:
        names = {
            "commissioner": self.tr("科技特派员"),
            "manager": self.tr("团长/站长"),
            "county": self.tr("县科技局"),
            "bureau": self.tr("市科技局"),
        }
        return names.get(role, role)

    def say(self, text: str) -> None:
        self.status.setText(text)

    def failed(self, error: BaseException) -> None:
        self.say(error_text(error))

    # --- loading --------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # Qt's name
        super().showEvent(event)
        if not self.accounts:
            self.load()

    def _changed(self, changes: Any) -> None:
        tables = getattr(changes, "tables", None)
        if not tables or {"teams", "workstations"} & set(tables):
            self.load_local()

    def load_local(self) -> None:
        from ui.tasks import Operation

        def shown(value: dict[str, Any]) -> None:
            self.organisation = value
            self._show_groups()
            self._show_accounts()

        Operation(self, admin_ops.local_organisation, shown).failure(self.failed).run_in_background()

    def _network(self, job: Any, done: Any, summary: QLabel | None = None) -> None:
        """Run `job` with the server; its error is said in the status line (and in `summary`, which
        would otherwise go on saying "正在导入…" for good)."""

        def finished(result: Any, error: BaseException | None) -> None:
            if error is not None:
                if summary is not None:
                    summary.setText(self.tr("未完成，未写入任何内容：{0}").format(error_text(error)))
                self.failed(error)
            else:
                done(result)

        if not self.context.tasks.submit_network(job, finished):
            self.say(self.tr("无法连接服务器：程序正在关闭，或没有数据目录。"))

    def load(self) -> None:
        self.say(self.tr("正在从服务器读取账号…"))

        def shown(accounts: list[dict[str, Any]]) -> None:
            self.accounts = accounts
            self._show_accounts()
            self.say(self.tr("共 {0} 个账号。").format(len(accounts)))

        self._network(admin_ops.list_accounts, shown)

    def _names(self, key: str) -> dict[str, str]:
        return {r.id: r.name for r in self.organisation.get(key, [])}

    def _show_accounts(self) -> None:
        teams, stations = self._names("teams"), self._names("workstations")
        rows = []
        for a in self.accounts:
            state = self.tr("已停用：{0}").format(a["disabled_reason"]) if a["disabled"] else self.tr("正常")
            if a.get("must_change_password") and not a["disabled"]:
                state = self.tr("待首次登录")
            rows.append(
                [
                    a["username"],
                    a["display_name"],
                    self.role_name(a["role"]),
                    a.get("county", ""),
                    teams.get(a.get("team_id") or "", a.get("team_id") or ""),
                    stations.get(a.get("workstation_id") or "", a.get("workstation_id") or ""),
                    state,
                ]
            )
        _fill(self.accounts_table, rows)

    def _show_groups(self) -> None:
        _fill(
            self.teams_table,
            [
                [t.name, t.partner_university, t.industry, "、".join(t.counties)]
                for t in self.organisation["teams"]
            ],
        )
        _fill(
            self.stations_table,
            [[w.name, w.county, w.town, w.host_unit] for w in self.organisation["workstations"]],
        )

    @staticmethod
    def _selected(table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        return rows[0].row() if rows else None

    def _account(self) -> dict[str, Any] | None:
        row = self._selected(self.accounts_table)
        if row is None or row >= len(self.accounts):
            self.say(self.tr("请先在表格中选择一个账号。"))
            return None
        return self.accounts[row]

    # --- accounts -------------------------------------------------------------------------------

    def _choices(self, key: str) -> list[tuple[str, Any]]:
        return [(self.tr("（无）"), None)] + [(r.name, r.id) for r in self.organisation.get(key, [])]

    def _county_choices(self) -> list[tuple[str, Any]]:
        return [(self.tr("（无）"), "")] + [(c, c) for c in self.organisation.get("counties", [])]

    def _role_choices(self) -> list[tuple[str, Any]]:
        return [(self.role_name(r), r) for r in ROLES]

    def new_account(self) -> QDialog:
        dialog = FormDialog(
            self,
            self.tr("新建账号"),
            [
                ("username", self.tr("用户名（建议用手机号码）"), ""),
                ("display_name", self.tr("姓名"), ""),
                ("role", self.tr("角色"), self._role_choices()),
                ("county", self.tr("县（市、区）"), self._county_choices()),
                ("team_id", self.tr("科技特派团"), self._choices("teams")),
                ("workstation_id", self.tr("工作站"), self._choices("workstations")),
                ("phone", self.tr("手机号码"), ""),
                ("sending_unit", self.tr("派出单位"), ""),
            ],
            check=self._account_problem,
        )
        dialog.accepted.connect(lambda: self._create(dialog.values()))
        self.account_dialog = dialog
        dialog.open()
        return dialog

    def _account_problem(self, v: dict[str, Any]) -> str:
        if not v["username"]:
            return self.tr("请填写用户名（建议用手机号码）。")
        if any(c.isspace() for c in v["username"]):
            return self.tr("用户名不能含空格。")
        if not v["display_name"]:
            return self.tr("请填写姓名。")
        if v["phone"]:
            issues = [i for i in Commissioner(phone=v["phone"]).validate() if i.field == "phone"]
            if issues:
                return self.tr("手机号码：{0}").format(issues[0].message.text(self.context.language))
        return ""

    def _group_problem(self, v: dict[str, Any]) -> str:
        if not v["name"]:
            return self.tr("请填写名称。")
        known = set(self.organisation.get("counties") or [])
        if "counties" in v:
            named = _county_list(v["counties"])
            unknown = [c for c in named if known and c not in known]
            if unknown:
                return self.tr("不是本市的县（市、区）：{0}（可填：{1}）").format(
                    "、".join(unknown), "、".join(sorted(known))
                )
        if "county" in v and not v["county"]:
            return self.tr("请选择工作站所在的县（市、区）：县科技局按它看到站里的记录。")
        return ""

    def _create(self, values: dict[str, Any]) -> None:
        body: dict[str, Any] = {
            k: values[k] for k in ("username", "display_name", "role", "county", "team_id", "workstation_id")
        }
        if values["role"] in ("commissioner", "manager") and values["sending_unit"]:
            body["profile"] = {"phone": values["phone"], "sending_unit": values["sending_unit"]}
        self._network(lambda store: admin_ops.create_account(store, body), self._code_shown)

    def _code_shown(self, answer: dict[str, Any]) -> None:
        account = answer.get("account") or {"username": answer.get("username", "")}
        self.show_code(account["username"], answer["one_time_code"])
        self.load()

    def show_code(self, username: str, code: str) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("一次性密码"))
        box.setText(
            self.tr(
                "账号 {0} 的一次性密码：\n\n{1}\n\n"
                "只显示这一次，请抄下或截图交给本人；首次登录时须设置新密码。"
            ).format(username, code)
        )
        self.code_box = box
        box.open()
        return box

    def change_account(self) -> QDialog | None:
        account = self._account()
        if account is None:
            return None
        dialog = FormDialog(
            self,
            self.tr("修改 {0}").format(account["username"]),
            [
                ("display_name", self.tr("姓名"), account["display_name"]),
                ("role", self.tr("角色"), self._role_choices()),
                ("county", self.tr("县（市、区）"), self._county_choices()),
                ("team_id", self.tr("科技特派团"), self._choices("teams")),
                ("workstation_id", self.tr("工作站"), self._choices("workstations")),
            ],
        )
        for name in ("role", "county", "team_id", "workstation_id"):
            dialog.select(name, account.get(name))
        account_id = account["id"]
        dialog.accepted.connect(
            lambda: self._network(
                lambda store: admin_ops.change_account(store, account_id, dialog.values()),
                lambda _a: self.load(),
            )
        )
        self.account_dialog = dialog
        dialog.open()
        return dialog

    def disable_account(self) -> None:
        account = self._account()
        if account is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("停用账号"), self.tr("停用 {0} 的原因：").format(account["username"])
        )
        if not ok:
            return
        if not reason.strip():
            self.say(self.tr("停用须填写原因。"))
            return
        account_id = account["id"]
        self._network(
            lambda store: admin_ops.disable_account(store, account_id, reason.strip()), lambda _a: self.load()
        )

    def enable_account(self) -> None:
        account = self._account()
        if account is not None:
            account_id = account["id"]
            self._network(lambda store: admin_ops.enable_account(store, account_id), lambda _a: self.load())

    def reset_password(self) -> None:
        account = self._account()
        if account is None:
            return
        asked = QMessageBox.question(
            self,
            self.tr("重置密码"),
            self.tr("为 {0} 生成新的一次性密码？其原密码立即失效。").format(account["username"]),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        account_id = account["id"]
        self._network(lambda store: admin_ops.reset_password(store, account_id), self._code_shown)

    def show_history(self) -> None:
        account = self._account()
        if account is None:
            return
        account_id, username = account["id"], account["username"]
        self._network(
            lambda store: admin_ops.memberships(store, account_id),
            lambda rows: self._history_shown(username, rows),
        )

    def _history_shown(self, username: str, rows: list[dict[str, Any]]) -> QMessageBox:
        teams, stations = self._names("teams"), self._names("workstations")
        lines = []
        for r in rows:
            until = (r["until_at"] or "")[:10] or self.tr("至今")
            lines.append(
                self.tr("{0} 至 {1}：{2}，{3}，团队 {4}，工作站 {5}（{6}）").format(
                    r["from_at"][:10],
                    until,
                    self.role_name(r["role"]),
                    r["county"] or "—",
                    teams.get(r["team_id"] or "", r["team_id"] or "—"),
                    stations.get(r["workstation_id"] or "", r["workstation_id"] or "—"),
                    r["changed_by"] or "—",
                )
            )
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("{0} 的归属历史").format(username))
        box.setText("\n".join(lines))
        self.history_box = box
        box.open()
        return box

    # --- teams and workstations -------------------------------------------------------------------

    def _after_group_saved(self, answer: Any) -> None:
        joined = joined_accounts(answer)
        if joined:
            # Accounts added for it by its name before it existed have joined it (the server says whom).
            names = "、".join(joined[:MAX_JOINED_SHOWN]) + ("…" if len(joined) > MAX_JOINED_SHOWN else "")
            self.say(
                self.tr(
                    "已保存到服务器；按名称等它建立的 {0} 个账号已加入：{1}。同步后各成员的电脑上都会显示。"
                ).format(len(joined), names)
            )
        else:
            self.say(self.tr("已保存到服务器；同步后本机和各成员的电脑上都会显示。"))
        from ui.sync_control import sync_controller

        sync_controller(self.context).start_sync()

    def edit_team(self, row: int | None) -> QDialog:
        import uuid

        teams = self.organisation["teams"]
        team = teams[row] if row is not None and row < len(teams) else None
        dialog = FormDialog(
            self,
            self.tr("科技特派团"),
            [
                ("name", self.tr("名称"), team.name if team else ""),
                (
                    "partner_university",
                    self.tr("依托高校或派出单位"),
                    team.partner_university if team else "",
                ),
                ("industry", self.tr("产业"), team.industry if team else ""),
                (
                    "counties",
                    self.tr("服务县（市、区），以顿号分隔"),
                    "、".join(team.counties) if team else "",
                ),
            ],
            check=self._group_problem,
        )
        team_id = team.id if team else str(uuid.uuid4())

        def save() -> None:
            v = dialog.values()
            body = {
                "name": v["name"],
                "partner_university": v["partner_university"],
                "industry": v["industry"],
                "counties": _county_list(v["counties"]),
                "leader_id": team.leader_id if team else None,
            }
            self._network(lambda store: admin_ops.put_team(store, team_id, body), self._after_group_saved)

        dialog.accepted.connect(save)
        self.group_dialog = dialog
        dialog.open()
        return dialog

    def edit_station(self, row: int | None) -> QDialog:
        import uuid

        stations = self.organisation["workstations"]
        station = stations[row] if row is not None and row < len(stations) else None
        dialog = FormDialog(
            self,
            self.tr("工作站"),
            [
                ("name", self.tr("名称"), station.name if station else ""),
                ("county", self.tr("县（市、区）"), self._county_choices()),
                ("town", self.tr("镇（街道）"), station.town if station else ""),
                ("host_unit", self.tr("依托单位"), station.host_unit if station else ""),
            ],
            check=self._group_problem,
        )
        if station:
            dialog.select("county", station.county)
        station_id = station.id if station else str(uuid.uuid4())

        def save() -> None:
            body = {**dialog.values(), "manager_id": station.manager_id if station else None}
            self._network(
                lambda store: admin_ops.put_workstation(store, station_id, body), self._after_group_saved
            )

        dialog.accepted.connect(save)
        self.group_dialog = dialog
        dialog.open()
        return dialog

    # --- roster ---------------------------------------------------------------------------------

    def _roster_buttons(self) -> None:
        self.check_button.setEnabled(self.roster_path is not None)
        self.import_button.setEnabled(self.roster_path is not None)

    def choose_roster(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择名册"), folders.start("roster"), self.tr("Excel 名册 (*.xlsx)")
        )
        if name:
            folders.remember("roster", name)
            self.set_roster(Path(name))

    def set_roster(self, path: Path) -> None:
        self.roster_path = path
        self.roster_file.setText(self.tr("名册：{0}").format(path.name))
        self._roster_buttons()

    def check_roster(self) -> None:
        path = self.roster_path
        if path is None:
            return
        self.roster_summary.setText(self.tr("正在检查…"))
        self._network(lambda store: admin_ops.roster_check(store, path), self._checked, self.roster_summary)

    def _checked(self, result: Any) -> None:
        roster, answer = result
        self.letters = roster.letters
        self._show_problems(answer["problems"])
        self.roster_summary.setText(
            self.tr("共 {0} 行，{1} 处错误，将新建 {2} 个团队、{3} 个工作站。未写入任何内容。").format(
                answer["rows"],
                answer["errors"],
                len(answer["teams_to_create"]),
                len(answer["workstations_to_create"]),
            )
        )

    def _show_problems(self, problems: list[dict[str, Any]]) -> None:
        lang = language()
        rows = []
        # Errors first (they stop the import), then the teams and stations that would be made.
        for p in sorted(problems, key=lambda p: (p["kind"] != "error", p["row"])):
            letter = self.letters.get(p["column"], "")
            column = f"{p['column']}（{letter}）" if letter else p["column"]
            kind = self.tr("错误") if p["kind"] == "error" else self.tr("提示")
            rows.append([str(p["row"]), column, kind, p["message_en"] if lang == "en" else p["message_zh"]])
        _fill(self.problems_table, rows)

    def import_roster(self) -> None:
        path = self.roster_path
        if path is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择账号通知的保存文件夹"), folders.start("account_letters")
        )
        if not folder:
            return
        folders.remember("account_letters", folder)
        self.roster_summary.setText(self.tr("正在导入…（1,000 人约需半分钟）"))
        self._network(
            lambda store: admin_ops.roster_import(store, path, Path(folder)),
            self._imported,
            self.roster_summary,
        )

    def _imported(self, result: dict[str, Any]) -> None:
        self.letters = result.get("letters", {})
        if result["problems"]:
            self._show_problems(result["problems"])
            self.roster_summary.setText(self.tr("名册有错误，未导入任何内容。"))
            return
        self._show_problems([])
        self.roster_summary.setText(
            self.tr("已创建 {0} 个账号。账号通知：{1}").format(result["imported"], result["pdf"])
        )
        self.load()
        from ui.sync_control import sync_controller

        sync_controller(self.context).start_sync()


def problem_text(problem: dict[str, Any], letters: dict[str, str]) -> str:
    return problem_line(problem, letters, language())


MAX_JOINED_SHOWN = 20  # names in the message; the count says how many in all


def joined_accounts(answer: Any) -> list[str]:
    """The user names a saved team or workstation took in, as the server answered them: text only,
    without control characters, each cut at 40 characters, at most 10,000; nothing from an answer
    that does not hold a list of them."""
    names = answer.get("joined") if isinstance(answer, dict) else None
    if not isinstance(names, list):
        return []
    cleaned = (
        "".join(ch for ch in name if ch.isprintable())[:40]
        for name in names[:10_000]
        if isinstance(name, str)
    )
    return [name for name in cleaned if name]
