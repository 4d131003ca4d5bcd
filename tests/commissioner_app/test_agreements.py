"""Service agreement progress against hand-computed cases: only approved visits of the agreement's
commissioners to its target within its period (both ends included) count."""

from __future__ import annotations

from datetime import date

import pytest

from commissioner_app.agreements import agreement_progress, behind_agreements, midpoint, progress_of
from commissioner_app.domain import ServiceAgreement, ServiceTarget, TechnicalProblem, Visit
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.ops.agreements import save_agreement
from commissioner_app.store import Store

ME, COLLEAGUE, STRANGER = "c-me", "c-colleague", "c-stranger"


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.actor = ME
    return s


def add_visit(
    store: Store,
    target: str,
    day: date,
    *,
    who: str = ME,
    review: str = "approved",
    sessions: int = 0,
    trained: int = 0,
    techniques: int = 0,
    solved: int = 0,
    draft: bool = False,
) -> str:
    visit = Visit(
        commissioner_id=who,
        target_id=target,
        visit_date=day,
        start_time="09:00",
        end_time="11:00",
        county="新会区",
        service_types=["guidance"],
        content="指导柑橘栽培管理",
        training_sessions=sessions,
        people_trained=trained,
        techniques_promoted=techniques,
    )
    problems = [
        TechnicalProblem(title=f"难题{i}", description="叶片黄化", status="open") for i in range(solved)
    ]
    store.save_visit(visit, problems, draft=draft)
    for p in problems:  # solved afterwards, with the solution recorded directly
        store.db.execute("UPDATE problems SET status = 'solved' WHERE id = ?", [p.id])
    store.db.execute("UPDATE visits SET review_status = ? WHERE id = ?", [review, visit.id])
    return visit.id


def test_progress_counts_only_approved_visits_within_the_period(store: Store) -> None:
    t = store.save(ServiceTarget(name="新会陈皮专业合作社", type="cooperative")).id
    other = store.save(ServiceTarget(name="另一家合作社", type="cooperative")).id
    a = save_agreement(
        store,
        ServiceAgreement(
            target_id=t,
            start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31),
            co_commissioner_ids=[COLLEAGUE],
            agreed={
                "service_days": 10,
                "visits": 12,
                "training_sessions": 4,
                "people_trained": 100,
                "techniques_promoted": 3,
                "problems_solved": 2,
            },
            status="signed",
        ),
    ).value
    assert a.commissioner_id == ME
    # Counted: both ends of the period, the co-commissioner's visit, two visits on one day.
    add_visit(store, t, date(2025, 1, 1), sessions=1, trained=30, techniques=1, solved=1)
    add_visit(store, t, date(2025, 12, 31), trained=5)
    add_visit(store, t, date(2025, 6, 1), who=COLLEAGUE, sessions=2, trained=40, solved=1)
    add_visit(store, t, date(2025, 6, 1), techniques=2)
    # Not counted: the day before and after, pending, returned, a draft, another target, a stranger.
    add_visit(store, t, date(2024, 12, 31), trained=99)
    add_visit(store, t, date(2026, 1, 1), trained=99)
    add_visit(store, t, date(2025, 3, 1), review="pending", trained=99, solved=1)
    add_visit(store, t, date(2025, 3, 2), review="returned", trained=99)
    add_visit(store, t, date(2025, 3, 3), draft=True, trained=99)
    add_visit(store, other, date(2025, 3, 4), trained=99)
    add_visit(store, t, date(2025, 3, 5), who=STRANGER, trained=99)

    p = agreement_progress(store, a, today=date(2025, 7, 1))
    done = {i.key: (i.done, i.agreed) for i in p.items}
    assert done == {
        "service_days": (3, 10),  # 1 Jan, 1 Jun, 31 Dec 2025
        "visits": (4, 12),
        "training_sessions": (3, 4),
        "people_trained": (75, 100),
        "techniques_promoted": (3, 3),
        "problems_solved": (2, 2),
    }
    assert len(p.visit_ids) == 4
    # Past mid-period with service days (3 of 10) and visits (4 of 12) under half: behind.
    assert midpoint(a) == date(2025, 7, 2)
    assert not agreement_progress(store, a, today=date(2025, 7, 1)).behind  # the day before the middle
    late = agreement_progress(store, a, today=date(2025, 7, 2))
    assert late.behind and [i.key for i in late.lagging] == ["service_days", "visits"]
    assert [x.agreement.id for x in behind_agreements(store, today=date(2025, 8, 1))] == [a.id]
    assert behind_agreements(store, [COLLEAGUE], today=date(2025, 8, 1)) == []


def test_a_draft_or_finished_agreement_is_never_behind_and_half_is_enough(store: Store) -> None:
    t = store.save(ServiceTarget(name="石头村", type="village")).id
    a = save_agreement(
        store,
        ServiceAgreement(
            target_id=t, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31), agreed={"visits": 4}
        ),
    ).value
    add_visit(store, t, date(2026, 1, 10))
    assert not agreement_progress(store, a, today=date(2026, 1, 20)).behind  # a draft
    a.status = "midterm"
    save_agreement(store, a)
    assert agreement_progress(store, a, today=date(2026, 1, 20)).behind  # 1 of 4
    add_visit(store, t, date(2026, 1, 11))
    assert not agreement_progress(store, a, today=date(2026, 1, 20)).behind  # 2 of 4: half
    a.status = "completed"
    save_agreement(store, a)
    assert not agreement_progress(store, a, today=date(2026, 1, 20)).behind


def test_marking_an_agreement_completed_does_not_complete_its_agreed_targets(store: Store) -> None:
    """A commissioner's own 已完成 on an agreement of 4 visits after 1 counted it completed in the
    team's assessment; with no countable target agreed, the mark is all there is."""
    from commissioner_app.agreements import completed

    t = store.save(ServiceTarget(name="石头村", type="village")).id
    a = save_agreement(
        store,
        ServiceAgreement(
            target_id=t,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 31),
            agreed={"visits": 4},
            status="completed",
        ),
    ).value
    add_visit(store, t, date(2026, 1, 10))
    assert not completed(agreement_progress(store, a, today=date(2026, 2, 1)))
    for day in (11, 12, 13):
        add_visit(store, t, date(2026, 1, day))
    assert completed(agreement_progress(store, a, today=date(2026, 2, 1)))
    plain = save_agreement(
        store,
        ServiceAgreement(
            target_id=t, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31), status="completed"
        ),
    ).value
    assert completed(agreement_progress(store, plain, today=date(2026, 2, 1)))


def test_an_agreement_needs_a_target_a_period_and_a_known_status(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        save_agreement(
            store, ServiceAgreement(start_date=date(2026, 5, 1), end_date=date(2026, 4, 1), status="x")
        )
    fields = {i.field for i in refused.value.issues}
    assert {"target_id", "end_date", "status"} <= fields


def test_the_annual_record_has_a_section_on_agreements(tmp_path) -> None:
    import subprocess

    from commissioner_app.demo import generate_demo
    from commissioner_app.reports.annual import annual_record

    store = Store.open(tmp_path / "demo")
    generate_demo(store, visits=600, seed=4, commissioners=2, photos=False, end=date(2025, 11, 30))
    who, target, start, end = store.db.execute(
        "SELECT commissioner_id, target_id, start_date, end_date FROM service_agreements "
        "WHERE status != 'draft' AND start_date <= '2025-12-31' AND end_date >= '2025-01-01' LIMIT 1"
    ).fetchone()
    (expected,) = progress_of(
        store, "commissioner_id = ? AND target_id = ?", [who, target], today=date(2025, 12, 31)
    )
    out = tmp_path / "annual.pdf"
    annual_record(store, who, 2025, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "六、服务协议完成情况" in text and "七、揭榜挂帅与成果转化" in text
    section = text[text.index("六、服务协议完成情况") : text.index("七、揭榜挂帅与成果转化")]
    assert f"{start} ~" in section.replace("\n", "")
    visits = next(i for i in expected.items if i.key == "visits")
    assert f"{visits.agreed:g}" in section and f"{visits.done:g}" in section


def signed_for_2026(store: Store, target_id: str, agreed: dict[str, float]) -> ServiceAgreement:
    """An agreement signed for 2026, saved on this laptop (not synced yet)."""
    agreement = ServiceAgreement(
        target_id=target_id,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        agreed=agreed,
        status="signed",
    )
    return save_agreement(store, agreement).value


def test_a_signed_agreement_synced_keeps_its_targets_and_period_on_the_laptop(store: Store) -> None:
    """The central store refuses a change of a signed agreement's targets or period by its
    commissioner (tests/sync/test_server_integrity.py); the laptop says so at once, and keeps it."""
    from commissioner_app.errors import CommissionerError
    from commissioner_app.ops.agreements import delete_agreement

    target = store.save(ServiceTarget(name="双水陈皮合作社", county="新会区"))
    agreement = signed_for_2026(store, target.id, {"visits": 100, "people_trained": 50})
    # Not synced yet: still the laptop's own, corrected freely (a typo in a target).
    agreement.agreed = {"visits": 10, "people_trained": 50}
    save_agreement(store, agreement)
    agreement.agreed = {"visits": 100, "people_trained": 50}
    save_agreement(store, agreement)
    store.db.execute(
        "UPDATE service_agreements SET rev = 1, base_rev = 1, dirty = 0 WHERE id = ?", [agreement.id]
    )
    # A note edited since (the server's version is kept aside), then the targets cleared: refused.
    agreement.notes = "中期检查前补充材料"
    save_agreement(store, agreement)
    for change in (
        {"agreed": {}, "status": "completed"},
        {"agreed": {"visits": 9, "people_trained": 50}},
        {"end_date": date(2027, 12, 31)},
        {"status": "draft"},
    ):
        edited = store.require(ServiceAgreement, agreement.id)
        for name, value in change.items():
            setattr(edited, name, value)
        with pytest.raises(CommissionerError) as refused:
            save_agreement(store, edited)
        assert "已签订的服务协议" in refused.value.message.zh
    with pytest.raises(CommissionerError, match="不能删除"):
        delete_agreement(store, agreement.id)
    kept = store.require(ServiceAgreement, agreement.id)
    assert kept.agreed == {"visits": 100, "people_trained": 50} and kept.status == "signed"
    assert kept.notes == "中期检查前补充材料"
    # Raising a target and terminating it stay possible.
    kept.agreed = {"visits": 120, "people_trained": 50}
    kept.status = "terminated"
    assert save_agreement(store, kept).value.status == "terminated"


def test_a_signed_agreement_follows_its_served_party_merged_into_another(store: Store) -> None:
    """A second cold try: a manager merged the agreement's served party into another while the
    agreement had edits here; the agreement followed it, but the server's version kept here still
    named the one merged, and every later save (its mid-term check) was refused."""
    first = store.save(ServiceTarget(name="双水陈皮合作社", county="新会区"))
    kept = store.save(ServiceTarget(name="双水陈皮专业合作社", county="新会区"))
    agreement = signed_for_2026(store, first.id, {"visits": 10})
    store.db.execute(
        "UPDATE service_agreements SET rev = 1, base_rev = 1, dirty = 0 WHERE id = ?", [agreement.id]
    )
    agreement.notes = "补充材料"
    save_agreement(store, agreement)  # edited here: the server's version is kept aside
    store.db.execute("UPDATE service_targets SET merged_into = ? WHERE id = ?", [kept.id, first.id])
    store.db.execute("UPDATE service_agreements SET target_id = ? WHERE id = ?", [kept.id, agreement.id])
    followed = store.require(ServiceAgreement, agreement.id)
    followed.status = "midterm"
    assert save_agreement(store, followed).value.status == "midterm"
    followed.target_id = store.save(ServiceTarget(name="台山养殖场", county="台山市")).id
    with pytest.raises(CommissionerError, match="服务对象"):
        save_agreement(store, followed)  # another party still is refused
