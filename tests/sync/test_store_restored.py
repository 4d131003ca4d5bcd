"""The central store restored from a backup (the README's way back from a failed upgrade), with the
laptops that synced after the backup was made: nothing they synced since is lost, and nothing the
restored store numbers is missed by them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.domain import Commissioner, Visit
from commissioner_app.ops.targets import save_target
from commissioner_app.review import decide
from commissioner_app.store import Store
from sync import report as sync_report
from tests.sync.fieldwork import connect
from tests.sync.harness import Server, server_cli
from tests.sync.test_shared_targets import Person, target, visit


def save_visit(person: Person, target_id: str, text: str) -> Visit:
    return person.store.save(visit(person.store, target_id, text))


def local_visits(store: Store) -> dict[str, Visit]:
    return {v.id: v for v in store.all(Visit, "deleted = 0", [])}


def restored(report: Any) -> list[str]:
    return [p.zh for p in report.problems if "中心库已从备份恢复" in p.zh]


def restore(server: Server, backup: Path) -> None:
    server.stop()
    server_cli(server.database, "restore", str(backup), "--force")
    server.start()


@pytest.fixture
def team(own_server: Server, tmp_path: Path) -> Iterator[tuple[Person, Person, Person]]:
    """Two commissioners of a team and their manager, each on a laptop of their own."""
    name = f"team-{uuid.uuid4().hex[:8]}"
    yield (
        Person(own_server, tmp_path, "commissioner", name, "王建国"),
        Person(own_server, tmp_path, "commissioner", name, "李芳"),
        Person(own_server, tmp_path, "manager", name, "陈站长"),
    )


def test_laptops_that_synced_after_the_backup_send_it_again_and_miss_nothing_after_a_restore(
    own_server: Server, tmp_path: Path, team: tuple[Person, Person, Person]
) -> None:
    a, b, m = team
    place = save_target(a.store, target("会城柑橘专业合作社")).value
    first = save_visit(a, place.id, "柑橘园黄龙病普查，指导砍除病株")
    for person in (a, b, m):
        person.sync()
    out = tmp_path / "before-upgrade.zip"
    server_cli(own_server.database, "backup", "--out", str(out))

    # After the backup: a new target and visit, an edit of the first visit; the new visit approved
    # by the manager (so its author's laptop has its last version by pull); a colleague's visit.
    later_place = save_target(a.store, target("睦洲镇鳗鱼养殖场")).value
    later = save_visit(a, later_place.id, "鳗鱼养殖池水质检测，调整投喂方案")
    edited = a.store.save(Visit(**{**first.__dict__, "content": "柑橘园黄龙病普查，补充：复查砍除情况"}))
    assert a.sync().rejected == 0
    m.sync()
    reviewer = m.store.profile()
    assert isinstance(reviewer, Commissioner)
    decide(m.store, [later.id], "approved", reviewer, "记录完整")
    m.sync()
    a.sync()
    assert a.store.require(Visit, later.id).review_status == "approved"
    colleague = save_visit(b, place.id, "合作社柑橘园施肥指导")
    assert b.sync().rejected == 0
    m.sync()
    assert set(local_visits(m.store)) == {first.id, later.id, colleague.id}

    restore(own_server, out)
    records = own_server.records()
    assert ("visits", later.id) not in records and ("visits", colleague.id) not in records

    # A visit written on the restored store before anyone else syncs; then the manager first (the
    # approval he sends again is of a visit the store does not have yet: withdrawn, and said).
    other = save_visit(b, place.id, "合作社柑橘园病虫害防治培训")
    report = b.sync()
    assert report.rejected == 0 and restored(report)
    assert restored(m.sync())
    report = a.sync()
    assert restored(report)
    records = own_server.records()
    for vid, content in (
        (later.id, later.content),
        (colleague.id, colleague.content),
        (other.id, other.content),
    ):
        assert records[("visits", vid)]["fields"]["content"] == content
    assert records[("service_targets", later_place.id)]["fields"]["name"] == "睦洲镇鳗鱼养殖场"
    # Sent again, the visit is the author's, waiting for review again (the approval was of a version
    # the store no longer has).
    assert records[("visits", later.id)]["fields"]["review_status"] == "pending"
    # The first visit: the store has it as the backup had it; its author's edit is not lost but put
    # to them as a conflict (the store cannot tell it from an edit made elsewhere).
    assert records[("visits", first.id)]["fields"]["content"] == first.content
    assert report.conflicts == 1
    assert a.store.require(Visit, first.id).content == edited.content
    # Done: the next syncs say nothing of a restore, and every laptop holds what the store holds.
    for person in (a, b, m):
        again = person.sync()
        assert not restored(again) and again.rejected == 0
    records = own_server.records()
    for person in (a, b, m):
        for vid, mine in local_visits(person.store).items():
            if vid != first.id:
                assert mine.content == records[("visits", vid)]["fields"]["content"], person.username
                assert mine.review_status == records[("visits", vid)]["fields"]["review_status"]
    assert {first.id, later.id, colleague.id, other.id} <= set(local_visits(m.store))


def test_a_laptop_that_logs_in_at_another_address_still_finds_the_store_restored(
    own_server: Server, tmp_path: Path, team: tuple[Person, Person, Person]
) -> None:
    a, _b, _m = team
    place = save_target(a.store, target("会城柑橘专业合作社")).value
    a.sync()
    out = tmp_path / "central.zip"
    server_cli(own_server.database, "backup", "--out", str(out))
    later = save_visit(a, place.id, "柑橘园黄龙病普查，指导砍除病株")
    a.sync()
    restore(own_server, out)
    # The store moved (here: the same machine by another name).
    moved = connect(a.store, own_server.url.replace("127.0.0.1", "localhost"), a.username)
    assert restored(moved.sync())
    assert own_server.records()[("visits", later.id)]["fields"]["content"] == later.content


def test_restoring_the_newest_backup_sends_nothing_again_and_says_so(
    own_server: Server, tmp_path: Path, team: tuple[Person, Person, Person]
) -> None:
    a, _b, m = team
    place = save_target(a.store, target("会城柑橘专业合作社")).value
    save_visit(a, place.id, "柑橘园黄龙病普查，指导砍除病株")
    a.sync()
    m.sync()
    out = tmp_path / "central.zip"
    server_cli(own_server.database, "backup", "--out", str(out))
    restore(own_server, out)
    for person in (a, m):
        report = person.sync()
        assert report.conflicts == 0 and report.rejected == 0 and report.accepted == 0
        [said] = restored(report)
        assert "无需重新发送" in said


def test_a_sync_cut_short_after_finding_the_store_restored_says_so_at_the_next(
    own_server: Server, tmp_path: Path, team: tuple[Person, Person, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b, _m = team
    a.sync()
    out = tmp_path / "central.zip"
    server_cli(own_server.database, "backup", "--out", str(out))
    later = save_target(a.store, target("睦洲镇鳗鱼养殖场")).value
    a.sync()
    restore(own_server, out)

    def cut(name: str) -> None:
        if name == "pull_applying":
            raise KeyboardInterrupt  # as the power going: nothing after this point happens

    monkeypatch.setattr(sync_report, "checkpoint_hook", cut)
    with pytest.raises(KeyboardInterrupt):
        a.sync()
    monkeypatch.setattr(sync_report, "checkpoint_hook", None)
    report = a.sync()
    assert restored(report) and report.rejected == 0
    assert own_server.records()[("service_targets", later.id)]["fields"]["name"] == "睦洲镇鳗鱼养殖场"
    assert a.store.db.execute("SELECT dirty FROM service_targets WHERE id = ?", [later.id]).fetchone()[0] == 0
