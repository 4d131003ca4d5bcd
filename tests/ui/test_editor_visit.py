"""The visit editor driven as a commissioner would: a complete visit, and a validation round."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication

from commissioner_app.attachments import attachments_of
from commissioner_app.domain import Commissioner, Solution, TechnicalProblem, Visit
from commissioner_app.records import to_row
from tests.ui.editor_support import EditorContext, add_target, close_windows, make_photo, save_and_wait
from ui.editors import open_visit_editor


@pytest.fixture
def context(store):
    store.save_profile(Commissioner(name="李明", sending_unit="五邑大学", phone="13912345678"))
    return EditorContext(store)


@pytest.fixture(autouse=True)
def _close_windows():
    yield
    close_windows()


def _pick_target(qtbot, editor, text: str) -> None:
    editor.target.search.setText(text)
    item = editor.target.results.item(0)
    assert item is not None and text in item.text()
    editor.target._item_chosen(item)


def test_log_complete_visit_with_problem_solution_and_photo(qtbot, context, store, tmp_path):
    target = add_target(store)
    editor = open_visit_editor(None, context, None)
    editor.start_time.setTime(QTime(9, 0))
    editor.end_time.setTime(QTime(11, 30))
    _pick_target(qtbot, editor, "双水")
    # The region is pre-filled from the chosen target.
    assert editor.region.region() == ("新会区", "双水镇", "桥美村")
    editor.service_type_boxes["guidance"].setChecked(True)
    editor.service_type_boxes["training"].setChecked(True)
    editor.content.setPlainText("到合作社指导柑树修剪和陈皮晾晒，举办培训一期。")
    editor.counters["training_sessions"].setValue(1)
    editor.counters["people_trained"].setValue(32)
    editor.economic_benefit.setValue(12.5)

    card = editor.add_new_problem()
    card.title.setText("陈皮晾晒期间霉变")
    card.description.setPlainText("雨季晾晒的陈皮出现霉点。")
    card.status.setCurrentIndex(card.status.findData("solved"))
    card.solution.setPlainText("改用烘干房低温烘干，控制湿度在60%以下。")
    card.technology.setText("低温烘干")

    photo = make_photo(tmp_path / "现场.jpg")
    editor.attachments.add_files([photo])
    # The photo's EXIF time and place are shown to the user.
    assert "2026-05-03 10:15:42" in editor.attachments.info.text()
    assert "22.58667°N" in editor.attachments.info.text()
    assert "（1）" in editor.tabs.tabText(4)

    editor.confirm_contact.setText("陈志强")
    editor.confirm_satisfaction.setCurrentIndex(editor.confirm_satisfaction.findData(5))
    sheet = make_photo(tmp_path / "确认单.jpg", taken="2026:05:03 11:20:00")
    editor.sheet.add_files([sheet])

    with qtbot.waitSignal(context.operation_did_execute, timeout=2000):
        assert save_and_wait(editor), editor.summary.text()

    visits = store.all(Visit)
    assert len(visits) == 1
    v = visits[0]
    assert (v.target_id, v.start_time, v.end_time, v.visit_date) == (
        target.id,
        "09:00",
        "11:30",
        date.today(),
    )
    assert (
        v.service_types == ["guidance", "training"] and v.people_trained == 32 and v.economic_benefit == 12.5
    )
    assert v.confirm_contact == "陈志强" and v.confirm_satisfaction == 5
    assert v.review_status == "pending"
    assert store.row("visits", v.id)["is_draft"] == 0
    problem = store.problems_of_visit(v.id)[0]
    assert problem.status == "solved" and problem.solved_on == date.today() and problem.target_id == target.id
    solution = store.solutions_of_visit(v.id)[0]
    assert solution.problem_id == problem.id and solution.technology == "低温烘干"
    files = {a.kind: a for a in attachments_of(store, "visits", v.id)}
    assert files["photo"].taken_at == "2026-05-03T10:15:42" and files["photo"].gps_lat == pytest.approx(
        22.586667
    )
    assert v.confirm_sheet_sha256 == files["confirmation_sheet"].sha256
    assert (v.gps_lat, v.gps_lon) == (pytest.approx(22.586667), pytest.approx(113.08))
    assert store.waiting_to_sync() >= 5  # visit, problem, solution, two attachments


def test_validation_errors_shown_next_to_fields_then_fixed(qtbot, context, store):
    add_target(store)
    editor = open_visit_editor(None, context, None)
    editor.start_time.setTime(QTime(14, 0))
    editor.end_time.setTime(QTime(13, 0))
    editor.content.setPlainText("看看")
    editor.counters["training_sessions"].setValue(2)
    card = editor.add_new_problem()
    card.title.setText("稻飞虱爆发")
    card.status.setCurrentIndex(card.status.findData("solved"))

    editor.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=5000)
    qtbot.keyClick(editor.content, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    assert context.tasks.wait_idle(10000)  # the save answers from the executor
    assert not editor.summary.isHidden()
    errors = {key: box.error.text() for key, box in editor.boxes.items() if not box.error.isHidden()}
    assert errors["target_id"] == "必须填写"
    assert errors["end_time"] == "结束时间应晚于开始时间"
    assert errors["service_types"] == "必须填写"
    assert "至少5个字" in errors["content"]
    assert errors["people_trained"] == "举办了培训班，请填写培训人次"
    # The problem's issue is shown inside its card, beside the status.
    assert "至少填写一个解决方案" in card.boxes["status"].error.text()
    assert "处需要修改" in editor.summary.text()
    # The first field in error is on the first tab, and has the focus.
    assert editor.tabs.currentIndex() == 0
    assert store.all(Visit) == []

    _pick_target(qtbot, editor, "陈皮")
    editor.end_time.setTime(QTime(16, 0))
    editor.service_type_boxes["consulting"].setChecked(True)
    editor.content.setPlainText("现场诊断稻飞虱虫情，讲解防治要点。")
    editor.counters["people_trained"].setValue(20)
    card.solution.setPlainText("推荐吡蚜酮轮换用药并释放天敌。")
    assert save_and_wait(editor), editor.summary.text()
    assert len(store.all(Visit)) == 1
    assert store.all(TechnicalProblem)[0].status == "solved"
    assert len(store.all(Solution)) == 1


def test_returned_visit_shows_opinion_and_approved_warns(qtbot, context, store):
    target = add_target(store)
    visit = Visit(
        target_id=target.id,
        visit_date=date(2026, 3, 2),
        start_time="09:00",
        end_time="10:00",
        service_types=["guidance"],
        content="指导陈皮仓储管理。",
        review_status="returned",
        review_opinion="请补充现场照片",
    )
    store.db["visits"].insert(to_row(visit))
    editor = open_visit_editor(None, context, visit.id)
    assert "请补充现场照片" in editor.review_banner.text() and not editor.review_banner.isHidden()
    editor.close()

    # The reviewer's opinion on an approval reaches the commissioner too (a cold try found it kept
    # on the laptop but never shown).
    store.db.execute(
        "UPDATE visits SET review_status = 'approved', review_opinion = '材料齐全，同意。' WHERE id = ?",
        [visit.id],
    )
    editor = open_visit_editor(None, context, visit.id)
    assert "重新审核" in editor.review_banner.text() and "材料齐全，同意。" in editor.review_banner.text()
    editor.content.setPlainText("指导陈皮仓储管理，检查温湿度记录。")
    assert save_and_wait(editor)
    assert store.get(Visit, visit.id).review_status == "pending"


def test_the_confirmation_tab_shows_the_served_partys_own_answer(qtbot, context, store):
    """From a cold try: the 服务对象确认 tab held only what the commissioner typed in, and showed
    nothing of the served party's own answer through the sheet's QR code, even when there was one."""
    target = add_target(store)
    visits = [
        Visit(
            target_id=target.id,
            visit_date=date(2026, 3, day),
            start_time="09:00",
            end_time="10:00",
            service_types=["guidance"],
            content=f"指导陈皮仓储管理（{day}日）。",
            confirm_contact="陈伟",
        )
        for day in (2, 3)
    ]
    for visit in visits:
        store.db["visits"].insert(to_row(visit))
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, decision, satisfaction, name, role, comment, dirty) "
        "VALUES (?, ?, 'disputed', 2, '刘社长', '社长', '只来了半小时', 0)",
        [f"c-{visits[0].id}", visits[0].id],
    )
    editor = open_visit_editor(None, context, visits[0].id)
    shown = editor.party_answer.text()
    assert not editor.party_answer.isHidden()
    assert shown.startswith("服务对象本人扫码确认：") and "刘社长（社长）" in shown
    assert "只来了半小时" in shown
    assert "★★☆☆☆" in shown and "情况有误" in shown
    assert editor.confirm_contact.text() == "陈伟"  # what the commissioner typed stays theirs to edit
    editor.close()
    editor = open_visit_editor(None, context, visits[1].id)  # no answer from the served party
    assert editor.party_answer.isHidden()
    editor.close()


def test_existing_open_problem_solved_on_a_later_visit(qtbot, context, store):
    target = add_target(store)
    earlier = "9b2f3c1e-0000-4000-8000-000000000001"  # the visit on which it was found
    problem = store.save(
        TechnicalProblem(title="鳗鱼池水体氨氮偏高", target_id=target.id, status="open", visit_id=earlier)
    )
    editor = open_visit_editor(None, context, None)
    _pick_target(qtbot, editor, "陈皮")
    editor.service_type_boxes["guidance"].setChecked(True)
    editor.content.setPlainText("复查鳗鱼池水质，调整投喂。")
    editor.tabs.setCurrentIndex(2)
    index = editor.existing_problems.findData(problem.id)
    assert index > 0
    editor.existing_problems.setCurrentIndex(index)
    editor._add_existing_clicked()
    card = editor.cards[0]
    assert card.title.isReadOnly()
    card.status.setCurrentIndex(card.status.findData("solved"))
    card.solution.setPlainText("增加增氧和换水频次，投放微生物制剂。")
    assert save_and_wait(editor), editor.summary.text()
    saved = store.get(TechnicalProblem, problem.id)
    assert saved.status == "solved" and saved.visit_id == earlier
    assert len(store.solutions_of_problem(problem.id)) == 1


def test_a_visit_is_open_in_one_editor_only(qtbot, context, store):
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
    first = open_visit_editor(None, context, visit.id)
    assert open_visit_editor(None, context, visit.id) is first


def test_escape_with_unsaved_changes_asks_and_can_cancel(qtbot, context, store):
    editor = open_visit_editor(None, context, None)
    editor.content.setPlainText("还没写完的记录")
    asked = []
    editor.ask_unsaved = lambda: asked.append(1) or "cancel"
    editor.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=5000)
    qtbot.keyClick(editor.content, Qt.Key.Key_Escape)
    assert asked and editor.isVisible()
    editor.ask_unsaved = lambda: "discard"
    editor.close()
    assert not editor.isVisible()
    assert store.all(Visit) == []


def test_a_visit_dated_ahead_by_another_computer_keeps_its_date_and_can_be_edited(qtbot, context, store):
    from datetime import timedelta

    target = add_target(store)
    ahead = date.today() + timedelta(days=2)
    visit = Visit(
        target_id=target.id,
        visit_date=ahead,
        start_time="09:00",
        end_time="10:00",
        service_types=["guidance"],
        content="指导陈皮仓储管理。",
    )
    store.db["visits"].insert({**to_row(visit), "updated_by": "server", "rev": 2, "base_rev": 2, "dirty": 0})
    editor = open_visit_editor(None, context, visit.id)
    assert editor.visit_date.date().toPython() == ahead  # shown as dated, not cut to today
    editor.content.setPlainText("指导陈皮仓储管理，检查温湿度记录。")
    assert save_and_wait(editor)
    saved = store.get(Visit, visit.id)
    assert saved.visit_date == ahead and "温湿度" in saved.content


def test_a_clock_behind_the_servers_may_still_pick_the_servers_today(qtbot, context, store):
    from datetime import timedelta

    store.set_meta("clock_skew_seconds", str(-2 * 86400))  # found by the last sync
    editor = open_visit_editor(None, context, None)
    assert editor.visit_date.latest.toPython() == date.today() + timedelta(days=2)
    store.set_meta("clock_skew_seconds", "0")
    editor.close()
    editor = open_visit_editor(None, context, None)
    assert editor.visit_date.latest.toPython() == date.today()


def test_a_new_problem_starts_at_the_ordinary_urgency_named_alike_in_both_languages(qtbot, context):
    """A problem found on a visit is ordinary (一般) until the commissioner says otherwise: a silent
    较急 on every new problem made the bureau's list of fairly urgent problems meaningless. And each
    level reads the same in English as in Chinese (较急 was shown as "Normal")."""
    from commissioner_app.domain import URGENCIES

    editor = open_visit_editor(None, context, None)
    editor.tabs.setCurrentIndex(2)
    editor.add_problem_button.click()
    card = editor.cards[-1]
    assert card.urgency.currentText() == "一般"
    assert [(m.zh, m.en) for m in URGENCIES.values()] == [
        ("一般", "Normal"),
        ("较急", "Fairly urgent"),
        ("紧急", "Urgent"),
    ]


def test_a_visit_logged_by_mistake_is_deleted_from_its_editor(qtbot, context, store):
    """删除… asks first; confirmed, the visit goes with its problem and the editor closes. An
    approved visit offers no deletion (its reviewer returns it first)."""
    target = add_target(store)
    me = context.profile.id
    problem = TechnicalProblem(title="陈皮霉变", description="仓储受潮", status="open")

    def mine(day: int, content: str) -> Visit:
        return Visit(
            commissioner_id=me,
            target_id=target.id,
            visit_date=date(2026, 4, day),
            start_time="09:00",
            end_time="10:00",
            service_types=["guidance"],
            content=content,
        )

    visit = mine(1, "指导陈皮晾晒（重复登记）。")
    store.save_visit(visit, [problem])
    editor = open_visit_editor(None, context, visit.id)
    editor.show()
    assert editor.delete_button.isVisible()
    editor.ask_delete = lambda: False
    editor.delete_button.click()
    assert store.get(Visit, visit.id) is not None  # not asked twice: cancelled is cancelled
    editor.ask_delete = lambda: True
    editor.delete_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor) or not editor.isVisible(), timeout=10000)
    assert store.get(Visit, visit.id) is None and store.get(TechnicalProblem, problem.id) is None

    approved = mine(2, "指导陈皮仓储。")
    store.save_visit(approved)
    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [approved.id])
    editor = open_visit_editor(None, context, approved.id)
    editor.show()
    assert not editor.delete_button.isVisible()


def test_the_deletion_question_is_answered_by_its_buttons(qtbot):
    """The question 删除… asks (the tests above answer it by hand): 删除 confirms, 取消 does not."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.views.common import confirm_deletion

    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[str] = []

    def answer(label: str) -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == label).click()

    for label, confirmed in (("取消", False), ("删除", True)):
        QTimer.singleShot(0, lambda label=label: answer(label))
        assert confirm_deletion(parent, "删除服务记录", "删除这条服务记录？") is confirmed
    assert asked == ["删除这条服务记录？"] * 2
