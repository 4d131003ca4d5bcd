"""Names come in pinyin order, as Chinese readers look for them in a list: a manager's visits by
commissioner, the served parties, the assessment's ties; not by Unicode code point, which put
伍 before 何 and 陈 near the end, and Jiangmen's 岑, 邝 and 冼 anywhere."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from commissioner_app.collation import name_key, zh_key
from commissioner_app.domain import Commissioner, ServiceTarget
from commissioner_app.store import Store, VisitQuery

from .conftest import make_visit

ROOT = Path(__file__).resolve().parents[2]

# A team's names, as the code point order had them.
NAMES = "伍思敏 何丽 冼永强 区志雄 周 岑建华 李强 王芳 赵敏 邝美玲 陈伟 黄丽".split()
IN_PINYIN = "岑建华 陈伟 何丽 黄丽 邝美玲 李强 区志雄 王芳 伍思敏 冼永强 赵敏 周".split()


def test_names_sort_by_pinyin_with_letters_and_digits_first() -> None:
    assert sorted(NAMES) == NAMES  # what the lists showed
    assert sorted(NAMES, key=zh_key) == IN_PINYIN
    # A name and its longer forms stay together, shorter first; letters and digits come before
    # Chinese, without regard to case.
    assert sorted(["陈伟", "陈", "Zhang Wei", "2号基地", "abc合作社", "陈小明"], key=zh_key) == [
        "2号基地",
        "abc合作社",
        "Zhang Wei",
        "陈",
        "陈伟",
        "陈小明",
    ]
    assert zh_key("ABC") == zh_key("abc")
    assert zh_key(None) is None and zh_key("") == ""


def add_visits_of(store: Store, names: list[str]) -> None:
    """A visit each of commissioners called `names`, to one served party."""
    target = store.save(ServiceTarget(type="village", name="大泽镇五和村", county="新会区", town="大泽镇"))
    for n, name in enumerate(names):
        person = store.save(Commissioner(name=name, sending_unit="五邑大学"))
        day = date.today() - timedelta(days=n + 1)
        store.save(make_visit(target, commissioner_id=person.id, visit_date=day))


def by_commissioner(store: Store, descending: bool = False) -> list[str]:
    """The commissioners' names down the visit list sorted by commissioner."""
    ids = store.visit_ids(VisitQuery(order_by="commissioner_name", descending=descending))
    rows = store.visit_rows(ids)
    return [rows[i]["commissioner_name"] for i in ids]


def test_the_store_lists_visits_and_served_parties_by_pinyin(store: Store) -> None:
    add_visits_of(store, NAMES)
    assert by_commissioner(store) == IN_PINYIN
    assert by_commissioner(store, descending=True) == IN_PINYIN[::-1]

    # Served parties of one town, by name; the places themselves by pinyin too (江海区 before 新会区).
    for name in ("周郡村", "岑洞村", "陈冲村", "伍村"):
        store.save(ServiceTarget(type="village", name=name, county="新会区", town="大泽镇"))
    store.save(ServiceTarget(type="village", name="外海村", county="江海区", town="外海街道"))
    listed = [t["name"] for t in store.list_targets()]
    assert listed == ["外海村", "岑洞村", "陈冲村", "大泽镇五和村", "伍村", "周郡村"]
    by_target = store.visit_ids(VisitQuery(order_by="target_name", descending=False))
    assert len(by_target) == len(NAMES)


def test_the_kept_order_is_icus_chinese_order() -> None:
    """resources/collation/zh_pinyin.bin is what scripts/make_pinyin_order.py makes from Qt's ICU."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_pinyin_order.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_visit_without_a_profile_sorts_first(store: Store) -> None:
    target = store.save(ServiceTarget(type="village", name="大泽镇五和村", county="新会区", town="大泽镇"))
    named = store.save(Commissioner(name="岑建华", sending_unit="五邑大学"))
    store.save(make_visit(target, commissioner_id=named.id))
    store.save(make_visit(target, commissioner_id=Commissioner(name="").id))  # no profile record
    ids = store.visit_ids(VisitQuery(order_by="commissioner_name", descending=False))
    rows = store.visit_rows(ids)
    assert [rows[i]["commissioner_name"] for i in ids] == [None, "岑建华"]


# A team of surnames read otherwise than their characters' usual reading: 曾 (zēng, not céng), 区
# (ōu, not qū, a Jiangmen surname), 单 (shàn, not dān), 解 (xiè, not jiě), 仇 (qiú, not chóu).
TEAM = "曾志强 曹明 柴静 区伟 欧阳华 欧 邱红 单田芳 丁一 解放 谢娜 仇英 钱多 张三".split()
TEAM_BY_NAME = "曹明 柴静 丁一 欧 区伟 欧阳华 钱多 邱红 仇英 单田芳 解放 谢娜 曾志强 张三".split()


def test_people_sort_by_their_surnames_reading() -> None:
    assert sorted(TEAM, key=name_key) == TEAM_BY_NAME
    # By the characters' usual readings, as zh_key sorts places and companies: 曾 among the C names.
    assert sorted(TEAM, key=zh_key).index("曾志强") < sorted(TEAM, key=zh_key).index("柴静")
    # Only the first character is a surname; a name without such a surname keys as zh_key does.
    assert name_key("陈曾") == zh_key("陈曾") and name_key(None) is None and name_key("") == ""


def test_the_store_and_sql_sort_people_by_their_surnames_reading(store: Store) -> None:
    add_visits_of(store, TEAM)
    assert by_commissioner(store) == TEAM_BY_NAME
    in_sql = [r[0] for r in store.db.execute("SELECT name FROM commissioners ORDER BY zh_name_key(name)")]
    assert in_sql == TEAM_BY_NAME
