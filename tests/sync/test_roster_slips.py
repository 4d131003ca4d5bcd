"""The account slips hold one-time passwords that exist nowhere else: a second import into the same
folder writes a new pair of files beside the first (it replaced them, and the first batch's codes
were lost), and every slip file is readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

from commissioner_app.roster import write_slips_pdf, write_slips_xlsx
from sync.admin_ops import slip_paths

ACCOUNTS = [
    {"name": "陈晓东", "username": "13800001001", "one_time_code": "ABCD-EFGH-JKLM", "role": "commissioner"}
]


def test_a_second_batch_of_slips_never_replaces_the_first(tmp_path: Path) -> None:
    first = slip_paths(tmp_path)
    assert [p.name for p in first] == ["账号通知.pdf", "账号通知.xlsx"]
    write_slips_xlsx(first[1], ACCOUNTS, "https://sync.example.cn")
    second = slip_paths(tmp_path)
    assert [p.name for p in second] == ["账号通知-2.pdf", "账号通知-2.xlsx"]
    write_slips_pdf(second[0], ACCOUNTS, "https://sync.example.cn")
    assert [p.name for p in slip_paths(tmp_path)] == ["账号通知-3.pdf", "账号通知-3.xlsx"]


def test_the_slips_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    pdf, xlsx = slip_paths(tmp_path)
    write_slips_pdf(pdf, ACCOUNTS, "https://sync.example.cn")
    write_slips_xlsx(xlsx, ACCOUNTS, "https://sync.example.cn")
    for path in (pdf, xlsx):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_roster_that_is_not_an_xlsx_file_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    """A CSV roster got the spreadsheet library's English error."""
    import pytest

    from commissioner_app.errors import CommissionerError
    from commissioner_app.roster import read_roster

    csv = tmp_path / "名册.csv"
    csv.write_text("姓名,手机号\n陈晓东,13800001001\n", encoding="utf-8")
    with pytest.raises(CommissionerError) as caught:
        read_roster(csv)
    assert "另存为" in caught.value.message.zh and ".xlsx" in caught.value.message.zh
    assert "openpyxl" not in caught.value.message.zh


def test_a_mobile_number_written_with_spaces_or_dashes_is_read_as_the_number(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from commissioner_app.roster import read_roster

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号码", "派出单位", "角色", "服务县（市、区）"])
    # Full-width digits, typed with a Chinese input method, are the same digits.
    for number in ("138 0000 1005", "138-0000-1006", "+86 138 0000 1007", 13800001008, "1380000１００９"):
        sheet.append(["陈晓东", number, "五邑大学", "科技特派员", "新会区"])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    assert [r["mobile"] for r in read_roster(path).rows] == [
        "13800001005",
        "13800001006",
        "13800001007",
        "13800001008",
        "13800001009",
    ]
