"""The bureau's city view shows the core's figures and drills down from a county to a town's visits."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from commissioner_app.activity import city_overview, town_breakdown
from commissioner_app.demo import generate_demo
from commissioner_app.store import Store, VisitQuery
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext
from ui.views.city import CityView


@pytest.fixture
def bureau_store(tmp_path) -> Store:
    store = Store.open(tmp_path / "bureau")
    generate_demo(store, visits=400, seed=7, commissioners=12)
    log_in_as(store, "bureau", None)
    yield store
    store.close()


@pytest.fixture
def bureau_context(bureau_store: Store, qapp):
    ctx = AppContext(bureau_store, language="zh_CN")
    yield ctx
    ctx.set_language("zh_CN")
    ctx.close()


def column(table, c: int) -> list[str]:
    model = table.model()
    return [str(model.index(r, c).data()) for r in range(model.rowCount())]


def busiest_year(store) -> int:
    return int(
        store.db.execute(
            "SELECT substr(visit_date, 1, 4) y FROM visits GROUP BY y ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )


def open_city(ctx, qtbot, year: int) -> CityView:
    view = CityView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 720)
    view.show()
    view.set_year(year)
    view.load()
    wait(ctx)
    return view


def test_city_figures_equal_the_core(bureau_context, bureau_store, qtbot):
    year = busiest_year(bureau_store)
    view = open_city(bureau_context, qtbot, year)
    core = city_overview(bureau_store, date(year, 1, 1), date(year, 12, 31))
    assert core["visits"] > 0
    assert view.active_card.figure.text() == f"{core['active_commissioners']:,}"
    assert view.solved_card.figure.text() == f"{core['problems_solved']:,}"
    assert view.visits_card.figure.text() == f"{core['visits']:,}"
    assert view.active_card.bar.maximum() == 1000  # the plan's target from the year's rules
    active = view.figures.overview["active_commissioners"]
    assert view.active_card.bar.format() == f"{active / 1000:.1%}" != "0%"  # 8 of 1,000: 0.8 %, as in the PDF
    assert column(view.county_table, 0) == [c["county"] for c in core["by_county"]]
    assert [int(v) for v in column(view.county_table, 1)] == [c["visits"] for c in core["by_county"]]
    assert view.county_chart.values == [c["visits"] for c in core["by_county"]]
    assert {
        k: int(v) for k, v in zip(column(view.industry_table, 0), column(view.industry_table, 1), strict=True)
    } == {i["industry"]: i["visits"] for i in core["by_industry"]}
    assert sum(int(v) for v in column(view.type_table, 1)) == sum(n for _c, n in core["by_service_type"])
    # Every commissioner with score and grade.
    people = bureau_store.db.execute("SELECT count(*) FROM commissioners WHERE deleted = 0").fetchone()[0]
    assert view.people_table.model().rowCount() == people
    assert set(column(view.people_table, 6)) <= {"优秀", "良好", "合格", "不合格"}
    # In the assessment's order, by score, with no arrow on 姓名 saying otherwise (a cold try);
    # a click on a heading sorts by it.
    assert column(view.people_table, 0) == [m.name for m in view.members or []]
    assert view.people_table.horizontalHeader().sortIndicatorSection() == -1
    view.people_table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    scores = [float(v) for v in column(view.people_table, 5)]
    assert scores == sorted(scores, reverse=True)
    # The counties compared: each county's average score and 优秀 beside its activity.
    from commissioner_app.ops.city import county_scores

    scores = county_scores(view.members or [])
    for county, average, excellent in zip(
        column(view.county_table, 0), column(view.county_table, 5), column(view.county_table, 6), strict=True
    ):
        if county in scores:
            assert float(average) == scores[county]["average"]
            assert int(excellent) == scores[county]["excellent"]
    assert any(c in scores for c in column(view.county_table, 0))


def test_drill_down_reaches_the_towns_visits(bureau_context, bureau_store, qtbot):
    year = busiest_year(bureau_store)
    view = open_city(bureau_context, qtbot, year)
    county = column(view.county_table, 0)[0]
    view.county_table.selectRow(0)
    wait(bureau_context)
    towns = town_breakdown(bureau_store, county, date(year, 1, 1), date(year, 12, 31))
    assert column(view.town_table, 0) == [t["town"] for t in towns]
    view.town_table.selectRow(0)
    wait(bureau_context)
    town = towns[0]["town"]
    q = VisitQuery(county=county, town=town, date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    expected = [r["id"] for r in bureau_store.list_visits(q, limit=500)]
    shown = view.visits_table.model().keys
    assert shown == expected and len(shown) == towns[0]["visits"]
    assert f"{len(expected):,} 条服务记录" in view.visits_label.text()


def pdf_text(path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_bureau_saves_the_city_summary_pdf_of_the_chosen_year(
    bureau_context, bureau_store, qtbot, tmp_path
):
    """The bureau printed the city summary only from the command line; the city view had no button."""
    year = busiest_year(bureau_store)
    view = open_city(bureau_context, qtbot, year)
    assert view.pdf_button.text() == "全市汇总 PDF…" and view.pdf_button.isEnabled()
    out = tmp_path / "全市汇总"
    view.save_summary(str(out))  # the name as typed, without .pdf
    wait(bureau_context)
    saved = tmp_path / "全市汇总.pdf"
    assert saved.exists() and "全市汇总已保存" in view.message.text() and str(saved) in view.message.text()
    assert view.pdf_button.isEnabled()
    text = pdf_text(saved)
    assert f"{year}年度全市科技特派员工作汇总" in text
    first_county = column(view.county_table, 0)[0]
    assert first_county in text  # the counties' table, as on the screen
    assert bureau_context.setting("city", "folder", "", str) == str(tmp_path)  # the next dialog opens here


def test_a_county_bureau_summary_is_titled_with_its_county(bureau_context, bureau_store, qtbot, tmp_path):
    import json

    from commissioner_app.assessment import Period, assess

    user = json.loads(bureau_store.get_meta_value("sync_user"))
    bureau_store.set_meta("sync_user", json.dumps({**user, "role": "county", "county": "新会区"}))
    # A county bureau's store: its county's records only. One who serves there belongs to no team
    # (their account names the county): the summary counted members by their team's county, and
    # left such a commissioner out with all their visits (服务次数 0 while the screen showed 17).
    year = busiest_year(bureau_store)
    db = bureau_store.db
    db.execute(
        "DELETE FROM solutions WHERE problem_id IN (SELECT p.id FROM problems p "
        "JOIN visits v ON v.id = p.visit_id WHERE v.county != '新会区')"
    )
    db.execute("DELETE FROM problems WHERE visit_id IN (SELECT id FROM visits WHERE county != '新会区')")
    db.execute("DELETE FROM visits WHERE county != '新会区'")
    loner = db.execute(
        "SELECT c.id, c.name FROM commissioners c JOIN visits v ON v.commissioner_id = c.id "
        "WHERE v.visit_date LIKE ? GROUP BY c.id ORDER BY count(*) DESC LIMIT 1",
        [f"{year}%"],
    ).fetchone()
    db.execute("UPDATE commissioners SET team_id = NULL, workstation_id = NULL WHERE id = ?", [loner[0]])
    view = open_city(bureau_context, qtbot, year)
    assert view.pdf_button.text() == "新会区汇总 PDF…"
    out = tmp_path / "county.pdf"
    view.save_summary(str(out))
    wait(bureau_context)
    text = pdf_text(out)
    assert f"{year}年度新会区科技特派员工作汇总" in text and "全市" not in text
    counted = assess(bureau_store, period=Period.year(year))
    import re

    shown = re.search(r"服务次数\s+([\d,]+)", text)
    assert counted.totals.visits > 0 and shown is not None and shown.group(1) == f"{counted.totals.visits:,}"
    assert any(m.name == loner[1] and m.figures.visits for m in counted.members)  # counted, with visits
    assert f"参评科技特派员 {len(counted.members)} 人" in text


def test_a_failed_city_summary_says_why_and_the_button_comes_back(
    bureau_context, bureau_store, qtbot, tmp_path, monkeypatch
):
    import ui.tasks

    shown = []
    monkeypatch.setattr(ui.tasks, "show_error", lambda parent, error: shown.append(error))
    view = open_city(bureau_context, qtbot, busiest_year(bureau_store))
    view.save_summary(str(tmp_path / "no such folder" / "x.pdf"))
    wait(bureau_context)
    assert shown and view.pdf_button.isEnabled()


def test_the_button_asks_where_suggesting_the_years_name_in_the_last_folder(
    bureau_context, bureau_store, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    year = busiest_year(bureau_store)
    bureau_context.set_setting("city", "folder", str(tmp_path))
    asked = []

    def answer(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / "chosen.pdf"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    view = open_city(bureau_context, qtbot, year)
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    wait(bureau_context)
    assert asked == [str(tmp_path / f"{year}年度全市科技特派员工作汇总.pdf")]
    assert (tmp_path / "chosen.pdf").exists()


def test_each_card_says_how_much_of_it_the_assessment_counts(bureau_context, bureau_store, qtbot):
    """The cards showed every submitted record with only a general note that the assessment counts
    approved ones: the bureau could not see how far the counted figures lagged."""
    from commissioner_app.assessment import Period, assess

    year = busiest_year(bureau_store)
    bureau_store.db.execute("UPDATE visits SET review_status = 'pending'")
    bureau_store.db.execute(
        "UPDATE visits SET review_status = 'approved' "
        "WHERE rowid IN (SELECT rowid FROM visits ORDER BY rowid LIMIT 150)"
    )
    view = open_city(bureau_context, qtbot, year)
    counted = assess(bureau_store, period=Period.year(year))
    assert counted.basis == "approved" and 0 < counted.totals.visits < view.figures.overview["visits"]
    assert view.visits_card.note.text() == f"不含草稿；考核计入 {counted.totals.visits:,} 条"
    assert view.active_card.note.text() == (
        f"计划目标 {view.figures.plan_active:,} 人；考核计入 {counted.active_members:,} 人"
    )
    assert view.solved_card.note.text() == (
        f"计划目标 {view.figures.plan_solved:,} 项；考核计入 {counted.totals.problems_solved:,} 项"
    )
    assert view.visits_card.note.toolTip() == counted.basis_note.text("zh_CN")


def test_a_name_typed_without_pdf_does_not_replace_a_file_unasked(
    bureau_context, bureau_store, qtbot, tmp_path, monkeypatch
):
    """The dialog asked before replacing "city" (nothing of that name), and city.pdf, the name it
    became, was replaced without a word."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    kept = tmp_path / "city.pdf"
    kept.write_bytes(b"last year's summary")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(tmp_path / "city"), "PDF 文件 (*.pdf)"))
    )
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *rest):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    view = open_city(bureau_context, qtbot, busiest_year(bureau_store))
    view.pdf_button.click()
    wait(bureau_context)
    assert asked == ["“city.pdf”已存在。要替换它吗？"] and kept.read_bytes() == b"last year's summary"
    view.pdf_button.click()
    wait(bureau_context)
    assert kept.read_bytes().startswith(b"%PDF")


def test_a_failed_save_says_why_in_chinese_and_the_next_dialog_does_not_open_there(
    bureau_context, bureau_store, qtbot, tmp_path, monkeypatch
):
    """It said "Is a directory" (or "Permission denied") in a Chinese window, and the next dialog
    opened in the folder that had failed."""
    import ui.tasks

    shown = []
    monkeypatch.setattr(ui.tasks, "show_error", lambda parent, error: shown.append(str(error)))
    bureau_context.set_setting("city", "folder", str(tmp_path))
    taken = tmp_path / "elsewhere" / "summary.pdf"
    taken.mkdir(parents=True)  # a folder of that name: the file cannot be written
    view = open_city(bureau_context, qtbot, busiest_year(bureau_store))
    view.save_summary(str(taken))
    wait(bureau_context)
    assert shown and "这是一个文件夹，不是文件" in shown[0] and "directory" not in shown[0]
    assert bureau_context.setting("city", "folder", "", str) == str(tmp_path)


def test_a_message_in_the_old_language_goes_when_the_language_changes(
    bureau_context, bureau_store, qtbot, tmp_path
):
    view = open_city(bureau_context, qtbot, busiest_year(bureau_store))
    view.save_summary(str(tmp_path / "city.pdf"))
    wait(bureau_context)
    assert "全市汇总已保存" in view.message.text()
    bureau_context.set_language("en")
    assert view.message.text() == "" and view.pdf_button.text() == "City summary PDF…"
