"""A streaming .xlsx writer: rows go straight from an iterator into the zipped sheet XML.

openpyxl's write-only mode builds a cell object per value (about 19 µs a cell, 100 s for the 3.8 million
cells of a 100,000-visit export); this writes each row as one string. Memory stays flat: strings are
inline (no shared-string table that would hold every distinct text), and each sheet part is compressed
as it is written.

What a sheet gets: a bold, filled, wrapped header row, column widths, the header frozen, an auto filter
over the written rows. Values: str as text (never a formula, whatever it starts with), int and float as
numbers, date as a real Excel date shown yyyy-mm-dd, bool as TRUE/FALSE, None or "" as an empty cell.

Text is made safe for XML and Excel: characters that XML 1.0 forbids (C0 controls other than tab,
newline and carriage return; lone surrogates; U+FFFE, U+FFFF) are dropped, except vertical tab and
form feed, which Word uses as manual line breaks and become newlines; a literal `_xHHHH_` is escaped
so that Excel shows it as typed; text longer than Excel's 32,767-character cell limit is cut with "…"
(Excel refuses a file with a longer cell).

The workbook is written to a temporary file beside the target and moved into place when complete, so
a failed export leaves no half-written file and does not clobber an existing one.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

MAX_CELL_CHARS = 32_767  # Excel's limit, in UTF-16 code units
LONG = MAX_CELL_CHARS // 2  # longer text may be over the limit: it is measured in UTF-16 units
EXCEL_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()  # serial 1 = 1900-01-01 (for dates after 1900-02-28)
ROWS_PER_WRITE = 512

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Styles (cellXfs indexes): 0 default, 1 header, 2 date, 3 text that Excel would read as a formula if retyped.
HEADER_STYLE, DATE_STYLE, QUOTED_STYLE = 1, 2, 3

# A string needs the slow path if it has anything to escape or drop, leading or trailing white space
# (needs xml:space="preserve"), an Excel escape look-alike, or starts like a formula. Everything else
# (nearly every value) goes into the XML as it is.
_SLOW = re.compile(
    r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
    r"|^[\s=+\-@]|\s\Z"
)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_text(value: str) -> str:
    """The text as it can stand in a cell: XML-legal, Excel-escaped, within the cell limit (not XML-escaped)."""
    value = _LINE_BREAKS.sub("\n", value)
    value = _FORBIDDEN.sub("", value)
    value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    if len(value) > LONG and len(value.encode("utf-16-le")) // 2 > MAX_CELL_CHARS:
        units = 0
        for i, ch in enumerate(value):
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > MAX_CELL_CHARS - 1:
                value = value[:i]
                break
        value += "…"
    return value


def _text_cell(ref: str, value: str) -> str:
    style = f' s="{QUOTED_STYLE}"' if value[0] in "=+-@" else ""
    value = escape(clean_text(value))
    if value[:1].isspace() or value[-1:].isspace():
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{value}</t></is></c>'


def _number(value: float) -> str:
    """12.5 -> "12.5", 12.0 -> "12" (as Excel itself writes it)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _other_cell(ref: str, value: Any) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{_number(value)}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, datetime):
        days = value.toordinal() - EXCEL_EPOCH_ORDINAL
        fraction = (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{_number(days + fraction)}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{value.toordinal() - EXCEL_EPOCH_ORDINAL}</v></c>'
    text = str(value)
    return _text_cell(ref, text) if text else ""


class XlsxWriter:
    """Write sheets one after another, then close(). Use as a context manager."""

    def __init__(self, path: Path, *, compresslevel: int = 6) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        self._zip = zipfile.ZipFile(self._tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[tuple[str, str]] = []  # title, auto filter range

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _part(self, name: str) -> IO[bytes]:
        return self._zip.open(name, "w")

    def add_sheet(
        self, title: str, header: Sequence[str], widths: Sequence[float], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Stream one sheet; returns the number of data rows written (the header not counted)."""
        if not 0 < len(title) <= 31 or set(title) & set("[]:*?/\\") or title in (t for t, _ in self._sheets):
            raise ValueError(f"Excel cannot name a sheet {title!r}")  # a programming error: titles are fixed
        index = len(self._sheets) + 1
        last = column_letter(len(header))
        letters = [column_letter(i) for i in range(1, len(header) + 1)]
        head = "".join(
            f'<c r="{col}1" s="{HEADER_STYLE}" t="inlineStr"><is><t>{escape(clean_text(h))}</t></is></c>'
            for col, h in zip(letters, header, strict=True)
        )
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
        )
        selected = ' tabSelected="1"' if index == 1 else ""
        n = 0
        with self._part(f"xl/worksheets/sheet{index}.xml") as f:
            f.write(
                (
                    f'{XML_DECL}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
                    f'<sheetViews><sheetView workbookViewId="0"{selected}>'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                    f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
                    f'<sheetData><row r="1">{head}</row>'
                ).encode()
            )
            chunk: list[str] = []
            slow, text_cell, other_cell, number = _SLOW.search, _text_cell, _other_cell, _number
            for row in rows:
                n += 1
                r = str(n + 1)
                chunk.append(f'<row r="{r}">')
                for col, v in zip(letters, row):  # noqa: B905 - a short row leaves the rest empty
                    t = type(v)
                    if t is str:
                        if not v:
                            continue
                        if slow(v) or len(v) > LONG:
                            chunk.append(text_cell(col + r, v))
                        else:
                            chunk.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                    elif t is int:
                        chunk.append(f'<c r="{col}{r}"><v>{v}</v></c>')
                    elif t is float and math.isfinite(v):
                        chunk.append(f'<c r="{col}{r}"><v>{number(v)}</v></c>')
                    elif t is date:
                        chunk.append(
                            f'<c r="{col}{r}" s="{DATE_STYLE}"><v>{v.toordinal() - EXCEL_EPOCH_ORDINAL}</v></c>'
                        )
                    elif v is not None:
                        chunk.append(other_cell(col + r, v))
                chunk.append("</row>")
                if n % ROWS_PER_WRITE == 0:
                    f.write("".join(chunk).encode())
                    chunk.clear()
            chunk.append(
                f'</sheetData><autoFilter ref="A1:{last}{n + 1}"/>'
                '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                "</worksheet>"
            )
            f.write("".join(chunk).encode())
        self._sheets.append((title, f"$A$1:${last}${n + 1}"))
        return n

    def close(self) -> None:
        """Write the workbook parts and move the file into place."""
        try:
            self._finish()
            self._zip.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            self._zip.close()
        except Exception:  # the file is deleted next; its state does not matter
            pass
        self._tmp.unlink(missing_ok=True)

    def _finish(self) -> None:
        n = len(self._sheets)
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (title, _ref) in enumerate(self._sheets, 1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quote_sheet(title))}!{ref}</definedName>"
            for i, (title, ref) in enumerate(self._sheets)
            if ref
        )
        parts = {
            "[Content_Types].xml": (
                f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for i in range(1, n + 1)
                )
                + '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                'metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{NS_REL}/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>"
            ),
            "docProps/app.xml": (
                f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                "<Application>Microsoft Excel</Application></Properties>"
            ),
            "docProps/core.xml": (
                f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
                ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}'
                "</dcterms:created></cp:coreProperties>"
            ),
            "xl/workbook.xml": (
                f'{XML_DECL}<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><workbookPr/>'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{names}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}">'
                + "".join(
                    f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, n + 1)
                )
                + f'<Relationship Id="rId{n + 1}" Type="{NS_REL}/styles" Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": STYLES,
        }
        for name, text in parts.items():
            with self._part(name) as f:
                f.write(text.encode())


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
STYLES = (
    f'{XML_DECL}<styleSheet xmlns="{NS_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    f'<fonts count="2"><font>{FONT}</font><font><b/>{FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF5"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
