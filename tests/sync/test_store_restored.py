"""The central store restored from a backup (the README's way back from a failed upgrade), with the
laptops that synced after the backup was made: nothing they synced since is lost, and nothing the
restored store numbers is missed by them."""

from __future__ import annotations

import uuid
from pathlib import Path

from commissioner_app.domain import Visit
from commissioner_app.ops.targets import save_target
from commissioner_app.store import Store
from tests.sync.harness import Server, server_cli
from tests.sync.test_shared_targets import Person, target, visit


def save_visit(person: Person, target_id: str, text: str) -> Visit:
    return person.store.save(visit(person.store, target_id, text))


def local_visits(store: Store) -> dict[str, Visit]:
    return {v.id: v for v in store.all(Visit, "deleted = 0", [])}


def test_laptops_that_synced_after_the_backup_send_it_again_and_miss_nothing_after_a_restore(
    own_server: Server, tmp_path: Path
) -> None:
    team = f"team-{uuid.uuid4().hex[:8]}"
    a = Person(own_server, tmp_path, "commissioner", team, "王建国")
    b = Person(own_server, tmp_path, "commissioner", team, "李芳")
    m = Person(own_server, tmp_path, "manager", team, "陈站长")
    place = save_target(a.store, target("会城柑橘专业合作社")).value
    first = save_visit(a, place.id, "柑橘园黄龙病普查，指导砍除病株")
    for person in (a, b, m):
        person.sync()
    out = tmp_path / "before-upgrade.zip"
    server_cli(own_server.database, "backup", "--out", str(out))

    # After the backup: a new visit, an edit of the first, a new target; all synced, and read by
    # the manager (whose cursor is now past the backup's last change).
    later_place = save_target(a.store, target("睦洲镇鳗鱼养殖场")).value
    later = save_visit(a, later_place.id, "鳗鱼养殖池水质检测，调整投喂方案")
    edited = a.store.save(Visit(**{**first.__dict__, "content": "柑橘园黄龙病普查，补充：复查砍除情况"}))
    assert a.sync().rejected == 0
    m.sync()
    assert set(local_visits(m.store)) == {first.id, later.id}

    own_server.stop()
    server_cli(own_server.database, "restore", str(out), "--force")
    own_server.start()
    records = own_server.records()
    assert ("visits", later.id) not in records  # what the restore took back

    # A colleague writes on the restored store before the others sync.
    other = save_visit(b, place.id, "合作社柑橘园施肥指导")
    assert b.sync().rejected == 0

    report = a.sync()
    assert any("备份" in p.zh for p in report.problems), report.problems
    records = own_server.records()
    assert records[("visits", later.id)]["fields"]["content"] == later.content
    assert records[("service_targets", later_place.id)]["fields"]["name"] == "睦洲镇鳗鱼养殖场"
    # The first visit: the store has it as the backup had it; this laptop's edit is not lost but
    # put to its owner as a conflict (the store cannot tell it from an edit made elsewhere).
    assert records[("visits", first.id)]["fields"]["content"] == first.content
    assert report.conflicts == 1
    assert a.store.require(Visit, first.id).content == edited.content
    # Sending it again is done: the next sync says nothing of a restore.
    again = a.sync()
    assert not any("备份" in p.zh for p in again.problems)
    assert again.rejected == 0

    # The manager, whose cursor was past the restored store's numbers, gets what came after.
    m.sync()
    mine = local_visits(m.store)
    assert {first.id, later.id, other.id} <= set(mine)
    assert mine[other.id].content == other.content
    for vid in (first.id, later.id, other.id):
        assert mine[vid].content == own_server.records()[("visits", vid)]["fields"]["content"]
