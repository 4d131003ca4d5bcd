"""The 揭榜与成果 view, clicked through for each role: the bureau publishes, awards and accepts with
evidence; a commissioner applies and, once awarded, sets milestones and marks one done with
evidence; a manager approves and returns achievements; a commissioner records one."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QFileDialog, QLabel

from commissioner_app import achievements, projects
from commissioner_app.attachments import add_attachment
from commissioner_app.domain import (
    Achievement,
    Attachment,
    Commissioner,
    ProjectApplication,
    ProjectMilestone,
    ProjectRecord,
    Visit,
)
from commissioner_app.store import Store
from tests.ui.manager_support import TeamData, build_team, log_in_as, wait
from ui.context import AppContext
from ui.views.projects import ProjectsView

TODAY = date.today()


def open_view(context: AppContext, qtbot) -> ProjectsView:
    view = ProjectsView(context)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    view.load()
    wait(context)
    return view


def click(qtbot, view: ProjectsView, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait(view.context)


def evidence_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 evidence")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def published(store: Store) -> ProjectRecord:
    return projects.publish_project(
        store,
        title="陈皮仓储防霉技术攻关",
        requirements="一年内建成示范仓",
        deadline=TODAY + timedelta(days=10),
        budget=50,
    )


def recorded(store: Store, who: Commissioner, **fields: object) -> Achievement:
    """An achievement of `who`, saved as the laptop saves one (waiting for review)."""
    store.actor = who.id
    values: dict[str, object] = dict(
        title="陈皮低温陈化技术",
        contract_no="N1",
        contract_value=10.0,
        contract_date=TODAY,
        transferor="五邑大学",
        transferee="合作社",
    )
    values.update(fields)
    return achievements.save_achievement(store, Achievement(commissioner_id=who.id, **values))  # type: ignore[arg-type]


def choose(view: ProjectsView, project_id: str) -> None:
    view.select_project(project_id)
    wait(view.context)


def test_the_bureau_publishes_awards_and_accepts_with_evidence(
    store: Store, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = build_team(store)
    log_in_as(store, "bureau", None)
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        assert view.tabs.isTabVisible(2) and not view.commissioner_panel.isVisibleTo(view)
        view.tabs.setCurrentIndex(2)
        click(qtbot, view, view.publish_button)  # nothing filled in: said, nothing saved
        assert "请填写项目名称" in view.message.text() and store.all(ProjectRecord) == []
        view.project_title.setText("鳗鱼养殖尾水处理技术")
        view.project_requirements.setText("尾水处理达到排放标准")
        view.budget.setValue(120)
        view.deadline.setDate(QDate(1998, 5, 1))  # mistyped: refused, and what was typed stays
        click(qtbot, view, view.publish_button)
        assert "截止日期" in view.message.text() and store.all(ProjectRecord) == []
        assert view.project_title.text() == "鳗鱼养殖尾水处理技术"
        assert view.project_requirements.text() == "尾水处理达到排放标准"
        view.deadline.setDate(QDate(TODAY + timedelta(days=30)))
        click(qtbot, view, view.publish_button)
        assert view.project_title.text() == ""  # published: the form is empty for the next one
        [project] = store.all(ProjectRecord)
        assert (project.budget, project.status) == (120.0, "published")
        for name in ("王芳", "李强"):
            projects.apply(store, project.id, team.members[name], f"{name}的攻关方案：生态沟渠加人工湿地")
        view.refresh()
        wait(context)
        view.tabs.setCurrentIndex(0)
        choose(view, project.id)
        assert view.applications_table.rowCount() == 2
        view.applications_table.selectRow(0)
        chosen = view.applications_table.item(0, 0).data(Qt.ItemDataRole.UserRole)
        click(qtbot, view, view.award_button)
        project = store.get(ProjectRecord, project.id)
        assert project is not None and project.awarded_application_id == chosen
        assert sorted(a.status for a in store.all(ProjectApplication)) == ["awarded", "not_chosen"]
        choose(view, project.id)
        view.acceptance_opinion.setText("达到揭榜要求")
        click(qtbot, view, view.accept_button)
        project = store.get(ProjectRecord, project.id)
        assert project is not None and (project.status, project.acceptance) == ("accepted", "passed")
        evidence_file(tmp_path, monkeypatch, "验收报告.pdf")
        choose(view, project.id)
        click(qtbot, view, view.project_evidence_button)
        assert [a.owner_table for a in store.all(Attachment)] == ["projects"]
        assert "验收报告.pdf" in view.message.text()
        # The file is shown with the project, and opens.
        assert "验收佐证：验收报告.pdf" in shown(view.project_files)
        assert open_link(monkeypatch, view.project_files) == b"%PDF-1.4 evidence"
    finally:
        context.close()


def test_a_commissioner_applies_then_sets_and_completes_milestones(
    store: Store, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team: TeamData = build_team(store)
    wang = team.members["王芳"]
    store.save_profile(wang)
    store.actor = wang.id
    project = published(store)
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        assert not view.tabs.isTabVisible(2) and not view.bureau_panel.isVisibleTo(view)
        assert not view.apply_button.isEnabled()
        choose(view, project.id)
        view.plan.setPlainText("采用低温除湿结合生物防霉剂，三个月内建成示范仓")
        view.as_team.setChecked(True)
        click(qtbot, view, view.apply_button)
        [application] = store.all(ProjectApplication)
        assert application.team_id == team.team.id and application.commissioner_id == wang.id
        assert not view.apply_button.isEnabled()  # once per project
        projects.award(store, project.id, application.id)
        view.refresh()
        wait(context)
        choose(view, project.id)
        view.milestone_title.setText("示范仓建成")
        click(qtbot, view, view.milestone_button)
        [milestone] = store.all(ProjectMilestone)
        assert milestone.title == "示范仓建成" and not milestone.done
        choose(view, project.id)
        view.milestones_table.selectRow(0)
        view.milestone_evidence.setText("示范仓照片与验收单")
        click(qtbot, view, view.done_button)
        done = store.get(ProjectMilestone, milestone.id)
        assert done is not None and done.done and done.evidence == "示范仓照片与验收单"
        evidence_file(tmp_path, monkeypatch, "示范仓.pdf")
        choose(view, project.id)
        view.milestones_table.selectRow(0)
        click(qtbot, view, view.milestone_file_button)
        assert [a.owner_table for a in store.all(Attachment)] == ["project_milestones"]
        assert "节点佐证（示范仓建成）：示范仓.pdf" in shown(view.project_files)
        # Her visit serves the project.
        choose(view, project.id)
        assert view.link_visit.count() >= 1
        visit_id = view.link_visit.itemData(0)
        click(qtbot, view, view.link_button)
        linked = store.get(Visit, visit_id)
        assert linked is not None and linked.project_id == project.id
        # The achievements tab: a commissioner records a technology contract.
        view.tabs.setCurrentIndex(1)
        view.ach_title.setText("陈皮低温陈化技术")
        view.ach_contract.setText("2026440703000123")
        view.ach_value.setValue(35.5)
        view.ach_transferor.setText("五邑大学")
        view.ach_transferee.setText("新会陈皮合作社")
        view.ach_target.setCurrentIndex(1)
        view.ach_visit.setCurrentIndex(view.ach_visit.findData(visit_id))
        click(qtbot, view, view.save_achievement_button)
        [achievement] = store.all(Achievement)
        assert (achievement.contract_value, achievement.review_status) == (35.5, "pending")
        assert achievement.visit_ids == [visit_id] and achievement.target_id == team.target.id
        assert "待审核 1 项" in view.totals_label.text()
    finally:
        context.close()


def test_a_manager_approves_and_returns_achievements_of_the_team(
    store: Store, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = build_team(store)
    log_in_as(store, "manager", team.leader, team.team.id)
    ids = []
    for i, name in enumerate(("王芳", "李强")):
        ids.append(
            achievements.save_achievement(
                store,
                Achievement(
                    commissioner_id=team.members[name].id,
                    title=f"成果{i}",
                    contract_no=f"N{i}",
                    contract_value=10.0 * (i + 1),
                    contract_date=TODAY,
                    transferor="五邑大学",
                    transferee="合作社",
                ),
            ).id
        )
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        assert view.review_row.isVisibleTo(view)
        rows = {view.achievement_table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(2)}
        view.achievement_table.selectRow(rows[ids[0]])
        click(qtbot, view, view.approve_button)
        view.achievement_table.clearSelection()
        view.achievement_table.selectRow(rows[ids[1]])
        view.review_opinion.setText("缺少合同扫描件")
        click(qtbot, view, view.return_button)
        statuses = {a.id: a.review_status for a in store.all(Achievement)}
        assert statuses == {ids[0]: "approved", ids[1]: "returned"}
        assert "技术交易额 10.00 万元" in view.totals_label.text()
        # A file goes with one's own achievement: the central store refuses one on a member's.
        view.achievement_table.selectRow(rows[ids[0]])
        assert not view.achievement_file_button.isEnabled()
    finally:
        context.close()


def test_a_county_bureau_sees_projects_and_achievements_without_the_forms_it_may_not_use(
    store: Store, qtbot
) -> None:
    """A county bureau's account got the commissioner's forms: an achievement it saved had no
    commissioner, counted as waiting for review, and was refused at every sync."""
    team = build_team(store)
    project = published(store)
    recorded(store, team.members["王芳"])
    log_in_as(store, "county", None)
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        choose(view, project.id)
        assert view.project_table.rowCount() == 1 and "揭榜要求" in view.requirements.text()
        for panel in (view.commissioner_panel, view.bureau_panel, view.achievement_box, view.review_row):
            assert not panel.isVisibleTo(view)
        assert not view.tabs.isTabVisible(2)
        view.tabs.setCurrentIndex(1)
        assert view.achievement_table.rowCount() == 1
    finally:
        context.close()


def test_a_commissioner_sees_why_an_achievement_was_returned_and_corrects_it(
    store: Store, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A returned achievement showed 已退回 and nothing else: the opinion appeared nowhere, and the
    record could not be opened to correct it."""
    team = build_team(store)
    wang = team.members["王芳"]
    store.save_profile(wang)
    saved = recorded(
        store,
        wang,
        contract_no="HT-1",
        contract_value=500.0,
        transferee="新会陈皮合作社",
        target_id=team.target.id,
    )
    achievements.decide(store, [saved.id], "returned", team.leader, "合同金额与发票不符，请核对")
    store.actor = wang.id
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        assert not view.edit_achievement_button.isEnabled()
        view.achievement_table.selectRow(0)
        assert "退回意见：合同金额与发票不符，请核对" in shown(view.achievement_files)
        click(qtbot, view, view.edit_achievement_button)
        view.ach_title.setText("改了一半")
        click(qtbot, view, view.cancel_edit_button)  # a correction given up: the form is new again
        assert view.ach_title.text() == "" and not view.cancel_edit_button.isVisibleTo(view)
        assert store.all(Achievement)[0].title == "陈皮低温陈化技术"
        view.achievement_table.selectRow(0)
        click(qtbot, view, view.edit_achievement_button)
        assert view.ach_title.text() == "陈皮低温陈化技术" and view.ach_value.value() == 500.0
        assert view.ach_target.currentData() == team.target.id
        assert "修改" in view.achievement_box.title()
        view.ach_value.setValue(50.0)
        click(qtbot, view, view.save_achievement_button)
        [kept] = store.all(Achievement)
        assert (kept.id, kept.contract_value, kept.review_status) == (saved.id, 50.0, "pending")
        assert kept.target_id == team.target.id and kept.contract_no == "HT-1"
        assert view.ach_title.text() == "" and "修改" not in view.achievement_box.title()
        assert view.ach_target.currentIndex() == 0 and "已保存修改" in view.message.text()
        # The invoice that was missing goes with it.
        evidence_file(tmp_path, monkeypatch, "发票.pdf")
        view.achievement_table.selectRow(0)
        click(qtbot, view, view.achievement_file_button)
        assert [(a.owner_table, a.owner_id) for a in store.all(Attachment)] == [("achievements", saved.id)]
        assert "合同佐证：发票.pdf" in shown(view.achievement_files)
    finally:
        context.close()


def test_a_commissioner_deletes_an_achievement_recorded_twice(store: Store, qtbot) -> None:
    """Returned with “重复登记，请删除”, the achievement could only be edited. 删除所选成果… asks,
    then deletes it; an approved one cannot be chosen for deletion."""
    team = build_team(store)
    wang = team.members["王芳"]
    store.save_profile(wang)
    twice = recorded(store, wang, contract_no="HT-1", title="陈皮低温陈化技术（重复）")
    kept = recorded(store, wang, contract_no="HT-2", title="柑橘保鲜技术")
    achievements.decide(store, [twice.id], "returned", team.leader, "重复登记，请删除")
    achievements.decide(store, [kept.id], "approved", team.leader)
    store.actor = wang.id
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        row_of = {
            view.achievement_table.item(r, 0).text(): r for r in range(view.achievement_table.rowCount())
        }
        view.achievement_table.selectRow(row_of["柑橘保鲜技术"])
        assert not view.delete_achievement_button.isEnabled()  # approved: its reviewer returns it first
        view.achievement_table.selectRow(row_of["陈皮低温陈化技术（重复）"])
        asked: list[str] = []
        view.ask_delete = lambda title: asked.append(title) or False  # type: ignore[method-assign]
        click(qtbot, view, view.delete_achievement_button)
        assert asked == ["陈皮低温陈化技术（重复）"] and store.get(Achievement, twice.id) is not None
        view.ask_delete = lambda title: True  # type: ignore[method-assign]
        click(qtbot, view, view.delete_achievement_button)
        assert store.get(Achievement, twice.id) is None and store.get(Achievement, kept.id) is not None
        assert "已删除" in view.message.text()
        assert view.achievement_table.rowCount() == 1
    finally:
        context.close()


def test_a_reviewer_sees_and_opens_the_contract_files_of_an_achievement(
    store: Store, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = build_team(store)
    ids = [
        recorded(store, team.members[name], title=f"成果{i}", contract_no=f"N{i}").id
        for i, name in enumerate(("王芳", "李强"))
    ]
    scan = tmp_path / "技术合同<签字页>.pdf"  # a name is text, never markup
    scan.write_bytes(b"%PDF-1.4 the signed contract")
    add_attachment(store, scan, "achievements", ids[0], kind="document")
    twin = tmp_path / "同一文件的另一个名字.pdf"  # the same bytes under another name: opened under its own
    twin.write_bytes(scan.read_bytes())
    add_attachment(store, twin, "achievements", ids[0], kind="document")
    log_in_as(store, "manager", team.leader, team.team.id)
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        rows = {view.achievement_table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(2)}
        assert view.achievement_table.item(rows[ids[1]], 7).text() == "0"
        assert "选择一项成果" in shown(view.achievement_files)
        view.achievement_table.selectRow(rows[ids[0]])
        assert "合同佐证：技术合同<签字页>.pdf、同一文件的另一个名字.pdf" in shown(view.achievement_files)
        assert view.achievement_table.item(rows[ids[0]], 7).text() == "2"
        assert open_link(monkeypatch, view.achievement_files) == b"%PDF-1.4 the signed contract"
        assert opened_name(monkeypatch, view.achievement_files, 1).endswith("-同一文件的另一个名字.pdf")
        # A file that cannot be opened says so; the next that opens takes the message away.
        monkeypatch.setattr("ui.views.projects.open_named_copy", lambda *a: "无法打开附件：磁盘已满")
        view.achievement_files.linkActivated.emit("evidence:0")
        assert view.message.text() == "无法打开附件：磁盘已满"
        monkeypatch.undo()
        assert open_link(monkeypatch, view.achievement_files) == b"%PDF-1.4 the signed contract"
        assert view.message.text() == ""
        view.achievement_table.clearSelection()
        view.achievement_table.selectRow(rows[ids[1]])
        assert "尚无合同佐证" in shown(view.achievement_files)
        # A long name is cut where it is shown: it cannot widen the page past a field laptop's.
        long_name = tmp_path / ("Technology_transfer_contract_signed_copy_" * 5 + ".pdf")
        long_name.write_bytes(b"%PDF-1.4 long")
        store.actor = team.members["李强"].id
        add_attachment(store, long_name, "achievements", ids[1], kind="document")
        view.refresh()
        wait(context)
        assert "…" in shown(view.achievement_files) and shown(view.achievement_files).endswith(".pdf")
        assert view.achievement_files.minimumSizeHint().width() < 500
    finally:
        context.close()


def shown(label: QLabel) -> str:
    """A rich-text label's text as a person reads it."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def open_link(monkeypatch: pytest.MonkeyPatch, label: QLabel, n: int = 0) -> bytes:
    """Click the label's n-th file link; the bytes of what the system viewer was given."""
    return Path(opened_path(monkeypatch, label, n)).read_bytes()


def opened_name(monkeypatch: pytest.MonkeyPatch, label: QLabel, n: int = 0) -> str:
    return Path(opened_path(monkeypatch, label, n)).name


def opened_path(monkeypatch: pytest.MonkeyPatch, label: QLabel, n: int) -> str:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    link = re.findall(r'href="([^"]+)"', label.text())[n]
    label.linkActivated.emit(link)
    assert len(opened) == 1
    return opened[0].toLocalFile()


def test_the_city_view_shows_projects_by_status_and_the_transaction_value(store: Store, qtbot) -> None:
    from ui.views.city import CityView

    team = build_team(store)
    log_in_as(store, "bureau", None)
    project = published(store)
    application = projects.apply(
        store, project.id, team.members["王芳"], "王芳的攻关方案：低温除湿结合生物防霉"
    )
    projects.award(store, project.id, application.id)
    saved = achievements.save_achievement(
        store,
        Achievement(
            commissioner_id=team.members["王芳"].id,
            title="陈皮低温陈化技术",
            contract_no="N1",
            contract_value=35.5,
            contract_date=TODAY,
            transferor="五邑大学",
            transferee="合作社",
            target_id=team.target.id,
        ),
    )
    achievements.decide(store, [saved.id], "approved", team.leader)
    context = AppContext(store, language="zh_CN")
    try:
        city = CityView(context)
        qtbot.addWidget(city)
        city.load()
        wait(context)
        panel = city.projects_panel
        assert "揭榜挂帅项目 1 个；成果转化 1 项，技术交易额 35.50 万元" in panel.summary.text()
        rows = {
            panel.status_table.item(r, 0).text(): panel.status_table.item(r, 1).text()
            for r in range(panel.status_table.rowCount())
        }
        assert rows["攻关中"] == "1" and rows["揭榜中"] == "0"
        assert panel.county_table.item(0, 0).text() == team.target.county
        assert panel.county_table.item(0, 2).text() == "35.50"
        assert city.tabs.tabText(3) == "揭榜与成果转化"
    finally:
        context.close()


def test_the_achievement_form_keeps_its_height_on_a_short_window(store: Store, qtbot) -> None:
    """At 150 % on a 1366×768 field laptop the page gave the form less than it needs: its rows were
    squeezed and 保存 lost the foot of its characters. The page scrolls instead."""
    team = build_team(store)
    store.save_profile(team.members["王芳"])
    context = AppContext(store, language="zh_CN")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        view.resize(900, 430)  # the client area of a 1366×768 screen at 150 %, in logical pixels
        wait(context)
        for button in (view.save_achievement_button, view.edit_achievement_button):
            assert button.height() >= button.sizeHint().height(), button.text()
        box = view.achievement_box
        assert box.height() >= box.sizeHint().height()
        page = view.tabs.widget(1)
        assert page.widget().height() - page.viewport().height() < 100  # scrolls only as far as it must
        view.resize(1200, 900)  # a tall window: the table takes the room
        wait(context)
        assert view.achievement_table.height() > 300
    finally:
        context.close()


def test_the_names_column_keeps_room_on_a_narrow_screen_and_fills_a_wide_one(store: Store, qtbot) -> None:
    """At 150 % in English the other columns took a field laptop's width and left each name a "…"."""
    team = build_team(store)
    recorded(store, team.members["王芳"], contract_value=12.5, transferee="新会陈皮合作社")
    log_in_as(store, "manager", team.leader, team.team.id)
    context = AppContext(store, language="en")
    try:
        view = open_view(context, qtbot)
        view.tabs.setCurrentIndex(1)
        table = view.achievement_table
        view.resize(1600, 700)
        wait(context)
        widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
        assert table.columnWidth(0) > 160 and abs(widths - table.viewport().width()) <= 2  # fills it
        # Narrower: the other columns leave the names 80 pixels; they keep 160, the table scrolls.
        others = widths - table.columnWidth(0)
        view.resize(view.width() - table.viewport().width() + others + 80, 700)
        wait(context)
        assert table.columnWidth(0) >= 160
    finally:
        context.close()
