"""Autosave: typed work survives an editor destroyed without saving and is offered back at start."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from commissioner_app.domain import Commissioner, TechnicalProblem, Visit
from commissioner_app.ops import drafts
from tests.ui.editor_support import (
    EditorContext,
    add_target,
    autosave_and_wait,
    close_windows,
    make_photo,
    save_and_wait,
)
from ui.editors import DraftRecoveryDialog, open_visit_editor, recover_drafts


@pytest.fixture
def context(store):
    store.save_profile(Commissioner(name="李明", sending_unit="五邑大学"))
    return EditorContext(store)


@pytest.fixture(autouse=True)
def _close_windows():
    yield
    close_windows()


def _crash(editor) -> None:
    """The window goes away without any close handling, as when the process is killed."""
    shiboken6.delete(editor)


def test_new_visit_recovered_after_editor_destroyed_without_saving(qtbot, context, store, tmp_path):
    target = add_target(store)
    queued_before = store.waiting_to_sync()
    editor = open_visit_editor(None, context, None)
    editor.target.set_target(target.id)
    editor._target_picked(target.id)
    editor.content.setPlainText("上午在桥美村查看柑园，")
    card = editor.add_new_problem()
    card.title.setText("柑园积水")
    editor.attachments.add_files([make_photo(tmp_path / "柑园.jpg")])
    visit_id = editor.visit.id
    # Autosave fires by itself within about two seconds of the last keystroke.
    qtbot.waitUntil(lambda: drafts.load_state(store, visit_id) is not None, timeout=8000)
    assert context.tasks.wait_idle(10000)  # the autosave's answer reaches the editor
    assert "已自动保存" in editor.autosave_label.text()
    _crash(editor)

    # The unfinished visit is a draft in the list (never queued for sync) ...
    row = store.row("visits", visit_id)
    assert row["is_draft"] == 1 and row["sync_state"] == "draft"
    assert store.waiting_to_sync() == queued_before  # drafts and their photo are not queued

    # ... and offered back at the next start.
    main = QWidget()
    qtbot.addWidget(main)
    assert recover_drafts(main, context) == 1
    dialog = main.findChild(DraftRecoveryDialog)
    assert "柑园" in dialog.list.item(0).text()
    dialog.resume_selected()
    editors = [w for w in main.findChildren(QWidget) if type(w).__name__ == "VisitEditor"]
    assert len(editors) == 1
    resumed = editors[0]
    assert resumed.content.toPlainText() == "上午在桥美村查看柑园，"
    assert resumed.target.target_id() == target.id
    assert [c.title.text() for c in resumed.cards] == ["柑园积水"]
    assert len(resumed.attachments.attachments()) == 1

    resumed.content.setPlainText("上午在桥美村查看柑园，指导开沟排水。")
    resumed.service_type_boxes["guidance"].setChecked(True)
    assert save_and_wait(resumed), resumed.summary.text()
    assert store.row("visits", visit_id)["is_draft"] == 0
    assert drafts.pending(store) == []
    assert len(store.all(TechnicalProblem)) == 1


def test_unsaved_edit_of_saved_visit_kept_aside_not_overwritten(qtbot, context, store):
    target = add_target(store)
    visit = store.save_visit(
        Visit(
            target_id=target.id,
            visit_date=date(2026, 4, 1),
            start_time="09:00",
            end_time="10:00",
            service_types=["guidance"],
            content="指导陈皮晾晒。",
        )
    )
    editor = open_visit_editor(None, context, visit.id)
    editor.content.setPlainText("指导陈皮晾晒，补充：检查仓储湿度。")
    autosave_and_wait(editor)  # what the timer does
    _crash(editor)

    # The saved record is untouched (no silent re-review, nothing queued).
    assert store.get(Visit, visit.id).content == "指导陈皮晾晒。"
    assert store.row("visits", visit.id)["is_draft"] == 0

    # Opening the visit again offers the unsaved edit.
    editor = open_visit_editor(None, context, visit.id)
    assert not editor.restore_banner.isHidden()
    editor.restore_button.click()
    assert editor.content.toPlainText() == "指导陈皮晾晒，补充：检查仓储湿度。"


def test_discarding_a_recovered_new_visit_removes_its_draft(qtbot, context, store):
    editor = open_visit_editor(None, context, None)
    editor.content.setPlainText("不要了的记录")
    autosave_and_wait(editor)
    visit_id = editor.visit.id
    _crash(editor)
    main = QWidget()
    qtbot.addWidget(main)
    assert recover_drafts(main, context) == 1
    main.findChild(DraftRecoveryDialog).discard_selected()
    assert context.tasks.wait_idle(10000)  # the discard is an operation on the executor
    assert store.get(Visit, visit_id) is None
    assert drafts.pending(store) == []
    assert recover_drafts(main, context) == 0


def test_save_as_draft_keeps_incomplete_work(qtbot, context, store):
    editor = open_visit_editor(None, context, None)
    editor.content.setPlainText("只写了一半")
    assert save_and_wait(editor, draft=True)
    assert store.row("visits", editor.visit.id)["is_draft"] == 1
    assert drafts.pending(store) == []
    assert "草稿" in editor.state_label.text()
