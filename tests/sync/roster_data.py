"""A generated roster of the bureau (commissioner_app/roster.py's columns), with chosen bad rows."""

from __future__ import annotations

import random
from pathlib import Path

from commissioner_app.roster import COLUMNS

COUNTIES = ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
UNITS = ["五邑大学", "华南农业大学", "广东省农业科学院", "江门职业技术学院"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
# Each bad row breaks one column in one of these ways (cycled).
FAULTS = ("no_name", "bad_mobile", "unknown_county", "duplicate_mobile", "bad_gender", "bad_role", "no_unit")


def roster_rows(n: int, bad: int = 0, seed: int = 7) -> tuple[list[list[str]], set[int]]:
    """n data rows (sheet rows 2..n+1) and the sheet row numbers made bad (one error each)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(n):
        county = COUNTIES[i % len(COUNTIES)]
        role = "团长" if i % 50 == 0 else ("县科技局" if i % 97 == 1 else "科技特派员")
        rows.append(
            [
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                rng.choice("男女"),
                rng.choice(UNITS),
                rng.choice(["教授", "副教授", "高级农艺师", "农艺师", ""]),
                rng.choice(["柑橘栽培", "水稻育种", "水产养殖", "茶叶加工", "农业机械"]),
                f"139{i:08d}",
                f"{county}第{i // 50 + 1}科技特派团",
                f"{county}第{i // 25 + 1}工作站",
                county,
                role,
            ]
        )
    picked = sorted(rng.sample(range(2, n), bad)) if bad else []
    bad_rows = set()
    for k, i in enumerate(picked):
        fault = FAULTS[k % len(FAULTS)]
        row = rows[i]
        if fault == "no_name":
            row[0] = ""
        elif fault == "bad_mobile":
            row[5] = row[5][:7]
        elif fault == "unknown_county":
            row[8] = "朝阳区"
        elif fault == "duplicate_mobile":
            row[5] = rows[i - 1][5] if i - 1 not in picked else rows[i - 2][5]
        elif fault == "bad_gender":
            row[1] = "未知"
        elif fault == "bad_role":
            row[9] = "园长"
        elif fault == "no_unit":
            row[2] = ""
            row[9] = "科技特派员"
        bad_rows.add(i + 2)  # sheet row: the header is row 1
    return rows, bad_rows


def write_roster(path: Path, rows: list[list[str]]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名册")
    for c, name in enumerate(COLUMNS):
        sheet.write_string(0, c, name)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return path


def make_roster(path: Path, n: int, bad: int = 0, seed: int = 7) -> set[int]:
    rows, bad_rows = roster_rows(n, bad, seed)
    write_roster(path, rows)
    return bad_rows
