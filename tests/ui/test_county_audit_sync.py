"""Through the real server (SQLite and PostgreSQL): a county bureau (县科技局) syncs only its county's
records and reviews one in the GUI; the bureau publishes the year's results; the audit screen shows
the review decision and the publication (the county's screen only its own); a visit's history dialog
shows the field its commissioner changed, from what to what."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from commissioner_app.domain import Visit
from commissioner_app.ops.assessment import publish_results
from commissioner_app.store import Store
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server, fresh_postgres_database, running_server
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.views.assessment_run import AssessmentRunView
from ui.views.audit import AuditView
from ui.views.city import CityView
from ui.views.history import RecordHistoryDialog
from ui.views.review import ReviewView
from ui.views.visits import VisitsView

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    if request.param == "sqlite":
        with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
            yield s
    else:
        with fresh_postgres_database() as url, running_server(url, tmp_path) as s:
            yield s


def wait_for(ctx: AppContext, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    import time

    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        wait(ctx)
        QApplication.processEvents()
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_county_review_audit_screen_and_record_history(server: Server, tmp_path: Path, qtbot, qapp) -> None:
    wang_id, li_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("wangf", commissioner_id=wang_id, team="team-xinhui", county="新会区")
    server.add_user("lis", commissioner_id=li_id, team="team-taishan", county="台山市")
    server.add_user("xinhui", role="county", county="新会区")
    server.add_user("taishan", role="county", county="台山市")
    server.add_user("boss", role="bureau")

    rng = random.Random(5)
    wang = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    wang_sync = connect(wang, server.url, "wangf")
    target = add_target(wang, rng)
    first = add_visit(wang, rng, target, "甲")
    second = add_visit(wang, rng, target, "乙")
    wang_sync.sync()
    li = commissioner_store(tmp_path / "li", li_id, "李四")
    li_sync = connect(li, server.url, "lis")
    theirs = add_visit(li, rng, add_target(li, rng), "丙")
    li_sync.sync()
    # The commissioner changes a field after the first sync: the history shows it.
    edited = wang.require(Visit, second.id)
    edited.content = "改为：指导柑橘黄龙病防控"
    wang.save(edited)
    wang_sync.sync()

    # The county bureau sees its county only, and reviews one of its visits in the GUI.
    county = Store.open(tmp_path / "xinhui")
    county_sync = connect(county, server.url, "xinhui")
    county_sync.sync()
    seen = {v.id for v in county.all(Visit)}
    assert {first.id, second.id} <= seen and theirs.id not in seen
    ctx = AppContext(county, language="zh_CN")
    try:
        review = ReviewView(ctx)
        qtbot.addWidget(review)
        review.show()
        review.load()
        wait(ctx)
        assert sorted(r["id"] for r in review.model.rows) == sorted([first.id, second.id])
        review.select_ids([first.id])
        review.opinion.setPlainText("请补充现场照片")
        review.return_button.click()
        wait(ctx)
        report = county_sync.sync()
        assert (report.rejected, report.conflicts) == (0, 0) and report.pushed >= 1

        # The history of the edited visit, opened from the review pane.
        review.select_ids([second.id])
        dialog = review.show_history()
        assert dialog is not None
        wait_for(ctx, lambda: dialog.changes is not None, "the history")
        assert dialog.changes is not None
        assert (dialog.changes[-1].rev, dialog.changes[-1].label.zh) == (1, "（新建记录）")
        change = next(c for c in dialog.changes if c.field == "content" and c.rev > 1)
        assert (change.before, change.after) == ("指导水稻病虫害绿色防控 乙", "改为：指导柑橘黄龙病防控")
        assert change.username == "wangf" and change.rev == 2
        assert "改为：指导柑橘黄龙病防控" in [
            dialog.table.model().index(r, 5).data() for r in range(dialog.table.model().rowCount())
        ]
        dialog.close()
        # The same from the visit list's context menu.
        visits = VisitsView(ctx)
        qtbot.addWidget(visits)
        visits.show()
        visits.load()
        wait_for(ctx, lambda: visits.model.rowCount() > 0, "the visit list")
        menu = visits.context_menu(0)
        assert menu is not None and "修改历史…" in [a.text() for a in menu.actions()]
        from_list = visits.show_history(second.id)
        assert isinstance(from_list, RecordHistoryDialog)
        wait_for(ctx, lambda: from_list.changes is not None, "the history from the list")
        assert from_list.changes == dialog.changes
        from_list.close()

        # Its overview and its assessment are the city's, titled with its county; it does not publish.
        city = CityView(ctx)
        qtbot.addWidget(city)
        run = AssessmentRunView(ctx)
        qtbot.addWidget(run)
        assert city.title.text() == "新会区概况" and run.title.text() == "新会区年度考核"
        assert run.publish_button.isHidden() and not run.export_button.isHidden()
        run.load()
        wait_for(ctx, lambda: run.assessment is not None, "the county's assessment")
        assert run.assessment is not None
        assert {m.commissioner_id for m in run.assessment.members} == {wang_id}  # not 李四

        # The county's audit screen: its own decision.
        audit = AuditView(ctx)
        qtbot.addWidget(audit)
        audit.show()
        audit.load()
        wait_for(ctx, lambda: audit.has_loaded, "the county's audit trail")
        assert [(e.action, e.actor, e.subject) for e in audit.entries] == [
            ("review.decide", "xinhui", f"visits/{first.id}")
        ]
    finally:
        ctx.close()

    # The bureau publishes the year's results; its audit screen shows both acts, and exports them.
    boss = Store.open(tmp_path / "boss")
    boss_sync = connect(boss, server.url, "boss")
    boss_sync.sync()
    year = first.visit_date.year if first.visit_date else date.today().year
    assert publish_results(boss, year, "boss").value >= 1
    assert boss_sync.sync().rejected == 0
    boss_ctx = AppContext(boss, language="zh_CN")
    try:
        audit = AuditView(boss_ctx)
        qtbot.addWidget(audit)
        audit.show()
        audit.load()
        wait_for(boss_ctx, lambda: audit.has_loaded, "the bureau's audit trail")
        actions = {e.action for e in audit.entries}
        assert {"review.decide", "assessment.publish"} <= actions
        shown = [audit.table.model().index(r, 2).data() for r in range(audit.table.model().rowCount())]
        assert "审核决定" in shown and "发布考核结果" in shown
        review_row = next(i for i, e in enumerate(audit.entries) if e.action == "review.decide")
        assert "请补充现场照片" in audit.table.model().index(review_row, 4).data()

        # Filtered to the county bureau's acts, then exported.
        audit.actor.setText("xinhui")
        audit.search_button.click()
        wait_for(boss_ctx, lambda: {e.actor for e in audit.entries} == {"xinhui"}, "the filtered trail")
        out = tmp_path / "audit.csv"
        audit.export(out)
        wait_for(boss_ctx, lambda: out.exists(), "the export")
        text = out.read_text(encoding="utf-8-sig")
        assert "xinhui" in text and "请补充现场照片" in text and "boss" not in text.split("\n", 1)[1]
    finally:
        boss_ctx.close()

    # The other county's bureau sees none of it.
    other = Store.open(tmp_path / "taishan")
    connect(other, server.url, "taishan").sync()
    assert first.id not in {v.id for v in other.all(Visit)}
    other_ctx = AppContext(other, language="zh_CN")
    try:
        audit = AuditView(other_ctx)
        qtbot.addWidget(audit)
        audit.load()
        wait_for(other_ctx, lambda: audit.has_loaded, "the other county's trail")
        assert all(e.county == "台山市" for e in audit.entries)
        assert "review.decide" not in {e.action for e in audit.entries}
    finally:
        other_ctx.close()
