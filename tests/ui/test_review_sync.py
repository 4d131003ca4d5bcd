"""The issue's proof: a commissioner and a manager, separate data directories, the real server on
loopback. The commissioner logs visits and syncs; the manager syncs, approves one and returns another
in the review view, syncs; the commissioner syncs and sees 已通过 and 已退回 with the opinion."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from commissioner_app.domain import Review, Visit
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server, running_server
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.models import STATE_ROLE
from ui.views.review import ReviewView
from ui.views.visits import VisitsView

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
        yield s


def test_manager_reviews_through_the_server_and_the_commissioner_sees_the_outcome(
    server, tmp_path, qtbot, qapp
):
    wang_id, lin_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("wangf", commissioner_id=wang_id, team="team-xinhui")
    server.add_user("linzz", role="manager", commissioner_id=lin_id, team="team-xinhui")

    # The commissioner logs two visits in the field and syncs.
    wang_store = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    wang_sync = connect(wang_store, server.url, "wangf")
    rng = random.Random(11)
    target = add_target(wang_store, rng)
    good = add_visit(wang_store, rng, target, "甲")
    thin = add_visit(wang_store, rng, target, "乙")
    wang_sync.sync()

    # The manager syncs and works through the review queue in the GUI.
    lin_store = commissioner_store(tmp_path / "lin", lin_id, "林站长")
    lin_sync = connect(lin_store, server.url, "linzz")
    lin_sync.sync()
    lin_ctx = AppContext(lin_store, language="zh_CN")
    try:
        review = ReviewView(lin_ctx)
        qtbot.addWidget(review)
        review.show()
        review.load()
        wait(lin_ctx)
        assert sorted(r["id"] for r in review.model.rows) == sorted([good.id, thin.id])
        review.select_ids([good.id])
        review.approve_button.click()
        wait(lin_ctx)
        review.select_ids([thin.id])
        review.opinion.setPlainText("缺少现场照片，请补充后再提交。")
        review.return_button.click()
        wait(lin_ctx)
        assert review.model.rows == []
        report = lin_sync.sync()
        assert (report.rejected, report.conflicts) == (
            0,
            0,
        ) and report.pushed >= 2  # the server took both reviews
        assert all(lin_store.row("reviews", r.id)["dirty"] == 0 for r in lin_store.all(Review))
    finally:
        lin_ctx.close()

    # The commissioner syncs and sees the outcome in their list of visits.
    wang_sync.sync()
    assert wang_store.require(Visit, good.id).review_status == "approved"
    returned = wang_store.require(Visit, thin.id)
    assert (returned.review_status, returned.review_opinion) == ("returned", "缺少现场照片，请补充后再提交。")
    wang_ctx = AppContext(wang_store, language="zh_CN")
    try:
        visits = VisitsView(wang_ctx)
        qtbot.addWidget(visits)
        visits.show()
        visits.load()
        wait(wang_ctx)
        model = visits.model
        state_column = next(i for i, c in enumerate(model.columns) if c.key == "state")
        shown = {}
        for row in range(model.rowCount()):
            index = model.index(row, state_column)
            shown[model.visit_id(row)] = (
                index.data(Qt.ItemDataRole.DisplayRole),
                index.data(STATE_ROLE),
                index.data(Qt.ItemDataRole.ToolTipRole),
            )
        assert shown[good.id][0] == "已通过"
        assert shown[thin.id][0] == "已退回"
        assert shown[thin.id][2] == "退回意见：缺少现场照片，请补充后再提交。"
    finally:
        wang_ctx.close()
