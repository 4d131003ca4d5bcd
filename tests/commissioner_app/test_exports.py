"""Excel and CSV exports read back, and the report/export command line."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from commissioner_app.assessment import Period, assess
from commissioner_app.domain import Visit
from commissioner_app.exports import export_csv, export_xlsx
from tests.commissioner_app.report_data import YEAR, ReportData, make_report_data

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ReportData:
    d = make_report_data(tmp_path_factory.mktemp("exports"))
    yield d
    d.store.close()


def _count(data: ReportData, sql: str) -> int:
    return data.store.db.execute(sql, [f"{YEAR}-01-01", f"{YEAR}-12-31"]).fetchone()[0]


def test_xlsx_sheets_types_and_values(data, tmp_path):
    out = tmp_path / "export.xlsx"
    counts = export_xlsx(data.store, YEAR, out)
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "服务记录",
        "技术难题",
        "解决方案",
        "服务对象",
        "考核结果",
        "揭榜项目",
        "成果转化",
        "团队考核",
        "工作站考核",
    ]
    visits = wb["服务记录"]
    expected = _count(
        data, "SELECT count(*) FROM visits WHERE deleted = 0 AND is_draft = 0 AND visit_date BETWEEN ? AND ?"
    )
    assert counts["visits"] == expected == visits.max_row - 1
    assert visits.freeze_panes == "A2"
    assert visits.auto_filter.ref == f"A1:AB{expected + 1}"
    assert round(visits.column_dimensions["N"].width) == 51  # 50 and the padding Excel adds
    header = [c.value for c in visits[1]]
    assert header[:3] == ["记录编号", "服务日期", "开始时间"]
    row = next(r for r in visits.iter_rows(min_row=2, values_only=True) if r[0] == data.photo_visit)
    assert row[1] == datetime(YEAR, 3, 3)  # a date cell, not text
    assert visits.cell(row=2, column=2).number_format == "yyyy-mm-dd"
    col = {name: i for i, name in enumerate(header)}
    assert row[col["培训人次"]] == 45 and isinstance(row[col["培训人次"]], int)
    assert row[col["经济效益（万元）"]] == 12.5
    assert row[col["服务类型"]] == "技术指导、技术培训"
    assert row[col["计入考核"]] == "是"
    problems = wb["技术难题"]
    solved = [r for r in problems.iter_rows(min_row=2, values_only=True) if r[1] == "柑橘木虱虫口密度高"]
    assert solved and solved[0][8] == "已解决" and isinstance(solved[0][11], datetime)


def test_typed_text_reaches_excel_as_text(data, tmp_path):
    """What a commissioner typed (or pasted from Word) is exported as text: never a formula, never a
    broken file; the CSV export guards the same text for Excel."""
    target = data.store.db.execute("SELECT id FROM service_targets LIMIT 1").fetchone()[0]
    content = '=HYPERLINK("http://example.invalid","详情")\x0b第二行\x01 & <b>柑橘</b>'
    visit = Visit(
        commissioner_id=data.self_id,
        target_id=target,
        visit_date=date(2019, 5, 6),
        start_time="09:00",
        end_time="10:00",
        service_types=["guidance"],
        content=content,
        confirm_remark="+86 138 0000 0000",
    )
    data.store.save_visit(visit, [])
    out = tmp_path / "export.xlsx"
    assert export_xlsx(data.store, 2019, out)["visits"] == 1
    sheet = load_workbook(out)["服务记录"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("服务内容") + 1)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.invalid","详情")\n第二行 & <b>柑橘</b>'
    assert sheet.cell(row=2, column=header.index("评价意见") + 1).value == "+86 138 0000 0000"
    files = export_csv(data.store, 2019, tmp_path / "csv")
    with files["visits"].open(encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f))
    assert row[header.index("服务内容")] == "'" + content
    assert row[header.index("评价意见")] == "'+86 138 0000 0000"


def test_assessment_sheet_matches_the_assessment(data, tmp_path):
    out = tmp_path / "export.xlsx"
    export_xlsx(data.store, YEAR, out)
    a = assess(data.store, period=Period.year(YEAR))
    sheet = load_workbook(out)["考核结果"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(a.members)
    for row, m in zip(rows, a.members, strict=True):
        assert row[header.index("特派员编号")] == m.commissioner_id
        assert row[header.index("总分")] == round(m.total, 1)
        assert row[header.index("考核等级")] == m.grade_label.zh
        assert row[header.index("服务次数（次）")] == m.figures.visits
    counted_visits = sum(
        1 for r in load_workbook(out)["服务记录"].iter_rows(min_row=2, values_only=True) if r[-1] == "是"
    )
    assert counted_visits == a.totals.visits  # every counted visit is a row of the visits sheet


def test_csv_files_have_a_bom_and_every_row(data, tmp_path):
    files = export_csv(data.store, YEAR, tmp_path / "csv")
    assert set(files) == {
        "visits",
        "problems",
        "solutions",
        "targets",
        "assessment",
        "projects",
        "achievements",
        "team_assessment",
        "workstation_assessment",
    }
    raw = files["visits"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with files["visits"].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][1] == "服务日期"
    assert len(rows) - 1 == _count(
        data, "SELECT count(*) FROM visits WHERE deleted = 0 AND is_draft = 0 AND visit_date BETWEEN ? AND ?"
    )
    assert any(r[1] == f"{YEAR}-03-03" for r in rows[1:])


def run_cli(data: ReportData, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(data.data_dir), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "COMMISSIONER_LANG": "zh_CN"},
        timeout=300,
    )


@pytest.mark.slow
def test_cli_documents_and_export(data, tmp_path):
    done = run_cli(data, "report", "visit", data.photo_visit, "--out", str(tmp_path / "v.pdf"))
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(tmp_path / "v.pdf").pages) == 1
    done = run_cli(data, "report", "annual", "--year", str(YEAR), "--out", str(tmp_path / "a.pdf"))
    assert done.returncode == 0, done.stderr
    done = run_cli(data, "report", "city", "--year", str(YEAR), "--out", str(tmp_path / "c.pdf"))
    assert done.returncode == 0, done.stderr
    done = run_cli(data, "report", "team", "--year", str(YEAR), "--out", str(tmp_path / "t.pdf"))
    assert done.returncode == 0, done.stderr
    done = run_cli(data, "export", "--format", "csv", "--year", str(YEAR), "--out", str(tmp_path / "csv"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "csv" / "visits.csv").exists()
    # Its help names every file it writes (it named 7 of the 9).
    # (argparse breaks the Chinese description anywhere, a file name too: read as one line.)
    helped = "".join(line.strip() for line in run_cli(data, "export", "--help").stdout.splitlines())
    written = sorted(p.name for p in (tmp_path / "csv").glob("*.csv"))
    assert len(written) >= 9 and [name for name in written if name not in helped] == []


@pytest.mark.slow
def test_cli_batch_says_which_records_were_not_written(data, tmp_path):
    from commissioner_app.assessment import Period, assess
    from commissioner_app.reports.batch import annual_file_name

    city = assess(data.store, period=Period.year(YEAR))
    me = city.member(data.self_id)
    (tmp_path / "all" / annual_file_name(YEAR, me.name, me.commissioner_id)).mkdir(parents=True)
    done = run_cli(
        data,
        "report",
        "annual",
        "--all",
        "--workers",
        "2",
        "--year",
        str(YEAR),
        "--out",
        str(tmp_path / "all"),
    )
    assert done.returncode == 1, done.stderr
    assert f"{me.name} 的年度服务记录未能生成" in done.stderr and "Traceback" not in done.stderr
    assert len(list((tmp_path / "all").glob("*.pdf"))) == len(city.members)  # the folder among them
    assert f"已生成 {len(city.members) - 1} 份年度服务记录" in done.stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (["report", "visit", "no-such-id", "--out", "{tmp}/x.pdf"], "找不到服务记录"),
        (["report", "annual", "--year", "20x5", "--out", "{tmp}/x.pdf"], "年度"),
        (
            ["report", "annual", "--year", "2026", "--commissioner", "nobody", "--out", "{tmp}/x.pdf"],
            "找不到科技特派员",
        ),
        (["report", "team", "--team", "nope", "--year", "2026", "--out", "{tmp}/x.pdf"], "找不到科技特派团"),
        (["report", "city", "--year", "2026", "--out", "{tmp}/missing/x.pdf"], "不存在"),
        (["export", "--format", "csv", "--year", "2026", "--out", "{tmp}/file.txt"], "不是文件夹"),
        (["export", "--format", "pdf", "--year", "2026", "--out", "{tmp}/x"], "无效的选项"),
    ],
)
def test_cli_bad_input_exits_2_with_a_clear_message(data, tmp_path, args, says):
    (tmp_path / "file.txt").write_text("x")
    done = run_cli(data, *[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_errors_in_english(data, tmp_path):
    done = run_cli(data, "--lang", "en", "report", "visit", "no-such-id", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and "No service record" in done.stderr


def test_equal_scores_share_a_rank(tmp_path):
    """A cold try: seven commissioners with 0 points were ranked 2 to 8, by the order of their
    names, in the assessment screen and in the exported 考核结果. Equal totals (and service days,
    the rule that orders equal totals) share a rank: 1, 2, 2, 2, 5."""
    from commissioner_app.assessment import member_ranks, shared_ranks
    from commissioner_app.demo import generate_demo
    from commissioner_app.domain import Commissioner
    from commissioner_app.store import Store

    assert shared_ranks([9, 7, 7, 7, 3, 3, 1]) == [1, 2, 2, 2, 5, 5, 7]
    store = Store.open(tmp_path / "city")
    try:
        generate_demo(store, visits=120, seed=3, commissioners=3)
        year = int(store.db.execute("SELECT max(substr(visit_date, 1, 4)) FROM visits").fetchone()[0])
        idle = {
            store.save(Commissioner(name=name, sending_unit="五邑大学")).id for name in ("甲", "乙", "丙")
        }
        a = assess(store, period=Period.year(year))
        ranks = dict(zip((m.commissioner_id for m in a.members), member_ranks(a.members), strict=True))
        assert len({ranks[i] for i in idle}) == 1  # the three with nothing: one rank
        out = tmp_path / "export.xlsx"
        export_xlsx(store, year, out)
        sheet = load_workbook(out)["考核结果"]
        header = [c.value for c in sheet[1]]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        exported = {r[header.index("特派员编号")]: r[header.index("排名")] for r in rows}
        assert exported == ranks
        assert len({exported[i] for i in idle}) == 1 and max(exported.values()) < len(rows)
    finally:
        store.close()
