"""The bureau's city view shows the core's figures and drills down from a county to a town's visits."""

from __future__ import annotations

from datetime import date

import pytest

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
