"""The visit list: lazy rows, sorting, filters and search on a long list."""

from datetime import date

from PySide6.QtCore import Qt

from commissioner_app.collation import zh_key
from commissioner_app.ops import OpChanges
from commissioner_app.store import VisitQuery
from tests.ui.frame_fixtures import demo_context, demo_dir  # noqa: F401
from tests.ui.manager_support import team_data  # noqa: F401
from ui.models import PAGE, VisitTableModel
from ui.views.visits import VisitsView


def load(qtbot, model, action):
    with qtbot.waitSignal(model.loaded, timeout=10000):
        action()


def test_lazy_model_returns_the_right_rows_after_sort(demo_context, qtbot):  # noqa: F811
    model = VisitTableModel(demo_context)
    load(qtbot, model, lambda: model.set_query(VisitQuery()))
    store = demo_context.store
    assert model.rowCount() == store.count_visits() == 3000

    load(qtbot, model, lambda: model.sort(3, Qt.SortOrder.AscendingOrder))  # 服务对象
    assert model.query.order_by == "target_name"
    expected = store.list_visits(VisitQuery(order_by="target_name", descending=False), limit=3000)
    # Rows from several pages, including the last one, in the order the store gives.
    for row in (0, 1, PAGE - 1, PAGE, 1234, 2999):
        shown = model.data(model.index(row, 3))
        assert shown == expected[row]["target_name"]
    names = [model.row_data(r)["target_name"] for r in range(0, 3000, 37)]
    assert names == sorted(names, key=zh_key)  # by pinyin (白沙… 北陡… 冲蒌…), as Chinese readers look

    load(qtbot, model, lambda: model.sort(1, Qt.SortOrder.AscendingOrder))  # 服务日期, oldest first
    dates = [model.data(model.index(r, 1)) for r in range(0, 3000, 29)]
    assert dates == sorted(dates)
    assert dates[0] < dates[-1]


def test_rows_are_fetched_a_page_at_a_time(demo_context, qtbot, monkeypatch):  # noqa: F811
    model = VisitTableModel(demo_context)
    load(qtbot, model, lambda: model.set_query(VisitQuery()))
    calls = []
    original = demo_context.reader.visit_rows
    monkeypatch.setattr(
        demo_context.reader, "visit_rows", lambda ids: calls.append(len(ids)) or original(ids)
    )
    for row in range(0, PAGE):  # the first page came with the list
        model.data(model.index(row, 0))
    assert calls == []
    for row in range(PAGE, PAGE + 150):
        model.data(model.index(row, 0))
    assert calls == [PAGE, PAGE]  # two more pages, each fetched once


def test_filters_and_search_narrow_the_list(demo_context, qtbot):  # noqa: F811
    view = VisitsView(demo_context)
    qtbot.addWidget(view)
    load(qtbot, view.model, view.load)
    store = demo_context.store
    assert view.model.rowCount() == 3000
    assert "3,000" in view.count_label.text()

    # County, then one of its towns.
    county = view.county.itemData(2)
    load(qtbot, view.model, lambda: view.county.setCurrentIndex(2))
    in_county = store.count_visits(VisitQuery(county=county))
    assert view.model.rowCount() == in_county > 0
    assert {view.model.row_data(r)["county"] for r in range(view.model.rowCount())} == {county}
    assert view.town.isEnabled()
    town_index = next(
        i
        for i in range(1, view.town.count())
        if store.count_visits(VisitQuery(county=county, town=view.town.itemData(i)))
    )
    load(qtbot, view.model, lambda: view.town.setCurrentIndex(town_index))
    assert view.model.rowCount() == store.count_visits(
        VisitQuery(county=county, town=view.town.itemData(town_index))
    )
    assert "符合条件" in view.count_label.text()

    # Clearing brings everything back.
    load(qtbot, view.model, view.clear_filters)
    assert view.model.rowCount() == 3000

    # Typing in the search box: results come once typing pauses, off the GUI thread.
    with qtbot.waitSignal(view.model.loaded, timeout=10000) as blocker:
        for character in "陈皮":  # typed one character at a time (QTest cannot type Chinese)
            view.search_box.insert(character)
    expected = store.visit_ids(VisitQuery(text="陈皮"))
    assert 0 < blocker.args[0] == len(expected) < 3000
    assert [view.model.visit_id(r) for r in range(view.model.rowCount())] == expected

    # Search combined with the review filter (returned visits), whose rows show the opinion.
    returned = view.review.findData("returned")
    load(qtbot, view.model, lambda: view.review.setCurrentIndex(returned))
    assert view.model.rowCount() == len(store.visit_ids(VisitQuery(text="陈皮", review_status="returned")))
    load(qtbot, view.model, lambda: view.search_box.setText(""))
    assert view.model.rowCount() == store.count_visits(VisitQuery(review_status="returned")) > 0
    tooltip = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert view.model.data(view.model.index(0, 0)) == "已退回"
    assert tooltip and tooltip.startswith("退回意见：")


def test_period_filter_this_month(demo_context, qtbot):  # noqa: F811
    view = VisitsView(demo_context)
    qtbot.addWidget(view)
    load(qtbot, view.model, view.load)
    load(qtbot, view.model, lambda: view.period.setCurrentIndex(view.period.findData("this_month")))
    today = date.today()
    expected = demo_context.store.count_visits(VisitQuery(date_from=today.replace(day=1), date_to=today))
    assert view.model.rowCount() == expected
    assert all(
        view.model.row_data(r)["visit_date"] >= today.replace(day=1).isoformat()
        for r in range(view.model.rowCount())
    )


def test_problem_and_target_lists_filter_and_sort(demo_context, qtbot):  # noqa: F811
    from ui.views.problems import ProblemsView
    from ui.views.targets import TargetsView

    problems = ProblemsView(demo_context)
    qtbot.addWidget(problems)
    load(qtbot, problems.model, problems.load)
    total = problems.model.rowCount()
    assert total == len(demo_context.store.list_problems(limit=100000)) > 0
    load(qtbot, problems.model, lambda: problems.status.setCurrentIndex(problems.status.findData("open")))
    assert 0 < problems.model.rowCount() < total
    assert {r["status"] for r in problems.model.rows} == {"open"}

    targets = TargetsView(demo_context)
    qtbot.addWidget(targets)
    load(qtbot, targets.model, targets.load)
    targets.model.sort(7, Qt.SortOrder.DescendingOrder)  # 服务次数
    visits = [targets.model.rows[r]["visits"] for r in range(targets.model.rowCount())]
    assert visits == sorted(visits, reverse=True)
    targets.model.sort(1, Qt.SortOrder.AscendingOrder)  # 名称: by pinyin, as a reader looks for one
    names = [targets.model.rows[r]["name"] for r in range(targets.model.rowCount())]
    assert names == sorted(names, key=zh_key) and names != sorted(names)


def test_a_plain_table_sorts_names_by_pinyin_and_figures_by_value(qtbot):
    from ui.views.rows_model import RowsModel

    model = RowsModel()
    model.set_headers(["姓名", "服务次数"])
    model.set_rows(
        [["王芳", 12], ["陈伟", 3], ["冼永强", 40], ["岑建华", 7], ["伍思敏", 25]], keys=list("abcde")
    )
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [row[0] for row in model.rows] == ["岑建华", "陈伟", "王芳", "伍思敏", "冼永强"]
    assert model.keys == list("dbaec")  # each row keeps its key
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [row[1] for row in model.rows] == [40, 25, 12, 7, 3]


def test_only_the_newest_search_is_shown(demo_context, qtbot):  # noqa: F811
    model = VisitTableModel(demo_context)
    counts = []
    model.loaded.connect(lambda n: counts.append(n))
    for text in ("水", "水稻", "水稻病", "水稻"):  # typed and corrected faster than the searches run
        model.set_query(VisitQuery(text=text))
    assert demo_context.tasks.wait_idle(10000)
    expected = demo_context.store.visit_ids(VisitQuery(text="水稻"))
    assert counts == [len(expected)]
    assert [model.visit_id(r) for r in range(model.rowCount())] == expected


def test_header_click_on_an_unsortable_column_keeps_the_order(demo_context, qtbot):  # noqa: F811
    view = VisitsView(demo_context)
    qtbot.addWidget(view)
    load(qtbot, view.model, view.load)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == 1
    header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # 时间: the store cannot order by it
    assert header.sortIndicatorSection() == 1
    assert view.model.query.order_by == "visit_date"


def test_list_keeps_its_place_when_records_change(demo_context, qtbot):  # noqa: F811
    view = VisitsView(demo_context)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    load(qtbot, view.model, view.load)
    view.table.selectRow(1500)
    view.table.scrollTo(view.model.index(1500, 0))
    scrolled = view.table.verticalScrollBar().value()
    chosen = view.model.visit_id(1500)
    load(
        qtbot, view.model, lambda: demo_context.operation_did_execute.emit(OpChanges.of("visits"))
    )  # e.g. after a save
    assert view.table.verticalScrollBar().value() == scrolled > 0
    assert view.model.visit_id(view.table.currentIndex().row()) == chosen


def test_a_list_load_interrupted_for_other_work_loads_again(demo_context, qtbot):  # noqa: F811
    from ui.models import ProblemTableModel

    visits = VisitTableModel(demo_context)
    problems = ProblemTableModel(demo_context)
    visits_loaded, problems_loaded = [], []
    visits.loaded.connect(lambda n: visits_loaded.append(n))
    problems.loaded.connect(lambda n: problems_loaded.append(n))
    gate = __import__("threading").Event()
    # Hold the worker so both loads wait, then interrupt them as soon as each starts.
    from ui.tasks import Operation

    Operation(None, lambda store: gate.wait(5)).run_in_background()
    visits.set_query(VisitQuery())
    problems.set_filters()
    gate.set()
    for _ in range(20):
        demo_context.tasks.interrupt_reads()
        qtbot.wait(5)
    assert demo_context.tasks.wait_idle(20000)
    assert visits_loaded[-1] == 3000 and visits.rowCount() == 3000
    assert problems_loaded[-1] == problems.rowCount() > 0


def test_problem_and_target_lists_speak_english(demo_context, qtbot):  # noqa: F811
    from ui.views.problems import ProblemsView
    from ui.views.targets import TargetsView

    problems, targets = ProblemsView(demo_context), TargetsView(demo_context)
    for view in (problems, targets):
        qtbot.addWidget(view)
        load(qtbot, view.model, view.load)
    demo_context.set_language("en")
    try:
        assert problems.search_box.placeholderText() == "Search problems: title, description… (Ctrl+F)"
        assert (problems.status_label.text(), problems.status.itemText(0)) == ("Progress", "All")
        assert (
            problems.count_label.text()
            == f"Problems: {problems.model.rowCount():,}; double-click or press Enter for details"
        )
        assert (targets.type_label.text(), targets.county.itemText(0)) == ("Type", "All counties")
        # (Not "1 problems": the count goes after the noun.)
        assert targets.count_label.text().startswith(f"Service targets: {targets.model.rowCount():,};")
    finally:
        demo_context.set_language("zh_CN")
    assert problems.status_label.text() == "进展" and targets.county.itemText(0) == "全部区县"


def test_a_managers_visit_list_and_print_picker_say_whose_each_visit_is(store, team_data, qtbot):  # noqa: F811
    """A manager's laptop holds the team's visits: the list (and Ctrl+P's picker) name each visit's
    commissioner, and sort by them; a commissioner's own list has no such column."""
    from commissioner_app.domain import Commissioner
    from tests.ui.manager_support import log_in_as, make_visit
    from ui.context import AppContext
    from ui.roles import watcher
    from ui.views.assessment import VisitPicker
    from ui.views.visits import OWNER_COLUMN

    # A member whose account came without a profile, who skipped it at first start: no name here.
    unnamed = Commissioner(name="", team_id=team_data.team.id)  # (not saved: no profile record)
    make_visit(store, team_data.target, unnamed, 4, "没有个人资料的成员的服务")
    log_in_as(store, "manager", team_data.leader, team_data.team.id)
    context = AppContext(store, language="zh_CN")
    try:
        view = VisitsView(context)
        qtbot.addWidget(view)
        view.resize(1300, 600)
        view.show()
        load(qtbot, view.model, view.load)
        model = view.model
        assert model.headerData(OWNER_COLUMN, Qt.Orientation.Horizontal) == "科技特派员"
        assert not view.table.isColumnHidden(OWNER_COLUMN)
        shown = {model.data(model.index(r, OWNER_COLUMN)) for r in range(model.rowCount())}
        assert {"王芳", "李强", "赵敏", "（未填个人资料）"} <= shown and "" not in shown
        # The name is read whole.
        assert view.table.columnWidth(OWNER_COLUMN) >= view.table.fontMetrics().horizontalAdvance("赵敏")
        load(qtbot, model, lambda: view.table.sortByColumn(OWNER_COLUMN, Qt.SortOrder.AscendingOrder))
        names = [model.row_data(r)["commissioner_name"] or "" for r in range(model.rowCount())]
        assert names == sorted(names, key=zh_key) and names[0] == ""  # (no profile: first)
        # The search finds a visit by its commissioner's name too (not in the search index).
        load(qtbot, model, lambda: view.search_box.setText("李强"))
        assert {model.data(model.index(r, OWNER_COLUMN)) for r in range(model.rowCount())} == {"李强"}
        assert model.rowCount() == 2 and "特派员" in view.search_box.placeholderText()
        load(qtbot, model, lambda: view.search_box.setText("李强 木虱"))  # each word must match
        assert model.rowCount() == 1
        load(qtbot, model, lambda: view.search_box.setText(""))

        from commissioner_app.ops.visits import recent_visits

        picker = VisitPicker(recent_visits(store), view)
        qtbot.addWidget(picker)
        assert picker.table.horizontalHeaderItem(1).text() == "科技特派员"
        assert "（未填个人资料）" in {picker.table.item(r, 1).text() for r in range(picker.table.rowCount())}
        picker.search.setText("李强")
        lis = [r for r, row in enumerate(picker.rows) if row["commissioner_name"] == "李强"]
        assert picker.chosen() == picker.rows[lis[0]]["id"]
        assert [r for r in range(len(picker.rows)) if not picker.table.isRowHidden(r)] == lis

        # A commissioner's laptop: only their own visits, no owner column (nor in the picker).
        log_in_as(store, "commissioner", team_data.members["王芳"], team_data.team.id)
        watcher(context).check()
        assert view.table.isColumnHidden(OWNER_COLUMN)
        # Their own list's search does not match every visit by their own name.
        load(qtbot, model, lambda: view.search_box.setText("王芳"))
        assert model.rowCount() == 0 and "特派员" not in view.search_box.placeholderText()
        own = [row for row in recent_visits(store) if row["commissioner_id"] == team_data.members["王芳"].id]
        alone = VisitPicker(own, view)
        qtbot.addWidget(alone)
        assert alone.table.columnCount() == 3 and alone.table.horizontalHeaderItem(1).text() == "服务对象"
    finally:
        context.close()
