"""The agreements, the assessment, the team and the team assessment fit a field laptop's screen.

A broad check at 150 % on a 1366×768 screen found their tables sized for a wide window: the
agreements' header 约定指标完成情况 was cut (and scrolled sideways in English), the English
assessment squeezed its Indicator column to a sliver ("…"), the team's "Member" header was cut and
its table scrolled, and the English team assessment scrolled sideways. Each view's tables are read
here as the role that has the view sees them, in both languages, on every field laptop's screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QTableView, QTabWidget, QWidget

from tests.ui.test_screen_fit import _sideways, discard, fit_data, open_context, screen, settle, view_on
from ui import screen_fit

__all__ = ["fit_data", "screen"]  # pytest's fixtures, used by name

CELL_MARGIN = 6  # Qt's item delegate draws a cell's text 3 px within each side
VIEWS = {"commissioner": ("agreements", "assessment"), "manager": ("team", "group_assessment")}
# The tables the demo data fills for these roles (the manager's has no workstation, no bonus yet).
FILLED = {
    "agreements.table",
    "assessment.table",
    "team.members",
    "team.assessment",
    "group_assessment.team.groups",
    "group_assessment.team.indicators",
}


def _tables(view: QWidget) -> list[QTableView]:
    return [t for t in view.findChildren(QTableView) if t.isVisibleTo(view)]


def _tab_states(view: QWidget):
    """Each tab of the view's tab widgets in turn (the view as it is if it has none)."""
    tabs = [t for t in view.findChildren(QTabWidget) if t.isVisibleTo(view)]
    if not tabs:
        yield ""
        return
    for widget in tabs:
        for index in range(widget.count()):
            widget.setCurrentIndex(index)
            QApplication.processEvents()
            yield widget.tabText(index)
        widget.setCurrentIndex(0)


def _cut(table: QTableView, columns: tuple[int, ...]) -> list[str]:
    """The cells of `columns` whose text the column's width cuts short (elides or clips)."""
    model = table.model()
    header = table.horizontalHeader()
    found = []
    for row in range(model.rowCount()):
        for column in columns:
            if column >= model.columnCount() or header.isSectionHidden(column):
                continue
            index = model.index(row, column)
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            font = model.data(index, Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font) if isinstance(font, QFont) else table.fontMetrics()
            if text and metrics.horizontalAdvance(text) + CELL_MARGIN > header.sectionSize(column):
                found.append(f"{text!r} in {header.sectionSize(column)} px")
    return found


def _name(view: QWidget, table: QTableView) -> str:
    """The table's attribute in its view ("members", "team.groups")."""
    for attribute, value in vars(view).items():
        if value is table:
            return attribute
    for kind, pane in getattr(view, "panes", {}).items():
        for attribute, value in vars(pane).items():
            if value is table:
                return f"{kind}.{attribute}"
    return type(table).__name__


def _whole_columns(key: str, view: QWidget, table: QTableView) -> tuple[int, ...]:
    """The columns whose values a reader needs whole: the figures, dates, states, names and the
    assessment's indicators (a long name, a reason, a unit is elided with its tooltip)."""
    if key == "agreements":
        return (1, 2, 3, 4)
    if key == "assessment":
        return (1, 2, 3, 4, 5, 6)
    if key == "team":
        if table is view.members:
            return (0, 2, 3, 4, 5, 6)
        return tuple(range(table.model().columnCount()))  # the member, the figures, the grade
    if key == "group_assessment":
        for pane in view.panes.values():
            if table is pane.groups:
                return (0, 2, 3, 4, 5, 6)
            if table is pane.indicators:
                return (0, 1, 2, 3, 4)
            if table is pane.bonuses:
                return (0, 3)
    return ()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", list(VIEWS))
def test_the_people_views_fit_without_scrolling_sideways(fit_data, tmp_path, screen, role, language, qtbot):
    """No table of these views scrolls sideways or cuts a header, and what matters in it is whole."""
    from ui.main_window import MainWindow

    context = open_context(fit_data, tmp_path, role, language)
    window = MainWindow(context)
    try:
        window.resize(QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR))
        window.show()
        settle(context)
        problems: dict[str, list[str]] = {}
        for key in VIEWS[role]:
            assert key in window.views, f"{role} has no {key}"
            view = window.show_view(key)
            settle(context)
            for tab in _tab_states(view):
                settle(context)
                tables = _tables(view)
                assert tables, f"{key} shows no table"
                for table in tables:
                    name = f"{key} [{tab}] {_name(view, table)}"
                    if f"{key}.{_name(view, table)}" in FILLED:
                        assert table.model().rowCount() > 0, f"{name} is empty"
                    found = _sideways(table) + _cut(table, _whole_columns(key, view, table))
                    if found:
                        problems.setdefault(name, []).extend(found)
        assert not problems, f"at {screen.width()} px in {language}: {problems}"
    finally:
        discard(window)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_assessment_indicators_are_whole_in_both_languages(fit_data, tmp_path, screen, language, qtbot):
    """The English indicators are longer ("Problems solved", "Service days"): the column was
    squeezed to a sliver and every value showed as "…"."""
    with view_on(fit_data, tmp_path, screen, "commissioner", "assessment", language) as view:
        table = view.table
        assert table.rowCount() > 5
        assert not _cut(table, (1,)), f"indicators cut at {screen.width()} px"
        assert not _sideways(table)


WIDE = QRect(0, 0, 1920, 1080 - 40)  # a desktop's screen at 100 %
# What each column had on the wide screen before the tables were fitted (the smallest seen in
# either language): no column may be narrower there now.
# The fitted tables give every header the same margin, a few pixels more than Qt's own, which the
# stretched column gives up: a column may lose that much (its values are checked whole), no more.
WIDE_SLACK = 24
# Tables whose columns were all at least one width before (the team's members: the sending unit's
# header + 16 px, a minimum section size that kept that header whole): their figures now have their
# contents' width, checked whole, and the unit the rest.
INFLATED = {"team.members"}
WIDE_BEFORE: dict[str, dict[str, list[int]]] = {
    "zh_CN": {
        "agreements.table": [200, 110, 190, 80, 70, 1130],
        "assessment.table": [98, 922, 56, 53, 35, 30, 40],
        "team.assessment": [1319, 79, 79, 79, 118, 53, 53],
        "team.members": [68, 845, 79, 79, 79, 68, 82],
        "group_assessment.team.bonuses": [30, 558, 56, 30, 30],
        "group_assessment.team.indicators": [576, 36, 32, 30, 30],
        "group_assessment.team.groups": [53, 714, 53, 79, 53, 53, 53],
        "group_assessment.workstation.bonuses": [30, 558, 56, 30, 30],
        "group_assessment.workstation.indicators": [584, 30, 30, 30, 30],
        "group_assessment.workstation.groups": [53, 714, 53, 79, 53, 53, 53],
        "group_assessment.exemplars": [30, 30, 30, 68, 1618],
    },
    "en": {
        "agreements.table": [200, 110, 190, 80, 70, 1101],
        "assessment.table": [220, 760, 51, 53, 51, 32, 46],
        "team.assessment": [1044, 68, 154, 82, 269, 63, 71],
        "team.members": [97, 625, 97, 119, 147, 97, 97],
        "group_assessment.team.bonuses": [50, 464, 70, 52, 57],
        "group_assessment.team.indicators": [494, 51, 51, 51, 46],
        "group_assessment.team.groups": [64, 580, 88, 101, 73, 63, 71],
        "group_assessment.workstation.bonuses": [50, 464, 70, 52, 57],
        "group_assessment.workstation.indicators": [494, 51, 51, 51, 46],
        "group_assessment.workstation.groups": [64, 580, 88, 101, 73, 63, 71],
        "group_assessment.exemplars": [59, 46, 38, 79, 1525],
    },
}


def _widths(table: QTableView) -> list[int]:
    return [table.horizontalHeader().sectionSize(c) for c in range(table.model().columnCount())]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", list(VIEWS))
def test_a_wide_screen_shows_every_column_whole(fit_data, tmp_path, monkeypatch, role, language, qtbot):
    """On a desktop's wide screen the tables show every column, none cut, nothing scrolled."""
    from ui.main_window import MainWindow

    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(WIDE))
    context = open_context(fit_data, tmp_path, role, language)
    window = MainWindow(context)
    try:
        window.resize(QSize(WIDE.width(), WIDE.height() - screen_fit.TITLE_BAR))
        window.show()
        settle(context)
        problems: dict[str, list[str]] = {}
        for key in VIEWS[role]:
            view = window.show_view(key)
            settle(context)
            for _tab in _tab_states(view):
                settle(context)
                for table in _tables(view):
                    name = f"{key}.{_name(view, table)}"
                    found = _sideways(table) + _cut(table, _whole_columns(key, view, table))
                    found += [
                        f"column {c} hidden"
                        for c in range(table.model().columnCount())
                        if table.isColumnHidden(c)
                    ]
                    before = None if name in INFLATED else WIDE_BEFORE.get(language, {}).get(name)
                    if before:
                        found += [
                            f"column {c}: {w} px, was {b} ({_widths(table)})"
                            for c, (w, b) in enumerate(zip(_widths(table), before, strict=False))
                            if w < b - WIDE_SLACK
                        ]
                    if found:
                        problems[name] = found
        assert not problems, problems
    finally:
        discard(window)
        context.close()
