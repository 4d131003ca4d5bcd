"""The central store against a hostile network and hostile users (issue 17, the server's findings).

Each test reproduces one way the server was made to use too much memory, answer 500, lock out an
owner, leak a file or a conflict, or accept a record pointing at someone else's records.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, func, select, text, update

from commissioner_app.credit_code import make_credit_code
from sync.protocol import API_PREFIX, PROTOCOL_HEADER
from sync.server import auth, confirm, timeutil
from sync.server.app import create_app
from sync.server.maintenance import prune
from sync.server.tables import login_attempts, records, upload_staging, uploads
from tests.sync.server_support import (
    BACKENDS,
    PASSWORD,
    Server,
    TestClient,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

CHUNK = 64 * 1024


def client_at(server: Server, address: str, **kwargs: Any) -> TestClient:
    """Another client of the same app, coming from `address`."""
    return TestClient(server.client.app, client=(address, 40000), raise_server_exceptions=False, **kwargs)


def login_at(client: TestClient, name: str, password: str = PASSWORD, device: str = "d") -> Any:
    return client.post(
        f"{API_PREFIX}/auth/login",
        headers={PROTOCOL_HEADER: "1"},
        json={"username": name, "password": password, "device_id": device},
    )


class CountingHasher(PasswordHasher):
    """A cheap argon2 hasher that records how many verifications run at once."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.total = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self.lock:
            self.running += 1
            self.total += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.05)  # long enough for parallel logins to overlap
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def counting_hasher() -> Any:
    hasher = CountingHasher()
    previous = auth.use_password_hasher(hasher)
    yield hasher
    auth.use_password_hasher(*previous)


# --- 1. argon2 work is bounded -------------------------------------------------------------------


@BACKENDS
def test_a_flood_of_logins_with_made_up_names_runs_few_password_checks_at_once(
    server: Server, counting_hasher: CountingHasher
) -> None:
    server.add_user("zhangsan", "commissioner")
    token = server.token("zhangsan")
    # 40 logins at a time from 40 addresses, each with a made-up name.
    clients = [client_at(server, f"10.1.0.{i}") for i in range(40)]
    seen_me: list[int] = []

    def flood(i: int) -> int:
        if i % 10 == 0:
            me = server.request("GET", "/me", None, headers={"Authorization": f"Bearer {token}"})
            seen_me.append(me.status_code)
        return int(login_at(clients[i % 40], f"nobody-{i}", "guess").status_code)

    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(flood, range(120)))
    assert set(answers) <= {401, 429, 503}, answers
    assert counting_hasher.most <= auth.MAX_CONCURRENT_VERIFICATIONS
    assert seen_me and set(seen_me) == {200}
    # The owner still logs in.
    assert server.login("zhangsan").status_code == 200


@BACKENDS
def test_made_up_names_from_one_address_are_refused_without_a_password_check(
    server: Server, counting_hasher: CountingHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The flood comes within the first lock (2 s); on a loaded machine the 60 logins could outlast
    # it, and the next one would rightly cost a check: the clock stands still for the flood.
    frozen = timeutil.now()
    monkeypatch.setattr(timeutil, "now", lambda: frozen)
    attacker = client_at(server, "10.2.0.9")
    answers = [login_at(attacker, f"made-up-{i}", "guess").status_code for i in range(60)]
    assert answers[0] == 401 and answers[-1] == 429
    # Only the first few cost a password check; the rest are refused by the address's counter.
    assert counting_hasher.total <= auth.ADDRESS_FREE_FAILURES
    with server.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(login_attempts)).scalar_one()
    assert rows <= 2 * auth.ADDRESS_FREE_FAILURES + 2  # the table does not grow with the flood


# --- 2. authentication before any body is read ---------------------------------------------------


def _http_scope(
    method: str, path: str, headers: list[tuple[bytes, bytes]], client: str, query: bytes = b""
) -> dict[str, Any]:
    """An ASGI request as uvicorn hands it to the application."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
        "client": (client, 1234),
        "server": ("testserver", 80),
        "state": {},
    }


def _asgi_call(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    received: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        received.append(len(body))
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = _http_scope(method, path, headers, "10.3.0.1", b"offset=0" if method == "PUT" else b"")
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, received


@BACKENDS
@pytest.mark.parametrize("method,path", [("POST", "/sync/push"), ("PUT", "/attachments/" + "b" * 64)])
def test_a_request_without_a_valid_token_is_refused_before_its_body_is_read(
    server: Server, method: str, path: str
) -> None:
    server.add_user("zhangsan", "commissioner")
    bomb = gzip.compress(b"[" * (30 * 1024 * 1024))  # 30 MB of JSON once inflated
    for authorization in (None, b"Bearer not-a-token"):
        headers = [
            (PROTOCOL_HEADER.lower().encode(), b"1"),
            (b"content-type", b"application/json"),
            (b"content-encoding", b"gzip"),
            (b"content-length", str(len(bomb)).encode()),
        ]
        if authorization:
            headers.append((b"authorization", authorization))
        status, received = _asgi_call(server.client.app, method, API_PREFIX + path, headers, bomb)
        assert status == 401
        assert received == []  # the body was never asked for
    # With a valid token the same kind of request is read (and refused for its size, 413).
    headers = [
        (PROTOCOL_HEADER.lower().encode(), b"1"),
        (b"content-encoding", b"gzip"),
        (b"content-length", str(len(bomb)).encode()),
        (b"authorization", f"Bearer {server.token('zhangsan')}".encode()),
    ]
    status, received = _asgi_call(server.client.app, method, API_PREFIX + path, headers, bomb)
    assert received and 400 <= status < 500


def _asgi_stream(app: Any, path: str, headers: list[tuple[bytes, bytes]], total: int) -> Any:
    """POST `total` bytes to `path` as a chunked body, 64 KiB a message; (status, content type,
    answer, bytes the server pulled)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= total:
            return {"type": "http.disconnect"}
        part = min(CHUNK, total - pulled)
        pulled += part
        return {"type": "http.request", "body": b"a" * part, "more_body": pulled < total}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = _http_scope("POST", path, [(b"transfer-encoding", b"chunked"), *headers], "10.3.0.2")
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    kind = dict(start["headers"]).get(b"content-type", b"").decode()
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], kind, body, pulled


@BACKENDS
def test_a_large_body_outside_the_api_is_refused_before_it_is_read(server: Server) -> None:
    """Anyone may post to the confirmation page or to a made-up path: such a body is held to the
    page's small limit, not to the API's 32 MB."""
    big = 31 * 1024 * 1024
    token = "A" * 22  # shaped like a confirmation link (whether one exists does not matter)
    for path in (f"/c/{token}", "/nope", "/api/v2/sync/push"):
        status, kind, body, pulled = _asgi_stream(server.client.app, path, [], big)
        assert status == 413, (path, status)
        assert pulled <= confirm.MAX_BODY + CHUNK, (path, pulled)  # not the 31 MB
        if path.startswith("/c/"):  # the served party's phone gets the page, in Chinese
            assert kind.startswith("text/html") and "提交的内容过长" in body.decode()
        else:
            answer = json.loads(body)
            assert kind == "application/json" and answer["error"] == "too_large"
            assert answer["message_zh"] and answer["message_en"]
        # A declared length over the limit is refused without reading anything.
        status, kind, body, pulled = _asgi_stream(
            server.client.app, path, [(b"content-length", str(big).encode())], big
        )
        assert status == 413 and pulled == 0, (path, status, pulled)
    # A form of the page's size is still read and answered (here: no such link).
    answer = server.client.post(f"/c/{token}", data={"name": "陈" * 500})
    assert answer.status_code == 404 and "链接无效" in answer.text


# --- 3. a lockout that slows an attacker, not the owner ------------------------------------------


@BACKENDS
def test_an_attacker_elsewhere_cannot_lock_the_owner_out(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    home = client_at(server, "10.4.0.5")
    assert login_at(home, "zhangsan").status_code == 200  # the owner's usual address
    attacker = client_at(server, "10.4.0.66")
    answers = [login_at(attacker, "zhangsan", f"guess {i}").status_code for i in range(12)]
    assert answers[: auth.FREE_FAILURES] == [401] * auth.FREE_FAILURES and answers[-1] == 429
    # The attacker is slowed down, even with the right password ...
    assert login_at(attacker, "zhangsan").status_code == 429
    # ... the owner, at their own address, is not.
    assert login_at(home, "zhangsan").status_code == 200
    # Nor with a different spelling of the name.
    assert login_at(attacker, " ZhangSan ", "x").status_code == 429


@BACKENDS
def test_user_names_are_one_account_whatever_the_case_and_spaces(server: Server) -> None:
    auth.add_user(server.engine, "Victim", PASSWORD, "commissioner", commissioner_id="c-victim")
    with pytest.raises(auth.UserAdminError):
        auth.add_user(server.engine, "VICTIM ", "another password", "commissioner")
    with pytest.raises(auth.UserAdminError):
        auth.add_user(server.engine, "victim", "another password", "commissioner")
    answer = server.login(" VICTIM ")
    assert answer.status_code == 200, answer.text
    assert answer.json()["user"]["commissioner_id"] == "c-victim"
    assert server.login("victim").status_code == 200
    auth.disable_user(server.engine, "VICTIM")
    assert server.login("victim").status_code == 401


@BACKENDS
def test_a_login_that_fails_with_a_server_error_is_not_counted(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_user("zhangsan", "commissioner")

    def broken(*_args: Any) -> bool:
        raise RuntimeError("the password library failed")

    monkeypatch.setattr(auth, "_verify", broken)
    for _ in range(auth.FREE_FAILURES + 2):
        assert server.login("zhangsan").status_code == 500
    monkeypatch.undo()
    with server.engine.connect() as conn:
        assert conn.execute(select(func.max(login_attempts.c.failures))).scalar() in (0, None)
    assert server.login("zhangsan").status_code == 200


# --- 4. conflict notices only to the people involved, after every rule --------------------------


def _demand(server: Server) -> tuple[str, int]:
    did = new_id()
    fields = {"title": "柑橘黄龙病防控", "description": "需要专家指导", "status": "published"}
    [r] = server.push_ok("boss", [change("demands", did, fields)])
    [r2] = server.push_ok("boss", [change("demands", did, {"description": "需要专家现场指导"}, r["rev"])])
    assert r2["status"] == "accepted"
    return did, r["rev"]


def _notices(server: Server, user: str) -> list[dict[str, Any]]:
    pulled, _ = server.pull_all(user)
    return [c for c in pulled if c["table"] == "conflicts"]


@BACKENDS
def test_a_stale_edit_of_a_public_demand_is_refused_before_any_notice(server: Server) -> None:
    server.add_user("boss", "bureau")
    server.add_user("mallory", "commissioner")
    server.add_user("bystander", "commissioner", team="team-9", station="station-9")
    did, old_rev = _demand(server)
    [r] = server.push_ok(
        "mallory", [change("demands", did, {"description": "广告" * 1000, "title": "x"}, old_rev)]
    )
    assert r["status"] == "rejected" and r["reason_zh"] and "conflict_id" not in r
    for user in ("boss", "mallory", "bystander"):
        assert _notices(server, user) == []
    # The bureau's version stands; nothing of the attacker's text was published.
    pulled, _ = server.pull_all("bystander")
    [demand] = [c for c in pulled if c["id"] == did]
    assert demand["fields"]["description"] == "需要专家现场指导"


@BACKENDS
def test_a_conflict_on_a_public_record_is_shown_to_those_involved_only(server: Server) -> None:
    server.add_user("boss", "bureau")
    server.add_user("boss2", "bureau")
    server.add_user("bystander", "commissioner")
    did, old_rev = _demand(server)
    [r] = server.push_ok("boss2", [change("demands", did, {"description": "另一版本"}, old_rev)])
    assert r["status"] == "conflict" and r["conflict_id"]
    assert [n["id"] for n in _notices(server, "boss")] == [r["conflict_id"]]
    assert _notices(server, "bystander") == []


# --- 5. files only through a visible record; uploads owned, bounded, pruned ------------------------


def upload(server: Server, user: str, data: bytes) -> Any:
    sha = hashlib.sha256(data).hexdigest()
    for offset in range(0, len(data), CHUNK):
        answer = server.request(
            "PUT", f"/attachments/{sha}?offset={offset}", user, content=data[offset : offset + CHUNK]
        )
        assert answer.status_code == 200, answer.text
    return server.request("POST", f"/attachments/{sha}/complete", user, json={"size": len(data)})


def attachment(owner: str, sha: str, size: int) -> dict[str, Any]:
    return change(
        "attachments",
        new_id(),
        {"sha256": sha, "owner_table": "visits", "owner_id": owner, "size": size, "mime": "image/jpeg"},
    )


@BACKENDS
def test_knowing_a_hash_does_not_open_someone_elses_file(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    mallory = server.add_user("mallory", "commissioner")
    data = os.urandom(CHUNK + 10)
    sha = hashlib.sha256(data).hexdigest()
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(zhang))])
    assert upload(server, "zhangsan", data).status_code == 201
    server.push_ok("zhangsan", [attachment(vid, sha, len(data))])
    assert server.request("GET", f"/attachments/{sha}", "zhangsan").content == data
    # Mallory's status of that hash looks like any unknown hash.
    unknown = "c" * 64
    status = server.request("GET", f"/attachments/{sha}/status", "mallory").json()
    other = server.request("GET", f"/attachments/{unknown}/status", "mallory").json()
    assert {k: v for k, v in status.items() if k != "sha256"} == {
        k: v for k, v in other.items() if k != "sha256"
    }
    # A record of Mallory's naming the hash does not open the file.
    mvid = new_id()
    server.push_ok("mallory", [change("visits", mvid, visit_fields(mallory))])
    server.push_ok("mallory", [attachment(mvid, sha, len(data))])
    assert server.request("GET", f"/attachments/{sha}", "mallory").status_code == 404
    # Completing it without the bytes does not either.
    done = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": len(data)})
    assert done.status_code in (404, 409)
    assert server.request("GET", f"/attachments/{sha}", "mallory").status_code == 404
    # Someone who has the same file proves it by sending it, then may fetch it.
    server.add_user("lisi", "commissioner")
    lvid = new_id()
    server.push_ok("lisi", [change("visits", lvid, visit_fields("c-lisi"))])
    assert upload(server, "lisi", data).status_code == 201
    server.push_ok("lisi", [attachment(lvid, sha, len(data))])
    assert server.request("GET", f"/attachments/{sha}", "lisi").content == data


@BACKENDS
def test_sending_a_stored_file_again_tells_nothing_before_the_whole_of_it_is_sent(server: Server) -> None:
    """Proving one holds a stored file by sending it: a chunk's bytes get the same answer whether
    they match or not, so neither the file's bytes (guessed one at a time) nor whether a hash is
    stored can be learnt; only the whole file, checked at the end, makes one its holder."""
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    secret = b"the served party's ID card number 440781199001011234"
    sha = hashlib.sha256(secret).hexdigest()
    assert upload(server, "zhangsan", secret).status_code == 201

    def put(offset: int, data: bytes, sha256: str = sha) -> Any:
        return server.request("PUT", f"/attachments/{sha256}?offset={offset}", "mallory", content=data)

    right, wrong = put(0, secret[:1]), None
    assert right.status_code == 200 and right.json()["received"] == 1
    wrong = put(1, b"#")  # not the file's second byte
    assert wrong.status_code == 200 and wrong.json() == {"received": 2, "complete": False}
    # An unknown hash answers alike: a stored file is not told apart.
    unknown = put(0, b"#", "d" * 64)
    assert unknown.status_code == 200 and unknown.json() == {"received": 1, "complete": False}
    # The rest sent, the whole is checked: a wrong byte anywhere and nothing is gained.
    assert put(2, secret[2:]).status_code == 200
    done = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": len(secret)})
    assert done.status_code == 422 and done.json()["error"] == "hash_mismatch"
    assert server.request("GET", f"/attachments/{sha}/status", "mallory").json()["received"] == 0
    # Sent whole and right, it is theirs to refer to.
    for offset in range(len(secret)):
        assert put(offset, secret[offset : offset + 1]).status_code == 200
    done = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": len(secret)})
    assert done.status_code == 201, done.text


@BACKENDS
def test_nobody_else_can_append_to_or_finish_an_unfinished_upload(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    data = os.urandom(2 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    first = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:CHUNK])
    assert first.json()["received"] == CHUNK
    # Mallory's bytes go to an upload of her own: she cannot add to zhangsan's nor finish it.
    junk = server.request("PUT", f"/attachments/{sha}?offset={CHUNK}", "mallory", content=b"x" * CHUNK)
    assert junk.status_code == 409 and junk.json()["received"] == 0
    finish = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": CHUNK})
    assert finish.status_code in (404, 409)
    assert (
        server.request("PUT", f"/attachments/{sha}?offset=0", "mallory", content=b"x" * CHUNK).status_code
        == 200
    )
    finish = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": CHUNK})
    assert finish.status_code == 422 and finish.json()["error"] == "hash_mismatch"  # her junk is dropped
    # Zhangsan's upload goes on as if nothing happened.
    rest = server.request("PUT", f"/attachments/{sha}?offset={CHUNK}", "zhangsan", content=data[CHUNK:])
    assert rest.json() == {"received": 2 * CHUNK, "complete": False}
    done = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": 2 * CHUNK})
    assert done.status_code == 201


@BACKENDS
def test_someone_who_starts_a_files_upload_first_does_not_hold_it_up(server: Server) -> None:
    """Knowing a photo's hash (it went round a chat group), mallory started its upload with one
    byte and left it: zhangsan, who has the photo, was told 423 upload_busy at every sync for the 14
    days until the unfinished upload was pruned, and his visit's photo stayed unsent."""
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    photo = os.urandom(2 * CHUNK + 100)
    sha = hashlib.sha256(photo).hexdigest()
    squat = server.request("PUT", f"/attachments/{sha}?offset=0", "mallory", content=b"x")
    assert squat.status_code == 200
    done = upload(server, "zhangsan", photo)
    assert done.status_code == 201, done.text
    status = server.request("GET", f"/attachments/{sha}/status", "zhangsan").json()
    assert status == {"sha256": sha, "complete": True, "received": len(photo)}
    # His visit's photo is accepted and he gets the very bytes back.
    cid = server.users["zhangsan"]["commissioner_id"]
    vid = new_id()
    results = server.push_ok(
        "zhangsan", [change("visits", vid, visit_fields(cid)), attachment(vid, sha, len(photo))]
    )
    assert [r["status"] for r in results] == ["accepted", "accepted"], results
    assert server.request("GET", f"/attachments/{sha}", "zhangsan").content == photo
    # Mallory's junk is gone with her claim: she holds the file only by sending all of it.
    more = server.request("PUT", f"/attachments/{sha}?offset=1", "mallory", content=b"y")
    assert more.status_code == 409 and more.json()["received"] == 0
    assert server.request("GET", f"/attachments/{sha}/status", "mallory").json()["complete"] is False
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(upload_staging)).scalar() == 0


@BACKENDS
def test_a_second_sender_of_an_unfinished_file_goes_on_once_the_first_has_finished(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    photo = os.urandom(2 * CHUNK)
    sha = hashlib.sha256(photo).hexdigest()

    def put(user: str, offset: int) -> Any:
        return server.request(
            "PUT", f"/attachments/{sha}?offset={offset}", user, content=photo[offset : offset + CHUNK]
        )

    assert put("zhangsan", 0).json()["received"] == CHUNK
    assert put("lisi", 0).json()["received"] == CHUNK  # the same photo, from a colleague's laptop
    assert put("zhangsan", CHUNK).status_code == 200
    finished = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": 2 * CHUNK})
    assert finished.status_code == 201
    # Lisi's half is dropped (his bytes were never compared with the stored file): he sends it
    # again from the start and, the bytes matching, holds the file too.
    again = put("lisi", CHUNK)
    assert again.status_code == 409 and again.json()["received"] == 0
    assert upload(server, "lisi", photo).status_code == 201


@BACKENDS
def test_a_failed_completion_of_the_first_upload_leaves_the_other_sender_to_finish(server: Server) -> None:
    """Mallory began the upload with one junk byte and, once zhangsan had sent the whole file
    beside it, completed hers and failed: her upload was discarded and zhangsan's bytes with it in
    all but name (status said 300,000 received, complete said 0): every sync of his stopped there
    for 14 days. Looped, it stopped him in 13 runs of 20."""
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    photo = os.urandom(2 * CHUNK + 7)
    sha = hashlib.sha256(photo).hexdigest()
    assert server.request("PUT", f"/attachments/{sha}?offset=0", "mallory", content=b"x").status_code == 200
    for offset in range(0, len(photo), CHUNK):
        chunk = photo[offset : offset + CHUNK]
        assert (
            server.request(
                "PUT", f"/attachments/{sha}?offset={offset}", "zhangsan", content=chunk
            ).status_code
            == 200
        )
    failed = server.request("POST", f"/attachments/{sha}/complete", "mallory", json={"size": 1})
    assert failed.status_code == 422
    # Zhangsan's bytes are the upload now: what status says is what complete finds.
    status = server.request("GET", f"/attachments/{sha}/status", "zhangsan").json()
    assert status == {"sha256": sha, "complete": False, "received": len(photo)}
    done = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": len(photo)})
    assert done.status_code == 201, done.text
    # Mallory starting again beside him changes nothing either.
    assert server.request("GET", f"/attachments/{sha}/status", "zhangsan").json()["complete"] is True


@BACKENDS
def test_sending_a_stored_file_again_is_held_to_the_quota_as_any_upload_is(server: Server) -> None:
    """With her quota full, a chunk for an unknown hash was refused 413 and one for a stored hash
    accepted: whether a file is stored could be learnt."""
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    stored = os.urandom(CHUNK)
    assert upload(server, "zhangsan", stored).status_code == 201
    server.client.app.state.upload_quota = 2 * CHUNK
    junk = os.urandom(2 * CHUNK)
    assert (
        server.request("PUT", f"/attachments/{'e' * 64}?offset=0", "mallory", content=junk).status_code == 200
    )
    answers = {
        name: server.request("PUT", f"/attachments/{sha}?offset=0", "mallory", content=b"x").status_code
        for name, sha in (("unknown", "f" * 64), ("stored", hashlib.sha256(stored).hexdigest()))
    }
    assert answers == {"unknown": 413, "stored": 413}


@BACKENDS
def test_prune_drops_bytes_sent_beside_an_upload_once_their_sending_stopped(server: Server) -> None:
    from sync.server.tables import upload_owners

    server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    data = os.urandom(2 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    assert (
        server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:CHUNK]).status_code
        == 200
    )
    assert (
        server.request("PUT", f"/attachments/{sha}?offset=0", "lisi", content=data[:CHUNK]).status_code == 200
    )
    prune(server.engine)  # both still sending: nothing goes
    with server.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(upload_staging)).scalar() == 1
        old = timeutil.iso(timeutil.now() - timedelta(days=30))
        conn.execute(update(upload_owners).values(updated_at=old))
    prune(server.engine)
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(upload_staging)).scalar() == 0
    # Zhangsan's own upload is untouched and finishes.
    rest = server.request("PUT", f"/attachments/{sha}?offset={CHUNK}", "zhangsan", content=data[CHUNK:])
    assert rest.status_code == 200
    done = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": 2 * CHUNK})
    assert done.status_code == 201


@BACKENDS
def test_bytes_sent_beside_someone_elses_upload_count_against_the_quota(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.add_user("mallory", "commissioner")
    server.client.app.state.upload_quota = 3 * CHUNK
    data = os.urandom(8 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    assert server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=b"z").status_code == 200
    answers = [
        server.request(
            "PUT", f"/attachments/{sha}?offset={o}", "mallory", content=data[o : o + CHUNK]
        ).status_code
        for o in range(0, 5 * CHUNK, CHUNK)
    ]
    assert answers[:3] == [200, 200, 200] and 413 in answers[3:]


@BACKENDS
def test_unreferenced_uploads_are_bounded_per_user(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.client.app.state.upload_quota = 3 * CHUNK
    assert upload(server, "zhangsan", os.urandom(2 * CHUNK)).status_code == 201
    data = os.urandom(2 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    ok = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:CHUNK])
    assert ok.status_code == 200
    over = server.request("PUT", f"/attachments/{sha}?offset={CHUNK}", "zhangsan", content=data[CHUNK:])
    assert over.status_code == 413
    body = over.json()
    assert body["error"] == "upload_quota" and "配额" in body["message_zh"] and "quota" in body["message_en"]
    # Others are not affected by one user's quota.
    server.add_user("lisi", "commissioner")
    assert upload(server, "lisi", os.urandom(CHUNK)).status_code == 201


@BACKENDS
def test_prune_removes_finished_uploads_no_record_refers_to(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    kept, dropped = os.urandom(CHUNK), os.urandom(CHUNK)
    assert upload(server, "zhangsan", kept).status_code == 201
    assert upload(server, "zhangsan", dropped).status_code == 201
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(zhang))])
    server.push_ok("zhangsan", [attachment(vid, hashlib.sha256(kept).hexdigest(), CHUNK)])
    old = timeutil.iso(timeutil.now() - timedelta(days=30))
    with server.engine.begin() as conn:
        conn.execute(update(uploads).values(created_at=old, updated_at=old))
    prune(server.engine)
    with server.engine.connect() as conn:
        left = set(conn.execute(select(uploads.c.sha256)).scalars())
    assert left == {hashlib.sha256(kept).hexdigest()}
    assert (
        server.request("GET", f"/attachments/{hashlib.sha256(kept).hexdigest()}", "zhangsan").content == kept
    )


# --- 6. no 500s ------------------------------------------------------------------------------------


@BACKENDS
def test_a_lone_surrogate_in_a_field_is_refused_with_a_message(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    body = json.dumps(
        {
            "batch_id": "b-1",
            "device_id": "d",
            "client_time": "",
            "changes": [change("visits", new_id(), visit_fields(cid, content="x"))],
        }
    ).replace('"content": "x"', '"content": "\\ud800"')
    answer = server.request(
        "POST", "/sync/push", "zhangsan", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["message_zh"] and answer.json()["message_en"]
    login = server.client.post(
        f"{API_PREFIX}/auth/login",
        headers={PROTOCOL_HEADER: "1", "Content-Type": "application/json"},
        content=b'{"username": "a\\udc00", "password": "x"}',
    )
    assert 400 <= login.status_code < 500, login.text


@BACKENDS
def test_a_nul_or_an_escaped_lone_surrogate_in_a_records_values_is_refused_not_stored(server: Server) -> None:
    """A NUL in a target's name was stored, and on PostgreSQL every later push of that group naming
    a credit code failed (500) on it; a lone surrogate escaped inside a JSON-text field passed the
    body's check and failed later (500), or was stored and sent to teammates."""
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    target = {"name": "毒\x00合作社", "type": "enterprise", "county": "新会区"}
    bad = [
        change("service_targets", new_id(), target),
        change("visits", new_id(), visit_fields(cid, content="内容\x00内容")),
        change("visits", new_id(), visit_fields(cid, service_types='["\\ud800"]')),
        change("visits", new_id(), visit_fields(cid, service_types='["guid\\u0000ance"]')),
        change("visits", new_id(), visit_fields(cid, service_types=["guid\x00ance"])),
        change("commissioners", cid, {"name": "张三", "industries": '["\\udc00"]'}),
    ]
    results = server.push_ok("zhangsan", bad)
    assert [r["status"] for r in results] == ["rejected"] * len(bad), results
    for r in results:
        assert r["reason_zh"] and r["reason_en"]
    assert "NUL" in results[0]["reason_en"] and "空字符" in results[0]["reason_zh"]
    # The group's pushes go on: a teammate's target with a credit code is taken.
    code = make_credit_code("91440705", "MA4UQ7K2")
    named = {"name": "新会陈皮合作社", "type": "enterprise", "county": "新会区", "credit_code": code}
    [ok] = server.push_ok("lisi", [change("service_targets", new_id(), named)])
    assert ok["status"] == "accepted", ok


@BACKENDS
def test_nul_bytes_in_names_and_paths_are_refused_with_a_message(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    assert 400 <= server.login("zhang\x00san").status_code < 500
    login = server.client.post(
        f"{API_PREFIX}/auth/login",
        headers=server.proto(),
        json={"username": "zhangsan", "password": PASSWORD, "device_id": "d\x00"},
    )
    assert 400 <= login.status_code < 500, login.text
    for key in ("batch_id", "device_id", "client_time"):
        body = {"batch_id": "b-2", "device_id": "d", "client_time": "", "changes": []}
        body[key] = "x\x00y"
        answer = server.request("POST", "/sync/push", "zhangsan", json=body)
        assert 400 <= answer.status_code < 500, (key, answer.text)
    vid = new_id()
    server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    for path in (f"/records/visits/{vid}%00/history", f"/records/vis%00its/{vid}/history"):
        answer = server.request("GET", path, "zhangsan")
        assert 400 <= answer.status_code < 500, (path, answer.text)


@pytest.mark.postgres
@pytest.mark.parametrize("engine_factory", ["postgres"], indirect=True)
def test_a_chunk_racing_the_discard_of_its_upload_gets_a_clean_answer(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    data = os.urandom(CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:100])
    # Another process holds the upload (as a completion that finds a bad hash does) and discards it
    # while this chunk waits for the lock.
    blocker = server.engine.connect()
    tx = blocker.begin()
    blocker.execute(select(uploads).where(uploads.c.sha256 == sha).with_for_update())
    answers: list[Any] = []
    worker = threading.Thread(
        target=lambda: answers.append(
            server.request("PUT", f"/attachments/{sha}?offset=100", "zhangsan", content=data[100:])
        )
    )
    worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the chunk waits on the row lock
        with server.engine.connect() as conn:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar_one()
        if waiting:
            break
        time.sleep(0.05)
    blocker.execute(text("DELETE FROM upload_chunks WHERE sha256 = :s"), {"s": sha})
    blocker.execute(text("DELETE FROM uploads WHERE sha256 = :s"), {"s": sha})
    tx.commit()
    blocker.close()
    worker.join(60)
    [answer] = answers
    # The upload starts afresh: the chunk is told to resume at byte 0 (or waits for a busy upload).
    assert answer.status_code in (409, 423), answer.text
    assert answer.json()["message_zh"] and answer.json()["message_en"]


@BACKENDS
def test_a_client_that_disconnects_mid_body_is_not_logged_as_a_server_error(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.add_user("zhangsan", "commissioner")
    token = server.token("zhangsan")
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return {"type": "http.request", "body": b'{"batch_id":', "more_body": True}
        return {"type": "http.disconnect"}

    async def send(_message: dict[str, Any]) -> None:
        pass

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"{API_PREFIX}/sync/push",
        "raw_path": b"",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (PROTOCOL_HEADER.lower().encode(), b"1"),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("10.6.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    caplog.clear()  # (the login's own access line, when another test left the level at INFO)
    with caplog.at_level(logging.INFO, logger="sync.server.access"):
        asyncio.run(server.client.app(scope, receive, send))
    [entry] = [r for r in caplog.records if r.name == "sync.server.access"]
    assert entry.status == 499  # type: ignore[attr-defined]


# --- 7. records may not point at other people's records -------------------------------------------


@BACKENDS
def test_records_cannot_point_at_other_peoples_records(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    mallory = server.add_user("mallory", "commissioner")
    server.add_user("boss", "bureau")
    vid, pid = new_id(), new_id()
    server.push_ok(
        "zhangsan",
        [
            change("visits", vid, visit_fields(zhang)),
            change("problems", pid, {"commissioner_id": zhang, "visit_id": vid, "title": "黄龙病"}),
        ],
    )
    mine = new_id()
    server.push_ok("mallory", [change("visits", mine, visit_fields(mallory))])
    did = new_id()
    server.push_ok("boss", [change("demands", did, {"title": "需求", "description": "说明"})])
    results = server.push_ok(
        "mallory",
        [
            change(
                "attachments",
                new_id(),
                {"sha256": "d" * 64, "owner_table": "visits", "owner_id": vid, "size": 1},
            ),
            change("problems", new_id(), {"commissioner_id": mallory, "visit_id": vid, "title": "t"}),
            change("solutions", new_id(), {"commissioner_id": mallory, "problem_id": pid, "visit_id": mine}),
            change("demands", did, {"taken_by": mallory, "status": "taken", "problem_id": pid}, 1),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 4, results
    # Pointing at one's own records (or at ones not pushed yet) is fine.
    own = server.push_ok(
        "mallory",
        [
            change("problems", new_id(), {"commissioner_id": mallory, "visit_id": mine, "title": "t"}),
            change(
                "attachments",
                new_id(),
                {"sha256": "d" * 64, "owner_table": "visits", "owner_id": mine, "size": 1},
            ),
            change("problems", new_id(), {"commissioner_id": mallory, "visit_id": new_id(), "title": "t"}),
        ],
    )
    assert [r["status"] for r in own] == ["accepted"] * 3, own


@BACKENDS
def test_an_attachment_must_belong_to_a_kind_of_record_that_takes_files(server: Server) -> None:
    server.add_user("mallory", "commissioner")

    def attached_to(owner_table: str, owner_id: str = "x") -> dict[str, Any]:
        fields = {"sha256": "d" * 64, "owner_table": owner_table, "owner_id": owner_id, "size": 1}
        return change("attachments", new_id(), fields)

    nowhere = ["../../etc", "", "commissioners", "reference", "service_targets", "attachments"]
    results = server.push_ok("mallory", [attached_to(table) for table in nowhere])
    for result in results:
        assert result["status"] == "rejected", results
        assert result["reason_zh"].startswith("字段 owner_table：")
        assert result["reason_en"].startswith("field owner_table:")
    assert [c for c in server.pull_all("mallory")[0] if c["table"] == "attachments"] == []
    # What the application attaches files to: a visit (photos, the signed sheet), a service
    # agreement (the signed copy), an achievement and a project milestone (evidence).
    used = ["visits", "service_agreements", "achievements", "project_milestones"]
    kept = [attached_to(table, new_id()) for table in used]
    accepted = server.push_ok("mallory", kept)
    assert [r["status"] for r in accepted] == ["accepted"] * len(used), accepted
    # One stored before this check (made so here) can no longer be edited, but can be deleted.
    stray = kept[0]
    with server.engine.begin() as conn:
        conn.execute(
            update(records)
            .where(records.c.table_name == "attachments", records.c.id == stray["id"])
            .values(fields=json.dumps({**stray["fields"], "owner_table": "../../etc"}))
        )
    edit = change("attachments", stray["id"], {"original_name": "a.jpg"}, base_rev=1)
    [refused] = server.push_ok("mallory", [edit])
    assert refused["status"] == "rejected" and "owner_table" in refused["reason_zh"]
    [gone] = server.push_ok("mallory", [change("attachments", stray["id"], {}, base_rev=1, deleted=True)])
    assert gone["status"] == "accepted", gone


@BACKENDS
def test_a_reviewer_cannot_backdate_a_review(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    vid = new_id()
    [v] = server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    rid = new_id()
    review = {"record_id": vid, "record_rev": v["rev"], "decision": "approved", "reviewed_at": "2020-01-01"}
    [r] = server.push_ok("manager", [change("reviews", rid, review)])
    assert r["status"] == "accepted"
    pulled, _ = server.pull_all("manager")
    [stored] = [c for c in pulled if c["id"] == rid]
    assert stored["fields"]["reviewed_at"] > timeutil.iso(timeutil.now() - timedelta(minutes=5))
    # Nor by editing it later.
    [r2] = server.push_ok("manager", [change("reviews", rid, {"reviewed_at": "2020-01-01"}, r["rev"])])
    pulled, _ = server.pull_all("manager")
    [stored] = [c for c in pulled if c["id"] == rid]
    assert stored["fields"]["reviewed_at"] > "2021"


# --- 8. a full disk answers 507 --------------------------------------------------------------------


def test_a_full_server_disk_answers_507_with_a_message(tmp_path: Path) -> None:
    app = create_app(data_dir=tmp_path)
    engine = app.state.engine
    with TestClient(app, raise_server_exceptions=False) as client:
        server = Server(engine, client)
        cid = server.add_user("zhangsan", "commissioner")
        server.token("zhangsan")
        with engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

        @event.listens_for(engine, "connect")
        def _small(dbapi: Any, _record: Any) -> None:
            dbapi.execute(f"PRAGMA max_page_count = {pages + 2}")

        engine.dispose()
        big = [change("visits", new_id(), visit_fields(cid, content="记录" * 20_000)) for _ in range(20)]
        answer = server.push("zhangsan", big)
    assert answer.status_code == 507, answer.text
    body = answer.json()
    assert body["error"] == "storage_full" and "空间" in body["message_zh"] and "space" in body["message_en"]


# --- 9. logs ---------------------------------------------------------------------------------------


@BACKENDS
def test_logs_name_the_client_address_and_never_what_was_typed_at_login(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.add_user("zhangsan", "commissioner")
    typed = "MySecretPassw0rd-typed-as-a-name"
    with caplog.at_level(logging.INFO):
        login_at(client_at(server, "10.9.0.7"), typed, "hunter2-the-password")
        login_at(client_at(server, "10.9.0.7"), "zhangsan", "hunter2-the-password")
    text_logged = "\n".join(json.dumps(vars(r), default=str, ensure_ascii=False) for r in caplog.records)
    assert typed not in text_logged and "hunter2" not in text_logged
    access = [r for r in caplog.records if r.name == "sync.server.access"]
    assert access and all(r.client == "10.9.0.7" for r in access)  # type: ignore[attr-defined]


@BACKENDS
def test_prune_forgets_old_login_attempts(server: Server) -> None:
    for i in range(5):
        server.login(f"nobody-{i}", "x")
    old = timeutil.iso(timeutil.now() - timedelta(days=3))
    with server.engine.begin() as conn:
        conn.execute(update(login_attempts).values(last_failure_at=old, locked_until=None))
    prune(server.engine)
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(login_attempts)).scalar_one() == 0


# --- 10. defaults ----------------------------------------------------------------------------------


@BACKENDS
def test_every_answer_carries_security_headers(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    answers = [
        server.login("zhangsan"),
        server.request("GET", "/me", "zhangsan"),
        server.request("GET", "/me", None),
        server.client.get(f"{API_PREFIX}/openapi.json"),
    ]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in answer.headers  # plain HTTP: no HSTS
    secure = TestClient(server.client.app, base_url="https://testserver")
    answer = secure.get(f"{API_PREFIX}/health")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


@BACKENDS
def test_the_docs_page_loads_nothing_from_outside(server: Server) -> None:
    docs = server.client.get(f"{API_PREFIX}/docs")
    assert docs.status_code == 404 or ("cdn" not in docs.text and "https://" not in docs.text)
    assert server.client.get(f"{API_PREFIX}/openapi.json").status_code == 200


def test_the_server_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    app = create_app(data_dir=tmp_path)
    with TestClient(app) as client:
        Server(app.state.engine, client).add_user("zhangsan", "commissioner")
    for name in ("server.db", "server.db-wal", "server.db-shm"):
        path = tmp_path / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, (name, oct(path.stat().st_mode))
    assert (tmp_path / "server.db").exists()


@BACKENDS
def test_a_commissioner_id_is_given_to_one_account_only(server: Server) -> None:
    auth.add_user(server.engine, "zhangsan", PASSWORD, "commissioner", commissioner_id="c-1")
    with pytest.raises(auth.UserAdminError, match="c-1"):
        auth.add_user(server.engine, "lisi", PASSWORD, "commissioner", commissioner_id="c-1")
    assert [u["username"] for u in auth.list_users(server.engine)] == ["zhangsan"]
