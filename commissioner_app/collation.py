"""Names in the order Chinese readers look for them: by pinyin (陈 邓 冯 何 黄 … 王 吴 张 赵 周), as a
dictionary, Excel or WPS sorts them; not by Unicode code point, which scatters a team through the
list (伍 何 冯 刘 吴 周 … 陈 黄) and puts Jiangmen's 岑, 邝 and 冼 anywhere.

`zh_key(text)` is a sort key: each Han character (U+3400 to U+9FFF) is replaced by its rank in ICU's
Chinese collation, kept in resources/collation/zh_pinyin.bin (made from Qt's ICU by
scripts/make_pinyin_order.py: the core imports no Qt), as a character of the supplementary private
use plane, so that the key compares by code point, as Python and SQLite compare text: letters,
digits and signs before Chinese, Chinese by pinyin (a character of several readings by its
usual one: 区 as qū). Letters compare without case.

A person's name sorts by `name_key(text)`: the same, but a surname read otherwise than its
character's usual reading is keyed by its reading as a surname (曾 as zēng, not céng; 区 as ōu, as in
Jiangmen; 单 shàn, 解 xiè, 仇 qiú ...): a team's 曾 came among the C names, between 曹 and 柴.

SQL sorts with the same keys: `register(conn)` gives a connection the functions `zh_key(text)` and
`zh_name_key(text)` (Store does it for its own), for `ORDER BY zh_key(name)`.
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


# Surnames whose reading as a surname is not their character's usual one (which ICU sorts by), each
# with a character of the surname's reading: the surname sorts as that character, before the names
# it begins (区 names come together, after 欧 alone and before 欧阳).
SURNAME_READINGS = {
    "区": "欧",  # ōu, not qū
    "曾": "增",  # zēng, not céng
    "单": "善",  # shàn, not dān
    "仇": "求",  # qiú, not chóu
    "解": "谢",  # xiè, not jiě
    "查": "渣",  # zhā, not chá
    "朴": "瓢",  # piáo, not pǔ
    "盖": "葛",  # gě, not gài
    "乐": "岳",  # yuè, not lè
    "覃": "秦",  # qín, not tán
    "缪": "妙",  # miào, not miù
    "种": "虫",  # chóng, not zhǒng
    "召": "绍",  # shào, not zhào
    "翟": "宅",  # zhái, not dí
    "秘": "必",  # bì, not mì
    "繁": "婆",  # pó, not fán
    "阚": "看",  # kàn, not hǎn
    "隗": "伟",  # wěi, not kuí
    "员": "运",  # yùn, not yuán
    "重": "崇",  # chóng, not zhòng
    "黑": "贺",  # hè, not hēi
    "洗": "冼",  # xiǎn, as 冼 (a Guangdong surname written so too), not xǐ
}
_BEFORE_HAN = chr(_ABOVE_ALL - 1)  # after every letter, digit and sign; before every Han character


@overload
def name_key(text: str) -> str: ...
@overload
def name_key(text: None) -> None: ...
def name_key(text: str | None) -> str | None:
    """zh_key of a person's name, its first character read as a surname (SURNAME_READINGS)."""
    if text is None:
        return None
    name = text.strip()
    reading = SURNAME_READINGS.get(name[:1])
    if reading is None:
        return zh_key(text)
    return zh_key(reading) + _BEFORE_HAN + zh_key(name[1:])


def register(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL functions zh_key(text) and zh_name_key(text). (A sort of many rows keys
    each distinct name once and joins the keys: store.VISIT_NAME_KEYS; a call into Python per row
    costs about 2 us.)"""
    conn.create_function("zh_key", 1, zh_key, deterministic=True)
    conn.create_function("zh_name_key", 1, name_key, deterministic=True)
