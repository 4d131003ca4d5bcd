"""设置: language (switches live), the profile, where the data is kept."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.plain_text import plain_label
from ui.views.common import heading

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}  # each in its own language, never translated


class SettingsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.title = heading("", self)
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(context.language), 0))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.profile_label = QLabel(self)
        self.profile = plain_label(QLabel(self))
        self.profile.setWordWrap(True)
        self.profile_button = QPushButton(self)
        self.profile_button.clicked.connect(self.edit_profile)
        self.data_label = QLabel(self)
        self.data_dir = plain_label(QLabel(str(context.data_dir or ""), self))
        self.data_dir.setWordWrap(True)
        self.data_dir.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(self.profile_button)
        form.addRow(self.profile_label, profile_row)
        form.addRow(self.data_label, self.data_dir)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        # A form across a 1200-pixel page is hard to read: keep it to a comfortable width.
        body = QWidget(self)
        body.setMaximumWidth(760)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addLayout(form)
        body_layout.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(body)
        from ui.backup_panel import BackupPanel

        body_layout.addWidget(BackupPanel(context, body))
        layout.addStretch(1)
        self.retranslate()
        context.operation_did_execute.connect(
            lambda changes: self._show_profile() if changes.touches("commissioners") else None
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("设置"))
        self.language_label.setText(self.tr("界面语言"))
        self.profile_label.setText(self.tr("个人资料"))
        self.profile_button.setText(self.tr("修改个人资料…"))
        self.data_label.setText(self.tr("数据保存位置"))
        self.note.setText(
            self.tr(
                "更改界面语言后立即生效，无需重新启动。服务记录等数据保存在上面的文件夹中，请定期同步或备份。"
            )
        )
        self._show_profile()

    def _show_profile(self) -> None:
        p = self.context.profile
        if p is None:
            self.profile.setText(self.tr("尚未填写"))
        else:
            self.profile.setText(" · ".join(x for x in (p.name, p.title, p.sending_unit, p.phone) if x))

    def _language_chosen(self, _index: int) -> None:
        self.context.set_language(self.language.currentData())

    def edit_profile(self) -> None:
        from ui.profile import ProfileDialog

        dialog = ProfileDialog(self.context, self)
        dialog.open()
