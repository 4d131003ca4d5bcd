#!/usr/bin/env python3
"""Fill English translations of the GUI catalog from tab-separated lines.

    python3 dev.py lupdate                                   # the catalog knows the new strings
    python3 scripts/apply_translations.py strings.tsv ...    # fill their English
    python3 dev.py setup                                     # compile (dev.py test does it too)

Each line of a TSV file is `Context<TAB>Chinese<TAB>English` (the context is the class whose
`self.tr()` made the string, or the first argument of `QCoreApplication.translate`); `\\n`, `\\t`
and `\\\\` in the Chinese and the English stand for a line break, a tab and a backslash; empty lines
and lines starting with `#` are skipped.

Only messages that `pyside6-lupdate` put in the catalog and that are not yet translated are filled;
a finished translation is never changed (edit it in Qt Linguist). Each Chinese phrase has one
English in the whole catalog: when the phrase is already translated elsewhere, that English is
used, and a different English in the TSV is reported. Untranslated messages whose Chinese is
translated elsewhere are filled from there too. The file is edited in place, keeping lupdate's
layout, so running lupdate again changes nothing.

Prints what it did not apply; exits 1 when messages are still untranslated (listing them), 2 on a
malformed line.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "ui" / "translations" / "app_en.ts"

_CONTEXT = re.compile(r"<context>\s*<name>(.*?)</name>(.*?)</context>", re.S)
_MESSAGE = re.compile(r"<message(?: [^>]*)?>(.*?)</message>", re.S)
_SOURCE = re.compile(r"<source>(.*?)</source>", re.S)
_TRANSLATION = re.compile(
    r'<translation(?P<attrs>(?: [a-z]+="[^"]*")*)(?:/>|>(?P<text>.*?)</translation>)', re.S
)
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


class MalformedLine(ValueError):
    pass


@dataclass
class Message:
    context: str
    source: str
    english: str
    finished: bool
    start: int  # where the <translation> element is in the file
    end: int
    changed: bool = False


def unescape_xml(text: str) -> str:
    return ET.fromstring(f"<t>{text}</t>").text or ""


def escape_xml(text: str) -> str:
    """As lupdate and Qt Linguist write text (so the file is the same as theirs)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "&<>\"'":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}[ch])
        elif (code < 0x20 or (code > 0x7F and ch.isspace())) and ch not in "\n\t":
            out.append(f"&#x{code:x};")
        else:
            out.append(ch)
    return "".join(out)


def unescape_tsv(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def read_tsv(path: Path) -> list[tuple[str, str, str, str]]:
    """(context, Chinese, English, where) of each line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise MalformedLine(f"{path}:{number}: expected Context<TAB>Chinese<TAB>English, got {line!r}")
        context, chinese, english = (unescape_tsv(f) for f in fields)
        rows.append((context.strip(), chinese, english, f"{path}:{number}"))
    return rows


def read_catalog(text: str) -> list[Message]:
    found = []
    for context in _CONTEXT.finditer(text):
        name = unescape_xml(context.group(1))
        for message in _MESSAGE.finditer(text, context.start(2), context.end(2)):
            source = _SOURCE.search(message.group(1))
            translation = _TRANSLATION.search(text, message.start(1), message.end(1))
            if source is None or translation is None:
                continue
            english = unescape_xml(translation.group("text") or "")
            finished = "type=" not in translation.group("attrs") and bool(english.strip())
            found.append(
                Message(
                    name,
                    unescape_xml(source.group(1)),
                    english,
                    finished,
                    translation.start(),
                    translation.end(),
                )
            )
    return found


@dataclass
class Outcome:
    filled: int
    notes: list[str]
    untranslated: list[Message]


def apply(catalog: Path, rows: list[tuple[str, str, str, str]]) -> Outcome:
    text = catalog.read_text(encoding="utf-8")
    messages = read_catalog(text)
    by_key = {(m.context, m.source): m for m in messages}
    settled = {m.source: m.english for m in messages if m.finished}  # one English per Chinese phrase
    notes = []
    for context, chinese, english, where in rows:
        message = by_key.get((context, chinese))
        if message is None:
            notes.append(f"{where}: not in the catalog ({context}: {chinese!r}); run python3 dev.py lupdate?")
            continue
        if message.finished or message.changed:
            if message.english != english:
                notes.append(
                    f"{where}: kept the catalog's {message.english!r} for {chinese!r}, not {english!r}"
                )
            continue
        if settled.get(chinese, english) != english:
            notes.append(
                f"{where}: {chinese!r} is {settled[chinese]!r} elsewhere in the catalog; "
                f"used that, not {english!r}"
            )
        message.english, message.changed = settled.setdefault(chinese, english), True
    for message in messages:
        if not message.finished and not message.changed and message.source in settled:
            message.english, message.changed = settled[message.source], True
    out, last = [], 0
    for message in messages:
        if message.changed:
            out += [text[last : message.start], f"<translation>{escape_xml(message.english)}</translation>"]
            last = message.end
    out.append(text[last:])
    catalog.write_text("".join(out), encoding="utf-8")
    filled = sum(m.changed for m in messages)
    return Outcome(filled, notes, [m for m in messages if not m.finished and not m.changed])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="+", type=Path, help="Context<TAB>Chinese<TAB>English files")
    parser.add_argument("--catalog", type=Path, default=CATALOG, help=f"default: {CATALOG.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        rows = [row for path in args.tsv for row in read_tsv(path)]
    except MalformedLine as exc:
        print(exc, file=sys.stderr)
        return 2
    outcome = apply(args.catalog, rows)
    for note in outcome.notes:
        print(note, file=sys.stderr)
    print(f"{args.catalog}: filled {outcome.filled} translation(s)")
    if outcome.untranslated:
        print("still untranslated (add them to a TSV or translate them in Qt Linguist):", file=sys.stderr)
        for m in outcome.untranslated:
            print(f"  {m.context}\t{m.source!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
