"""The main window: a navigation rail of views, menus with shortcuts, the sync count in the status bar.

Later features add their views with `add_view(key, widget, title_fn)`; a view may define `load()`
(called when first shown), `focus_search()` (Ctrl+F) and `retranslate()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from commissioner_app.ops.session import session_user
from sync.engine import META_LAST_SYNC
from ui import screen_fit
from ui.context import AppContext
from ui.tasks import Operation

log = logging.getLogger("commissioner.ui.main_window")

VIEW_KEYS = "1234567890"  # Ctrl+1 … Ctrl+9, Ctrl+0: the views in rail order
# Beyond ten views (the bureau's rail): Ctrl+Shift+1 … in the same order.
VIEW_SHORTCUTS = [f"Ctrl+{k}" for k in VIEW_KEYS] + [f"Ctrl+Shift+{k}" for k in VIEW_KEYS]
SETTINGS_SHORTCUT = "Ctrl+,"
RAIL_MIN_WIDTH = 120

STYLE = """
QListWidget#rail { background: #1f3a5f; color: #e8eef6; border: none; font-size: 11pt; outline: 0; }
QListWidget#rail::item { padding: 3px 14px; }
QListWidget#rail::item:selected { background: #2f5d8f; color: white; border-left: 4px solid #f5b83d; }
QLabel#heading { font-size: 15pt; font-weight: bold; }
QLabel#hint { color: #4b5563; }
QLabel#figure { font-size: 24pt; font-weight: bold; color: #1f3a5f; }
QFrame#card { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 6px; }
QPushButton#primary { background: #2f5d8f; color: white; padding: 5px 16px; border-radius: 4px; }
QPushButton#primary:hover { background: #3a6fa8; }
QPushButton#primary:disabled { background: #c3cfdc; color: #f2f5f8; }
QTableView { selection-background-color: #cfe0f5; selection-color: black; }
"""


def editors() -> ModuleType:
    """The editors package (visit editor, problem and target dialogs, draft recovery).

    Imported on first use so that the start stays fast. It is part of the application: a failure
    to import it is a defect, raised (and reported with the log's location) like any other.
    """
    import ui.editors as module

    return module


class MainWindow(QMainWindow):
    sync_requested = Signal()  # F5; the sync feature connects to it

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setStyleSheet(STYLE)
        self.rail = QListWidget(self)
        self.rail.setObjectName("rail")
        self.rail.setIconSize(QSize(0, 0))
        # The rail is as wide as its longest title in the current language (see _fit_rail).
        self.rail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rail.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.stack = QStackedWidget(self)
        self.views: dict[str, QWidget] = {}
        # Each view sits in a page that scrolls up and down when the screen is too short for it (e.g.
        # the sync page listing rejected records at 150 %), never sideways: the views' minimum widths
        # fit the screen and their tables scroll sideways inside themselves.
        self._pages: dict[str, screen_fit.ScrollPage] = {}
        self._titles: dict[str, Callable[[], str]] = {}
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.rail)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.rail.currentRowChanged.connect(self._rail_changed)

        self.sync_count = QLabel(self)
        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setFixedWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_label.setVisible(False)
        self.busy_bar.setVisible(False)
        self.statusBar().addWidget(self.busy_label)
        self.statusBar().addWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.sync_count)
        self._busy_text = ""
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self._show_busy)
        context.tasks.busy_changed.connect(self._busy_changed)
        self._waiting: int | None = None
        self._signed_in = False  # whether this data directory has ever been signed in to a server
        self._synced = False  # whether a sync has ever finished here

        self._create_actions()
        self._add_standard_views()
        from ui.roles import add_role_views, watcher

        add_role_views(self)  # the views the user's role needs (review, team, assessment, bureau)
        self._follow_role()
        # Bound methods, not lambdas: the context and its role watcher outlive a window, and Qt
        # lets go of a destroyed receiver's methods, not of a lambda that holds it.
        watcher(self.context).role_changed.connect(self._role_changed)
        self.retranslate()
        self.refresh_sync_count()
        context.operation_did_execute.connect(self.refresh_sync_count)
        self.resize(screen_fit.main_window_size(self))
        geometry = context.settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            screen_fit.keep_on_screen(self)

    # --- views -----------------------------------------------------------------------------------

    def _add_standard_views(self) -> None:
        from ui.views.agreements import AgreementsView
        from ui.views.overview import OverviewView
        from ui.views.problems import ProblemsView
        from ui.views.settings import SettingsView
        from ui.views.sync import SyncView
        from ui.views.targets import TargetsView
        from ui.views.visits import VisitsView

        overview = OverviewView(self.context, self)
        overview.open_view.connect(self.show_view)
        overview.open_visits.connect(self.show_visits)
        self.add_view("overview", overview, lambda: self.tr("工作台"))
        self.add_view("visits", VisitsView(self.context, self), lambda: self.tr("服务记录"))
        self.add_view("problems", ProblemsView(self.context, self), lambda: self.tr("技术难题"))
        self.add_view("targets", TargetsView(self.context, self), lambda: self.tr("服务对象"))
        self.add_view("agreements", AgreementsView(self.context, self), lambda: self.tr("服务协议"))
        self.add_view("sync", SyncView(self.context, self), lambda: self.tr("同步"))
        self.add_view("settings", SettingsView(self.context, self), lambda: self.tr("设置"))

    def add_view(
        self, key: str, widget: QWidget, title_fn: Callable[[], str], *, before: str | None = None
    ) -> None:
        """Add a view to the rail (or replace the view with the same key); `title_fn` gives its title
        in the current language. `before` puts it above an existing view (e.g. before "settings")."""
        page = screen_fit.scrolling(widget)
        if key in self.views:
            old = self._pages[key]
            index = self.stack.indexOf(old)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(index, page)
            self.views[key] = widget
            self._pages[key] = page
            self._titles[key] = title_fn
            self.rail.item(index).setText(title_fn())
            return
        index = self.stack.count()
        if before in self.views:
            index = self.stack.indexOf(self._pages[before])
        self.stack.insertWidget(index, page)
        item = QListWidgetItem(title_fn())
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.rail.insertItem(index, item)
        self.views[key] = widget
        self._pages[key] = page
        self._titles[key] = title_fn
        self._update_view_shortcuts()
        self._fit_rail()

    def show_view(self, key: str) -> QWidget:
        widget = self.views[key]
        self.rail.setCurrentRow(self.stack.indexOf(self._pages[key]))
        return widget

    def show_visits(self, period: str = "", review_status: str = "") -> None:
        """The visit list filtered, e.g. from the overview's cards."""
        view = self.show_view("visits")
        view.show_filtered(period=period, review_status=review_status)  # type: ignore[attr-defined]

    def current_view_key(self) -> str:
        item = self.rail.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def _rail_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        widget: Any = self.views.get(self.current_view_key())
        load = getattr(widget, "load", None)
        if callable(load):
            load()

    # --- actions ---------------------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.new_visit_action = QAction(self)
        self.new_visit_action.setShortcut(QKeySequence.StandardKey.New)  # Ctrl+N
        self.new_visit_action.triggered.connect(self.new_visit)
        self.search_action = QAction(self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)  # Ctrl+F
        self.search_action.triggered.connect(self.focus_search)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.triggered.connect(self.request_sync)
        self.print_action = QAction(self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)  # Ctrl+P
        self.print_action.triggered.connect(lambda: self.print_visit())
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.about)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.new_visit_action)
        self.file_menu.addAction(self.print_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("")
        self.edit_menu.addAction(self.search_action)
        self.view_menu = self.menuBar().addMenu("")
        self.sync_menu = self.menuBar().addMenu("")
        self.sync_menu.addAction(self.sync_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)
        self._view_actions: list[QAction] = []

    def _update_view_shortcuts(self) -> None:
        """Ctrl+1 … Ctrl+9, then Ctrl+0 (then Ctrl+Shift+1 …), open the views in rail order (hidden
        views skipped); 设置 is Ctrl+, for every role. The View menu lists them; the rail's tooltips
        name them."""
        for action in self._view_actions:
            self.view_menu.removeAction(action)
            action.setShortcuts([])  # until it is deleted, the same keys would be ambiguous (and do nothing)
            action.deleteLater()
        self._view_actions = []
        number = 0
        for row in range(self.rail.count()):
            item = self.rail.item(row)
            if self.rail.isRowHidden(row):
                item.setToolTip("")
                continue
            key = item.data(Qt.ItemDataRole.UserRole)
            action = QAction(self._titles[key](), self)
            if key == "settings":
                action.setShortcut(QKeySequence(SETTINGS_SHORTCUT))
            elif number < len(VIEW_SHORTCUTS):
                action.setShortcut(QKeySequence(VIEW_SHORTCUTS[number]))
                number += 1
            elif number < 2 * len(VIEW_KEYS):  # the bureau has more than ten views
                action.setShortcut(QKeySequence(f"Ctrl+Shift+{VIEW_KEYS[number - len(VIEW_KEYS)]}"))
                number += 1
            action.triggered.connect(lambda _checked=False, k=key: self.show_view(k))
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(f"{self._titles[key]()} ({shortcut})" if shortcut else "")
            self.view_menu.addAction(action)
            self._view_actions.append(action)

    def set_view_hidden(self, key: str, hidden: bool) -> None:
        """Hide (or show again) a view's rail entry; the shortcuts follow the visible views."""
        self.rail.setRowHidden(self.stack.indexOf(self._pages[key]), hidden)
        self._update_view_shortcuts()

    def _fit_rail(self) -> None:
        """As wide as the longest title (the English ones are longer), never a horizontal scroll bar."""
        self.rail.ensurePolished()
        metrics = self.rail.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.rail.item(row).text()) for row in range(self.rail.count())),
            default=0,
        )
        # Item padding (14 px each side), the selection border (4 px), the style's item margins and
        # the list's frame.
        self.rail.setFixedWidth(max(RAIL_MIN_WIDTH, widest + 28 + 4 + 12 + 2 * self.rail.frameWidth()))

    def _role_changed(self, role: str) -> None:
        from ui.roles import apply_role_views

        apply_role_views(self, role)
        self._follow_role()

    def _follow_role(self) -> None:
        from ui.roles import records_visits

        self.new_visit_action.setEnabled(records_visits(self.context))

    def new_visit(self) -> None:
        from ui.roles import records_visits

        if not records_visits(self.context):
            return  # the bureau's and a county bureau's accounts record no visits (Ctrl+N too)
        module = editors()
        if module is not None:
            module.open_visit_editor(self, self.context, None)

    def print_visit(self) -> None:
        """Ctrl+P: the service sheet of the visit selected in the list, else of one chosen in a
        searchable picker."""
        from ui.printing import pick_and_print, print_visit_sheet

        view = self.views.get(self.current_view_key())  # (the stack holds each view in a scroll page)
        selected = getattr(view, "selected_visit_id", None)
        visit_id = selected() if callable(selected) else None
        if visit_id:
            print_visit_sheet(self, self.context, visit_id)
        else:
            pick_and_print(self, self.context)

    def focus_search(self) -> None:
        widget: Any = self.views.get(self.current_view_key())
        if not hasattr(widget, "focus_search"):
            widget = self.show_view("visits")
        widget.focus_search()

    def request_sync(self) -> None:
        self.show_view("sync")
        self.sync_requested.emit()

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr(
                "科技特派员工作平台\n\n离线记录服务、技术难题和解决方案，联网后与市科技局同步。\n数据目录：{0}"
            ).format(self.context.data_dir or ""),
        )

    # --- status bar ------------------------------------------------------------------------------

    def refresh_sync_count(self, _changes: object = None) -> None:
        Operation(
            self,
            lambda store: (
                store.waiting_to_sync(),
                session_user(store) is not None,
                bool(store.get_meta(META_LAST_SYNC)),
            ),
            self._sync_count_read,
        ).run_in_background()

    def _sync_count_read(self, read: tuple[int, bool, bool]) -> None:
        count, self._signed_in, self._synced = read
        self._show_sync_count(count)

    def _show_sync_count(self, count: int) -> None:
        self._waiting = count
        if count:
            self.sync_count.setText(self.tr("待同步：{0} 条记录").format(f"{count:,}"))
        elif not self._signed_in and not self._synced:
            # Nothing waits, but nothing has reached a server either: not "all synced".
            self.sync_count.setText(self.tr("尚未登录同步服务器"))
        elif not self._synced:
            self.sync_count.setText(self.tr("尚未同步"))  # signed in, no sync finished yet
        else:
            self.sync_count.setText(self.tr("所有记录均已同步"))

    def _busy_changed(self, label: str) -> None:
        # Short operations finish before the indicator would appear: no flicker.
        self._busy_text = label
        if label:
            if not self._busy_timer.isActive() and not self.busy_bar.isVisible():
                self._busy_timer.start(300)
            elif self.busy_bar.isVisible():
                self.busy_label.setText(label)
        else:
            self._busy_timer.stop()
            self.busy_label.setVisible(False)
            self.busy_bar.setVisible(False)

    def _show_busy(self) -> None:
        if self._busy_text:
            self.busy_label.setText(self._busy_text)
            self.busy_label.setVisible(True)
            self.busy_bar.setVisible(True)

    # --- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("科技特派员工作平台"))
        for row in range(self.rail.count()):
            item = self.rail.item(row)
            item.setText(self._titles[item.data(Qt.ItemDataRole.UserRole)]())
        self.file_menu.setTitle(self.tr("文件(&F)"))
        self.edit_menu.setTitle(self.tr("编辑(&E)"))
        self.view_menu.setTitle(self.tr("视图(&V)"))
        self.sync_menu.setTitle(self.tr("同步(&S)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.new_visit_action.setText(self.tr("新建服务记录"))
        self.print_action.setText(self.tr("打印服务记录单…"))
        self.search_action.setText(self.tr("搜索"))
        self.sync_action.setText(self.tr("立即同步"))
        self.quit_action.setText(self.tr("退出"))
        self.about_action.setText(self.tr("关于"))
        self._update_view_shortcuts()
        self._fit_rail()
        if self._waiting is not None:
            self._show_sync_count(self._waiting)

    # --- start and end ---------------------------------------------------------------------------

    def start(self) -> None:
        """After the window is shown: the first-start profile, else offer drafts back."""
        self.show_view("overview")
        if self.context.profile is None and not self._account_without_profile():
            self.ask_profile()
        else:
            self.recover_drafts()

    def _account_without_profile(self) -> bool:
        """A bureau or county bureau account administers; it has no commissioner profile to fill in."""
        from ui.roles import user_info

        return (user_info(self.context) or {}).get("role") in ("bureau", "county")

    def ask_profile(self) -> QWidget:
        from ui.profile import ProfileDialog

        dialog = ProfileDialog(self.context, self, first_start=True)
        dialog.finished.connect(lambda _result: self.recover_drafts())
        self.profile_dialog = dialog
        dialog.open()
        return dialog

    def recover_drafts(self) -> None:
        module = editors()
        if module is not None:
            module.recover_drafts(self, self.context)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's name
        if not editors().close_editors():
            event.ignore()  # an editor's 继续编辑: the application stays open with it
            return
        self.context.set_setting("main_window", "geometry", self.saveGeometry())
        self.context.tasks.wait_idle(10000)  # a save still running finishes before the window goes
        super().closeEvent(event)
