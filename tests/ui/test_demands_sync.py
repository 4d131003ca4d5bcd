"""The issue's proof for demands: the bureau and a commissioner, separate data directories, the real
server on loopback. The bureau publishes a demand in the view and syncs; the commissioner syncs,
sees it among the open demands, takes it up (揭榜) in the view and syncs; the bureau syncs and sees
who took it up and the status of the commissioner's problem."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.domain import Demand, ServiceTarget, Solution, TechnicalProblem
from commissioner_app.store import Store
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server, running_server
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.views.demands import DemandsView

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
        yield s


def bureau_and_commissioner(server: Server, tmp_path: Path) -> tuple[Store, Any, Store, Any, str]:
    """The bureau's and a commissioner's laptops, each logged in to the server: (bureau store, its
    sync, the commissioner's store, its sync, the commissioner's id)."""
    wang_id, bureau_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("wangf", commissioner_id=wang_id)
    server.add_user("kjj", role="bureau", commissioner_id=bureau_id)
    bureau = commissioner_store(tmp_path / "bureau", bureau_id, "市科技局")
    wang = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    return bureau, connect(bureau, server.url, "kjj"), wang, connect(wang, server.url, "wangf"), wang_id


def progress_of(view: DemandsView, title: str) -> list[str]:
    table = view.progress_table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == title:
            return [table.item(row, c).text() for c in range(table.columnCount())]
    raise AssertionError(f"{title} is not in the bureau's list")


def test_bureau_publishes_and_a_commissioner_takes_it_up_through_the_server(
    server, tmp_path, qtbot, qapp, monkeypatch
):
    wang_id, bureau_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("wangf", commissioner_id=wang_id)
    server.add_user("kjj", role="bureau", commissioner_id=bureau_id)

    # The bureau publishes a demand in the view and syncs.
    bureau_store = commissioner_store(tmp_path / "bureau", bureau_id, "市科技局农村科技科")
    bureau_sync = connect(bureau_store, server.url, "kjj")
    bureau_sync.sync()
    bureau_ctx = AppContext(bureau_store, language="zh_CN")
    try:
        view = DemandsView(bureau_ctx)
        qtbot.addWidget(view)
        view.show()
        view.load()
        wait(bureau_ctx)
        assert view.bureau_panel.isVisible() and not view.commissioner_panel.isVisible()
        view.title_edit.setText("柑橘黄龙病绿色防控")
        view.description_edit.setPlainText("双水镇柑橘园黄龙病发病率上升，需要木虱监测与防控方案。")
        view.industry.setCurrentText("柑橘")
        view.county.setCurrentIndex(1)
        county = view.county.currentData()
        view.target_edit.setText("双水镇柑橘专业合作社")
        view.publish_button.click()
        wait(bureau_ctx)
        assert "已发布" in view.message.text()
        wait(bureau_ctx)
        assert progress_of(view, "柑橘黄龙病绿色防控")[4] == "待揭榜"
        report = bureau_sync.sync()
        assert (report.rejected, report.conflicts) == (0, 0)
    finally:
        bureau_ctx.close()

    # The commissioner syncs, sees the demand and takes it up in the view.
    wang_store = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    wang_sync = connect(wang_store, server.url, "wangf")
    wang_sync.sync()
    wang_ctx = AppContext(wang_store, language="zh_CN")
    try:
        view = DemandsView(wang_ctx)
        qtbot.addWidget(view)
        view.show()
        view.load()
        wait(wang_ctx)
        assert view.commissioner_panel.isVisible() and not view.bureau_panel.isVisible()
        titles = [view.open_table.item(r, 0).text() for r in range(view.open_table.rowCount())]
        assert titles == ["柑橘黄龙病绿色防控"]
        demand = view.open_rows[0]
        assert (demand.county, demand.target_name) == (county, "双水镇柑橘专业合作社")
        view.select_demand(demand.id)
        assert view.take_button.isEnabled()
        # 揭榜 cannot be taken back: it asks first, and a No changes nothing.
        from PySide6.QtWidgets import QMessageBox

        answers, asked = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes], []
        monkeypatch.setattr(
            QMessageBox,
            "question",
            staticmethod(lambda _p, _t, text, *r: asked.append(text) or answers.pop(0)),
        )
        view.take_button.click()
        wait(wang_ctx)
        assert "柑橘黄龙病绿色防控" in asked[0] and wang_store.all(TechnicalProblem) == []
        view.take_button.click()
        wait(wang_ctx)
        wait(wang_ctx)
        assert "已揭榜" in view.message.text()
        # It says the party was registered, and the kind read from its name, to be checked.
        assert "“双水镇柑橘专业合作社”已新登记" in view.message.text()
        assert "“农民专业合作社”" in view.message.text()
        assert view.open_table.rowCount() == 0  # taken: no longer open
        problems = wang_store.all(TechnicalProblem)
        assert [(p.title, p.demand_id, p.commissioner_id) for p in problems] == [
            ("柑橘黄龙病绿色防控", demand.id, wang_id)
        ]
        # The party the bureau named is the problem's served party, registered on the way.
        party = wang_store.require(ServiceTarget, problems[0].target_id)
        assert (party.name, party.type, party.county) == ("双水镇柑橘专业合作社", "cooperative", county)
        report = wang_sync.sync()
        assert (report.rejected, report.conflicts) == (0, 0)
        assert [k for k in server.records() if k[0] == "service_targets"] == [("service_targets", party.id)]
        # The commissioner works on it: the problem is solved.
        problem = wang_store.require(TechnicalProblem, problems[0].id)
        wang_store.save(
            Solution(
                problem_id=problem.id,
                description="悬挂黄板监测木虱，统一清园并喷药防控",
                technology="木虱统防统治",
            )
        )
        problem.status = "solved"
        problem.solved_on = problem.raised_on
        wang_store.save(problem)
        wang_sync.sync()
    finally:
        wang_ctx.close()

    # The bureau syncs and sees who took it up and the problem's status.
    bureau_store = Store.open(tmp_path / "bureau")
    bureau_store.actor = bureau_id
    from tests.sync.fieldwork import reconnect

    reconnect(bureau_store).sync()
    assert bureau_store.require(Demand, demand.id).taken_by == wang_id
    bureau_ctx = AppContext(bureau_store, language="zh_CN")
    try:
        view = DemandsView(bureau_ctx)
        qtbot.addWidget(view)
        view.show()
        view.load()
        wait(bureau_ctx)
        row = progress_of(view, "柑橘黄龙病绿色防控")
        assert row[4:] == ["已揭榜", "王芳", "已解决"]
    finally:
        bureau_ctx.close()


def test_a_correction_and_a_closing_reach_the_commissioner(server, tmp_path):
    from datetime import date, timedelta

    from commissioner_app.demands import close, open_demands, publish, reopen, revise, take_up
    from commissioner_app.errors import CommissionerError

    bureau, bureau_sync, wang, wang_sync, wang_id = bureau_and_commissioner(server, tmp_path)

    demand = publish(bureau, Demand(title="柑桔防控", description="疑似黄龙病", deadline=date.today()))
    bureau_sync.sync()
    wang_sync.sync()
    assert [d.title for d in open_demands(wang)] == ["柑桔防控"]

    later = date.today() + timedelta(days=30)
    revise(
        bureau, demand.id, Demand(title="柑橘黄龙病防控", description="三个果园疑似黄龙病", deadline=later)
    )
    assert bureau_sync.sync().rejected == 0
    wang_sync.sync()
    assert [(d.title, d.description, d.deadline) for d in open_demands(wang)] == [
        ("柑橘黄龙病防控", "三个果园疑似黄龙病", later)
    ]

    close(bureau, demand.id)
    assert bureau_sync.sync().rejected == 0
    wang_sync.sync()
    assert open_demands(wang) == []
    with pytest.raises(CommissionerError):  # closed: no longer taken up here either
        take_up(wang, demand.id, wang.profile())

    reopen(bureau, demand.id)
    bureau_sync.sync()
    wang_sync.sync()
    assert [d.id for d in open_demands(wang)] == [demand.id]


def test_a_take_up_made_offline_after_the_bureau_closed_it_is_refused_once_with_the_reason(server, tmp_path):
    """The refusal stayed on the commissioner's copy for good: every later sync refused it again and
    told them to correct a record they cannot edit, and a reopened demand never showed as open."""
    from commissioner_app.demands import close, open_demands, publish, reopen, take_up

    bureau, bureau_sync, wang, wang_sync, wang_id = bureau_and_commissioner(server, tmp_path)
    demand = publish(bureau, Demand(title="鱼塘增氧", description="高温缺氧"))
    bureau_sync.sync()
    wang_sync.sync()
    problem = take_up(wang, demand.id, wang.profile())  # offline, in the village
    close(bureau, demand.id)
    bureau_sync.sync()
    report = wang_sync.sync()
    assert report.rejected == 2  # the take-up, and the problem made for a demand now closed
    said = [p.text("zh_CN") for p in report.problems]
    assert any("技术需求“鱼塘增氧”" in p and "该需求已被市科技局关闭，不能再揭榜" in p for p in said), said
    # The copy is the server's now: closed, nobody's, nothing waiting or refused.
    row = wang.db.execute(
        "SELECT status, taken_by, dirty, sync_error FROM demands WHERE id = ?", [demand.id]
    ).fetchone()
    assert tuple(row) == ("closed", None, 0, None)
    # The problem the refused take-up made, with nothing recorded on it, is withdrawn, and said so
    # (it stayed in the commissioner's list for good, tied to a demand that was not theirs).
    assert any("揭榜“鱼塘增氧”未成功，因此建立的技术难题已撤回" in p for p in said), said
    assert wang.get(TechnicalProblem, problem.id) is None
    assert wang_sync.sync().rejected == 0
    assert ("problems", problem.id) not in {k for k, r in server.records().items() if not r["deleted"]}
    assert open_demands(wang) == []
    reopen(bureau, demand.id)
    bureau_sync.sync()
    wang_sync.sync()
    assert [d.id for d in open_demands(wang)] == [demand.id]


def test_the_bureau_cannot_close_or_correct_a_demand_taken_up_meanwhile(server, tmp_path):
    """Closing a demand a commissioner had just taken up made a conflict of raw status codes, and
    choosing 本机 left a closed demand with a 揭榜人; a correction made meanwhile changed the
    demand but never the commissioner's problem copied from it."""
    from commissioner_app.demands import close, publish, revise, take_up

    bureau, bureau_sync, wang, wang_sync, wang_id = bureau_and_commissioner(server, tmp_path)
    first = publish(bureau, Demand(title="鱼塘增氧", description="高温缺氧"))
    second = publish(bureau, Demand(title="陈皮仓储霉变", description="仓库返潮"))
    bureau_sync.sync()
    wang_sync.sync()
    take_up(wang, first.id, wang.profile())
    take_up(wang, second.id, wang.profile())
    assert wang_sync.sync().rejected == 0
    close(bureau, first.id)  # the bureau has not heard of either take-up yet
    revise(bureau, second.id, Demand(title="陈皮仓储霉变防治（已更正）", description="仓库返潮，霉变"))
    report = bureau_sync.sync()
    assert (report.rejected, report.conflicts) == (2, 0)
    said = " ".join(p.text("zh_CN") for p in report.problems)
    assert said.count("该需求已被科技特派员揭榜，已成为其技术难题，不能再修改或关闭") == 2
    for demand, title in ((first, "鱼塘增氧"), (second, "陈皮仓储霉变")):
        got = bureau.get(Demand, demand.id)
        assert (got.title, got.status, got.taken_by) == (title, "taken", wang_id)
    assert bureau_sync.sync().rejected == 0
    titles = sorted(p.title for p in wang.all(TechnicalProblem))
    assert titles == ["陈皮仓储霉变", "鱼塘增氧"]


def test_two_take_ups_of_one_demand_leave_one_problem_and_one_party(server, tmp_path):
    """A cold try: two commissioners took up the same demand offline; the second was refused, yet
    kept a problem and a new party that stayed in the team's lists. A problem someone worked on
    stays."""
    from commissioner_app.demands import publish, take_up
    from tests.sync.fieldwork import commissioner_store, connect

    bureau, bureau_sync, wang, wang_sync, wang_id = bureau_and_commissioner(server, tmp_path)
    li_id = str(uuid.uuid4())
    server.add_user("lim", commissioner_id=li_id)
    li = commissioner_store(tmp_path / "li", li_id, "李明")
    li_sync = connect(li, server.url, "lim")
    first = publish(
        bureau,
        Demand(title="柑橘裂果防治", description="裂果多", town="双水镇", target_name="双水镇福田柑橘场"),
    )
    second = publish(
        bureau, Demand(title="鳗鱼烂鳃病", description="烂鳃", town="双水镇", target_name="双水镇鸿运鳗鱼场")
    )
    bureau_sync.sync()
    wang_sync.sync()
    li_sync.sync()
    take_up(wang, first.id, wang.profile())
    take_up(wang, second.id, wang.profile())
    mine = take_up(li, first.id, li.profile())
    worked = take_up(li, second.id, li.profile())
    li.save(Solution(problem_id=worked.id, commissioner_id=li_id, description="换水消毒，投喂药饵"))
    assert wang_sync.sync().rejected == 0
    report = li_sync.sync()
    # Both take-ups, and both problems made for demands someone else had taken.
    assert report.rejected == 4
    said = [p.text("zh_CN") for p in report.problems]
    assert any("揭榜“柑橘裂果防治”未成功，因此建立的技术难题已撤回" in p for p in said), said
    assert any("揭榜“鳗鱼烂鳃病”未成功；因此建立的技术难题已有工作记录" in p for p in said), said
    assert li.get(TechnicalProblem, mine.id) is None
    kept = li.get(TechnicalProblem, worked.id)
    assert kept is not None and (kept.demand_id, kept.source) == (None, "target_request")
    assert li_sync.sync().rejected == 0
    live = {k for k, r in server.records().items() if not r["deleted"]}
    assert ("problems", mine.id) not in live and ("problems", worked.id) in live
    parties = [
        r["fields"]["name"]
        for k, r in server.records().items()
        if k[0] == "service_targets" and not r["deleted"]
    ]
    # 王芳's two parties; 李明's 福田柑橘场 withdrawn, his 鸿运鳗鱼场 kept with the problem he worked on.
    assert sorted(parties) == ["双水镇福田柑橘场", "双水镇鸿运鳗鱼场", "双水镇鸿运鳗鱼场"]


def test_a_problem_that_arrives_after_the_bureau_took_its_demand_back_is_withdrawn_there(server, tmp_path):
    """A third try: the take-up arrived without its problem, the bureau published the demand again
    (未收到难题), someone else took it up, and the first taker's problem came later: it stayed, citing
    a demand someone else held, and nobody was told."""
    from commissioner_app.demands import demand_progress, publish, reopen, take_up
    from tests.sync.fieldwork import commissioner_store, connect

    bureau, bureau_sync, wang, wang_sync, wang_id = bureau_and_commissioner(server, tmp_path)
    li_id = str(uuid.uuid4())
    server.add_user("lim", commissioner_id=li_id)
    li = commissioner_store(tmp_path / "li", li_id, "李明")
    li_sync = connect(li, server.url, "lim")
    demand = publish(bureau, Demand(title="番石榴枯萎病", description="成片枯死"))
    other = publish(bureau, Demand(title="番石榴炭疽病", description="果实病斑"))
    bureau_sync.sync()
    wang_sync.sync()
    li_sync.sync()
    late = take_up(wang, demand.id, wang.profile())
    worked = take_up(wang, other.id, wang.profile())
    wang.save(Solution(problem_id=worked.id, commissioner_id=wang_id, description="清园，喷施药剂"))
    # The take-ups go; their problems (held back here) do not.
    held = [late.id, worked.id]
    wang.db.execute(f"UPDATE problems SET is_draft = 1 WHERE id IN ({','.join('?' * len(held))})", held)
    wang_sync.sync()
    bureau_sync.sync()
    for row in demand_progress(bureau):
        assert row["problem_missing"] == 1, row["title"]
        reopen(bureau, row["id"])
    bureau_sync.sync()
    li_sync.sync()
    for row in demand_progress(bureau):
        take_up(li, row["id"], li.profile())
    assert li_sync.sync().rejected == 0
    wang.db.execute(f"UPDATE problems SET is_draft = 0 WHERE id IN ({','.join('?' * len(held))})", held)
    report = wang_sync.sync()
    said = [p.text("zh_CN") for p in report.problems]
    assert any("揭榜“番石榴枯萎病”未成功，因此建立的技术难题已撤回" in p for p in said), said
    assert any("揭榜“番石榴炭疽病”未成功；因此建立的技术难题已有工作记录" in p for p in said), said
    assert wang.get(TechnicalProblem, late.id) is None
    kept = wang.require(TechnicalProblem, worked.id)
    assert (kept.demand_id, kept.source) == (None, "target_request")
    again = wang_sync.sync()
    assert again.rejected == 0 and not again.problems
    live = {k: r for k, r in server.records().items() if not r["deleted"]}
    assert ("problems", late.id) not in live
    assert live[("problems", worked.id)]["fields"]["demand_id"] is None
    assert wang.status()["waiting_to_sync"] == 0
