"""Charts drawn with reportlab.graphics, with every label in the bundled fonts."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from commissioner_app.reports.base import ACCENT
from commissioner_app.reports.fonts import LATIN, label_font, runs


def mixed_string(
    x: float, y: float, text: str, size: float, anchor: str = "start", color: colors.Color = colors.black
) -> Group:
    """A drawing string of mixed Chinese and Latin text, one String per run."""
    widths = [pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text)]
    total = sum(widths)
    if anchor == "middle":
        x -= total / 2
    elif anchor == "end":
        x -= total
    group = Group()
    for (name, chunk), w in zip(runs(text), widths, strict=True):
        group.add(String(x, y, chunk, fontName=name, fontSize=size, fillColor=color))
        x += w
    return group


def _value_step(maximum: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if maximum / step <= 6:
            return step
    return max(1.0, maximum / 6)


def bar_chart(
    values: Sequence[float],
    categories: Sequence[str],
    *,
    width: float,
    height: float,
    title: str = "",
    axis_note: str = "",
    horizontal: bool = False,
) -> Drawing:
    """A bar chart with values on the bars; category labels one script each (digits or Chinese)."""
    drawing = Drawing(width, height)
    if not horizontal:
        _columns(drawing, list(values), list(categories) or [""], 30, 28, width - 45, height - 52)
        _titles(drawing, width, height, title, axis_note, 4)
        return drawing
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    label_space = 0.0
    if horizontal:
        label_space = min(
            width * 0.35,
            max((pdfmetrics.stringWidth(c, label_font(c), 7.5) for c in categories), default=20) + 8,
        )
        chart.x, chart.y = label_space + 4, 14
        chart.width, chart.height = width - label_space - 30, height - 34
    else:
        chart.x, chart.y = 30, 28
        chart.width, chart.height = width - 45, height - 52
    chart.data = [list(values) or [0]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    cats = list(categories) or [""]
    chart.categoryAxis.categoryNames = cats
    for i, name in enumerate(cats):
        chart.categoryAxis.labels[i].fontName = label_font(name)
    chart.categoryAxis.labels.fontSize = 7.5
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -3
    maximum = max(values, default=0) or 1
    step = _value_step(maximum)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = (int(maximum / step) + 1) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}"
    chart.barLabels.fontName = LATIN
    chart.barLabels.fontSize = 6.5
    chart.barLabelFormat = lambda v: f"{v:g}" if v else ""
    if horizontal:
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 2
    else:
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 1
    drawing.add(chart)
    _titles(drawing, width, height, title, axis_note, 4 if not horizontal else 2)
    return drawing


def _titles(drawing: Drawing, width: float, height: float, title: str, axis_note: str, note_y: float) -> None:
    if title:
        drawing.add(mixed_string(width / 2, height - 11, title, 9.5, "middle"))
    if axis_note:
        drawing.add(mixed_string(width - 4, note_y, axis_note, 7, "end", colors.HexColor("#555555")))


def _columns(
    drawing: Drawing,
    values: list[float],
    categories: list[str],
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """A vertical bar chart drawn from plain lines, boxes and strings.

    It lays out what reportlab's VerticalBarChart drew for our settings (bars two thirds of their
    slot, value labels on top, ticks below the axis and left of it, a light grid), without its
    widgets: those cost about 10 ms a chart, an eighth of a whole annual record.
    """
    maximum = max(values, default=0) or 1
    step = _value_step(maximum)
    top = (int(maximum / step) + 1) * step
    scale = height / top
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    grid = colors.HexColor("#dddddd")
    for v in ticks:
        drawing.add(Line(x, y + v * scale, x + width, y + v * scale, strokeColor=grid, strokeWidth=0.25))
    slot = width / max(len(categories), len(values), 1)
    bar = slot * 10 / 15  # reportlab's bar width 10 and group spacing 5, scaled to the slot
    for i, v in enumerate(values):
        if not v:
            continue
        left = x + i * slot + (slot - bar) / 2
        drawing.add(Rect(left, y, bar, v * scale, fillColor=ACCENT, strokeColor=None, strokeWidth=0))
        drawing.add(
            String(
                left + bar / 2,
                y + v * scale + 1 + 6.5 * 0.2,
                f"{v:g}",
                fontName=LATIN,
                fontSize=6.5,
                textAnchor="middle",
            )
        )
    axis = {"strokeColor": colors.black, "strokeWidth": 1}
    drawing.add(Line(x, y, x + width, y, **axis))
    for i in range(len(categories) + 1):
        drawing.add(Line(x + i * slot, y, x + i * slot, y - 5, **axis))
    for i, name in enumerate(categories):
        drawing.add(
            String(
                x + (i + 0.5) * slot,
                y - 3 - 7.5,
                name,
                fontName=label_font(name),
                fontSize=7.5,
                textAnchor="middle",
            )
        )
    drawing.add(Line(x, y, x, y + height, **axis))
    for v in ticks:
        drawing.add(Line(x, y + v * scale, x - 5, y + v * scale, **axis))
        drawing.add(
            String(x - 5, y + v * scale - 7 * 0.4, f"{v:g}", fontName=LATIN, fontSize=7, textAnchor="end")
        )
