"""团队考核: teams' and workstations' scores as the core computes them; a bonus entered, approved and
rejected through the buttons (the total follows, capped); an exemplar named from the published
results and the commendation list saved; a manager sees only their own team and cannot decide."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from commissioner_app.assessment import Period, assess, assess_groups, publish
from commissioner_app.store import Store
from tests.ui.manager_support import build_team, log_in_as, wait
from ui.context import AppContext
from ui.views.group_assessment import BonusDialog, ExemplarDialog, GroupAssessmentView

YEAR = date.today().year


@pytest.fixture
def team_store(tmp_path):
    store = Store.open(tmp_path / "data")
    data = build_team(store)
    yield store, data
    store.close()


def open_view(store: Store, qtbot) -> tuple[AppContext, GroupAssessmentView]:
    ctx = AppContext(store, language="zh_CN")
    view = GroupAssessmentView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.set_year(YEAR)
    view.load()
    wait(ctx)
    return ctx, view


def fill_bonus(points: float, reason: str):
    def exec_(dialog: BonusDialog) -> int:
        dialog.points.setValue(points)
        dialog.reason.setText(reason)
        dialog.evidence.setText("江科函〔2026〕8号")
        dialog._accept()
        return int(dialog.result())

    return exec_


def test_bonus_entered_approved_rejected_and_capped(team_store, qtbot, monkeypatch):
    store, data = team_store
    log_in_as(store, "bureau", None)
    ctx, view = open_view(store, qtbot)
    try:
        pane = view.panes["team"]
        core = assess_groups(store, assess(store, period=Period.year(YEAR)), "team")
        assert pane.groups.model().keys == [g.group_id for g in core]
        team_row = pane.groups.model().keys.index(data.team.id)
        pane.groups.selectRow(team_row)
        base = round(next(g for g in core if g.group_id == data.team.id).base, 1)
        assert pane.groups.model().rows[team_row][3] == base

        # An empty reason keeps the dialog open with a hint; nothing is saved.
        def empty(dialog: BonusDialog) -> int:
            dialog._accept()
            assert "加分理由" in dialog.problem.text()
            return int(QDialog.DialogCode.Rejected)

        monkeypatch.setattr(BonusDialog, "exec", empty)
        qtbot.mouseClick(view.bonus_button, Qt.MouseButton.LeftButton)
        wait(ctx)
        assert store.db.execute("SELECT count(*) FROM bonus_points").fetchone()[0] == 0

        for points, reason in ((8, "获评省级优秀科技特派团"), (5, "服务案例入选省典型案例"), (3, "重复申报")):
            monkeypatch.setattr(BonusDialog, "exec", fill_bonus(points, reason))
            qtbot.mouseClick(view.bonus_button, Qt.MouseButton.LeftButton)
            wait(ctx)
            # The confirmation stays after the tables are read again; the caps are said beside it.
            assert "已录入加分项" in view.message.text()
            assert "加分上限 10 分" in view.rules_note.text()
        assert (
            store.db.execute("SELECT count(*) FROM bonus_points WHERE status = 'pending'").fetchone()[0] == 3
        )
        pane.groups.selectRow(pane.groups.model().keys.index(data.team.id))
        assert pane.bonuses.model().rowCount() == 3
        assert not view.approve_button.isEnabled()  # no bonus chosen yet
        for row in (0, 1):
            pane.bonuses.selectRow(row)
            qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
            wait(ctx)
        pane.bonuses.selectRow(2)
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("与第一项重复", True)))
        qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
        wait(ctx)
        statuses = dict(store.db.execute("SELECT reason, status FROM bonus_points").fetchall())
        assert statuses == {
            "获评省级优秀科技特派团": "approved",
            "服务案例入选省典型案例": "approved",
            "重复申报": "rejected",
        }
        row = pane.groups.model().keys.index(data.team.id)
        assert pane.groups.model().rows[row][4] == 10  # 8 + 5 approved, capped at the bundled 10
        assert pane.groups.model().rows[row][5] == round(base + 10, 1)
        assert "上限 10" in pane.detail.text()
        assert "与第一项重复" in pane.bonuses.model().rows[2][4]
    finally:
        view.close()
        ctx.close()


def test_exemplar_named_from_published_results_and_list_saved(team_store, qtbot, monkeypatch, tmp_path):
    store, data = team_store
    log_in_as(store, "bureau", None)
    publish(store, YEAR, "市科技局")
    ctx, view = open_view(store, qtbot)
    try:

        def name_first(dialog: ExemplarDialog) -> int:
            assert dialog.subject.count() >= 5  # the published commissioners, then the team
            dialog.citation.setPlainText("带头开展陈皮霉变防控技术服务。")
            dialog._accept()
            return int(dialog.result())

        monkeypatch.setattr(ExemplarDialog, "exec", name_first)
        qtbot.mouseClick(view.exemplar_button, Qt.MouseButton.LeftButton)
        wait(ctx)
        assert view.exemplars.model().rowCount() == 1
        assert view.exemplars.model().rows[0][0] == "优秀科技特派员"
        out = tmp_path / "名单.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
        qtbot.mouseClick(view.list_button, Qt.MouseButton.LeftButton)
        wait(ctx)
        assert out.stat().st_size > 1000 and str(out) in view.message.text()
    finally:
        view.close()
        ctx.close()


def test_a_manager_sees_their_own_team_and_only_proposes(team_store, qtbot, monkeypatch):
    store, data = team_store
    log_in_as(store, "manager", data.leader, data.team.id)
    ctx, view = open_view(store, qtbot)
    try:
        assert view.panes["team"].groups.model().keys == [data.team.id]
        assert not view.approve_button.isVisible() and not view.exemplar_button.isVisible()
        monkeypatch.setattr(BonusDialog, "exec", fill_bonus(4, "团队获市级表彰"))
        qtbot.mouseClick(view.bonus_button, Qt.MouseButton.LeftButton)
        wait(ctx)
        assert store.db.execute("SELECT status, subject_id FROM bonus_points").fetchall() == [
            ("pending", data.team.id)
        ]
    finally:
        view.close()
        ctx.close()


def test_the_city_view_shows_each_county_against_its_own_targets(tmp_path, qtbot):
    from commissioner_app.activity import city_overview
    from commissioner_app.demo import generate_demo
    from ui.views.city import CityView

    store = Store.open(tmp_path / "city")
    generate_demo(store, visits=300, seed=5, end=date(2025, 11, 30))
    log_in_as(store, "bureau", None)
    ctx = AppContext(store, language="zh_CN")
    view = CityView(ctx)
    qtbot.addWidget(view)
    try:
        view.show()
        view.set_year(2025)
        view.load()
        wait(ctx)
        assert view.active_card.bar.maximum() == 800  # the plan's 2025 milestone
        model = view.plan_table.model()
        counties = [model.rows[i][0] for i in range(model.rowCount())]
        assert counties[:7] == ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
        core = {
            c["county"]: c for c in city_overview(store, date(2025, 1, 1), date(2025, 12, 31))["by_county"]
        }
        taishan = model.rows[counties.index("台山市")]
        people = core.get("台山市", {}).get("commissioners", 0)
        assert taishan[1] == f"{people} / 140（{people / 140:.0%}）"
        assert taishan[3] == "0 / 14（0%）"  # no approved achievement in the demo's register
        assert taishan[4].endswith(" / 5,500（0%）")
        view.tabs.setCurrentIndex(4)
        assert "分县目标" in view.plan_note.text()
    finally:
        view.close()
        ctx.close()
        store.close()
