"""A fast wrapped-text cell for big tables.

reportlab's Paragraph measures every character on every wrap, and tables wrap each cell several
times; on an annual record of 300 visits that was most of the time. CellText measures each
character once per process (widths cached per font), wraps Chinese anywhere (keeping a closing
punctuation mark on the line before it), keeps Latin words whole where they fit, and caches its
lines per width.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from commissioner_app.reports.fonts import CJK, font_of, register_fonts

NO_LINE_START = set("，。、；：？！）》」』】〕…％,.;:?!)]}%")
_WIDTHS: dict[str, tuple[str, float]] = {}  # char -> (font, width at size 1)


def _measure(ch: str) -> tuple[str, float]:
    found = _WIDTHS.get(ch)
    if found is None:
        name = font_of(ch) if ch != " " else CJK
        found = _WIDTHS[ch] = (name, pdfmetrics.stringWidth(ch, name, 1000) / 1000)
    return found


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than `width` (explicit newlines kept)."""
    lines: list[str] = []
    limit = width / size
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        word_start = -1  # where the Latin word being read began in `line`
        for ch in para:
            w = _measure(ch)[1]
            latin = ch.isascii() and ch.isalnum()
            if used + w > limit and line and ch not in NO_LINE_START and ch != " ":
                if latin and word_start > 0:
                    # Keep a Latin word whole: move its start to the next line.
                    lines.append("".join(line[:word_start]).rstrip(" "))
                    line = line[word_start:]
                else:
                    lines.append("".join(line))
                    line = []
                used = sum(_measure(c)[1] for c in line)
                word_start = 0 if line else -1
            if latin:
                if word_start < 0:
                    word_start = len(line)
            else:
                word_start = -1
            line.append(ch)
            used += w
        lines.append("".join(line))
    return lines


class CellText(Flowable):
    """Plain text wrapped to the cell's width, in the bundled fonts."""

    def __init__(
        self, text: str, size: float = 8, leading: float | None = None, align: str = "left", color: Any = None
    ):
        super().__init__()
        register_fonts()
        self.text = text
        self.size = size
        self.leading = leading or size * 1.3
        self.align = align
        self.color = color
        self._lines: list[str] = []
        self._for_width = -1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._for_width:
            self._lines = wrap_lines(self.text, avail_width, self.size)
            self._for_width = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.color is not None:
            canvas.setFillColor(self.color)
        # One text object for the whole cell (canvas.drawString makes one per call, and measures
        # every string again): a 300-visit record has thousands of these runs.
        text = canvas.beginText()
        font = ""
        y = self.height - self.size * 0.95
        for line in self._lines:
            x = 0.0
            if self.align != "left":
                width = sum(_measure(c)[1] for c in line) * self.size
                x = (self.width - width) / (2 if self.align == "center" else 1)
            for name, chunk in _runs(line):
                if name != font:
                    text.setFont(name, self.size)
                    font = name
                text.setTextOrigin(x, y)
                text.textLine(chunk)  # no measuring: the origin of the next run is set anyway
                x += sum(_measure(c)[1] for c in chunk) * self.size
            y -= self.leading
        canvas.drawText(text)


def _runs(line: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ch in line:
        name = _measure(ch)[0]
        if out and (out[-1][0] == name or ch == " "):
            out[-1] = (out[-1][0], out[-1][1] + ch)
        else:
            out.append((name, ch))
    return out
