"""The export's .xlsx workbook (XlsxWriter in constant_memory mode): what Excel and openpyxl read back."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from commissioner_app.xlsx_writer import MAX_CELL_CHARS, XlsxWriter


def write(path: Path, rows: Iterable[list[object]], title: str = "表") -> None:
    with XlsxWriter(path) as book:
        book.add_sheet(title, ["甲", "乙", "丙"], [10, 20, 30], iter(rows))


def values(path: Path, title: str = "表") -> list[tuple[object, ...]]:
    return list(load_workbook(path)[title].iter_rows(min_row=2, values_only=True))


def test_values_keep_their_types(tmp_path):
    out = tmp_path / "t.xlsx"
    write(
        out,
        [
            [1, 2.5, date(2025, 3, 3)],
            [12.0, True, datetime(2025, 1, 2, 6, 0)],
            [None, "", "x"],
            [-7, float("nan"), 10**12],
        ],
    )
    assert values(out) == [
        (1, 2.5, datetime(2025, 3, 3)),
        (12, True, datetime(2025, 1, 2, 6, 0)),
        (None, None, "x"),
        (-7, None, 10**12),
    ]
    sheet = load_workbook(out)["表"]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].is_date and sheet["A2"].data_type == "n"


def test_chinese_and_markup_round_trip(tmp_path):
    out = tmp_path / "t.xlsx"
    texts = [
        "柑橘黄龙病防控技术指导、技术培训",
        "a & b < c > d \"e\" 'f'",
        "  前后有空格  ",
        "第一行\n第二行\t制表",
        "𠀀𠮷 emoji 🍊",
        "</t></is></c><c>",
        "<r>甲 & 乙</r>",  # the form XlsxWriter takes for its own rich-text markup
    ]
    write(out, [[t] for t in texts])
    assert [r[0] for r in values(out)] == texts


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    out = tmp_path / "t.xlsx"
    texts = [
        '=HYPERLINK("http://example.invalid","点我")',
        "=1+1",
        "+86 138 0000 0000",
        "-2",
        "@SUM(A1)",
        "-",
    ]
    write(out, [[t] for t in texts])
    sheet = load_workbook(out)["表"]
    cells = [sheet.cell(row=i, column=1) for i in range(2, 2 + len(texts))]
    assert [c.value for c in cells] == texts
    assert all(c.data_type == "s" for c in cells)  # not "f"
    assert all(c.quotePrefix for c in cells)  # and stays text if someone edits the cell in Excel
    with zipfile.ZipFile(out) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_characters_xml_forbids_are_dropped_and_the_file_still_opens(tmp_path):
    out = tmp_path / "t.xlsx"
    write(out, [["a\x00b\x01c\x08d\x1fe\x7f", "行一\x0b行二\x0c行三", "x\ud800y\ufffez\uffff"]])
    assert values(out) == [("abcde\x7f", "行一\n行二\n行三", "xyz")]


def test_a_literal_excel_escape_is_shown_as_typed(tmp_path):
    # Excel reads _xHHHH_ in text as the character U+HHHH; the writer escapes the underscore.
    out = tmp_path / "t.xlsx"
    write(out, [["代码 _x0041_ 与 _x005F_"]])
    (value,) = values(out)[0][:1]
    assert unescape(value) == "代码 _x0041_ 与 _x005F_"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("稻" * MAX_CELL_CHARS, "稻" * MAX_CELL_CHARS),
        ("稻" * (MAX_CELL_CHARS + 1), "稻" * (MAX_CELL_CHARS - 1) + "…"),
        ("稻" * 100_000, "稻" * (MAX_CELL_CHARS - 1) + "…"),
        ("🍊" * 20_000, "🍊" * ((MAX_CELL_CHARS - 1) // 2) + "…"),  # two UTF-16 units each, as Excel counts
    ],
)
def test_text_over_the_excel_cell_limit_is_cut(tmp_path, text, expected):
    out = tmp_path / "t.xlsx"
    write(out, [[text, "后一列"]])
    assert values(out) == [(expected, "后一列", None)]


def test_sheet_layout(tmp_path):
    out = tmp_path / "t.xlsx"
    with XlsxWriter(out) as book:
        assert (
            book.add_sheet("服务记录", ["编号", "日期"], [12, 50], iter([["a", date(2025, 1, 1)]] * 3)) == 3
        )
        assert book.add_sheet("O'Brien 的表", ["编号"], [8], iter([])) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["服务记录", "O'Brien 的表"]
    ws = wb["服务记录"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B4"
    # (Excel stores a width with the padding it adds around the characters: 12 is 12.71.)
    assert round(ws.column_dimensions["A"].width) == 13 and round(ws.column_dimensions["B"].width) == 51
    head = ws["A1"]
    assert head.value == "编号" and head.font.b and head.fill.fgColor.rgb.endswith("E8EEF5")
    assert head.alignment.wrap_text and head.alignment.vertical == "center"
    assert wb["O'Brien 的表"].auto_filter.ref in ("A1", "A1:A1")  # the header alone
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
        } <= names
        for name in names:  # every part is well-formed XML
            ElementTree.fromstring(z.read(name))
        workbook = z.read("xl/workbook.xml").decode()
        assert "'O''Brien 的表'!$A$1<" in workbook and "服务记录!$A$1:$B$4" in workbook


@pytest.mark.parametrize("title", ["", "一" * 32, "a/b", "a[1]", "表"])
def test_a_sheet_name_excel_refuses_is_a_programming_error(tmp_path, title):
    with pytest.raises(ValueError), XlsxWriter(tmp_path / "t.xlsx") as book:
        book.add_sheet("表", ["甲"], [10], iter([]))
        book.add_sheet(title, ["甲"], [10], iter([]))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_old_file_and_no_debris(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")

    def rows():
        yield ["a"]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError), XlsxWriter(out) as book:
        book.add_sheet("表", ["甲"], [10], rows())
    assert out.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [out]


def test_many_rows_are_written_in_order(tmp_path):
    out = tmp_path / "t.xlsx"
    n = 3000  # several write chunks
    write(out, ([i, f"第{i}行", None] for i in range(n)))
    rows = values(out)
    assert len(rows) == n and rows[0] == (0, "第0行", None) and rows[-1] == (n - 1, f"第{n - 1}行", None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "普通文字",
        "_x0041_",
        "a_x00zz_b _X1234_ _x005F_",
        "行\r\n行\t",
        "\x01\x1f",
        "x\ufffey\uffff",
        "_x",
        7,
        None,
    ],
)
def test_the_quick_escaping_gives_what_xlsxwriter_would(text):
    # The export replaces XlsxWriter's escaping of text with a quicker one: the same result.
    from xlsxwriter.xmlwriter import XMLwriter

    from commissioner_app.xlsx_writer import excel_escaped

    assert excel_escaped(text) == XMLwriter._escape_control_characters(text)
