"""What the running server (`commissioner-server serve`) answers to a request it cannot even parse:
the API's JSON error, in both languages, as for every other refusal; not uvicorn's line of text."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.sync.harness import Server


def raw_request(server: Server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Length: abc\r\n",
        b"Content-Length: 5\r\nContent-Length: 6\r\n",
        b"Bad Header\r\n",
    ],
)
def test_a_request_that_cannot_be_parsed_gets_the_api_error_in_both_languages(
    shared_server: Server, bad: bytes
) -> None:
    request = b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\n" + bad + b"\r\nhello"
    status, headers, body = raw_request(shared_server, request)
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    # The headers every answer carries (a browser must not frame, sniff or keep it).
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers
    error = json.loads(body)
    assert error["error"] == "bad_request"
    assert "请求" in error["message_zh"] and error["message_en"]
    # The server goes on serving.
    again = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, _headers, _body = raw_request(shared_server, again)
    assert status in (400, 401, 426)


def test_a_bad_chunk_after_an_answer_was_sent_closes_the_connection_quietly(shared_server: Server) -> None:
    """A push without a token is answered 401 before its body is read; a malformed chunk after that
    left a traceback in the log (one a stranger could repeat to fill it), not a closed connection."""
    import time

    before = shared_server.log_path.stat().st_size
    head = (
        b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nX-Protocol-Version: 1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", shared_server.port), timeout=10) as s:
        s.sendall(head)
        answer = s.recv(65536)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:100]
        s.sendall(b"zz\r\nnot a chunk\r\n")
        try:
            while s.recv(65536):
                pass
        except ConnectionResetError:
            pass
    time.sleep(0.5)
    with shared_server.log_path.open("rb") as log:
        log.seek(before)
        written = log.read().decode("utf-8", "replace")
    assert "Traceback" not in written and "LocalProtocolError" not in written, written[-2000:]


def test_a_connection_that_trickles_its_headers_or_sends_none_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slowloris: connections that never finish their headers were held open for good; 21,000 of
    them from two processes made the server unreachable. They now get HEADER_SECONDS (1 s here)."""
    import time

    from tests.sync import harness

    monkeypatch.setattr(
        harness, "SERVER_ENV", {**harness.SERVER_ENV, "COMMISSIONER_SERVER_HEADER_SECONDS": "1"}
    )
    server = Server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path).start()
    try:
        with (
            socket.create_connection(("127.0.0.1", server.port), timeout=10) as idle,
            socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow,
        ):
            slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            for s in (slow, idle):
                assert s.recv(100) == b""  # closed by the server
            assert time.monotonic() - started < 8
        status, _headers, _body = raw_request(
            server, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        assert status == 200  # a request sent whole is served as ever
    finally:
        server.stop()


def test_a_request_body_that_stops_coming_is_cut_and_one_that_trickles_on_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slowloris on the body: a login (no account needed) that announced 100 bytes and sent 10 held
    its connection open for good. A body that stops for BODY_IDLE_SECONDS (1 s here) is now cut, as
    a reverse proxy's client_body_timeout does; one that keeps coming, however slowly (a photo's
    chunk on a weak link), is read to its end."""
    import time

    from tests.sync import harness

    monkeypatch.setattr(
        harness, "SERVER_ENV", {**harness.SERVER_ENV, "COMMISSIONER_SERVER_BODY_IDLE_SECONDS": "1"}
    )
    server = Server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path).start()
    body = b'{"username": "wang", "password": "not the password", "device_id": "d-1"}'
    head = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    )
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as stalled:
            stalled.sendall(head + body[:10])
            started = time.monotonic()
            assert stalled.recv(100) == b""  # closed by the server, no answer
            assert time.monotonic() - started < 8
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as trickling:
            trickling.sendall(head)
            for i in range(0, len(body), 8):  # 8 bytes every 0.3 s: about 3 s in all
                time.sleep(0.3)
                trickling.sendall(body[i : i + 8])
            answer = trickling.recv(1000)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:200]  # read whole: the password is wrong
    finally:
        server.stop()
