"""ASGI middleware: access log, security headers, protocol version check, authentication before
any body is read, body size limits and gzip request bodies.

Pure ASGI (not BaseHTTPMiddleware) so that streamed downloads stay streamed.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
import zlib
from typing import Any

import orjson
from anyio import to_thread

from sync.protocol import API_PREFIX, MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server import confirm
from sync.server.errors import ApiError, too_large

log = logging.getLogger("sync.server.access")

MAX_JSON_BODY = 32 * 1024 * 1024
MAX_CHUNK_BODY = 4 * 1024 * 1024
MAX_LOGIN_BODY = 16 * 1024  # a name, a password and a device id
# Outside the API only the served party's confirmation form takes a body, and anyone may send one.
MAX_PUBLIC_BODY = confirm.MAX_BODY
CONFIRM_PREFIX = "/c/"
# Paths anyone may fetch without the protocol header (the description of the API itself).
OPEN_PATHS = (f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs", f"{API_PREFIX}/health")
LOGIN_PATH = f"{API_PREFIX}/auth/login"
# Logins without a token: the login itself, and replacing a one-time code (sync/server/admin.py).
LOGIN_PATHS = (LOGIN_PATH, f"{API_PREFIX}/auth/change-password")
# A JSON escape of a UTF-16 surrogate: legal in pairs (an emoji), not alone. Python's parser
# accepts a lone one and the text then cannot be stored; orjson refuses it, so it checks these.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
DISCONNECTED = 499  # the status logged when the client went away before an answer (as nginx does)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
CSP = b"content-security-policy"
REPLACED = {name for name, _ in SECURITY_HEADERS} | {HSTS[0]}

Scope = dict[str, Any]


async def send_error(send: Any, error: ApiError) -> None:
    body = json.dumps(error.body(), ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """One log line per request (with the client's address), and the security headers on every answer.

    HSTS is sent when the request came over HTTPS: directly, or through a reverse proxy that uvicorn
    trusts (--forwarded-allow-ips) and that says so in X-Forwarded-Proto."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0}
        state = scope.setdefault("state", {})
        state["request_id"] = uuid.uuid4().hex[:12]
        secure = scope.get("scheme") == "https"

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                given = message.get("headers", [])
                # A page that states its own (stricter than nothing) policy keeps it: the served
                # party's confirmation page needs its inline style (sync/server/confirm.py).
                own_csp = [(k, v) for k, v in given if k.lower() == CSP]
                headers = [(k, v) for k, v in given if k.lower() not in REPLACED]
                headers += [h for h in SECURITY_HEADERS if not (own_csp and h[0] == CSP)] + own_csp
                if secure:
                    headers.append(HSTS)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            code = status["code"] or (DISCONNECTED if state.get("disconnected") else 500)
            client = scope.get("client")
            log.info(
                "request",
                extra={
                    "request_id": state.get("request_id"),
                    "method": scope["method"],
                    "path": scope["path"][:300],
                    "status": code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": state.get("username"),
                    "client": client[0] if client else None,
                },
            )


class RequestGuard:
    """Refuses before the app reads anything: wrong protocol (426), no valid token (401), too large
    (413), bad gzip (400). Nothing of a body is read, inflated or parsed before its sender is known
    (only the login's small body, and outside the API the confirmation form's, are read without a
    token)."""

    def __init__(self, app: Any, engine: Any = None) -> None:
        self.app = app
        self.engine = engine

    async def _authenticate(self, scope: Scope, headers: dict[str, str]) -> ApiError | None:
        from sync.server import auth

        try:
            user, digest = await to_thread.run_sync(
                auth.authenticate, self.engine, headers.get("authorization")
            )
        except ApiError as exc:
            return exc
        state = scope.setdefault("state", {})
        state["auth"] = (user, digest)
        state["username"] = user.username
        return None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        if path.startswith(API_PREFIX) and not path.startswith(OPEN_PATHS):
            problem = protocol_problem(headers.get(PROTOCOL_HEADER.lower()))
            if problem:
                await send_error(send, problem)
                return
        if (
            scope["method"] in ("POST", "PUT", "PATCH")
            and path.startswith(API_PREFIX)
            and path not in LOGIN_PATHS
        ):
            refused = await self._authenticate(scope, headers)
            if refused:
                await send_error(send, refused)
                return
        limit = MAX_CHUNK_BODY if scope["method"] == "PUT" else MAX_JSON_BODY
        if path in LOGIN_PATHS:
            limit = MAX_LOGIN_BODY
        elif not path.startswith(API_PREFIX):
            limit = MAX_PUBLIC_BODY

        async def refuse_too_large() -> None:
            if path.startswith(CONFIRM_PREFIX):  # a phone's browser: the page says it, in Chinese
                await confirm.too_large_page()(scope, receive, send)
            else:
                await send_error(send, too_large(limit))

        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await refuse_too_large()
            return
        if declared is not None and not declared.isdigit():
            await send_error(
                send, ApiError(400, "bad_request", "Content-Length 无效", "invalid Content-Length")
            )
            return
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip"):
            await send_error(
                send,
                ApiError(
                    415,
                    "unsupported_encoding",
                    "不支持的内容编码",
                    f"unsupported Content-Encoding {encoding!r}; use gzip",
                ),
            )
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # Read the whole body (bounded), so the limit also holds for chunked bodies and for what
        # a gzip body expands to.
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                scope.setdefault("state", {})["disconnected"] = True
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await refuse_too_large()
                return
            if not message.get("more_body"):
                break
        if encoding == "gzip":
            try:
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                data = inflater.decompress(bytes(body), limit + 1)
                if len(data) > limit or inflater.unconsumed_tail:
                    await refuse_too_large()
                    return
                if not inflater.eof:
                    raise zlib.error("truncated")
                if inflater.unused_data:
                    raise zlib.error("data after the compressed body")  # not silently dropped
            except zlib.error:
                await send_error(
                    send,
                    ApiError(
                        400,
                        "bad_gzip",
                        "gzip 压缩内容已损坏",
                        "the gzip request body is corrupt or truncated",
                    ),
                )
                return
            body = bytearray(data)
        if scope["method"] != "PUT" and SURROGATE_ESCAPE.search(body):
            try:
                orjson.loads(bytes(body))
            except orjson.JSONDecodeError:
                await send_error(
                    send,
                    ApiError(
                        400,
                        "invalid_text",
                        "请求中有无效的文本（不成对的 Unicode 代理字符）或 JSON 格式错误",
                        "the request holds invalid text (an unpaired Unicode surrogate) or is not valid JSON",
                    ),
                )
                return
        new_headers = [
            (k, v)
            for k, v in scope["headers"]
            if k.lower() not in (b"content-length", b"content-encoding", b"transfer-encoding")
        ]
        new_headers.append((b"content-length", str(len(body)).encode()))
        scope = {**scope, "headers": new_headers}
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def protocol_problem(value: str | None) -> ApiError | None:
    if value is None:
        return ApiError(
            400,
            "protocol_version_missing",
            f"请求缺少 {PROTOCOL_HEADER} 头",
            f"the request lacks the {PROTOCOL_HEADER} header",
        )
    try:
        version = int(value.strip())
    except ValueError:
        return ApiError(
            400,
            "protocol_version_invalid",
            f"{PROTOCOL_HEADER} 应为整数",
            f"{PROTOCOL_HEADER} must be an integer",
        )
    if version < MIN_PROTOCOL_VERSION:
        return ApiError(
            426,
            "protocol_too_old",
            "此版本的客户端太旧，请更新到最新版本后再同步",
            "this version of the app is too old for the server; please update it, then sync",
            extra={"min_version": MIN_PROTOCOL_VERSION, "max_version": PROTOCOL_VERSION},
        )
    if version > PROTOCOL_VERSION:
        return ApiError(
            400,
            "protocol_too_new",
            "服务器版本比客户端旧，请联系管理员更新服务器",
            "the server is older than this app; ask the administrator to update it",
            extra={"min_version": MIN_PROTOCOL_VERSION, "max_version": PROTOCOL_VERSION},
        )
    return None
