"""Cancelling a sync on a stalled connection: the server (here a socket that accepts and never
answers) keeps the request open; 取消 must end the sync within 2 s, not after the read timeout and
every retry (about 4¾ minutes with the defaults), and lose nothing."""

from __future__ import annotations

import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.client import SMALL_READ_TIMEOUT, SyncClient
from sync.engine import SyncEngine
from sync.errors import SyncCancelledError
from tests.sync.fieldwork import add_target, add_visit, commissioner_store

CANCEL_BOUND = 2.0


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[socket.socket]]]:
    """Accepts every connection, reads nothing back, answers nothing."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    stop.set()
    thread.join(2)
    listener.close()
    for conn in accepted:
        conn.close()


def default_client(url: str) -> SyncClient:
    # The application's own timeouts and retries: what made the user wait minutes.
    return SyncClient(url, "token", device_id="d", connect_timeout=5.0, read_timeout=60.0, retries=4)


def test_cancel_ends_a_stalled_sync_within_two_seconds(silent_server, tmp_path: Path) -> None:
    url, accepted = silent_server
    store = commissioner_store(tmp_path / "c", str(uuid.uuid4()))
    rng = random.Random(5)
    target = add_target(store, rng)
    for i in range(3):
        add_visit(store, rng, target, f"停滞{i}")
    engine = SyncEngine(store, default_client(url))
    waiting = engine.pending_count()
    cancel = threading.Event()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["report"] = engine.sync(cancel=cancel)
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 10
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.02)
    assert accepted, "the sync never reached the server"
    time.sleep(0.3)  # the request is out and waits for an answer that never comes
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(CANCEL_BOUND + 3)
    took = time.monotonic() - cancelled_at
    assert not worker.is_alive(), "the sync was still waiting after the cancel"
    assert took < CANCEL_BOUND, f"cancel took {took:.1f} s"
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert report.cancelled  # type: ignore[attr-defined]
    assert engine.pending_count() == waiting  # nothing lost: all of it goes with the next sync
    assert store.get_meta("last_sync_at") is None


def test_abort_cuts_a_request_and_its_retries(silent_server) -> None:
    url, _accepted = silent_server
    client = default_client(url)
    threading.Timer(0.3, client.abort).start()
    started = time.monotonic()
    with pytest.raises(SyncCancelledError):
        client.pull(0)
    assert time.monotonic() - started < CANCEL_BOUND
    with pytest.raises(SyncCancelledError):  # and nothing more is sent until the next sync resumes it
        client.me()
    client.resume()
    assert not client.aborted


def test_small_requests_wait_less_than_the_read_timeout(silent_server) -> None:
    url, _accepted = silent_server
    client = SyncClient(url, "token", connect_timeout=1.0, read_timeout=600.0, retries=0)
    assert SMALL_READ_TIMEOUT <= 20
    seen: list[object] = []
    original = client.session.request

    def request(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["timeout"])
        raise __import__("requests").ConnectionError("recorded")

    client.session.request = request  # type: ignore[method-assign]
    for call in (client.me, lambda: client.attachment_status("a" * 64), client.logout):
        with pytest.raises(Exception):  # noqa: B017 - only the timeout it was given matters here
            call()
    with pytest.raises(Exception):  # noqa: B017
        client.pull(0)
    assert seen[:3] == [(1.0, SMALL_READ_TIMEOUT)] * 3
    assert seen[3] == (1.0, 600.0)  # a page of a pull may take the server longer
    client.session.request = original  # type: ignore[method-assign]
