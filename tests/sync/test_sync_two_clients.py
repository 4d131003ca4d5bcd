"""Two laptops of one commissioner edit the same visit offline, against the real server."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.domain import Solution, TechnicalProblem, Visit
from sync.conflicts import list_conflicts, resolve
from sync.errors import OfflineError
from tests.sync.fieldwork import (
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    local_records,
)
from tests.sync.harness import Server


def setup_pair(server: Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    cid = str(uuid.uuid4())
    name = server.add_user(f"wang{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    a = commissioner_store(tmp_path / "a", cid)
    b = commissioner_store(tmp_path / "b", cid)
    ea, eb = connect(a, server.url, name), connect(b, server.url, name)
    rng = random.Random(4)
    visit = add_visit(a, rng, add_target(a, rng), "共同记录")
    ea.sync()
    eb.sync()
    assert b.get(Visit, visit.id) is not None
    return a, b, ea, eb, visit


def raised_elsewhere(a, ea, eb) -> TechnicalProblem:  # type: ignore[no-untyped-def]
    """An open problem raised on another visit of A's, on both laptops."""
    rng = random.Random(9)
    raised = TechnicalProblem(title="柑橘溃疡病", description="叶斑", status="open")
    elsewhere = add_visit(a, rng, add_target(a, rng), "另一次", children=False)
    a.save_visit(a.require(Visit, elsewhere.id), [raised])
    ea.sync()
    eb.sync()
    return raised


def solved_on_b(b, visit: Visit, raised: TechnicalProblem) -> None:  # type: ignore[no-untyped-def]
    """B gives, on the visit, the solution of the problem raised elsewhere, and marks it solved."""
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：复查并给出溃疡病防治方案"
    b.save_visit(vb, [], [Solution(problem_id=raised.id, description="喷施铜制剂")])
    b.db.execute("UPDATE problems SET status = 'solved', dirty = 1 WHERE id = ?", [raised.id])


def test_edits_of_different_fields_are_merged(shared_server: Server, tmp_path: Path) -> None:
    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    va = a.require(Visit, visit.id)
    va.content = "上午在田间讲解稻瘟病识别"
    a.save_visit(va)
    vb = b.require(Visit, visit.id)
    vb.people_trained = 35
    b.save_visit(vb)

    ea.sync()
    report = eb.sync()
    assert report.merged == 1 and report.conflicts == 0
    ea.sync()
    for store in (a, b):
        merged = store.require(Visit, visit.id)
        assert merged.content == "上午在田间讲解稻瘟病识别" and merged.people_trained == 35
        assert not list_conflicts(store)
    server_records = server.records(cid)
    assert differences(local_records(a), server_records) == []
    assert differences(local_records(b), server_records) == []


def test_edits_of_the_same_field_are_a_conflict_that_overwrites_nothing(
    shared_server: Server, tmp_path: Path
) -> None:
    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    va = a.require(Visit, visit.id)
    va.content = "甲电脑：讲解稻瘟病识别"
    va.people_trained = 12
    a.save_visit(va)
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：示范无人机飞防"
    vb.end_time = "12:00"
    b.save_visit(vb)

    ea.sync()
    report = eb.sync()
    assert report.conflicts == 1
    # Nothing overwritten: the server keeps A's text, B keeps its own, and B sees both.
    assert server.records(cid)[("visits", visit.id)]["fields"]["content"] == "甲电脑：讲解稻瘟病识别"
    local_b = b.require(Visit, visit.id)
    assert local_b.content == "乙电脑：示范无人机飞防"
    assert local_b.people_trained == 12  # the server's change of another field arrived
    assert local_b.end_time == "12:00"  # B's own change of another field is kept
    (conflict,) = list_conflicts(b)
    assert (conflict.field, conflict.local, conflict.server) == (
        "content",
        "乙电脑：示范无人机飞防",
        "甲电脑：讲解稻瘟病识别",
    )
    row = b.row("visits", visit.id)
    assert row is not None and row["sync_state"] == "conflict"

    # A, whose text the server kept, sees the conflict too at its next sync: B's text against its own.
    report = ea.sync()
    assert report.remote_conflicts == 1
    (seen_by_a,) = list_conflicts(a)
    assert seen_by_a.remote and seen_by_a.field == "content"
    assert (seen_by_a.local, seen_by_a.server) == ("甲电脑：讲解稻瘟病识别", "乙电脑：示范无人机飞防")
    assert a.row("visits", visit.id)["sync_state"] == "synced"  # type: ignore[index]  # nothing held back on A

    # B syncing again does not push over A's text while the conflict is open, and both still see it.
    eb.sync()
    ea.sync()
    assert server.records(cid)[("visits", visit.id)]["fields"]["content"] == "甲电脑：讲解稻瘟病识别"
    assert len(list_conflicts(a)) == len(list_conflicts(b)) == 1

    # B keeps its own text: it becomes an ordinary edit on the server's revision and reaches A.
    resolve(b, conflict.id, "local")
    assert b.row("visits", visit.id)["sync_state"] == "queued"  # type: ignore[index]
    report = eb.sync()
    assert report.accepted == 1
    ea.sync()
    final = a.require(Visit, visit.id)
    assert (
        final.content == "乙电脑：示范无人机飞防" and final.people_trained == 12 and final.end_time == "12:00"
    )
    # Resolved on B: closed on A too.
    assert list_conflicts(a) == [] and list_conflicts(b) == []
    [closed] = list_conflicts(a, include_resolved=True)
    assert closed.resolution == "elsewhere"
    records = server.records(cid)
    assert differences(local_records(a), records) == []
    assert differences(local_records(b), records) == []


def test_a_conflict_resolved_by_the_side_whose_version_was_kept_closes_on_the_other(
    shared_server: Server, tmp_path: Path
) -> None:
    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    va = a.require(Visit, visit.id)
    va.content = "甲：讲解稻瘟病识别"
    a.save_visit(va)
    vb = b.require(Visit, visit.id)
    vb.content = "乙：示范无人机飞防"
    vb.end_time = "12:00"
    b.save_visit(vb)
    ea.sync()
    assert eb.sync().conflicts == 1
    ea.sync()
    (on_a,) = list_conflicts(a)
    assert on_a.remote and on_a.server == "乙：示范无人机飞防"

    # A keeps its own text: nothing changes on the server, the conflict closes on both sides.
    resolve(a, on_a.id, "local")
    assert list_conflicts(a) == []
    ea.sync()
    assert server.records(cid)[("visits", visit.id)]["fields"]["content"] == "甲：讲解稻瘟病识别"
    eb.sync()
    assert list_conflicts(b) == []  # closed on B by its pull, with A's text
    local_b = b.require(Visit, visit.id)
    assert local_b.content == "甲：讲解稻瘟病识别" and local_b.end_time == "12:00"  # B's other change is kept
    eb.sync()  # B's other change goes out on the settled revision
    ea.sync()
    final = a.require(Visit, visit.id)
    assert final.content == "甲：讲解稻瘟病识别" and final.end_time == "12:00"
    records = server.records(cid)
    assert differences(local_records(a), records) == []
    assert differences(local_records(b), records) == []


def test_keeping_the_servers_value_takes_it_everywhere(shared_server: Server, tmp_path: Path) -> None:
    sqlite_server = shared_server
    a, b, ea, eb, visit = setup_pair(sqlite_server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    for store, text in ((a, "甲：第一版"), (b, "乙：第二版")):
        v = store.require(Visit, visit.id)
        v.content = text
        store.save_visit(v)
    eb.sync()
    ea.sync()
    (conflict,) = list_conflicts(a)
    resolve(a, conflict.id, "server")
    (changes,) = a.db.execute(
        "SELECT changes FROM record_history WHERE record_id = ? ORDER BY id DESC LIMIT 1", [visit.id]
    ).fetchone()
    assert json.loads(changes) == {"content": ["甲：第一版", "乙：第二版"]}  # what the choice changed, kept
    ea.sync()
    eb.sync()
    assert a.require(Visit, visit.id).content == b.require(Visit, visit.id).content == "乙：第二版"
    assert differences(local_records(a), sqlite_server.records(cid)) == []


def test_a_conflict_whose_answer_was_lost_is_seen_once_on_both_sides(
    shared_server: Server, tmp_path: Path
) -> None:
    """The connection is cut after the server recorded the conflict: the replayed batch gets the
    stored answer, and both sides see the one conflict, linked to the one notice."""
    a, b, ea, eb, visit = setup_pair(shared_server, tmp_path)
    for store, text in ((a, "甲：先发送"), (b, "乙：后发送")):
        v = store.require(Visit, visit.id)
        v.content = text
        store.save_visit(v)
    ea.sync()
    real_push = eb.client.push

    def answer_lost(request, **kwargs):  # type: ignore[no-untyped-def]
        real_push(request, **kwargs)
        raise OfflineError("connection cut before the answer arrived")

    eb.client.push = answer_lost  # type: ignore[method-assign]
    with pytest.raises(OfflineError):
        eb.sync()
    assert list_conflicts(b) == []  # nothing known here yet; the batch waits to be replayed
    eb.client.push = real_push  # type: ignore[method-assign]
    assert eb.sync().conflicts == 1
    (on_b,) = list_conflicts(b)
    ea.sync()
    (on_a,) = list_conflicts(a)
    assert on_a.remote and on_b.notice_id and on_a.notice_id == on_b.notice_id
    resolve(b, on_b.id, "server")
    eb.sync()
    ea.sync()
    assert list_conflicts(a) == [] and list_conflicts(b) == []
    assert a.require(Visit, visit.id).content == b.require(Visit, visit.id).content == "甲：先发送"


def test_a_visit_deleted_on_one_laptop_goes_with_its_problems_everywhere(
    shared_server: Server, tmp_path: Path
) -> None:
    """A visit logged by mistake and synced, deleted in the application: the central store and the
    commissioner's other laptop lose it and what was recorded on it; nothing is left dirty or refused."""
    from commissioner_app.ops.visits import delete_visit

    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    delete_visit(a, visit.id)
    report = ea.sync()
    assert report.rejected == 0 and not report.problems
    held = server.records(cid)
    on_visit = {
        key
        for key, record in held.items()
        if key == ("visits", visit.id) or record["fields"].get("visit_id") == visit.id
    }
    assert ("visits", visit.id) in on_visit and len(on_visit) >= 2  # the visit and its problem at least
    assert all(held[key]["deleted"] for key in on_visit)
    eb.sync()
    assert b.get(Visit, visit.id) is None
    assert not b.db.execute(
        "SELECT count(*) FROM problems WHERE visit_id = ? AND deleted = 0", [visit.id]
    ).fetchone()[0]
    assert [r[0] for r in a.db.execute("SELECT count(*) FROM problems WHERE dirty = 1")] == [0]
    assert [r[0] for r in a.db.execute("SELECT count(*) FROM visits WHERE dirty = 1")] == [0]


def test_a_deletion_kept_after_a_conflict_takes_what_was_recorded_on_the_visit(
    shared_server: Server, tmp_path: Path
) -> None:
    """A second cold try: deleted on one laptop, edited on the other meanwhile; the central store
    kept the visit's problem while the conflict was open (it gave it back), and when the user kept
    the deletion the visit went and its problem stayed, pointing at a deleted visit."""
    from commissioner_app.ops.visits import delete_visit
    from sync.conflicts import resolve_record

    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    delete_visit(a, visit.id)
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    eb.sync()
    report = ea.sync()
    assert report.conflicts == 1
    resolve_record(a, "visits", visit.id, "local")
    assert ea.sync().rejected == 0
    held = server.records(cid)
    parts = [
        k for k, r in held.items() if k == ("visits", visit.id) or r["fields"].get("visit_id") == visit.id
    ]
    assert len(parts) >= 2 and all(held[k]["deleted"] for k in parts), {k: held[k]["deleted"] for k in parts}


def test_the_parts_of_a_visit_whose_deletion_met_a_conflict_stay_when_they_come_in_a_later_batch(
    shared_server: Server, tmp_path: Path
) -> None:
    """The deletion of a visit edited on the other laptop meanwhile is held, and so is that of what
    was recorded on it; but only within the visit's own batch. A laptop with more to send than one
    batch (visits go first, their problems in a later one) had the problem deleted at the server
    while the visit stayed, and the other laptop saw its visit live without its problem."""
    from commissioner_app.ops.visits import delete_visit
    from sync.conflicts import resolve_record

    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    recorded = live_parts(b, visit.id)
    assert any(t == "problems" for t, _ in recorded)
    delete_visit(a, visit.id)
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    eb.sync()
    ea.batch_size = 1  # each record in a batch of its own: the visit first, its parts after it
    report = ea.sync()
    assert report.conflicts == 1
    held = server.records(cid)
    assert not held[("visits", visit.id)]["deleted"]
    assert {k for k in recorded if not held[k]["deleted"]} == recorded
    eb.sync()
    assert live_parts(b, visit.id) == recorded
    # B's own removal of a part meanwhile, on purpose, is not held for A's conflict.
    removed = next(k for k in recorded if k[0] == "solutions")
    b.delete(Solution, removed[1])
    assert eb.sync().rejected == 0
    assert server.records(cid)[removed]["deleted"]
    # Once A keeps its deletion, the visit goes with what was recorded on it, batch after batch.
    resolve_record(a, "visits", visit.id, "local")
    assert ea.sync().rejected == 0
    held = server.records(cid)
    assert held[("visits", visit.id)]["deleted"] and all(held[k]["deleted"] for k in recorded)
    eb.sync()
    assert b.get(Visit, visit.id) is None and live_parts(b, visit.id) == set()


def test_a_deletion_is_not_kept_when_the_other_laptop_gave_a_solution_on_the_visit_meanwhile(
    shared_server: Server, tmp_path: Path
) -> None:
    """A third cold try: deleted on laptop A; on B meanwhile the visit got the solution of a problem
    raised on another visit, marked solved. Keeping A's deletion took that solution and left the
    problem 已解决 with none, everywhere. It is refused as the editor refuses it; the server's
    version can be kept."""
    from commissioner_app.ops.visits import delete_visit

    server = shared_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    raised = raised_elsewhere(a, ea, eb)
    delete_visit(a, visit.id)
    solved_on_b(b, visit, raised)
    eb.sync()
    assert ea.sync().conflicts == 1
    held = deletion_refused_then_visit_kept(server, ea, visit, refused="local", match="柑橘溃疡病")
    assert not any(
        r["deleted"]
        for k, r in held.items()
        if k[0] == "solutions" and r["fields"].get("problem_id") == raised.id
    )


PARTS = (("problems", "visit_id"), ("solutions", "visit_id"), ("attachments", "owner_id"))


def live_parts(store, visit_id: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What is recorded on a visit, live, on one laptop: (table, id)."""
    return {
        (table, row[0])
        for table, column in PARTS
        for row in store.db.execute(
            f"SELECT id FROM {table} WHERE {column} = ? AND deleted = 0 AND is_draft = 0", [visit_id]
        )
    }


def edited_on_b_into_the_conflict(b, eb, visit: Visit) -> None:  # type: ignore[no-untyped-def]
    """B, offline meanwhile, edits the visit's text and syncs: one conflict, with A's deletion."""
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    assert eb.sync().conflicts == 1


def kept_live_on_b(server: Server, eb, ea, visit: Visit) -> dict[Any, Any]:  # type: ignore[no-untyped-def]
    """B, offline meanwhile, edits the visit into the conflict with A's deletion, keeps its version
    and syncs, then A syncs: what the server holds then."""
    from sync.conflicts import resolve_record

    edited_on_b_into_the_conflict(eb.store, eb, visit)
    resolve_record(eb.store, "visits", visit.id, "local")
    eb.sync()
    ea.sync()
    return server.records(eb.store.get_meta("self_commissioner_id"))


def deletion_refused_then_visit_kept(  # type: ignore[no-untyped-def]
    server: Server, engine, visit: Visit, refused: str, match: str
) -> dict[Any, Any]:
    """Keeping the visit's deletion (the `refused` side) is refused with `match` in the reason; the
    live visit is kept and synced: what the server holds then, the visit live."""
    from commissioner_app.errors import CommissionerError
    from sync.conflicts import resolve_record

    kept = "server" if refused == "local" else "local"
    with pytest.raises(CommissionerError, match=match):
        resolve_record(engine.store, "visits", visit.id, refused)  # type: ignore[arg-type]
    assert resolve_record(engine.store, "visits", visit.id, kept) >= 1  # type: ignore[arg-type]
    engine.sync()
    held = server.records(engine.store.get_meta("self_commissioner_id"))
    assert not held[("visits", visit.id)]["deleted"]
    return held


def back_everywhere(server: Server, cid: str, visit: Visit, recorded: set[Any], *laptops: Any) -> None:
    """The visit, and what was recorded on it, live at the server and on each laptop."""
    held = server.records(cid)
    assert not held[("visits", visit.id)]["deleted"]
    assert {k for k in recorded if not held[k]["deleted"]} == recorded
    for store in laptops:
        assert live_parts(store, visit.id) == recorded


def deleted_on_a_edited_on_b(server: Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A visit with a problem, a solution and a photo on both laptops; A deletes it and syncs, B
    edits it offline and syncs into the conflict."""
    from commissioner_app.ops.visits import delete_visit
    from tests.sync.fieldwork import add_photo

    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    add_photo(a, tmp_path, visit.id, random.Random(5), 2000)
    ea.sync()
    eb.sync()
    recorded = live_parts(b, visit.id)
    assert {t for t, _ in recorded} >= {"problems", "attachments"}
    delete_visit(a, visit.id)
    ea.sync()
    edited_on_b_into_the_conflict(b, eb, visit)
    return a, b, ea, eb, visit, recorded


def test_a_visit_kept_after_the_other_laptop_deleted_it_comes_back_with_what_was_recorded_on_it(
    shared_server: Server, tmp_path: Path
) -> None:
    """A cold try the other way round: laptop A deleted the visit and synced; laptop B, offline,
    edited it, synced (a conflict) and kept its version. B's pull had taken the problem, the solution
    and the photo deleted with the visit, and the visit came back without them, on B and
    everywhere. B never fetched the photo's file: the server still holds it, and the record goes."""
    from sync.conflicts import resolve_record

    server = shared_server
    a, b, ea, eb, visit, recorded = deleted_on_a_edited_on_b(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    resolve_record(b, "visits", visit.id, "local")
    report = eb.sync()
    assert report.rejected == 0 and not report.problems, report.problems
    eb.sync()
    ea.sync()
    back_everywhere(server, cid, visit, recorded, a, b)
    for store in (a, b):
        assert store.require(Visit, visit.id).content == "乙电脑：补充木虱监测结果"


def test_the_laptop_that_deleted_a_visit_and_keeps_the_other_version_brings_back_its_parts(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A second cold try: the same conflict resolved on laptop A, which had deleted the visit, for B's
    version (the visit live): it came back alone, A's deletion having taken the rest."""
    from sync.conflicts import resolve_record

    server = sqlite_server
    a, b, ea, eb, visit, recorded = deleted_on_a_edited_on_b(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    ea.sync()  # A hears of B's conflicting edit
    assert resolve_record(a, "visits", visit.id, "server") >= 1
    ea.sync()
    eb.sync()
    ea.sync()
    back_everywhere(server, cid, visit, recorded, a, b)


def test_a_part_removed_on_purpose_stays_removed_when_the_visit_comes_back(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A second cold try: A removed a wrong photo on purpose and synced, then deleted the visit and
    synced; B, offline throughout, kept its version. The photo came back with the rest. And an old
    deletion conflict of the visit brought a photo removed later back at every later resolution."""
    from commissioner_app.ops.visits import delete_visit, write_attachments
    from sync.conflicts import resolve_record
    from tests.sync.fieldwork import add_photo

    server = sqlite_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    rng = random.Random(5)
    add_photo(a, tmp_path, visit.id, rng, 2000)
    add_photo(a, tmp_path, visit.id, rng, 3000)
    ea.sync()
    eb.sync()
    wrong, kept = sorted(i for t, i in live_parts(a, visit.id) if t == "attachments")
    write_attachments(a, "visits", visit.id, [], [wrong], draft=False)
    ea.sync()
    delete_visit(a, visit.id)
    ea.sync()
    held = kept_live_on_b(server, eb, ea, visit)
    assert held[("attachments", wrong)]["deleted"] and not held[("attachments", kept)]["deleted"]
    for store in (a, b):
        assert ("attachments", wrong) not in live_parts(store, visit.id)

    # Later the other photo is removed on purpose, and an ordinary conflict on the text is resolved
    # for the server's text: the visit's old deletion conflict brings nothing back.
    write_attachments(a, "visits", visit.id, [], [kept], draft=False)
    ea.sync()
    eb.sync()
    va, vb = a.require(Visit, visit.id), b.require(Visit, visit.id)
    va.content, vb.content = "甲电脑：改为讲解稻瘟病识别", "乙电脑：改为示范无人机飞防"
    a.save_visit(va)
    b.save_visit(vb)
    ea.sync()
    assert eb.sync().conflicts == 1
    resolve_record(b, "visits", visit.id, "server")
    eb.sync()
    ea.sync()
    assert server.records(cid)[("attachments", kept)]["deleted"]
    assert not any(t == "attachments" for t, _ in live_parts(b, visit.id))


def test_a_part_the_other_laptop_removed_on_purpose_stays_removed_when_the_deleter_keeps_the_visit(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A deleted the visit and synced; B, offline, edited it and removed its solution on purpose,
    then synced (a conflict on the visit; the solution was already deleted at the server, and the
    server wrote nothing for B's removal). A kept B's version: what A's deletion took came back,
    B's removed solution with it, everywhere."""
    from commissioner_app.ops.visits import delete_visit
    from sync.conflicts import resolve_record

    server = sqlite_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    recorded = live_parts(b, visit.id)
    removed = next(k for k in recorded if k[0] == "solutions")
    delete_visit(a, visit.id)
    ea.sync()
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    b.delete(Solution, removed[1])
    assert eb.sync().conflicts == 1
    ea.sync()  # A hears of B's conflicting edit
    assert resolve_record(a, "visits", visit.id, "server") >= 1
    ea.sync()
    eb.sync()
    ea.sync()
    back_everywhere(server, cid, visit, recorded - {removed}, a, b)


def test_a_solution_does_not_come_back_for_a_problem_deleted_since(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A second cold try: the solution given on the visit was to a problem raised on another visit,
    which A deleted after deleting this one. Keeping this visit on B brought the solution back for
    a problem that was gone."""
    from commissioner_app.domain import Solution, TechnicalProblem
    from commissioner_app.ops.visits import delete_visit

    server = sqlite_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    rng = random.Random(9)
    raised = TechnicalProblem(title="柑橘溃疡病", description="叶斑", status="open")
    elsewhere = add_visit(a, rng, add_target(a, rng), "另一次", children=False)
    a.save_visit(a.require(Visit, elsewhere.id), [raised])
    given = Solution(problem_id=raised.id, description="喷施铜制剂")
    a.save_visit(a.require(Visit, visit.id), [], [given])
    ea.sync()
    eb.sync()
    delete_visit(a, visit.id)
    delete_visit(a, elsewhere.id)
    ea.sync()
    held = kept_live_on_b(server, eb, ea, visit)
    assert held[("problems", raised.id)]["deleted"] and held[("solutions", given.id)]["deleted"]
    assert ("solutions", given.id) not in live_parts(b, visit.id)


def test_a_file_brought_back_that_the_server_no_longer_holds_is_held_back_with_a_message(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A second cold try: the server's nightly maintenance had deleted the photo's file (no live
    record named it after A's deletion); B, which never fetched it, sent the record back silently,
    and nobody could open the photo."""
    from sqlalchemy import text

    from sync.conflicts import resolve_record
    from sync.server.maintenance import prune

    server = sqlite_server
    a, b, ea, eb, visit, recorded = deleted_on_a_edited_on_b(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    (photo,) = [i for t, i in recorded if t == "attachments"]
    with server.engine.begin() as conn:  # uploaded long before the deletion
        conn.execute(text("UPDATE uploads SET updated_at = '2026-01-01T00:00:00+00:00'"))
    prune(server.engine)
    assert not server.uploads()
    resolve_record(b, "visits", visit.id, "local")
    report = eb.sync()
    assert any("photo-" in p.zh and "缺失" in p.zh for p in report.problems), report.problems
    assert server.records(cid)[("attachments", photo)]["deleted"]
    assert b.row("attachments", photo)["dirty"] == 1  # waiting, not lost
    assert {k for k in recorded if k[0] != "attachments"} <= live_parts(b, visit.id)


@pytest.mark.parametrize("visit_first", [True, False])
def test_a_problem_whose_deletion_is_kept_takes_its_solutions_whatever_the_order(
    sqlite_server: Server, tmp_path: Path, visit_first: bool
) -> None:
    """A third cold try: B edited the visit and its problem offline, A deleted the visit; B kept the
    visit but the problem's deletion. Resolved visit first, the solution came back with the visit and
    stayed live on the deleted problem, everywhere."""
    from commissioner_app.domain import Solution, TechnicalProblem
    from commissioner_app.ops.visits import delete_visit
    from sync.conflicts import resolve_record

    server = sqlite_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    cid = a.get_meta("self_commissioner_id")
    problem = TechnicalProblem(title="稻飞虱", description="虫口密度高")
    given = Solution(problem_id=problem.id, description="喷施吡蚜酮")
    a.save_visit(a.require(Visit, visit.id), [problem], [given])
    ea.sync()
    eb.sync()
    delete_visit(a, visit.id)
    ea.sync()
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    b.db.execute("UPDATE problems SET description = '乙：改写', dirty = 1 WHERE id = ?", [problem.id])
    eb.sync()
    order = [("visits", visit.id, "local"), ("problems", problem.id, "server")]
    for table, record_id, keep in order if visit_first else order[::-1]:
        resolve_record(b, table, record_id, keep)  # type: ignore[arg-type]
    eb.sync()
    ea.sync()
    held = server.records(cid)
    assert not held[("visits", visit.id)]["deleted"]
    assert held[("problems", problem.id)]["deleted"] and held[("solutions", given.id)]["deleted"]


def test_keeping_a_version_another_laptop_failed_to_delete_brings_back_nothing(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A third cold try, three laptops: B edited the visit and synced; C removed a wrong photo and
    synced; A, offline since before B's edit, deleted the visit, and its push met B's version (the
    server kept the visit). B, told of it, kept its version, and C's removed photo came back."""
    from commissioner_app.ops.visits import delete_visit, write_attachments
    from sync.conflicts import resolve_record
    from tests.sync.fieldwork import add_photo

    server = sqlite_server
    cid = str(uuid.uuid4())
    name = server.add_user(f"wang{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    a, b, c = (commissioner_store(tmp_path / n, cid) for n in "abc")
    ea, eb, ec = (connect(s, server.url, name) for s in (a, b, c))
    rng = random.Random(4)
    visit = add_visit(a, rng, add_target(a, rng), "共同记录")
    add_photo(a, tmp_path, visit.id, rng, 2000)
    for engine in (ea, eb, ec):
        engine.sync()
    (wrong,) = [i for t, i in live_parts(c, visit.id) if t == "attachments"]
    vb = b.require(Visit, visit.id)
    vb.content = "乙电脑：补充木虱监测结果"
    b.save_visit(vb)
    eb.sync()
    ec.sync()
    write_attachments(c, "visits", visit.id, [], [wrong], draft=False)
    ec.sync()
    delete_visit(a, visit.id)
    assert ea.sync().conflicts == 1
    eb.sync()
    resolve_record(b, "visits", visit.id, "local")
    for engine in (eb, ea, ec, eb):
        engine.sync()
    held = server.records(cid)
    assert not held[("visits", visit.id)]["deleted"] and held[("attachments", wrong)]["deleted"]


def test_the_laptop_that_gave_a_solution_on_a_visit_cannot_accept_its_deletion(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A third cold try, the mirror of the test above it: B gave, on the visit, the solution of a
    problem raised elsewhere and marked it solved; A deleted the visit. B, keeping the server's
    version (the deletion), took the solution and left the problem 已解决 with none."""
    from commissioner_app.ops.visits import delete_visit

    server = sqlite_server
    a, b, ea, eb, visit = setup_pair(server, tmp_path)
    raised = raised_elsewhere(a, ea, eb)
    delete_visit(a, visit.id)
    ea.sync()
    solved_on_b(b, visit, raised)
    assert eb.sync().conflicts == 1
    deletion_refused_then_visit_kept(server, eb, visit, refused="server", match="本机的版本")
