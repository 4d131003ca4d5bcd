"""Two laptops of one commissioner edit the same visit offline, against the real server."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

from commissioner_app.domain import Visit
from sync.conflicts import list_conflicts, resolve
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


def test_edits_of_the_same_field_are_a_conflict_that_overwrites_nothing(shared_server: Server, tmp_path: Path) -> None:
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
    assert (conflict.field, conflict.local, conflict.server) == ("content", "乙电脑：示范无人机飞防", "甲电脑：讲解稻瘟病识别")
    row = b.row("visits", visit.id)
    assert row is not None and row["sync_state"] == "conflict"

    # B syncing again does not push over A's text while the conflict is open.
    eb.sync()
    assert server.records(cid)[("visits", visit.id)]["fields"]["content"] == "甲电脑：讲解稻瘟病识别"

    # B keeps its own text: it becomes an ordinary edit on the server's revision and reaches A.
    resolve(b, conflict.id, "local")
    assert b.row("visits", visit.id)["sync_state"] == "queued"  # type: ignore[index]
    report = eb.sync()
    assert report.accepted == 1
    ea.sync()
    final = a.require(Visit, visit.id)
    assert final.content == "乙电脑：示范无人机飞防" and final.people_trained == 12 and final.end_time == "12:00"
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
        "SELECT changes FROM record_history WHERE record_id = ? ORDER BY id DESC LIMIT 1", [visit.id]).fetchone()
    assert json.loads(changes) == {"content": ["甲：第一版", "乙：第二版"]}  # what the choice changed, kept
    ea.sync()
    eb.sync()
    assert a.require(Visit, visit.id).content == b.require(Visit, visit.id).content == "乙：第二版"
    assert differences(local_records(a), sqlite_server.records(cid)) == []
