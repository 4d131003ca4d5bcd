"""A push keeps two batches at the server at once: while the server works on one, the next is already
sent (a server of several processes works both out side by side). Their answers are still applied
oldest first, and a batch answered out of order loses nothing."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from sync import protocol
from sync.client import PreparedBody, SyncClient
from sync.engine import SyncEngine
from tests.sync.fieldwork import add_target, add_visit, commissioner_store

CID = "c-pipeline"


class SlowServer(SyncClient):
    """Answers each batch with every change accepted; the first batch's answer waits until a second
    batch has arrived (or a few seconds have passed), as a busy server process would."""

    def __init__(self, wait: float = 5) -> None:
        super().__init__("http://127.0.0.1:9", "token", device_id="d-here")
        self.wait = wait
        self.lock = threading.Lock()
        self.arrived: list[str] = []
        self.most_at_once = 0
        self.at_once = 0
        self.second = threading.Event()
        self.answered: list[str] = []
        self.seq = 0

    def push(
        self, request: protocol.PushRequest, encoded: str | PreparedBody | None = None
    ) -> protocol.PushAnswer:
        with self.lock:
            self.arrived.append(request["batch_id"])
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
            first = len(self.arrived) == 1
            if not first:
                self.second.set()
        if first:
            self.second.wait(self.wait)
        with self.lock:
            self.at_once -= 1
            results = []
            for c in request["changes"]:
                self.seq += 1
                results.append(
                    {
                        "table": c["table"],
                        "id": c["id"],
                        "status": "accepted",
                        "rev": 1,
                        "server_seq": self.seq,
                    }
                )
            self.answered.append(request["batch_id"])
        return {
            "batch_id": request["batch_id"],
            "results": results,
            "server_time": "2026-01-01T00:00:00+00:00",
        }  # type: ignore[typeddict-item]

    def pull(
        self, since: int, limit: int = 500, count: bool = False, skip: list[tuple[int, int]] | None = None
    ) -> protocol.PullAnswer:
        return {
            "changes": [],
            "next_since": since,
            "has_more": False,
            "server_time": "2026-01-01T00:00:00+00:00",
        }  # type: ignore[typeddict-item]


def test_the_next_batch_is_sent_while_the_server_works_on_the_one_before(tmp_path: Path) -> None:
    store = commissioner_store(tmp_path / "d", CID)
    rng = random.Random(3)
    target = add_target(store, rng)
    for i in range(12):
        add_visit(store, rng, target, f"第{i}次", children=False)
    server = SlowServer()
    engine = SyncEngine(store, server, batch_size=5)
    waiting = engine.pending_count()
    report = engine.sync()
    assert server.most_at_once == 2, "the second batch reached the server before the first was answered"
    # The second batch was answered first; everything is applied all the same, nothing is left.
    assert server.answered[0] == server.arrived[1]
    assert waiting > 10 and report.pushed == waiting and report.rejected == 0
    assert engine.pending_count() == 0
    assert store.get_meta("push_batch") is None and store.get_meta("push_batch_next") is None


def test_a_batch_that_deletes_is_answered_before_the_next_is_sent(tmp_path: Path) -> None:
    """The server holds the deletion of a visit's problems while the visit's deletion meets a
    conflict: sent side by side, the batch of the problems could be worked out before the visit's,
    and they were deleted while the visit stayed. A batch with a deletion (or a resolved conflict)
    is answered first; the rest of a push keeps two batches at the server."""
    from commissioner_app.ops.visits import delete_visit

    store = commissioner_store(tmp_path / "d", CID)
    rng = random.Random(3)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{i}次", children=False) for i in range(12)]
    engine = SyncEngine(store, SlowServer(), batch_size=5)
    engine.sync()
    for visit in visits[:6]:
        delete_visit(store, visit.id)
    server = SlowServer(wait=0.3)  # (a first answer waits that long for a second batch that never comes)
    engine = SyncEngine(store, server, batch_size=5)
    report = engine.sync()
    assert report.rejected == 0 and engine.pending_count() == 0 and len(server.arrived) >= 2
    assert server.most_at_once == 1
    assert store.get_meta("push_batch") is None and store.get_meta("push_batch_next") is None
