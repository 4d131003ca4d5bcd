"""设置: the evidence cache limit (default 2 GB) and "keep full copies of my team's evidence"; the
attachment list of someone else's record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.store import Store
from sync import evidence
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.views.settings import SettingsView


@pytest.fixture
def settings(tmp_path: Path, qtbot: Any) -> Iterator[tuple[SettingsView, Store, AppContext]]:
    """The settings page of a fresh data folder, shown."""
    store = Store.open(tmp_path / "data")
    ctx = AppContext(store, language="zh_CN")
    try:
        view = SettingsView(ctx)
        qtbot.addWidget(view)
        view.show()
        wait(ctx)
        yield view, store, ctx
    finally:
        ctx.close()


def test_the_evidence_settings_are_shown_and_saved(settings: Any) -> None:
    view, store, ctx = settings
    assert view.cache_limit.value() == 2.0 and not view.keep_full.isChecked()
    assert "0 MB" in view.cache_limit.toolTip()
    view.keep_full.setChecked(True)
    wait(ctx)
    view.cache_limit.setValue(0.5)
    view.cache_limit.editingFinished.emit()
    wait(ctx)
    assert evidence.keep_team_full(store)
    assert evidence.cache_limit(store) == 512 * 1024**2


def test_the_attachment_list_marks_others_files_not_downloaded_and_survives_a_bad_hash(
    tmp_path: Path, qtbot: Any
) -> None:
    from commissioner_app.domain import Attachment
    from ui.editors.visit_editor import AttachmentsWidget  # (ui.editors first: its import order)

    store = Store.open(tmp_path / "data")
    ctx = AppContext(store, language="zh_CN")
    try:
        panel = AttachmentsWidget(ctx.reader, "visits", "v-1")
        qtbot.addWidget(panel)
        items = [
            Attachment(sha256="ab" * 32, owner_table="visits", owner_id="v-1", original_name="a.jpg"),
            Attachment(sha256="not-a-hash", owner_table="visits", owner_id="v-1", original_name="b.jpg"),
        ]
        panel.load(items)  # not logged in: the previews cannot come, quietly
        wait(ctx)
        assert "尚未下载" in panel.list.item(0).text() and "尚未下载" not in panel.list.item(1).text()
    finally:
        ctx.close()


def test_a_bureau_account_is_offered_no_commissioner_profile(settings: Any) -> None:
    """A cold try: the city bureau's operator filled in 修改个人资料… with their own name; the profile
    synced, and the annual assessment counted them as the city's ninth commissioner, failed."""
    from tests.ui.manager_support import log_in_as

    view, store, _ctx = settings
    assert view.profile_button.isVisible()  # no login yet: a commissioner's laptop
    for role in ("bureau", "county"):
        log_in_as(store, role, None)
        view.load()
        assert not view.profile_button.isVisible(), role
        assert "没有科技特派员个人资料" in view.profile.text()
    log_in_as(store, "commissioner", None)
    view.load()
    assert view.profile_button.isVisible() and view.profile.text() == "尚未填写"


def test_editing_ones_profile_keeps_what_the_form_does_not_show(tmp_path: Path, qtbot: Any) -> None:
    """The profile form built a new record from its fields: the gender and county the bureau's
    roster gave the profile were dropped at the first edit (and the push took them off the server's
    copy too)."""
    from commissioner_app.domain import Commissioner
    from ui.profile import ProfileDialog

    store = Store.open(tmp_path / "data")
    mine = Commissioner(
        name="王五", sending_unit="五邑大学", gender="男", county="台山市", username="13800000021"
    )
    store.save_profile(mine)
    ctx = AppContext(store, language="zh_CN")
    try:
        dialog = ProfileDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.phone.setText("13800000021")
        edited = dialog.commissioner()
        assert (edited.id, edited.gender, edited.county, edited.username) == (
            mine.id,
            "男",
            "台山市",
            "13800000021",
        )
        assert edited.phone == "13800000021"
    finally:
        ctx.close()
