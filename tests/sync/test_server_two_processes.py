"""Two central-store processes against one PostgreSQL database, as a province runs them (several
`serve` processes, or machines, behind one address): clients alternate between the two at every
sync, several at once, and afterwards every laptop and the database agree record by record, with
nothing lost and nothing duplicated."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from commissioner_app.domain import Visit
from commissioner_app.store import Store
from sync import protocol
from sync.engine import SyncEngine
from tests.sync.fieldwork import (
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    local_records,
)
from tests.sync.harness import PASSWORD, Server, fresh_postgres_database

pytestmark = pytest.mark.postgres

ROUNDS = 6


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    with fresh_postgres_database() as url:
        a, b = Server(url, tmp_path), Server(url, tmp_path)
        # Started at the same moment on an empty database: both bring the schema up to date at once.
        failures: list[BaseException] = []

        def start(server: Server) -> None:
            try:
                server.start()
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)

        threads = [threading.Thread(target=start, args=(s,)) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        try:
            assert not failures, failures
            yield a, b
        finally:
            a.stop()
            b.stop()


def _work(
    store: Store, engine: SyncEngine, urls: list[str], first: int, seed: int, errors: list[str]
) -> None:
    """A laptop's days: new visits, edits and a deletion, syncing with the other process each time."""
    rng = random.Random(seed)
    try:
        target = add_target(store, rng)
        mine: list[str] = []
        for day in range(ROUNDS):
            for i in range(3):
                mine.append(add_visit(store, rng, target, f"{seed}-{day}-{i}").id)
            if len(mine) > 4:
                visit = store.require(Visit, mine[rng.randrange(len(mine) - 3)])
                visit.people_trained = rng.randint(0, 40)
                store.save_visit(visit)
            if day == ROUNDS - 2:
                store.delete(Visit, mine.pop(0))
            engine.client.server_url = urls[(first + day) % 2]
            report = engine.sync()
            if report.rejected or report.conflicts:
                errors.append(f"laptop {seed}, day {day}: {report.summary().en}")
    except Exception as exc:  # every failure is reported by the test
        errors.append(f"laptop {seed}: {type(exc).__name__}: {exc}")


def test_clients_alternating_between_two_processes_lose_and_duplicate_nothing(
    two_servers: tuple[Server, Server], tmp_path: Path
) -> None:
    a, b = two_servers
    urls = [a.url, b.url]
    laptops: list[tuple[str, Store, SyncEngine]] = []
    names = []
    for n in range(4):
        cid = str(uuid.uuid4())
        names.append(a.add_user(f"two{n}{uuid.uuid4().hex[:6]}", commissioner_id=cid))
        store = commissioner_store(tmp_path / f"laptop{n}", cid)
        laptops.append((cid, store, connect(store, urls[n % 2], names[-1])))
    # One commissioner with two laptops, each starting on a different process.
    cid = str(uuid.uuid4())
    name = a.add_user(f"twin{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    for n in range(2):
        store = commissioner_store(tmp_path / f"twin{n}", cid)
        laptops.append((cid, store, connect(store, urls[n], name)))

    errors: list[str] = []
    threads = [
        threading.Thread(target=_work, args=(store, engine, urls, i % 2, i, errors))
        for i, (_cid, store, engine) in enumerate(laptops)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    # Two more rounds each, now one after the other (the twins see each other's work), again alternating.
    for round_ in range(2):
        for i, (_cid, _store, engine) in enumerate(laptops):
            engine.client.server_url = urls[(i + round_) % 2]
            engine.sync()

    for owner, store, _engine in laptops:
        held = a.records(owner)
        assert sum(1 for t, _ in held if t == "visits") >= ROUNDS * 3
        assert differences(local_records(store), held) == []
    twins = [store for owner, store, _ in laptops if owner == cid]
    assert local_records(twins[0]).keys() == local_records(twins[1]).keys()

    with a.engine.connect() as conn:
        # No record twice, no change number twice, and exactly one revision per accepted version.
        assert conn.execute(text("SELECT count(*) - count(DISTINCT server_seq) FROM records")).scalar() == 0
        assert (
            conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT 1 FROM revisions GROUP BY table_name, record_id, rev "
                    "HAVING count(*) > 1) AS d"
                )
            ).scalar()
            == 0
        )
        missing = conn.execute(
            text(
                "SELECT count(*) FROM records r WHERE r.rev <> "
                "(SELECT count(*) FROM revisions v WHERE v.table_name = r.table_name AND v.record_id = r.id)"
            )
        ).scalar()
        assert missing == 0
        top = conn.execute(text("SELECT value FROM counters WHERE name = 'server_seq'")).scalar()
        assert top == conn.execute(text("SELECT max(server_seq) FROM revisions")).scalar()

    # A fresh laptop pulling everything page by page from the two processes in turn gets each record once.
    owner, store, _engine = laptops[0]
    fresh = commissioner_store(tmp_path / "fresh", owner)
    engine = connect(fresh, urls[1], names[0], pull_limit=7)
    pages = [0]
    fetch = engine.client.pull

    def alternating(*args, **kwargs):  # type: ignore[no-untyped-def]
        engine.client.server_url = urls[pages[0] % 2]
        pages[0] += 1
        return fetch(*args, **kwargs)

    engine.client.pull = alternating  # type: ignore[method-assign]
    engine.sync()
    assert pages[0] > 2
    assert differences(local_records(fresh), a.records(owner)) == []


def test_a_batch_replayed_on_the_other_process_is_applied_once(two_servers: tuple[Server, Server]) -> None:
    """The answer to a push was lost and the retry reached the other process: the same answer, and
    the records once (the idempotency key lives in the shared database, not in a process)."""
    a, b = two_servers
    cid = str(uuid.uuid4())
    name = a.add_user(f"replay{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    version = {protocol.PROTOCOL_HEADER: str(protocol.PROTOCOL_VERSION)}
    login = requests.post(
        a.url + protocol.API_PREFIX + "/auth/login",
        json={"username": name, "password": PASSWORD},
        headers=version,
        timeout=10,
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['token']}", **version}
    vid = str(uuid.uuid4())
    body = {
        "batch_id": str(uuid.uuid4()),
        "changes": [
            {
                "table": "service_targets",
                "id": vid,
                "base_rev": 0,
                "fields": {"name": "红星合作社", "type": "enterprise", "county": "新罗区"},
            }
        ],
    }
    answers = []
    for server in (a, b, a, b):
        r = requests.post(
            server.url + protocol.API_PREFIX + "/sync/push", json=body, headers=headers, timeout=10
        )
        assert r.status_code == 200, r.text
        answers.append(r.json())
    assert all(x == answers[0] for x in answers)
    assert answers[0]["results"][0]["status"] == "accepted"
    held = a.records(cid)
    assert held[("service_targets", vid)]["rev"] == 1
    with a.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM revisions WHERE record_id = :i"), {"i": vid}).scalar()
            == 1
        )
