"""The bureau edits towns, industries and the year's assessment rules; a bad rules file is refused."""

from __future__ import annotations

import pytest

from commissioner_app.assessment_rules import bundled_rules_dir, bundled_years, load_rules
from commissioner_app.reference import reference, towns_of
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext
from ui.views.reference import ReferenceView


@pytest.fixture
def view(store, qapp, qtbot):
    log_in_as(store, "bureau", None)
    ctx = AppContext(store, language="zh_CN")
    v = ReferenceView(ctx)
    qtbot.addWidget(v)
    v.show()
    v.load()
    wait(ctx)
    yield v
    ctx.close()


def test_towns_of_a_county_are_edited_and_other_counties_keep_theirs(view, store):
    county = view.county.currentText()
    others_before = [t for t in reference(store, "town") if t.parent_code != view.county.currentData()]
    before = towns_of(store, county)
    assert view.towns.rows() == [(t.code, t.name_zh, t.name_en) for t in before]
    view.towns.add_row("999001", "新建示范镇", "Xinjian Town")
    view.towns_save.click()
    wait(view.context)
    assert [t.name_zh for t in towns_of(store, county)] == [t.name_zh for t in before] + ["新建示范镇"]
    assert [
        t for t in reference(store, "town") if t.parent_code != view.county.currentData()
    ] == others_before
    assert store.get_meta("reference_source:town") == "bureau"


def test_a_duplicate_code_is_refused(view, store):
    before = reference(store, "industry")
    view.industries.add_row(before[0].code, "重复", "")
    view.industries_save.click()
    wait(view.context)
    assert view.message.text() == "代码不能重复。"
    assert reference(store, "industry") == before


def test_rules_bad_file_refused_good_file_kept(view, store):
    year = int(view.year.currentData())
    bundled = bundled_years()[-1]
    good = (bundled_rules_dir() / f"{bundled}.toml").read_text(encoding="utf-8")
    view.rules_edit.setPlainText("year = [这不是 TOML")
    view.rules_save.click()
    wait(view.context)
    assert view.message.text().startswith("考核细则有误，未保存：")
    assert store.db.execute("SELECT count(*) FROM assessment_rules").fetchone()[0] == 0
    text = good.replace(f"year = {bundled}", f"year = {year}", 1).replace("1000", "1200", 1)
    assert f"year = {year}" in text
    view.rules_edit.setPlainText(text)
    view.rules_save.click()
    wait(view.context)
    assert view.message.text() == f"已保存{year}年度考核细则。"
    assert load_rules(store, year).source == "sync"
    assert store.get_meta(f"assessment_rules_edited:{year}") == "1"
