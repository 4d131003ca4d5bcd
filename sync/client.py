"""HTTP client of the sync protocol v1 (see sync/protocol.py), on `requests`.

Every request has a timeout and carries the protocol version. Bodies over a few hundred bytes are
sent gzip-compressed. Network failures (refused or cut connections, timeouts, a truncated answer,
a gateway's 502/503/504) are retried with exponential backoff; an answer of the server itself is
never retried, and a 4xx never: it is turned into a typed error (sync/errors.py). Retrying a push
is safe because a batch carries an idempotency key; a pull is a read; an attachment chunk must
start at the server's offset, so a retried chunk is answered 409 with the right offset.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import logging
import random
import socket
import ssl
import threading
import weakref
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from commissioner_app.i18n import Message
from sync import protocol
from sync.checks import plain_reason
from sync.errors import (
    AuthExpiredError,
    CertificateError,
    ConflictError,
    InsecureServerError,
    NotHttpsError,
    OfflineError,
    PasswordChangeRequiredError,
    ProtocolTooOldError,
    RefusedError,
    ServerAddressError,
    ServerError,
    ServerFullError,
    SyncCancelledError,
)

log = logging.getLogger("commissioner.sync.client")

GZIP_MIN_BYTES = 512
GZIP_LEVEL = 5


class PreparedBody(NamedTuple):
    """A request body as sent: its bytes, and their Content-Encoding (None: as they are)."""

    data: bytes
    encoding: str | None


# A small request (log in or out, an attachment's status, "who am I") has its answer in well under
# this; waiting the full read timeout for it only keeps a user looking at a dead connection.
SMALL_READ_TIMEOUT = 15.0
RETRY_STATUSES = (502, 503, 504)  # said by a gateway in front of the server, not by the server's logic
NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class _Retry(Exception):
    """Internal: the attempt failed in a way that is worth repeating."""

    def __init__(self, detail: str, status: int = 0):
        super().__init__(detail)
        self.status = status


class _Sockets:
    """The client's open connections, so that another thread can cut them (SyncClient.abort)."""

    def __init__(self) -> None:
        self._open: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()
        self._lock = threading.Lock()

    def add(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._open.add(connection)

    def cut(self) -> None:
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it, at once
            except OSError:
                pass


class _CuttableAdapter(HTTPAdapter):
    """requests' adapter whose connections register with _Sockets when they connect."""

    def __init__(self, sockets: _Sockets):
        self._sockets = sockets
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        sockets = self._sockets

        class Http(HTTPConnection):
            def connect(self) -> None:
                super().connect()
                sockets.add(self)

        class Https(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                sockets.add(self)

        self.poolmanager.pool_classes_by_scheme = {
            "http": type("HttpPool", (HTTPConnectionPool,), {"ConnectionCls": Http}),
            "https": type("HttpsPool", (HTTPSConnectionPool,), {"ConnectionCls": Https}),
        }


class SyncClient:
    """One user's connection to one server. Not thread-safe: one sync at a time uses it; another
    thread may only call `abort()` (a cancelled sync), which ends the request under way at once."""

    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        device_id: str = "",
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        retries: int = 4,
        backoff: float = 0.25,
        max_backoff: float = 8.0,
        protocol_version: int = protocol.PROTOCOL_VERSION,
        session: requests.Session | None = None,
        allow_insecure: bool = False,
        ca_file: str | None = None,
    ):
        self.server_url = normalise_url(server_url)
        self.allow_insecure = allow_insecure  # plain http to another computer, chosen explicitly
        self.token = token
        self.device_id = device_id
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.protocol_version = protocol_version
        self.session = session or requests.Session()
        # The bureau's own CA certificate(s), instead of the system's/certifi's trust store. Given
        # with each request: requests lets REQUESTS_CA_BUNDLE override a session's `verify`.
        self.ca_file = ca_file
        self._sockets = _Sockets()
        self._aborted = threading.Event()
        if session is None:
            adapter = _CuttableAdapter(self._sockets)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
        self._counting = threading.Lock()  # a push sends two batches at once, from two threads
        self.requests_made = 0  # every attempt, retries included (the "nothing to do" budget counts them)

    def abort(self) -> None:
        """From another thread: the request under way (and any retry) ends now with
        SyncCancelledError; its connection is cut, whatever the network does."""
        self._aborted.set()
        self._sockets.cut()

    def resume(self) -> None:
        """Requests may be made again after an abort (the next sync)."""
        self._aborted.clear()

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    # --- endpoints -------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict[str, Any]:
        answer = self._json(
            "POST",
            "/auth/login",
            {"username": username, "password": password, "device_id": self.device_id},
            auth=False,
            small=True,
        )
        self.token = answer["token"]
        return answer

    def change_password(self, username: str, password: str, new_password: str) -> dict[str, Any]:
        """Replace a one-time code (or the password) and log in (sync/server/admin.py)."""
        answer = self._json(
            "POST",
            "/auth/change-password",
            {
                "username": username,
                "password": password,
                "new_password": new_password,
                "device_id": self.device_id,
            },
            auth=False,
            small=True,
            once=True,  # a retry after a lost answer would meet the old code gone
        )
        self.token = answer["token"]
        return answer

    # The bureau's administration (sync/server/admin.py).

    def admin(self, method: str, path: str, body: Any = None, *, once: bool = False) -> Any:
        """`once`: never sent twice (an import's one-time codes exist only in its answer)."""
        return self._json(method, "/admin/" + path, body, once=once)

    def logout(self) -> None:
        self._call("POST", "/auth/logout", small=True)
        self.token = None

    def me(self) -> dict[str, Any]:
        return self._json("GET", "/me", small=True)

    def push(
        self, request: protocol.PushRequest, encoded: str | PreparedBody | None = None
    ) -> protocol.PushAnswer:
        """`encoded`: the request already encoded as JSON (the engine keeps that text to replay it),
        or as `prepare_body` made it ready to send."""
        answer: protocol.PushAnswer = self._json("POST", "/sync/push", request, encoded=encoded)
        return answer

    def prepare_body(self, text: str | bytes) -> PreparedBody:
        """A JSON body made ready to send to this server (see prepare_body), so that a caller can do
        that work on its own thread before the request's turn comes."""
        return prepare_body(text, compress=not is_loopback(self.server_url))

    def pull(
        self,
        since: int,
        limit: int = protocol.DEFAULT_PULL_LIMIT,
        count: bool = False,
        skip: list[tuple[int, int]] | None = None,
    ) -> protocol.PullAnswer:
        """A page of changes; with `count` (the first page of a sync) the answer also says how many remain;
        changes numbered in a `skip` range are left out (protocol: the echo of one's own push)."""
        params: dict[str, Any] = {"since": since, "limit": limit}
        if count:
            params["count"] = "true"  # a server that predates the count ignores it and answers without
        if skip:
            params["skip"] = ",".join(f"{low}-{high}" for low, high in skip)  # older servers ignore it
        answer: protocol.PullAnswer = self._json("GET", "/sync/pull", params=params)
        return answer

    def attachment_status(self, sha256: str) -> dict[str, Any]:
        return self._json("GET", f"/attachments/{sha256}/status", small=True)

    def upload_chunk(self, sha256: str, offset: int, data: bytes) -> int:
        """Send one chunk at `offset`; returns the server's new received count.

        A chunk that does not start at the server's offset is answered 409; the ConflictError
        then carries the server's body (with the offset it has) so the caller can resume there.
        """
        answer = self._json("PUT", f"/attachments/{sha256}", raw=data, params={"offset": offset})
        return int(answer["received"])

    def complete_attachment(self, sha256: str, size: int) -> dict[str, Any]:
        return self._json("POST", f"/attachments/{sha256}/complete", {"size": size}, small=True)

    def download_attachment(self, sha256: str) -> bytes:
        return self._call("GET", f"/attachments/{sha256}").content

    def audit(self, params: dict[str, Any]) -> dict[str, Any]:
        """A page of the audit trail (sync/server/audit.py); filters and limit/offset in `params`."""
        answer: dict[str, Any] = self._json("GET", "/audit", params=params)
        return answer

    def audit_export(self, params: dict[str, Any]) -> bytes:
        return self._call("GET", "/audit/export", params=params).content

    def record_history(self, table: str, record_id: str) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = self._json("GET", f"/records/{table}/{record_id}/history")
        return answer

    def previews(self, hashes: list[str]) -> protocol.PreviewAnswer:
        answer: protocol.PreviewAnswer = self._json("POST", "/previews", {"hashes": hashes}, small=True)
        return answer

    def download_to(
        self,
        sha256: str,
        out: Any,
        start: int = 0,
        on_bytes: Any = None,
        cancelled: Any = None,
    ) -> int:
        """Stream a file's bytes from `start` (HTTP Range) into the binary file `out`; returns its
        whole size. `on_bytes(written_so_far, size)` reports progress; `cancelled()` stops between
        blocks with SyncCancelledError. A cut connection raises OfflineError: call again with the
        new start (what was written stays)."""
        require_secure(self.server_url, self.allow_insecure)
        if not self.token:
            raise AuthExpiredError()
        headers = {
            protocol.PROTOCOL_HEADER: str(self.protocol_version),
            "Accept-Encoding": "identity",  # byte ranges of the file itself
            "Authorization": f"Bearer {self.token}",
        }
        if start:
            headers["Range"] = f"bytes={start}-"
        url = f"{self.server_url}{protocol.API_PREFIX}/attachments/{sha256}"
        trust: dict[str, Any] = {"verify": self.ca_file} if self.ca_file else {}
        with self._counting:
            self.requests_made += 1
        try:
            answer = self.session.get(url, headers=headers, timeout=self.timeout, stream=True, **trust)
            with answer as response:
                if response.status_code not in (200, 206):
                    _ = response.content
                    raise self._error(response)
                if response.status_code == 200 and start:
                    out.seek(0)
                    out.truncate()
                    start = 0  # the server sent the whole file
                size = _whole_size(response, start)
                written = start
                for block in response.iter_content(256 * 1024):
                    if cancelled is not None and cancelled():
                        raise SyncCancelledError()
                    out.write(block)
                    written += len(block)
                    if on_bytes is not None:
                        on_bytes(written, size)
                if written != size:
                    raise OfflineError(f"download cut at byte {written} of {size}")
                return size
        except NETWORK_ERRORS as exc:
            raise OfflineError(f"{type(exc).__name__}: {exc}") from None

    # --- transport -------------------------------------------------------------------------------

    def _json(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = self._call(method, path, body, expect_json=True, **kwargs)
        return getattr(response, _PARSED)  # parsed once, in _attempt

    def _call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        encoded: str | PreparedBody | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        expect_json: bool = False,
        small: bool = False,
        once: bool = False,
    ) -> requests.Response:
        timeout = (self.timeout[0], min(self.timeout[1], SMALL_READ_TIMEOUT)) if small else self.timeout
        headers = {
            protocol.PROTOCOL_HEADER: str(self.protocol_version),
            # From a server on this computer, answers as they are (see prepare_body).
            "Accept-Encoding": "identity" if is_loopback(self.server_url) else "gzip",
            "Accept": "application/json",
        }
        if self.device_id:
            headers["X-Device-Id"] = self.device_id
        if auth:
            if not self.token:
                raise AuthExpiredError()
            headers["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = None
        if raw is not None:
            data = raw
            headers["Content-Type"] = "application/octet-stream"
        elif body is not None:
            prepared = (
                encoded
                if isinstance(encoded, PreparedBody)
                else self.prepare_body(
                    encoded
                    if encoded is not None
                    else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
                )
            )
            data = prepared.data
            headers["Content-Type"] = "application/json"
            if prepared.encoding:
                headers["Content-Encoding"] = prepared.encoding
        # Checked on every request (the address may be changed after construction): a password or
        # token never goes over plain http to another computer unless that was chosen.
        require_secure(self.server_url, self.allow_insecure)
        url = self.server_url + protocol.API_PREFIX + path
        attempt = 0
        while True:
            attempt += 1
            if self._aborted.is_set():
                raise SyncCancelledError()
            try:
                return self._attempt(method, url, headers, data, params, expect_json, timeout)
            except _Retry as exc:
                if self._aborted.is_set():
                    raise SyncCancelledError() from None
                if attempt > (0 if once else self.retries):
                    log.info("%s %s failed after %d attempts: %s", method, path, attempt, exc)
                    if exc.status:
                        raise ServerError(exc.status, str(exc)) from None
                    raise OfflineError(str(exc)) from None
                delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
                delay *= 0.5 + random.random()  # jitter: a day-end rush does not retry in lockstep
                log.debug("%s %s: %s; retry %d in %.2fs", method, path, exc, attempt, delay)
                if self._aborted.wait(delay):
                    raise SyncCancelledError() from None

    def _attempt(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: bytes | None,
        params: dict[str, Any] | None,
        expect_json: bool,
        timeout: tuple[float, float],
    ) -> requests.Response:
        with self._counting:
            self.requests_made += 1
        # Only when given: verify=True would let REQUESTS_CA_BUNDLE decide, as without it.
        trust: dict[str, Any] = {"verify": self.ca_file} if self.ca_file else {}
        try:
            response = self.session.request(
                method, url, data=data, headers=headers, params=params, timeout=timeout, **trust
            )
            # Read the whole body now: a connection cut mid-body is a network error to retry.
            _ = response.content
        except requests.exceptions.SSLError as exc:
            untrusted = _certificate_problem(exc)
            if untrusted:
                raise CertificateError(untrusted) from None  # the same certificate every time
            if "wrong version number" in str(exc).lower() or "record layer failure" in str(exc).lower():
                # TLS spoken to a plain-http server: asking again gets the same answer.
                raise NotHttpsError(self.server_url) from None
            raise _Retry(f"{type(exc).__name__}: {exc}") from None
        except NETWORK_ERRORS as exc:
            raise _Retry(f"{type(exc).__name__}: {exc}") from None
        except Exception:
            if self._aborted.is_set():  # the cut connection may fail in any way
                raise SyncCancelledError() from None
            raise
        if self._aborted.is_set():
            raise SyncCancelledError()
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _Retry(f"gateway answered {status}", status)
        if 200 <= status < 300:
            if expect_json:
                try:
                    # orjson: a page of 2,000 records parses in a quarter of the standard library's time.
                    setattr(response, _PARSED, orjson.loads(response.content))
                except ValueError:
                    # A 2xx whose JSON does not parse was cut in transit.
                    raise _Retry("truncated answer") from None
            return response
        raise self._error(response)

    def _error(self, response: requests.Response) -> Exception:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {"detail": body}
        kind = str(body.get("error") or "")
        reason = _reason(body, status)
        if status == 426 or kind == "protocol_too_old":
            return ProtocolTooOldError(reason)
        if status == 401 and kind != "code_expired":
            return AuthExpiredError()
        if status == 409:
            return ConflictError(reason, body)
        if status == 507:  # Insufficient Storage: the server's disk is full
            return ServerFullError(reason.en)
        if status >= 500:
            return ServerError(status, reason.en)
        if kind == "password_change_required":
            return PasswordChangeRequiredError(reason)
        refused = RefusedError(reason, status, kind)
        refused.body = body
        return refused


def _whole_size(response: requests.Response, start: int) -> int:
    rng = response.headers.get("Content-Range", "")
    if response.status_code == 206 and "/" in rng:
        try:
            return int(rng.rsplit("/", 1)[1])
        except ValueError:
            pass
    length = response.headers.get("Content-Length")
    try:
        return start + int(length) if length is not None else 0
    except ValueError:
        return 0


_PARSED = "parsed_json"  # the attribute of a response that holds its parsed JSON body


def _reason(body: dict[str, Any], status: int) -> Message:
    zh = body.get("message_zh") or body.get("reason_zh")
    en = body.get("message_en") or body.get("reason_en")
    if not zh and not en:
        detail = body.get("detail") or body.get("error") or f"HTTP {status}"
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)[:300]
        return Message(plain_reason(text), plain_reason(text))
    # Shown to the user as they are: plain text only (see sync/checks.py).
    return Message(plain_reason(zh or en), plain_reason(en or zh))


def _certificate_problem(exc: BaseException) -> str | None:
    """The verification failure inside a requests SSLError (None for other TLS trouble, such as a
    handshake cut by the network, which is worth retrying)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return str(current.verify_message or current.reason or current)
        todo += [a for a in current.args if isinstance(a, BaseException)]
        todo += [c for c in (current.__cause__, current.__context__) if c is not None]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return text.split("CERTIFICATE_VERIFY_FAILED", 1)[1].strip(" ]:()'\"") or "CERTIFICATE_VERIFY_FAILED"
    return None


def normalise_url(url: str) -> str:
    """The server's base address as typed, checked: https:// is assumed when no scheme is given."""
    typed = url
    url = url.strip().rstrip("/")
    if url.endswith(protocol.API_PREFIX):
        url = url[: -len(protocol.API_PREFIX)]
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # port: a bad one (":99999", ":x") raises here
    except ValueError:
        raise ServerAddressError(
            typed,
            Message("不是有效的网址，请检查后重新输入", "is not a valid address; check it and type it again"),
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ServerAddressError(
            typed,
            Message(
                "应以 http:// 或 https:// 开头（如 https://sync.example.cn）",
                "must start with http:// or https:// (such as https://sync.example.cn)",
            ),
        )
    if not host or any(c.isspace() for c in url):
        raise ServerAddressError(
            typed,
            Message("不是有效的网址，请检查后重新输入", "is not a valid address; check it and type it again"),
        )
    return url


def prepare_body(text: str | bytes, compress: bool = True, level: int = GZIP_LEVEL) -> PreparedBody:
    """A JSON body as UTF-8, gzip-compressed when it is worth it: not when small, and not for a server
    on this computer (`compress` false), where no network lies between to save bytes on and the
    compressing would take the processor the server itself works on (gzip at level 5 was a fifth of
    a first push's work on the laptop)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if compress and len(data) >= GZIP_MIN_BYTES:
        return PreparedBody(gzip.compress(data, compresslevel=level), "gzip")
    return PreparedBody(data, None)


def is_loopback(url: str) -> bool:
    """Whether the server is this computer (localhost, 127.0.0.0/8, ::1)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_secure(url: str) -> bool:
    """Whether requests to `url` are encrypted, or never leave this computer."""
    scheme = urlsplit(url).scheme.lower()
    return scheme == "https" or (scheme == "http" and is_loopback(url))


def require_secure(url: str, allow_insecure: bool = False) -> None:
    """Refuse plain http to another computer unless explicitly allowed; refuse other schemes always."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InsecureServerError(url)
    if not is_secure(url) and not allow_insecure:
        raise InsecureServerError(url)
