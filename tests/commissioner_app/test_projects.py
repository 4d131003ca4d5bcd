"""揭榜挂帅 projects and the achievements register on one computer: the steps' own checks, the counts
(only approved achievements), the export's sheets read back with openpyxl, and the annual record."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from commissioner_app import achievements, projects
from commissioner_app.demo import generate_demo
from commissioner_app.domain import Achievement, Commissioner, ProjectApplication, ServiceTarget
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.reports.annual import annual_record
from commissioner_app.store import Store

REPO = Path(__file__).resolve().parents[2]
TODAY = date.today()
YEAR = TODAY.year


def stored_contract(store: Store, who: Commissioner, number: str, **fields: object) -> Achievement:
    """An achievement of `who` under contract `number`, stored as a sync brings it (past the laptop's
    own check of a repeated number)."""
    values: dict[str, object] = dict(
        title="陈皮低温陈化技术",
        contract_value=30.0,
        contract_date=TODAY,
        transferor="五邑大学",
        transferee="新会陈皮合作社",
    )
    values.update(fields)
    return store.save(Achievement(commissioner_id=who.id, contract_no=number, **values))  # type: ignore[arg-type]


def another(who: Commissioner, number: str) -> Achievement:
    """A new achievement under contract `number`, as the laptop's form makes one."""
    return Achievement(
        commissioner_id=who.id,
        title="另一项",
        contract_no=number,
        contract_value=1.0,
        contract_date=TODAY,
        transferor="五邑大学",
        transferee="合作社",
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("projects")
    store = Store.open(folder / "data")
    demo = generate_demo(store, visits=60, commissioners=4, seed=5, end=TODAY)
    me = store.get(Commissioner, demo.self_id)
    assert me is not None
    others = [c for c in store.all(Commissioner) if c.id != me.id]
    rival, reviewer = others[0], others[1]
    reviewer.team_id = me.team_id = me.team_id or "team-x"
    store.save(me)
    store.save(reviewer)
    project = projects.publish_project(
        store,
        title="鳗鱼养殖尾水处理技术攻关",
        requirements="形成可推广的尾水处理工艺并建成示范点",
        deadline=TODAY + timedelta(days=10),
        budget=120.0,
        industry="鳗鱼",
        county="台山市",
    )
    mine = projects.apply(
        store, project.id, me, "采用生态沟渠加人工湿地组合处理，六个月内建成示范点", as_team=True
    )
    projects.apply(store, project.id, rival, "以微生物制剂为主的尾水净化方案，三个月完成中试")
    projects.award(store, project.id, mine.id)
    first = projects.add_milestone(store, project.id, me, "示范点建成", TODAY + timedelta(days=40))
    projects.add_milestone(store, project.id, me, "尾水检测达标", TODAY + timedelta(days=90))
    projects.complete_milestone(store, first.id, "示范点照片与施工记录")
    projects.accept(store, project.id, "passed", "各项指标达到揭榜要求")
    values = [35.5, 120.25, 8.0]
    saved = []
    for i, value in enumerate(values):
        saved.append(
            achievements.save_achievement(
                store,
                Achievement(
                    commissioner_id=me.id,
                    title=f"鳗鱼尾水处理工艺{i + 1}",
                    kind=["technology", "patent", "variety"][i],
                    mode="license" if i else "transfer",
                    contract_no=f"2026440781{i:06d}",
                    contract_value=value,
                    contract_date=TODAY - timedelta(days=i),
                    transferor="江门市某科研院所",
                    transferee=f"台山鳗鱼养殖场{i + 1}",
                ),
            )
        )
    achievements.decide(store, [saved[0].id, saved[1].id], "approved", reviewer)
    return {"store": store, "folder": folder, "me": me, "rival": rival, "project": project, "values": values}


def test_each_step_checks_its_own_rules(city: dict[str, object], tmp_path: Path) -> None:
    store, me, rival, project = city["store"], city["me"], city["rival"], city["project"]
    assert isinstance(store, Store) and isinstance(me, Commissioner) and isinstance(rival, Commissioner)
    other = projects.publish_project(
        store, title="预制菜保鲜", requirements="延长货架期", deadline=TODAY - timedelta(days=1), budget=10.0
    )
    with pytest.raises(CommissionerError, match="截止日期"):
        projects.apply(store, other.id, me, "一个足够长的攻关方案内容")
    with pytest.raises(CommissionerError, match="不接受申请"):
        projects.apply(store, project.id, me, "一个足够长的攻关方案内容")  # type: ignore[attr-defined]
    with pytest.raises(CommissionerError, match="中榜方"):
        projects.add_milestone(store, project.id, rival, "节点", TODAY)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        projects.publish_project(store, title="x", requirements="", deadline=None, budget=-1.0)
    with pytest.raises(ValidationError, match="合同金额"):
        achievements.save_achievement(
            store,
            Achievement(
                title="t",
                contract_no="n",
                contract_value=2e6,
                contract_date=TODAY,
                transferor="a",
                transferee="b",
            ),
        )
    statuses = {a.commissioner_id: a.status for a in store.all(ProjectApplication)}
    assert statuses == {me.id: "awarded", rival.id: "not_chosen"}


def test_only_approved_achievements_count(city: dict[str, object]) -> None:
    store = city["store"]
    assert isinstance(store, Store)
    assert achievements.totals(store, YEAR) == {"count": 2, "value": 155.75, "pending": 1}
    assert projects.projects_by_status(store, YEAR)["accepted"] == {"count": 1, "budget": 120.0}


def test_export_sheets_read_back_typed(city: dict[str, object], tmp_path: Path) -> None:
    folder = city["folder"]
    assert isinstance(folder, Path)
    out = tmp_path / "export.xlsx"
    env = {**os.environ, "PYTHONPATH": str(REPO), "COMMISSIONER_LANG": "zh_CN"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "commissioner_app",
            "--data-dir",
            str(folder / "data"),
            "export",
            "--format",
            "xlsx",
            "--year",
            str(YEAR),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[5:7] == ["揭榜项目", "成果转化"]
    sheet = wb["揭榜项目"]
    header = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    [row] = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "鳗鱼养殖尾水处理技术攻关"]
    assert row[col["经费（万元）"]] == 120.0 and isinstance(row[col["经费（万元）"]], int | float)
    assert isinstance(row[col["申请截止日期"]], datetime)
    assert row[col["状态"]] == "验收通过" and row[col["验收结论"]] == "通过"
    assert (row[col["申请数"]], row[col["节点数"]], row[col["已完成节点"]]) == (2, 2, 1)
    assert isinstance(row[col["申请数"]], int)
    sheet = wb["成果转化"]
    header = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[col["合同金额（万元）"]] for r in rows) == [8.0, 35.5, 120.25]
    assert all(isinstance(r[col["合同日期"]], datetime) for r in rows)
    assert sorted(r[col["计入统计"]] for r in rows) == ["否", "是", "是"]
    assert {r[col["成果类型"]] for r in rows} == {"技术", "专利", "品种"}


def test_annual_record_shows_achievements_and_projects(city: dict[str, object], tmp_path: Path) -> None:
    store, me = city["store"], city["me"]
    assert isinstance(store, Store) and isinstance(me, Commissioner)
    out = tmp_path / "annual.pdf"
    annual_record(store, me.id, YEAR, out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace(" ", "")
    assert "七、揭榜挂帅与成果转化" in text
    assert "成果转化2项（已审核通过），技术交易额155.75万元" in text and "另有1项待审核" in text
    assert "鳗鱼养殖尾水处理技术攻关" in text and "1/2" in text
    assert "八、年度工作总结" in text


def test_a_demand_published_as_a_project_is_applied_for_not_taken(store: Store) -> None:
    from commissioner_app.demands import open_demands, take_up
    from commissioner_app.domain import Demand

    me = store.save_profile(Commissioner(name="王芳", sending_unit="五邑大学", phone="13800138000"))
    demand = store.save(Demand(title="陈皮仓储霉变", description="需要低成本防霉方案"))
    project = projects.publish_project(
        store,
        title="",
        requirements="建成示范仓",
        deadline=TODAY + timedelta(days=5),
        budget=20,
        demand_id=demand.id,
    )
    assert (project.title, project.demand_id) == ("陈皮仓储霉变", demand.id)
    again = store.get(Demand, demand.id)
    assert again is not None and again.status == "project"
    assert open_demands(store) == []
    with pytest.raises(CommissionerError):
        take_up(store, demand.id, me)
    with pytest.raises(CommissionerError):
        projects.publish_project(
            store, title="", requirements="x", deadline=TODAY, budget=1, demand_id=demand.id
        )


def test_an_achievement_review_reaches_only_the_reviewers_members_all_or_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    demo = generate_demo(store, visits=10, commissioners=3, seed=9, end=TODAY)
    me = store.get(Commissioner, demo.self_id)
    assert me is not None
    outsider, reviewer = [c for c in store.all(Commissioner) if c.id != me.id][:2]
    me.team_id = reviewer.team_id = "team-y"
    outsider.team_id, outsider.workstation_id = "team-z", "station-z"
    reviewer.workstation_id = "station-y"
    for person in (me, reviewer, outsider):
        store.save(person)

    def achievement(who: Commissioner, n: int) -> Achievement:
        return achievements.save_achievement(
            store,
            Achievement(
                commissioner_id=who.id,
                title=f"荔枝保鲜技术{n}",
                kind="technology",
                mode="transfer",
                contract_no=f"2026440799{n:06d}",
                contract_value=10.0,
                contract_date=TODAY,
                transferor="江门市某科研院所",
                transferee=f"从化荔枝合作社{n}",
            ),
        )

    mine, theirs = achievement(me, 1), achievement(outsider, 2)
    with pytest.raises(CommissionerError, match="只能审核本团队成员已提交的成果转化记录"):
        achievements.decide(store, [mine.id, theirs.id], "approved", reviewer)
    status = "SELECT review_status FROM achievements WHERE id = ?"
    assert store.db.execute(status, [mine.id]).fetchone()[0] != "approved"  # nothing half done
    with pytest.raises(ValidationError):
        achievements.decide(store, [mine.id], "returned", reviewer, opinion=" ")  # say why
    reviews = achievements.decide(store, [mine.id], "returned", reviewer, opinion="请补充合同扫描件")
    assert [(r.record_table, r.decision, r.sheet_accepted) for r in reviews] == [
        ("achievements", "returned", False)
    ]
    row = store.db.execute("SELECT review_status, review_opinion FROM achievements WHERE id = ?", [mine.id])
    assert row.fetchone() == ("returned", "请补充合同扫描件")  # shown at once; the review is what is sent


def test_one_technology_contract_counts_once(tmp_path: Path) -> None:
    """The same contract recorded three times (twice by one commissioner, once by a colleague), each
    approved, counted 3 achievements and three times its value in the city's 技术交易额."""
    store = Store.open(tmp_path / "data")
    wang, li = (
        store.save(Commissioner(name=n, sending_unit="五邑大学", team_id="t1")) for n in ("王芳", "李强")
    )
    boss = store.save(Commissioner(name="林站长", sending_unit="五邑大学", team_id="t1"))

    def record(who: Commissioner, number: str, value: float) -> Achievement:
        return stored_contract(store, who, number, contract_value=value)

    ids = [record(wang, "HT-2026-001", 500.0).id, record(wang, "ht-2026-001 ", 500.0).id]
    ids += [record(li, "HT-2026-001", 500.0).id, record(li, "HT-2026-002", 20.0).id]
    achievements.decide(store, ids, "approved", boss)
    assert achievements.totals(store, YEAR) == {"count": 2, "value": 520.0, "pending": 0}
    [county] = achievements.by_county(store, YEAR)
    assert (county["count"], county["value"]) == (2, 520.0)
    # Recorded twice by one commissioner on two laptops: either can still be corrected.
    twice = store.require(Achievement, ids[1])
    twice.note = "与另一台电脑上登记的重复"
    achievements.save_achievement(store, twice)
    # The laptop refuses the same number again among one's own.
    with pytest.raises(CommissionerError, match="HT-2026-002"):
        achievements.save_achievement(store, another(li, "HT-2026-002"))


def test_a_contract_number_typed_another_way_is_the_same_contract(tmp_path: Path) -> None:
    """A number copied from a Chinese document comes with full-width letters and dashes or an
    ideographic space; it counted as a second contract (twice the 技术交易额), and one contract whose
    achievements name parties in two counties counted in both counties' lines."""
    store = Store.open(tmp_path / "data")
    wang, li = (
        store.save(Commissioner(name=n, sending_unit="五邑大学", team_id="t1")) for n in ("王芳", "李强")
    )
    boss = store.save(Commissioner(name="林站长", sending_unit="五邑大学", team_id="t1"))
    xinhui, taishan = (
        store.save(ServiceTarget(name=n, county=c))
        for n, c in (("新会陈皮合作社", "新会区"), ("台山陈皮加工厂", "台山市"))
    )

    def record(who: Commissioner, number: str, target: ServiceTarget) -> str:
        return stored_contract(
            store, who, number, contract_value=300.0, transferee=target.name, target_id=target.id
        ).id

    ids = [
        record(wang, "HT-2026-007", xinhui),
        record(li, "ＨＴ－２０２６－００７", taishan),  # full-width letters, digits and dashes
        record(li, "HT\u30002026\u2013007", xinhui),  # an ideographic space and an en dash
        record(wang, "ht—2026—007", taishan),  # an em dash, lower case
    ]
    achievements.decide(store, ids, "approved", boss)
    assert achievements.totals(store, YEAR) == {"count": 1, "value": 300.0, "pending": 0}
    lines = achievements.by_county(store, YEAR)
    assert sum(line["count"] for line in lines) == 1
    assert sum(line["value"] for line in lines) == 300.0
    # The laptop refuses it again among one's own, however it is typed.
    with pytest.raises(CommissionerError, match="一份合同只登记一次"):
        achievements.save_achievement(store, another(wang, "ＨＴ－2026－007"))


def test_an_achievement_recorded_by_mistake_is_deleted(tmp_path: Path) -> None:
    """Recorded twice on two laptops, or under the wrong contract, and returned by the reviewer with
    “重复登记，请删除”: there was no way to delete it. One's own, not approved, goes with its files."""
    from commissioner_app.domain import Attachment, Review
    from commissioner_app.ops.projects import delete_achievement
    from sync.evidence import _evidence_hashes

    store = Store.open(tmp_path / "data")
    me = store.save_profile(Commissioner(name="王芳", sending_unit="五邑大学", team_id="t1"))
    other = store.save(Commissioner(name="李强", sending_unit="五邑大学", team_id="t1"))

    twice, approved = stored_contract(store, me, "HT-1"), stored_contract(store, me, "HT-2")
    theirs = stored_contract(store, other, "HT-3")
    scan = store.save(Attachment(owner_table="achievements", owner_id=twice.id, sha256="b" * 64))
    store.db.execute("UPDATE achievements SET review_status = 'approved' WHERE id = ?", [approved.id])
    # The scan came from the central store (another laptop's) and was never downloaded here.
    store.db.execute(
        "UPDATE attachments SET rev = 1, dirty = 0, updated_by = 'server' WHERE id = ?", [scan.id]
    )
    unsent = store.save(Attachment(owner_table="achievements", owner_id=twice.id, sha256="c" * 64))
    assert "b" * 64 in store.not_downloaded() and "b" * 64 in _evidence_hashes(store)
    assert delete_achievement(store, twice.id).changes.touches("achievements")
    row = store.row("achievements", twice.id)
    assert row is not None and row["deleted"] == 1 and row["dirty"] == 1  # sent at the next sync
    # Its synced file stays, its owner deleted (deleted first at the central store, files going before
    # achievements, it sent the achievement back to review and the achievement's deletion failed),
    # and nothing fetches or counts it; one never sent goes (it would be uploaded for nothing).
    assert store.row("attachments", scan.id)["deleted"] == 0
    assert "b" * 64 not in store.not_downloaded() and "b" * 64 not in _evidence_hashes(store)
    assert store.row("attachments", unsent.id)["deleted"] == 1
    with pytest.raises(CommissionerError, match="审核通过"):
        delete_achievement(store, approved.id)
    # Approved once, then edited (waiting for review again): still not by its owner alone.
    store.db.execute("UPDATE achievements SET review_status = 'pending' WHERE id = ?", [approved.id])
    store.save(Review(record_table="achievements", record_id=approved.id, record_rev=1, decision="approved"))
    with pytest.raises(CommissionerError, match="审核通过"):
        delete_achievement(store, approved.id)
    with pytest.raises(CommissionerError, match="本人"):
        delete_achievement(store, theirs.id)
    assert store.get(Achievement, approved.id) is not None and store.get(Achievement, theirs.id) is not None


def test_two_contracts_stay_two_and_one_contract_counts_in_one_year(tmp_path: Path) -> None:
    """A cold try: numbers compared without their separators merged two contracts (HT-2026-1-07 and
    HT-2026-10-7: 50 and 80 counted as one of 80, and the laptop refused the second); 〔2026〕 and
    (2026), or a zero-width space copied in, made one contract two; and one contract whose
    achievements were dated on both sides of a new year counted in both years."""
    from commissioner_app.domain import contract_key

    assert contract_key("HT-2026-1-07") != contract_key("HT-2026-10-7")
    assert contract_key("JM-2026-1-12") != contract_key("JM-2026-11-2")
    same = [
        "江科合〔2026〕7号",
        "江科合(2026)7号",
        "江科合[2026]7号",
        "江科合（2026）7号",
        "江科合〔2026〕\u200b7号",
    ]
    assert len({contract_key(n) for n in same}) == 1
    assert len({contract_key(n) for n in ("HT_2026_007", "HT/2026/007", "HT.2026.007", "HT 2026 007")}) == 1
    # Kept apart where they are not between digits, they made one contract two (a second cold try).
    for one, other in (
        ("苏科合〔2026〕 7号", "苏科合〔2026〕7号"),
        ("HT-2026-007 号", "HT-2026-007号"),
        ("HT2026-007", "HT-2026-007"),
        ("HT-2026-007\u200e", "HT-2026-007"),
        # A third: a group of three digits or more is part of one fixed-width number, however it is
        # split (HT2026007 as typed from the paper, HT-2026-007 from the scan) ...
        ("HT2026007", "HT-2026-007"),
        ("2026 440703 000123", "2026440703000123"),
        ("JM-2026-0012", "JM20260012"),
        ("粤科〔2026〕007号", "粤科2026-007号"),
        ("江科合〔2026〕第7号", "江科合〔2026〕7号"),
        ("江科合〔2026〕7", "江科合〔2026〕7号"),
    ):
        assert contract_key(one) == contract_key(other), one
    # ... and a group of one or two digits on either side of a separator still tells two contracts
    # apart (November's no. 234 and January's no. 1234, which a fourth try found merged).
    for one, other in (
        ("HT-2026-1-007", "HT-2026-10-07"),
        ("2026-11-234", "2026-1-1234"),
        ("HT-2026-12-345", "HT-2026-1-2345"),
    ):
        assert contract_key(one) != contract_key(other), one

    store = Store.open(tmp_path / "data")
    wang = store.save_profile(Commissioner(name="王芳", sending_unit="五邑大学", team_id="t1"))
    boss = store.save(Commissioner(name="林站长", sending_unit="五邑大学", team_id="t1"))

    def record(number: str, value: float, day: date) -> str:
        return stored_contract(store, wang, number, contract_value=value, contract_date=day).id

    ids = [
        record("HT-2024-1-07", 50.0, date(2024, 6, 1)),
        record("HT-2024-10-7", 80.0, date(2024, 6, 2)),
        record("HT-2024-99", 30.0, date(2024, 12, 30)),  # recorded again in the new year
        record("HT 2024 99", 30.0, date(2025, 1, 3)),
    ]
    achievements.decide(store, ids, "approved", boss)
    assert achievements.totals(store, 2024) == {"count": 3, "value": 160.0, "pending": 0}
    assert achievements.totals(store, 2025) == {"count": 0, "value": 0.0, "pending": 0}
    assert achievements.totals(store) == {"count": 3, "value": 160.0, "pending": 0}
    assert sum(line["count"] for line in achievements.by_county(store, 2025)) == 0
    assert (
        sum(line["count"] for line in achievements.by_county(store, start="2024-01-01", end="2024-12-31"))
        == 3
    )
