"""Names and texts typed by users or sent by a server are shown as plain text: a name such as
`<img src=x><b>粗</b>` appears as those characters, never as markup (an image fetch, bold text)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QTableWidget, QTreeWidget

from commissioner_app.domain import Commissioner, ServiceTarget, TechnicalProblem, Visit
from commissioner_app.records import to_row
from tests.ui.editor_support import close_windows, make_photo
from ui.context import AppContext
from ui.editors import open_problem_dialog, open_target_dialog, open_visit_editor
from ui.main_window import MainWindow

EVIL = "<img src=x><b>粗</b>"


def _hostile_store(store, tmp_path) -> tuple[str, str, str]:
    me = Commissioner(name=f"王{EVIL}", sending_unit=f"农科院{EVIL}", phone="13800138000")
    store.save_profile(me)
    store.set_meta(
        "sync_user",
        json.dumps(
            {
                "id": "u1",
                "username": "wang",
                "role": "manager",
                "display_name": f"王{EVIL}",
                "commissioner_id": me.id,
            },
            ensure_ascii=False,
        ),
    )
    target = ServiceTarget(
        name=f"合作社{EVIL}", type="cooperative", county="新会区", town="双水镇", contact_name=f"陈{EVIL}"
    )
    store.save(target)
    visit = Visit(
        target_id=target.id,
        commissioner_id="c-other",
        visit_date=date.today() - timedelta(days=1),
        start_time="09:00",
        end_time="10:00",
        service_types=["guidance"],
        content=f"指导{EVIL}仓储管理。",
        review_status="returned",
        review_opinion=f"请补充{EVIL}",
    )
    store.db["visits"].insert({**to_row(visit), "updated_by": "server", "rev": 1, "base_rev": 1, "dirty": 0})
    problem = TechnicalProblem(
        title=f"难题{EVIL}",
        description=f"描述{EVIL}",
        industry="陈皮",
        visit_id=visit.id,
        target_id=target.id,
    )
    store.save(problem)
    from commissioner_app.attachments import add_attachment

    photo = make_photo(tmp_path / "x.jpg")
    attachment = add_attachment(store, photo, "visits", visit.id)
    store.db.execute("UPDATE attachments SET original_name = ? WHERE id = ?", [f"{EVIL}.jpg", attachment.id])
    return target.id, visit.id, problem.id


def _shown_as_markup() -> list[str]:
    """Every place on screen where the hostile text would be read as rich text."""
    found = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel) and "粗" in widget.text() and "<b>" in widget.text():
            if widget.textFormat() != Qt.TextFormat.PlainText:
                found.append(
                    f"label {widget.objectName() or type(widget.parent()).__name__}: {widget.text()[:60]}"
                )
        if "<b>粗</b>" in widget.toolTip():
            found.append(f"tooltip of {type(widget).__name__}: {widget.toolTip()[:60]}")
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                if "<b>粗</b>" in (widget.item(i).toolTip() or ""):
                    found.append(f"list item tooltip in {type(widget.parent()).__name__}")
        if isinstance(widget, QTableWidget):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None and "<b>粗</b>" in (item.toolTip() or ""):
                        found.append(f"table item tooltip in {type(widget.parent()).__name__}")
        if isinstance(widget, QTreeWidget):
            it = widget.invisibleRootItem()
            stack = [it.child(i) for i in range(it.childCount())]
            while stack:
                item = stack.pop()
                stack += [item.child(i) for i in range(item.childCount())]
                for c in range(widget.columnCount()):
                    if "<b>粗</b>" in (item.toolTip(c) or ""):
                        found.append(f"tree item tooltip in {type(widget.parent()).__name__}")
    return found


def test_user_and_server_texts_are_never_shown_as_markup(store, tmp_path, qtbot) -> None:
    target_id, visit_id, problem_id = _hostile_store(store, tmp_path)
    context = AppContext(store, language="zh_CN")
    window = MainWindow(context)
    window.show()
    try:
        for key in list(window.views):
            window.show_view(key)
            context.tasks.wait_idle()
            QApplication.processEvents()
        context.tasks.wait_idle()
        QApplication.processEvents()
        editor = open_visit_editor(window, context, visit_id)
        editor.target.set_target(target_id)
        editor.attachments.list.setCurrentRow(0)
        open_problem_dialog(window, context, problem_id)
        open_target_dialog(window, context, target_id)
        context.tasks.wait_idle()
        QApplication.processEvents()
        found = _shown_as_markup()
        print("\n".join(found))
        assert found == []
        # And the text is there to read, as typed.
        assert any(isinstance(w, QLabel) and f"合作社{EVIL}" in w.text() for w in QApplication.allWidgets())
    finally:
        close_windows()
        context.close()
