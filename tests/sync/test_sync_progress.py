"""The progress a sync reports while it pulls: changes received of how many (real server)."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from sync.engine import SyncProgress
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def two_laptops(server: Server, tmp_path: Path, visits: int):  # type: ignore[no-untyped-def]
    cid = str(uuid.uuid4())
    name = server.add_user(f"li{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    a = commissioner_store(tmp_path / "a", cid)
    rng = random.Random(7)
    target = add_target(a, rng)
    for i in range(visits):
        add_visit(a, rng, target, f"第{i}次", children=False)
    connect(a, server.url, name).sync()
    b = commissioner_store(tmp_path / "b", cid)
    return connect(b, server.url, name, pull_limit=10)


def test_a_pull_reports_how_many_of_how_many_changes_it_received(
    shared_server: Server, tmp_path: Path
) -> None:
    engine = two_laptops(shared_server, tmp_path, 25)
    seen: list[SyncProgress] = []
    report = engine.sync(progress=seen.append)
    pull = [p for p in seen if p.phase == "pull"]
    assert len(pull) >= 3  # pages of 10
    total = pull[0].total
    # What this commissioner may see: the target, 25 visits, and public rows (not the profile this
    # laptop has just pushed itself: its own push's versions are not sent back).
    assert total >= 26 and all(p.total == total for p in pull)
    assert [p.done for p in pull] == sorted(p.done for p in pull)
    assert pull[-1].done == total
    assert report.pulled >= 26


def test_without_a_count_from_the_server_the_total_is_unknown(shared_server: Server, tmp_path: Path) -> None:
    engine = two_laptops(shared_server, tmp_path, 3)
    real = engine.client.pull

    def old_server(since: int, limit: int = 500, count: bool = False, skip: Any = None) -> Any:
        answer = dict(real(since, limit, count, skip))
        answer.pop("remaining", None)  # a server that predates the count
        return answer

    engine.client.pull = old_server  # type: ignore[method-assign]
    seen: list[SyncProgress] = []
    engine.sync(progress=seen.append)
    pull = [p for p in seen if p.phase == "pull"]
    assert pull and all(p.total == 0 for p in pull) and pull[-1].done >= 4
