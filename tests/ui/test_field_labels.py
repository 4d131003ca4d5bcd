"""A visit's counters and benefit are called the same in the editor, the list, the exports and the
documents: their label and unit are defined once, on the fields of the domain dataclass."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from commissioner_app import i18n as core_i18n
from commissioner_app.domain import VISIT_COUNTERS, Solution, Visit, field_label, labelled_fields
from commissioner_app.exports import export_xlsx
from commissioner_app.reports.visit_sheet import visit_sheet
from tests.commissioner_app.report_data import YEAR, ReportData, make_report_data, need_poppler
from tests.ui.editor_support import EditorContext, close_windows
from ui.context import AppContext
from ui.editors import open_visit_editor
from ui.i18n_build import CATALOG
from ui.models import VisitTableModel

REPO = Path(__file__).resolve().parents[2]
CODE = [p for folder in ("commissioner_app", "ui", "sync") for p in (REPO / folder).rglob("*.py")]
LABELLED = labelled_fields(Visit)
BENEFIT = field_label(Visit, "economic_benefit")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ReportData:
    d = make_report_data(tmp_path_factory.mktemp("labels"))
    yield d
    d.store.close()


def literal_count(text: str) -> int:
    quoted = re.compile(r"""["']""" + re.escape(text) + r"""["']""")
    return sum(len(quoted.findall(p.read_text(encoding="utf-8"))) for p in CODE)


def test_each_label_is_written_once_in_the_code():
    assert list(VISIT_COUNTERS) == [
        "training_sessions",
        "people_trained",
        "techniques_promoted",
        "varieties_introduced",
        "demo_bases",
        "demo_households",
        "jobs_created",
    ]
    assert [f.name for f in LABELLED] == [*VISIT_COUNTERS, "economic_benefit"]
    for f in LABELLED:
        label = field_label(Visit, f.name)
        for text in (label.name.zh, label.name.en):
            assert literal_count(text) == 1, f"{f.name}: {text!r} is written more than once"
        if label.unit is not None:
            assert literal_count(label.heading.zh) == 0, f"{f.name}: {label.heading.zh!r} is written out"
    # The GUI does not translate them itself: no message of the catalog is a field's label.
    catalog = CATALOG.read_text(encoding="utf-8")
    for f in LABELLED:
        assert f"<source>{field_label(Visit, f.name).heading.zh}</source>" not in catalog
    assert field_label(Solution, "economic_benefit") == BENEFIT  # the same fact on a solution


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_editor_list_export_and_visit_sheet_show_the_same_labels(data, qtbot, store, tmp_path, language):
    expected = {name: label.text(language) for name, label in VISIT_COUNTERS.items()}
    expected["economic_benefit"] = BENEFIT.heading.text(language)
    context = EditorContext(store)  # (an application context starts in Chinese)
    core_i18n.set_language(language)
    try:
        # the editor
        editor = open_visit_editor(None, context, None)
        assert {name: editor.labels[name].text() for name in expected} == expected
        # the exports
        out = tmp_path / "export.xlsx"
        export_xlsx(data.store, YEAR, out)
        header = [c.value for c in load_workbook(out, read_only=True).worksheets[0][1]]
        for text in expected.values():
            assert text in header
        # the visit sheet (a document)
        sheet = tmp_path / "sheet.pdf"
        visit_sheet(data.store, data.photo_visit, sheet)
        exe = need_poppler("pdftotext")
        # -raw: in drawing order, so a label wrapped in its cell reads whole once the breaks go
        raw = subprocess.run(
            [exe, "-raw", str(sheet), "-"], capture_output=True, text=True, check=True
        ).stdout
        printed = re.sub(r"\s+", "", raw)
        for text in expected.values():
            assert re.sub(r"\s+", "", text) in printed, text
    finally:
        core_i18n.set_language("zh_CN")
        close_windows()


def test_the_visit_list_heads_its_columns_with_the_same_labels(store, qapp):
    context = AppContext(store, language="zh_CN")
    try:
        model = VisitTableModel(context)
        headers = [
            model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            for i in range(model.columnCount())
        ]
        assert field_label(Visit, "people_trained").heading.zh in headers
        assert BENEFIT.compact.zh in headers
        context.set_language("en")
        headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
        assert "People trained" in headers and BENEFIT.compact.en in headers
    finally:
        context.set_language("zh_CN")
        context.close()
