"""Chinese line breaking in the PDFs: no line starts with a closing mark (。，、；：）” and the like).

reportlab's CJK wrapping keeps one closing mark that would start a line at the end of the line
before (it hangs in the margin), but not two: after "满意度）" the "。" began the next line, alone.
Here a paragraph whose lines break so is wrapped again with the line before a little narrower, so
that the character before the marks goes down with them (追い出し, as Chinese and Japanese
typesetting do), up to a few times; a paragraph that breaks well is wrapped once, as before.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.platypus import paragraph

# reportlab's set is Japanese typesetting's: it has neither the full-width comma nor the semicolon,
# colon, question and exclamation marks of Chinese (a visit sheet's lines began with "，").
CANNOT_START = frozenset(ALL_CANNOT_START) | frozenset("，。、；：？！）》」』】〕〗〙〛｝”’…％")

_TRIES = 4  # re-breaks of a paragraph at least (each fixes one line); a long one gets one a line
_installed = False


def _first_char(line: Any) -> str:
    for word in getattr(line, "words", None) or []:
        text = getattr(word, "text", "")
        if text:
            return str(text[0])
    return ""


def _bad_line(lines: list[Any]) -> int | None:
    """The first line (after the first) that starts with a mark no line may start with."""
    for n, line in enumerate(lines[1:], 1):
        if getattr(lines[n - 1], "lineBreak", False):
            continue  # a forced break (<br/>): the author's
        first = _first_char(line)
        if first and first in CANNOT_START:
            return n
    return None


def _bad_plain_line(lines: list[Any]) -> int | None:
    """The same for the lines of a paragraph of one font: (space left, text) pairs."""
    for n, (_space, text) in enumerate(lines[1:], 1):
        if text and str(text)[0] in CANNOT_START:
            return n
    return None


def _rebreak(first: Any, again: Any, bad_line: Any, lines_of: Any, max_widths: Any, size: float) -> Any:
    """Break, then while a line starts with a closing mark, break again with the line before it a
    little narrower. Each try fixes the first such line and leaves the lines before it as they were,
    so a paragraph needs at most one try a line (the visit sheet's long content had two such lines
    past the fourth, when the tries were four)."""
    result = first
    widths = list(max_widths)
    for _ in range(max(_TRIES, len(lines_of(result)))):
        lines = lines_of(result)
        bad = bad_line(lines)
        if bad is None:
            break
        while len(widths) < len(lines):
            widths.append(widths[-1])
        # The line before ends a character earlier (two: the hung mark and the one before it).
        widths[bad - 1] = max(size * 4, widths[bad - 1] - 2 * size)
        result = again(widths)
    return result


def install() -> None:
    """Wrap reportlab's CJK line splitters (once per process): the one of a paragraph of several
    fonts, and the one of a paragraph in one font (all Chinese), which reportlab splits apart."""
    global _installed
    if _installed:
        return
    original = paragraph.cjkFragSplit
    plain = paragraph.wordSplit

    def split(frags: Any, maxWidths: Any, calcBounds: Any, encoding: str = "utf8") -> Any:
        size = max((getattr(f, "fontSize", 10) for f in frags), default=10)
        return _rebreak(
            original(frags, maxWidths, calcBounds, encoding),
            lambda widths: original(frags, widths, calcBounds, encoding),
            _bad_line,
            lambda result: result.lines,
            maxWidths,
            size,
        )

    def word_split(word: Any, maxWidths: Any, fontName: str, fontSize: float, encoding: str = "utf8") -> Any:
        widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
        return _rebreak(
            plain(word, maxWidths, fontName, fontSize, encoding),
            lambda narrower: plain(word, narrower, fontName, fontSize, encoding),
            _bad_plain_line,
            lambda result: result,
            widths,
            fontSize,
        )

    paragraph.cjkFragSplit = split
    paragraph.wordSplit = word_split
    _installed = True
