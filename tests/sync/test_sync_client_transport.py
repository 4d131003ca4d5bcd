"""The client's transport rules, against a scripted local HTTP server: retries on network errors
only, never on a 4xx; typed errors with the server's reason; gzip bodies; version header; timeouts."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from sync import protocol
from sync.client import SyncClient
from sync.errors import (
    AuthExpiredError,
    OfflineError,
    ProtocolTooOldError,
    RefusedError,
    ServerError,
)


class Script:
    """What the fake server answers, in order; each item is (status, body) or "drop" or ("sleep", s)."""

    def __init__(self) -> None:
        self.answers: list[Any] = []
        self.seen: list[dict[str, Any]] = []


@pytest.fixture
def scripted() -> Iterator[tuple[Script, str]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            script.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
            answer = script.answers.pop(0) if script.answers else (200, {})
            if answer == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if isinstance(answer, tuple) and answer[0] == "sleep":
                import time

                time.sleep(answer[1])
                answer = (200, {})
            status, payload = answer
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield script, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client(url: str, **kw: Any) -> SyncClient:
    return SyncClient(url, "tok", device_id="dev-1", retries=kw.pop("retries", 3), backoff=0.01, **kw)


def test_a_4xx_is_never_retried_and_carries_the_servers_reason(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = [(422, {"error": "invalid", "message_zh": "字段有误", "message_en": "a field is wrong"})]
    with pytest.raises(RefusedError) as caught:
        client(url).pull(0)
    assert len(script.seen) == 1
    assert caught.value.reason.zh == "字段有误" and caught.value.reason.en == "a field is wrong"
    assert "字段有误" in caught.value.text("zh_CN") and "a field is wrong" in caught.value.text("en")


def test_network_errors_are_retried_until_an_answer_comes(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = [
        "drop",
        "drop",
        (200, {"changes": [], "next_since": 7, "has_more": False, "server_time": ""}),
    ]
    c = client(url)
    answer = c.pull(0)
    assert answer["next_since"] == 7
    assert len(script.seen) == 3 and c.requests_made == 3


def test_offline_after_the_retries_are_spent(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = ["drop"] * 10
    with pytest.raises(OfflineError):
        client(url, retries=2).pull(0)
    assert len(script.seen) == 3


def test_a_slow_server_times_out_as_offline(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = [("sleep", 1.0), ("sleep", 1.0)]
    with pytest.raises(OfflineError):
        client(url, retries=1, read_timeout=0.3).pull(0)


def test_protocol_too_old_says_please_update(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = [(426, {"error": "protocol_too_old", "message_zh": "请升级", "message_en": "update"})]
    with pytest.raises(ProtocolTooOldError) as caught:
        client(url).me()
    assert "更新" in caught.value.text("zh_CN") and "update" in caught.value.text("en")
    assert len(script.seen) == 1


def test_expired_login_and_server_failure_are_told_apart(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.answers = [
        (401, {"error": "auth_required", "message_zh": "x", "message_en": "x"}),
        (500, {"error": "internal", "message_zh": "x", "message_en": "x"}),
    ]
    with pytest.raises(AuthExpiredError):
        client(url).me()
    with pytest.raises(ServerError):
        client(url).me()
    assert len(script.seen) == 2  # a 500 is the server's own answer: not retried either


def _push_of_20(c: SyncClient) -> None:
    changes = [
        {"table": "visits", "id": str(i), "base_rev": 0, "deleted": False, "fields": {"content": "服务" * 50}}
        for i in range(20)
    ]
    c.push({"batch_id": "b", "device_id": "dev-1", "client_time": "", "changes": changes})  # type: ignore[typeddict-item]


def test_requests_carry_the_version_and_go_as_they_are_to_a_server_on_this_computer(
    scripted: tuple[Script, str],
) -> None:
    """No network between: compressing the body (or the answer) would only take the processor the
    server works on."""
    script, url = scripted
    script.answers = [(200, {"batch_id": "b", "results": [], "server_time": ""})]
    _push_of_20(client(url))
    seen = script.seen[0]
    assert seen["headers"][protocol.PROTOCOL_HEADER] == str(protocol.PROTOCOL_VERSION)
    assert "Content-Encoding" not in seen["headers"]
    assert seen["headers"]["Accept-Encoding"] == "identity"
    assert seen["headers"]["Authorization"] == "Bearer tok"
    assert len(json.loads(seen["body"])["changes"]) == 20


class _Recording(requests.adapters.BaseAdapter):
    """The requests a session would send to another computer, answered here."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        answer = requests.Response()
        answer.status_code, answer.url, answer.request = 200, str(request.url), request
        answer.headers["Content-Type"] = "application/json"
        answer._content = b'{"batch_id": "b", "results": [], "server_time": ""}'
        return answer

    def close(self) -> None:
        pass


def test_large_bodies_travel_gzipped_to_a_server_on_another_computer() -> None:
    adapter, session = _Recording(), requests.Session()
    session.mount("https://", adapter)
    _push_of_20(SyncClient("https://sync.example.cn", "tok", device_id="dev-1", session=session))
    sent = adapter.sent[0]
    assert sent.headers["Content-Encoding"] == "gzip" and sent.headers["Accept-Encoding"] == "gzip"
    assert sent.headers[protocol.PROTOCOL_HEADER] == str(protocol.PROTOCOL_VERSION)
    assert isinstance(sent.body, bytes)
    assert len(json.loads(gzip.decompress(sent.body))["changes"]) == 20
