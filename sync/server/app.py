"""The HTTP service: FastAPI routes of sync protocol v1 over the data-access modules."""

import asyncio
import contextlib
import email.message
import errno
import logging
import os
import pathlib
import threading
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync import protocol
from sync.server import admin, attachments, audit, auth, confirm, previews, pull, push
from sync.server.db import make_engine, reading, sqlite_url
from sync.server.errors import ApiError
from sync.server.middleware import MAX_CHUNK_BODY, AccessLog, RequestGuard
from sync.server.migrations import migrate

log = logging.getLogger(__name__)

P = protocol.API_PREFIX


# --- request and answer shapes (the OpenAPI description; see sync/protocol.py) -------------------


class Strict(BaseModel):
    model_config = ConfigDict(strict=True)


# Text stored in its own column (not inside a record's JSON) may not hold NUL, which PostgreSQL refuses.
NO_NUL = "^[^\\x00]*$"


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=1000)
    device_id: str = Field(default="", max_length=200, pattern=NO_NUL)


class ChangeIn(Strict):
    table: str = Field(min_length=1, max_length=40, pattern=NO_NUL)
    id: str = Field(min_length=1, max_length=64)
    base_rev: int = Field(ge=0, le=2**31)
    deleted: bool = False
    fields: dict[str, Any] = Field(default_factory=dict)
    # Conflict notices this change settles (sync/server/notices.py); absent from older clients.
    resolves: list[Annotated[str, Field(max_length=64, pattern=NO_NUL)]] = Field(
        default_factory=list, max_length=50
    )


class PushRequest(Strict):
    batch_id: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    device_id: str = Field(default="", max_length=200, pattern=NO_NUL)
    client_time: str = Field(default="", max_length=40, pattern=NO_NUL)
    changes: list[ChangeIn] = Field(max_length=protocol.MAX_PUSH_CHANGES)


# What pydantic's error types mean, said in Chinese (the English message is pydantic's own).
_ERROR_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为文本",
    "string_too_short": "过短",
    "string_too_long": "过长",
    "too_short": "过短",
    "too_long": "过长（项数过多）",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "greater_than": "超出允许的范围",
    "greater_than_equal": "超出允许的范围",
    "less_than": "超出允许的范围",
    "less_than_equal": "超出允许的范围",
    "literal_error": "不是允许的值",
    "enum": "不是允许的值",
    "json_type": "应为 JSON 文本",
}


def _says_json(content_type: str | None) -> bool:
    """Whether a request's Content-Type lets its body be read as JSON, by FastAPI's own (strict) rule:
    application/json or application/*+json; a body that says nothing of its type is not read."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _text_ok(value: Any, low: int, high: int, nul: bool = False) -> bool:
    return type(value) is str and low <= len(value) <= high and not (nul and "\x00" in value)


def _resolves_ok(resolves: list[Any]) -> bool:
    return len(resolves) <= 50 and all(_text_ok(r, 0, 64, nul=True) for r in resolves)


def _plain_push(raw: bytes) -> dict[str, Any] | None:
    """A push body that PushRequest would accept, as push.push_json takes it, checked by hand after
    orjson's parse (pydantic's checking of a batch took as long as a fifth of applying it); None when
    it is not plainly such a body, which then goes through PushRequest (its precise errors, or
    its acceptance of what this stricter check leaves to it). The same limits as PushRequest's."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict:
        return None
    batch_id, device_id = data.get("batch_id"), data.get("device_id", "")
    client_time, changes = data.get("client_time", ""), data.get("changes")
    if not (
        _text_ok(batch_id, 1, 100, nul=True)
        and _text_ok(device_id, 0, 200, nul=True)
        and _text_ok(client_time, 0, 40, nul=True)
        and type(changes) is list
        and len(changes) <= protocol.MAX_PUSH_CHANGES
    ):
        return None
    plain = []
    for c in changes:
        if type(c) is not dict:
            return None
        table, record_id, base_rev = c.get("table"), c.get("id"), c.get("base_rev")
        deleted, fields, resolves = c.get("deleted", False), c.get("fields", {}), c.get("resolves", [])
        # (Inline, not through _text_ok: this runs for each of up to 500 changes.)
        if not (
            type(table) is str
            and 0 < len(table) <= 40
            and "\x00" not in table
            and type(record_id) is str
            and 0 < len(record_id) <= 64
            and type(base_rev) is int
            and 0 <= base_rev <= 2**31
            and type(deleted) is bool
            and type(fields) is dict
            and type(resolves) is list
            and (not resolves or _resolves_ok(resolves))
        ):
            return None
        plain.append(
            {
                "table": table,
                "id": record_id,
                "base_rev": base_rev,
                "deleted": deleted,
                "fields": fields,
                "resolves": resolves,
            }
        )
    return {"batch_id": batch_id, "device_id": device_id, "client_time": client_time, "changes": plain}


def _push_request(body: PushRequest) -> dict[str, Any]:
    """A checked push body as the dict push.push_json takes (what model_dump gives, at a fraction
    of its cost: the fields of each change are already a fresh dict)."""
    return {
        "batch_id": body.batch_id,
        "device_id": body.device_id,
        "client_time": body.client_time,
        "changes": [
            {
                "table": c.table,
                "id": c.id,
                "base_rev": c.base_rev,
                "deleted": c.deleted,
                "fields": c.fields,
                "resolves": c.resolves,
            }
            for c in body.changes
        ],
    }


def _openapi_with(app: FastAPI, *models: type[BaseModel]) -> None:
    """Describe `models` in the OpenAPI components too: endpoints that check their body themselves
    (sync_push) name them by reference."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = made()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                described = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(described.pop("$defs", {}))
                components[model.__name__] = described
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class CompleteRequest(Strict):
    size: int = Field(ge=0, le=protocol.MAX_ATTACHMENT_BYTES)


class ErrorBody(BaseModel):
    error: str
    message_zh: str
    message_en: str


class UserInfo(BaseModel):
    id: str
    username: str
    role: str
    display_name: str
    commissioner_id: str | None
    team_id: str | None
    workstation_id: str | None
    county: str = ""  # a county bureau's county (role "county"); a commissioner's service county


class LoginAnswer(BaseModel):
    token: str
    expires_at: str
    user: UserInfo
    has_records: bool = False  # the account owns records besides its profile (sync/session.py)


class FieldConflict(BaseModel):
    field: str
    base: Any
    local: Any
    server: Any


class ChangeResult(BaseModel):
    table: str
    id: str
    status: str
    rev: int | None = None
    server_seq: int | None = None
    fields: dict[str, Any] | None = None
    conflicts: list[FieldConflict] | None = None
    reason_zh: str | None = None
    reason_en: str | None = None
    conflict_id: str | None = None  # the conflict notice a conflict opened


class PushAnswer(BaseModel):
    batch_id: str
    results: list[ChangeResult]
    server_time: str


class PulledChange(BaseModel):
    table: str
    id: str
    rev: int
    server_seq: int
    deleted: bool
    fields: dict[str, Any]


class StoreIdentity(BaseModel):
    id: str
    history_from: int


class PullAnswer(BaseModel):
    changes: list[PulledChange]
    next_since: int
    has_more: bool
    server_time: str
    remaining: int | None = None  # only when asked with count=true
    # Only with count=true: the account as it is now (sync/server/pull.py: ACCOUNT_KEYS).
    account: dict[str, Any] | None = None
    # Only with count=true: which store answers (a restored backup is another; sync/recovery.py).
    store: StoreIdentity | None = None


class UploadStatus(BaseModel):
    sha256: str
    complete: bool
    received: int


class ChunkAnswer(BaseModel):
    received: int
    complete: bool


class CompleteAnswer(BaseModel):
    sha256: str
    size: int


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 423, 426, 429, 503, 507)
}
SHA256_PATH = Annotated[str, Path(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")]


bearer = HTTPBearer(auto_error=False)


# The dependencies below are coroutines: FastAPI runs a plain function on its thread pool, two
# thread switches a request only to read a header or what RequestGuard found (each waited its turn
# on busy cores: with both, 4-6 ms of a push batch's 45 between the guard and the endpoint).


async def protocol_version(
    x_protocol_version: Annotated[int, Header(alias=protocol.PROTOCOL_HEADER, ge=1, le=1)],
) -> int:
    # Documents the header in the OpenAPI description; RequestGuard checks it on every request.
    return x_protocol_version


async def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> auth.User:
    known = getattr(request.state, "auth", None)  # checked by RequestGuard before the body was read
    if known is not None:
        user, digest = known
    else:
        header = f"Bearer {credentials.credentials}" if credentials else None
        user, digest = await run_in_threadpool(auth.authenticate, request.app.state.engine, header)
    request.state.username = user.username
    request.state.token_hash = digest
    return user


User = Annotated[auth.User, Depends(current_user)]


def warm_up(app: FastAPI) -> None:
    """Build now what FastAPI builds at a process's first routed request (the parameter schemas of
    every route: ~35 ms), so that a worker's first sync does not wait for it. One request for a path
    no route has, through the router alone: no middleware, so nothing is logged, counted or
    refused. On a thread of its own: a worker's app is made inside uvicorn's running event loop."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        pass

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": f"{P}/-warm-up-",
        "raw_path": f"{P}/-warm-up-".encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": None,
        "server": None,
    }

    async def warm() -> None:
        await app.router(scope, receive, send)
        # And what a worker's first request with a token paid besides (15-19 ms of its first push
        # batch): the thread pool's first use imports anyio's backend for asyncio; the first check
        # of a token opens a database connection and compiles its query. A token nobody has.
        with contextlib.suppress(ApiError):
            await run_in_threadpool(auth.authenticate, app.state.engine, "Bearer -")

    thread = threading.Thread(target=asyncio.run, args=(warm(),))
    thread.start()
    thread.join()


def create_app(
    database_url: str | None = None,
    *,
    data_dir: pathlib.Path | None = None,
    engine: Engine | None = None,
    run_migrations: bool = True,
    upload_quota: int | None = None,
    docs: bool = False,
) -> FastAPI:
    """The app over one database (a URL, or SQLite in data_dir); migrates the schema first.

    `upload_quota`: bytes a user may hold in uploads no record refers to yet (default: the
    environment's COMMISSIONER_UPLOAD_QUOTA, else 2 GiB; 0 for no limit). `docs`: serve the
    interactive API page at /api/v1/docs (it loads Swagger UI from a CDN, so off by default; the
    description itself is always at /api/v1/openapi.json)."""
    if engine is None:
        if database_url is None:
            if data_dir is None:
                raise ValueError("give a database URL or a data directory")
            database_url = sqlite_url(data_dir)
        engine = make_engine(database_url)
    if run_migrations:
        migrate(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # Stopped: its connections closed, the last of them (on SQLite) moves the store's last
        # writes from server.db-wal into server.db, as a copy of the file alone must have them.
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Field Commissioner central store",
        version=str(protocol.PROTOCOL_VERSION),
        description="Sync protocol v1: see sync/protocol.py.",
        openapi_url=f"{P}/openapi.json",
        docs_url=f"{P}/docs" if docs else None,
        redoc_url=None,
    )
    app.state.engine = engine
    if upload_quota is None:
        upload_quota = int(os.environ.get("COMMISSIONER_UPLOAD_QUOTA", attachments.DEFAULT_UPLOAD_QUOTA))
    app.state.upload_quota = upload_quota
    app.add_middleware(
        GZipMiddleware, minimum_size=1024, compresslevel=5
    )  # level 9: 3x the CPU for 1% smaller answers
    app.add_middleware(RequestGuard, engine=engine)
    app.add_middleware(AccessLog)
    _install_error_handlers(app)
    _openapi_with(app, PushRequest)
    confirm.install(app, engine)

    common: dict[str, Any] = {"dependencies": [Depends(protocol_version)], "responses": ERRORS}
    for router in (admin.router, admin.password_router):  # the bureau's administration; one-time codes
        app.include_router(router, prefix=P, **common)

    @app.get(f"{P}/health", include_in_schema=False)
    def health() -> Response:
        versions = {
            "protocol_version": protocol.PROTOCOL_VERSION,
            "min_protocol_version": protocol.MIN_PROTOCOL_VERSION,
        }
        try:
            # A process that cannot reach its database cannot serve: a load balancer must know.
            with reading(engine) as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            log.error("health: the database cannot be reached (%s)", type(exc).__name__)
            return JSONResponse(
                {
                    "ok": False,
                    **versions,
                    "error": "database_unavailable",
                    "message_zh": "服务器无法连接数据库",
                    "message_en": "the server cannot reach its database",
                },
                status_code=503,
            )
        return JSONResponse({"ok": True, **versions})

    @app.post(f"{P}/auth/login", response_model=LoginAnswer, **common)
    def login(body: LoginRequest, request: Request) -> dict[str, Any]:
        address = request.client.host if request.client else ""
        answer = auth.login(engine, body.username, body.password, body.device_id, address)
        request.state.username = answer["user"]["username"]  # what was typed is never logged
        return answer

    @app.post(f"{P}/auth/logout", status_code=204, **common)
    def logout(user: User, request: Request) -> Response:
        auth.logout(engine, request.state.token_hash)
        return Response(status_code=204)

    @app.get(f"{P}/me", response_model=UserInfo, **common)
    def me(user: User) -> dict[str, Any]:
        return user.info()

    @app.post(
        f"{P}/sync/push",
        response_model=PushAnswer,
        response_model_exclude_none=True,
        **common,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
            }
        },
    )
    async def sync_push(request: Request, user: User) -> Response:
        # The body is checked against PushRequest straight from its JSON text (pydantic's parser):
        # parsing it into Python objects first and checking those took a fifth of a push's time.
        if not _says_json(request.headers.get("content-type")):
            # A form or plain text (which a browser may send across sites without asking) is not a push.
            raise ApiError(
                415,
                "unsupported_media_type",
                "推送内容须以 JSON 格式发送（Content-Type: application/json）",
                "a push must be sent as JSON (Content-Type: application/json)",
            )
        raw = await request.body()
        checked = _plain_push(raw)
        if checked is None:
            try:
                checked = _push_request(PushRequest.model_validate_json(raw))
            except ValidationError as exc:
                # Placed under "body", as FastAPI places the errors of a body it checks itself.
                errors = exc.errors(include_url=False)
                raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
        # Encoded once: the same text is stored for a replay of the batch and sent.
        answer = await run_in_threadpool(push.push_json, engine, user, checked)
        return Response(answer, media_type="application/json")

    @app.get(f"{P}/sync/pull", response_model=PullAnswer, **common)
    def sync_pull(
        user: User,
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = protocol.DEFAULT_PULL_LIMIT,
        count: bool = False,
        skip: Annotated[str, Query(max_length=protocol.MAX_PULL_SKIP * 40)] = "",
    ) -> Response:
        try:
            ranges = pull.parse_skip(skip)
        except pull.SkipError as exc:
            raise ApiError(
                422,
                "invalid_request",
                f"skip 参数不正确：{exc.zh}",
                f"the skip parameter is not valid: {exc.en}",
            ) from None
        return Response(
            pull.pull_page(engine, user, since, limit, count, ranges), media_type="application/json"
        )

    @app.get(f"{P}/records/{{table}}/{{record_id}}/history", **common)
    def history(
        user: User,
        table: Annotated[str, Path(max_length=40, pattern="^[a-z_]+$")],
        record_id: Annotated[str, Path(max_length=64, pattern="^[A-Za-z0-9_.:-]+$")],
    ) -> list[dict[str, Any]]:
        return pull.record_history(engine, user, table, record_id)

    @app.get(f"{P}/attachments/{{sha256}}/status", response_model=UploadStatus, **common)
    def attachment_status(user: User, sha256: SHA256_PATH) -> dict[str, Any]:
        return attachments.status(engine, user, sha256)

    @app.put(
        f"{P}/attachments/{{sha256}}",
        response_model=ChunkAnswer,
        **common,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {
                        "schema": {"type": "string", "format": "binary", "maxLength": MAX_CHUNK_BODY}
                    }
                },
            }
        },
    )
    async def attachment_chunk(
        request: Request,
        sha256: SHA256_PATH,
        offset: Annotated[int, Query(ge=0, le=protocol.MAX_ATTACHMENT_BYTES)],
    ) -> Any:
        user = await current_user(request, await bearer(request))
        data = await request.body()
        quota = request.app.state.upload_quota
        return await run_in_threadpool(attachments.put_chunk, engine, user, sha256, offset, data, quota)

    @app.post(
        f"{P}/attachments/{{sha256}}/complete", status_code=201, response_model=CompleteAnswer, **common
    )
    def attachment_complete(body: CompleteRequest, user: User, sha256: SHA256_PATH) -> dict[str, Any]:
        answer = attachments.complete(engine, user, sha256, body.size)
        previews.ensure(engine, sha256)  # made once, from the stored bytes
        return answer

    @app.get(
        f"{P}/attachments/{{sha256}}",
        dependencies=common["dependencies"],
        responses={
            **ERRORS,
            200: {
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
            },
        },
    )
    def attachment_download(
        user: User, sha256: SHA256_PATH, range: Annotated[str | None, Header(max_length=200)] = None
    ) -> StreamingResponse:
        size = attachments.open_download(engine, user, sha256)
        headers = {"ETag": f'"{sha256}"', "Accept-Ranges": "bytes"}
        part = attachments.parse_range(range, size)
        if part is None:
            return StreamingResponse(
                attachments.stream(engine, sha256),
                media_type="application/octet-stream",
                headers={**headers, "Content-Length": str(size)},
            )
        start, end = part
        return StreamingResponse(
            attachments.stream(engine, sha256, start, end),
            status_code=206,
            media_type="application/octet-stream",
            headers={
                **headers,
                "Content-Length": str(end - start),
                "Content-Range": f"bytes {start}-{end - 1}/{size}",
            },
        )

    app.include_router(audit.router(current_user), prefix=P, **common)
    app.include_router(previews.router(engine, current_user, common))
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kinds = {
            404: ("not_found", "未找到", "not found"),
            405: ("method_not_allowed", "不支持此请求方法", "method not allowed"),
        }
        error, zh, en = kinds.get(exc.status_code, ("http_error", "请求无法处理", str(exc.detail)))
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # Starlette's words for a body it cannot decode: mostly text that is not UTF-8.
            error, zh, en = (
                "malformed_body",
                "请求内容无法解析（文本须为 UTF-8 编码的 JSON）",
                "the request body cannot be read (send JSON text in UTF-8)",
            )
        return JSONResponse(
            {"error": error, "message_zh": zh, "message_en": en},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors][
            :20
        ]
        whole_body = [tuple(e.get("loc", ())) for e in errors] == [("body",)]
        if (
            whole_body
            and request.method in ("POST", "PUT")
            and not _says_json(request.headers.get("content-type"))
        ):
            # FastAPI reads a JSON body only when the request says it is JSON; otherwise it reports
            # the body as "not a dictionary", which does not tell the sender what to change.
            return JSONResponse(
                {
                    "error": "unsupported_media_type",
                    "message_zh": "请求内容须以 JSON 格式发送（Content-Type: application/json）",
                    "message_en": "the request must be sent as JSON (Content-Type: application/json)",
                },
                status_code=415,
            )
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(
                {
                    "error": "malformed_json",
                    "message_zh": "请求内容不是有效的 JSON",
                    "message_en": "the request body is not valid JSON",
                    "details": details,
                },
                status_code=400,
            )
        where = "; ".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:3])
        where_zh = "；".join(
            f"{'.'.join(str(x) for x in e.get('loc', ()))}：{_ERROR_ZH.get(str(e.get('type')), '不符合要求')}"
            for e in errors[:3]
        )
        return JSONResponse(
            {
                "error": "invalid_request",
                "message_zh": f"请求内容不符合要求：{where_zh}",
                "message_en": f"the request is not valid: {where}",
                "details": details,
            },
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def crash(_request: Request, exc: Exception) -> JSONResponse:
        if storage_full(exc):
            log.error("storage full", exc_info=exc)
            return JSONResponse(
                {
                    "error": "storage_full",
                    "message_zh": "服务器存储空间已满，数据未保存；请稍后再同步，并告知管理员",
                    "message_en": "the server has no storage space left; nothing was saved. "
                    "Sync again later and tell the administrator",
                },
                status_code=507,
            )
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(
            {
                "error": "server_error",
                "message_zh": "服务器内部错误，请稍后再试",
                "message_en": "internal server error; try again later",
            },
            status_code=500,
        )


def storage_full(exc: BaseException) -> bool:
    """A database or file error that means the disk (or the database's space) is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if getattr(current, "sqlstate", None) in ("53100", "53200"):  # disk_full, out_of_memory
            return True
        text = str(current).lower()
        if any(sign in text for sign in STORAGE_FULL_SIGNS):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


STORAGE_FULL_SIGNS = ("database or disk is full", "no space left on device", "could not extend file")
