"""The HTTP protocol `serve` runs: uvicorn's h11 implementation, with two changes.

- A request it cannot parse (a malformed header, a Content-Length that is not a number or is given
  twice) gets the API's JSON error in both languages, as every other refusal, instead of a line of
  English text.
- A request's line and headers must arrive within HEADER_SECONDS of its first byte (or of the
  connection, for one that sends nothing): a connection that trickles its headers, or sends none,
  is closed, so that a stranger cannot hold thousands of them open (uvicorn has no such limit).
- A request's body may come slowly (a photo's chunk on a weak rural link takes minutes) but not
  stop: a connection whose body has sent nothing for BODY_IDLE_SECONDS is closed, as nginx's
  client_body_timeout closes it (a login's body needs no account, and one that announced its
  length and then stopped was held open for good). Time in which the server itself is not reading
  (uvicorn's flow control, while the app has not taken what came) does not count.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.server.errors import ApiError
from sync.server.middleware import SECURITY_HEADERS

log = logging.getLogger("sync.server.http")

HEADER_SECONDS = float(os.environ.get("COMMISSIONER_SERVER_HEADER_SECONDS", "30"))
BODY_IDLE_SECONDS = float(os.environ.get("COMMISSIONER_SERVER_BODY_IDLE_SECONDS", "120"))

_MALFORMED = ApiError(
    400,
    "bad_request",
    "HTTP 请求格式错误（请求头无效），服务器无法读取",
    "the HTTP request is malformed (an invalid header): the server cannot read it",
)


class JsonErrorH11Protocol(H11Protocol):
    _header_timer: asyncio.TimerHandle | None = None
    _body_timer: asyncio.TimerHandle | None = None
    _body_heard = 0.0  # the loop's time when the request's body last sent something

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state == h11.IDLE:
            self._await_headers()  # the first bytes of a request: its headers now have a deadline
        super().data_received(data)
        if self.conn.their_state != h11.IDLE:
            self._headers_in()
        if self.conn.their_state == h11.SEND_BODY:
            self._body_heard = self.loop.time()
            if self._body_timer is None:  # one timer, moved on when it fires (not one per chunk)
                self._body_timer = self.loop.call_later(BODY_IDLE_SECONDS, self._body_check)

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_in()
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        super().connection_lost(exc)

    def _body_check(self) -> None:
        self._body_timer = None
        if self.conn.their_state != h11.SEND_BODY or self.transport.is_closing():
            return  # the body came whole (or the connection is ending)
        now = self.loop.time()
        if self.flow.read_paused:
            self._body_heard = now  # the server is not reading: the silence is not the client's
        quiet = now - self._body_heard
        if quiet < BODY_IDLE_SECONDS:
            self._body_timer = self.loop.call_later(BODY_IDLE_SECONDS - quiet, self._body_check)
            return
        client = self.client[0] if self.client else None
        log.info(
            "closed: the request body sent nothing for %.0f s", BODY_IDLE_SECONDS, extra={"client": client}
        )
        self.transport.close()

    def _await_headers(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)

    def _headers_in(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state == h11.IDLE and not self.transport.is_closing():
            client = self.client[0] if self.client else None
            log.info("closed: no request headers within %.0f s", HEADER_SECONDS, extra={"client": client})
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            # An answer has begun (or been sent: a 401 before its body's bad chunk): nothing more
            # can be said on this connection but its end.
            self.transport.close()
            return
        body = json.dumps(_MALFORMED.body(), ensure_ascii=False).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *SECURITY_HEADERS,  # as every other answer carries them
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()
