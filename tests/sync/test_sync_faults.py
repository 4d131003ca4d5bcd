"""The proof: the real client and the real server through a proxy that drops, delays and cuts
connections at seeded random points, during push, pull and attachment upload, over many rounds.

Two laptops of one commissioner work and sync through the faulty network: A records visits with
problems, solutions and photos, edits and deletes; B edits some of the same visits (sometimes the
same field). Afterwards, on a clean network, both sync until quiet and every record is compared
one by one with the server's: zero lost, zero duplicated, every conflict listed, no edit overwritten
without a conflict, every photo complete on the server.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from commissioner_app.attachments import blob_path
from commissioner_app.domain import TechnicalProblem, Visit
from commissioner_app.store import Store
from sync.conflicts import list_conflicts, resolve
from sync.engine import SyncEngine
from sync.errors import SyncError
from tests.sync.faultproxy import FaultProxy
from tests.sync.fieldwork import (
    add_photo,
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    integrity_ok,
    local_records,
    reconnect,
)
from tests.sync.harness import Server

log = logging.getLogger("tests.sync.faults")

ROUNDS = 12
OPTIONS = {"read_timeout": 1.5, "retries": 1, "chunk_size": 64 * 1024, "batch_size": 7, "pull_limit": 9}


class Ledger:
    """What the test did, to check the end state against."""

    def __init__(self) -> None:
        self.created: dict[tuple[str, str], str] = {}  # (table, id) -> who
        self.deleted: set[str] = set()
        self.edits: list[tuple[str, str, str, Any]] = []  # (who, visit id, field, value), in time order
        self.photos: set[str] = set()


def spy_on_pushes(engine: SyncEngine, sent: Counter[str]) -> None:
    """Count how often each push batch went on the wire (retries and replays included)."""
    original = engine.client.session.request

    def request(method: str, url: str, data: Any = None, headers: Any = None, **kw: Any) -> Any:
        if url.endswith("/sync/push") and data:
            body = gzip.decompress(data) if (headers or {}).get("Content-Encoding") == "gzip" else data
            sent[json.loads(body)["batch_id"]] += 1
        return original(method, url, data=data, headers=headers, **kw)

    engine.client.session.request = request  # type: ignore[method-assign]


def try_sync(engine: SyncEngine, outcomes: dict[str, int]) -> None:
    try:
        engine.sync()
        outcomes["ok"] = outcomes.get("ok", 0) + 1
    except SyncError as exc:
        outcomes[exc.kind] = outcomes.get(exc.kind, 0) + 1


def edit(store: Store, who: str, visit_id: str, rng: random.Random, ledger: Ledger, same_field: bool) -> None:
    visit = store.get(Visit, visit_id)
    if visit is None:
        return
    row = store.row("visits", visit_id)
    if row is None or row["has_conflict"]:
        return
    if same_field:
        field, value = "content", f"{who}改写服务内容 {uuid.uuid4().hex[:6]}"
    elif who == "A":
        field, value = "people_trained", rng.randint(41, 400)
    else:
        field, value = "end_time", f"1{rng.randint(2, 7)}:{rng.choice(['05', '15', '45'])}"
    setattr(visit, field, value)
    store.save_visit(visit)
    ledger.edits.append((who, visit_id, field, value))


@pytest.mark.slow
def test_nothing_lost_or_duplicated_through_a_faulty_network(
    shared_server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="commissioner.sync.engine")
    rng = random.Random(20261127)
    server = shared_server
    cid = str(uuid.uuid4())
    name = server.add_user(f"lin{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    proxy = FaultProxy(server.port, seed=7)
    a = commissioner_store(tmp_path / "a", cid)
    b = commissioner_store(tmp_path / "b", cid)
    ea = connect(a, server.url, name, via=proxy.url, **dict(OPTIONS))
    eb = connect(b, server.url, name, via=proxy.url, **dict(OPTIONS))
    ledger = Ledger()
    sent_batches: Counter[str] = Counter()
    spy_on_pushes(ea, sent_batches)
    spy_on_pushes(eb, sent_batches)
    outcomes: dict[str, int] = {}
    target = add_target(a, rng)
    ledger.created[("service_targets", target.id)] = "A"
    try:
        for round_no in range(ROUNDS):
            for _ in range(3):
                visit = add_visit(a, rng, target, f"标记{round_no}-{uuid.uuid4().hex[:8]}")
                ledger.created[("visits", visit.id)] = "A"
                for p in a.problems_of_visit(visit.id):
                    ledger.created[("problems", p.id)] = "A"
                for s in a.solutions_of_visit(visit.id):
                    ledger.created[("solutions", s.id)] = "A"
            if round_no % 2 == 0:
                visit_id = rng.choice([k[1] for k in ledger.created if k[0] == "visits"])
                ledger.photos.add(add_photo(a, tmp_path, visit_id, rng, rng.randint(100_000, 300_000)))
            mine = [k[1] for k in ledger.created if k[0] == "visits" and k[1] not in ledger.deleted]
            # Both laptops edit some of the same visits before either has seen the other's edit.
            theirs = [r[0] for r in b.db.execute("SELECT id FROM visits WHERE deleted = 0").fetchall()]
            for visit_id in rng.sample(theirs, min(2, len(theirs))):
                same = rng.random() < 0.5
                edit(a, "A", visit_id, rng, ledger, same_field=same)
                edit(b, "B", visit_id, rng, ledger, same_field=same)
            for visit_id in rng.sample(mine, min(2, len(mine))):
                edit(a, "A", visit_id, rng, ledger, same_field=rng.random() < 0.5)
            if round_no % 4 == 3:
                victim = rng.choice(mine)
                if a.get(Visit, victim) is not None and not a.row("visits", victim)["has_conflict"]:  # type: ignore[index]
                    a.delete(Visit, victim)
                    ledger.deleted.add(victim)
            try_sync(ea, outcomes)
            try_sync(eb, outcomes)
            theirs = [r[0] for r in b.db.execute("SELECT id FROM visits WHERE deleted = 0").fetchall()]
            for visit_id in rng.sample(theirs, min(2, len(theirs))):
                edit(b, "B", visit_id, rng, ledger, same_field=rng.random() < 0.5)
            try_sync(eb, outcomes)
        log.info(
            "outcomes %s proxy %s requests %s %s",
            outcomes,
            proxy.stats,
            ea.client.requests_made,
            eb.client.requests_made,
        )
        assert outcomes.get("ok", 0) < 3 * ROUNDS, "no sync failed: the proxy injected too little"
        assert proxy.stats.fates.get("cut_down", 0) > 0 and proxy.stats.fates.get("cut_up", 0) > 0

        # The network heals; both laptops sync, people resolve the conflicts, until all is quiet.
        proxy.faults = False
        ea = reconnect(a, proxy.url, **dict(OPTIONS))
        eb = reconnect(b, proxy.url, **dict(OPTIONS))
        listed: set[tuple[str, str]] = set()
        for _ in range(8):
            ea.sync()
            eb.sync()
            for store, keep in ((a, "local"), (b, "server")):
                for c in list_conflicts(store):
                    listed.add((c.record_id, c.field))
                    resolve(store, c.id, keep)  # type: ignore[arg-type]
            if (
                not ea.pending_count()
                and not eb.pending_count()
                and not list_conflicts(a)
                and not list_conflicts(b)
            ):
                ea.sync()
                eb.sync()
                ea.sync()
                if not ea.pending_count() and not eb.pending_count():
                    break
        else:
            pytest.fail("the clients did not settle")
    finally:
        proxy.close()

    records = server.records(cid)
    local_a, local_b = local_records(a), local_records(b)
    # Record by record, both laptops hold exactly what the server holds.
    assert differences(local_a, records) == []
    assert differences(local_b, records) == []

    # Zero lost: everything A created is on the server; deletions are tombstones, nothing else is
    # (a deleted visit's deletion kept after a conflict takes its problems and solutions with it).
    for key in ledger.created:
        assert key in records, f"lost: {key}"
        fields = records[key]["fields"]
        visit_id = key[1] if key[0] == "visits" else fields.get("visit_id")
        if not visit_id and fields.get("problem_id"):  # a solution given on its problem's visit
            visit_id = records[("problems", fields["problem_id"])]["fields"].get("visit_id")
        assert records[key]["deleted"] == (visit_id in ledger.deleted and records[key]["deleted"]), key
    # Zero duplicated: each problem's unique marker appears once on the server.
    titles = [r["fields"]["title"] for (t, _), r in records.items() if t == "problems"]
    assert len(titles) == len(set(titles)) == sum(1 for k in ledger.created if k[0] == "problems")
    assert sum(1 for k in records if k[0] == "visits") == sum(1 for k in ledger.created if k[0] == "visits")

    # No edit overwritten without a conflict: the final value of each edited field is the last
    # one typed, or both versions were listed as a conflict for a person to choose.
    recorded = {(c.record_id, c.field) for s in (a, b) for c in list_conflicts(s, include_resolved=True)}
    last: dict[tuple[str, str], Any] = {}
    typed: dict[tuple[str, str], set[Any]] = {}
    for _who, visit_id, field, value in ledger.edits:
        last[(visit_id, field)] = value
        typed.setdefault((visit_id, field), set()).add(value)
    for (visit_id, field), value in last.items():
        final = records[("visits", visit_id)]["fields"][field]
        if final != value:
            assert (visit_id, field) in recorded or (visit_id, "deleted") in recorded, (
                f"{visit_id}.{field}: {value!r} overwritten by {final!r} without a conflict"
            )
    log.info(
        "conflicts recorded %d, edits %d, photos %d", len(recorded), len(ledger.edits), len(ledger.photos)
    )
    assert recorded, "the same-field edits made no conflict at all"
    assert listed <= recorded

    # Every photo arrived whole: complete on the server, and its bytes hash to its name.
    uploads = server.uploads()
    for sha in ledger.photos:
        assert uploads.get(sha) is True, f"photo {sha[:12]} incomplete on the server"
        data = ea.client.download_attachment(sha)
        assert hashlib.sha256(data).hexdigest() == sha
        assert blob_path(a, sha).read_bytes() == data

    assert integrity_ok(a) and integrity_ok(b)
    assert not a.check() and all(isinstance(p, TechnicalProblem) for p in a.all(TechnicalProblem))
    # The run really went through failures of every kind (seeded, so the same every time).
    assert sum(proxy.stats.fates.values()) > 20
    # Answers were lost after the server had applied a batch: the same batch was sent again.
    assert max(sent_batches.values()) > 1
