"""The HTTP protocol `serve` runs: uvicorn's h11 implementation, except for its answer to a request
it cannot parse (a malformed header, a Content-Length that is not a number or is given twice):
the API's JSON error in both languages, as every other refusal, instead of a line of English text."""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.server.errors import ApiError
from sync.server.middleware import SECURITY_HEADERS

_MALFORMED = ApiError(
    400,
    "bad_request",
    "HTTP 请求格式错误（请求头无效），服务器无法读取",
    "the HTTP request is malformed (an invalid header): the server cannot read it",
)


class JsonErrorH11Protocol(H11Protocol):
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
