"""Service target (服务对象) dialog: create one on the spot from the visit editor, or edit it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.credit_code import credit_code_problem
from commissioner_app.domain import MAX_NAME, TARGET_TYPES, ServiceTarget
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops.targets import save_target
from commissioner_app.targets import DuplicateTargetError, SimilarTargetsWarning
from ui import screen_fit
from ui.editors.fields import ErrorLabel, FieldBox, ReferenceCombo, RegionPicker, show_issues
from ui.tasks import Operation, error_text

if TYPE_CHECKING:
    from ui.context import AppContext

log = logging.getLogger("commissioner.ui.target")


class TargetDialog(QDialog):
    """Type, name, region, industry, contact, phone, credit code (checked as typed), address."""

    saved = Signal(str)
    save_failed = Signal()

    def __init__(self, parent: QWidget | None, context: AppContext, target_id: str | None):
        super().__init__(parent)
        self.context = context
        store = self.store = context.reader  # reads only: the save is an operation on the executor
        self.last_save_ok: bool | None = None
        self.target = (
            store.require(ServiceTarget, target_id) if target_id else ServiceTarget(type="enterprise")
        )
        self.is_new = target_id is None
        self.allow_similar = False  # set once the similar names were shown: a second save goes through

        self.type = QComboBox(self)
        for code in TARGET_TYPES:
            self.type.addItem("", code)
        self.name = QLineEdit(self)
        self.name.setMaxLength(MAX_NAME)
        self.region = RegionPicker(store, self)
        self.industry = ReferenceCombo(store, "industry", self)
        self.contact_name = QLineEdit(self)
        self.contact_phone = QLineEdit(self)
        self.credit_code = QLineEdit(self)
        self.credit_code.setMaxLength(18)
        self.credit_status = QLabel(self)
        self.address = QLineEdit(self)
        self.notes = QLineEdit(self)

        self.boxes: dict[str, FieldBox] = {
            "type": FieldBox(self.type),
            "name": FieldBox(self.name),
            "region": FieldBox(self.region),
            "industry": FieldBox(self.industry),
            "contact_name": FieldBox(self.contact_name),
            "contact_phone": FieldBox(self.contact_phone),
            "credit_code": FieldBox(self.credit_code),
            "address": FieldBox(self.address),
            "notes": FieldBox(self.notes),
        }
        self.labels: dict[str, QLabel] = {key: QLabel(self) for key in self.boxes}
        form = QFormLayout()
        for key, box in self.boxes.items():
            form.addRow(self.labels[key], box)
            if key == "credit_code":
                form.addRow("", self.credit_status)
        self.summary = ErrorLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.use_existing = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.use_existing.hide()
        self.use_existing.clicked.connect(self._use_existing)
        self._existing_id = ""
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.credit_code.textChanged.connect(self._check_credit_code)
        self.type.currentIndexChanged.connect(lambda _i: self._check_credit_code())
        self._load()
        self._opened = self._typed()
        self.retranslate()
        self.setMinimumWidth(560)
        screen_fit.fit_dialog(self, self.sizeHint())

    def _typed(self) -> tuple[object, ...]:
        """What the fields hold now (to tell whether anything was typed since the dialog opened)."""
        return (
            self.type.currentData(),
            self.name.text(),
            self.region.region(),
            self.industry.value(),
            *(e.text() for e in (self.contact_name, self.contact_phone, self.credit_code, self.address)),
            self.notes.text(),
        )

    def ask_discard(self) -> bool:
        """Whether to throw away what was typed (tests replace this)."""
        answer = QMessageBox.question(
            self,
            self.tr("尚未保存"),
            self.tr("放弃已填写的服务对象信息？"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        # Esc or 取消 threw away a typed name, region and contact without a word (a cold try pressed
        # Esc to close a drop-down that had closed already); the visit editor asks too.
        if self.last_save_ok is not True and self._typed() != self._opened and not self.ask_discard():
            return
        super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("新建服务对象") if self.is_new else self.tr("服务对象"))
        texts = {
            "type": self.tr("类型"),
            "name": self.tr("名称"),
            "region": self.tr("所在地区"),
            "industry": self.tr("产业"),
            "contact_name": self.tr("联系人"),
            "contact_phone": self.tr("联系电话"),
            "credit_code": self.tr("统一社会信用代码"),
            "address": self.tr("地址"),
            "notes": self.tr("备注"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        for i in range(self.type.count()):
            self.type.setItemText(i, TARGET_TYPES[self.type.itemData(i)].text(i18n.language()))
        self.name.setPlaceholderText(self.tr("如：新会区某某陈皮有限公司"))
        self.credit_code.setPlaceholderText(self.tr("18位，企业填写，如 91440705MA4UXXXXXX"))
        self.contact_phone.setPlaceholderText(self.tr("手机或固定电话"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.use_existing.setText(self.tr("使用已有的服务对象"))
        self.region.retranslate()
        self.industry.relabel()
        self._check_credit_code()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _load(self) -> None:
        t = self.target
        self.type.setCurrentIndex(max(self.type.findData(t.type), 0))
        self.name.setText(t.name)
        self.region.set_region(t.county, t.town, t.village)
        self.industry.set_value(t.industry)
        self.contact_name.setText(t.contact_name)
        self.contact_phone.setText(t.contact_phone)
        self.credit_code.setText(t.credit_code)
        self.address.setText(t.address)
        self.notes.setText(t.notes)

    def _check_credit_code(self) -> None:
        """Say at once whether the code is right, so a copying error is caught on site."""
        code = self.credit_code.text().strip()
        if not code:
            needed = self.type.currentData() == "enterprise"
            self.credit_status.setStyleSheet("color: #666;")
            self.credit_status.setText(self.tr("企业请填写统一社会信用代码") if needed else "")
            return
        problem = credit_code_problem(code)
        if problem is None:
            self.credit_status.setStyleSheet("color: #1b7f3b;")
            self.credit_status.setText(self.tr("✓ 统一社会信用代码校验通过"))
        else:
            self.credit_status.setStyleSheet("color: #b00020;")
            self.credit_status.setText(problem[1] if i18n.language() == "en" else problem[0])

    def collect(self) -> ServiceTarget:
        t = self.target
        t.type = str(self.type.currentData())
        t.name = self.name.text().strip()
        t.county, t.town, t.village = self.region.region()
        t.industry = self.industry.value()
        t.contact_name = self.contact_name.text().strip()
        t.contact_phone = self.contact_phone.text().strip()
        t.credit_code = self.credit_code.text().strip().upper()
        t.address = self.address.text().strip()
        t.notes = self.notes.text().strip()
        return t

    def save(self) -> None:
        """Save on the executor; `saved(id)` and the dialog closes, or the issues show at their fields."""
        for box in self.boxes.values():
            box.clear()
        self.summary.clear_message()
        target = self.collect()
        self.last_save_ok = None
        allow = self.allow_similar
        Operation(
            self,
            lambda store: save_target(store, target, allow_similar=allow),
            lambda _done: self._saved(target.id),
        ).failure(self._refused).run_in_background()

    def _use_existing(self) -> None:
        """The credit code belongs to a target already here: that one is used instead."""
        if self._existing_id:
            self._saved(self._existing_id)

    def _saved(self, target_id: str) -> None:
        self.last_save_ok = True
        self.saved.emit(target_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.last_save_ok = False
        if isinstance(error, DuplicateTargetError):
            self._existing_id = error.existing.id
            self.use_existing.show()
            self.summary.show_message(error.text(i18n.language()))
        elif isinstance(error, SimilarTargetsWarning):
            self.allow_similar = True
            self.summary.show_message(error.text(i18n.language()))
        elif isinstance(error, ValidationError):
            show_issues(error.issues, self.boxes, self.summary)
            if any(issue.field == "credit_code" for issue in error.issues):
                self.credit_status.clear()  # said beside the field now; the next edit checks again
        elif isinstance(error, CommissionerError):
            self.summary.show_message(error.text(i18n.language()))
        else:
            self.summary.show_message(error_text(error))
        self.save_failed.emit()
