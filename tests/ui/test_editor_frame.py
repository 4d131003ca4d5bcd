"""The editors on the frame's real AppContext: store work on its worker thread, drafts recovered."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from commissioner_app.domain import Commissioner, Visit
from tests.ui.editor_support import ThreadWatch, add_target, autosave_and_wait, close_windows, save_and_wait
from tests.ui.frame_fixtures import context  # noqa: F401 - the frame's AppContext fixture
from ui.editors import DraftRecoveryDialog, open_visit_editor, recover_drafts


def test_visit_logged_and_recovered_with_the_frame_context(qtbot, context, store):  # noqa: F811
    context.set_profile(store.save_profile(Commissioner(name="李明", sending_unit="五邑大学")))
    target = add_target(store)
    watch = ThreadWatch(store)
    watch.active = True
    editor = open_visit_editor(None, context, None)
    editor.target.set_target(target.id)
    editor._target_picked(target.id)
    editor.content.setPlainText("指导桥美村柑园排水。")
    autosave_and_wait(editor)
    visit_id = editor.visit.id
    shiboken6.delete(editor)  # the process was killed

    main = QWidget()
    qtbot.addWidget(main)
    assert recover_drafts(main, context) == 1
    main.findChild(DraftRecoveryDialog).resume_selected()
    resumed = next(w for w in main.findChildren(QWidget) if type(w).__name__ == "VisitEditor")
    resumed.service_type_boxes["guidance"].setChecked(True)
    with qtbot.waitSignal(context.operation_did_execute, timeout=2000):
        assert save_and_wait(resumed), resumed.summary.text()
    watch.active = False
    close_windows()
    assert watch.on_gui_thread == []
    saved = store.get(Visit, visit_id)
    assert saved.content == "指导桥美村柑园排水。" and saved.commissioner_id == context.profile.id
