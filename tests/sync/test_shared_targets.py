"""Service targets are shared in a team, through the real server with separate data directories:
a teammate uses (and corrects) a colleague's target; two offline creators of one credit code end
with one target everywhere; a manager's merge re-points visits on every computer."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.attachments import add_attachment
from commissioner_app.credit_code import make_credit_code
from commissioner_app.domain import ServiceAgreement, ServiceTarget, Visit
from commissioner_app.ops.agreements import save_agreement
from commissioner_app.ops.targets import merge_targets, save_target
from commissioner_app.store import Store
from commissioner_app.targets import DuplicateTargetError, SimilarTargetsWarning, target_history
from sync.engine import SyncEngine
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server


class Person:
    def __init__(self, server: Server, tmp: Path, role: str, team: str | None, name: str) -> None:
        self.cid = str(uuid.uuid4()) if role != "bureau" else None
        self.team = team
        self.username = server.add_user(
            f"{name}{uuid.uuid4().hex[:6]}", role, commissioner_id=self.cid, team=team
        )
        self.store = commissioner_store(tmp / self.username, self.cid or str(uuid.uuid4()), name)
        self.engine: SyncEngine = connect(self.store, server.url, self.username)

    def sync(self) -> Any:
        return self.engine.sync()

    def live_targets(self) -> dict[str, ServiceTarget]:
        return {t.id: t for t in self.store.all(ServiceTarget, "deleted = 0 AND merged_into = ''", [])}


def target(name: str, code: str = "", town: str = "会城街道") -> ServiceTarget:
    return ServiceTarget(
        name=name,
        type="enterprise" if code else "cooperative",
        county="新会区",
        town=town,
        credit_code=code,
        contact_name="陈经理",
        contact_phone="13800138000",
    )


def visit(store: Store, target_id: str, text: str) -> Visit:
    v = Visit(
        commissioner_id=store.actor,
        target_id=target_id,
        visit_date=date.today() - timedelta(days=3),
        start_time="09:00",
        end_time="11:00",
        county="新会区",
        town="会城街道",
        service_types=["guidance"],
        content=text,
    )
    store.save_visit(v)
    return v


def code(rng: random.Random) -> str:
    return make_credit_code("91440705", "".join(rng.choice("0123456789") for _ in range(8)))


@pytest.fixture
def team(own_server: Server, tmp_path: Path) -> dict[str, Person]:
    t = f"team-{uuid.uuid4().hex[:8]}"
    other = f"team-{uuid.uuid4().hex[:8]}"
    return {
        "a": Person(own_server, tmp_path, "commissioner", t, "王建国"),
        "b": Person(own_server, tmp_path, "commissioner", t, "李芳"),
        "m": Person(own_server, tmp_path, "manager", t, "陈站长"),
        "c": Person(own_server, tmp_path, "commissioner", other, "赵强"),
        "m2": Person(own_server, tmp_path, "manager", other, "周团长"),
    }


def test_a_teammate_sees_uses_and_corrects_a_shared_target(
    own_server: Server, team: dict[str, Person], tmp_path: Path
) -> None:
    a, b, m, c, m2 = (team[k] for k in ("a", "b", "m", "c", "m2"))
    made = save_target(a.store, target("新会区会城陈皮专业合作社")).value
    visit(a.store, made.id, "指导陈皮仓储")
    agreement = save_agreement(
        a.store,
        ServiceAgreement(
            target_id=made.id,
            start_date=date.today() - timedelta(days=30),
            end_date=date.today() + timedelta(days=300),
            agreed={"visits": 6},
            status="signed",
        ),
    ).value
    scan = tmp_path / "signed.jpg"
    from PIL import Image

    Image.new("RGB", (60, 80), "white").save(scan)
    add_attachment(a.store, scan, "service_agreements", agreement.id, kind="signed_agreement")
    report = a.sync()
    assert report.rejected == 0 and report.attachments_uploaded == 1
    bureau = Person(own_server, tmp_path, "bureau", None, "市科技局")
    for person in (b, m, c, m2, bureau):
        person.sync()
    # Visible to the creator's team (commissioner and manager) and the bureau, not to another team.
    assert made.id in b.live_targets() and made.id in m.live_targets()
    assert made.id in bureau.live_targets()
    assert made.id not in c.live_targets() and made.id not in m2.live_targets()
    # Agreements travel with the same scope.
    for person, expected in ((b, True), (m, True), (bureau, True), (c, False), (m2, False)):
        assert (person.store.get(ServiceAgreement, agreement.id) is not None) is expected, person.username

    # The teammate records a visit to it and corrects the phone: both accepted.
    visit(b.store, made.id, "讲解柑橘木虱防治")
    shared = b.store.require(ServiceTarget, made.id)
    shared.contact_phone = "13900139000"
    save_target(b.store, shared)
    report = b.sync()
    assert report.rejected == 0 and report.accepted >= 2
    a.sync()
    assert a.store.require(ServiceTarget, made.id).contact_phone == "13900139000"
    # The creator's target page lists the colleague's correction.
    (corrected,) = [e for e in target_history(a.store, made.id) if e.kind == "change"]
    assert corrected.extra["changes"] == {"contact_phone": ["13800138000", "13900139000"]}
    stored = own_server.records()[("service_targets", made.id)]
    assert stored["fields"]["contact_phone"] == "13900139000"

    # Only the contact details: renaming a colleague's target is refused, with the reason said once,
    # and the laptop's copy becomes the target as it stands (it used to keep the refused name, refused
    # again at every sync).
    shared = b.store.require(ServiceTarget, made.id)
    shared.name = "改名合作社"
    save_target(b.store, shared, allow_similar=True)
    report = b.sync()
    assert report.rejected == 1
    said = [p.text("zh_CN") for p in report.problems]
    assert any("只能修改联系人" in p and "名称（name）" in p for p in said), said
    row = b.store.row("service_targets", made.id)
    assert row is not None and row["sync_error"] is None and row["dirty"] == 0
    assert row["name"] == "新会区会城陈皮专业合作社"
    assert b.sync().rejected == 0
    # Another team's commissioner cannot change it at all (nor learn it exists).
    c.store.save(ServiceTarget(**{**target("x").__dict__, "id": made.id, "name": "外队改名"}))
    assert c.sync().rejected == 1

    # The change is in the server's history (a revision per accepted version).
    with own_server.engine.connect() as conn:
        from sqlalchemy import text

        revs = conn.execute(
            text("SELECT count(*) FROM revisions WHERE table_name = 'service_targets' AND record_id = :i"),
            {"i": made.id},
        ).scalar_one()
    assert revs == 2


def test_duplicates_are_caught_when_created(tmp_path: Path) -> None:
    store = commissioner_store(tmp_path / "one", str(uuid.uuid4()))
    k = code(random.Random(1))
    first = save_target(store, target("江门市恒鑫陈皮有限公司", k)).value
    with pytest.raises(DuplicateTargetError) as refused:
        save_target(store, target("恒鑫陈皮", k.lower()))
    assert refused.value.existing.id == first.id
    with pytest.raises(SimilarTargetsWarning) as warned:
        save_target(store, target("江门市 恒鑫陈皮有限责任公司"))
    assert [t.id for t in warned.value.candidates] == [first.id]
    # Full-width characters and the co-operative's legal-form variants are the same name too.
    coop = save_target(store, target("会城柑橘农民专业合作社（ＡＢ）")).value
    with pytest.raises(SimilarTargetsWarning):
        save_target(store, target("会城柑橘合作社(AB)"))
    # Another town is another place; a confirmed save goes through.
    save_target(store, target("会城柑橘合作社(AB)", town="大泽镇"))
    save_target(store, target("会城柑橘合作社(AB)"), allow_similar=True)
    assert coop.id


def test_two_offline_creators_of_one_credit_code_end_with_one_target(team: dict[str, Person]) -> None:
    a, b, m = team["a"], team["b"], team["m"]
    k = code(random.Random(uuid.uuid4().int))
    ta = save_target(a.store, target("江门市恒鑫陈皮有限公司", k)).value
    va = visit(a.store, ta.id, "甲：指导陈皮加工")
    tb = save_target(b.store, target("恒鑫陈皮公司", k)).value
    vb = visit(b.store, tb.id, "乙：调研仓储条件")
    assert a.sync().rejected == 0
    assert b.sync().rejected == 0
    a.sync()
    m.sync()
    for person in (a, b, m):
        live = [t for t in person.live_targets().values() if t.credit_code == k]
        assert [t.id for t in live] == [ta.id], person.username
    assert b.store.require(Visit, vb.id).target_id == ta.id
    assert m.store.require(Visit, vb.id).target_id == ta.id
    assert m.store.require(Visit, va.id).target_id == ta.id
    history = target_history(m.store, ta.id)
    assert {e.record_id for e in history if e.kind == "visit"} == {va.id, vb.id}
    # A visit made offline later, still naming the duplicate, lands on the one target.
    late = visit(b.store, tb.id, "乙：回访检查仓储温湿度")
    b.sync()
    assert b.store.require(Visit, late.id).target_id == ta.id


def test_a_managers_merge_repoints_visits_on_every_computer(
    own_server: Server, team: dict[str, Person], tmp_path: Path
) -> None:
    a, b, m, m2, c = team["a"], team["b"], team["m"], team["m2"], team["c"]
    keep = save_target(a.store, target("会城镇石头村")).value
    va = visit(a.store, keep.id, "甲：村级科技服务")
    dup = save_target(b.store, target("会城石头村委会", town="大泽镇")).value
    vb = visit(b.store, dup.id, "乙：村级培训")
    a.sync()
    b.sync()
    m.sync()
    m2.sync()
    # A commissioner may not merge a colleague's target; another team's manager does not see them.
    d = Person(own_server, tmp_path, "commissioner", a.team, "孙丽")
    d.sync()
    mine = visit(d.store, keep.id, "丁：走访石头村")
    merge_targets(d.store, keep.id, dup.id)
    assert d.store.require(Visit, mine.id).target_id == dup.id  # re-pointed here at once
    report = d.sync()
    assert report.rejected == 1
    assert own_server.records()[("service_targets", keep.id)]["deleted"] is False
    # The refused merge is undone here (it stayed, deleted and refused, hidden from every list of
    # refusals, with the visits it moved): the target and the visit are as on the server.
    back = d.store.get(ServiceTarget, keep.id)
    assert back is not None and back.merged_into == ""
    assert d.store.require(Visit, mine.id).target_id == keep.id
    assert d.sync().rejected == 0
    assert own_server.records()[("visits", mine.id)]["fields"]["target_id"] == keep.id
    assert keep.id not in m2.live_targets() and dup.id not in m2.live_targets()

    moved = merge_targets(m.store, dup.id, keep.id).value
    assert moved >= 1
    assert m.sync().rejected == 0
    for person in (a, b, m):
        person.sync()
    for person in (a, b, m):
        assert dup.id not in person.live_targets()
    for person in (b, m):
        assert person.store.require(Visit, vb.id).target_id == keep.id
    assert m.store.require(Visit, va.id).target_id == keep.id
    server = own_server.records()
    assert server[("visits", vb.id)]["fields"]["target_id"] == keep.id
    assert server[("service_targets", dup.id)]["deleted"] is True
    assert server[("service_targets", dup.id)]["fields"]["merged_into"] == keep.id
    # Recorded in history: the visit's revisions show the move (the current version's fields are
    # the record's own).
    with own_server.engine.connect() as conn:
        from sqlalchemy import text

        targets_seen = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT coalesce(nullif(v.fields, ''), r.fields) FROM revisions v JOIN records r "
                    "ON r.table_name = v.table_name AND r.id = v.record_id "
                    "WHERE v.table_name = 'visits' AND v.record_id = :i ORDER BY v.rev"
                ),
                {"i": vb.id},
            )
        ]
    assert dup.id in targets_seen[0] and keep.id in targets_seen[-1]
    assert c.sync().rejected == 0
