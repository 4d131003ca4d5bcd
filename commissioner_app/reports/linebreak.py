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

_TRIES = 4  # lines re-broken per paragraph at most: each try fixes one
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
        if first and first in ALL_CANNOT_START:
            return n
    return None


def install() -> None:
    """Wrap reportlab's CJK line splitter (once per process)."""
    global _installed
    if _installed:
        return
    original = paragraph.cjkFragSplit

    def split(frags: Any, maxWidths: Any, calcBounds: Any, encoding: str = "utf8") -> Any:
        result = original(frags, maxWidths, calcBounds, encoding)
        widths = list(maxWidths)
        size = max((getattr(f, "fontSize", 10) for f in frags), default=10)
        for _ in range(_TRIES):
            bad = _bad_line(result.lines)
            if bad is None:
                break
            while len(widths) < len(result.lines):
                widths.append(widths[-1])
            # The line before ends a character earlier (two: the hung mark and the one before it).
            widths[bad - 1] = max(size * 4, widths[bad - 1] - 2 * size)
            result = original(frags, widths, calcBounds, encoding)
        return result

    paragraph.cjkFragSplit = split
    _installed = True
