"""技术需求 (揭榜): the bureau publishes technical demands and follows who took them up and how the
resulting problems progress; commissioners see the open demands (their industries first) and take
one up, which makes it their own technical problem. Both travel through the next sync."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.demands import DEMAND_STATUSES, TakenUp, demand_progress, open_demands
from commissioner_app.domain import MAX_NAME, PROBLEM_STATUSES, TARGET_TYPES, Commissioner, Demand
from commissioner_app.ops import OpChanges
from commissioner_app.ops.demands import (
    close_demand,
    publish_demand,
    reopen_demand,
    revise_demand,
    take_up_demand,
)
from commissioner_app.reference import reference, towns_of
from commissioner_app.store import Store
from ui import screen_fit
from ui.context import AppContext
from ui.models import shown_reference, shown_region
from ui.plain_text import plain_label
from ui.roles import current_role, watcher
from ui.tasks import Operation, error_text
from ui.views.common import fit_by_content, heading, until_synced
from ui.widgets.dates import TypedDateEdit

log = logging.getLogger("commissioner.ui.demands")

DEFAULT_DAYS = 60  # a new demand's deadline, two months ahead unless the bureau changes it


PROGRESS_WIDTHS = (300, 61, 41, 64, 48, 85, 107)  # on a wide window; logical pixels
TITLE_SAMPLE = "柑橘黄龙病绿色防控"  # a title shows at least this much (its whole in the tooltip)
OPEN_WIDTHS = (300, 100, 120, 160, 90)


def _table(parent: QWidget, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(28)
    table.setWordWrap(False)
    return table


def _choose(combo: QComboBox, value: str) -> None:
    """Show a stored name (the Chinese one records keep) as the item that has it, in the interface's
    language; a name not in the list as typed text."""
    index = combo.findData(value) if value else 0
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setCurrentText(value)


class DemandsView(QWidget):
    """The bureau's side (publish + progress) or the commissioner's side (open demands + 揭榜),
    chosen by the logged-in account's role."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.has_loaded = False
        self.progress_rows: list[dict[str, Any]] = []
        self.open_rows: list[Demand] = []
        self.title = heading("", self)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.message = plain_label(QLabel(self))
        self.message.setWordWrap(True)

        # --- the bureau: publish form ---
        self.form_box = QGroupBox(self)
        self.title_edit = QLineEdit(self)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setMinimumHeight(90)
        self.description_edit.setMaximumHeight(200)
        self.industry = QComboBox(self)
        self.industry.setEditable(True)
        self.county = QComboBox(self)
        self.town = QComboBox(self)
        self.town.setEditable(True)
        self.target_edit = QLineEdit(self)
        self.target_edit.setMaxLength(MAX_NAME)
        self.deadline = TypedDateEdit(self)
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setDate(QDate.currentDate().addDays(DEFAULT_DAYS))
        self.publish_button = QPushButton(self)
        self.publish_button.setObjectName("primary")
        self.publish_button.clicked.connect(self.publish)
        self.cancel_edit_button = QPushButton(self)  # while a published demand is being corrected
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.cancel_edit_button.setVisible(False)
        self.editing: dict[str, Any] | None = None  # the progress row of the demand being corrected
        self._chosen_id: str | None = None  # the demand chosen in the bureau's list
        self.form = QFormLayout(self.form_box)
        self.form_labels = [QLabel(self) for _ in range(7)]
        for label, field in zip(
            self.form_labels,
            (
                self.title_edit,
                self.description_edit,
                self.industry,
                self.county,
                self.town,
                self.target_edit,
                self.deadline,
            ),
            strict=True,
        ):
            self.form.addRow(label, field)
        self.county.currentIndexChanged.connect(lambda _i: self._fill_towns())

        # --- the bureau: progress of every demand ---
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("heading")
        self.progress_table = _table(self, 7)
        # Every column shows its values whole (the title at least its first words) and the title
        # takes the spare width; on a narrow window the place, then the industry, give way and stay
        # in each row's tooltip (see ColumnFitter).
        self.progress_columns = fit_by_content(
            self.progress_table,
            PROGRESS_WIDTHS,
            0,
            (),
            lambda: {0: TITLE_SAMPLE, 3: "2026-12-05"},
            optional=(2, 1),
        )
        self.progress_table.itemSelectionChanged.connect(self._show_chosen_progress)
        # The bureau's acts on the demand chosen in the list: correct it, withdraw it, publish it again.
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close_selected)
        self.reopen_button = QPushButton(self)
        self.reopen_button.clicked.connect(self.reopen_selected)
        for button in (self.edit_button, self.close_button, self.reopen_button):
            button.setEnabled(False)

        self.bureau_panel = QSplitter(Qt.Orientation.Horizontal, self)
        form_column = QWidget(self)
        form_layout = QVBoxLayout(form_column)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.form_box)
        form_layout.addStretch(1)
        # The form scrolls on a small screen; its button stays in sight below it.
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(screen_fit.scrolling(form_column, self), 1)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.cancel_edit_button)
        form_buttons.addWidget(self.publish_button)
        left_layout.addLayout(form_buttons)
        self.form_column = left  # the bureau's alone: a county bureau reads the list only
        self.bureau_panel.addWidget(left)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.progress_label)
        right_layout.addWidget(self.progress_table, 1)
        acts = QHBoxLayout()
        acts.addStretch(1)
        for button in (self.edit_button, self.close_button, self.reopen_button):
            acts.addWidget(button)
        right_layout.addLayout(acts)
        self.bureau_panel.addWidget(right)
        # The progress table needs the room more, but the form its fields whole (a placeholder was cut
        # to 如：柑橘黄龙病绿… at 150 %).
        self.bureau_panel.setSizes([470, 720])

        # --- a commissioner: open demands and 揭榜 ---
        self.open_table = _table(self, 5)
        self.open_columns = fit_by_content(
            self.open_table, OPEN_WIDTHS, 0, (0, 1, 2, 3), lambda: {4: "2026-12-05"}
        )
        self.open_table.itemSelectionChanged.connect(self._show_selected)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(110)  # the list has the room: a field laptop at 150 % shows 7 rows
        self.take_button = QPushButton(self)
        self.take_button.setObjectName("primary")
        self.take_button.setEnabled(False)
        self.take_button.clicked.connect(self.take_up_selected)
        self.commissioner_panel = QWidget(self)
        panel = QVBoxLayout(self.commissioner_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.addWidget(self.open_table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.detail, 1)
        bottom.addWidget(self.take_button, 0, Qt.AlignmentFlag.AlignTop)
        panel.addLayout(bottom)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.bureau_panel, 1)
        layout.addWidget(self.commissioner_panel, 1)

        self._show_role()  # one panel, also before the first load (both would need the height of two)
        self.retranslate()
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    # --- role ------------------------------------------------------------------------------------

    @property
    def is_bureau(self) -> bool:
        return current_role(self.context) == "bureau"

    @property
    def sees_progress(self) -> bool:
        """The bureau's list of demands and who took them up: the city bureau's to manage, a county
        bureau's to read (the city publishes demands; a county bureau takes none up)."""
        return current_role(self.context) in ("bureau", "county")

    def _show_role(self) -> None:
        bureau, progress = self.is_bureau, self.sees_progress
        self.bureau_panel.setVisible(progress)
        self.form_column.setVisible(bureau)
        for button in (self.edit_button, self.close_button, self.reopen_button):
            button.setVisible(bureau)
        self.commissioner_panel.setVisible(not progress)
        if bureau:
            hint = self.tr(
                "发布技术需求（来自村、企业或局里的清单）；同步后送达各科技特派员，揭榜后可在此查看揭榜人和难题进展。"
            )
        elif progress:
            hint = self.tr("市科技局发布的技术需求，及各需求的揭榜人和难题进展（只读）。")
        else:
            hint = self.tr(
                "市科技局发布的待揭榜技术需求，与您产业相符的排在前面。揭榜后该需求成为您的技术难题（见“技术难题”），下次同步时告知市科技局。"
            )
        self.hint.setText(hint)

    # --- text ------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # What was said of a past act is not said again in the new language: gone, not left
            # in the old one.
            self.message.clear()
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("技术需求（揭榜）"))
        self.form_box.setTitle(self.tr("修改需求") if self.editing else self.tr("发布新需求"))
        for label, text in zip(
            self.form_labels,
            (
                self.tr("需求标题"),
                self.tr("需求描述"),
                self.tr("产业"),
                self.tr("区县"),
                self.tr("镇街"),
                self.tr("服务对象"),
                self.tr("揭榜截止日期"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.title_edit.setPlaceholderText(self.tr("如：柑橘黄龙病绿色防控技术"))
        self.target_edit.setPlaceholderText(self.tr("提出需求的村、企业或合作社"))
        self.publish_button.setText(self.tr("保存修改") if self.editing else self.tr("发布需求"))
        self.cancel_edit_button.setText(self.tr("取消修改"))
        self.edit_button.setText(self.tr("修改…"))
        self.close_button.setText(self.tr("关闭需求…"))
        self.reopen_button.setText(self.tr("重新发布"))
        self.progress_label.setText(self.tr("已发布需求的进展"))
        self.progress_table.setHorizontalHeaderLabels(
            [
                self.tr("需求标题"),
                self.tr("产业"),
                self.tr("地点"),
                self.tr("截止日期"),
                self.tr("状态"),
                self.tr("揭榜人"),
                self.tr("难题进展"),
            ]
        )
        self.open_table.setHorizontalHeaderLabels(
            [self.tr("需求标题"), self.tr("产业"), self.tr("地点"), self.tr("服务对象"), self.tr("截止日期")]
        )
        self.take_button.setText(self.tr("揭榜"))
        self._fill_choices()
        self._show_role()
        self._fill_progress()
        self._fill_open()

    def _fill_choices(self) -> None:
        lang = self.context.language
        reader = self.context.reader
        current_industry = self._combo_value(self.industry)  # kept by the name records keep
        self.industry.blockSignals(True)
        self.industry.clear()
        self.industry.addItem("", "")
        for item in reference(reader, "industry"):
            self.industry.addItem(item.name(lang), item.name_zh)
        _choose(self.industry, current_industry)
        self.industry.blockSignals(False)
        current_county = self.county.currentData()
        self.county.blockSignals(True)
        self.county.clear()
        self.county.addItem("", "")
        for item in reference(reader, "county"):
            self.county.addItem(item.name(lang), item.name_zh)
        self.county.setCurrentIndex(max(self.county.findData(current_county), 0) if current_county else 0)
        self.county.blockSignals(False)
        self._fill_towns()

    def _fill_towns(self) -> None:
        county = self.county.currentData() or ""
        current = self._combo_value(self.town)
        self.town.clear()
        self.town.addItem("", "")
        for item in towns_of(self.context.reader, county) if county else []:
            self.town.addItem(item.name(self.context.language), item.name_zh)
        _choose(self.town, current)

    @staticmethod
    def _combo_value(combo: QComboBox) -> str:
        """The Chinese name records keep: the item's data, or what the user typed."""
        index = combo.findText(combo.currentText())
        if index >= 0 and combo.itemData(index):
            return str(combo.itemData(index))
        return combo.currentText().strip()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        self._show_role()
        if self.sees_progress:
            Operation(self, demand_progress, self._show_progress).with_progress(
                self.tr("正在加载技术需求…")
            ).run_in_background()
        else:
            industries = list(self.context.profile.industries) if self.context.profile else []
            Operation(
                self, lambda store: open_demands(store, industries=industries), self._show_open
            ).with_progress(self.tr("正在加载技术需求…")).run_in_background()

    def _role_changed(self, _role: str) -> None:
        self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches("demands", "problems"):
            self.refresh()

    def _show_progress(self, rows: list[dict[str, Any]]) -> None:
        self.has_loaded = True
        self._chosen_id = (self.chosen_progress() or {}).get("id")  # before the rows change
        self.progress_rows = rows
        self._fill_progress()

    def _show_open(self, demands: list[Demand]) -> None:
        self.has_loaded = True
        self.open_rows = demands
        self._fill_open()

    def _fill_progress(self) -> None:
        lang = self.context.language
        table = self.progress_table
        chosen = self._chosen_id  # chosen again after the refill: the same demand, not the same row
        table.clearSelection()
        table.setRowCount(len(self.progress_rows))
        for row, d in enumerate(self.progress_rows):
            status = DEMAND_STATUSES.get(d["status"])
            problem = PROBLEM_STATUSES.get(d["problem_status"] or "")
            values = [
                d["title"],
                shown_reference(self.context, "industry", d["industry"] or ""),
                shown_region(self.context, d),
                d["deadline"] or "",
                status.text(lang) if status else d["status"],
                d["taken_by_name"] or "",
                problem.text(lang) if problem else (self.tr("未收到难题") if d["problem_missing"] else ""),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value or ""))
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, d["id"])
                item.setToolTip(item.text())  # the whole of a title or place cut on a narrow window
                table.setItem(row, column, item)
        self.progress_columns.refit()  # the widest value and the headers may have changed
        if chosen is not None:
            self.select_progress(chosen)
        self._show_chosen_progress()

    def _fill_open(self) -> None:
        table = self.open_table
        table.setRowCount(len(self.open_rows))
        for row, d in enumerate(self.open_rows):
            values = [
                d.title,
                shown_reference(self.context, "industry", d.industry),
                shown_region(self.context, {"county": d.county, "town": d.town}),
                d.target_name,
                d.deadline.isoformat() if d.deadline else "",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value or "")
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setToolTip(item.text())
                table.setItem(row, column, item)
        self.open_columns.refit()
        if not self.open_rows and self.has_loaded and not self.sees_progress:
            self.detail.setPlainText(self.tr("目前没有待揭榜的技术需求。同步后可收到市科技局新发布的需求。"))
        self._show_selected()

    def selected_demand(self) -> Demand | None:
        rows = self.open_table.selectionModel().selectedRows()
        return self.open_rows[rows[0].row()] if rows and rows[0].row() < len(self.open_rows) else None

    def select_demand(self, demand_id: str) -> None:
        for row, d in enumerate(self.open_rows):
            if d.id == demand_id:
                self.open_table.selectRow(row)
                return

    def _show_selected(self) -> None:
        d = self.selected_demand()
        self.take_button.setEnabled(d is not None and self._commissioner() is not None)
        if d is not None:
            self.detail.setPlainText(d.description)

    # --- actions ---------------------------------------------------------------------------------

    def chosen_progress(self) -> dict[str, Any] | None:
        rows = self.progress_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.progress_rows):
            return None
        return self.progress_rows[rows[0].row()]

    def select_progress(self, demand_id: str) -> None:
        for row, d in enumerate(self.progress_rows):
            if d["id"] == demand_id:
                self.progress_table.selectRow(row)
                return

    def _show_chosen_progress(self) -> None:
        d = self.chosen_progress()
        self._chosen_id = d["id"] if d is not None else None
        open_ = d is not None and d["status"] == "published" and not d["taken_by"]
        closed = d is not None and d["status"] == "closed" and not d["taken_by"]
        # Taken up, but the taker's problem for it never came (or was deleted): it may be published
        # again, or it would be locked for good.
        stranded = d is not None and bool(d["problem_missing"])
        self.edit_button.setEnabled(open_ or closed)
        self.close_button.setEnabled(open_)
        self.reopen_button.setEnabled(closed or stranded)

    def edit_selected(self) -> None:
        """The chosen demand into the form, to be corrected and saved in place."""
        d = self.chosen_progress()
        if d is None:
            return
        self.editing = d
        self.title_edit.setText(d["title"] or "")
        self.description_edit.setPlainText(d["description"] or "")
        _choose(self.industry, d["industry"] or "")
        self.county.setCurrentIndex(max(self.county.findData(d["county"] or ""), 0))
        self._fill_towns()
        _choose(self.town, d["town"] or "")
        self.target_edit.setText(d["target_name"] or "")
        if d["deadline"]:
            self.deadline.setDate(QDate.fromString(d["deadline"], "yyyy-MM-dd"))
        self.cancel_edit_button.setVisible(True)
        self.retranslate()
        self.title_edit.setFocus()

    def cancel_edit(self) -> None:
        self.editing = None
        self._clear_form()
        self.cancel_edit_button.setVisible(False)
        self.retranslate()

    def _clear_form(self) -> None:
        """A new demand starts empty: nothing of the one just published or corrected (its industry
        and place went into the next one unnoticed)."""
        self.title_edit.clear()
        self.description_edit.clear()
        self.target_edit.clear()
        self.industry.setCurrentIndex(0)
        self.county.setCurrentIndex(0)
        self._fill_towns()
        self.town.setCurrentIndex(0)
        self.deadline.setDate(QDate.currentDate().addDays(DEFAULT_DAYS))

    def close_selected(self) -> None:
        d = self.chosen_progress()
        if d is None:
            return
        asked = QMessageBox.question(
            self,
            self.tr("关闭需求"),
            self.tr("关闭后科技特派员将不能再揭榜“{0}”（同步后生效）。以后可以重新发布。确定关闭？").format(
                d["title"]
            ),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        demand_id, title = d["id"], d["title"]
        Operation(
            self,
            lambda store: close_demand(store, demand_id),
            lambda _done: self._say(
                self.tr("已关闭“{0}”，下次同步后科技特派员不能再揭榜。").format(title), until_sync=True
            ),
        ).failure(lambda e: self._say(error_text(e), error=True)).with_progress(
            self.tr("正在关闭需求…")
        ).run_in_background()

    def reopen_selected(self) -> None:
        d = self.chosen_progress()
        if d is None:
            return
        demand_id, title = d["id"], d["title"]
        Operation(
            self,
            lambda store: reopen_demand(store, demand_id),
            lambda done: self._reopened(title, done.value),
        ).failure(lambda e: self._say(error_text(e), error=True)).with_progress(
            self.tr("正在发布需求…")
        ).run_in_background()

    def _reopened(self, title: str, demand: Demand) -> None:
        if demand.status == "closed":  # taken back from a take-up whose problem never came
            self._say(
                self.tr("已收回“{0}”；其揭榜截止日期已过，请修改截止日期后再重新发布。").format(title),
                until_sync=True,
            )
            return
        self._say(self.tr("已重新发布“{0}”，下次同步时送达各科技特派员。").format(title), until_sync=True)

    def publish(self) -> None:
        deadline = self.deadline.date().toPython()
        demand = Demand(
            title=self.title_edit.text().strip(),
            description=self.description_edit.toPlainText().strip(),
            industry=self._combo_value(self.industry),
            county=self.county.currentData() or "",
            town=self._combo_value(self.town),
            target_name=self.target_edit.text().strip(),
            deadline=deadline if isinstance(deadline, date) else None,
            published_by=self.context.profile_name or self.tr("市科技局"),
        )
        if not demand.title or not demand.description:
            self._say(self.tr("请填写需求标题和需求描述。"), error=True)
            return
        if demand.deadline is not None and demand.deadline < date.today():
            self._say(self.tr("揭榜截止日期不能早于今天。"), error=True)
            return
        if self.editing is not None:
            demand_id = self.editing["id"]
            Operation(
                self,
                lambda store: revise_demand(store, demand_id, demand),
                lambda done: self._revised(done.value),
            ).failure(lambda e: self._say(error_text(e), error=True)).with_progress(
                self.tr("正在保存修改…")
            ).run_in_background()
            return
        Operation(
            self, lambda store: publish_demand(store, demand), lambda done: self._published(done.value)
        ).failure(lambda e: self._say(error_text(e), error=True)).with_progress(
            self.tr("正在发布需求…")
        ).run_in_background()

    def _published(self, demand: Demand) -> None:
        self._say(self.tr("已发布“{0}”，下次同步时送达各科技特派员。").format(demand.title), until_sync=True)
        self._clear_form()

    def _revised(self, demand: Demand) -> None:
        self.cancel_edit()
        self._say(self.tr("已修改“{0}”，下次同步时送达各科技特派员。").format(demand.title), until_sync=True)

    def _commissioner(self) -> Commissioner | None:
        return self.context.profile

    def take_up_selected(self) -> None:
        d = self.selected_demand()
        who = self._commissioner()
        if d is None or who is None:
            return
        asked = QMessageBox.question(
            self,
            self.tr("揭榜"),
            self.tr(
                "揭榜“{0}”？它将成为您的技术难题（见“技术难题”），下次同步时告知市科技局，不能撤回。"
            ).format(d.title),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        demand_id = d.id

        def work(store: Store) -> Any:
            return take_up_demand(store, demand_id, who)

        Operation(self, work, lambda done: self._taken(d, done.value)).failure(
            lambda e: self._say(error_text(e), error=True)
        ).with_progress(self.tr("正在揭榜…")).run_in_background()

    def _taken(self, demand: Demand, taken: TakenUp) -> None:
        party = taken.party
        if party is None:
            text = self.tr("已揭榜“{0}”：它已成为您的技术难题，下次同步时告知市科技局。").format(demand.title)
        elif taken.party_is_new:
            kind = TARGET_TYPES.get(party.type)
            text = self.tr(
                "已揭榜“{0}”：它已成为您的技术难题。服务对象“{1}”已新登记，类型按名称定为“{2}”，"
                "如有不符请在“服务对象”中修改。下次同步时告知市科技局。"
            ).format(demand.title, party.name, kind.text(i18n.language()) if kind else party.type)
        else:
            text = self.tr(
                "已揭榜“{0}”：它已成为您对服务对象“{1}”的技术难题，下次同步时告知市科技局。"
            ).format(demand.title, party.name)
        self._say(text, until_sync=True)

    def _say(self, text: str, *, error: bool = False, until_sync: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setText(text)
        if until_sync:
            until_synced(self.context, self.message)
