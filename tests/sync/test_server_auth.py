"""Authentication and authorisation of every endpoint of the central store."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sync.protocol import PROTOCOL_HEADER
from sync.server import auth, timeutil
from sync.server.app import create_app
from sync.server.tables import login_attempts, tokens, users
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

SHA = "a" * 64
# Every endpoint that needs a token, with a harmless body.
PROTECTED = [
    ("POST", "/auth/logout", None),
    ("GET", "/me", None),
    ("POST", "/sync/push", {"batch_id": "b1", "device_id": "d", "client_time": "", "changes": []}),
    ("GET", "/sync/pull?since=0", None),
    ("GET", "/records/visits/x/history", None),
    ("GET", f"/attachments/{SHA}", None),
    ("GET", f"/attachments/{SHA}/status", None),
    ("PUT", f"/attachments/{SHA}?offset=0", b"abc"),
    ("POST", f"/attachments/{SHA}/complete", {"size": 3}),
    ("POST", "/previews", {"hashes": [SHA]}),
]


def _call(server: Server, method: str, path: str, body: object, headers: dict[str, str]) -> object:
    if isinstance(body, bytes):
        return server.request(method, path, None, content=body, headers=headers)
    return (
        server.request(method, path, None, json=body, headers=headers)
        if body is not None
        else server.request(method, path, None, headers=headers)
    )


@BACKENDS
def test_login_returns_a_token_that_identifies_the_user(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    answer = server.login("zhangsan")
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"]["commissioner_id"] == cid and body["user"]["role"] == "commissioner"
    assert timeutil.parse(body["expires_at"]) > timeutil.now() + timedelta(days=1)
    me = server.request("GET", "/me", None, headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "zhangsan"
    # Only the token's hash is stored.
    with server.engine.connect() as conn:
        stored = [r.token_hash for r in conn.execute(select(tokens.c.token_hash))]
    assert body["token"] not in stored and auth.token_hash(body["token"]) in stored


@BACKENDS
@pytest.mark.parametrize("method,path,body", PROTECTED)
def test_every_endpoint_refuses_missing_expired_tampered_and_revoked_tokens(
    server: Server, method: str, path: str, body: object
) -> None:
    server.add_user("zhangsan", "commissioner")
    good = server.token("zhangsan")
    tampered = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    for headers in (
        {},
        {"Authorization": "Bearer " + tampered},
        {"Authorization": "Basic " + good},
        {"Authorization": "Bearer "},
    ):
        answer = _call(server, method, path, body, headers)
        assert answer.status_code == 401, (headers, answer.text)
        assert answer.json()["error"] == "auth_required"
    # Expired.
    with server.engine.begin() as conn:
        conn.execute(update(tokens).values(expires_at=timeutil.iso(timeutil.now() - timedelta(seconds=1))))
    answer = _call(server, method, path, body, {"Authorization": "Bearer " + good})
    assert answer.status_code == 401 and answer.json()["error"] == "auth_required"


@BACKENDS
def test_logout_revokes_the_token(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    assert server.request("POST", "/auth/logout", "zhangsan").status_code == 204
    assert server.request("GET", "/me", "zhangsan").status_code == 401


@BACKENDS
def test_a_disabled_user_loses_their_sessions_and_cannot_log_in(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    assert server.request("GET", "/me", "zhangsan").status_code == 200
    auth.disable_user(server.engine, "zhangsan")
    assert server.request("GET", "/me", "zhangsan").status_code == 401
    assert server.login("zhangsan").status_code == 401
    auth.enable_user(server.engine, "zhangsan")
    assert server.login("zhangsan").status_code == 200


@BACKENDS
def test_a_password_reset_ends_old_sessions(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.token("zhangsan")
    auth.reset_password(server.engine, "zhangsan", "a brand new secret")
    assert server.request("GET", "/me", "zhangsan").status_code == 401
    assert server.login("zhangsan").status_code == 401
    assert server.login("zhangsan", "a brand new secret").status_code == 200


@BACKENDS
def test_repeated_failed_logins_are_slowed_down_with_state_in_the_database(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    for _ in range(auth.FREE_FAILURES - 1):
        assert server.login("zhangsan", "wrong password").status_code == 401
    # The next failure starts the lock; then even the right password waits.
    assert server.login("zhangsan", "wrong password").status_code == 401
    locked = server.login("zhangsan")
    assert locked.status_code == 429
    assert locked.json()["error"] == "too_many_attempts" and int(locked.headers["Retry-After"]) >= 1
    # Another server process (a new app on the same database) sees the same lock. (Held for a
    # minute: on a busy machine the lock's first 2 s passed while the second app was built.)
    with server.engine.begin() as conn:
        later = timeutil.iso(timeutil.now() + timedelta(seconds=60))
        conn.execute(
            update(login_attempts).where(login_attempts.c.locked_until.isnot(None)).values(locked_until=later)
        )
    with TestClient(create_app(engine=server.engine, run_migrations=False)) as other:
        answer = other.post(
            "/api/v1/auth/login",
            headers={PROTOCOL_HEADER: "1"},
            json={"username": "zhangsan", "password": PASSWORD},
        )
        assert answer.status_code == 429
    # Once the lock has passed, the right password works and resets the count.
    with server.engine.begin() as conn:
        conn.execute(update(login_attempts).values(locked_until=timeutil.iso(timeutil.now())))
    assert server.login("zhangsan").status_code == 200
    with server.engine.connect() as conn:
        pair = login_attempts.c.username == "zhangsan", login_attempts.c.address == "testclient"
        assert conn.execute(select(login_attempts.c.failures).where(*pair)).scalar() == 0


@BACKENDS
def test_unknown_users_are_throttled_like_known_ones(server: Server) -> None:
    answers = [server.login("nobody", "x").status_code for _ in range(auth.FREE_FAILURES + 1)]
    assert answers[:-1] == [401] * auth.FREE_FAILURES and answers[-1] == 429


@BACKENDS
def test_protocol_version_is_checked_on_every_request(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    token = server.token("zhangsan")
    base = {"Authorization": f"Bearer {token}"}
    old = server.client.get("/api/v1/me", headers={**base, PROTOCOL_HEADER: "0"})
    assert old.status_code == 426 and old.json()["error"] == "protocol_too_old"
    assert "更新" in old.json()["message_zh"]
    assert server.client.get("/api/v1/me", headers=base).json()["error"] == "protocol_version_missing"
    assert server.client.get("/api/v1/me", headers={**base, PROTOCOL_HEADER: "x"}).status_code == 400
    assert (
        server.client.get("/api/v1/me", headers={**base, PROTOCOL_HEADER: "99"}).json()["error"]
        == "protocol_too_new"
    )
    assert server.client.get("/api/v1/openapi.json").status_code == 200


@BACKENDS
def test_role_checks_refuse_writes_outside_the_role(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("boss", "bureau")
    results = server.push_ok(
        "zhangsan",
        [
            change("teams", new_id(), {"name": "自封的团"}),
            change("reference", "county", {"version": "x", "items": []}),
            change("reviews", new_id(), {"record_id": new_id(), "decision": "approved"}),
            change("no_such_table", new_id(), {}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert all(r["reason_zh"] and r["reason_en"] for r in results)
    # The bureau does not write commissioners' visits.
    [r] = server.push_ok("boss", [change("visits", new_id(), visit_fields(cid))])
    assert r["status"] == "rejected"
    pulled, _ = server.pull_all("boss")
    assert pulled == []


@BACKENDS
def test_users_table_keeps_only_argon2_hashes(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    with server.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar()
    assert stored.startswith("$argon2") and PASSWORD not in stored


@BACKENDS
def test_a_burst_of_parallel_guesses_meets_the_lock_too(server: Server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sync.server.errors import ApiError

    server.add_user("zhangsan", "commissioner")

    def guess(n: int) -> int:
        try:
            auth.login(server.engine, "zhangsan", f"guess {n}", "d")
            return 200
        except ApiError as exc:
            return exc.status

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(guess, range(16)))
    assert answers.count(401) == auth.FREE_FAILURES and answers.count(429) == 16 - auth.FREE_FAILURES


@BACKENDS
def test_a_room_of_people_logging_in_at_once_from_one_address_all_get_in(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A training session: fifteen commissioners behind one address (the county office's network)
    log in at the same moment, each with the right password, reaching a server of several
    processes. Every attempt was counted as a failure of the address before its password was
    checked, so the eleventh found the address locked and was told "too many failed logins"."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sync.server.errors import ApiError

    people = [f"trainee{i}" for i in range(15)]
    for name in people:
        server.add_user(name, "commissioner")
    # Four server processes' worth of logins at once; each check waits until all have begun.
    monkeypatch.setattr(auth, "_login_slots", threading.BoundedSemaphore(40))
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(40))
    everyone_in = threading.Barrier(len(people))
    verify = auth._verify

    def checked_together(password_hash: str, password: str) -> bool:
        with contextlib.suppress(threading.BrokenBarrierError):
            everyone_in.wait(timeout=5)
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", checked_together)

    def log_in(name: str) -> int:
        try:
            auth.login(server.engine, name, PASSWORD, "d", address="10.9.0.1")
            return 200
        except ApiError as exc:
            return exc.status

    with ThreadPoolExecutor(len(people)) as pool:
        answers = list(pool.map(log_in, people))
    assert answers == [200] * len(people)
    monkeypatch.setattr(auth, "_verify", verify)
    # Guesses from that address are still limited: made-up names are locked out after the free ones.
    guesses = [log_in(f"made-up-{i}") for i in range(auth.ADDRESS_FREE_FAILURES + 1)]
    assert guesses[: auth.ADDRESS_FREE_FAILURES] == [401] * auth.ADDRESS_FREE_FAILURES
    assert guesses[-1] == 429


@BACKENDS
def test_guesses_sprayed_over_names_from_one_address_get_one_burst_then_one_per_lock(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One common password tried on many names from one address. Its failures are counted once they
    have failed (so that a room of people may log in at once): a burst of guesses in flight gets
    its checks, but once the address's free failures are spent, every attempt counts before its
    check again, and one attempt per lock gets through."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sync.server.errors import ApiError

    clock = [timeutil.now()]
    monkeypatch.setattr(timeutil, "now", lambda: clock[0])
    monkeypatch.setattr(auth, "_login_slots", threading.BoundedSemaphore(40))
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(40))
    checks: list[str] = []
    verify = auth._verify

    def counting(password_hash: str, password: str) -> bool:
        checks.append(password)
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting)

    def spray(name: str) -> int:
        try:
            auth.login(server.engine, name, "Summer2026!", "d", address="10.9.9.9")
            return 200
        except ApiError as exc:
            return exc.status

    with ThreadPoolExecutor(20) as pool:
        first = list(pool.map(spray, [f"sprayed-{i}" for i in range(20)]))
    assert set(first) <= {401, 429} and first.count(401) >= auth.ADDRESS_FREE_FAILURES
    burst = len(checks)
    assert spray("sprayed-after") == 429 and len(checks) == burst
    # The lock has passed: of the next burst, one attempt is checked and the rest wait for the next lock.
    clock[0] += timedelta(seconds=auth.MAX_LOCK + 1)
    with ThreadPoolExecutor(20) as pool:
        second = list(pool.map(spray, [f"sprayed-again-{i}" for i in range(20)]))
    assert len(checks) == burst + 1
    assert sorted(second) == [401] + [429] * 19


@BACKENDS
def test_a_login_that_succeeds_takes_back_the_lock_its_own_attempt_set(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At an address whose free failures are spent (typing mistakes over a day at one office), each
    attempt counts before its check and locks the address for the next one. A success took back
    the count but left its lock: the next person with the right password was refused for it (16 s
    after 12 failures, 15 minutes after 18)."""
    from sync.server.errors import ApiError

    clock = [timeutil.now()]
    monkeypatch.setattr(timeutil, "now", lambda: clock[0])
    for name in ("first", "second"):
        server.add_user(name, "commissioner")

    def log_in(name: str, password: str = PASSWORD) -> int:
        try:
            auth.login(server.engine, name, password, "d", address="10.8.0.1")
            return 200
        except ApiError as exc:
            return exc.status

    for i in range(auth.ADDRESS_FREE_FAILURES + 2):  # 12 failures, each after the lock before it
        assert log_in(f"typo-{i}", "wrong") == 401
        clock[0] += timedelta(seconds=auth.MAX_LOCK + 1)
    assert log_in("first") == 200
    assert log_in("second") == 200
    # The failures themselves are kept: a wrong password still meets the lock it sets.
    assert log_in("typo-again", "wrong") == 401 and log_in("typo-more", "wrong") == 429


@BACKENDS
def test_at_a_spent_address_a_login_in_flight_holds_the_next_one_briefly_not_for_the_whole_lock(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past an address's free failures each attempt locks the next one while its password is being
    checked. The lock written was the one a failure earns (15 minutes after 18 failures): a
    colleague logging in a moment after someone else at the same office was told to wait 15 minutes
    though the first check was over in a fraction of a second. While a check is under way the lock
    is a short hold, which the next login waits out; a failure then sets the whole lock, a success
    takes it back."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sync.server.errors import ApiError

    clock = [timeutil.now()]
    monkeypatch.setattr(timeutil, "now", lambda: clock[0])
    people = ("first", "second", "third", "fourth", "fifth")
    for name in people:
        server.add_user(name, "commissioner")
    monkeypatch.setattr(auth, "_login_slots", threading.BoundedSemaphore(40))
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(40))

    def log_in(name: str, password: str = PASSWORD) -> tuple[int, float]:
        try:
            auth.login(server.engine, name, password, "d", address="10.7.0.1")
            return 200, 0.0
        except ApiError as exc:
            return exc.status, float((exc.headers or {}).get("Retry-After", 0))

    for i in range(auth.ADDRESS_FREE_FAILURES + 8):  # 18 failures: the next failure earns 15 minutes
        assert log_in(f"typo-{i}", "wrong")[0] == 401
        clock[0] += timedelta(seconds=auth.MAX_LOCK + 1)
    verify = auth._verify
    checking, go_on = threading.Event(), threading.Event()

    def held(password_hash: str, password: str) -> bool:
        if password == PASSWORD and not go_on.is_set():
            checking.set()
            go_on.wait(timeout=10)
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", held)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(log_in, "first")
        assert checking.wait(timeout=10)
        second = pool.submit(log_in, "second")  # waits for the first's check
        threading.Timer(0.5, go_on.set).start()
        assert (first.result(timeout=10), second.result(timeout=10)) == ((200, 0.0), (200, 0.0))
    # A check that goes on longer than the wait: the next is told to try again in seconds.
    monkeypatch.setattr(auth, "HOLD_WAIT", 0.3)
    checking.clear()
    go_on.clear()
    with ThreadPoolExecutor(1) as pool:
        third = pool.submit(log_in, "third")
        assert checking.wait(timeout=10)
        status, retry_after = log_in("fourth")
        go_on.set()
        assert third.result(timeout=10) == (200, 0.0)
    assert status == 429 and 0 < retry_after <= auth.CHECK_HOLD, retry_after
    assert log_in("fourth") == (200, 0.0)  # the third is in: nothing holds the fourth now
    # A failure still earns the whole lock (for names not known at the address).
    assert log_in("typo-again", "wrong")[0] == 401
    status, retry_after = log_in("fifth")
    assert status == 429 and retry_after > auth.CHECK_HOLD, retry_after
    assert log_in("second") == (200, 0.0)  # (known there)
    clock[0] += timedelta(seconds=retry_after + 1)
    assert log_in("fifth") == (200, 0.0)


def test_login_says_whether_the_account_has_records_of_its_own(server: Server) -> None:
    """A client with records typed offline binds them to an account only when it has none yet."""
    cid = server.add_user("fresh", "commissioner")
    server.add_user("other", "commissioner")
    answer = server.login("fresh").json()
    assert answer["has_records"] is False
    # Another commissioner's records and the account's own profile do not count.
    server.push_ok(
        "other", [change("visits", new_id(), visit_fields(server.users["other"]["commissioner_id"]))]
    )
    server.push_ok("fresh", [change("commissioners", cid, {"name": "王芳"})])
    assert server.login("fresh").json()["has_records"] is False
    server.push_ok("fresh", [change("visits", new_id(), visit_fields(cid))])
    assert server.login("fresh").json()["has_records"] is True
    assert server.login("other").json()["has_records"] is True
    server.add_user("bureau", "bureau")
    assert server.login("bureau").json()["has_records"] is False


@BACKENDS
def test_a_login_not_sent_as_json_is_told_so_in_both_languages(server: Server) -> None:
    """A login form posted as text (a script's mistake) got "body: Input should be a valid dictionary"
    inside the Chinese message; a body that is not UTF-8 got only "请求无法处理"."""
    server.add_user("zhangsan", "commissioner")
    as_text = server.client.post(
        "/api/v1/auth/login",
        headers={PROTOCOL_HEADER: "1", "Content-Type": "text/plain"},
        content=b'{"username": "zhangsan", "password": "x"}',
    )
    assert as_text.status_code == 415, as_text.text
    assert as_text.json()["error"] == "unsupported_media_type" and "JSON" in as_text.json()["message_zh"]
    not_utf8 = server.client.post(
        "/api/v1/auth/login",
        headers={PROTOCOL_HEADER: "1", "Content-Type": "application/json"},
        content=b'{"username": "\xff\xfe", "password": "x"}',
    )
    assert 400 <= not_utf8.status_code < 500
    assert "UTF-8" in not_utf8.json()["message_zh"] and "UTF-8" in not_utf8.json()["message_en"]
    empty_name = server.client.post(
        "/api/v1/auth/login", headers={PROTOCOL_HEADER: "1"}, json={"username": "", "password": "x"}
    )
    assert empty_name.status_code == 422
    message = empty_name.json()["message_zh"]
    assert "username" in message and "过短" in message and "should" not in message


@BACKENDS
def test_a_user_name_with_a_space_is_refused_from_the_command_line_too(server: Server) -> None:
    with pytest.raises(auth.UserAdminError, match="spaces"):
        auth.add_user(server.engine, "张 三", PASSWORD, "commissioner", commissioner_id=new_id())
