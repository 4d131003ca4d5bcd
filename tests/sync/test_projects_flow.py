"""Through the real central store, with a data directory per computer: a 揭榜挂帅 project from its
publication to two applications, the award, milestones and the acceptance, seen correctly on the
bureau's and on each applicant's computer; an achievement recorded, reviewed and counted."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from commissioner_app import achievements, projects
from commissioner_app.attachments import add_attachment
from commissioner_app.demands import open_demands
from commissioner_app.domain import (
    Achievement,
    Commissioner,
    Demand,
    ProjectApplication,
    ProjectMilestone,
    ProjectRecord,
    ServiceTarget,
    Visit,
)
from commissioner_app.store import Store
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server

TODAY = date.today()


def sync_ok(store: Store, server: Server, account: str) -> None:
    report = connect(store, server.url, account).sync()
    assert report.rejected == 0, report


def test_a_project_from_publication_to_acceptance_and_an_achievement_counted(
    own_server: Server, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    team = f"team-{tag}"
    bureau_account = own_server.add_user(f"boss{tag}", "bureau")
    zhang_id, li_id, mgr_id = (str(uuid.uuid4()) for _ in range(3))
    zhang_account = own_server.add_user(f"zhang{tag}", commissioner_id=zhang_id, team=team)
    li_account = own_server.add_user(f"li{tag}", commissioner_id=li_id)
    mgr_account = own_server.add_user(f"mgr{tag}", "manager", commissioner_id=mgr_id, team=team)
    bureau = Store.open(tmp_path / "bureau")
    zhang = commissioner_store(tmp_path / "zhang", zhang_id, name="张建国")
    li = commissioner_store(tmp_path / "li", li_id, name="李芳")
    mgr = commissioner_store(tmp_path / "mgr", mgr_id, name="陈站长")
    for store, account in ((zhang, zhang_account), (li, li_account), (mgr, mgr_account)):
        sync_ok(store, own_server, account)

    # The bureau publishes one of its demands as a 揭榜 project.
    demand = bureau.save(Demand(title="陈皮仓储霉变", description="陈皮仓储期霉变损失大", industry="陈皮"))
    project = projects.publish_project(
        bureau,
        title="",
        requirements="一年内提出低成本防霉方案并建成示范仓",
        deadline=TODAY + timedelta(days=20),
        budget=80.0,
        demand_id=demand.id,
        published_by="江门市科技局",
    )
    assert project.title == "陈皮仓储霉变"
    sync_ok(bureau, own_server, bureau_account)

    # Two applications, made offline and synced.
    plans = {}
    for store, account, as_team in ((zhang, zhang_account, True), (li, li_account, False)):
        sync_ok(store, own_server, account)
        me = store.profile()
        assert me is not None
        [row] = projects.project_rows(store, me)
        assert row["status"] == "published" and row["my_application"] is None
        assert open_demands(store) == []  # applied for now, not taken by whoever comes first
        plans[me.id] = projects.apply(
            store, project.id, me, f"{me.name}的攻关方案：低温除湿结合生物防霉", as_team=as_team
        )
        sync_ok(store, own_server, account)
    assert plans[zhang_id].team_id == team

    # The bureau compares them and awards one.
    sync_ok(bureau, own_server, bureau_account)
    compared = projects.application_rows(bureau, project.id)
    assert {r["commissioner_id"] for r in compared} == {zhang_id, li_id}
    projects.award(bureau, project.id, plans[zhang_id].id)
    sync_ok(bureau, own_server, bureau_account)

    # Each applicant sees the decision on their own application, and only their own.
    sync_ok(zhang, own_server, zhang_account)
    sync_ok(li, own_server, li_account)
    assert [a.status for a in zhang.all(ProjectApplication)] == ["awarded"]
    assert [a.status for a in li.all(ProjectApplication)] == ["not_chosen"]
    li_view = projects.project_rows(li, li.profile())[0]
    assert li_view["status"] == "awarded" and li_view["my_application"] == "not_chosen"
    zhang_project = zhang.get(ProjectRecord, project.id)
    assert zhang_project is not None and zhang_project.awarded_commissioner_id == zhang_id

    # The awarded side sets milestones and links its visit; the other applicant cannot.
    me = zhang.profile()
    assert me is not None
    first = projects.add_milestone(zhang, project.id, me, "建成示范仓", TODAY + timedelta(days=60))
    projects.add_milestone(zhang, project.id, me, "中期检测", TODAY + timedelta(days=120))
    projects.complete_milestone(zhang, first.id, "示范仓验收照片及检测报告")
    target = zhang.save(ServiceTarget(type="cooperative", name="新会陈皮合作社", county="新会区"))
    visit = zhang.save_visit(
        Visit(
            commissioner_id=zhang_id,
            target_id=target.id,
            visit_date=TODAY,
            start_time="09:00",
            end_time="11:00",
            service_types=["guidance"],
            content="示范仓温湿度调试",
        )
    )
    projects.link(zhang, "visits", visit.id, project.id)
    sync_ok(zhang, own_server, zhang_account)
    li_profile = li.profile()
    assert li_profile is not None and not projects.awarded_to(zhang_project, li_profile)

    # The bureau sees the progress and records the acceptance with its evidence.
    sync_ok(bureau, own_server, bureau_account)
    milestones = projects.milestone_rows(bureau, project.id)
    assert [(m["title"], m["done"]) for m in milestones] == [("建成示范仓", 1), ("中期检测", 0)]
    assert projects.project_rows(bureau)[0]["visits"] == 1
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 acceptance report")
    add_attachment(bureau, evidence, "projects", project.id, kind="document")
    projects.accept(bureau, project.id, "passed", "达到攻关指标，示范仓霉变率低于2%")
    sync_ok(bureau, own_server, bureau_account)
    assert projects.projects_by_status(bureau) == {"accepted": {"count": 1, "budget": 80.0}}

    for store, account in ((zhang, zhang_account), (li, li_account)):
        sync_ok(store, own_server, account)
        seen = store.get(ProjectRecord, project.id)
        assert seen is not None and seen.status == "accepted" and seen.acceptance == "passed"
        assert len(store.all(ProjectMilestone)) == 2
    assert len(li.all(ProjectApplication)) == 1  # never the other applicant's plan

    # An achievement: recorded with evidence, reviewed by the manager, counted everywhere.
    achievement = achievements.save_achievement(
        zhang,
        Achievement(
            commissioner_id=zhang_id,
            title="陈皮低温陈化防霉技术",
            kind="technology",
            mode="license",
            contract_no="2026440703000123",
            contract_value=35.5,
            contract_date=TODAY,
            transferor="五邑大学",
            transferee="新会陈皮合作社",
            target_id=target.id,
            visit_ids=[visit.id],
        ),
    )
    sheet = tmp_path / "技术合同.pdf"
    sheet.write_bytes(b"%PDF-1.4 contract")
    add_attachment(zhang, sheet, "achievements", achievement.id, kind="document")
    assert achievements.totals(zhang, TODAY.year)["count"] == 0  # not counted before approval
    sync_ok(zhang, own_server, zhang_account)
    sync_ok(mgr, own_server, mgr_account)
    reviewer = mgr.profile()
    assert isinstance(reviewer, Commissioner) and reviewer.team_id == team
    assert [r["id"] for r in achievements.review_queue(mgr, reviewer)] == [achievement.id]
    achievements.decide(mgr, [achievement.id], "approved", reviewer, "合同与佐证齐全")
    sync_ok(mgr, own_server, mgr_account)
    sync_ok(zhang, own_server, zhang_account)
    sync_ok(bureau, own_server, bureau_account)
    for store in (zhang, bureau):
        assert achievements.totals(store, TODAY.year) == {"count": 1, "value": 35.5, "pending": 0}
    # Every step is a revision in the central store's history (its audit trail): published,
    # awarded, accepted; and both evidence files arrived.
    held = own_server.records()
    assert held[("projects", project.id)]["fields"]["status"] == "accepted"
    assert held[("projects", project.id)]["rev"] == 3
    assert len(own_server.uploads()) == 2 and all(own_server.uploads().values())

    # Recorded twice after all: returned, then deleted by its owner. A cold try: its contract file's
    # deletion went first (files go before achievements), sent it back to review, and its own
    # deletion was then refused: the file was lost everywhere and the achievement stayed.
    achievements.decide(mgr, [achievement.id], "returned", reviewer, "重复登记，请删除")
    sync_ok(mgr, own_server, mgr_account)
    sync_ok(zhang, own_server, zhang_account)
    from commissioner_app.ops.projects import delete_achievement

    delete_achievement(zhang, achievement.id)
    report = connect(zhang, own_server.url, zhang_account).sync()
    assert report.rejected == 0 and report.conflicts == 0, report
    held = own_server.records()
    assert held[("achievements", achievement.id)]["deleted"]
    sync_ok(bureau, own_server, bureau_account)
    assert achievements.totals(bureau, TODAY.year) == {"count": 0, "value": 0.0, "pending": 0}
