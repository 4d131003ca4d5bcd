# ruff: noqa: F811
"""The target page (a team's service history of one target), the agreement editor and list, and a
manager's merge from the page."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from commissioner_app.domain import ServiceAgreement, ServiceTarget, Visit
from tests.ui.manager_support import manager_context, team_data, wait  # noqa: F401
from ui.editors.target_dialog import TargetDialog
from ui.views.agreements import AgreementDialog, AgreementsView
from ui.views.target_page import TargetPageDialog


def test_the_page_shows_every_record_newest_first_and_its_buttons_open_editors(
    manager_context,
    team_data,
    qtbot,
):
    page = TargetPageDialog(None, manager_context, team_data.target.id)
    qtbot.addWidget(page)
    rows = page.history.rowCount()
    dates = [page.history.item(r, 0).text() for r in range(rows)]
    assert dates == sorted(dates, reverse=True)
    visits = [r for r in range(rows) if page.history.item(r, 1).text() == "服务记录"]
    assert len(visits) == len(team_data.visits)
    assert "王芳" in page.facts.text() and "李强" in page.facts.text()

    # A correction of the target's details is in its history too.
    from commissioner_app.ops.targets import save_target

    corrected = manager_context.store.require(ServiceTarget, team_data.target.id)
    corrected.contact_phone = "13900139000"
    save_target(manager_context.store, corrected)
    page.load()
    changes = [
        page.history.item(r, 4).text()
        for r in range(page.history.rowCount())
        if page.history.item(r, 1).text() == "资料修改"
    ]
    assert changes == ["联系电话：13800138000 → 13900139000"]
    page.edit_button.click()
    assert any(isinstance(w, TargetDialog) for w in page.findChildren(TargetDialog))
    page.agreement_button.click()
    (editor,) = page.findChildren(AgreementDialog)
    assert editor.target.currentData() == team_data.target.id


def test_an_agreement_is_saved_from_the_editor_and_listed_with_its_progress(
    manager_context,
    team_data,
    qtbot,
):
    store = manager_context.store
    for key in ("wang_new", "li"):
        store.db.execute(
            "UPDATE visits SET review_status = 'approved' WHERE id = ?", [team_data.visits[key].id]
        )
    dialog = AgreementDialog(None, manager_context, None, team_data.target.id)
    qtbot.addWidget(dialog)
    dialog.start.setDate(date.today() - timedelta(days=300))
    dialog.end.setDate(date.today() + timedelta(days=60))
    dialog.status.setCurrentIndex(dialog.status.findData("signed"))
    dialog.agreed["visits"].setValue(10)
    dialog.agreed["people_trained"].setValue(50)
    dialog.deliverables.setPlainText("建立陈皮示范基地1个")
    assert dialog.commissioner.currentText() == "林站长"  # oneself first
    # The co-commissioners offered are the others (a tick on oneself was silently dropped).
    offered = [dialog.co.item(i).text() for i in range(dialog.co.count()) if not dialog.co.item(i).isHidden()]
    assert "林站长" not in offered and {"王芳", "李强"} <= set(offered)
    dialog.commissioner.setCurrentIndex(dialog.commissioner.findText("王芳"))
    offered = [dialog.co.item(i).text() for i in range(dialog.co.count()) if not dialog.co.item(i).isHidden()]
    assert "王芳" not in offered and "林站长" in offered
    dialog.commissioner.setCurrentIndex(dialog.commissioner.findText("林站长"))
    for i in range(dialog.co.count()):  # the members who serve under the agreement with the leader
        if dialog.co.item(i).text() in ("王芳", "李强"):
            dialog.co.item(i).setCheckState(Qt.CheckState.Checked)
    dialog.save()
    wait(manager_context)
    assert dialog.last_save_ok
    (saved,) = store.all(ServiceAgreement)
    assert saved.agreed == {"visits": 10.0, "people_trained": 50.0} and saved.status == "signed"
    assert set(saved.co_commissioner_ids) == {team_data.members["王芳"].id, team_data.members["李强"].id}

    view = AgreementsView(manager_context)
    qtbot.addWidget(view)
    view.load()
    wait(manager_context)
    assert view.table.rowCount() == 1
    text = view.table.item(0, 5).text()
    assert "服务次数 2/10" in text and "进度落后" in text  # past mid-period, 2 of 10
    assert "1 份已过协议期一半" in view.hint.text()
    view.new_button.click()
    assert view.findChildren(AgreementDialog)


def test_a_manager_merges_a_duplicate_into_the_target_from_its_page(
    manager_context,
    team_data,
    qtbot,
    monkeypatch,
):
    store = manager_context.store
    duplicate = store.save(ServiceTarget(name="双水陈皮合作社（重复）", type="cooperative", county="新会区"))
    moved = store.save_visit(
        Visit(
            commissioner_id=team_data.members["王芳"].id,
            target_id=duplicate.id,
            visit_date=date.today() - timedelta(days=2),
            start_time="09:00",
            end_time="10:00",
            county="新会区",
            service_types=["guidance"],
            content="在重复建立的服务对象下记录的服务",
        )
    )
    page = TargetPageDialog(None, manager_context, team_data.target.id)
    qtbot.addWidget(page)
    assert page.merge_button.isVisibleTo(page)

    def choose(dialog: QInputDialog) -> int:
        dialog.setTextValue(next(i for i in dialog.comboBoxItems() if i.startswith("双水陈皮合作社（重复）")))
        return 1

    monkeypatch.setattr(QInputDialog, "exec", choose)
    page.merge_button.click()
    wait(manager_context)
    assert store.require(Visit, moved.id).target_id == team_data.target.id
    row = store.row("service_targets", duplicate.id)
    assert row is not None and row["merged_into"] == team_data.target.id and row["deleted"] == 1
    assert "已并入" in page.facts.text()


def test_a_party_registered_twice_offline_is_flagged_and_offered_first_to_merge(
    manager_context,
    team_data,
    qtbot,
    monkeypatch,
):
    """Two colleagues, each offline, registered the same co-operative: after the sync the page says
    so, and the merge offers that one first rather than somewhere among every target of the city."""
    store = manager_context.store
    for n in range(30):  # the city's other targets, many before it by name
        store.save(ServiceTarget(name=f"三江{n:02d}号家庭农场", type="family_farm", county="新会区"))
    twin = store.save(
        ServiceTarget(name="新会区双水陈皮农民专业合作社", type="cooperative", county="新会区", town="双水镇")
    )
    # The same name in another town is another party.
    store.save(
        ServiceTarget(name="新会区双水陈皮专业合作社", type="cooperative", county="台山市", town="大江镇")
    )
    page = TargetPageDialog(None, manager_context, team_data.target.id)
    qtbot.addWidget(page)
    assert page.similar_note.text() == "疑似重复：新会区双水陈皮农民专业合作社（双水镇）"
    assert page.similar_note.isVisibleTo(page)
    offered: list[str] = []

    def choose(dialog: QInputDialog) -> int:
        offered.extend(dialog.comboBoxItems())
        return 1  # the item shown first, as chosen

    monkeypatch.setattr(QInputDialog, "exec", choose)
    page.merge_button.click()
    wait(manager_context)
    assert offered[0].startswith("新会区双水陈皮农民专业合作社（双水镇）")
    row = store.row("service_targets", twin.id)
    assert row is not None and row["merged_into"] == team_data.target.id
    assert not page.similar_note.isVisibleTo(page)


def test_of_two_duplicates_with_one_name_the_one_chosen_is_merged(
    manager_context, team_data, qtbot, monkeypatch
):
    """Two copies with the same name and town were offered as two identical lines; choosing the
    second merged the first."""
    store = manager_context.store
    first, second = (
        store.save(
            ServiceTarget(name="新会陈皮专业合作社", type="cooperative", county="新会区", town="会城街道")
        )
        for _ in range(2)
    )
    page = TargetPageDialog(None, manager_context, team_data.target.id)
    qtbot.addWidget(page)
    offered = target_choices_order(manager_context, team_data.target.id)

    def choose(dialog: QInputDialog) -> int:
        [_one, two] = [i for i in dialog.comboBoxItems() if i.startswith("新会陈皮专业合作社（会城街道）")]
        dialog.setTextValue(two)
        return 1

    monkeypatch.setattr(QInputDialog, "exec", choose)
    page.merge_button.click()
    wait(manager_context)
    merged = [t.id for t in (first, second) if store.row("service_targets", t.id)["merged_into"]]  # type: ignore[index]
    assert merged == [offered[1]]


def target_choices_order(context, exclude: str) -> list[str]:  # type: ignore[no-untyped-def]
    from commissioner_app.ops.targets import target_choices

    return [
        i
        for i, name in target_choices(context.reader, exclude=exclude)
        if name.startswith("新会陈皮专业合作社")
    ]


def test_an_agreement_behind_at_mid_period_is_flagged_on_the_overview_and_the_team_view(
    manager_context, team_data, qtbot
):
    from commissioner_app.ops.agreements import save_agreement
    from ui.views.overview import OverviewView
    from ui.views.team import TeamView

    store = manager_context.store
    save_agreement(
        store,
        ServiceAgreement(
            commissioner_id=team_data.members["王芳"].id,
            target_id=team_data.target.id,
            start_date=date.today() - timedelta(days=200),
            end_date=date.today() + timedelta(days=100),
            agreed={"visits": 12},
            status="signed",
        ),
    )
    overview = OverviewView(manager_context)
    qtbot.addWidget(overview)
    overview.load(force=True)
    wait(manager_context)
    assert overview.cards["agreements"].number.text() == "1"
    assert overview.cards["agreements"].caption.text() == "进度落后的服务协议"

    team = TeamView(manager_context)
    qtbot.addWidget(team)
    team.show()
    team.load()
    wait(manager_context)
    assert team.agreements_note.isVisible()
    assert "王芳·新会区双水陈皮专业合作社（服务次数）" in team.agreements_note.text()


def test_a_long_registered_name_does_not_widen_the_page_past_a_field_laptop(
    manager_context, team_data, qtbot
):
    """A cold try: a party of a 274-character name opened its page 3,584 pixels wide. Names are at
    most 100 characters now, and the page's title wraps."""
    from commissioner_app.errors import ValidationError

    store = manager_context.store
    target = store.require(ServiceTarget, team_data.target.id)
    target.name = "江门市新会区双水镇" * 12  # 108 characters
    try:
        store.save(target)
    except ValidationError:
        pass
    else:
        raise AssertionError("a name of 108 characters was saved")
    target.name = ("江门市新会区双水镇柑橘种植与陈皮加工" * 6)[:100]
    store.save(target)
    page = TargetPageDialog(None, manager_context, target.id)
    qtbot.addWidget(page)
    page.show()
    assert page.sizeHint().width() <= 1366 and page.width() <= 1366
