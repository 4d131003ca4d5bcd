"""A push is worked out before it takes the write lock (the counter's row on PostgreSQL, BEGIN
IMMEDIATE on SQLite), and written under it only if nothing it read changed meanwhile
(sync/server/push.py). A push that lands in that gap must not be
overwritten: the batch is worked out again under the lock, and the record's history stays whole."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from sync.server import push
from sync.server.tables import counters, records, revisions
from tests.sync.server_support import (
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

BOTH = pytest.mark.parametrize(
    "engine_factory", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def _in_the_gap(monkeypatch: pytest.MonkeyPatch, action: Any) -> list[int]:
    """Run `action` once, after the next batch's first change is worked out and before the batch
    takes the lock; returns how often it ran."""
    ran: list[int] = []
    apply = push.Batch.apply

    def apply_then_wait(self: push.Batch, change: dict[str, Any]) -> dict[str, Any]:
        result = apply(self, change)
        if not ran:
            ran.append(1)
            # Another server process's push, on a connection of its own, while this batch waits.
            worker = threading.Thread(target=action)
            worker.start()
            worker.join(10)
        return result

    monkeypatch.setattr(push.Batch, "apply", apply_then_wait)
    return ran


@BOTH
@pytest.mark.parametrize("others", [0, 6], ids=["alone", "among-others"])
def test_an_edit_landing_while_a_batch_is_prepared_is_not_overwritten(
    server: Server, monkeypatch: pytest.MonkeyPatch, others: int
) -> None:
    """Whether the records written in the gap are fewer than those the batch read (they are looked
    at) or more (each record read is looked up again), the edit among them is seen."""
    cid = server.add_user("wang", "commissioner")
    vid = new_id()
    server.push_ok("wang", [change("visits", vid, visit_fields(cid))])
    # Two laptops edit the same visit from rev 1: one changes the content, the other the people trained.
    other: list[Any] = []
    theirs_first = [change("visits", new_id(), visit_fields(cid)) for _ in range(others)]
    ran = _in_the_gap(
        monkeypatch,
        lambda: other.append(
            server.push_ok(
                "wang",
                [
                    *theirs_first,
                    change("visits", vid, visit_fields(cid, content="乙电脑：讲解施肥"), base_rev=1),
                ],
            )[-1:]
        ),
    )
    [mine] = server.push_ok("wang", [change("visits", vid, visit_fields(cid, people_trained=33), base_rev=1)])
    assert ran
    monkeypatch.undo()
    [[theirs]] = other
    assert theirs["status"] == "accepted" and theirs["rev"] == 2
    # Mine was merged on top of theirs (rev 3), not written over it as a second rev 2.
    assert mine["status"] == "merged" and mine["rev"] == 3
    assert mine["server_seq"] > theirs["server_seq"]
    with server.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.id == vid)).one()
        history = conn.execute(
            select(revisions.c.rev, revisions.c.server_seq).where(revisions.c.record_id == vid)
        ).all()
        top = conn.execute(select(counters.c.value).where(counters.c.name == "server_seq")).scalar_one()
    assert row.rev == 3 and '"乙电脑：讲解施肥"' in row.fields and '"people_trained":33' in row.fields
    assert sorted(r.rev for r in history) == [1, 2, 3]
    assert top == row.server_seq == mine["server_seq"]


@BOTH
def test_new_records_prepared_beside_another_push_get_their_own_numbers(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing read changed (new records of two people): the prepared batch is written as it was,
    numbered after the push that took the lock first."""
    a = server.add_user("li", "commissioner")
    b = server.add_user("zhao", "commissioner")
    first, second = new_id(), new_id()
    other: list[Any] = []
    _in_the_gap(
        monkeypatch, lambda: other.append(server.push_ok("zhao", [change("visits", second, visit_fields(b))]))
    )
    [mine] = server.push_ok("li", [change("visits", first, visit_fields(a))])
    monkeypatch.undo()
    [[theirs]] = other
    assert mine["status"] == theirs["status"] == "accepted"
    assert mine["server_seq"] != theirs["server_seq"]
    with server.engine.connect() as conn:
        seqs = dict(conn.execute(select(records.c.id, records.c.server_seq)).all())
        top = conn.execute(select(counters.c.value).where(counters.c.name == "server_seq")).scalar_one()
    assert seqs[first] == mine["server_seq"] and seqs[second] == theirs["server_seq"]
    assert top == max(seqs.values())


@BOTH
def test_the_same_batch_sent_twice_at_once_is_applied_once(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retry that reaches another server process while the first try is still being worked out:
    both are worked out, the second to take the lock finds the first's answer and returns it."""
    cid = server.add_user("sun", "commissioner")
    vid, batch_id = new_id(), new_id()
    changes = [change("visits", vid, visit_fields(cid))]
    other: list[Any] = []
    ran = _in_the_gap(monkeypatch, lambda: other.append(server.push_ok("sun", changes, batch_id)))
    mine = server.push_ok("sun", changes, batch_id)
    monkeypatch.undo()
    assert ran
    [theirs] = other
    assert mine == theirs and mine[0]["status"] == "accepted" and mine[0]["rev"] == 1
    with server.engine.connect() as conn:
        history = conn.execute(select(revisions.c.rev).where(revisions.c.record_id == vid)).all()
    assert [r.rev for r in history] == [1], "one version: the batch was applied once"


# Rules that look records up by a search, not by id: what the search finds can change in the gap too.


@BOTH
def test_a_target_with_the_same_credit_code_landing_in_the_gap_is_still_merged(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commissioner_app.credit_code import make_credit_code
    from tests.sync.test_server_shared_targets import target_fields

    server.add_user("a", "commissioner")
    server.add_user("b", "commissioner")
    code = make_credit_code("91440705", "MA4UQ7K2")
    first, second = new_id(), new_id()
    other: list[Any] = []
    _in_the_gap(
        monkeypatch,
        lambda: other.append(
            server.push_ok(
                "a", [change("service_targets", first, target_fields(type="enterprise", credit_code=code))]
            )
        ),
    )
    [mine] = server.push_ok(
        "b", [change("service_targets", second, target_fields(type="enterprise", credit_code=code))]
    )
    monkeypatch.undo()
    [[theirs]] = other
    assert theirs["status"] == "accepted" and mine["status"] == "accepted"
    # The one that came second is the merged duplicate of the first: one live company, not two.
    assert mine.get("fields", {}).get("merged_into") == first


@BOTH
def test_a_batch_whose_searches_find_the_same_under_the_lock_is_written_as_worked_out(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another push landing in the gap that changes nothing a batch's search found (here a visit,
    while the batch looked a company's credit code up) does not make the batch be worked out again:
    on a busy server that would hold the write lock for a whole batch's checks."""
    from commissioner_app.credit_code import make_credit_code
    from tests.sync.test_server_shared_targets import target_fields

    a = server.add_user("a", "commissioner")
    server.add_user("b", "commissioner")
    known = make_credit_code("91440705", "MA4UQ7K3")
    server.push_ok(
        "b", [change("service_targets", new_id(), target_fields(type="enterprise", credit_code=known))]
    )
    worked_out: list[str] = []
    work_out = push._work_out

    def counted(conn: Any, user: Any, seq: int, request: dict[str, Any]) -> Any:
        worked_out.append(user.username)
        return work_out(conn, user, seq, request)

    monkeypatch.setattr(push, "_work_out", counted)
    _in_the_gap(monkeypatch, lambda: server.push_ok("a", [change("visits", new_id(), visit_fields(a))]))
    target = new_id()
    code = make_credit_code("91440705", "MA4UQ7K2")
    [mine] = server.push_ok(
        "b", [change("service_targets", target, target_fields(type="enterprise", credit_code=code))]
    )
    monkeypatch.undo()
    assert mine["status"] == "accepted" and not mine.get("fields", {}).get("merged_into")
    assert worked_out.count("b") == 1, "the batch was worked out once, not again under the lock"
    with server.engine.connect() as conn:
        assert conn.execute(select(records.c.deleted).where(records.c.id == target)).scalar_one() is False


@BOTH
def test_a_second_application_landing_in_the_gap_is_still_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.sync.test_server_projects import application_fields, published

    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("boss", "bureau")
    pid = published(server)
    other: list[Any] = []
    _in_the_gap(
        monkeypatch,
        lambda: other.append(
            server.push_ok(
                "zhangsan", [change("project_applications", new_id(), application_fields(pid, zhang))]
            )
        ),
    )
    [mine] = server.push_ok(
        "zhangsan", [change("project_applications", new_id(), application_fields(pid, zhang))]
    )
    monkeypatch.undo()
    [[theirs]] = other
    assert sorted([theirs["status"], mine["status"]]) == ["accepted", "rejected"], (
        "one application per project"
    )


@BOTH
def test_a_county_changed_in_the_gap_is_the_county_the_records_get(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account's county (its county bureau's view) may change with no record written: a batch
    worked out before the change is worked out again under the lock."""
    from sqlalchemy import update

    from sync.server.tables import users

    cid = server.add_user("qian", "commissioner")
    vid = new_id()

    def move() -> None:
        with server.engine.begin() as conn:
            conn.execute(update(users).where(users.c.commissioner_id == cid).values(county="台山市"))

    ran = _in_the_gap(monkeypatch, move)
    [mine] = server.push_ok("qian", [change("visits", vid, visit_fields(cid))])
    monkeypatch.undo()
    assert ran and mine["status"] == "accepted"
    with server.engine.connect() as conn:
        county = conn.execute(select(records.c.county).where(records.c.id == vid)).scalar_one()
    assert county == "台山市"


def test_a_push_waits_for_its_process_turn_no_longer_than_sqlite_would(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process's own queue before SQLite's write lock is a shortcut, not a second lock that can
    hold a push for ever: past the wait, the push goes on to SQLite's lock and is applied."""
    cid = server.add_user("zhou", "commissioner")
    monkeypatch.setattr(push, "WRITER_WAIT_SECONDS", 0.2)
    stuck = push._WRITER_LOCKS.setdefault(server.engine, threading.Lock())
    stuck.acquire()  # a writer of this process that never lets go
    done: list[Any] = []
    worker = threading.Thread(
        target=lambda: done.append(server.push_ok("zhou", [change("visits", new_id(), visit_fields(cid))]))
    )
    try:
        worker.start()
        worker.join(10)
        in_time = bool(done)
    finally:
        stuck.release()
        worker.join(10)
    assert in_time, "the push waited on the process's own lock past SQLite's timeout"
    assert done[0][0]["status"] == "accepted"
