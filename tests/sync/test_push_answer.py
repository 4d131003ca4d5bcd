"""A push's answer lands on the rows it was sent from, and never over an edit made while the batch was
out: that row keeps the edit, stays queued on top of the server's new revision, and goes next time."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from commissioner_app.domain import Visit
from sync import protocol
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def test_an_edit_made_while_its_batch_was_out_is_kept_and_sent_next(
    shared_server: Server, tmp_path: Path
) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"zhou{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "laptop", cid)
    rng = random.Random(5)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{i}次", children=False) for i in range(6)]
    engine = connect(store, shared_server.url, name)
    send = engine.client.push
    edited = visits[2]

    def edit_while_out(request: protocol.PushRequest, encoded: str | None = None) -> protocol.PushAnswer:
        answer = send(request, encoded=encoded)
        if any(c["id"] == edited.id for c in request["changes"]):
            # The person saves the visit again while the server is answering (another thread).
            current = store.get(Visit, edited.id)
            assert current is not None
            store.save(Visit(**{**current.__dict__, "content": "发送途中又改了一次"}))
        return answer

    engine.client.push = edit_while_out  # type: ignore[method-assign]
    report = engine.sync()
    assert report.rejected == 0 and report.conflicts == 0
    row = store.db.execute(
        "SELECT dirty, rev, base_rev, server_seq, content FROM visits WHERE id = ?", [edited.id]
    ).fetchone()
    dirty, rev, base_rev, seq, content = row
    assert content == "发送途中又改了一次" and dirty == 1  # kept, and still to send
    assert rev == base_rev == 1 and seq > 0  # on top of the server's first revision
    others = store.db.execute(
        "SELECT count(*) FROM visits WHERE dirty = 0 AND rev = 1 AND server_seq > 0 AND id != ?", [edited.id]
    ).fetchone()[0]
    assert others == len(visits) - 1
    assert shared_server.records(cid)[("visits", edited.id)]["fields"]["content"] == edited.content
    engine.client.push = send  # type: ignore[method-assign]
    engine.sync()
    assert store.db.execute("SELECT dirty, rev FROM visits WHERE id = ?", [edited.id]).fetchone() == (0, 2)
    on_server: dict[str, Any] = shared_server.records(cid)[("visits", edited.id)]
    assert on_server["rev"] == 2 and on_server["fields"]["content"] == "发送途中又改了一次"
