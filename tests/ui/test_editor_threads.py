"""With the frame's worker thread present, the editors never use the Store on the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTime

from commissioner_app.domain import Commissioner, Visit
from tests.ui.editor_support import (
    EditorContext,
    ThreadWatch,
    add_target,
    autosave_and_wait,
    close_windows,
    make_photo,
    save_and_wait,
)
from ui.editors import open_problem_dialog, open_target_dialog, open_visit_editor


@pytest.fixture
def worker_context(store):
    store.save_profile(Commissioner(name="李明", sending_unit="五邑大学"))
    context = EditorContext(store)
    yield context
    close_windows()


def test_visit_editor_and_dialogs_use_the_store_only_on_the_worker(qtbot, worker_context, store, tmp_path):
    add_target(store)
    watch = ThreadWatch(store)
    watch.active = True
    editor = open_visit_editor(None, worker_context, None)
    editor.target.search.setText("双水")
    editor.target._pick_first()
    editor.start_time.setTime(QTime(8, 30))
    editor.service_type_boxes["guidance"].setChecked(True)
    editor.content.setPlainText("指导陈皮柑园水肥管理。")
    card = editor.add_new_problem()
    card.title.setText("柑树缺镁黄化")
    editor.attachments.add_files([make_photo(tmp_path / "p.jpg")])
    autosave_and_wait(editor)
    assert save_and_wait(editor), editor.summary.text()
    watch.active = False
    visits = store.all(Visit)
    problems = store.problems_of_visit(visits[0].id)
    watch.active = True
    dialog = open_problem_dialog(None, worker_context, problems[0].id)
    dialog.status.setCurrentIndex(dialog.status.findData("in_progress"))
    assert save_and_wait(dialog)
    target_dialog = open_target_dialog(None, worker_context, None)
    target_dialog.name.setText("台山市都斛镇鳗鱼养殖场")
    assert save_and_wait(target_dialog)
    watch.active = False
    assert watch.on_gui_thread == []
    assert len(visits) == 1 and visits[0].start_time == "08:30"
