"""服务协议: the list of service agreements with their progress, and the agreement editor.

Progress comes from commissioner_app/agreements.py (approved visits within the period), the same
function the overview, the target page, the team view and the annual record use.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.agreements import AgreementProgress
from commissioner_app.attachments import attachments_of
from commissioner_app.domain import AGREED_TARGETS, AGREEMENT_STATUSES, ServiceAgreement
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops import OpChanges
from commissioner_app.ops.agreements import (
    AgreementRow,
    agreement_of,
    agreement_rows,
    commissioner_choices,
    save_agreement_with_files,
)
from commissioner_app.ops.targets import target_choices
from ui import screen_fit
from ui.context import AppContext
from ui.editors.fields import ErrorLabel, FieldBox, show_issues
from ui.tasks import Operation, error_text
from ui.views.common import heading
from ui.views.measured_fit import MeasuredFitter
from ui.widgets.attachments import AttachmentsWidget
from ui.widgets.dates import TypedDateEdit
from ui.widgets.flow import flow_widget

BEHIND_COLOUR = QColor("#fde8c8")


def progress_text(p: AgreementProgress, language: str) -> str:
    """ "服务次数 3/12 · 培训人次 75/100 …" (numbers without needless decimals)."""

    def n(value: float) -> str:
        return f"{value:g}"

    return " · ".join(f"{AGREED_TARGETS[i.key].text(language)} {n(i.done)}/{n(i.agreed)}" for i in p.items)


class AgreementsView(QWidget):
    """Every agreement visible here, newest first, with its progress; behind ones are marked."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.rows: list[AgreementRow] = []
        self.title = heading("", self)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(lambda: open_agreement_dialog(self, self.context, None))
        self.table = QTableWidget(0, 6, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        # The commissioner, the period, the state and the share whole; the target and the progress
        # (wrapped onto more lines) share the rest. A wide window keeps the widths they had.
        self.columns = MeasuredFitter(
            self.table,
            stretch=5,
            texts=(0, 5),
            least={0: 200, 1: 110, 2: 190, 3: 80, 4: 70, 5: 300},
        )
        # The wrapped rows grow to their text once the columns have their widths (the stretched
        # one has it only after the layout).
        self.rows_timer = QTimer(self)
        self.rows_timer.setSingleShot(True)
        self.rows_timer.setInterval(0)
        self.rows_timer.timeout.connect(self.table.resizeRowsToContents)
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self.rows_timer.start())
        self.table.cellActivated.connect(self._open_row)
        self.table.cellDoubleClicked.connect(self._open_row)
        layout = QVBoxLayout(self)
        top_widget, top = flow_widget(self)
        top.addWidget(self.title)
        top.addWidget(self.new_button)
        layout.addWidget(top_widget)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        context.operation_did_execute.connect(self._changed)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("服务协议"))
        self.new_button.setText(self.tr("新建服务协议"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("服务对象"),
                self.tr("科技特派员"),
                self.tr("协议期限"),
                self.tr("状态"),
                self.tr("进度"),
                self.tr("约定指标完成情况"),
            ]
        )
        self._fill()

    def _changed(self, changes: OpChanges) -> None:
        if changes.everything or changes.tables & {"service_agreements", "visits", "service_targets"}:
            self.load()

    def load(self) -> None:
        Operation(self, lambda store: agreement_rows(store), self._loaded).interruptible().run_in_background()

    def _loaded(self, rows: list[AgreementRow]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        lang = i18n.language()
        behind = sum(1 for r in self.rows if r.progress.behind)
        self.hint.setText(
            self.tr(
                "共 {0} 份服务协议；{1} 份已过协议期一半而有约定指标未完成一半（标为橙色）。双击查看或编辑。"
            ).format(len(self.rows), behind)
        )
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            p = row.progress
            done = [i.ratio for i in p.items]
            share = f"{min(done) * 100:.0f}%" if done else "—"
            cells = [
                row.target_name,
                row.commissioner,
                row.period,
                AGREEMENT_STATUSES.get(row.status, AGREEMENT_STATUSES["draft"]).text(lang),
                share,
                progress_text(p, lang) + ("　" + self.tr("进度落后") if p.behind else ""),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if p.behind:
                    item.setBackground(QBrush(BEHIND_COLOUR))
                if c == 0:
                    item.setToolTip(text)  # a long name may be cut on a narrow screen
                self.table.setItem(r, c, item)
        self.columns.contents_changed()
        self.table.resizeRowsToContents()

    def _open_row(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rows):
            open_agreement_dialog(self, self.context, self.rows[row].id)


class AgreementDialog(QDialog):
    """Commissioner(s), service target, period, status, agreed targets with progress, deliverables,
    the signed copy."""

    saved = Signal(str)

    def __init__(
        self, parent: QWidget | None, context: AppContext, agreement_id: str | None, target_id: str = ""
    ):
        super().__init__(parent)
        self.context = context
        store = context.reader
        self.last_save_ok: bool | None = None
        progress = agreement_of(store, agreement_id)
        self.agreement = progress.agreement
        if not agreement_id and target_id:
            self.agreement.target_id = target_id
        if self.agreement.start_date is None:
            today = date.today()
            self.agreement.start_date = today.replace(day=1)
            self.agreement.end_date = date(today.year + 1, today.month, 1).replace(day=1)
        self.is_new = agreement_id is None

        self.target = QComboBox(self)
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for tid, name in target_choices(store):
            self.target.addItem(name, tid)
        self.commissioner = QComboBox(self)
        self.co = QListWidget(self)
        self.co.setMaximumHeight(72)
        for cid, name in commissioner_choices(store):
            self.commissioner.addItem(name, cid)
            item = QListWidgetItem(name, self.co)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.start = TypedDateEdit(self)
        self.end = TypedDateEdit(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.status = QComboBox(self)
        for code in AGREEMENT_STATUSES:
            self.status.addItem("", code)
        self.agreed: dict[str, QDoubleSpinBox] = {}
        self.done_labels: dict[str, QLabel] = {}
        self.agreed_labels: dict[str, QLabel] = {}
        self.agreed_grid = QGridLayout()
        for key in AGREED_TARGETS:
            spin = QDoubleSpinBox(self)
            spin.setDecimals(0)
            spin.setRange(0, 100000)
            self.agreed[key] = spin
            self.agreed_labels[key] = QLabel(self)
            self.done_labels[key] = QLabel(self)
        self.agreed_box = QGroupBox(self)
        self.agreed_box.setLayout(self.agreed_grid)
        self.deliverables = QPlainTextEdit(self)
        self.deliverables.setMaximumHeight(56)
        self.notes = QLineEdit(self)
        self.signed = AttachmentsWidget(
            store, "service_agreements", self.agreement.id, self, kind="signed_agreement"
        )
        self.signed.load(attachments_of(store, "service_agreements", self.agreement.id))
        self.progress_note = QLabel(self)
        self.progress_note.setWordWrap(True)

        self.boxes = {
            "target_id": FieldBox(self.target),
            "commissioner_id": FieldBox(self.commissioner),
            "co_commissioner_ids": FieldBox(self.co),
            "start_date": FieldBox(self.start),
            "end_date": FieldBox(self.end),
            "status": FieldBox(self.status),
        }
        self.field_labels = {key: QLabel(self) for key in (*self.boxes, "deliverables", "notes", "signed")}
        form = QFormLayout()
        for key, box in self.boxes.items():
            form.addRow(self.field_labels[key], box)
        self.summary = ErrorLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # The fields scroll inside the dialog on a short screen; the buttons stay in view.
        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.addLayout(form)
        inner.addWidget(self.agreed_box)
        inner.addWidget(self.progress_note)
        extra = QFormLayout()
        extra.addRow(self.field_labels["deliverables"], self.deliverables)
        extra.addRow(self.field_labels["notes"], self.notes)
        extra.addRow(self.field_labels["signed"], self.signed)
        inner.addLayout(extra)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._load(progress)
        self.commissioner.currentIndexChanged.connect(lambda _i: self._offer_colleagues())
        self._offer_colleagues()
        self.retranslate()
        screen_fit.fit_dialog(self, (760, 720))  # (its English needs about 700 wide)

    def _offer_colleagues(self) -> None:
        """The co-commissioners offered are the others: the list offered the agreement's own
        commissioner too, and a tick there was silently dropped at the save (a cold try)."""
        own = self.commissioner.currentData()
        for i in range(self.co.count()):
            item = self.co.item(i)
            mine = item.data(Qt.ItemDataRole.UserRole) == own
            item.setHidden(mine)
            if mine:
                item.setCheckState(Qt.CheckState.Unchecked)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _lay_out_agreed(self, lang: str) -> None:
        """Two counters to a line, all in view on a field laptop; one in English (its labels are
        long: two to a line made the dialog scroll sideways)."""
        per_line = 1 if lang == "en" else 2
        grid = self.agreed_grid
        for row, key in enumerate(AGREED_TARGETS):
            line, column = row // per_line, 3 * (row % per_line)
            for offset, widget in enumerate(
                (self.agreed_labels[key], self.agreed[key], self.done_labels[key])
            ):
                grid.removeWidget(widget)
                grid.addWidget(widget, line, column + offset)

    def retranslate(self) -> None:
        lang = i18n.language()
        self._lay_out_agreed(lang)
        self.setWindowTitle(self.tr("新建服务协议") if self.is_new else self.tr("服务协议"))
        texts = {
            "target_id": self.tr("服务对象"),
            "commissioner_id": self.tr("科技特派员"),
            "co_commissioner_ids": self.tr("共同履约的特派员"),
            "start_date": self.tr("开始日期"),
            "end_date": self.tr("结束日期"),
            "status": self.tr("状态"),
            "deliverables": self.tr("其他约定成果"),
            "notes": self.tr("备注"),
            "signed": self.tr("协议签字盖章件"),
        }
        for key, text in texts.items():
            self.field_labels[key].setText(text)
        for i in range(self.status.count()):
            self.status.setItemText(i, AGREEMENT_STATUSES[self.status.itemData(i)].text(lang))
        self.agreed_box.setTitle(self.tr("约定指标（右侧为已审核通过的服务记录计算的完成数）"))
        for key, label in self.agreed_labels.items():
            label.setText(AGREED_TARGETS[key].text(lang))
        self.deliverables.setPlaceholderText(self.tr("无法计数的约定成果，如：建立示范基地1个"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.signed.retranslate()
        self._show_progress()

    def _load(self, progress: AgreementProgress) -> None:
        a = self.agreement
        index = self.target.findData(a.target_id)
        self.target.setCurrentIndex(index if index >= 0 else -1)
        if a.start_date:
            self.start.setDate(QDate(a.start_date.year, a.start_date.month, a.start_date.day))
        if a.end_date:
            self.end.setDate(QDate(a.end_date.year, a.end_date.month, a.end_date.day))
        self.status.setCurrentIndex(max(self.status.findData(a.status), 0))
        if a.commissioner_id:
            self.commissioner.setCurrentIndex(max(self.commissioner.findData(a.commissioner_id), 0))
        for i in range(self.co.count()):
            item = self.co.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in a.co_commissioner_ids:
                item.setCheckState(Qt.CheckState.Checked)
        for key, spin in self.agreed.items():
            spin.setValue(float(a.agreed.get(key, 0) or 0))
        self.deliverables.setPlainText(a.deliverables)
        self.notes.setText(a.notes)
        self.progress = progress

    def _show_progress(self) -> None:
        done = {i.key: i.done for i in self.progress.items}
        lagging = {i.key for i in self.progress.lagging}
        for key, label in self.done_labels.items():
            if key in done:
                label.setText(self.tr("已完成 {0}").format(f"{done[key]:g}"))
                label.setStyleSheet("color: #b35c00;" if key in lagging and self.progress.behind else "")
            else:
                label.setText("")
        if self.progress.behind:
            self.progress_note.setStyleSheet("color: #b35c00;")
            self.progress_note.setText(
                self.tr("已过协议期一半（{0}），以下指标未完成一半：{1}").format(
                    self.progress.midpoint,
                    "、".join(AGREED_TARGETS[i.key].text(i18n.language()) for i in self.progress.lagging),
                )
            )
        else:
            self.progress_note.setStyleSheet("color: #666;")
            self.progress_note.setText(self.tr("只计入本协议期内、已审核通过的服务记录。"))

    def collect(self) -> ServiceAgreement:
        a = self.agreement
        a.target_id = str(self.target.currentData() or "") if self.target.currentIndex() >= 0 else ""
        a.start_date = self.start.date().toPython()  # type: ignore[assignment]
        a.end_date = self.end.date().toPython()  # type: ignore[assignment]
        a.status = str(self.status.currentData())
        a.commissioner_id = str(self.commissioner.currentData() or "")
        a.co_commissioner_ids = [
            str(self.co.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.co.count())
            if self.co.item(i).checkState() == Qt.CheckState.Checked
            and self.co.item(i).data(Qt.ItemDataRole.UserRole) != a.commissioner_id
        ]
        a.agreed = {k: spin.value() for k, spin in self.agreed.items() if spin.value()}
        a.deliverables = self.deliverables.toPlainText().strip()
        a.notes = self.notes.text().strip()
        return a

    def save(self) -> None:
        for box in self.boxes.values():
            box.clear()
        self.summary.clear_message()
        agreement = self.collect()
        self.last_save_ok = None
        signed = self.signed
        Operation(
            self,
            lambda store: save_agreement_with_files(store, agreement, lambda s: signed.commit_to(s, False)),
            lambda done: self._saved(done.value.id),
        ).failure(self._refused).run_in_background()

    def _saved(self, agreement_id: str) -> None:
        self.last_save_ok = True
        self.saved.emit(agreement_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.last_save_ok = False
        if isinstance(error, ValidationError):
            show_issues(error.issues, self.boxes, self.summary)
        elif isinstance(error, CommissionerError):
            self.summary.show_message(error.text(i18n.language()))
        else:
            self.summary.show_message(error_text(error))


def open_agreement_dialog(
    parent: QWidget | None, context: AppContext, agreement_id: str | None, target_id: str = ""
) -> AgreementDialog:
    dialog = AgreementDialog(parent, context, agreement_id, target_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
