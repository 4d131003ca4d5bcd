"""Every button and menu action of every view and dialog is clicked, for each role.

The explorer opens the main window of a commissioner, a workstation manager and the bureau, shows
each view, and clicks (pytest-qt mouseClick; actions are triggered) every visible, enabled
QPushButton / QToolButton of ours in it, on every tab; a window a click opens is explored the same
way (three levels deep), reopened by its opener when one of its buttons closed it. Modal questions
and file dialogs are answered (cancel / no file); nothing leaves the machine. A click that raises
(pytest-qt fails the test on an exception in a slot) or makes Qt warn fails the test. The number
of buttons clicked is printed; `LIST_BUTTONS=1` lists them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QtMsgType
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from commissioner_app.store import Store
from tests.ui.manager_support import build_team, log_in_as
from ui.context import AppContext
from ui.main_window import MainWindow

MAX_DEPTH = 3
# Qt's own parts, not buttons of the application: calendar navigation, tab scrolling, a line
# edit's clear button, spin box arrows, scroll bars.
QT_PARTS = (QCalendarWidget, QTabBar, QLineEdit, QAbstractSpinBox, QScrollBar, QMenuBar)
# Offscreen, Qt says this of every top-level window; it is about the platform, not the application.
HARMLESS_WARNINGS = ("propagateSizeHints",)


# Buttons shown (or enabled) only in a state these windows are not in, and the tests that click them.
CLICKED_ELSEWHERE = {
    # A commissioner's and a manager's: the bureau's and a county bureau's accounts record no visits.
    (
        "OverviewView",
        "new_button",
    ): "test_every_button.py::test_every_button_is_clicked_without_an_error[commissioner]",
    (
        "VisitsView",
        "new_button",
    ): "test_every_button.py::test_every_button_is_clicked_without_an_error[commissioner]",
    (
        "VisitEditor",
        "draft_button",
    ): "test_every_button.py::test_every_button_is_clicked_without_an_error[commissioner]",
    # A bureau's and a county bureau's accounts have no commissioner profile to edit.
    (
        "SettingsView",
        "profile_button",
    ): "test_every_button.py::test_every_button_is_clicked_without_an_error[commissioner]",
    (
        "DemandsView",
        "edit_button",
    ): "test_demands_view.py::test_the_bureau_corrects_a_published_demand_in_the_form",
    ("DemandsView", "close_button"): (
        "test_demands_view.py::test_the_bureau_closes_a_demand_after_asking_and_publishes_it_again"
    ),
    ("DemandsView", "reopen_button"): (
        "test_demands_view.py::test_the_bureau_closes_a_demand_after_asking_and_publishes_it_again"
    ),
    ("DemandsView", "cancel_edit_button"): (
        "test_demands_view.py::test_a_taken_up_demand_offers_no_correction_and_a_refusal_is_said"
    ),
    (
        "SyncView",
        "logout_button",
    ): "test_sync_gui_login.py::test_wrong_password_is_explained_then_the_right_one_logs_in",
    (
        "SyncView",
        "cancel_button",
    ): "test_sync_gui_sync.py::test_a_sync_can_be_cancelled_and_what_was_sent_stays_sent",
    (
        "SyncView",
        "conflicts_button",
    ): "test_sync_gui_conflicts.py::test_conflict_shows_both_values_and_resolving_queues_the_record",
    (
        "VisitEditor",
        "conflict_button",
    ): (
        "test_sync_gui_conflicts.py::"
        "test_the_visit_editor_of_a_record_in_conflict_leads_to_the_conflicts_view"
    ),
    (
        "VisitEditor",
        "restore_button",
    ): "test_editor_autosave.py::test_unsaved_edit_of_saved_visit_kept_aside_not_overwritten",
    ("VisitEditor", "restore_discard"): "test_every_button.py::test_buttons_of_other_states_are_clicked",
    # Shown for a saved visit only (the explorer's editor is a new one); it asks before deleting.
    (
        "VisitEditor",
        "delete_button",
    ): "test_editor_visit.py::test_a_visit_logged_by_mistake_is_deleted_from_its_editor",
    ("AttachmentsWidget", "open_button"): "test_every_button.py::test_buttons_of_other_states_are_clicked",
    ("AttachmentsWidget", "remove_button"): "test_every_button.py::test_buttons_of_other_states_are_clicked",
    (
        "AssessmentView",
        "summary_save",
    ): "test_assessment_view.py::test_summary_written_then_annual_record_previewed_and_saved",
    ("AssessmentView", "batch_button"): "the manager's run of this module (a commissioner has no batch)",
    (
        "AnnualBatchPanel",
        "cancel_button",
    ): "test_assessment_view.py::test_batch_generation_runs_in_the_background_and_can_be_cancelled",
    (
        "DemandsView",
        "publish_button",
    ): "test_demands_sync.py::test_bureau_publishes_and_a_commissioner_takes_it_up_through_the_server",
    (
        "DemandsView",
        "take_button",
    ): "test_demands_sync.py::test_bureau_publishes_and_a_commissioner_takes_it_up_through_the_server",
    # 揭榜与成果: enabled once a project, application, milestone or achievement is chosen.
    (
        "ProjectsView",
        "link_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "publish_button",
    ): "test_projects_view.py::test_the_bureau_publishes_awards_and_accepts_with_evidence",
    (
        "ProjectsView",
        "save_achievement_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "award_button",
    ): "test_projects_view.py::test_the_bureau_publishes_awards_and_accepts_with_evidence",
    (
        "ProjectsView",
        "accept_button",
    ): "test_projects_view.py::test_the_bureau_publishes_awards_and_accepts_with_evidence",
    (
        "ProjectsView",
        "project_evidence_button",
    ): "test_projects_view.py::test_the_bureau_publishes_awards_and_accepts_with_evidence",
    (
        "ProjectsView",
        "apply_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "milestone_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "done_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "milestone_file_button",
    ): "test_projects_view.py::test_a_commissioner_applies_then_sets_and_completes_milestones",
    (
        "ProjectsView",
        "approve_button",
    ): "test_projects_view.py::test_a_manager_approves_and_returns_achievements_of_the_team",
    (
        "ProjectsView",
        "return_button",
    ): "test_projects_view.py::test_a_manager_approves_and_returns_achievements_of_the_team",
    (
        "ProjectsView",
        "achievement_file_button",
    ): "test_projects_view.py::test_a_commissioner_sees_why_an_achievement_was_returned_and_corrects_it",
    (
        "ProjectsView",
        "edit_achievement_button",
    ): "test_projects_view.py::test_a_commissioner_sees_why_an_achievement_was_returned_and_corrects_it",
    (
        "ProjectsView",
        "delete_achievement_button",
    ): "test_projects_view.py::test_a_commissioner_deletes_an_achievement_recorded_twice",
    (
        "ProjectsView",
        "cancel_edit_button",
    ): "test_projects_view.py::test_a_commissioner_sees_why_an_achievement_was_returned_and_corrects_it",
    # Enabled once a roster file is chosen (the explorer's file dialogs choose none).
    (
        "OrganisationView",
        "check_button",
    ): "test_organisation.py::test_the_bureau_imports_a_roster_and_administers_accounts_and_teams",
    (
        "OrganisationView",
        "import_button",
    ): "test_organisation.py::test_the_bureau_imports_a_roster_and_administers_accounts_and_teams",
    (
        "GroupAssessmentView",
        "approve_button",
    ): "test_group_assessment_view.py::test_bonus_entered_approved_rejected_and_capped",
    (
        "GroupAssessmentView",
        "reject_button",
    ): "test_group_assessment_view.py::test_bonus_entered_approved_rejected_and_capped",
    (
        "GroupAssessmentView",
        "exemplar_button",
    ): "test_group_assessment_view.py::test_exemplar_named_from_published_results_and_list_saved",
    (
        "TargetDialog",
        "use_existing",
    ): "test_editor_dialogs.py::test_target_dialog_offers_the_existing_target_for_a_credit_code_in_use",
    # The target page opens from a double-click in the target list, which the explorer does not do.
    (
        "TargetPageDialog",
        "edit_button",
    ): "test_target_page.py::test_the_page_shows_every_record_newest_first_and_its_buttons_open_editors",
    (
        "TargetPageDialog",
        "agreement_button",
    ): "test_target_page.py::test_the_page_shows_every_record_newest_first_and_its_buttons_open_editors",
    (
        "TargetPageDialog",
        "merge_button",
    ): "test_target_page.py::test_a_manager_merges_a_duplicate_into_the_target_from_its_page",
}


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Modal questions answered with cancel / no, file dialogs with no file; no program started."""
    monkeypatch.setattr(QMessageBox, "exec", lambda self: int(QMessageBox.StandardButton.Cancel))
    monkeypatch.setattr(QDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    monkeypatch.setattr(QMenu, "exec", lambda self, *a, **k: None)
    for name, answer in (
        ("question", QMessageBox.StandardButton.No),
        ("warning", QMessageBox.StandardButton.Ok),
        ("information", QMessageBox.StandardButton.Ok),
        ("critical", QMessageBox.StandardButton.Ok),
        ("about", None),
    ):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, _answer=answer, **k: _answer))
    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda *a, **k: True))
    monkeypatch.setattr("ui.app.relaunch_with", lambda *a, **k: False)
    monkeypatch.setattr("ui.editors.visit_editor.VisitEditor.ask_unsaved", lambda self: "discard")


def open_window(tmp_path, role: str) -> tuple[AppContext, MainWindow]:
    store = Store.open(tmp_path / role)
    data = build_team(store)
    if role == "commissioner":
        wang = data.members["王芳"]
        store.save_profile(wang)
        store.actor = wang.id
    elif role == "manager":
        log_in_as(store, "manager", data.leader, data.team.id)
    else:
        log_in_as(store, "bureau", None)
    context = AppContext(store, language="zh_CN")
    window = MainWindow(context)
    window.show()
    return context, window


def ours(button: QAbstractButton) -> bool:
    parent = button.parentWidget()
    while parent is not None:
        if isinstance(parent, QT_PARTS):
            return False
        parent = parent.parentWidget()
    return True


def path_of(root: QWidget, widget: QObject) -> str:
    """A name for a widget that is the same in a reopened window of the same kind."""
    parts = []
    node: QObject | None = widget
    while node is not None and node is not root:
        parent = node.parent()
        if isinstance(parent, QStackedWidget) and isinstance(node, QWidget):
            index = parent.indexOf(node)  # a stack reorders its children as pages are shown
        else:
            siblings = [c for c in (parent.children() if parent else []) if type(c) is type(node)]
            index = siblings.index(node) if node in siblings else 0
        parts.append(f"{type(node).__name__}[{index}]")
        node = parent
    return f"{type(root).__name__}/" + "/".join(reversed(parts))


def owner_and_name(widget: QObject) -> tuple[str, str]:
    """The application class that holds the button, and the attribute it is kept in."""
    node = widget.parent()
    while node is not None:
        # A page that only scrolls its content (ui/screen_fit.py) holds no button of its own.
        if type(node).__module__.startswith("ui.") and type(node).__name__ != "ScrollPage":
            for name, value in vars(node).items():
                if value is widget:
                    return type(node).__name__, name
            return type(node).__name__, label(widget)
        node = node.parent()
    return "", label(widget)


def label(widget: QObject) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return (text or widget.toolTip() or widget.objectName() or type(widget).__name__).replace("\n", " ")


def top_windows() -> set[QWidget]:
    return {w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w) and w.isVisible()}


class Explorer:
    def __init__(self, qtbot: Any, context: AppContext, window: MainWindow):
        self.qtbot = qtbot
        self.context = context
        self.window = window
        self.clicked: dict[str, str] = {}  # path -> label
        self.clicked_names: set[tuple[str, str]] = set()
        self.all_buttons: dict[str, tuple[str, str]] = {}  # every button of ours seen: (class, attribute)

    def settle(self) -> None:
        for _ in range(3):
            QCoreApplication.processEvents()
        assert self.context.tasks.wait_idle(30000)
        QCoreApplication.processEvents()

    def buttons(self, root: QWidget) -> list[QAbstractButton]:
        found = []
        for button in root.findChildren(QAbstractButton):
            if (
                isinstance(button, QPushButton | QToolButton)
                and button.window() is root
                and button.isVisible()
                and button.isEnabled()
                and ours(button)
            ):
                found.append(button)
        return found

    def tab_plan(self, root: QWidget) -> list[tuple[int, int]]:
        """(tab widget, tab) pairs: buttons on a hidden tab cannot be clicked, so each is shown in turn."""
        own = [t for t in root.findChildren(QTabWidget) if t.window() is root]
        return [(i, tab) for i, tabs in enumerate(own) for tab in range(tabs.count())]

    def show_tab(self, root: QWidget, step: tuple[int, int] | None) -> None:
        if step is None:
            return
        own = [t for t in root.findChildren(QTabWidget) if t.window() is root]
        if step[0] < len(own) and own[step[0]].isVisible():
            own[step[0]].setCurrentIndex(step[1])
            self.settle()

    def select_first_rows(self, root: QWidget) -> None:
        """Buttons that act on a chosen row are enabled once a row is chosen."""
        for table in root.findChildren(QAbstractItemView):
            if table.window() is not root or not table.isVisible() or ours(table) is False:
                continue
            model = table.model()
            if model is not None and model.rowCount() > 0 and not table.selectionModel().hasSelection():
                table.setCurrentIndex(model.index(0, 0))
        self.settle()

    def seen(self, root: QWidget) -> None:
        for button in root.findChildren(QAbstractButton):
            if isinstance(button, QPushButton | QToolButton) and button.window() is root and ours(button):
                self.all_buttons.setdefault(path_of(root, button), owner_and_name(button))

    def click(self, thing: QObject) -> None:
        if isinstance(thing, QAction):
            thing.trigger()
        else:
            assert isinstance(thing, QAbstractButton)
            self.qtbot.mouseClick(thing, Qt.MouseButton.LeftButton)
        self.settle()

    def explore(self, root: QWidget, reopen: Callable[[], QWidget | None] | None, depth: int) -> None:
        state = 0
        while shiboken6.isValid(root) and root.isVisible():
            plan: list[tuple[int, int] | None] = [None, *self.tab_plan(root)]
            if state >= len(plan):
                return
            self.show_tab(root, plan[state])
            self.select_first_rows(root)
            while True:
                self.seen(root)
                pending = [b for b in self.buttons(root) if path_of(root, b) not in self.clicked]
                if not pending:
                    break
                self.press(root, pending[0], depth)
                if not shiboken6.isValid(root) or not root.isVisible():
                    reopened = reopen() if reopen is not None else None
                    if reopened is None:
                        return
                    root = reopened
                    self.show_tab(root, plan[state])
            state += 1

    def press(self, root: QWidget, thing: QObject, depth: int) -> None:
        key = path_of(root, thing)
        self.clicked[key] = label(thing)
        if not isinstance(thing, QAction):
            self.clicked_names.add(owner_and_name(thing))
        before = top_windows()
        self.click(thing)
        for new in top_windows() - before:
            if depth < MAX_DEPTH:
                kind = type(new)

                def reopen(root: QWidget = root, thing: QObject = thing, kind: type = kind) -> QWidget | None:
                    if not shiboken6.isValid(root) or not root.isVisible() or not shiboken6.isValid(thing):
                        return None
                    shown = top_windows()
                    self.click(thing)
                    again = [w for w in top_windows() - shown if type(w) is kind]
                    return again[0] if again else None

                self.explore(new, reopen, depth + 1)
            self.close(new)
        for extra in top_windows() - before:  # what exploring left open
            self.close(extra)

    def close(self, window: QWidget) -> None:
        if shiboken6.isValid(window) and window.isVisible() and window is not self.window:
            window.close()
            self.settle()

    def run(self) -> None:
        window = self.window
        for row in range(window.rail.count()):
            key = window.rail.item(row).data(Qt.ItemDataRole.UserRole)
            view = window.show_view(key)
            self.settle()
            self.explore(window, None, 1)
            menu_for = getattr(view, "context_menu", None)
            if callable(menu_for):
                menu = menu_for(0)
                for action in menu.actions() if menu is not None else []:
                    self.press(window, action, 1)
        quit_action = window.quit_action
        for menu in window.menuBar().findChildren(QMenu):
            for action in menu.actions():
                if action.isSeparator() or action.menu() is not None or action is quit_action:
                    continue
                if action.isEnabled() and action.isVisible():
                    self.press(window, action, 1)
        self.press(window, quit_action, 1)


@pytest.mark.parametrize("role", ["commissioner", "manager", "bureau", "county"])
def test_every_button_is_clicked_without_an_error(role, tmp_path, qtbot, qtlog, answered, capsys):
    context, window = open_window(tmp_path, role)
    qtbot.addWidget(window)
    explorer = Explorer(qtbot, context, window)
    try:
        explorer.run()
        assert not window.isVisible()  # 退出, clicked last, closed the window
    finally:
        for w in top_windows():
            w.close()
        context.close()
    warnings = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
        and not any(h in r.message for h in HARMLESS_WARNINGS)
    ]
    assert not warnings
    with capsys.disabled():
        print(f"\n{role}: {len(explorer.clicked)} buttons and actions clicked")
        if os.environ.get("LIST_BUTTONS"):
            for key, text in sorted(explorer.clicked.items()):
                print(f"  {text}  ({key})")
        hidden = {
            name for key, name in explorer.all_buttons.items() if key not in explorer.clicked
        } - explorer.clicked_names
        print(f"{role}: {len(hidden)} more shown only in other states, clicked by other tests")
        for name in sorted(hidden) if os.environ.get("LIST_BUTTONS") else ():
            print(f"  {name}: {CLICKED_ELSEWHERE.get(name, 'NOT CLICKED BY ANY TEST')}")
    assert len(explorer.clicked) >= 40
    missing = sorted(name for name in hidden if name not in CLICKED_ELSEWHERE)
    assert not missing, f"buttons no test clicks: {missing}"


def test_buttons_of_other_states_are_clicked(tmp_path, qtbot, answered, monkeypatch):
    """An attachment's 打开 and 移除, and 丢弃 on the editor's banner of autosaved work."""
    from commissioner_app.ops import drafts
    from tests.ui.editor_support import make_photo
    from ui.editors import open_visit_editor

    context, window = open_window(tmp_path, "commissioner")
    qtbot.addWidget(window)
    visit_id = context.store.db.execute("SELECT id FROM visits ORDER BY visit_date DESC LIMIT 1").fetchone()[
        0
    ]
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    )
    try:
        editor = open_visit_editor(window, context, visit_id)
        editor.tabs.setCurrentIndex(editor.tabs.count() - 1)
        editor.attachments.add_files([make_photo(tmp_path / "现场.jpg")])
        editor.attachments.list.setCurrentRow(0)
        qtbot.mouseClick(editor.attachments.open_button, Qt.MouseButton.LeftButton)
        assert len(opened) == 1 and opened[0].endswith("现场.jpg")
        qtbot.mouseClick(editor.attachments.remove_button, Qt.MouseButton.LeftButton)
        assert editor.attachments.attachments() == []

        editor.content.setPlainText("补充：检查仓储湿度。")
        editor.autosave_now()
        assert context.tasks.wait_idle(10000)  # the autosave is written
        shiboken6.delete(editor)  # as when the process is killed
        editor = open_visit_editor(window, context, visit_id)
        assert not editor.restore_banner.isHidden()
        qtbot.mouseClick(editor.restore_discard, Qt.MouseButton.LeftButton)
        assert editor.restore_banner.isHidden()
        context.tasks.wait_idle(10000)
        assert drafts.load_state(context.store, visit_id) is None
        editor.close()
    finally:
        for w in top_windows():
            if w is not window and hasattr(w, "_dirty"):
                w._dirty = False
            w.close()
        QCoreApplication.processEvents()
        context.close()
