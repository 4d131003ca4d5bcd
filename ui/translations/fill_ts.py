"""What the fill_*_en.py scripts share: write the English of every message of a .ts file that
pyside6-lupdate made, from a table of Chinese source -> English."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def fill(path: str, english: dict[str, str]) -> list[str]:
    """Translate the messages of `path` in place; returns the sources `english` has no entry for."""
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in english:
            translation.text = english[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return missing


def main(english: dict[str, str]) -> None:
    """`python fill_x_en.py FILE.ts`: fill it; fail, listing them, if a source has no English."""
    missing = fill(sys.argv[1], english)
    if missing:
        sys.exit("no English for:\n" + "\n".join(missing))
