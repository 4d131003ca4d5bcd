"""Editors of the desktop application: visits, problems, service targets, and draft recovery.

The frame calls only the functions below. `context` is the frame's AppContext: the editors read
through `context.reader` (read-only) and write through operations on `context.tasks`, the executor,
which announces what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QWidget

from commissioner_app.domain import Visit
from commissioner_app.ops import drafts
from ui.editors.problem_dialog import ProblemDialog
from ui.editors.recovery import DraftRecoveryDialog
from ui.editors.target_dialog import TargetDialog
from ui.editors.visit_editor import VisitEditor

if TYPE_CHECKING:
    from ui.context import AppContext

__all__ = [
    "open_visit_editor",
    "open_problem_dialog",
    "open_target_dialog",
    "recover_drafts",
    "resume_draft",
    "close_editors",
    "VisitEditor",
    "ProblemDialog",
    "TargetDialog",
    "DraftRecoveryDialog",
]

# Non-modal windows without a parent must stay referenced until closed.
_open_windows: set[QWidget] = set()


def _keep(window: QWidget) -> None:
    _open_windows.add(window)
    window.destroyed.connect(lambda *_a: _open_windows.discard(window))


def open_visit_editor(parent: QWidget | None, context: AppContext, visit_id: str | None) -> VisitEditor:
    """Open the visit editor (a new visit when `visit_id` is None); non-modal.

    A visit already open in an editor is brought to the front rather than opened twice (two editors
    of one visit would overwrite each other's work).
    """
    if visit_id is not None:
        for window in list(_open_windows):
            if (
                isinstance(window, VisitEditor)
                and shiboken6.isValid(window)
                and window.isVisible()
                and window.visit.id == visit_id
            ):
                window.show()
                window.raise_()
                window.activateWindow()
                return window
    editor = VisitEditor(parent, context, visit_id)
    _keep(editor)
    editor.show()
    return editor


def open_problem_dialog(parent: QWidget | None, context: AppContext, problem_id: str) -> ProblemDialog:
    dialog = ProblemDialog(parent, context, problem_id)
    _keep(dialog)
    dialog.show()
    return dialog


def close_editors() -> bool:
    """Ask every open editor to close (each asks about its unsaved changes); False as soon as one
    stays open (the user chose 继续编辑): the main window then stays open too."""
    from PySide6.QtWidgets import QApplication

    for window in QApplication.topLevelWidgets():
        if (
            isinstance(window, VisitEditor | ProblemDialog | TargetDialog)
            and shiboken6.isValid(window)
            and window.isVisible()
            and not window.close()
        ):
            window.raise_()
            window.activateWindow()
            return False
    return True


def open_target_dialog(parent: QWidget | None, context: AppContext, target_id: str | None) -> TargetDialog:
    dialog = TargetDialog(parent, context, target_id)
    _keep(dialog)
    dialog.show()
    return dialog


def resume_draft(parent: QWidget | None, context: AppContext, visit_id: str) -> VisitEditor | None:
    """Open the editor with the autosaved state of `visit_id` put back."""
    doc = drafts.load_state(context.reader, visit_id)
    if doc is None:
        return None
    exists = context.reader.get(Visit, visit_id) is not None
    editor = VisitEditor(parent, context, visit_id if exists else None)
    editor.apply_state(doc["state"])
    _keep(editor)
    editor.show()
    return editor


def recover_drafts(parent: QWidget | None, context: AppContext) -> int:
    """At start: offer back the work autosaved before a crash or a killed process.

    Shows a (window-modal, non-blocking) list to resume or discard each; returns how many were offered.
    """
    found = drafts.pending(context.reader)
    if not found:
        return 0
    dialog = DraftRecoveryDialog(parent, context, found, lambda vid: resume_draft(parent, context, vid))
    _keep(dialog)
    dialog.open()
    return len(found)
