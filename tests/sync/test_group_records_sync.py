"""Bonuses and exemplars through a real central store with separate data directories: a team
leader proposes a bonus on their laptop, the bureau approves it on its own, the leader's laptop then
counts it; the bureau names an exemplar from its published results and every side sees it. Each
step is a revision of the record on the central store (the audit trail)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import text

from commissioner_app.assessment import Period, assess, assess_groups, publish
from commissioner_app.domain import BonusPoint, Exemplar, ServiceTarget, Team, Visit
from commissioner_app.ops.groups import decide_bonus, nominate_exemplar, save_bonus
from commissioner_app.plan_lists import exemplars
from commissioner_app.store import Store
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server

YEAR = date.today().year


def test_a_bonus_from_proposal_to_approval_and_an_exemplar(own_server: Server, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    team = Team(id=f"team-{tag}", name=f"新会区陈皮产业科技特派团{tag}", county="新会区")
    boss = own_server.add_user(f"boss{tag}", "bureau")
    bureau = Store.open(tmp_path / "bureau")
    bureau.save(team)
    assert connect(bureau, own_server.url, boss).sync().rejected == 0

    cid = str(uuid.uuid4())
    lead_account = own_server.add_user(f"lead{tag}", "manager", commissioner_id=cid, team=team.id)
    lead = commissioner_store(tmp_path / "lead", cid, name="林站长")
    target = lead.save(ServiceTarget(type="village", name="会城街道东甲村", county="新会区"))
    lead.save_visit(
        Visit(
            commissioner_id=cid,
            target_id=target.id,
            visit_date=date(YEAR, 1, 3),
            start_time="09:00",
            end_time="11:00",
            county="新会区",
            service_types=["guidance"],
            content="田间指导柑橘黄龙病防控",
        )
    )
    lead_sync = connect(lead, own_server.url, lead_account)
    assert lead_sync.sync().rejected == 0
    assert lead.row("teams", team.id) is not None  # the leader's laptop holds their team

    # The leader proposes (a tampered laptop even says "approved"): the central store keeps it pending.
    bonus = save_bonus(
        lead,
        BonusPoint(
            year=YEAR,
            subject_kind="team",
            subject_id=team.id,
            points=4,
            reason="团队获市级表彰",
            evidence="江科〔2026〕3号",
            status="approved",
        ),
    ).value
    assert lead_sync.sync().rejected == 0
    assert lead.get(BonusPoint, bonus.id).status == "pending"  # type: ignore[union-attr]

    bureau_sync = connect(bureau, own_server.url, boss)
    bureau_sync.sync()
    assert bureau.get(BonusPoint, bonus.id).status == "pending"  # type: ignore[union-attr]
    decide_bonus(bureau, bonus.id, "approved", "", "市科技局")
    assert bureau_sync.sync().rejected == 0

    lead_sync.sync()
    seen = lead.get(BonusPoint, bonus.id)
    assert seen is not None and seen.status == "approved" and seen.reviewed_at
    city = assess(lead, period=Period.year(YEAR))
    (mine,) = [g for g in assess_groups(lead, city, "team") if g.group_id == team.id]
    assert mine.bonus == 4

    # Every step is a revision on the central store: proposed, approved.
    with own_server.engine.connect() as conn:
        revs = conn.execute(
            text("SELECT rev, username FROM revisions WHERE table_name = 'bonus_points' AND record_id = :id"),
            {"id": bonus.id},
        ).fetchall()
    assert sorted(r[0] for r in revs) == [1, 2]
    assert {r[1] for r in revs} == {lead_account, boss}

    # The bureau publishes the year and names the leader an exemplar; the leader's laptop sees it.
    publish(bureau, YEAR, "市科技局")
    nominate_exemplar(
        bureau,
        Exemplar(
            year=YEAR,
            subject_kind="commissioner",
            subject_id=cid,
            title="优秀科技特派员",
            citation="扎根一线。",
        ),
        "市科技局",
    )
    assert bureau_sync.sync().rejected == 0
    lead_sync.sync()
    assert [e.title for e in exemplars(lead, YEAR)] == ["优秀科技特派员"]
