"""A cell a list shows shortened ("新能…") can be read whole by pointing at it: a cold try found the
industry, a target's type and a problem's title cut at 150 % with nothing on hover (the model gave
a tooltip only to texts over 12 characters, and a Chinese character is twice as wide)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.ui.test_screen_fit import SCREENS, fit_data, screen_fit, view_on
from ui.views.common import CELL_MARGIN

__all__ = ["fit_data"]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("key", ["visits", "problems", "targets"])
def test_a_cut_cell_shows_its_whole_text_on_hover(fit_data, tmp_path, monkeypatch, key, language, qtbot):
    area = SCREENS["1366x768@150%"]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(area))
    with view_on(fit_data, tmp_path, area, "commissioner", key, language) as view:
        table, model = view.table, view.table.model()
        metrics = table.fontMetrics()
        cut = [
            model.index(row, column)
            for row in range(min(model.rowCount(), 40))
            for column in range(model.columnCount())
            if not table.isColumnHidden(column)
            and metrics.horizontalAdvance(str(model.data(model.index(row, column)) or "")) + CELL_MARGIN
            > table.columnWidth(column)
            and not model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
        ]
        assert cut, "the demo data has cells too long for a field laptop's columns"
        for index in cut[:5]:
            table.scrollTo(index)
            rect = table.visualRect(index)
            QToolTip.hideText()
            event = QHelpEvent(
                QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())
            )
            QApplication.sendEvent(table.viewport(), event)
            assert QToolTip.text() == str(model.data(index)), (index.row(), index.column())
        QToolTip.hideText()
