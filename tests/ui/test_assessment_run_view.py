"""The bureau's annual assessment run: everyone's scores and grades as the core computes them, the
grade distribution, the Excel table and the annual records batch."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from commissioner_app.assessment import Period, assess
from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext
from ui.views.assessment_run import AssessmentRunView


@pytest.fixture
def run_context(tmp_path, qapp):
    store = Store.open(tmp_path / "bureau")
    generate_demo(store, visits=300, seed=5, commissioners=25)
    log_in_as(store, "bureau", None)
    ctx = AppContext(store, language="zh_CN")
    yield ctx
    ctx.close()


def year_of(store: Store) -> int:
    return int(
        store.db.execute(
            "SELECT substr(visit_date, 1, 4) y FROM visits GROUP BY y ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )


def open_view(ctx: AppContext, qtbot) -> AssessmentRunView:
    view = AssessmentRunView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.set_year(year_of(ctx.store))
    view.load()
    wait(ctx)
    return view


def test_scores_and_distribution_equal_the_core(run_context, qtbot):
    view = open_view(run_context, qtbot)
    core = assess(run_context.store, period=Period.year(view.chosen_year))
    model = view.table.model()
    assert model.keys == [m.commissioner_id for m in core.members]
    assert [model.rows[i][7] for i in range(len(core.members))] == [round(m.total, 1) for m in core.members]
    assert [model.rows[i][8] for i in range(len(core.members))] == [
        m.grade_label.text("zh_CN") for m in core.members
    ]
    counts = core.grade_counts()
    assert view.chart.values == [counts.get(g, 0) for g in ("excellent", "good", "pass", "fail")]
    assert f"参评 {len(core.members)} 人" in view.summary.text()
    assert any(n.text("zh_CN") in view.summary.text() for n in core.notes)  # the 优秀 cap note


def test_export_and_batch(run_context, qtbot, tmp_path):
    view = open_view(run_context, qtbot)
    out = tmp_path / "考核.xlsx"
    view.export(out)
    wait(run_context)
    assert "已导出" in view.message.text()
    names = load_workbook(out, read_only=True).sheetnames
    assert len(names) >= 2
    folder = tmp_path / "pdf"
    folder.mkdir()
    run = view.start_batch(folder)
    assert run is not None and view.batch_panel.cancel_button.isVisibleTo(view)
    qtbot.waitUntil(lambda: view.batch is None, timeout=120000)
    written = list(folder.glob("*.pdf"))
    assert len(written) == len(view.assessment.members)
    assert f"已生成 {len(written)} 份" in view.message.text()


def test_the_bureau_publishes_the_official_results(run_context, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    view = open_view(run_context, qtbot)
    assert "预估结果，尚未发布" in view.summary.text()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    view.publish_button.click()
    assert asked and "正式考核结果" in asked[0]
    assert run_context.store.db.execute("SELECT count(*) FROM assessment_results").fetchone()[0] == 0
    # The question says how many of the year's records still wait for review (they would not count).
    year = year_of(run_context.store)
    waiting = run_context.store.db.execute(
        "SELECT count(*) FROM visits WHERE review_status = 'pending' AND deleted = 0 AND is_draft = 0 "
        "AND substr(visit_date, 1, 4) = ?",
        [str(year)],
    ).fetchone()[0]
    assert waiting > 0
    assert f"还有 {waiting:,} 条服务记录待审核" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.publish_button.click()
    qtbot.waitUntil(lambda: "已发布" in view.message.text(), timeout=20000)
    stored = run_context.store.db.execute(
        "SELECT count(*), min(dirty) FROM assessment_results WHERE year = ?", [year]
    ).fetchone()
    assert stored == (len(view.assessment.members), 1)  # waiting to sync
    qtbot.waitUntil(lambda: "正式结果" in view.summary.text(), timeout=20000)


def test_a_table_saved_under_a_name_without_its_extension_gets_xlsx(
    run_context, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    view = open_view(run_context, qtbot)
    typed = tmp_path / "年度考核"  # what a person types in the save dialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(typed), "")))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    wait(run_context)
    saved = tmp_path / "年度考核.xlsx"
    assert "已导出" in view.message.text() and not typed.exists()
    assert len(load_workbook(saved, read_only=True).sheetnames) >= 2


def test_in_english_the_counties_are_named_in_english(run_context, qtbot):
    """A cold try: in English the assessment run listed 新会区 where the city view's Counties tab
    said Xinhui."""
    from ui import i18n

    view = open_view(run_context, qtbot)
    view.message.setText("已生成 8 份年度服务记录")
    i18n.install("en")
    run_context.language = "en"
    try:
        qtbot.waitUntil(lambda: view.message.text() == "", timeout=2000)  # gone, not left in Chinese
        view = open_view(run_context, qtbot)
        counties = {view.table.model().rows[i][3] for i in range(len(view.table.model().rows))}
        assert counties and all(c.isascii() for c in counties), counties
    finally:
        i18n.install("zh_CN")
        run_context.language = "zh_CN"
