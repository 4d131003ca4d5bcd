"""Concurrent pushes: sequence numbers stay unique and increasing, and a pull never skips a change."""

from __future__ import annotations

import threading

from sync.server import auth, push
from sync.server.pull import pull_page
from tests.sync.server_support import BACKENDS, cheap_password_hashes, engine_factory, new_id, visit_fields

__all__ = ["cheap_password_hashes", "engine_factory"]


@BACKENDS
def test_concurrent_pushes_and_pulls_lose_nothing(engine_factory: object) -> None:
    import json

    from sync.server.migrations import migrate

    engine = engine_factory()  # type: ignore[operator]
    migrate(engine)
    writers = []
    for n in range(4):
        auth.add_user(engine, f"c{n}", "password123", "commissioner", commissioner_id=f"c{n}")
        writers.append(auth.User(f"id{n}", f"c{n}", "commissioner", "", f"c{n}", None, None))
    bureau = auth.User("b", "boss", "bureau", "", None, None, None)
    errors: list[BaseException] = []
    pulled: dict[str, int] = {}
    done = threading.Event()

    def write(user: auth.User) -> None:
        try:
            for _ in range(8):
                changes = [
                    {
                        "table": "visits",
                        "id": new_id(),
                        "base_rev": 0,
                        "deleted": False,
                        "fields": visit_fields(user.commissioner_id or ""),
                    }
                    for _ in range(5)
                ]
                push.push(engine, user, {"batch_id": new_id(), "changes": changes})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    def read() -> None:
        since = 0
        try:
            while True:
                finished = done.is_set()
                page = json.loads(pull_page(engine, bureau, since, 7))
                for c in page["changes"]:
                    pulled[c["id"]] = c["server_seq"]
                since = page["next_since"]
                if finished and not page["has_more"]:
                    return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(u,)) for u in writers]
    reader = threading.Thread(target=read)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    assert errors == []
    # The reader, pulling while others pushed, got every change exactly once.
    assert len(pulled) == 4 * 8 * 5
    assert len(set(pulled.values())) == len(pulled)
    final = json.loads(pull_page(engine, bureau, 0, 2000))["changes"]
    assert {c["id"]: c["server_seq"] for c in final} == pulled
