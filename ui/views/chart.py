"""A small bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2f5d8f")
HIGHLIGHT = QColor("#f5b83d")
AXIS = QColor("#9aa5b1")
TEXT = QColor("#374151")


def nice_step(maximum: float) -> float:
    """A round gridline step giving about four lines up to `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return float(max(factor * magnitude, 1))
    return float(10 * magnitude)


FEW_BARS = 6  # up to this many bars, each is named (shortened if need be)


class BarChart(QWidget):
    """Bars with a value axis; every n-th category is labelled so labels never overlap."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.labels: list[str] = []
        self.values: list[float] = []
        self.title = ""
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:  # Qt's name
        return QSize(480, 200)

    def set_data(self, labels: Sequence[str], values: Sequence[float], title: str = "") -> None:
        self.labels = list(labels)
        self.values = [float(v) for v in values]
        self.title = title
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        line = metrics.height()
        top = 6.0
        if self.title:
            painter.setPen(TEXT)
            painter.drawText(QRectF(8, 4, self.width() - 16, line), Qt.AlignmentFlag.AlignLeft, self.title)
            top += line + 4
        maximum = max(self.values, default=0.0)
        step = nice_step(maximum)
        axis_top = step * max(1, math.ceil(maximum / step))
        left = metrics.horizontalAdvance(f"{axis_top:g}") + 14.0
        bottom = self.height() - line - 8.0
        right = self.width() - 10.0
        plot_h = bottom - top
        if plot_h <= 10 or right - left <= 10:
            painter.end()
            return
        if not self.values or maximum <= 0:
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(left, top, right - left, plot_h), Qt.AlignmentFlag.AlignCenter, self.empty_text
            )
        # Gridlines with their values.
        value = 0.0
        while value <= axis_top + 1e-9:
            y = bottom - value / axis_top * plot_h
            painter.setPen(QPen(AXIS, 0.6, Qt.PenStyle.DotLine if value else Qt.PenStyle.SolidLine))
            painter.drawLine(int(left), int(y), int(right), int(y))
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{value:g}",
            )
            value += step
        n = len(self.values)
        if n == 0:
            painter.end()
            return
        slot = (right - left) / n
        bar_w = max(1.0, slot * 0.7)
        shown = self.shown_labels(metrics, slot)
        widest = max((metrics.horizontalAdvance(label) for label in shown), default=0) + 8
        for i, v in enumerate(self.values):
            x = left + i * slot + (slot - bar_w) / 2
            h = v / axis_top * plot_h
            painter.fillRect(QRectF(x, bottom - h, bar_w, h), BAR)
            if i < len(shown) and shown[i]:
                painter.setPen(TEXT)
                painter.drawText(
                    QRectF(left + i * slot + slot / 2 - widest / 2, bottom + 3, widest, line),
                    Qt.AlignmentFlag.AlignHCenter,
                    shown[i],
                )
        painter.end()

    def shown_labels(self, metrics: QFontMetrics, slot: float) -> list[str]:
        """What is written under each bar ("" for none): every n-th label, so that none overlaps;
        but with a few bars (the four grades) each keeps one, shortened to its bar's width. In
        English the grades' chart said Excellent and Pass only, and the bar of 8 stood under no
        name (a cold try)."""
        widest = max((metrics.horizontalAdvance(label) for label in self.labels), default=0) + 8
        every = max(1, math.ceil(widest / slot))
        if every > 1 and len(self.labels) <= FEW_BARS:
            room = max(1, int(slot) - 6)
            return [metrics.elidedText(label, Qt.TextElideMode.ElideRight, room) for label in self.labels]
        return [label if i % every == 0 else "" for i, label in enumerate(self.labels)]
