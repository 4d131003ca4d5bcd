"""Backup and restore from the settings view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from commissioner_app.backup import make_backup
from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from ui import backup_panel, i18n_build
from ui.backup_panel import BackupPanel
from ui.context import AppContext


class Dialogs:
    """Stands in for the modal dialogs: records what was shown, answers as told."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Yes):
        self.shown: list[tuple[str, str, str]] = []
        self.exits: list[int] = []
        for kind in ("information", "warning"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

        def question(parent, title, text, *args):
            self.shown.append(("question", title, text))
            return answer

        monkeypatch.setattr(QMessageBox, "question", question)
        monkeypatch.setattr(backup_panel.QCoreApplication, "exit", lambda code=0: self.exits.append(code))

    def _recorder(self, kind):
        def show(parent, title, text, *args):
            self.shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show


def _context(data_dir: Path, visits: int, seed: int) -> AppContext:
    store = Store.open(data_dir)
    generate_demo(store, visits=visits, seed=seed)
    return AppContext(store, language="zh_CN")


@pytest.fixture
def context(tmp_path: Path):
    ctx = _context(tmp_path / "data", visits=5, seed=1)
    yield ctx
    ctx.close()


def test_back_up_to_a_chosen_file(qtbot, context: AppContext, tmp_path: Path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    out = tmp_path / "备份.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    panel.backup_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=10000)
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("information", "备份完成")
    assert str(out) in text
    assert out.exists() and panel.backup_button.isEnabled()


def test_restore_asks_then_replaces_the_data_and_quits(qtbot, tmp_path: Path, monkeypatch):
    other = Store.open(tmp_path / "other")
    generate_demo(other, visits=12, seed=7)
    other.close()
    archive = make_backup(tmp_path / "other", tmp_path / "b.zip").path
    context = _context(tmp_path / "data", visits=5, seed=1)
    dialogs = Dialogs(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.exits), timeout=10000)
    assert [kind for kind, _t, _x in dialogs.shown] == ["question", "information"]
    assert "12 条服务记录" in dialogs.shown[0][2]
    assert "原有数据已保留在" in dialogs.shown[1][2]
    restored = Store.open(tmp_path / "data")
    assert restored.count_visits() == 12
    restored.close()
    assert list((tmp_path / "data" / "backups").glob("before-restore-*/commissioner.db"))
    context.close()


def test_a_damaged_file_is_refused_before_anything_closes(
    qtbot, context: AppContext, tmp_path: Path, monkeypatch
):
    dialogs = Dialogs(monkeypatch)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(damaged), ""))
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=10000)
    kind, _title, text = dialogs.shown[0]
    assert kind == "warning" and "已损坏" in text
    assert dialogs.exits == []
    assert context.store.count_visits() == 5  # the store is still open and unchanged


def test_declining_changes_nothing(qtbot, context: AppContext, tmp_path: Path, monkeypatch):
    archive = make_backup(context.data_dir, tmp_path / "b.zip").path
    dialogs = Dialogs(monkeypatch, answer=QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=10000)
    assert [kind for kind, _t, _x in dialogs.shown] == ["question"]
    assert dialogs.exits == [] and not (context.data_dir / "backups").exists()


def test_the_panel_speaks_english(qtbot, context: AppContext):
    i18n_build.build(only_stale=True)
    panel = BackupPanel(context)
    qtbot.addWidget(panel)
    context.set_language("en")
    try:
        assert panel.backup_button.text() == "Back up to a file…"
        assert panel.title() == "Backup and restore"
        assert "commissioner.log" in panel.log_label.text() and "Log file" in panel.log_label.text()
    finally:
        context.set_language("zh_CN")
