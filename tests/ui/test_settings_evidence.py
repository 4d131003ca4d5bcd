"""设置: the evidence cache limit (default 2 GB) and "keep full copies of my team's evidence"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commissioner_app.store import Store
from sync import evidence
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.views.settings import SettingsView


def test_the_evidence_settings_are_shown_and_saved(tmp_path: Path, qtbot: Any) -> None:
    store = Store.open(tmp_path / "data")
    ctx = AppContext(store, language="zh_CN")
    try:
        view = SettingsView(ctx)
        qtbot.addWidget(view)
        view.show()
        wait(ctx)
        assert view.cache_limit.value() == 2.0 and not view.keep_full.isChecked()
        assert "0 MB" in view.cache_limit.toolTip()
        view.keep_full.setChecked(True)
        wait(ctx)
        view.cache_limit.setValue(0.5)
        view.cache_limit.editingFinished.emit()
        wait(ctx)
        assert evidence.keep_team_full(store)
        assert evidence.cache_limit(store) == 512 * 1024**2
    finally:
        ctx.close()
