"""The target page (服务对象主页): one service target's service history across the team — every
visit, problem, solution and agreement, newest first, the commissioners who served it, and its
agreements with their progress. A manager or the bureau can merge another target into it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.domain import AGREEMENT_STATUSES, PROBLEM_STATUSES, TARGET_TYPES
from commissioner_app.ops import OpChanges
from commissioner_app.ops.targets import TargetPage, merge_targets, target_choices, target_page
from ui import screen_fit
from ui.context import AppContext
from ui.plain_text import plain_label
from ui.roles import current_role
from ui.sync_display import field_label
from ui.tasks import Operation
from ui.views.agreements import BEHIND_COLOUR, open_agreement_dialog, progress_text
from ui.views.common import heading
from ui.widgets.flow import flow_widget

REVIEW = {
    "approved": ("已通过", "Approved"),
    "pending": ("待审核", "Pending"),
    "returned": ("已退回", "Returned"),
}


class TargetPageDialog(QDialog):
    def __init__(self, parent: QWidget | None, context: AppContext, target_id: str):
        super().__init__(parent)
        self.context = context
        self.target_id = target_id
        self.page: TargetPage | None = None
        self.title = heading("", self)
        self.title.setWordWrap(True)  # a long registered name must not widen the page past the screen
        self.facts = plain_label(QLabel(self))
        self.facts.setWordWrap(True)
        self.similar_note = plain_label(QLabel(self))
        self.similar_note.setWordWrap(True)
        self.similar_note.setStyleSheet("color: #b45309;")
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self._edit)
        self.agreement_button = QPushButton(self)
        self.agreement_button.clicked.connect(
            lambda: open_agreement_dialog(self, self.context, None, self.target_id)
        )
        self.merge_button = QPushButton(self)
        self.merge_button.clicked.connect(self._merge)
        self.merge_button.setVisible(current_role(context) in ("manager", "bureau"))
        self.agreements_label = QLabel(self)
        self.agreements = QTableWidget(0, 4, self)
        self.history_label = QLabel(self)
        self.history = QTableWidget(0, 5, self)
        for table in (self.agreements, self.history):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
            table.setWordWrap(True)
        self.agreements.setMaximumHeight(150)
        self.agreements.cellDoubleClicked.connect(self._open_agreement)
        for column, width in enumerate((180, 80, 110)):
            self.agreements.setColumnWidth(column, width)
        for column, width in enumerate((90, 70, 90, 80)):
            self.history.setColumnWidth(column, width)
        buttons_widget, buttons = flow_widget(self)
        for button in (self.edit_button, self.agreement_button, self.merge_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.similar_note)
        layout.addWidget(buttons_widget)
        layout.addWidget(self.agreements_label)
        layout.addWidget(self.agreements)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        context.operation_did_execute.connect(self._changed)
        self.load()
        screen_fit.fit_dialog(self, (860, 680))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill()
        super().changeEvent(event)

    def _changed(self, changes: OpChanges) -> None:
        watched = {"service_targets", "visits", "problems", "solutions", "service_agreements"}
        if changes.everything or changes.tables & watched:
            self.load()

    def load(self) -> None:
        self.page = target_page(self.context.reader, self.target_id)
        self._fill()

    def _fill(self) -> None:
        page = self.page
        if page is None:
            return
        lang = i18n.language()
        t = page.target
        self.setWindowTitle(self.tr("服务对象主页"))
        self.title.setText(t.name + ("　" + self.tr("（已合并）") if t.merged_into else ""))
        kind = TARGET_TYPES[t.type].text(lang) if t.type in TARGET_TYPES else t.type
        facts = [
            kind,
            f"{t.county}{t.town}{t.village}",
            self.tr("联系人：{0} {1}").format(t.contact_name, t.contact_phone),
        ]
        if t.credit_code:
            facts.append(self.tr("统一社会信用代码：{0}").format(t.credit_code))
        facts.append(self.tr("服务过的科技特派员：{0}").format("、".join(page.commissioners) or "—"))
        if page.merged_from:
            facts.append(self.tr("已并入：{0}").format("、".join(name for _id, name in page.merged_from)))
        self.facts.setText("　·　".join(f for f in facts if f.strip()))
        # The same party registered twice (colleagues each offline): a manager merges them here.
        similar = "、".join(name for _id, name in page.similar)
        self.similar_note.setText(self.tr("疑似重复：{0}").format(similar) if similar else "")
        self.similar_note.setVisible(bool(similar))
        self.edit_button.setText(self.tr("编辑服务对象"))
        self.agreement_button.setText(self.tr("新建服务协议"))
        self.merge_button.setText(self.tr("把另一服务对象并入此处…"))

        self.agreements_label.setText(self.tr("服务协议（{0} 份）").format(len(page.agreements)))
        self.agreements.setHorizontalHeaderLabels(
            [self.tr("协议期限"), self.tr("状态"), self.tr("科技特派员"), self.tr("约定指标完成情况")]
        )
        self.agreements.setRowCount(len(page.agreements))
        names = page.names
        for r, p in enumerate(page.agreements):
            a = p.agreement
            cells = [
                f"{a.start_date} ~ {a.end_date}",
                AGREEMENT_STATUSES.get(a.status, AGREEMENT_STATUSES["draft"]).text(lang),
                names.get(a.commissioner_id, ""),
                progress_text(p, lang) + ("　" + self.tr("进度落后") if p.behind else ""),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                if p.behind:
                    item.setBackground(QBrush(BEHIND_COLOUR))
                self.agreements.setItem(r, c, item)

        kinds = {
            "visit": self.tr("服务记录"),
            "problem": self.tr("技术难题"),
            "solution": self.tr("解决方案"),
            "agreement": self.tr("服务协议"),
            "change": self.tr("资料修改"),
        }
        self.history_label.setText(self.tr("服务历史（共 {0} 条，最新在前）").format(len(page.events)))
        self.history.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("类别"), self.tr("科技特派员"), self.tr("状态"), self.tr("内容")]
        )
        self.history.setRowCount(len(page.events))
        for r, e in enumerate(page.events):
            status = e.status
            if e.kind == "visit" and status in REVIEW:
                status = REVIEW[status][0 if lang != "en" else 1]
            elif e.kind == "problem" and status in PROBLEM_STATUSES:
                status = PROBLEM_STATUSES[status].text(lang)
            elif e.kind == "agreement" and status in AGREEMENT_STATUSES:
                status = AGREEMENT_STATUSES[status].text(lang)
            title = e.title
            if e.kind == "change":
                title = "；".join(
                    field_label("service_targets", f, lang) + "：" + f"{old or '—'} → {new or '—'}"
                    for f, (old, new) in e.extra["changes"].items()
                )
            for c, text in enumerate([e.day, kinds.get(e.kind, e.kind), e.commissioner, status, title]):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.agreements.resizeRowsToContents()

    def _edit(self) -> None:
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_target_dialog(self, self.context, self.target_id)

    def _open_agreement(self, row: int, _column: int) -> None:
        item = self.agreements.item(row, 0)
        if item is not None:
            open_agreement_dialog(self, self.context, str(item.data(Qt.ItemDataRole.UserRole)))

    def _merge(self) -> None:
        """Choose the duplicate to merge into this target; its records follow, on every computer."""
        choices = target_choices(self.context.reader, exclude=self.target_id)
        if not choices:
            return
        # The likely duplicates first: not somewhere among every target of the city.
        first = [c for c in (self.page.similar if self.page is not None else []) if c in choices]
        choices = [*first, *(c for c in choices if c not in first)]
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("合并服务对象"))
        dialog.setLabelText(
            self.tr("选择与本服务对象重复的一个，它的服务记录、难题和协议将改为指向本服务对象：")
        )
        # The same name twice (the very duplicates this is for) is told apart: the one chosen is merged.
        names: list[str] = []
        seen: dict[str, int] = {}
        for _id, name in choices:
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name}　#{seen[name]}")
        dialog.setComboBoxItems(names)
        dialog.setComboBoxEditable(False)
        dialog.setTextValue(names[0])
        if not dialog.exec():
            return
        chosen = dialog.textValue()
        if chosen not in names:
            return
        loser = choices[names.index(chosen)][0]
        Operation(self, lambda store: merge_targets(store, loser, self.target_id)).run_in_background()


def open_target_page(parent: QWidget | None, context: AppContext, target_id: str) -> TargetPageDialog:
    dialog = TargetPageDialog(parent, context, target_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
