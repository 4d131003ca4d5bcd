"""Names in the order Chinese readers look for them: by pinyin (陈 邓 冯 何 黄 … 王 吴 张 赵 周), as a
dictionary, Excel or WPS sorts them; not by Unicode code point, which scatters a team through the
list (伍 何 冯 刘 吴 周 … 陈 黄) and puts Jiangmen's 岑, 邝 and 冼 anywhere.

`zh_key(text)` is a sort key: each Han character (U+3400 to U+9FFF) is replaced by its rank in ICU's
Chinese collation, kept in resources/collation/zh_pinyin.bin (made from Qt's ICU by
scripts/make_pinyin_order.py: the core imports no Qt), as a character of the supplementary private
use plane, so that the key compares by code point, as Python and SQLite compare text: letters,
digits and signs before Chinese, Chinese by pinyin (a character of several readings by its
usual one: 区 as qū). Letters compare without case.

SQL sorts with the same key: `register(conn)` gives a connection the function `zh_key(text)`
(Store does it for its own), for `ORDER BY zh_key(name)`.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from functools import cache
from typing import overload

from commissioner_app.paths import resources_dir

FIRST, LAST = 0x3400, 0x9FFF  # CJK Extension A and the Unified Ideographs: every character a name uses
ORDER_FILE = resources_dir() / "collation" / "zh_pinyin.bin"
_ABOVE_ALL = 0xF0000  # ranks become characters from here: after every other character of a name


@cache
def _table() -> dict[int, str]:
    ranks = array("H")
    ranks.frombytes(ORDER_FILE.read_bytes())
    if sys.byteorder != "little":
        ranks.byteswap()
    if len(ranks) != LAST - FIRST + 1:
        raise ValueError(f"{ORDER_FILE} holds {len(ranks)} ranks, not {LAST - FIRST + 1}")
    return {FIRST + i: chr(_ABOVE_ALL + rank) for i, rank in enumerate(ranks)}


@overload
def zh_key(text: str) -> str: ...
@overload
def zh_key(text: None) -> None: ...
def zh_key(text: str | None) -> str | None:
    """A key that sorts text in Chinese (pinyin) order; None stays None (SQL's NULL, first)."""
    if text is None:
        return None
    return text.lower().translate(_table())


def register(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL function zh_key(text). (A sort of many rows keys each distinct name once
    and joins the keys: store.VISIT_NAME_KEYS; a call into Python per row costs about 2 us.)"""
    conn.create_function("zh_key", 1, zh_key, deterministic=True)
