"""The GUI's translation catalog: one file per language, up to date with the code, every string
translated once, compiled by the build and only loaded by the application."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCalendarWidget, QToolButton

from ui import i18n, i18n_build

Message = tuple[str, str, str, str]  # context, source, translation, its type ("" when finished)


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found.append(
                (name, message.findtext("source") or "", translation.text or "", translation.get("type", ""))
            )
    return found


def lupdate_or_skip() -> list[str]:
    command = i18n_build.tool_command("pyside6-lupdate")
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pyside6-lupdate is missing in CI (it comes with PySide6-Essentials)")
        pytest.skip("pyside6-lupdate not found beside Python or on PATH (it comes with PySide6-Essentials)")
    return command


def test_one_catalog_per_language_and_no_python():
    files = sorted(p.name for p in i18n_build.TRANSLATIONS_DIR.iterdir() if p.suffix != ".qm")
    # The application's English, and the few of Qt's own Chinese texts that Qt's catalog lacks.
    assert files == ["app_en.ts", "qt_gaps_zh_CN.ts"]
    root = ET.parse(i18n_build.CATALOG).getroot()
    assert (root.get("language"), root.get("sourcelanguage")) == ("en", "zh_CN")


def test_every_message_is_translated():
    untranslated = [(c, s) for c, s, text, kind in messages(i18n_build.CATALOG) if not text.strip() or kind]
    assert not untranslated, f"translate these in Qt Linguist (ui/translations/app_en.ts): {untranslated}"


def test_every_chinese_phrase_has_exactly_one_english():
    english: dict[str, set[str]] = defaultdict(set)
    for _context, source, text, _kind in messages(i18n_build.CATALOG):
        english[source].add(text)
    several = {source: sorted(texts) for source, texts in english.items() if len(texts) > 1}
    assert not several


def test_lupdate_on_the_clean_tree_changes_nothing(tmp_path: Path):
    """The catalog is what `python3 dev.py lupdate` makes from the code: no string is missing or left over."""
    command = lupdate_or_skip()
    copy = tmp_path / "app_en.ts"
    shutil.copy(i18n_build.CATALOG, copy)
    subprocess.run([*command, *i18n_build.lupdate_arguments(copy)], check=True, capture_output=True)
    before, after = messages(i18n_build.CATALOG), messages(copy)
    added = sorted(set(after) - set(before))
    dropped = sorted(set(before) - set(after))
    assert not added and not dropped, (
        f"run python3 dev.py lupdate; new: {added}; no longer in the code: {dropped}"
    )
    assert copy.read_bytes() == i18n_build.CATALOG.read_bytes()


def test_the_build_compiles_the_catalog(tmp_path: Path):
    if i18n_build.lrelease_command() is None:
        pytest.skip("pyside6-lrelease not found (it comes with PySide6-Essentials)")
    shutil.copy(i18n_build.CATALOG, tmp_path / "app_en.ts")
    (tmp_path / "old_en.qm").write_bytes(b"a catalog that no longer exists")
    built = i18n_build.build(folder=tmp_path)
    assert built == [tmp_path / "app_en.qm"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app_en.qm", "app_en.ts"]


def test_the_application_never_compiles_and_runs_in_chinese_without_the_catalog(
    qapp, tmp_path: Path, monkeypatch, caplog
):
    shutil.copy(i18n_build.CATALOG, tmp_path / "app_en.ts")  # a source tree nobody built
    i18n.install("zh_CN")  # from Chinese, whatever language a test before left the application in
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    try:
        with caplog.at_level(logging.WARNING, logger="commissioner.ui.i18n"):
            assert i18n.install("en") == "zh_CN"
        assert "app_en.qm" in caplog.text
        assert sorted(p.name for p in tmp_path.iterdir()) == ["app_en.ts"]
        assert QCoreApplication.translate("MainWindow", "服务记录") == "服务记录"
    finally:
        monkeypatch.undo()
        i18n.install("zh_CN")


def test_the_built_catalog_is_loaded_in_english(qapp):
    if not (i18n.TRANSLATIONS_DIR / i18n.APP_CATALOG).exists():
        pytest.fail("ui/translations/app_en.qm is missing: python3 dev.py setup compiles it")
    try:
        assert i18n.install("en") == "en"
        assert QCoreApplication.translate("SyncView", "立即同步（F5）") == "Sync now (F5)"
        assert QCoreApplication.translate("VisitTableModel", "服务对象") == "Service target"
    finally:
        i18n.install("zh_CN")


def _month_button(calendar: QCalendarWidget) -> str:
    button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert button is not None
    return button.text()


def test_qt_own_words_and_calendars_follow_the_language(qapp):
    """Calendars, file dialogs and standard buttons are Chinese when the application is."""
    try:
        i18n.install("zh_CN")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
        calendar = QCalendarWidget()
        calendar.setCurrentPage(2026, 12)
        assert _month_button(calendar) == "十二月"
        i18n.install("en")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        english = QCalendarWidget()
        english.setCurrentPage(2026, 12)
        assert _month_button(english) == "December"
    finally:
        i18n.install("zh_CN")


def test_the_file_dialog_speaks_chinese_whole(qapp):
    """Qt's own Chinese catalog lacks a few texts of this Qt's file dialog (its 保存为 PDF… and
    导出… dialogs showed "Look in:" beside 文件名称): the application's supplement has them."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    i18n.install("zh_CN")
    dialog = QFileDialog(None, "保存为 PDF", "", "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    try:
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert labels and not [text for text in labels if re.search("[A-Za-z]{3}", text)], labels
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    finally:
        dialog.deleteLater()
