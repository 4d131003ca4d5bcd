"""Small building blocks shared by the editors: inline error labels and reference pickers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.domain import Issue
from commissioner_app.reference import reference, towns_of
from commissioner_app.store import Store

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"


class ErrorLabel(QLabel):
    """A red message shown under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names typed by users
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


class FieldBox(QWidget):
    """A field with its error label beneath it, so every issue appears next to its field.

    The message goes as soon as the field changes: it described the value that was there."""

    cleared = Signal()

    def __init__(self, field: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)
        # A fixed-height field must not float in extra space, nor be squeezed when its message shows:
        # at 150 % a spin box shrank to a sliver under its message, and a time's message was cut to
        # two clipped lines in the time's width (a cold try). The box grows to hold both.
        vertical = field.sizePolicy().verticalPolicy()
        if vertical == QSizePolicy.Policy.Fixed:
            vertical = QSizePolicy.Policy.Minimum
        self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        for widget in (field, *field.findChildren(QWidget)):
            signal = _change_signal(widget)
            if signal is not None:
                signal.connect(self._field_changed)
        for name in ("changed", "picked"):  # composite pickers say so themselves
            if isinstance(getattr(type(field), name, None), Signal):
                getattr(field, name).connect(self._field_changed)

    def show_issues(self, messages: list[str]) -> None:
        text = "\n".join(messages)
        # A short message on its lines whole, as wide as it needs, not wrapped into the field's width
        # (a wrapped label's height depends on its width, which the form layouts here undercounted:
        # the field above it was squeezed); a long one wraps within 18 characters' width at least.
        metrics = self.error.fontMetrics()
        room = metrics.horizontalAdvance("中") * 18
        widest = max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0)
        self.error.setWordWrap(widest > room)
        self.error.setMinimumWidth(min(widest + 4, room))
        self.error.show_message(text)

    def has_issue(self) -> bool:
        return not self.error.isHidden()

    # The box's size holds the field whole and its message wrapped at the message's least width: a
    # wrapped label's height depends on its width, which the form layouts here undercounted (the
    # field above it was squeezed), so the box answers with sizes that need no width to know.
    def hasHeightForWidth(self) -> bool:  # Qt's name
        return False

    def sizeHint(self) -> QSize:  # Qt's name
        return self._with_message(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # Qt's name
        return self._with_message(super().minimumSizeHint())

    def _with_message(self, hint: QSize) -> QSize:
        if self.error.isHidden():
            return hint
        width = max(self.error.minimumWidth(), 1)
        message = (
            self.error.heightForWidth(width) if self.error.wordWrap() else self.error.sizeHint().height()
        )
        layout = self.layout()
        spacing = layout.spacing() if layout is not None else 0
        field = max(self.field.sizeHint().height(), self.field.minimumSizeHint().height())
        needed = field + spacing + message
        return QSize(max(hint.width(), width), max(hint.height(), needed))

    def clear(self) -> None:
        self.error.clear_message()

    def _field_changed(self, *_args: object) -> None:
        if self.has_issue():
            self.clear()
            self.cleared.emit()


def _change_signal(widget: QWidget) -> Any:
    """The signal a user's edit of this widget emits, if it is an input."""
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.toggled
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTimeChanged
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.valueChanged
    return None


def issue_text(issue: Issue) -> str:
    return issue.message.text(i18n.language())


def show_issues(issues: list[Issue], boxes: dict[str, FieldBox], summary: ErrorLabel) -> None:
    """Each issue under its field (one with no field of its own in `summary`); the first field with
    an issue takes the focus and is scrolled into view, and `summary` (by the buttons) says how many
    fields need a change. A cold try at 150 %: 保存 pressed with the form scrolled down, the message
    lay above, out of sight, and nothing seemed to happen."""
    first: FieldBox | None = None
    unplaced: list[str] = []
    placed = 0
    for issue in issues:
        box = boxes.get(issue.field)
        if box is None:
            unplaced.append(issue_text(issue))
            continue
        box.show_issues([issue_text(issue)])
        placed += 1
        first = first or box
    lines = list(unplaced)
    if placed:
        count = QCoreApplication.translate("FieldBox", "有 %1 处需要修改，已在相应位置标出。")
        lines.insert(0, count.replace("%1", str(placed)))
    if lines:
        summary.show_message("\n".join(lines))
    if first is not None:
        first.field.setFocus()
        parent = first.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(first)


class ReferenceCombo(QComboBox):
    """A choice among reference items of one kind; keeps and returns the Chinese name records store."""

    def __init__(self, store: Store, kind: str, parent: QWidget | None = None, *, empty: bool = True):
        super().__init__(parent)
        self._store, self._kind, self._empty = store, kind, empty  # the read-only connection
        self.setEditable(True)  # long lists: typing narrows them (completer); unknown names are kept too
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reload()

    def relabel(self) -> None:
        """Names in the current language; the value (the Chinese name) stays as it is."""
        names = {i.name_zh: i.name(i18n.language()) for i in reference(self._store, self._kind)}
        current = self.value()
        self.blockSignals(True)
        for index in range(self.count()):
            data = self.itemData(index)
            if data:
                self.setItemText(index, names.get(data, data))
        self.set_value(current)
        self.blockSignals(False)

    def reload(self) -> None:
        current = self.value()
        self.blockSignals(True)
        self.clear()
        if self._empty:
            self.addItem("", "")
        for item in reference(self._store, self._kind):
            self.addItem(item.name(i18n.language()), item.name_zh)
        self.blockSignals(False)
        self.set_value(current)

    def value(self) -> str:
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return str(self.itemData(index) or "")
        return text

    def set_value(self, name_zh: str) -> None:
        index = self.findData(name_zh)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(name_zh)


class RegionPicker(QWidget):
    """County → town → village; towns follow the chosen county."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self._store = store  # the read-only connection
        self.county = QComboBox(self)
        self.town = QComboBox(self)
        self.town.setEditable(True)
        self.town.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.village = QLineEdit(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.county, 2)
        layout.addWidget(self.town, 2)
        layout.addWidget(self.village, 3)
        self.county.addItem("", "")
        for item in reference(self._store, "county"):
            self.county.addItem(item.name(i18n.language()), item.name_zh)
        self.county.currentIndexChanged.connect(self._county_changed)
        self.town.currentTextChanged.connect(lambda _t: self.changed.emit())
        self.village.textChanged.connect(lambda _t: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        for combo, kind in ((self.county, "county"), (self.town, "town")):
            names = {i.name_zh: i.name(i18n.language()) for i in reference(self._store, kind)}
            combo.blockSignals(True)
            for index in range(combo.count()):
                data = combo.itemData(index)
                if data:
                    combo.setItemText(index, names.get(data, data))
            combo.blockSignals(False)
        self.county.setToolTip(self.tr("县（市、区）"))
        self.town.setToolTip(self.tr("镇（街道）"))
        self.village.setPlaceholderText(self.tr("村（社区），可不填"))
        self.county.setAccessibleName(self.tr("县（市、区）"))
        self.town.setAccessibleName(self.tr("镇（街道）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _county_changed(self) -> None:
        self._fill_towns("")
        self.changed.emit()

    def _fill_towns(self, town: str) -> None:
        self.town.blockSignals(True)
        self.town.clear()
        self.town.addItem("", "")
        for item in towns_of(self._store, self.county.currentData() or ""):
            self.town.addItem(item.name(i18n.language()), item.name_zh)
        index = self.town.findData(town)
        if index >= 0:
            self.town.setCurrentIndex(index)
        else:
            self.town.setEditText(town)
        self.town.blockSignals(False)

    def set_region(self, county: str, town: str, village: str) -> None:
        self.blockSignals(True)
        self.county.blockSignals(True)
        index = self.county.findData(county)
        self.county.setCurrentIndex(max(index, 0))
        self.county.blockSignals(False)
        self._fill_towns(town)
        self.village.blockSignals(True)
        self.village.setText(village)
        self.village.blockSignals(False)
        self.blockSignals(False)
        self.changed.emit()

    def region(self) -> tuple[str, str, str]:
        text = self.town.currentText().strip()
        index = self.town.findText(text)
        town = str(self.town.itemData(index) or "") if index >= 0 else text
        return str(self.county.currentData() or ""), town, self.village.text().strip()
