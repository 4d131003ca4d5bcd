"""The commissioner's profile: asked for at first start, editable from the settings."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import Commissioner, Issue, Team, Workstation
from commissioner_app.errors import ValidationError
from commissioner_app.ops.profile import save_profile
from commissioner_app.reference import reference
from ui import screen_fit
from ui.context import AppContext
from ui.tasks import Operation, show_error

log = logging.getLogger("commissioner.ui.profile")

TITLES = [
    "教授",
    "副教授",
    "研究员",
    "副研究员",
    "高级工程师",
    "工程师",
    "高级农艺师",
    "农艺师",
    "高级畜牧师",
    "主任医师",
    "副主任医师",
    "讲师",
]


class ProfileDialog(QDialog):
    """Name, phone, sending unit, title, specialty, industries, team and workstation."""

    saved = Signal(object)  # the saved Commissioner

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, first_start: bool = False):
        super().__init__(parent)
        self.context = context
        self.first_start = first_start
        self.original = context.profile
        reader = context.reader
        lang = context.language

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.sending_unit = QComboBox(self)
        self.sending_unit.setEditable(True)
        self.sending_unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.sending_unit.addItems(
            [r.name_zh for r in reference(reader, "sending_unit") if r.code != "other"]
        )
        self.sending_unit.setCurrentIndex(-1)
        self.title = QComboBox(self)
        self.title.setEditable(True)
        self.title.addItems(TITLES)
        self.title.setCurrentIndex(-1)
        self.specialty = QLineEdit(self)
        self.industries = QListWidget(self)
        self.industries.setFlow(QListView.Flow.LeftToRight)
        self.industries.setWrapping(True)
        self.industries.setResizeMode(QListView.ResizeMode.Adjust)
        self.industries.setSpacing(2)
        self.industries.setFixedHeight(150)
        self._industry_items = reference(reader, "industry")
        for item in self._industry_items:
            entry = QListWidgetItem(item.name(lang), self.industries)
            entry.setData(Qt.ItemDataRole.UserRole, item.name_zh)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
        self.team = QComboBox(self)
        self.workstation = QComboBox(self)
        self.team.addItem("", None)
        for team in reader.all(Team):
            self.team.addItem(team.name, team.id)
        self.workstation.addItem("", None)
        for station in reader.all(Workstation):
            self.workstation.addItem(station.name, station.id)

        for combo in (self.sending_unit, self.title, self.team, self.workstation):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.errors = {name: self._error_label() for name in ("name", "phone", "sending_unit")}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        rows: list[tuple[str, QWidget]] = [
            ("name", self.name),
            ("phone", self.phone),
            ("sending_unit", self.sending_unit),
            ("title", self.title),
            ("specialty", self.specialty),
            ("industries", self.industries),
            ("team", self.team),
            ("workstation", self.workstation),
        ]
        for key, widget in rows:
            label = QLabel(self)
            label.setBuddy(widget)
            self.labels[key] = label
            if key in self.errors:
                box = QVBoxLayout()
                box.setSpacing(2)
                box.addWidget(widget)
                box.addWidget(self.errors[key])
                self.form.addRow(label, box)
            else:
                self.form.addRow(label, widget)
        # Connecting to the bureau's server fills the profile from the account (ui/sync_login.py).
        self.server_button = QPushButton(self)
        self.server_button.clicked.connect(self.connect_server)
        self.server_status = QLabel(self)
        self.server_status.setWordWrap(True)
        # Plain text: it shows the account's name and the server's address, which come from outside.
        self.server_status.setTextFormat(Qt.TextFormat.PlainText)
        self.server_status.setObjectName("hint")
        self.server_user: dict | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # The form scrolls on a small screen; 保存 and 取消 stay visible below it.
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.intro)
        # First, in sight on a field laptop at 150 %: an account the bureau opened (a commissioner's,
        # a manager's or the bureau's own) fills the form, or needs none. Below the form, a bureau
        # operator filled in a commissioner's profile for themselves before finding it.
        column.addWidget(self.server_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.server_status)
        column.addLayout(self.form)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        self.page = screen_fit.scrolling(body, self)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(min(640, screen_fit.dialog_size(self, QSize(640, 0)).width()))
        if self.original is not None:
            self._show(self.original)
        else:
            self._start_from_account()
        self.retranslate()
        margins = layout.contentsMargins()
        screen_fit.fit_dialog(
            self,
            QSize(
                max(640, body.sizeHint().width()) + margins.left() + margins.right(),
                body.sizeHint().height() + self.buttons.sizeHint().height() + 40,
            ),
        )

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("error")
        label.setStyleSheet("color: #b91c1c;")
        label.setVisible(False)
        return label

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("欢迎使用科技特派员工作平台") if self.first_start else self.tr("个人资料")
        )
        self.intro.setText(
            self.tr(
                "第一次使用：已有科技局开通的账号，请先连接科技局服务器，资料自动填入（科技局账号无需填写）；"
                "否则请填写您的个人资料。带 * 的为必填项，其余可以以后在“设置”中补充。"
            )
            if self.first_start
            else self.tr("修改您的个人资料。带 * 的为必填项。")
        )
        texts = {
            "name": self.tr("姓名 *"),
            "phone": self.tr("手机号"),
            "sending_unit": self.tr("派出单位 *"),
            "title": self.tr("职称"),
            "specialty": self.tr("专业特长"),
            "industries": self.tr("服务产业"),
            "team": self.tr("所属科技特派团"),
            "workstation": self.tr("所属工作站"),
        }
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.name.setPlaceholderText(self.tr("例如：李明"))
        self.phone.setPlaceholderText(self.tr("例如：13800138000"))
        for combo, hint in (
            (self.sending_unit, self.tr("从列表中选择，或直接输入单位名称")),
            (self.title, self.tr("例如：高级农艺师")),
        ):
            edit = combo.lineEdit()  # the combos are editable
            if edit is not None:
                edit.setPlaceholderText(hint)
        self.specialty.setPlaceholderText(self.tr("例如：柑橘栽培与病虫害防治"))
        for row, item in enumerate(self._industry_items):
            self.industries.item(row).setText(item.name(self.context.language))
        self.team.setItemText(0, self.tr("（暂无）"))
        self.workstation.setItemText(0, self.tr("（暂无）"))
        self.server_button.setText(self.tr("连接科技局服务器…"))
        self.server_button.setToolTip(
            self.tr("已有科技局服务器账户？登录后自动填入服务器上的个人资料，并可同步记录")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("以后再说") if self.first_start else self.tr("取消")
        )

    def _show(self, c: Commissioner) -> None:
        self.name.setText(c.name)
        self.phone.setText(c.phone)
        self.sending_unit.setEditText(c.sending_unit)
        self.title.setEditText(c.title)
        self.specialty.setText(c.specialty)
        chosen = set(c.industries)
        for i in range(self.industries.count()):
            item = self.industries.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self.team.setCurrentIndex(max(self.team.findData(c.team_id), 0) if c.team_id else 0)
        self.workstation.setCurrentIndex(
            max(self.workstation.findData(c.workstation_id), 0) if c.workstation_id else 0
        )

    def commissioner(self) -> Commissioner:
        """The profile as entered (keeps the id and unshown fields of an existing profile)."""
        base = self.original or self._server_base()
        industries = [
            self.industries.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.industries.count())
            if self.industries.item(i).checkState() == Qt.CheckState.Checked
        ]
        # (gender and county from the bureau's roster, a deactivation: kept as they are)
        return dataclasses.replace(
            base,
            name=self.name.text().strip(),
            phone=self.phone.text().strip(),
            sending_unit=self.sending_unit.currentText().strip(),
            title=self.title.currentText().strip(),
            specialty=self.specialty.text().strip(),
            industries=industries,
            team_id=self.team.currentData(),
            workstation_id=self.workstation.currentData(),
        )

    # --- the bureau's server ---------------------------------------------------------------------

    def _server_base(self) -> Commissioner:
        """A new profile takes the commissioner id of the server account, so records match: the
        account logged in from this dialog, else the one logged in on the sync page."""
        user = self.server_user or self._logged_in_user()
        cid = user.get("commissioner_id")
        return Commissioner(id=cid, username=str(user.get("username") or "")) if cid else Commissioner()

    def _start_from_account(self) -> None:
        """A profile skipped while logged in (on the sync page) whose account's profile the server
        does not have yet: the form starts from the account's name, and says why it is asked."""
        user = self._logged_in_user()
        if not user.get("commissioner_id") or user.get("role") in ("bureau", "county"):
            return
        name = str(user.get("display_name") or "")
        if name and name != user.get("username"):
            self.name.setText(name)
        self.server_status.setText(
            self.tr("已登录为 {0}。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。").format(
                user.get("username") or ""
            )
        )

    def _logged_in_user(self) -> dict[str, Any]:
        """The account of the sync page, else the one this data directory last logged in as (its
        session is read in the background at start: a dialog opened at once would not see it)."""
        from ui.roles import user_info
        from ui.sync_control import sync_controller

        account = sync_controller(self.context).account
        return dict(account.user or {}) if account.logged_in else dict(user_info(self.context) or {})

    def connect_server(self) -> QWidget:
        from ui.sync_login import LoginDialog

        dialog = LoginDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(self._server_logged_in)
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _server_logged_in(self, account) -> None:  # ui.sync_control.Account
        from ui.sync_control import sync_controller

        self.server_user = account.user or {}
        if (
            self.first_start
            and self.original is None
            and self.server_user.get("role") in ("bureau", "county")
        ):
            # A city or county bureau's account administers: it has no commissioner profile to fill
            # in (the main window then shows that account's views), and its records come at once.
            sync_controller(self.context).start_sync()
            self.reject()
            return
        name = str(self.server_user.get("display_name") or "")
        if name and name != account.username and not self.name.text().strip():
            self.name.setText(name)
            # In sight and chosen: the page had scrolled down to the server button, and a name typed
            # without seeing it doubled it (张站长张站长).
            self.page.ensureWidgetVisible(self.name)
            self.name.setFocus()
            self.name.selectAll()
        self.server_status.setText(
            self.tr("已登录 {0}。正在从服务器读取您的资料…").format(account.server_url)
        )
        controller = sync_controller(self.context)
        controller.sync_finished.connect(self._server_synced)
        if not controller.start_sync():
            self._server_synced(None, None)

    def _server_synced(self, _result: object, error: BaseException | None) -> None:
        from ui.sync_control import sync_controller

        try:
            sync_controller(self.context).sync_finished.disconnect(self._server_synced)
        except (RuntimeError, TypeError):
            pass  # not connected (the sync did not start)
        cid = (self.server_user or {}).get("commissioner_id")
        if error is not None or not cid:
            self.server_status.setText(self.tr("已登录。未能从服务器读取个人资料，请手动填写后保存。"))
            return
        Operation(self, lambda store: store.get(Commissioner, cid), self._server_profile).run_in_background()

    def _server_profile(self, found: Commissioner | None) -> None:
        if found is None:
            self.server_status.setText(
                self.tr("已登录。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。")
            )
            return
        if self.original is None:
            self._show(found)
            self.original = found
        self.server_status.setText(self.tr("已登录，并从服务器填入了您的个人资料。请核对后点“保存”。"))

    def show_issues(self, issues: list[Issue]) -> None:
        lang = self.context.language
        for label in self.errors.values():
            label.clear()
            label.setVisible(False)
        for issue in issues:
            found = self.errors.get(issue.field)
            if found is None:
                log.warning("validation issue for a field the dialog does not show: %s", issue.field)
                continue
            found.setText(issue.message.text(lang))
            found.setVisible(True)
        first = next((i.field for i in issues if i.field in self.errors), None)
        widgets: dict[str, QWidget] = {
            "name": self.name,
            "phone": self.phone,
            "sending_unit": self.sending_unit,
        }
        if first:
            widgets[first].setFocus()

    def save(self) -> None:
        commissioner = self.commissioner()
        issues = commissioner.validate()
        self.show_issues(issues)
        if issues:
            return
        self.buttons.setEnabled(False)
        Operation(
            self, lambda store: save_profile(store, commissioner), lambda done: self._saved(done.value)
        ).failure(self._failed).with_progress(self.tr("正在保存个人资料…")).run_in_background()

    def _saved(self, commissioner: Commissioner) -> None:
        self.buttons.setEnabled(True)
        self.context.set_profile(commissioner)
        self.saved.emit(commissioner)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_issues(error.issues)
        else:
            show_error(self, error)
