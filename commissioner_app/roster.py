"""The bureau's roster: the Excel file it keeps of its commissioners, read into rows for the server's
check and import (sync/server/admin.py), and the account slips handed out after the import.

The workbook's first sheet holds a header row with these Chinese column names (in any order; other
columns are ignored) and one person a row: 姓名, 性别, 派出单位, 职称, 专业特长, 手机号码, 科技特派团,
工作站, 服务县（市、区）, 角色. Problems are named by the sheet's row number and column name.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commissioner_app.domain import ACCOUNT_ROLES
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message

# The field each column fills (the server's RosterRow), in the order of the bureau's template.
COLUMNS: dict[str, str] = {
    "姓名": "name",
    "性别": "gender",
    "派出单位": "sending_unit",
    "职称": "title",
    "专业特长": "specialty",
    "手机号码": "mobile",
    "科技特派团": "team",
    "工作站": "workstation",
    "服务县（市、区）": "county",
    "角色": "role",
}
REQUIRED_COLUMNS = ("姓名", "手机号码", "服务县（市、区）")
# Header spellings seen in practice: half-width brackets, spaces.
_ALIASES = {
    "服务县(市、区)": "服务县（市、区）",
    "服务县": "服务县（市、区）",
    "手机": "手机号码",
    "手机号": "手机号码",
}
MAX_ROWS = 5000


@dataclass
class Roster:
    rows: list[dict[str, Any]]  # the server's RosterRow: row number and the fields
    letters: dict[str, str]  # column name -> the sheet's column letter


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a mobile number Excel stored as a number
    return str(value).strip()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_roster(path: Path) -> Roster:
    """The roster's rows (blank rows skipped); CommissionerError if the file cannot be read as one."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() != ".xlsx":
        raise CommissionerError(
            Message(
                f"名册 {path.name} 不是 Excel (.xlsx) 文件：CSV、.xls 等请先在 Excel 或 WPS 中“另存为” .xlsx",
                f"The roster {path.name} is not an Excel (.xlsx) file: save a CSV or .xls file as .xlsx "
                "in Excel or WPS first",
            )
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as exc:
        raise CommissionerError(
            Message(
                f"无法读取名册 {path.name}：不是有效的 Excel (.xlsx) 文件（{exc}）",
                f"Cannot read the roster {path.name}: not a valid Excel (.xlsx) file ({exc})",
            )
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = [_ALIASES.get(_text(h).replace(" ", ""), _text(h).replace(" ", "")) for h in header]
        where = {name: i for i, name in enumerate(names) if name in COLUMNS}
        missing = [c for c in REQUIRED_COLUMNS if c not in where]
        if missing:
            raise CommissionerError(
                Message(
                    f"名册第 1 行缺少列：{'、'.join(missing)}（应有：{'、'.join(COLUMNS)}）",
                    f"The roster's first row lacks the column(s) {', '.join(missing)} "
                    f"(expected: {', '.join(COLUMNS)})",
                )
            )
        out: list[dict[str, Any]] = []
        for number, values in enumerate(rows, 2):
            cells = {COLUMNS[name]: _text(values[i]) if i < len(values) else "" for name, i in where.items()}
            if not any(cells.values()):
                continue
            if len(out) >= MAX_ROWS:
                raise CommissionerError(
                    Message(
                        f"名册超过 {MAX_ROWS} 行，请分批导入",
                        f"The roster has over {MAX_ROWS} rows; split it",
                    )
                )
            # A number written as people write it (138 0000 1005, 138-0000-1005, +86 …) is the number.
            # Full-width digits (a Chinese input method's １３８…) are the same number.
            mobile = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", cells.get("mobile", "")))
            cells["mobile"] = mobile[3:] if mobile.startswith("+86") else mobile
            out.append({"row": number, **{f: cells.get(f, "") for f in COLUMNS.values()}})
    finally:
        book.close()
    return Roster(out, {name: _letter(i) for name, i in where.items()})


def problem_line(problem: dict[str, Any], letters: dict[str, str], lang: str = "zh_CN") -> str:
    """One problem of the server's check as a line: row, column (and its letter), what is wrong."""
    column = str(problem.get("column", ""))
    letter = letters.get(column, "")
    at = f"{column}（{letter} 列）" if letter else column
    note = problem.get("kind") != "error"  # (a team to be made, a namesake)
    if lang == "en":
        at_en = f"{column} (column {letter})" if letter else column
        return f"{'note' if note else 'error'}: row {problem['row']}, {at_en}: {problem['message_en']}"
    return f"{'提示' if note else '错误'}：第 {problem['row']} 行，{at}：{problem['message_zh']}"


# --- account slips -------------------------------------------------------------------------------

SLIP_HEADER = ("姓名", "用户名", "一次性密码", "服务器地址", "角色", "服务县（市、区）")
ROLE_LABELS = {role: label.zh for role, label in ACCOUNT_ROLES.items()}  # the slips are in Chinese


def write_slips_xlsx(path: Path, accounts: Sequence[dict[str, Any]], server_url: str) -> None:
    from commissioner_app.xlsx_writer import XlsxWriter

    with XlsxWriter(path) as book:
        book.add_sheet(
            "账号",
            SLIP_HEADER,
            (10, 14, 18, 36, 12, 14),
            (
                (
                    a["name"],
                    a["username"],
                    a["one_time_code"],
                    server_url,
                    ROLE_LABELS.get(a["role"], a["role"]),
                    a.get("county", ""),
                )
                for a in accounts
            ),
        )


def _form_qr_class() -> Any:
    from reportlab.graphics import renderPDF
    from reportlab.platypus import Flowable

    class FormQr(Flowable):  # type: ignore[misc]
        """One QR code drawn once into the PDF and placed on every slip (drawing its ~500 modules
        on each of 1,000 slips took half a minute)."""

        def __init__(self, drawing: Any, size: float) -> None:
            super().__init__()
            self.drawing, self.width, self.height = drawing, size, size

        def draw(self) -> None:
            canvas = self.canv
            if not getattr(canvas, "_slip_qr_made", False):
                canvas.beginForm("slip_qr")
                renderPDF.draw(self.drawing, canvas, 0, 0)
                canvas.endForm()
                canvas._slip_qr_made = True
            canvas.doForm("slip_qr")

    return FormQr


def _form_qr(drawing: Any, size: float) -> Any:
    return _form_qr_class()(drawing, size)


def write_slips_pdf(
    path: Path, accounts: Sequence[dict[str, Any]], server_url: str, expires: str = ""
) -> int:
    """Slips to cut apart, eight to an A4 page: name, user name, one-time code, the server's address
    and a QR code of it. Returns the number of pages."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    from commissioner_app.reports.base import P, build_pdf, frame_size, styles
    from commissioner_app.reports.visit_sheet import _qr

    # The one-time passwords: readable by the bureau's own account only, as the spreadsheet is.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    s = styles()
    width, _height = frame_size()
    cell_w = width / 2
    cell_h = 64 * mm
    qr = _form_qr(_qr(server_url, 26 * mm), 26 * mm) if server_url else None
    until = f"，{expires[:10]} 前有效" if expires else ""

    from reportlab.lib.styles import ParagraphStyle

    code_style = ParagraphStyle("slip_code", parent=s.title, fontSize=16, leading=20, alignment=0)
    head_style = ParagraphStyle("slip_head", parent=s.h2, fontSize=11, leading=14, spaceBefore=0)

    def slip(a: dict[str, Any]) -> Table:
        info = [
            P(f"姓名：{a['name']}", s.body),
            P(f"角色：{ROLE_LABELS.get(a['role'], a['role'])}　{a.get('county', '')}", s.body),
            P(f"用户名：{a['username']}", s.body),
            P("一次性密码：", s.body),
        ]
        rows = [
            [P("科技特派员工作平台 · 账号通知", head_style), ""],
            [info, qr or ""],
            [P(a["one_time_code"], code_style), ""],
            [P(f"服务器地址：{server_url}", s.small), ""],
            [P(f"首次登录后须设置自己的新密码{until}。请妥善保管，勿转交他人。", s.note), ""],
        ]
        inner = Table(rows, colWidths=[cell_w - 36 * mm, 30 * mm])
        inner.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("SPAN", (0, 0), (1, 0)),
                    ("SPAN", (0, 2), (1, 2)),
                    ("SPAN", (0, 3), (1, 3)),
                    ("SPAN", (0, 4), (1, 4)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return inner

    cells = [slip(a) for a in accounts]
    if len(cells) % 2:
        cells.append("")  # type: ignore[arg-type]
    grid = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=[cell_w, cell_w], rowHeights=[cell_h] * len(grid), repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8c8c8c"), None, (3, 3)),  # dashed: cut here
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return build_pdf(
        path,
        [table],
        title="科技特派员账号通知",
        store=None,  # type: ignore[arg-type]
        data_state_text="内部资料，请妥善保管",
    )
