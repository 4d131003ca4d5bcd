"""What every document shares: A4 page, styles, footer with page numbers and data state, metadata."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from commissioner_app import i18n
from commissioner_app.errors import CommissionerError, os_reason
from commissioner_app.i18n import Message
from commissioner_app.reports.fonts import CJK, LATIN, draw_text, markup, register_fonts
from commissioner_app.reports.text import CellText
from commissioner_app.store import SYNC_STATES, Store

log = logging.getLogger("commissioner.reports")

PAGE = A4
MARGIN = 15 * mm
FOOTER_Y = 8 * mm
GRID = colors.HexColor("#8c8c8c")
HEAD_BG = colors.HexColor("#e8eef5")
SUB_BG = colors.HexColor("#f5f5f5")
ACCENT = colors.HexColor("#2f6db5")
AUTHOR = Message("科技特派员服务记录", "Field Commissioner")


def tr(zh: str, en: str) -> str:
    """Document text in the current language (Chinese by default)."""
    return en if i18n.language() == "en" else zh


def _style(
    name: str, size: float, leading: float | None = None, align: int = TA_LEFT, **kw: Any
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=CJK,
        fontSize=size,
        leading=leading or size * 1.4,
        alignment=align,
        wordWrap="CJK",
        bulletFontName=CJK,
        **kw,
    )


class Styles:
    def __init__(self) -> None:
        register_fonts()
        self.title = _style("title", 17, 24, TA_CENTER, spaceAfter=2 * mm)
        self.subtitle = _style(
            "subtitle", 10.5, 15, TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=3 * mm
        )
        self.h2 = _style(
            "h2", 12.5, 18, spaceBefore=4 * mm, spaceAfter=2 * mm, textColor=ACCENT, keepWithNext=1
        )
        self.body = _style("body", 9.5, 14)
        self.small = _style("small", 8, 11)
        self.note = _style("note", 8, 11, textColor=colors.HexColor("#555555"))
        self.cell = _style("cell", 8.5, 11.5)
        self.cell_small = _style("cell_small", 7.5, 10)
        self.cell_right = _style("cell_right", 8.5, 11.5, TA_RIGHT)
        self.cell_center = _style("cell_center", 8.5, 11.5, TA_CENTER)
        self.head = _style("head", 8.5, 11.5, TA_CENTER)
        self.label = _style("label", 9, 12.5, textColor=colors.HexColor("#333333"))


_STYLES: Styles | None = None


def styles() -> Styles:
    global _STYLES
    if _STYLES is None:
        _STYLES = Styles()
    return _STYLES


# Parsed paragraph markup by (markup, style): the headings, labels and indicator names of a
# document are the same in every document of a batch, and parsing them was a tenth of the time of
# a short annual record. reportlab only reads the fragments when it wraps, splits and draws.
_PARSED: dict[tuple[str, ParagraphStyle], list[Any]] = {}
_PARSED_MAX = 2000


def P(text: object, style: ParagraphStyle | None = None) -> Paragraph:  # reads like reportlab's
    """A paragraph of plain text (escaped, fonts per script)."""
    source = markup("" if text is None else text)
    style = style or styles().body
    frags = _PARSED.get((source, style))
    if frags is not None:
        return Paragraph(source, style, frags=frags)
    paragraph = Paragraph(source, style)
    if len(_PARSED) < _PARSED_MAX:  # the common texts come first in every document; names need no cache
        _PARSED[(source, style)] = paragraph.frags
    return paragraph


def num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    if digits == 0:
        return f"{round(value):,}" if abs(value) >= 10000 else f"{round(value)}"
    return f"{value:,.{digits}f}"


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
    zebra: bool = False,
    row_heights: Sequence[float | None] | None = None,
    plain_cols: Sequence[int] = (),
    body_size: float = 8.5,
) -> Table:
    """A table with a grid, a shaded header row repeated on every page, and cells as paragraphs.

    Body cells of `plain_cols` hold numbers or dates: they stay plain strings in the Latin font
    (one line, much faster to lay out than paragraphs on tables of hundreds of rows).
    """
    s = styles()
    plain = set(plain_cols)
    data = [
        [
            c
            if isinstance(c, Flowable) or (i >= header_rows and j in plain)
            else P(c, s.head)
            if i < header_rows
            else CellText(str(c), body_size)
            for j, c in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(
        data,
        colWidths=list(widths),
        repeatRows=header_rows,
        rowHeights=list(row_heights) if row_heights else None,
    )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), CJK),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG))
    if zebra:
        for r in range(header_rows + 1, len(data), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), SUB_BG))
    commands += [("FONTNAME", (j, header_rows), (j, -1), LATIN) for j in sorted(plain)]
    commands += [("FONTSIZE", (j, header_rows), (j, -1), body_size) for j in sorted(plain)]
    commands += list(extra)
    table.setStyle(TableStyle(commands))
    return table


def data_state(store: Store) -> str:
    """The data's sync state for the footer: last sync and records still waiting to sync."""
    last = store.get_meta("last_sync_at")
    waiting = store.waiting_to_sync()
    if last:
        when = last[:16].replace("T", " ")
        return tr(
            f"数据同步状态：最近同步于 {when}，本机待同步记录 {waiting} 条",
            f"Data: last synced {when}, {waiting} records waiting to sync",
        )
    return tr(
        f"数据同步状态：本机尚未同步，待同步记录 {waiting} 条",
        f"Data: never synced on this computer, {waiting} records waiting to sync",
    )


def record_sync_state(row: dict[str, Any]) -> str:
    return SYNC_STATES.get(row.get("sync_state", ""), Message("", "")).text()


class _NumberedCanvas(Canvas):
    """Draws "第 N 页 共 M 页" once the page count is known; every text in the document's fonts."""

    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The page preamble sets an initial font; it must be ours, or Helvetica lands in the file.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or CJK
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFillColor(colors.HexColor("#555555"))
        self.setStrokeColor(colors.HexColor("#bbbbbb"))
        self.setLineWidth(0.4)
        self.line(MARGIN, FOOTER_Y + 9, width - MARGIN, FOOTER_Y + 9)
        draw_text(self, MARGIN, FOOTER_Y, self.footer_left, 7)
        draw_text(
            self,
            width - MARGIN,
            FOOTER_Y,
            tr(f"第 {self._pageNumber} 页 共 {total} 页", f"Page {self._pageNumber} of {total}"),
            7.5,
            "right",
        )
        self.restoreState()


def build_pdf(
    out: Path | IO[bytes],
    story: list[Flowable],
    *,
    title: str,
    store: Store,
    subject: str = "",
    extra_footer: str = "",
    data_state_text: str | None = None,
) -> int:
    """Lay out `story` on A4 with the shared footer and metadata; returns the number of pages.

    `data_state_text`: the footer's data state (`data_state`), when the caller has it already.
    """
    register_fonts()
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    state = data_state(store) if data_state_text is None else data_state_text
    footer = tr(f"生成时间：{generated}", f"Generated {generated}") + "  ·  " + state
    if extra_footer:
        footer += "  ·  " + extra_footer
    canvas_class = type("DocumentCanvas", (_NumberedCanvas,), {"footer_left": footer})
    target: Any = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(
        target,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        title=title,
        author=AUTHOR.text(),
        subject=subject,
        creator=AUTHOR.text(),
        initialFontName=CJK,
        lang="zh-CN" if i18n.language() != "en" else "en",
    )
    try:
        doc.build(story, canvasmaker=canvas_class)
    except OSError as exc:
        raise CommissionerError(
            Message(
                f"无法写入文件 {out}：{os_reason(exc).zh}",
                f"Cannot write the file {out}: {os_reason(exc).en}",
            )
        ) from None
    return int(doc.page)


def frame_size() -> tuple[float, float]:
    """Width and height available for content on a page (the frame keeps 6 pt padding on each side)."""
    return PAGE[0] - 2 * MARGIN - 12, PAGE[1] - 2 * MARGIN - 5 * mm - 12


def to_bytes(build: Any, *args: Any, **kwargs: Any) -> bytes:
    buf = io.BytesIO()
    build(buf, *args, **kwargs)
    return buf.getvalue()
