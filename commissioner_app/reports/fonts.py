"""Fonts of the PDF documents: both bundled, both embedded (subset), none from the viewer.

The bundled CJK font (DroidSansFallbackFull) has Chinese glyphs but no Latin letters or digits, and
reportlab has no font fallback, so every text is split into runs: characters the CJK font has use
it, the rest (digits, Latin, □ ≥ × and the like) use the bundled DejaVu Sans. Paragraph markup gets
`<font>` tags per run; canvas text and chart labels are drawn run by run.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from commissioner_app.paths import font_path, resources_dir

CJK = "CommissionerCJK"
LATIN = "CommissionerLatin"


def latin_font_path():  # -> Path
    return resources_dir() / "fonts" / "DejaVuSans.ttf"


@cache
def register_fonts() -> None:
    """Register both fonts once per process (TrueType fonts are embedded as subsets by reportlab)."""
    pdfmetrics.registerFont(TTFont(CJK, str(font_path())))
    pdfmetrics.registerFont(TTFont(LATIN, str(latin_font_path())))
    # <b>/<i> in markup map to the same faces: no standard font may slip in.
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN, italic=LATIN, boldItalic=LATIN)
    # A table cell holding a plain string is drawn in CellStyle.fontname (Helvetica by default,
    # never embedded): our documents' tables default to the bundled font instead.
    from reportlab import rl_config
    from reportlab.graphics import shapes
    from reportlab.platypus import tables

    shapes.STATE_DEFAULTS["fontName"] = CJK  # charts start from this font (Times-Roman otherwise)
    from commissioner_app.reports import linebreak

    linebreak.install()  # no line starts with a closing mark
    rl_config.useA85 = 0  # binary streams: ASCII85 of photos costs time (pure Python) and space
    # Charts are built by this code, not by users: checking every attribute set on every chart
    # shape (a debugging aid of reportlab's) was a tenth of an annual record's time.
    rl_config.shapeChecking = 0

    tables.CellStyle.fontname = CJK


@cache
def _cjk_codes() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(CJK)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


@cache
def _latin_codes() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(LATIN)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _undrawable(ch: str) -> bool:
    """An emoji or pictograph (or its joiner and selector) that neither bundled font draws: left out
    of a document rather than printed as empty boxes (a cold try: "陈大伯 👨‍🌾" on a visit sheet).
    A Chinese character neither font has stays, and shows as □: a name must not lose one unseen."""
    if ch in "\u200d\ufe0e\ufe0f\u20e3":  # the joiner and selectors of emoji sequences
        return True
    code = ord(ch)
    if code in _cjk_codes() or code in _latin_codes():
        return False  # (DejaVu Sans draws ☀ ✓ ★ and the like)
    return (
        0x1F000 <= code <= 0x1FAFF  # emoji, pictographs, symbols and flags
        or 0x2600 <= code <= 0x27BF  # miscellaneous symbols, dingbats
        or 0xE0020 <= code <= 0xE007F  # tag characters (flags)
    )


def font_of(ch: str) -> str:
    # The space exists in both; keeping it with the CJK font avoids needless font switches.
    return CJK if ord(ch) in _cjk_codes() else LATIN


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, chunk) runs."""
    out: list[tuple[str, str]] = []
    current = ""
    chunk: list[str] = []
    for ch in text:
        if ch > "\u2000" and _undrawable(ch):
            continue
        name = font_of(ch) if ch != " " or not current else current
        if name != current and chunk:
            out.append((current, "".join(chunk)))
            chunk = []
        current = name
        chunk.append(ch)
    if chunk:
        out.append((current, "".join(chunk)))
    return out


def markup(text: object) -> str:
    """Escaped Paragraph markup of plain text with a font tag around every non-CJK run."""
    parts = []
    for name, chunk in runs(str(text)):
        safe = escape(chunk).replace("\n", "<br/>")
        parts.append(safe if name == CJK else f'<font name="{LATIN}">{safe}</font>')
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text))


def draw_text(canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """Draw one line of mixed text on a canvas; align is left, center or right."""
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    for name, chunk in runs(text):
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)


def label_font(text: str) -> str:
    """One font for a chart label (labels are kept to one script: digits, or Chinese)."""
    names = {name for name, _ in runs(text)}
    return LATIN if names == {LATIN} else CJK
