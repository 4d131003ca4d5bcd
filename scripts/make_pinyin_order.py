#!/usr/bin/env python3
"""Write resources/collation/zh_pinyin.bin: the pinyin order of every Han character the core sorts.

    .venv/bin/python scripts/make_pinyin_order.py            # writes the file
    .venv/bin/python scripts/make_pinyin_order.py --check    # exit 1 if the file differs

Chinese readers find names in pinyin order (陈 邓 冯 何 黄 … 张 赵 周), as a dictionary, Excel or
WPS sorts them. That order is ICU's Chinese collation, which Qt carries (QCollator); the core imports
no Qt and SQLite sorts without it, so the order of each character is taken here once and kept as
data (commissioner_app/collation.py reads it): for each code point from FIRST to LAST, its rank
among them all, as an unsigned 16-bit little-endian number. Characters ICU orders alike (the same
reading, strokes and all) keep their code point order between them.
"""

from __future__ import annotations

import argparse
import os
import sys
from array import array
from functools import cmp_to_key
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.collation import FIRST, LAST, ORDER_FILE  # noqa: E402


def ranks() -> bytes:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCollator, QLocale

    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    characters = [chr(c) for c in range(FIRST, LAST + 1)]

    def compare(a: str, b: str) -> int:
        return collator.compare(a, b) or (a > b) - (a < b)

    in_order = sorted(characters, key=cmp_to_key(compare))
    rank = array("H", bytes(2 * len(characters)))
    for n, character in enumerate(in_order):
        rank[ord(character) - FIRST] = n
    if sys.byteorder != "little":
        rank.byteswap()
    return rank.tobytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file kept")
    args = parser.parse_args()
    data = ranks()
    if args.check:
        same = ORDER_FILE.exists() and ORDER_FILE.read_bytes() == data
        print(f"{ORDER_FILE}: {'as made here' if same else 'differs from what ICU gives here'}")
        return 0 if same else 1
    ORDER_FILE.parent.mkdir(parents=True, exist_ok=True)
    ORDER_FILE.write_bytes(data)
    print(f"wrote {ORDER_FILE} ({len(data)} bytes, {len(data) // 2} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
