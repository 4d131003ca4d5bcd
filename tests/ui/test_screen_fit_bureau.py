"""The bureau's tables fit a field laptop: no sideways scroll, no header cut, no value cut to a sliver.

At 150 % on a 1366×768 screen the city overview's county table scrolled sideways with its 区县 cut to
a sliver, the annual assessment scrolled sideways (even at 1280 px in English), the organisation's
English headers were cut and the demands' progress scrolled sideways in English. Every table each of
these views shows (on each of its tabs) is checked on each field-laptop screen of test_screen_fit, and
on a wide screen at 100 %, with rows in it (the city's drill-down to a town's visits, published demands,
accounts and a roster's problems).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTabWidget, QWidget

from commissioner_app.demands import publish
from commissioner_app.domain import Demand
from tests.ui import test_screen_fit
from tests.ui.test_screen_fit import SCREENS, _sideways, discard, open_context, settle, view_on
from ui import screen_fit
from ui.context import AppContext

BUREAU_VIEWS = ("city", "assessment_run", "organisation", "demands")
WIDE = QRect(0, 0, 1920, 1080 - 40)  # a wide screen at 100 %, less the taskbar
# The demo data and the field laptops' screens of the other fit tests.
fit_data = test_screen_fit.fit_data
screen = test_screen_fit.screen
FIGURES = re.compile(r"^[\d\s,.:/%()（）\-–—]+$")  # counts, scores, dates, "12 / 15（80%）"


def _publish_demands(context: AppContext) -> None:
    deadline = date.today() + timedelta(days=30)
    for title in ("柑橘黄龙病绿色防控技术", "陈皮仓储霉变快速检测与控制技术需求"):
        publish(
            context.store,
            Demand(
                title=title,
                description="需要科技特派员现场指导。",
                industry="柑橘",
                county="新会区",
                town="会城街道",
                target_name="新会区陈皮产业协会",
                deadline=deadline,
                published_by="市科技局",
            ),
        )


def _fill_rows(key: str, view: QWidget, context: AppContext) -> None:
    """Rows the demo data leaves empty: a town's visits, accounts (from the server), roster problems."""
    if key == "city":
        county = next(c["county"] for c in view.figures.overview["by_county"] if c["visits"])
        view.choose_county(county)
        settle(context)
        view.choose_town(next(t["town"] for t in view.towns if t["town"]))
        settle(context)
    elif key == "organisation":
        view.accounts = [
            {
                "username": f"chen{n}",
                "display_name": "陈志远",
                "role": role,
                "county": "新会区",
                "team_id": None,
                "workstation_id": None,
                "disabled": n == 0,
                "disabled_reason": "调离本市",
                "must_change_password": n == 1,
            }
            for n, role in enumerate(("commissioner", "manager", "county", "bureau"))
        ]
        view._show_accounts()
        view._show_problems(
            [
                {
                    "row": 12,
                    "column": "手机号码",
                    "kind": "error",
                    "message_zh": "手机号码应为 11 位数字",
                    "message_en": "The phone number should have 11 digits",
                }
            ]
        )


def _tables(view: QWidget, window: QWidget) -> list[QTableView]:
    """The view's visible tables (the teams' assessment on a tab of the annual run has its own test)."""
    from ui.views.group_assessment import GroupAssessmentView

    found = []
    for table in view.findChildren(QTableView):
        if not table.isVisibleTo(window) or table.model() is None:
            continue
        parent = table.parentWidget()
        while parent is not None and not isinstance(parent, GroupAssessmentView):
            parent = parent.parentWidget()
        if parent is None:
            found.append(table)
    return found


def _cut_values(table: QAbstractItemView) -> list[str]:
    """Values cut: a figure or a date not whole, any other text cut to less than four characters."""
    from PySide6.QtWidgets import QHeaderView

    assert isinstance(table, QTableView)
    header: QHeaderView = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    sliver = metrics.horizontalAdvance("科技特派") + 6
    found = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        for row in range(min(model.rowCount(), 40)):
            text = str(model.data(model.index(row, column)) or "")
            if not text:
                continue
            needed = metrics.horizontalAdvance(text) + 6
            if not FIGURES.match(text):
                needed = min(needed, sliver)
            if header.sectionSize(column) < needed:
                found.append(f"{text!r} cut to {header.sectionSize(column)} px")
                break
    return found


def _check_views(fit_data, tmp_path, area: QRect, language: str) -> dict[str, list[str]]:
    from ui.main_window import MainWindow

    context = open_context(fit_data, tmp_path, "bureau", language)
    _publish_demands(context)
    window = MainWindow(context)
    problems: dict[str, list[str]] = {}
    try:
        window.resize(QSize(area.width(), area.height() - screen_fit.TITLE_BAR))
        window.show()
        settle(context)
        for key in BUREAU_VIEWS:
            view = window.show_view(key)
            settle(context)
            _fill_rows(key, view, context)
            tabs = [t for t in view.findChildren(QTabWidget) if t.isVisibleTo(window)]
            pages = list(range(tabs[0].count())) if tabs else [0]
            for page in pages:
                name = key
                if tabs:
                    tabs[0].setCurrentIndex(page)
                    settle(context)
                    name = f"{key} [{tabs[0].tabText(page)}]"
                tables = _tables(view, window)
                for table in tables:
                    found = _sideways(table) + _cut_values(table)
                    if found:
                        title = table.model().headerData(0, Qt.Orientation.Horizontal)
                        problems[f"{name} ({title}…)"] = found
            if tabs:
                tabs[0].setCurrentIndex(0)
    finally:
        discard(window)
        context.close()
    return problems


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_bureau_tables_fit_a_field_laptop(fit_data, tmp_path, screen, language, qtbot):
    problems = _check_views(fit_data, tmp_path, screen, language)
    assert not problems, f"at {screen.width()} px: {problems}"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_bureau_tables_fit_a_wide_screen(fit_data, tmp_path, monkeypatch, language, qtbot):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(WIDE))
    problems = _check_views(fit_data, tmp_path, WIDE, language)
    assert not problems, f"at {WIDE.width()} px: {problems}"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_city_views_tabs_are_all_readable_on_a_field_laptop(
    fit_data, tmp_path, monkeypatch, language, qtbot
):
    """A cold try found the English tab titles of the city overview too long for a field laptop at
    150 %: the first read "s and towns" and the bar scrolled."""
    area = SCREENS["1366x768@150%"]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(area))
    with view_on(fit_data, tmp_path, area, "bureau", "city", language) as view:
        bar = view.tabs.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        assert needed <= view.tabs.width(), [bar.tabText(i) for i in range(bar.count())]


def test_the_annual_assessments_notes_are_below_the_chart_and_whole_in_english(
    fit_data, tmp_path, monkeypatch, qtbot
):
    """A cold try at 150 % in English saw the notes under the grade chart drawn over its labels and cut
    off at the bottom, and read "the 25% cap on 优秀" and Chinese commas in the English text."""
    area = SCREENS["1366x768@150%"]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(area))
    with view_on(fit_data, tmp_path, area, "bureau", "assessment_run", "en") as view:
        chart, summary = view.chart, view.summary
        top_of_notes = summary.mapTo(view, summary.rect().topLeft()).y()
        bottom_of_chart = chart.mapTo(view, chart.rect().bottomLeft()).y()
        assert top_of_notes > bottom_of_chart, (top_of_notes, bottom_of_chart)
        assert summary.height() >= summary.heightForWidth(summary.width())  # whole, scrolled to if need be
        text = summary.text()
        assert "优秀" not in text and "，" not in text.splitlines()[0], text
