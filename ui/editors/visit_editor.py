"""The visit editor (服务记录): one service event with its problems, solutions and evidence.

Non-modal: a commissioner may keep the visit list open beside it. Every change restarts the
autosave timer (see autosave.py); Ctrl+S saves, Esc closes (asking when something is unsaved).

Data: the form is filled from the read-only connection (`context.reader`); saves and autosaves
are operations on the executor's database lane (commissioner_app.ops.visits), whose result comes
back later: `saved(visit_id)` after a save, `save_failed()` when it was refused.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.attachments import attachments_of
from commissioner_app.domain import (
    CONFIRMATION_DECISIONS,
    SERVICE_TYPES,
    VISIT_COUNTERS,
    Confirmation,
    ServiceTarget,
    TechnicalProblem,
    Visit,
    field_label,
)
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops import OpChanges, drafts
from commissioner_app.ops import visits as visit_ops
from commissioner_app.records import from_row, to_row
from commissioner_app.store import RECORD_STATES, Store, record_state
from sync.errors import rejection_reason
from ui import screen_fit
from ui.editors import autosave
from ui.editors.fields import ErrorLabel, FieldBox, ReferenceCombo, RegionPicker, issue_text
from ui.editors.problem_card import ProblemCard
from ui.editors.target_dialog import TargetDialog
from ui.editors.target_picker import TargetPicker
from ui.models import stars
from ui.plain_text import plain_label
from ui.tasks import Operation, error_text
from ui.views.common import confirm_deletion
from ui.widgets.attachments import AttachmentsWidget
from ui.widgets.dates import PastDateEdit, TimeField
from ui.widgets.spin import no_wheel

if TYPE_CHECKING:
    from ui.context import AppContext

log = logging.getLogger("commissioner.ui.visit_editor")

SATISFACTION_LEVELS = 5
TAB_BASIC, TAB_RESULTS, TAB_PROBLEMS, TAB_CONFIRM, TAB_ATTACHMENTS = range(5)


def _scrolled(inner: QWidget, stretch: bool = True) -> QScrollArea:
    """A tab page that scrolls on a small screen; form rows stay together at the top."""
    if stretch:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(inner)
        column.addStretch(1)
        inner = holder
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(inner)
    return area


class VisitEditor(QDialog):
    """Edits one visit; `saved(visit_id)` after a successful save, `save_failed()` after a refused one."""

    saved = Signal(str)
    save_failed = Signal()

    def __init__(self, parent: QWidget | None, context: AppContext, visit_id: str | None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.store = context.reader  # reads only: writes are operations on the executor
        self._loading = True
        self._dirty = False
        self.saving = False  # a save was submitted and has not answered yet
        self.last_save_ok: bool | None = None  # how the last save ended (None: none answered yet)
        self._close_after_save = False
        self._target_dialog: TargetDialog | None = None
        store = self.store
        existing = store.get(Visit, visit_id) if visit_id else None
        if visit_id and existing is None:
            store.require(Visit, visit_id)  # raises NotFoundError with a readable message
        row = store.row("visits", existing.id) if existing else None
        if existing is None:
            self.origin = "new"
            self.visit = Visit(
                visit_date=date.today(), start_time="09:00", end_time="11:00", commissioner_id=store.actor
            )
        else:
            self.origin = "draft" if row and row["is_draft"] else "saved"
            self.visit = existing
        self._row = row
        self._build()
        self._load_visit(self.visit)
        self._load_children()
        self.autosaver = autosave.Autosaver(self.autosave_now, self)
        self._loading = False
        self.retranslate()
        self._offer_autosaved()
        screen_fit.fit_dialog(self, (1080, 700))
        if self.origin == "new":
            self.target.search.setFocus()  # the date is today's already; whom was served comes next

    # --- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        store = self.store
        widget: QWidget
        # Banners: reviewer's opinion, approved warning, autosave offer, what went wrong.
        self.review_banner = plain_label(QLabel(self))  # the reviewer's opinion, as written
        self.review_banner.setWordWrap(True)
        self.review_banner.hide()
        self.restore_banner = QWidget(self)
        self.restore_text = QLabel(self.restore_banner)
        self.restore_button = QPushButton(self.restore_banner)
        self.restore_discard = QPushButton(self.restore_banner)
        banner_layout = QHBoxLayout(self.restore_banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_layout.addWidget(self.restore_text, 1)
        banner_layout.addWidget(self.restore_button)
        banner_layout.addWidget(self.restore_discard)
        self.restore_banner.setStyleSheet("background: #fff4ce;")
        self.restore_banner.hide()
        self.restore_button.clicked.connect(self._restore_autosaved)
        self.restore_discard.clicked.connect(self._drop_autosaved)
        self.summary = ErrorLabel(self)

        # Basic tab.
        # A future day is greyed in the calendar and, if chosen, said beside the field (_date_changed).
        self.visit_date = no_wheel(PastDateEdit(self))
        self.start_time = TimeField(self)
        self.end_time = TimeField(self)
        latest = store.latest_visit_date()  # today, or the server's today if this clock is behind it
        self.visit_date.latest = QDate(latest.year, latest.month, latest.day)
        self.target = TargetPicker(store, self)
        self.target.picked.connect(self._target_picked)
        self.target.create_requested.connect(self._create_target)
        self.region = RegionPicker(store, self)
        self.service_type_boxes: dict[str, QCheckBox] = {}
        types_widget = QWidget(self)
        self.types_grid = QGridLayout(types_widget)
        self.types_grid.setContentsMargins(0, 0, 0, 0)
        for code in SERVICE_TYPES:
            self.service_type_boxes[code] = QCheckBox(types_widget)
        self.industry = no_wheel(ReferenceCombo(store, "industry", self))
        self.content = QPlainTextEdit(self)
        self.content.setTabChangesFocus(True)
        self.content.setMinimumHeight(170)

        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QLabel] = {}
        time_row = QWidget(self)
        time_layout = QHBoxLayout(time_row)
        time_layout.setContentsMargins(0, 0, 0, 0)
        for key, widget in (
            ("visit_date", self.visit_date),
            ("start_time", self.start_time),
            ("end_time", self.end_time),
        ):
            self.boxes[key] = FieldBox(widget)
            self.labels[key] = QLabel(self)
            time_layout.addWidget(self.labels[key])
            time_layout.addWidget(self.boxes[key])
        time_layout.addStretch(1)
        basic = QWidget()
        form = QFormLayout(basic)
        self.labels["when"] = QLabel(self)
        form.addRow(self.labels["when"], time_row)
        for key, widget in (
            ("target_id", self.target),
            ("region", self.region),
            ("service_types", types_widget),
            ("industry", self.industry),
            ("content", self.content),
        ):
            self.boxes[key] = FieldBox(widget)
            self.labels[key] = QLabel(self)
            form.addRow(self.labels[key], self.boxes[key])

        # Results tab: the counters.
        self.counters: dict[str, QSpinBox] = {}
        results = QWidget()
        results_form = QFormLayout(results)
        results_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for name in VISIT_COUNTERS:
            spin = no_wheel(QSpinBox(self))
            spin.setRange(0, 1_000_000)
            spin.setMinimumWidth(160)
            self.counters[name] = spin
            self.boxes[name] = FieldBox(spin)
            self.labels[name] = QLabel(self)
            results_form.addRow(self.labels[name], self.boxes[name])
        self.economic_benefit = no_wheel(QDoubleSpinBox(self))
        self.economic_benefit.setRange(0, 1e8)
        self.economic_benefit.setDecimals(2)
        self.economic_benefit.setMinimumWidth(160)
        self.boxes["economic_benefit"] = FieldBox(self.economic_benefit)
        self.labels["economic_benefit"] = QLabel(self)
        results_form.addRow(self.labels["economic_benefit"], self.boxes["economic_benefit"])
        self.results_hint = QLabel(self)
        self.results_hint.setStyleSheet("color: #666;")
        self.results_hint.setWordWrap(True)
        results_form.addRow(self.results_hint)

        # Problems tab.
        problems = QWidget()
        self.problems_layout = QVBoxLayout(problems)
        actions = QHBoxLayout()
        self.add_problem_button = QPushButton(self)
        self.add_problem_button.clicked.connect(lambda: self.add_new_problem())
        self.existing_problems = no_wheel(QComboBox(self))
        self.existing_problems.setMinimumWidth(320)
        self.add_existing_button = QPushButton(self)
        self.add_existing_button.clicked.connect(self._add_existing_clicked)
        actions.addWidget(self.add_problem_button)
        actions.addSpacing(24)
        actions.addWidget(self.existing_problems, 1)
        actions.addWidget(self.add_existing_button)
        self.problems_hint = QLabel(self)
        self.problems_hint.setStyleSheet("color: #666;")
        self.problems_layout.addLayout(actions)
        self.problems_layout.addWidget(self.problems_hint)
        self.cards_layout = QVBoxLayout()
        self.problems_layout.addLayout(self.cards_layout)
        self.problems_layout.addStretch(1)
        self.cards: list[ProblemCard] = []
        self._removed_problems: list[str] = []  # problems raised here and autosaved, then removed

        # Confirmation tab: the served party's own answer through the sheet's QR code, when there is
        # one (read-only, from the central store), above what the commissioner records here.
        confirm = QWidget()
        confirm_form = QFormLayout(confirm)
        self.party: Confirmation | None = None
        self.party_answer = plain_label(QLabel(self))  # the served party's own words
        self.party_answer.setWordWrap(True)
        self.party_answer.setVisible(False)
        confirm_form.addRow(self.party_answer)
        self.confirm_contact = QLineEdit(self)
        self.confirm_satisfaction = no_wheel(QComboBox(self))
        self.confirm_satisfaction.addItem("", None)
        for level in range(1, SATISFACTION_LEVELS + 1):
            self.confirm_satisfaction.addItem("", level)
        self.confirm_remark = QPlainTextEdit(self)
        self.confirm_remark.setTabChangesFocus(True)
        self.confirm_remark.setFixedHeight(80)
        self.sheet = AttachmentsWidget(
            store, "visits", self.visit.id, self, kind="confirmation_sheet", single=True
        )
        for key, widget in (
            ("confirm_contact", self.confirm_contact),
            ("confirm_satisfaction", self.confirm_satisfaction),
            ("confirm_remark", self.confirm_remark),
            ("confirm_sheet", self.sheet),
        ):
            self.boxes[key] = FieldBox(widget)
            self.labels[key] = QLabel(self)
            confirm_form.addRow(self.labels[key], self.boxes[key])

        # Attachments tab.
        self.attachments = AttachmentsWidget(store, "visits", self.visit.id, self)
        evidence = QWidget()
        evidence_layout = QVBoxLayout(evidence)
        self.attachments_hint = QLabel(self)
        self.attachments_hint.setWordWrap(True)
        self.attachments_hint.setStyleSheet("color: #666;")
        evidence_layout.addWidget(self.attachments_hint)
        evidence_layout.addWidget(self.attachments, 1)

        self.tabs = QTabWidget(self)
        self._problems_listed = False  # the open problems are listed when that tab is first shown
        self.tabs.currentChanged.connect(self._tab_shown)
        for page in (basic, results, problems, confirm):
            self.tabs.addTab(_scrolled(page), "")
        self.tabs.addTab(_scrolled(evidence, stretch=False), "")

        # Buttons.
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        # A record in conflict leads to the conflicts view (ui/conflicts_dialog.py).
        self.conflict_button = QPushButton(self)
        self.conflict_button.setAutoDefault(False)
        self.conflict_button.setVisible(False)
        self.conflict_button.clicked.connect(self.open_conflicts)
        self.autosave_label = QLabel(self)
        self.autosave_label.setStyleSheet("color: #666;")
        self.draft_button = QPushButton(self)
        self.draft_button.clicked.connect(lambda: self.save(draft=True))
        self.save_button = QPushButton(self)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.draft_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        self.print_button = QPushButton(self)
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(lambda: self.print_sheet())
        # A visit logged by mistake (twice, or for the wrong party) goes, with what was recorded on it.
        self.delete_button = QPushButton(self)
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(lambda: self.delete_visit())
        bottom = QHBoxLayout()
        bottom.addWidget(self.state_label)
        bottom.addWidget(self.conflict_button)
        bottom.addWidget(self.autosave_label, 1)
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.draft_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.review_banner)
        layout.addWidget(self.restore_banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(lambda: self.save())
        QShortcut(QKeySequence("Ctrl+Shift+S"), self).activated.connect(
            lambda: self.save(draft=True) if self.origin != "saved" else None
        )
        # Changes restart the autosave timer.
        for edit in (self.confirm_contact,):
            edit.textChanged.connect(self._changed)
        for text in (self.content, self.confirm_remark):
            text.textChanged.connect(self._changed)
        self.visit_date.dateChanged.connect(self._changed)
        self.visit_date.dateChanged.connect(self._date_changed)
        self.start_time.timeChanged.connect(self._changed)
        self.end_time.timeChanged.connect(self._changed)
        self.region.changed.connect(self._changed)
        for box in self.service_type_boxes.values():
            box.toggled.connect(self._changed)
        self.industry.currentTextChanged.connect(self._changed)
        for spin in self.counters.values():
            spin.valueChanged.connect(self._changed)
        self.economic_benefit.valueChanged.connect(self._changed)
        self.confirm_satisfaction.currentIndexChanged.connect(self._changed)
        self.attachments.changed.connect(self._attachments_changed)
        self.sheet.changed.connect(self._attachments_changed)
        for field_box in self.boxes.values():
            field_box.cleared.connect(self._issue_cleared)

    # --- language --------------------------------------------------------------------------------

    def _lay_out_types(self, lang: str) -> None:
        """The service types in four columns, two in English (its names are long: four columns of
        them made the editor scroll sideways on a field laptop at 150 %)."""
        columns = 2 if lang == "en" else 4
        for i, box in enumerate(self.service_type_boxes.values()):
            self.types_grid.removeWidget(box)
            self.types_grid.addWidget(box, i // columns, i % columns)

    def retranslate(self) -> None:
        lang = i18n.language()
        self._lay_out_types(lang)
        if self.origin == "new":
            self.setWindowTitle(self.tr("新建服务记录"))
        else:
            self.setWindowTitle(
                self.tr("服务记录 %1").replace(
                    "%1", self.visit.visit_date.isoformat() if self.visit.visit_date else ""
                )
            )
        texts = {
            "when": self.tr("服务时间"),
            "visit_date": self.tr("日期"),
            "start_time": self.tr("开始"),
            "end_time": self.tr("结束"),
            "target_id": self.tr("服务对象"),
            "region": self.tr("服务地点"),
            "service_types": self.tr("服务类型"),
            "industry": self.tr("产业"),
            "content": self.tr("服务内容"),
            "confirm_contact": self.tr("确认人"),
            "confirm_satisfaction": self.tr("满意度"),
            "confirm_remark": self.tr("服务对象意见"),
            "confirm_sheet": self.tr("签字确认单"),
        }
        # The counters and the benefit are labelled as the domain defines them (exports and documents too).
        counter_texts = {name: label.text(lang) for name, label in VISIT_COUNTERS.items()}
        counter_texts["economic_benefit"] = field_label(Visit, "economic_benefit").heading.text(lang)
        for key, text in {**texts, **counter_texts}.items():
            self.labels[key].setText(text)
        for code, box in self.service_type_boxes.items():
            box.setText(SERVICE_TYPES[code].text(lang))
        self.content.setPlaceholderText(self.tr("做了什么、为谁、效果如何（至少5个字）"))
        self.results_hint.setText(
            self.tr("只填本次服务的数字；没有的保持0。经济效益以万元计，可带两位小数。")
        )
        levels = [
            self.tr("未评价"),
            self.tr("1 很不满意"),
            self.tr("2 不满意"),
            self.tr("3 一般"),
            self.tr("4 满意"),
            self.tr("5 非常满意"),
        ]
        for i, text in enumerate(levels):
            self.confirm_satisfaction.setItemText(i, text)
        self.confirm_contact.setPlaceholderText(self.tr("服务对象一方的确认人姓名"))
        self.attachments_hint.setText(
            self.tr("现场照片、培训签到表、文档等佐证材料。照片的拍摄时间和地点从照片信息中读取。")
        )
        self.add_problem_button.setText(self.tr("新增本次发现的难题"))
        self.add_existing_button.setText(self.tr("关联此难题"))
        self.problems_hint.setText(
            self.tr("把难题标记为“已解决”时，须填写本次解决方案；转交或暂无法解决时须说明原因。")
        )
        self._fill_existing_problems()
        self.tabs.setTabText(TAB_BASIC, self.tr("基本信息"))
        self.tabs.setTabText(TAB_RESULTS, self.tr("服务成效"))
        self.tabs.setTabText(TAB_CONFIRM, self.tr("服务对象确认"))
        self._show_party_answer()
        self._update_counts()
        self.draft_button.setText(self.tr("保存为草稿"))
        self.draft_button.setToolTip(self.tr("保存未填完的记录（Ctrl+Shift+S），草稿不会同步"))
        self.save_button.setText(self.tr("保存 (Ctrl+S)"))
        self.close_button.setText(self.tr("关闭"))
        self.delete_button.setText(self.tr("删除…"))
        self.delete_button.setToolTip(
            self.tr(
                "删除这条服务记录（记错或重复时），其中的技术难题、解决方案和照片一并删除；审核通过的不能删除"
            )
        )
        self.print_button.setText(self.tr("打印…"))
        self.print_button.setToolTip(self.tr("预览并保存这条服务记录的服务记录单（PDF），用于打印"))
        self.restore_button.setText(self.tr("恢复未保存的修改"))
        self.restore_discard.setText(self.tr("丢弃"))
        self._show_review()
        self._show_state()
        self.target.retranslate()
        self.region.retranslate()
        self.industry.relabel()
        self.attachments.retranslate()
        self.sheet.retranslate()
        for card in self.cards:
            card.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self._loading:
            self.retranslate()
        super().changeEvent(event)

    def _update_counts(self) -> None:
        problems = len(self.cards)
        files = len(self.attachments.attachments())
        self.tabs.setTabText(TAB_PROBLEMS, self.tr("难题与方案（%1）").replace("%1", str(problems)))
        self.tabs.setTabText(TAB_ATTACHMENTS, self.tr("照片与附件（%1）").replace("%1", str(files)))

    def _show_review(self) -> None:
        status = self.visit.review_status
        if status == "returned":
            opinion = self.visit.review_opinion or self.tr("（未填写意见）")
            self.review_banner.setText(
                self.tr("审核退回，意见：%1　请修改后重新保存提交。").replace("%1", opinion)
            )
            self.review_banner.setStyleSheet("background: #fde2e1; color: #7a1a14; padding: 6px;")
            self.review_banner.show()
        elif status == "approved" and self.origin == "saved":
            text = self.tr("此记录已通过审核。保存修改后将退回“待审核”，需要重新审核。")
            if self.visit.review_opinion.strip():
                text = self.tr("审核意见：%1").replace("%1", self.visit.review_opinion.strip()) + "　" + text
            self.review_banner.setText(text)
            self.review_banner.setStyleSheet("background: #fff4ce; color: #5c4400; padding: 6px;")
            self.review_banner.show()
        else:
            self.review_banner.hide()

    def open_conflicts(self) -> QWidget:
        from ui.conflicts_dialog import open_conflicts

        dialog = open_conflicts(self, self.context, self.visit.id)
        dialog.resolved.connect(lambda _table, _id: self._show_state())
        self.conflicts_dialog = dialog
        return dialog

    def _show_state(self) -> None:
        row = self.store.row("visits", self.visit.id)
        state = ""
        if row is None:
            self.state_label.setText(self.tr("状态：未保存"))
        else:
            state = record_state(row["sync_state"], row["review_status"])
            self.state_label.setText(
                self.tr("状态：%1").replace("%1", RECORD_STATES[state].text(i18n.language()))
            )
        reason = rejection_reason(row["sync_error"]) if row is not None and state == "rejected" else None
        if reason is not None:
            # The server's reason is what the user must fix; the record is sent again once saved.
            self.state_label.setText(
                self.tr("状态：被服务器拒绝（%1）。修改后保存，下次同步会再次发送。").replace(
                    "%1", reason.text(i18n.language())
                )
            )
        self.state_label.setToolTip(reason.text(i18n.language()) if reason else "")
        self.conflict_button.setText(self.tr("处理冲突…"))
        self.conflict_button.setVisible(state == "conflict")
        # A complete record is never turned back into a draft; autosave keeps its unsaved edits aside.
        self.draft_button.setVisible(self.origin != "saved")
        # One's own saved visit, not approved (a reviewer returns an approved one first).
        self.delete_button.setVisible(
            row is not None
            and self.origin == "saved"
            and self.context.profile is not None
            and row["commissioner_id"] == self.context.profile.id
            and row["review_status"] != "approved"
        )

    # --- loading ---------------------------------------------------------------------------------

    def _load_visit(self, v: Visit) -> None:
        self._loading = True
        if v.visit_date:
            loaded = QDate(v.visit_date.year, v.visit_date.month, v.visit_date.day)
            if loaded > self.visit_date.maximumDate():
                # Dated by a computer whose clock was ahead: shown (and kept) as it is, not cut to today.
                self.visit_date.setMaximumDate(loaded)
            self.visit_date.setDate(loaded)
        for widget, value in ((self.start_time, v.start_time), (self.end_time, v.end_time)):
            parsed = QTime.fromString(value, "HH:mm")
            widget.setTime(parsed if parsed.isValid() else QTime(0, 0))
        self.target.set_target(v.target_id)
        self.region.set_region(v.county, v.town, v.village)
        for code, box in self.service_type_boxes.items():
            box.setChecked(code in v.service_types)
        self.industry.set_value(v.industry)
        self.content.setPlainText(v.content)
        for name, spin in self.counters.items():
            spin.setValue(int(getattr(v, name) or 0))
        self.economic_benefit.setValue(float(v.economic_benefit or 0))
        self.confirm_contact.setText(v.confirm_contact)
        self.confirm_satisfaction.setCurrentIndex(
            max(self.confirm_satisfaction.findData(v.confirm_satisfaction), 0)
        )
        self.confirm_remark.setPlainText(v.confirm_remark)

    def _load_children(self) -> None:
        store = self.store
        if self.origin == "new":
            return
        solutions = {s.problem_id: s for s in store.solutions_of_visit(self.visit.id)}
        raised = store.problems_of_visit(self.visit.id)
        for raised_problem in raised:
            self._add_card(
                ProblemCard(
                    raised_problem, solutions.pop(raised_problem.id, None), raised_here=True, removable=False
                )
            )
        links = drafts.load_links(store, self.visit.id)
        for problem_id in [*solutions, *[p for p in links if p not in solutions]]:
            problem = store.get(TechnicalProblem, problem_id)
            if problem is None or problem.id in {c.problem.id for c in self.cards}:
                continue
            if problem_id in links:
                problem.status = links[problem_id].get("status", problem.status)
                problem.status_reason = links[problem_id].get("status_reason", problem.status_reason)
            self._add_card(
                ProblemCard(
                    problem,
                    solutions.get(problem_id),
                    raised_here=False,
                    removable=problem_id not in solutions,
                )
            )
        answers = store.all(Confirmation, "visit_id = ?", [self.visit.id])
        self.party = answers[0] if answers else None
        self._show_party_answer()
        files = attachments_of(store, "visits", self.visit.id)
        self.attachments.load([a for a in files if a.kind != "confirmation_sheet"])
        self.sheet.load([a for a in files if a.kind == "confirmation_sheet"])

    def _show_party_answer(self) -> None:
        """The served party's answer through the QR code (read-only), as the review pane shows it."""
        c = self.party
        self.party_answer.setVisible(c is not None)
        if c is None:
            return
        lang = i18n.language()
        decision = CONFIRMATION_DECISIONS.get(c.decision, CONFIRMATION_DECISIONS["confirmed"])
        rated = stars(c.satisfaction)
        who = c.name
        if c.role:
            who += f" ({c.role})" if lang == "en" else f"（{c.role}）"
        parts = [decision.text(lang), f"{self.tr('满意度')} {rated}" if rated else "", who, c.comment]
        gap = "   " if lang == "en" else "　"
        self.party_answer.setText(
            self.tr("服务对象本人扫码确认：{0}").format(gap.join(p for p in parts if p))
        )
        colour = "#15803d" if c.decision == "confirmed" else "#b91c1c"
        self.party_answer.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _tab_shown(self, index: int) -> None:
        if index == TAB_PROBLEMS and not self._problems_listed:
            self._problems_listed = True
            self._fill_existing_problems()

    def _fill_existing_problems(self) -> None:
        if not self._problems_listed:
            return
        self.existing_problems.clear()
        self.existing_problems.addItem(self.tr("选择一个未解决的已有难题…"), None)
        taken = {c.problem.id for c in self.cards}
        for status in ("open", "in_progress"):
            for row in self.store.list_problems(status=status, limit=300):
                if row["id"] in taken:
                    continue
                where = f"（{row['target_name']}）" if row["target_name"] else ""
                self.existing_problems.addItem(f"{row['title']}{where}", row["id"])

    # --- editing ---------------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.autosaver.touch()

    def _date_changed(self, _date: QDate) -> None:
        if self.visit_date.is_future():
            self.boxes["visit_date"].show_issues([self.visit_date.future_reason()])

    def _attachments_changed(self) -> None:
        self._update_counts()
        self._changed()

    def _target_picked(self, target_id: str) -> None:
        target = self.store.get(ServiceTarget, target_id)
        if target is not None:
            self.region.set_region(target.county, target.town, target.village)
            if target.industry and not self.industry.value():
                self.industry.set_value(target.industry)
            if not self.confirm_contact.text() and target.contact_name:
                self.confirm_contact.setText(target.contact_name)
        self._changed()

    def _create_target(self) -> None:
        dialog = TargetDialog(self, self.context, None)
        dialog.name.setText(self.target.search.text().strip())
        county, town, village = self.region.region()
        dialog.region.set_region(county, town, village)
        dialog.saved.connect(self._target_created)
        self._target_dialog = dialog
        dialog.open()

    def _target_created(self, target_id: str) -> None:
        self.target.search.clear()
        self.target.set_target(target_id)
        self._target_picked(target_id)

    def _add_card(self, card: ProblemCard) -> ProblemCard:
        card.changed.connect(self._changed)
        for field_box in card.boxes.values():
            field_box.cleared.connect(self._issue_cleared)
        card.remove_requested.connect(self._remove_card)
        self.cards.append(card)
        self.cards_layout.addWidget(card)
        self._update_counts()
        return card

    def add_new_problem(self) -> ProblemCard:
        problem = TechnicalProblem(
            commissioner_id=self.store.actor, source="visit", industry=self.industry.value()
        )
        card = self._add_card(ProblemCard(problem, None, raised_here=True, removable=True))
        self.tabs.setCurrentIndex(TAB_PROBLEMS)
        card.title.setFocus()
        self._changed()
        return card

    def add_existing_problem(self, problem_id: str) -> ProblemCard | None:
        problem = self.store.get(TechnicalProblem, problem_id)
        if problem is None or problem.id in {c.problem.id for c in self.cards}:
            return None
        card = self._add_card(ProblemCard(problem, None, raised_here=False, removable=True))
        self._fill_existing_problems()
        self._changed()
        return card

    def _add_existing_clicked(self) -> None:
        problem_id = self.existing_problems.currentData()
        if problem_id:
            self.add_existing_problem(str(problem_id))

    def _remove_card(self, card: ProblemCard) -> None:
        if card.raised_here:
            self._removed_problems.append(card.problem.id)
        self.cards.remove(card)
        card.setParent(None)
        card.deleteLater()
        self._fill_existing_problems()
        self._update_counts()
        self._changed()

    # --- collecting and saving -------------------------------------------------------------------

    def collect(self) -> tuple[Visit, list[tuple[ProblemCard, Any, Any]]]:
        """The visit as edited, and per problem card its (problem, solution or None)."""
        v = self.visit
        qd = self.visit_date.date()
        v.visit_date = date(qd.year(), qd.month(), qd.day())
        v.start_time = self.start_time.time().toString("HH:mm")
        v.end_time = self.end_time.time().toString("HH:mm")
        v.target_id = self.target.target_id()
        v.county, v.town, v.village = self.region.region()
        v.service_types = [code for code, box in self.service_type_boxes.items() if box.isChecked()]
        v.industry = self.industry.value()
        v.content = self.content.toPlainText().strip()
        for name, spin in self.counters.items():
            setattr(v, name, spin.value())
        v.economic_benefit = round(self.economic_benefit.value(), 2)
        v.confirm_contact = self.confirm_contact.text().strip()
        v.confirm_satisfaction = self.confirm_satisfaction.currentData()
        v.confirm_remark = self.confirm_remark.toPlainText().strip()
        sheets = self.sheet.attachments()
        v.confirm_sheet_sha256 = sheets[0].sha256 if sheets else ""
        if v.gps_lat is None:  # where the visit happened: the first site photo that knows it
            located = [a for a in self.attachments.attachments() if a.gps_lat is not None]
            if located:
                v.gps_lat, v.gps_lon = located[0].gps_lat, located[0].gps_lon
        if not v.commissioner_id:
            v.commissioner_id = self.store.actor
        children = [(card, *card.collect(v.id, v.target_id)) for card in self.cards]
        return v, children

    def save(self, draft: bool = False) -> None:
        """Save (or save as a draft) on the executor; when it is refused, show each problem next to its
        field and focus the first (`saved` or `save_failed` tells how it ended)."""
        if self.saving:
            return  # one save at a time: a second click while the first is written does nothing
        self.autosaver.stop()
        self._clear_issues()
        if draft and self.origin == "saved":
            draft = False  # never demote a complete record; the button is hidden for it anyway
        visit, children = self.collect()
        problems: list[TechnicalProblem] = []
        solutions: list[Any] = []
        owners: dict[str, tuple[ProblemCard, str]] = {}
        for card, problem, solution in children:
            if draft and not card.raised_here:
                continue  # a saved problem is not turned into a draft; the link is kept aside
            owners[f"problems[{len(problems)}]"] = (card, "")
            problems.append(problem)
            if solution is not None:
                owners[f"solutions[{len(solutions)}]"] = (card, "solution.")
                solutions.append(solution)
        if draft:
            for card, _problem, solution in children:
                if not card.raised_here and solution is not None:
                    solutions.append(solution)
        links = {
            p.id: {"status": p.status, "status_reason": p.status_reason}
            for card, p, _s in children
            if draft and not card.raised_here
        }

        removed, self._removed_problems = self._removed_problems, []

        def write_attachments(store: Store) -> None:
            self.attachments.commit_to(store, draft)
            self.sheet.commit_to(store, draft)

        def write(store: Store) -> OpChanges:
            return visit_ops.save_visit(
                store,
                visit,
                problems,
                solutions,
                draft=draft,
                removed_problems=removed,
                links=links,
                write_attachments=write_attachments,
            )

        def refused(error: BaseException) -> None:
            self._removed_problems = removed + self._removed_problems
            self.saving = False
            self.last_save_ok = False
            self._close_after_save = False
            if isinstance(error, ValidationError):
                self.show_issues(error.issues, owners)
            elif isinstance(error, CommissionerError):
                self.summary.show_message(error.text(i18n.language()))
            else:
                self.summary.show_message(error_text(error))
                log.error("visit save failed", exc_info=error)
            self.save_failed.emit()

        def done(_changes: OpChanges) -> None:
            self.saving = False
            self.last_save_ok = True
            for card, _p, solution in children:
                if solution is not None:
                    card.solution_saved = True
            self._dirty = False
            self.origin = "draft" if draft else "saved"
            self.saved.emit(visit.id)
            log.info("visit %s saved%s", visit.id, " as draft" if draft else "")
            if draft and not self._close_after_save:
                self.autosave_label.setText(self.tr("已保存为草稿 %1").replace("%1", _now_hm()))
                self._show_state()
                self.retranslate()
            else:
                self.close()

        self.saving = True
        self.last_save_ok = None
        Operation(self, write, done).failure(refused).with_progress(self.tr("正在保存…")).run_in_background()

    def _clear_issues(self) -> None:
        self.summary.clear_message()
        for box in self.boxes.values():
            box.clear()
        for card in self.cards:
            card.clear_issues()
        for i in range(self.tabs.count()):
            self.tabs.tabBar().setTabTextColor(i, self.palette().windowText().color())

    def show_issues(self, issues: list[Any], owners: dict[str, tuple[ProblemCard, str]]) -> None:
        """Every issue next to its field; tabs holding one turn red; the first field gets focus."""
        first: QWidget | None = None
        message: QWidget | None = None  # the first field's message: what must be in sight
        unplaced = []
        for issue in issues:
            text = issue_text(issue)
            widget: QWidget | None = None
            if "." in issue.field and issue.field.split(".")[0] in owners:
                prefix, key = issue.field.split(".", 1)
                card, sub = owners[prefix]
                widget = card.show_issue(sub + key, text)
            elif issue.field in self.boxes:
                self.boxes[issue.field].show_issues([text])
                widget = self.boxes[issue.field].field
                if first is None:
                    message = self.boxes[issue.field].error
            if widget is None:
                unplaced.append(f"{issue.label.text(i18n.language())}：{text}")
                continue
            tab = self._tab_of(widget)
            if tab is not None:
                self.tabs.tabBar().setTabTextColor(tab, Qt.GlobalColor.red)
            first = first or widget
        count = len(issues)
        summary = self.tr("有 %1 处需要修改，已在相应位置标出。").replace("%1", str(count))
        self.summary.show_message("\n".join([summary, *unplaced]))
        if first is not None:
            tab = self._tab_of(first)
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            first.setFocus()
            scroll = self.tabs.widget(self.tabs.currentIndex())
            if isinstance(scroll, QScrollArea):
                scroll.ensureWidgetVisible(first)
                if message is not None:
                    # Under a tall field (the content box at 150 %) the message was out of sight:
                    # once the page is laid out with it shown, scroll it into view too.
                    shown = message
                    QTimer.singleShot(0, scroll, lambda: scroll.ensureWidgetVisible(shown, 0, 24))

    def print_sheet(self) -> bool:
        """The saved record's service sheet, previewed for printing; unsaved changes are saved first
        by the user (the sheet shows what is saved). True when the sheet is being made."""
        if self.origin == "new" or self._dirty:
            self.summary.show_message(self.tr("请先保存，再打印：服务记录单印的是已保存的内容。"))
            return False
        from ui.printing import print_visit_sheet

        print_visit_sheet(self, self.context, self.visit.id)
        return True

    def _issue_cleared(self) -> None:
        """A corrected field's message went: so do its tab's red and the count, once nothing is left."""
        open_issues = [box for box in self.findChildren(FieldBox) if box.has_issue()]
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None and not any(page.isAncestorOf(box) for box in open_issues):
                self.tabs.tabBar().setTabTextColor(i, self.palette().windowText().color())
        if not open_issues:
            self.summary.clear_message()
        else:
            lines = self.summary.text().split("\n")
            lines[0] = self.tr("有 %1 处需要修改，已在相应位置标出。").replace("%1", str(len(open_issues)))
            self.summary.show_message("\n".join(lines))

    def _tab_of(self, widget: QWidget) -> int | None:
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None and (page is widget or page.isAncestorOf(widget)):
                return i
        return None

    # --- autosave --------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        visit, _children = self.collect()
        return {
            "origin": self.origin,
            "visit": to_row(visit),
            "cards": [card.state(visit.id, visit.target_id) for card in self.cards],
            "attachments": self.attachments.state(),
            "sheet": self.sheet.state(),
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        """Put an autosaved state back into the form."""
        self._loading = True
        try:
            self.visit = from_row(Visit, state["visit"])
            if self.origin != "saved" and state.get("origin") in ("new", "draft"):
                self.origin = state["origin"]
            self.attachments.set_owner(self.visit.id)
            self.sheet.set_owner(self.visit.id)
            self._load_visit(self.visit)
            for card in list(self.cards):
                self.cards.remove(card)
                card.setParent(None)
                card.deleteLater()
            for card_state in state.get("cards", []):
                self._add_card(ProblemCard.from_state(card_state))
            self.attachments.apply_state(state.get("attachments", {}))
            self.sheet.apply_state(state.get("sheet", {}))
        finally:
            self._loading = False
        self._dirty = True
        self.restore_banner.hide()
        self.retranslate()

    def autosave_now(self) -> None:
        """Keep what is typed: the full state aside, and a new visit also as a draft record."""
        if not self._dirty or self.saving:  # a save being written keeps it all already
            return
        state = self.state()
        as_draft = self.origin == "new"
        visit, children = self.collect()
        problems = [p for card, p, _s in children if card.raised_here]
        solutions = [s for _c, _p, s in children if s is not None]

        removed = self._removed_problems if as_draft else []
        if as_draft:
            self._removed_problems = []

        def write_attachments(store: Store) -> None:
            self.attachments.commit_to(store, True)
            self.sheet.commit_to(store, True)

        def write(store: Store) -> drafts.SavedState:
            return visit_ops.autosave_visit(
                store,
                visit,
                state,
                as_draft=as_draft,
                problems=problems,
                solutions=solutions,
                removed_problems=removed,
                write_attachments=write_attachments,
            )

        def failed(error: BaseException) -> None:
            self._removed_problems = removed + self._removed_problems
            log.warning("autosave failed: %s", error)
            self.autosave_label.setText(self.tr("自动保存失败：%1").replace("%1", error_text(error)))

        def done(saved: drafts.SavedState) -> None:
            log.debug("visit %s autosaved", visit.id)
            self.autosave_label.setText(self.tr("已自动保存 %1").replace("%1", saved.saved_at[11:16]))
            if self.origin == "new" and not self.saving:
                self._show_state()

        Operation(self, write, done).failure(failed).run_in_background()

    def _offer_autosaved(self) -> None:
        doc = drafts.load_state(self.store, self.visit.id) if self.origin != "new" else None
        if doc is None:
            return
        self._pending_restore = doc["state"]
        self.restore_text.setText(
            self.tr("此记录有 %1 自动保存但未保存的修改。").replace(
                "%1", doc.get("saved_at", "")[:16].replace("T", " ")
            )
        )
        self.restore_banner.show()

    def _restore_autosaved(self) -> None:
        self.apply_state(self._pending_restore)
        self.restore_banner.hide()

    def _drop_autosaved(self) -> None:
        visit_id = self.visit.id
        Operation(self, lambda store: drafts.clear(store, visit_id)).run_in_background()
        self.restore_banner.hide()

    # --- closing ---------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def ask_delete(self) -> bool:
        """Whether the user confirms deleting the visit (tests replace this)."""
        return confirm_deletion(
            self,
            self.tr("删除服务记录"),
            self.tr(
                "删除这条服务记录？其中的技术难题、解决方案和照片一并删除；下次同步后，市科技局和您的其他电脑上也将删除。"
            ),
        )

    def delete_visit(self) -> None:
        if not self.ask_delete():
            return
        visit_id = self.visit.id

        def refused(error: BaseException) -> None:
            self.summary.show_message(
                error.text(i18n.language()) if isinstance(error, CommissionerError) else error_text(error)
            )

        def done(_changes: OpChanges) -> None:
            log.info("visit %s deleted", visit_id)
            self.autosaver.stop()
            self._dirty = False
            self.close()

        Operation(self, lambda store: visit_ops.delete_visit(store, visit_id), done).failure(
            refused
        ).with_progress(self.tr("正在删除…")).run_in_background()

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("尚未保存"))
        box.setText(self.tr("这条服务记录有未保存的修改。"))
        save = box.addButton(
            self.tr("保存为草稿") if self.origin != "saved" else self.tr("保存"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        discard = box.addButton(self.tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def reject(self) -> None:
        self.close()  # Esc: same questions as closing the window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never falls through to a default button: in a search field it has picked the first
        match already, in any other field it only ends the input (a QDialog would click the first
        auto-default button, 新建服务对象…, and invite a duplicate target). A focused button still
        answers Enter; Ctrl+S saves."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton) and focused.isEnabled() and focused.isVisible():
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty:
            answer = self.ask_unsaved()
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                # Closes when the save answers; a refused save keeps the editor open with its issues.
                event.ignore()
                self._close_after_save = True
                self.save(draft=self.origin != "saved")
                return
            if answer == "discard":
                self.autosaver.stop()
                visit_id = self.visit.id
                # Runs after the window is gone (no callback); what it removed is still announced.
                Operation(
                    None, lambda store: drafts.discard(store, visit_id), runner=self.context.tasks
                ).run_in_background()
                self._dirty = False
        self.autosaver.stop()
        # Not QDialog.closeEvent: it would call reject(), which closes again.
        event.accept()


def _now_hm() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M")
