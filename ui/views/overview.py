"""工作台: this month's visits, open problems, records waiting to sync, recent activity."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.ops.overview import OverviewFigures, overview_figures
from commissioner_app.store import record_state
from ui.context import AppContext
from ui.models import state_label
from ui.plain_text import plain_label, plain_tooltip
from ui.roles import records_visits, watcher
from ui.tasks import Operation
from ui.views.common import heading


class FigureCard(QFrame):
    """A big number with its caption; clicking it opens the matching list."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("–", self)
        self.number.setObjectName("figure")
        self.caption = QLabel(self)
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)  # four cards side by side on a 911-pixel screen, in English too
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def mouseReleaseEvent(self, event: Any) -> None:  # Qt's name
        self.clicked.emit()
        super().mouseReleaseEvent(event)


class OverviewView(QWidget):
    open_view = Signal(str)  # a view key of the main window
    open_visits = Signal(str, str)  # the visit list with a period and a review status ("" for any)
    figures_shown = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.figures = OverviewFigures()
        self.has_loaded = False
        self.title = heading("", self)
        self.greeting = plain_label(QLabel(self))
        self.greeting.setObjectName("hint")
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self._new_visit)
        self.cards = {
            key: FigureCard(self) for key in ("month", "problems", "sync", "returned", "agreements")
        }
        self.cards["month"].clicked.connect(lambda: self.open_visits.emit("this_month", ""))
        self.cards["problems"].clicked.connect(lambda: self.open_view.emit("problems"))
        self.cards["sync"].clicked.connect(lambda: self.open_view.emit("sync"))
        self.cards["returned"].clicked.connect(lambda: self.open_visits.emit("", "returned"))
        self.cards["agreements"].clicked.connect(lambda: self.open_view.emit("agreements"))
        self.recent_title = heading("", self)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recent")
        self.recent.itemActivated.connect(self._open_recent)

        top = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.greeting)
        top.addLayout(names, 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout()
        grid.setSpacing(12)
        for column, card in enumerate(self.cards.values()):
            grid.addWidget(card, 0, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addSpacing(12)
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent, 1)

        self.retranslate()
        # Bound methods, not lambdas: the context outlives this page (see MainWindow).
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)

    def _records_changed(self, _changes: object) -> None:
        self.load(force=True)

    def _role_changed(self, _role: str) -> None:
        self.retranslate()

    def load(self, force: bool = False) -> None:
        if self.has_loaded and not force:
            return
        Operation(self, overview_figures, self._show).run_in_background()

    def _show(self, figures: OverviewFigures) -> None:
        self.figures = figures
        self.has_loaded = True
        self.retranslate()
        self.figures_shown.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = self.context.language
        f = self.figures
        self.title.setText(self.tr("工作台"))
        profile = self.context.profile_name
        today = date.today()
        if profile:
            self.greeting.setText(self.tr("{0}，您好！今天是 {1}。").format(profile, today.isoformat()))
        else:
            self.greeting.setText(self.tr("今天是 {0}。").format(today.isoformat()))
        self.new_button.setText(self.tr("新建服务记录"))
        self.new_button.setToolTip(self.tr("新建一条服务记录（Ctrl+N）"))
        self.new_button.setVisible(records_visits(self.context))
        loaded = self.has_loaded
        captions = {
            "month": (f.visits_this_month, self.tr("本月服务记录")),
            "problems": (f.open_problems, self.tr("待解决的技术难题")),
            "sync": (f.waiting_to_sync, self.tr("等待同步的记录")),
            "returned": (f.returned, self.tr("被退回待修改的记录")),
            "agreements": (f.agreements_behind, self.tr("进度落后的服务协议")),
        }
        for key, (number, caption) in captions.items():
            self.cards[key].number.setText(f"{number:,}" if loaded and number is not None else "…")
            self.cards[key].caption.setText(caption)
        self.recent_title.setText(self.tr("最近的服务记录"))
        self.recent.clear()
        if loaded and not f.recent:
            self.recent.addItem(
                self.tr("还没有服务记录。点击“新建服务记录”记下第一次服务。")
                if records_visits(self.context)
                else self.tr("还没有服务记录。")
            )
        for row in f.recent:
            state = state_label(record_state(row["sync_state"], row["review_status"]), lang)
            content = (row["content"] or "").replace("\n", " ")
            if len(content) > 60:
                content = content[:60] + "…"
            text = f"{row['visit_date']}   {row['target_name'] or ''}   [{state}]   {content}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            if row["state"] == "returned" and row["review_opinion"]:
                item.setToolTip(plain_tooltip(self.tr("退回意见：{0}").format(row["review_opinion"])))
            self.recent.addItem(item)

    def _open_recent(self, item: QListWidgetItem) -> None:
        visit_id = item.data(Qt.ItemDataRole.UserRole)
        if not visit_id:
            return
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_visit_editor(self, self.context, visit_id)

    def _new_visit(self) -> None:
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_visit_editor(self, self.context, None)
