"""The server settings and login dialog: server address, username, password.

The password is exchanged for a token on a network thread (ui/sync_control.py); the token goes to
the system keyring. Where this computer has no keyring the dialog says so and asks: the user may
tick "keep it in a file" explicitly (with the warning of sync/credentials.py), or cancel.
Every failure is explained in the dialog, in the user's language: offline, wrong password, a
version too old for the server, the server's own reason for refusing, a certificate not trusted.
A bureau with its own certificate authority gives its CA certificate file (optional row "CA 证书");
it is kept with the session for every sync.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import language
from sync.client import is_secure, normalise_url
from sync.credentials import NoKeyringError, keyring_available
from sync.errors import (
    CertificateError,
    DataDirectoryTakenError,
    NotHttpsError,
    OfflineError,
    PasswordChangeRequiredError,
    ProtocolTooOldError,
    RefusedError,
    ServerAddressError,
    ServerError,
)
from ui import screen_fit
from ui.context import AppContext
from ui.sync_control import Account, SyncController, sync_controller

log = logging.getLogger("commissioner.ui.sync")

ERROR_STYLE = "color: #b91c1c;"
WARNING_STYLE = "background: #fff4ce; color: #5c4400; padding: 6px;"


class LoginDialog(QDialog):
    """Log in to the bureau's server; `logged_in` carries the Account when it worked."""

    logged_in = Signal(object)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, controller: SyncController | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.controller = controller or sync_controller(context)
        self.account: Account | None = None
        self.has_keyring = keyring_available()
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.server = QLineEdit(self)
        self.server.setText(self.controller.last_server_url())
        self.username = QLineEdit(self)
        self.username.setText(self.controller.account.username)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.server_label, self.username_label, self.password_label = QLabel(self), QLabel(self), QLabel(self)
        for label, field in (
            (self.server_label, self.server),
            (self.username_label, self.username),
            (self.password_label, self.password),
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        # Shown when the password was a one-time code from the bureau: the user's own, twice.
        self.must_change = False
        self.new_password, self.new_password_again = QLineEdit(self), QLineEdit(self)
        self.new_password_label, self.new_password_again_label = QLabel(self), QLabel(self)
        for label, field in (
            (self.new_password_label, self.new_password),
            (self.new_password_again_label, self.new_password_again),
        ):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            label.setBuddy(field)
            self.form.addRow(label, field)
            self.form.setRowVisible(field, False)
        # Optional: the bureau's own CA certificate (PEM), for a server whose certificate it signed.
        self.ca_file = QLineEdit(self)
        self.ca_file.setText(self.controller.account.ca_file or "")
        self.ca_file.setClearButtonEnabled(True)
        self.ca_browse = QPushButton(self)
        self.ca_browse.clicked.connect(self._choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)
        self.ca_label = QLabel(self)
        self.ca_label.setBuddy(self.ca_file)
        self.form.addRow(self.ca_label, ca_row)
        # No keyring: say so, and let the user choose the less safe file explicitly.
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet(WARNING_STYLE)
        self.use_file = QCheckBox(self)
        self.keyring_note.setVisible(not self.has_keyring)
        self.use_file.setVisible(not self.has_keyring)
        # A plain-http address that is not this computer: shown only then, and must be ticked.
        self.insecure_note = QLabel(self)
        self.insecure_note.setWordWrap(True)
        self.insecure_note.setTextFormat(Qt.TextFormat.PlainText)
        self.insecure_note.setStyleSheet(WARNING_STYLE)
        self.allow_insecure = QCheckBox(self)
        # While an address is typed, "http://1" is another computer's for a moment: the warning waits
        # for a pause or for the field to be left, and the dialog did not jump to the screen's width
        # under the user's pointer at every keystroke. It goes at once when it no longer applies.
        self._warning_wait = QTimer(self)
        self._warning_wait.setSingleShot(True)
        self._warning_wait.setInterval(800)
        self._warning_wait.timeout.connect(self._address_done)
        self._size_before_warning: QSize | None = None
        self._size_with_warning = QSize()
        self.server.textChanged.connect(self._server_changed)
        self.server.editingFinished.connect(self._address_done)  # (bound: not called once deleted)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Own buttons, not standard ones: a standard button retranslates itself after retranslate().
        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # Everything but the buttons scrolls: the warnings and a refusal appear as the user types,
        # and on a field laptop at 150 % they may need more than the screen (squeezing the fields).
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.intro)
        body_layout.addLayout(self.form)
        body_layout.addWidget(self.keyring_note)
        body_layout.addWidget(self.use_file)
        body_layout.addWidget(self.insecure_note)
        body_layout.addWidget(self.allow_insecure)
        body_layout.addWidget(self.status)
        body_layout.addStretch(1)
        self.body = QScrollArea(self)
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._server_changed(self.server.text())
        self.retranslate()
        self._fit_content()
        for field in (self.server, self.username, self.password):
            if not field.text():
                field.setFocus()
                break

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("登录市科技局服务器"))
        self.intro.setText(
            self.tr(
                "填写科技局提供的服务器地址和您的账户。登录后，本机记录可与服务器同步；密码不会保存在本机。"
            )
        )
        self.server_label.setText(self.tr("服务器地址"))
        self.username_label.setText(self.tr("用户名"))
        self.password_label.setText(self.tr("密码"))
        self.new_password_label.setText(self.tr("新密码"))
        self.new_password_again_label.setText(self.tr("再次输入新密码"))
        self.server.setPlaceholderText(self.tr("例如：https://kjtpy.example.gov.cn"))
        self.ca_label.setText(self.tr("CA 证书（可选）"))
        self.ca_file.setPlaceholderText(self.tr("不填则使用系统的证书"))
        self.ca_file.setToolTip(self.tr("科技局自己的证书颁发机构文件（.pem）；不填则使用系统的证书"))
        self.ca_browse.setText(self.tr("选择…"))
        self.keyring_note.setText(
            self.tr(
                "本电脑没有可用的系统密钥环（如 GNOME 密钥环、KWallet、Windows 凭据管理器），无法安全保存登录凭据。"  # noqa: E501
                "可以安装并启用密钥环后再登录；或勾选下面的选项，将凭据保存在数据目录中仅本账户可读的文件里"
                "（安全性较低：能使用本电脑账户的人都可以用它同步数据）。"
            )
        )
        self.use_file.setText(self.tr("我了解风险，将登录凭据保存在数据目录的文件中（仅本账户可读）"))
        self.insecure_note.setText(
            self.tr(
                "警告：此服务器地址以 http:// 开头，连接未加密。密码、登录凭据和全部记录都将以明文传输，"
                "同一网络中的任何人都能看到或篡改。正式使用请改用 https:// 地址；只有测试服务器才可勾选下面的选项。"  # noqa: E501
            )
        )
        self.allow_insecure.setText(self.tr("我了解风险，允许以不加密的连接登录此测试服务器"))
        self.login_button.setText(self.tr("登录"))
        self.cancel_button.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fit_content()
        super().changeEvent(event)

    def _address_done(self) -> None:
        self._server_changed(self.server.text(), typing=False)

    def _server_changed(self, text: str, typing: bool | None = None) -> None:
        plain = _plain_http_elsewhere(text)
        shown = self.insecure_note.isVisibleTo(self)
        if plain and not shown and (self.server.isModified() if typing is None else typing):
            self._warning_wait.start()  # (typed, not set: the user is still at it)
            return
        self._warning_wait.stop()
        self.insecure_note.setVisible(plain)
        self.allow_insecure.setVisible(plain)
        if not plain:
            self.allow_insecure.setChecked(False)
        if plain and not shown:
            self._size_before_warning = self.size()
            self._fit_content()
            self._size_with_warning = self.size()
        elif shown and not plain:
            # Back to the size it had before the warning, unless the user has resized it since.
            if self._size_before_warning is not None and self.size() == self._size_with_warning:
                self.resize(self._size_before_warning)
            self._size_before_warning = None
            self._fit_content()

    def _fit_content(self) -> None:
        """Grow to hold what the dialog shows now (a warning, a message, the new-password rows), as
        far as the screen allows; what is left scrolls. Never shrinks under the user's hand."""
        content = self.body.widget()
        assert content is not None
        layout, body_layout = self.layout(), content.layout()
        assert layout is not None and body_layout is not None
        margins = layout.contentsMargins()
        sides = margins.left() + margins.right()
        body_layout.activate()
        # As wide as its widest line that cannot wrap (a long check box in English), and room for
        # the scroll bar: nothing is reached by scrolling sideways.
        bar = self.body.verticalScrollBar().sizeHint().width()
        self.body.setMinimumWidth(body_layout.totalMinimumSize().width() + bar)
        if self.isVisible():
            width = self.width()
        else:  # (before it is shown: the width its contents ask for)
            width = max(body_layout.totalSizeHint().width() + sides + bar, self.minimumWidth())
        room = screen_fit.dialog_size(self, QSize(10_000, 10_000))
        width = min(width, room.width())

        def height_at(width: int) -> int:
            if body_layout.hasHeightForWidth():
                needed = body_layout.totalHeightForWidth(width - sides - bar)
            else:
                needed = body_layout.totalSizeHint().height()
            buttons = self.buttons.sizeHint().height()
            return needed + layout.spacing() + buttons + margins.top() + margins.bottom()

        height = height_at(width)
        if height > room.height() and width < room.width():
            # Too tall for the screen: wider, so that the warnings take fewer lines.
            width = room.width()
            height = height_at(width)
        if not self.isVisible() or height > self.height():
            self.resize(screen_fit.dialog_size(self, QSize(width, height)))

    def _choose_ca_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择科技局的 CA 证书"),
            self.ca_file.text(),
            self.tr("证书文件 (*.pem *.crt *.cer);;所有文件 (*)"),
        )
        if path:
            self.ca_file.setText(path)

    def show_error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)
        self._fit_content()
        # Below the warnings on a small screen: scrolled to, once the layout has taken it in.
        QTimer.singleShot(0, self._show_status)

    def _show_status(self) -> None:
        if shiboken6.isValid(self) and self.status.text():
            self.body.ensureWidgetVisible(self.status)

    def submit(self) -> None:
        server, username, password = (
            self.server.text().strip(),
            self.username.text().strip(),
            self.password.text(),
        )
        missing = [
            name
            for name, value in (
                (self.tr("服务器地址"), server),
                (self.tr("用户名"), username),
                (self.tr("密码"), password),
            )
            if not value
        ]
        if missing:
            self.show_error(self.tr("请填写：{0}").format("、".join(missing)))
            return
        new_password: str | None = None
        if self.must_change:
            new_password = self.new_password.text()
            if len(new_password) < 8:
                self.show_error(self.tr("新密码至少需要 8 个字符。"))
                return
            if new_password != self.new_password_again.text():
                self.show_error(self.tr("两次输入的新密码不一致。"))
                return
            if new_password == password:
                self.show_error(self.tr("新密码不能与一次性密码相同。"))
                return
        use_file = False
        if not self.has_keyring:
            if not self.use_file.isChecked():
                self.show_error(
                    self.tr(
                        "本电脑没有系统密钥环。要继续登录，请勾选上面的选项，"
                        "明确同意将凭据保存在文件中；或安装密钥环后再登录。"
                    )
                )
                return
            use_file = True
        allow_insecure = False
        if _plain_http_elsewhere(server):
            if not self.allow_insecure.isChecked():
                self.show_error(
                    self.tr(
                        "此服务器地址未加密（http://）。请改用 https:// 开头的地址；"
                        "如确是测试服务器，请勾选上面的选项，明确允许不加密的连接。"
                    )
                )
                return
            allow_insecure = True
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在连接服务器…"))
        self.buttons.setEnabled(False)
        self.controller.login(
            server,
            username,
            password,
            use_file=use_file,
            allow_insecure=allow_insecure,
            done=self._done,
            ca_file=self.ca_file.text().strip() or None,
            new_password=new_password,
        )

    def _done(self, account: Account | None, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, PasswordChangeRequiredError):
            # The password was a one-time code from the bureau: the server gives no session until
            # the user chooses their own, so the dialog asks for it and logs in with both.
            self.must_change = True
            for field in (self.new_password, self.new_password_again):
                self.form.setRowVisible(field, True)
            self.status.setStyleSheet("")
            self.status.setText(
                self.tr("这是市科技局发放的一次性密码。请设置您自己的新密码（至少 8 个字符），再点“登录”。")
            )
            self._fit_content()  # two more rows
            self.new_password.setFocus()
            return
        if isinstance(error, DataDirectoryTakenError):
            self.show_error(self.explain(error))
            self.ask_data_directory(error)
            return
        if error is not None:
            self.password.selectAll()
            self.password.setFocus()
            self.show_error(self.explain(error))
            return
        self.account = account
        profile = self.context.reader.profile()  # a bound offline profile now has the account's id
        if profile is not None and (self.context.profile is None or profile.id != self.context.profile.id):
            self.context.set_profile(profile)
        self.logged_in.emit(account)
        self.accept()

    def ask_data_directory(self, error: DataDirectoryTakenError) -> QMessageBox:
        """The records here are another commissioner's: bind them to the account (when they were
        typed offline and never synced), use another data directory, or cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("此数据目录已有记录"))
        box.setText(error.text(language()))
        self.bind_button = (
            box.addButton(self.tr("并入此账户"), QMessageBox.ButtonRole.AcceptRole)
            if error.can_bind
            else None
        )
        self.other_dir_button = box.addButton(
            self.tr("使用另一个数据目录…"), QMessageBox.ButtonRole.ActionRole
        )
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _result: self._data_directory_answered(box.clickedButton()))
        self.choice_box = box
        box.open()
        return box

    def _data_directory_answered(self, clicked: object) -> None:
        if clicked is not None and clicked is self.bind_button:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("正在把本机记录并入该账户…"))
            self.buttons.setEnabled(False)
            self.controller.login(
                self.server.text().strip(),
                self.username.text().strip(),
                self.password.text(),
                use_file=not self.has_keyring,
                bind=True,
                done=self._done,
            )
        elif clicked is not None and clicked is self.other_dir_button:
            self.use_other_data_directory()

    def use_other_data_directory(self) -> bool:
        """Choose a folder; the application starts again on it (this window closes). True if so."""
        from ui.app import relaunch_with

        folder = QFileDialog.getExistingDirectory(self, self.tr("选择该账户的数据目录"))
        if not folder:
            return False
        if not relaunch_with(Path(folder), self.context.language):
            self.show_error(self.tr("无法启动程序打开 {0}").format(folder))
            return False
        self.reject()
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if window is not None:
            window.close()
        return True

    def explain(self, error: BaseException) -> str:
        """What went wrong, said so that a commissioner knows what to do."""
        lang = language()
        if isinstance(error, (CertificateError, NotHttpsError)):
            return error.text(lang)
        if isinstance(error, OfflineError):
            return self.tr("无法连接到服务器。请检查服务器地址是否正确、电脑是否已联网，然后再试。")
        if isinstance(error, RefusedError) and error.status == 401:
            return self.tr(
                "用户名或密码不正确，请重新输入（如账号已停用，请联系管理员）。连续输错多次后需等待片刻才能再试。"
            )
        if isinstance(error, ProtocolTooOldError):
            return self.tr("本程序版本过旧，服务器已不再支持。请先更新程序，再登录。本机记录不受影响。")
        if isinstance(error, RefusedError):
            return self.tr("服务器拒绝了登录：{0}").format(error.reason.text(lang))
        if isinstance(error, ServerError):
            return error.text(lang)
        if isinstance(error, NoKeyringError):
            return error.text(lang)
        if isinstance(error, CommissionerError):
            return error.text(lang)
        log.error("login failed", exc_info=error)
        return self.tr("登录失败：{0}").format(error)


def _plain_http_elsewhere(text: str) -> bool:
    """Whether an address typed in the dialog is plain http to another computer."""
    text = text.strip()
    if not text.lower().startswith("http://"):
        return False
    try:
        return not is_secure(normalise_url(text))
    except ServerAddressError:  # still being typed ("http://[::1"): said when the user logs in
        return False
