"""设置: language (switches live), the profile, where the data is kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sync.evidence import DEFAULT_CACHE_LIMIT, evidence_settings, set_evidence_settings
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.tasks import Operation
from ui.views.common import heading
from ui.widgets.flow import flow_widget

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
        self.keep_full = QCheckBox(self)
        self.cache_label = QLabel(self)
        self.cache_limit = QDoubleSpinBox(self)
        self.cache_limit.setRange(0.1, 1000.0)
        self.cache_limit.setDecimals(1)
        self.cache_limit.setSingleStep(0.5)
        self.cache_limit.setValue(DEFAULT_CACHE_LIMIT / 1024**3)
        self.cache_used = plain_label(QLabel(self))
        self.cache_used.setObjectName("hint")
        self.cache_used.setWordWrap(True)
        self._evidence_loaded = False
        # One wrapping row: the limit, the choice and what the cache takes (the page fits 768 px at 150 %).
        evidence_row, flow = flow_widget(self)
        flow.setContentsMargins(0, 0, 0, 0)
        for part in (self.cache_limit, self.keep_full):
            flow.addWidget(part)
        form.addRow(self.cache_label, evidence_row)
        self.cache_used.setVisible(False)  # shown as the limit's tooltip, to stay within the page
        self.keep_full.toggled.connect(lambda _on: self._save_evidence())
        self.cache_limit.editingFinished.connect(self._save_evidence)
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
        Operation(self, evidence_settings, self._show_evidence).run_in_background()
        context.operation_did_execute.connect(self._records_changed)  # (a bound method: see MainWindow)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _records_changed(self, changes: Any) -> None:  # an OpChanges
        if changes.touches("commissioners"):
            self._show_profile()

    def retranslate(self) -> None:
        self.title.setText(self.tr("设置"))
        self.language_label.setText(self.tr("界面语言"))
        self.profile_label.setText(self.tr("个人资料"))
        self.profile_button.setText(self.tr("修改个人资料…"))
        self.data_label.setText(self.tr("数据保存位置"))
        self.cache_label.setText(self.tr("下载缓存上限（GB）"))
        # A check box does not wrap: a short text, the whole of it in the tooltip.
        self.keep_full.setText(self.tr("在本机保留团队佐证原件"))
        self.keep_full.setToolTip(self.tr("在本机保留我团队佐证材料的原件（每次同步时下载）"))
        self._show_used()
        self.note.setText(
            self.tr(
                "更改界面语言后立即生效，无需重新启动。服务记录等数据保存在上面的文件夹中，请定期同步或备份。"
            )
        )
        self._show_profile()

    def load(self) -> None:
        # (the account may have changed since: a login as the bureau, or as a commissioner)
        self._show_profile()

    def _show_profile(self) -> None:
        from ui.roles import records_visits

        # A city or county bureau's account administers: it has no commissioner profile. One filled in
        # here became a commissioner of the city, counted (and failed) in the annual assessment.
        personal = records_visits(self.context)
        self.profile_button.setVisible(personal)
        p = self.context.profile
        if not personal:
            self.profile.setText(self.tr("科技局账号没有科技特派员个人资料"))
        elif p is None:
            self.profile.setText(self.tr("尚未填写"))
        else:
            self.profile.setText(" · ".join(x for x in (p.name, p.title, p.sending_unit, p.phone) if x))

    def _show_evidence(self, values: dict[str, Any]) -> None:
        self._evidence_loaded = False  # setting the widgets saves nothing
        self.keep_full.setChecked(bool(values["keep_team_full"]))
        self.cache_limit.setValue(int(values["limit"]) / 1024**3)
        self._used = int(values["used"])
        self._evidence_loaded = True
        self._show_used()

    def _show_used(self) -> None:
        used = getattr(self, "_used", 0)
        self.cache_used.setText(
            self.tr(
                "已下载的他人佐证材料占用 {0} MB；超过上限时删除最久未用的（本人和未上传的文件从不删除）。"
            ).format(f"{used / 1024**2:,.0f}")
        )
        self.cache_limit.setToolTip(self.cache_used.text())

    def _save_evidence(self) -> None:
        if not self._evidence_loaded:
            return
        limit = int(self.cache_limit.value() * 1024**3)
        keep = self.keep_full.isChecked()
        Operation(
            self,
            lambda store: set_evidence_settings(store, limit, keep),
            lambda _r: Operation(self, evidence_settings, self._show_evidence).run_in_background(),
        ).run_in_background()

    def _language_chosen(self, _index: int) -> None:
        self.context.set_language(self.language.currentData())

    def edit_profile(self) -> None:
        from ui.profile import ProfileDialog

        dialog = ProfileDialog(self.context, self)
        dialog.open()
