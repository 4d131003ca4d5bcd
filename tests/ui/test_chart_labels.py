"""The bar chart's names under its bars (ui/views/chart.py)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from ui.views.chart import BarChart


def test_a_few_bars_are_each_named_and_many_are_named_without_overlap(qtbot) -> None:
    """A cold try: in English the grades' chart named Excellent and Pass only; the bar of 8 (Fail)
    stood under no name."""
    chart = BarChart()
    qtbot.addWidget(chart)
    metrics = QFontMetrics(QFont())
    chart.set_data(["Excellent", "Good", "Pass", "Fail"], [0, 0, 0, 8])
    slot = metrics.horizontalAdvance("Excellent") * 0.9  # too narrow for the longest name
    shown = chart.shown_labels(metrics, slot)
    assert all(shown), shown
    assert shown[1:] == ["Good", "Pass", "Fail"] and shown[0] != "Excellent"
    assert all(metrics.horizontalAdvance(text) <= slot for text in shown)
    # Thirty months: every n-th, whole, none overlapping.
    months = [f"2026-{m:02d}" for m in range(1, 13)] * 2 + ["2028-01"] * 6
    chart.set_data(months, [1] * len(months))
    slot = metrics.horizontalAdvance("2026-01") * 0.6
    shown = chart.shown_labels(metrics, slot)
    named = [i for i, text in enumerate(shown) if text]
    assert named[0] == 0 and all(shown[i] == months[i] for i in named)
    gaps = {b - a for a, b in zip(named, named[1:], strict=False)}
    assert len(gaps) == 1 and gaps.pop() * slot >= metrics.horizontalAdvance("2026-01")
