"""The editors in English and back, live."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from commissioner_app import i18n
from tests.ui.editor_support import EditorContext, close_windows, save_and_wait
from ui.editors import open_target_dialog, open_visit_editor
from ui.i18n_build import CATALOG


@pytest.fixture
def english(tmp_path):
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    qm = tmp_path / "app_en.qm"
    subprocess.run([lrelease, str(CATALOG), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))

    def switch(on: bool) -> None:
        if on:
            QCoreApplication.installTranslator(translator)
            i18n.set_language("en")
        else:
            QCoreApplication.removeTranslator(translator)
            i18n.set_language("zh_CN")
        QCoreApplication.processEvents()

    yield switch
    switch(False)
    close_windows()


def test_switching_to_english_and_back_without_reopening(qtbot, store, english):
    context = EditorContext(store)
    editor = open_visit_editor(None, context, None)
    assert editor.tabs.tabText(0) == "基本信息"
    editor.region.set_region("新会区", "", "")
    editor.industry.set_value("陈皮")
    editor._dirty = False
    english(True)
    assert editor.region.county.currentText() == "Xinhui"
    assert editor.industry.currentText().startswith("Dried tangerine peel")
    assert editor.region.region()[0] == "新会区" and editor.industry.value() == "陈皮"  # records keep Chinese
    assert not editor.has_unsaved_changes()  # a language switch is not an edit
    assert editor.tabs.tabText(0) == "Basics"
    assert editor.windowTitle() == "New visit"
    assert editor.service_type_boxes["guidance"].text() != "技术指导"  # the core's labels follow too
    assert not save_and_wait(editor)
    assert editor.boxes["target_id"].error.text() == "is required"
    dialog = open_target_dialog(None, context, None)
    dialog.credit_code.setText("123")
    assert "18 characters" in dialog.credit_status.text()
    english(False)
    assert editor.tabs.tabText(0) == "基本信息"
    assert dialog.labels["credit_code"].text() == "统一社会信用代码"
