"""Team and workstation results, bonuses and exemplars in the export, the PDFs and the command line:
sheets read back with openpyxl with typed values, PDFs rendered and their Chinese text read back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from commissioner_app.assessment import Period, Scope, assess, assess_groups, publish
from commissioner_app.domain import BonusPoint, Exemplar
from commissioner_app.errors import CommissionerError
from commissioner_app.exports import export_csv, export_xlsx
from commissioner_app.ops.groups import decide_bonus, group_assessment, nominate_exemplar, save_bonus
from commissioner_app.reports.annual import annual_record
from commissioner_app.reports.groups import exemplars_list
from commissioner_app.reports.summary import city_summary, group_summary
from tests.commissioner_app.report_data import YEAR, ReportData, make_report_data, need_poppler
from tests.commissioner_app.test_exports import run_cli

CITATION = "扎根新会区三年，带领团队攻克柑橘黄龙病防控难题，带动农户增收。"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ReportData:
    d = make_report_data(tmp_path_factory.mktemp("groups"))
    store = d.store
    team_id = store.db.execute("SELECT id FROM teams WHERE deleted = 0 ORDER BY name LIMIT 1").fetchone()[0]
    for points, decision in ((6, "approved"), (7, "approved"), (3, "rejected")):
        bonus = save_bonus(
            store,
            BonusPoint(
                year=YEAR,
                subject_kind="team",
                subject_id=team_id,
                points=points,
                reason="获评省级优秀科技特派团",
                evidence="粤科函〔2026〕12号",
            ),
        ).value
        decide_bonus(store, bonus.id, decision, "材料不全" if decision == "rejected" else "", "市科技局")
    publish(store, YEAR, "市科技局")
    nominate_exemplar(
        store,
        Exemplar(
            year=YEAR,
            subject_kind="commissioner",
            subject_id=d.self_id,
            title="优秀科技特派员",
            citation=CITATION,
        ),
        "市科技局",
    )
    nominate_exemplar(
        store,
        Exemplar(
            year=YEAR,
            subject_kind="team",
            subject_id=team_id,
            title="优秀科技特派团",
            citation="服务陈皮产业。",
        ),
        "市科技局",
    )
    yield d
    store.close()


def pdf_text(path: Path) -> str:
    exe = need_poppler("pdftotext")
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def render(path: Path) -> None:
    """Render the first page (pdftoppm -r 60) so a person can look at it; it must not fail."""
    exe = need_poppler("pdftoppm")
    subprocess.run(
        [exe, "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))], check=True
    )
    assert list(path.parent.glob(path.stem + "*.png"))


def test_the_bonus_of_the_demo_team_is_capped(data):
    a = group_assessment(data.store, YEAR)
    team = next(r for r in a.teams if r.bonus_items)
    assert team.bonus_claimed == 13 and team.bonus == 10 and team.bonus_capped  # the bundled cap is 10
    assert team.total == pytest.approx(team.base + 10)
    assert [e.kind for e in a.exemplars] == ["commissioner", "team"]


def test_team_and_workstation_sheets_read_back_with_types(data, tmp_path):
    out = tmp_path / "export.xlsx"
    counts = export_xlsx(data.store, YEAR, out)
    wb = load_workbook(out)
    assert "团队考核" in wb.sheetnames and "工作站考核" in wb.sheetnames
    city = assess(data.store, period=Period.year(YEAR))
    for sheet, kind in (("团队考核", "team"), ("工作站考核", "workstation")):
        ws = wb[sheet]
        expected = assess_groups(data.store, city, kind)
        assert counts[f"{kind}_assessment"] == len(expected) == ws.max_row - 1 > 0
        header = [c.value for c in ws[1]]
        col = {name: i for i, name in enumerate(header)}
        assert header[:3] == ["排名", "科技特派团编号" if kind == "team" else "工作站编号", "名称"]
        assert "成员个人考核平均分（分）" in col and "成员个人考核平均分得分" in col
        for row, r in zip(ws.iter_rows(min_row=2, values_only=True), expected, strict=True):
            assert isinstance(row[col["排名"]], int) and isinstance(row[col["成员（人）"]], int)
            assert row[col["名称"]] == r.name
            assert isinstance(row[col["总分"]], int | float) and row[col["总分"]] == pytest.approx(
                r.total, abs=0.01
            )
            assert row[col["计入加分"]] == pytest.approx(r.bonus)
            assert row[col["考核等级"]] == r.grade_label.text()
    team_rows = list(wb["团队考核"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in wb["团队考核"][1]]
    capped = next(r for r in team_rows if r[header.index("已通过加分")] == 13)
    assert capped[header.index("加分上限")] == 10 and capped[header.index("计入加分")] == 10
    written = export_csv(data.store, YEAR, tmp_path / "csv")
    assert {"team_assessment", "workstation_assessment"} <= set(written)


def test_the_command_line_export_and_commendation_list(data, tmp_path):
    done = run_cli(data, "export", "--format", "xlsx", "--year", str(YEAR), "--out", str(tmp_path / "e.xlsx"))
    assert done.returncode == 0, done.stderr
    assert {"团队考核", "工作站考核"} <= set(load_workbook(tmp_path / "e.xlsx").sheetnames)
    # What it says is what the workbook holds: its sheets by their names, not the tables'.
    assert "团队考核 " in done.stdout and "team_assessment" not in done.stdout
    nowhere = run_cli(
        data, "export", "--format", "xlsx", "--year", str(YEAR), "--out", str(tmp_path / "no" / "e.xlsx")
    )
    assert nowhere.returncode == 2 and "不存在" in nowhere.stderr  # as a report's PDF: no folder made unasked
    assert not (tmp_path / "no").exists()
    out = tmp_path / "exemplars.pdf"
    done = run_cli(data, "report", "exemplars", "--year", str(YEAR), "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    for expected in (
        f"{YEAR}年度科技特派员先进典型名单",
        "优秀科技特派员",
        "优秀科技特派团",
        "柑橘黄龙病",
        "主要事迹",
    ):
        assert expected in text, expected
    render(out)


def test_annual_record_notes_the_honour(data, tmp_path):
    out = tmp_path / "annual.pdf"
    annual_record(data.store, data.self_id, YEAR, out)
    text = pdf_text(out)
    assert "荣誉" in text and "优秀科技特派员" in text
    render(out)


def test_team_and_city_summaries_show_group_scores_and_county_targets(data, tmp_path):
    store = data.store
    team_id, team_name = store.db.execute(
        "SELECT subject_id, t.name FROM bonus_points b JOIN teams t ON t.id = b.subject_id LIMIT 1"
    ).fetchone()
    a = assess(store, Scope.team(team_id), Period.year(YEAR))
    a.scope_name = team_name
    out = tmp_path / "team.pdf"
    group_summary(store, a, out)
    text = pdf_text(out)
    assert "科技特派团考核（含加分项）" in text and "加分项（已通过，封顶）" in text and "粤科函" in text
    render(out)
    out = tmp_path / "city.pdf"
    city_summary(store, assess(store, period=Period.year(YEAR)), out)
    text = pdf_text(out)
    assert "年度清单分县完成情况" in text and "科技特派员工作站考核" in text and "台山市" in text
    render(out)


def test_an_exemplar_needs_a_published_result(data):
    with pytest.raises(CommissionerError) as err:
        nominate_exemplar(
            data.store,
            Exemplar(
                year=YEAR - 5,
                subject_kind="commissioner",
                subject_id=data.self_id,
                title="优秀",
                citation="x",
            ),
            "市科技局",
        )
    assert "尚未发布" in err.value.message.zh


def test_an_empty_commendation_list(data, tmp_path):
    out = tmp_path / "none.pdf"
    exemplars_list(data.store, YEAR - 3, out)
    assert "尚未评选先进典型" in pdf_text(out)
