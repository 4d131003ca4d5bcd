"""A manager works through the review queue: approves several, returns one with an opinion."""

from __future__ import annotations

import time

from commissioner_app.attachments import add_attachment
from commissioner_app.domain import Review, Visit
from commissioner_app.ops import OpChanges
from tests.ui.manager_support import log_in_as, manager_context, photo, team_data, wait  # noqa: F401
from ui.main_window import MainWindow
from ui.views.review import ReviewView


def open_view(ctx, qtbot) -> ReviewView:
    view = ReviewView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.load()
    wait(ctx)
    return view


def queue_ids(view: ReviewView) -> list[str]:
    return [row["id"] for row in view.model.rows]


def test_queue_is_the_teams_pending_visits_newest_first_with_evidence(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
):
    v = team_data.visits
    add_attachment(manager_context.store, photo(tmp_path), "visits", v["li"].id)
    view = open_view(manager_context, qtbot)
    # The outsider's visit is not the team's; the leader's own would not be either.
    assert queue_ids(view) == [v["wang_new"].id, v["li"].id, v["wang_old"].id, v["li_2"].id, v["zhao"].id]
    assert "待审核 5 条" in view.count_label.text()

    view.select_ids([v["li"].id])
    wait(manager_context)
    html = view.detail.toHtml()
    assert "木虱监测培训" in html and "李强" in html
    assert "<img" in html  # the photo's thumbnail
    assert "陈伟" in html  # the served party's confirmation
    assert "施肥方案讲解" in html  # the commissioner's other visits
    # The contact person the commissioner typed in is no proof: not said to be a confirmation.
    assert view.model.display("evidence", view.model.rows[1]) == "照片1张"


def test_the_evidence_column_says_what_proves_a_visit_not_what_the_commissioner_typed(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
):
    """From a cold try: the queue's 佐证 column read "已确认" for every visit whose commissioner had
    typed in a contact person or a satisfaction, with no signed sheet and no word from the served
    party; a reviewer working down the column took it for proof. It names the proof a visit has:
    its photos, its signed sheet, the served party's own confirmation (or objection)."""
    store, v = manager_context.store, team_data.visits
    add_attachment(store, photo(tmp_path), "visits", v["li"].id)
    store.db.execute("UPDATE visits SET confirm_satisfaction = 5 WHERE id = ?", [v["wang_old"].id])
    store.db.execute("UPDATE visits SET confirm_sheet_sha256 = ? WHERE id = ?", ["ab" * 32, v["wang_new"].id])
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, decision, satisfaction, name, dirty) "
        "VALUES (?, ?, 'confirmed', 5, '陈伟', 0), (?, ?, 'disputed', 2, '赵六', 0)",
        [f"c-{v['li'].id}", v["li"].id, f"c-{v['zhao'].id}", v["zhao"].id],
    )
    view = open_view(manager_context, qtbot)
    shown = {row["id"]: view.model.display("evidence", row) for row in view.model.rows}
    assert shown[v["li"].id] == "照片1张 · 对方已确认"
    assert shown[v["zhao"].id] == "对方有异议"
    assert shown[v["wang_new"].id] == "签字单"
    assert shown[v["wang_old"].id] == "无"  # a satisfaction typed in by the commissioner


def test_the_detail_pane_tells_the_contact_typed_in_from_the_served_partys_own_answer(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    """From a cold try: the detail pane labelled the contact person the commissioner typed in
    服务对象确认, beside the served party's own answer; and a visit the served party confirmed through
    its link, with no contact typed in, read "服务对象尚未确认" under that confirmation."""
    store, v = manager_context.store, team_data.visits
    store.db.execute(
        "UPDATE visits SET confirm_contact = '', confirm_satisfaction = NULL WHERE id = ?", [v["li"].id]
    )
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, decision, satisfaction, name, dirty) "
        "VALUES (?, ?, 'confirmed', 5, '刘社长', 0)",
        [f"c-{v['li'].id}", v["li"].id],
    )
    view = open_view(manager_context, qtbot)

    view.select_ids([v["wang_new"].id])  # only what the commissioner typed: 陈伟, five stars
    wait(manager_context)
    text = view.detail.toPlainText()
    assert "特派员填写的现场确认：陈伟" in text
    assert "服务对象确认" not in text and "服务对象本人" not in text

    view.select_ids([v["li"].id])  # the served party's own answer, nothing typed in
    wait(manager_context)
    text = view.detail.toPlainText()
    assert "服务对象本人扫码确认" in text and "刘社长" in text
    assert "尚未确认" not in text and "特派员填写" not in text

    # Only the served party's words, typed in by the commissioner: shown, not "not confirmed".
    store.db.execute(
        "UPDATE visits SET confirm_contact = '', confirm_satisfaction = NULL, confirm_remark = ? "
        "WHERE id = ?",
        ["希望下次讲讲储藏", v["zhao"].id],
    )
    view.select_ids([v["zhao"].id])
    wait(manager_context)
    text = view.detail.toPlainText()
    assert "特派员填写的现场确认" in text and "希望下次讲讲储藏" in text and "尚未确认" not in text


def test_manager_approves_several_and_returns_one_with_an_opinion(manager_context, team_data, qtbot):  # noqa: F811
    store, v = manager_context.store, team_data.visits
    view = open_view(manager_context, qtbot)

    view.select_ids([v["wang_new"].id, v["li"].id, v["wang_old"].id])
    assert view.approve_button.text() == "通过所选（3 条）"
    view.approve_button.click()
    wait(manager_context)
    for key in ("wang_new", "li", "wang_old"):
        assert store.require(Visit, v[key].id).review_status == "approved"
    reviews = store.all(Review)
    assert sorted(r.record_id for r in reviews) == sorted(v[k].id for k in ("wang_new", "li", "wang_old"))
    assert all(r.decision == "approved" and r.reviewer_id == team_data.leader.id for r in reviews)
    assert all(store.row("reviews", r.id)["dirty"] == 1 for r in reviews)  # waiting to sync
    assert queue_ids(view) == [v["li_2"].id, v["zhao"].id]
    assert "已通过 3 条" in view.message.text()

    # Returning without an opinion is refused, with a message, and nothing is saved.
    view.select_ids([v["li_2"].id])
    view.return_button.click()
    wait(manager_context)
    assert "必须填写审核意见" in view.message.text()
    assert store.require(Visit, v["li_2"].id).review_status == "pending"
    assert len(store.all(Review)) == 3

    view.opinion.setPlainText("请补充现场照片和服务对象签字确认单。")
    view.return_button.click()
    wait(manager_context)
    returned = store.require(Visit, v["li_2"].id)
    assert (returned.review_status, returned.review_opinion) == (
        "returned",
        "请补充现场照片和服务对象签字确认单。",
    )
    review = next(r for r in store.all(Review) if r.record_id == v["li_2"].id)
    assert review.decision == "returned" and review.opinion == "请补充现场照片和服务对象签字确认单。"
    assert queue_ids(view) == [v["zhao"].id]
    assert view.opinion.toPlainText() == ""


def test_a_visit_edited_after_approval_comes_back_showing_what_changed(manager_context, team_data, qtbot):  # noqa: F811
    store, v = manager_context.store, team_data.visits
    view = open_view(manager_context, qtbot)
    view.select_ids([v["li"].id])
    view.approve_button.click()
    wait(manager_context)
    assert v["li"].id not in queue_ids(view)

    time.sleep(0.01)  # the edit comes after the approval (millisecond timestamps)
    edited = store.require(Visit, v["li"].id)
    edited.people_trained = 60
    edited.content = "木虱监测培训，并现场示范黄板诱杀"
    store.actor = team_data.members["李强"].id
    store.save_visit(edited)  # what arrives when 李强 edits the approved record and syncs
    store.actor = team_data.leader.id
    manager_context.operation_did_execute.emit(OpChanges.of("visits"))
    wait(manager_context)

    assert v["li"].id in queue_ids(view)
    row = queue_ids(view).index(v["li"].id)
    assert view.model.display("note", view.model.rows[row]) == "批准后又修改"
    assert "1 条批准后又被修改" in view.count_label.text()
    view.select_ids([v["li"].id])
    wait(manager_context)
    html = view.detail.toHtml()
    assert "批准后修改的内容" in html
    assert "培训人次" in html and "30" in html and "60" in html
    assert "木虱监测培训，并现场示范黄板诱杀" in html
    assert "通过" in html  # the earlier decision in the record's review history


def test_the_review_and_team_views_appear_for_a_manager_only(store, team_data, qtbot, qapp):  # noqa: F811
    from ui.context import AppContext

    ctx = AppContext(store, language="zh_CN")
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)

        def shown() -> list[str]:
            return [
                window.rail.item(i).text()
                for i in range(window.rail.count())
                if not window.rail.isRowHidden(i)
            ]

        assert "审核" not in shown() and "团队" not in shown() and "考核" in shown()
        log_in_as(store, "manager", team_data.leader, team_data.team.id)  # a login with a manager account
        ctx.operation_did_execute.emit(OpChanges.of("session"))  # as a login announces
        wait(ctx)
        assert "审核" in shown() and "团队" in shown()
        review = window.show_view("review")
        wait(ctx)
        assert len(review.model.rows) == 5  # type: ignore[attr-defined]
        log_in_as(store, "commissioner", team_data.leader)
        ctx.operation_did_execute.emit(OpChanges.of("session"))  # as a login announces
        wait(ctx)
        assert "审核" not in shown()
        assert all(a.isVisible() is False for a in window._view_actions if a.text() == "审核")
    finally:
        ctx.close()


def test_the_manager_views_switch_to_english_live(manager_context, team_data, qtbot):  # noqa: F811
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    cjk = re.compile(r"[\u4e00-\u9fff]")
    window = MainWindow(manager_context)
    qtbot.addWidget(window)
    window.show()
    for key in ("review", "team", "assessment"):
        window.show_view(key)
        wait(manager_context)
    manager_context.set_language("en")
    wait(manager_context)
    rail = [window.rail.item(i).text() for i in range(window.rail.count()) if not window.rail.isRowHidden(i)]
    assert "Review" in rail and "Team" in rail and "Assessment" in rail
    for key in ("review", "team", "assessment"):
        view = window.views[key]
        for button in view.findChildren(QPushButton):
            assert not cjk.search(button.text()), f"untranslated in {key}: {button.text()!r}"
        for table in (
            getattr(view, "table", None),
            getattr(view, "members", None),
            getattr(view, "assessment", None),
        ):
            if table is None or not hasattr(table, "model"):
                continue
            model = table.model()
            for c in range(model.columnCount()):
                header = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                assert not cjk.search(header), f"untranslated header in {key}: {header!r}"
    review = window.views["review"]
    assert review.title.text() == "Review"  # type: ignore[attr-defined]
    assert review.approve_button.text() == "Approve"  # type: ignore[attr-defined]
    assert window.views["assessment"].table.horizontalHeaderItem(6).text() == "Score"  # type: ignore[attr-defined]


def test_the_reviewer_sees_evidence_checks_in_the_queue_and_beside_the_visit(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
):
    """The same photo on two visits is a warning on both: a column in the queue, a section in the pane."""
    v = team_data.visits
    same = photo(tmp_path)
    add_attachment(manager_context.store, same, "visits", v["li"].id)
    add_attachment(manager_context.store, same, "visits", v["zhao"].id)
    view = open_view(manager_context, qtbot)
    rows = {row["id"]: row for row in view.model.rows}
    assert view.model.display("checks", rows[v["li"].id]) == "⚠ 照片重复使用"
    assert view.model.display("checks", rows[v["wang_new"].id]) == ""
    view.select_ids([v["zhao"].id])
    wait(manager_context)
    html = view.detail.toHtml()
    assert "核验提示" in html and "也附在另外 1 条服务记录中" in html


def test_the_pane_shows_a_problem_raised_elsewhere_that_was_solved_on_the_visit(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    from commissioner_app.domain import Solution, TechnicalProblem

    store = manager_context.store
    visit = team_data.visits["li"]
    requested = store.save(
        TechnicalProblem(
            commissioner_id=visit.commissioner_id,
            target_id=visit.target_id,
            source="target_request",
            title="合作社提出的仓储难题",
            raised_on=visit.visit_date,
        )
    )
    store.save(
        Solution(
            problem_id=requested.id,
            visit_id=visit.id,
            commissioner_id=visit.commissioner_id,
            description="低温除湿",
        )
    )
    view = open_view(manager_context, qtbot)
    view.select_ids([visit.id])
    wait(manager_context)
    text = view.detail.toPlainText()
    assert f"合作社提出的仓储难题 （{visit.visit_date} 提出，本次服务给出解决方案；待解决）" in text
    assert "→ 低温除湿" in text


def test_the_reviewer_accepts_the_signed_sheet_and_sees_the_served_partys_own_word(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    store, v = manager_context.store, team_data.visits
    store.db.execute(
        "INSERT INTO confirmations (id, visit_id, decision, satisfaction, name, role, comment, dirty) "
        "VALUES (?, ?, 'disputed', 2, '陈伟', '社长', '培训时间比记录的短', 0)",
        [f"c-{v['li'].id}", v["li"].id],
    )
    view = open_view(manager_context, qtbot)
    view.select_ids([v["li"].id])
    wait(manager_context)
    html = view.detail.toHtml()
    assert "服务对象本人扫码确认" in html and "情况有误" in html and "培训时间比记录的短" in html

    # Without a signed sheet there is nothing to accept: the box is not offered.
    view.select_ids([v["wang_new"].id])
    wait(manager_context)
    assert not view.sheet_box.isEnabled()
    # A visit with its signed sheet (only such a visit can have one accepted).
    store.db.execute("UPDATE visits SET confirm_sheet_sha256 = ? WHERE id = ?", ["ab" * 32, v["wang_new"].id])
    view.refresh()
    wait(manager_context)
    view.select_ids([v["wang_new"].id])
    wait(manager_context)
    assert view.sheet_box.isEnabled()
    view.sheet_box.setChecked(True)
    view.approve_button.click()
    wait(manager_context)
    [review] = [r for r in store.all(Review) if r.record_id == v["wang_new"].id]
    assert review.sheet_accepted and store.require(Visit, v["wang_new"].id).confirm_sheet_accepted
    assert not view.sheet_box.isChecked()  # the next decision starts unticked


def test_a_clicked_photo_opens_under_its_own_name_and_a_failure_is_said(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
    monkeypatch,
):
    """The store keeps files under their hash, without an extension: the system viewer gets a copy
    named like the original (Windows asks how to open a name without an extension)."""
    from pathlib import Path

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from commissioner_app.attachments import blob_path

    v = team_data.visits
    source = photo(tmp_path, "果园现场.jpg")
    added = add_attachment(manager_context.store, source, "visits", v["li"].id)
    opened: list[str] = []
    works = [True]

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return works[0]

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    view = open_view(manager_context, qtbot)
    view.select_ids([v["li"].id])
    wait(manager_context)
    assert f"evidence:{added.sha256}" in view.detail.toHtml()

    view._link_clicked(QUrl(f"evidence:{added.sha256}"))
    wait(manager_context)
    [path] = opened
    assert Path(path).name.endswith("果园现场.jpg") and Path(path) != blob_path(
        manager_context.store, added.sha256
    )
    assert Path(path).read_bytes() == source.read_bytes()
    assert view.message.text() == ""

    works[0] = False
    view._link_clicked(QUrl(f"evidence:{added.sha256}"))
    wait(manager_context)
    assert len(opened) == 2
    assert "没有可以打开此类文件的程序" in view.message.text() and "果园现场.jpg" in view.message.text()


def test_the_signed_sheet_shows_once_under_its_own_heading_not_as_a_photo(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
):
    from commissioner_app.attachments import thumbnail_path

    store, v = manager_context.store, team_data.visits
    sheet = add_attachment(
        store, photo(tmp_path, "lisi_sheet.jpg"), "visits", v["li"].id, kind="confirmation_sheet"
    )
    visit = store.require(Visit, v["li"].id)
    visit.confirm_sheet_sha256 = sheet.sha256
    store.save_visit(visit)
    view = open_view(manager_context, qtbot)
    [row] = [r for r in view.model.rows if r["id"] == v["li"].id]
    assert "照片" not in view.model.display("evidence", row)
    view.select_ids([v["li"].id])
    wait(manager_context)
    html = view.detail.toHtml()
    assert "没有照片" in html and "签字确认单" in html
    assert html.count(thumbnail_path(store, sheet.sha256).name) == 1


def test_an_opinion_stays_with_the_visit_it_was_typed_for(manager_context, team_data, qtbot):  # noqa: F811
    """An opinion typed for one visit stayed in the box when another was selected, and went with
    that one when the reviewer returned it."""
    v = team_data.visits
    view = open_view(manager_context, qtbot)
    view.select_ids([v["li"].id])
    view.opinion.setPlainText("请补充现场照片")
    view.select_ids([v["wang_new"].id])
    assert view.opinion.toPlainText() == ""
    view.select_ids([v["li"].id])
    assert view.opinion.toPlainText() == "请补充现场照片"  # nothing typed is lost


def test_a_confirmation_without_a_rating_says_not_rated_not_five_empty_stars(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    """The served party named, the satisfaction left blank: the reviewer must not read a zero rating."""
    store = manager_context.store
    visit = store.require(Visit, team_data.visits["li"].id)
    visit.confirm_satisfaction = None
    store.save_visit(visit)
    view = open_view(manager_context, qtbot)
    view.select_ids([visit.id])
    wait(manager_context)
    text = view.detail.toPlainText()
    assert "陈伟" in text and "满意度 未评价" in text
    assert "☆" not in text
    # A rating shows as its stars.
    view.select_ids([team_data.visits["zhao"].id])
    wait(manager_context)
    assert "满意度 ★★★★★" in view.detail.toPlainText()


def test_a_place_or_industry_left_empty_says_not_filled_in(manager_context, team_data, qtbot):  # noqa: F811
    """A visit saved without town, village or industry: the pane said "地点：" and "产业：" followed by
    nothing, which the reviewer read as a gap in the page rather than something the record lacks."""
    visit_id = team_data.visits["li"].id
    manager_context.store.db.execute(
        "UPDATE visits SET county = '', town = '', village = '', industry = '' WHERE id = ?", [visit_id]
    )
    view = open_view(manager_context, qtbot)
    view.select_ids([visit_id])
    wait(manager_context)
    text = view.detail.toPlainText()
    assert "地点：未填写" in text and "产业：未填写" in text, text
    # A filled-in place shows as typed.
    view.select_ids([team_data.visits["zhao"].id])
    wait(manager_context)
    assert "地点：未填写" not in view.detail.toPlainText()


def test_after_a_decision_the_reviewer_goes_on_down_the_queue(manager_context, team_data, qtbot):  # noqa: F811
    """Approving the third visit shows the one that took its place, not the top of the queue."""
    view = open_view(manager_context, qtbot)
    before = queue_ids(view)
    view.select_ids([before[2]])
    wait(manager_context)
    view.approve_selected()
    wait(manager_context)
    qtbot.waitUntil(lambda: before[2] not in queue_ids(view), timeout=5000)
    wait(manager_context)
    assert view.selected_ids() == [before[3]]


def test_the_english_detail_uses_english_punctuation_and_names(manager_context, team_data, qtbot):  # noqa: F811
    """In English the pane's own labels take ": " and plain brackets, and the industry its English
    name from the reference data; the record's own texts stay as the commissioner wrote them."""
    from ui import i18n

    i18n.install("en")
    manager_context.language = "en"
    try:
        view = open_view(manager_context, qtbot)
        view.select_ids([team_data.visits["li"].id])
        wait(manager_context)
        text = view.detail.toPlainText()
        assert "Service target: " in text and "Industry: " in text
        assert "：" not in text.replace("木虱监测培训", "")  # (no Chinese colon of the pane's own)
    finally:
        i18n.install("zh_CN")
        manager_context.language = "zh_CN"


def test_an_approval_is_of_what_the_page_showed_when_a_sync_reloaded_only_part_of_it(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    """A cold try: a background sync brought a second photo; the queue reloaded (its row said two
    photos) and the manager clicked 通过 while the details still showed one. The approval said the
    laptop had read up to the newer position, so the server took it. It now says the older of the
    queue's and the details' positions."""
    from commissioner_app.store import META_PULLED_UP_TO

    store, v = manager_context.store, team_data.visits
    store.set_meta(META_PULLED_UP_TO, "40")
    view = open_view(manager_context, qtbot)
    view.select_ids([v["li"].id])
    wait(manager_context)
    assert view.details["read_up_to"] == 40
    store.set_meta(META_PULLED_UP_TO, "57")  # a sync brought more; the queue is read again first
    view._read_up_to = 57
    view.approve_button.click()
    wait(manager_context)
    [review] = store.all(Review)
    assert review.record_id == v["li"].id and review.evidence_seq == 40
