"""The served party confirms a visit for themselves: the page behind the visit sheet's QR code.

`https://<server>/c/<token>`: the token is a capability the commissioner's application made when the
visit was saved (128 random bits or more), registered here at push with the visit it belongs to;
only its SHA-256 is kept. No login: whoever holds the printed sheet may open the page, which shows
that visit's date, commissioner, service target, content, problems and solutions and nothing else,
and may confirm it (or say what is wrong), rate satisfaction 1–5 and sign with a name and role.

The answer becomes a `confirmations` record (one per visit, id `c-<visit id>`), written here under
the visit's scope, so that pull brings it to the commissioner, the reviewer and the bureau; no
application user may write that table. The same browser (a random cookie, kept as a hash) may change
the answer for 24 hours. Submissions are rate-limited per address and per link, in the database like
all other server state. A link is valid for LINK_DAYS days and can be revoked (`revoke`).
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, Engine, delete, insert, select, update

from commissioner_app.assessment_rules import RulesError, parse_rules
from commissioner_app.domain import CONFIRMATION_DECISIONS, SERVICE_TYPES, Confirmation
from sync.server import timeutil
from sync.server.auth import User
from sync.server.db import reading, writing
from sync.server.tables import confirm_hits, confirm_links, counters, records, users

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}\Z")
LINK_DAYS = 30
CHANGE_HOURS = 24
MAX_BODY = 8 * 1024
PER_ADDRESS_PER_HOUR = 30
PER_LINK_PER_HOUR = 10
COOKIE = "fc_confirm"
LIMITS = {"comment": 500, "name": 40, "role": 40}

# Who writes the confirmation records (in the revision history and `updated_by`).
SERVED_PARTY = User("served-party", "served-party", "served_party", "服务对象", None, None, None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_id(visit_id: str) -> str:
    return f"c-{visit_id}"


def link_days(conn: Connection, visit_date: str) -> int:
    """How long a link stays valid: the bureau's rules of the visit's year may say (confirmation_days)."""
    year = visit_date[:4]
    row = _record(conn, "assessment_rules", year) if year.isdigit() else None
    if row is not None and not row.deleted:
        try:
            rules = parse_rules(str(orjson.loads(row.fields).get("toml") or ""), "sync")
            return rules.confirmation_days
        except RulesError:
            pass
    return LINK_DAYS


def register(
    conn: Connection, token: str, visit_id: str, owner_id: str | None, now: str, visit_date: str = ""
) -> None:
    """Keep a visit's confirmation link (its hash); called when the owner's push of the visit is accepted."""
    digest = token_hash(token)
    known = conn.execute(select(confirm_links.c.visit_id).where(confirm_links.c.token_hash == digest)).first()
    if known is not None:
        return
    expires = timeutil.iso(timeutil.parse(now) + timedelta(days=link_days(conn, visit_date)))
    conn.execute(
        insert(confirm_links).values(
            token_hash=digest,
            visit_id=visit_id,
            owner_id=owner_id,
            created_at=now,
            expires_at=expires,
            revoked=False,
        )
    )


def revoke(engine: Engine, visit_id: str) -> int:
    """Revoke every link of a visit (e.g. a sheet handed to the wrong party); how many were live."""
    with writing(engine) as conn:
        result = conn.execute(
            update(confirm_links)
            .where(confirm_links.c.visit_id == visit_id, confirm_links.c.revoked.is_(False))
            .values(revoked=True)
        )
        return int(result.rowcount or 0)


def prune(engine: Engine, now: str | None = None) -> int:
    """Forget expired links and old rate-limit windows; how many links went."""
    now = now or timeutil.now_iso()
    hour_ago = timeutil.iso(timeutil.parse(now) - timedelta(hours=1))
    with writing(engine) as conn:
        gone = conn.execute(delete(confirm_links).where(confirm_links.c.expires_at < now)).rowcount
        conn.execute(delete(confirm_hits).where(confirm_hits.c.window_start < hour_ago))
    return int(gone or 0)


# --- reading what the page shows ----------------------------------------------------------------


def _link(conn: Connection, token: str, now: str) -> Any:
    if not TOKEN_RE.match(token):
        return None
    row = conn.execute(select(confirm_links).where(confirm_links.c.token_hash == token_hash(token))).first()
    if row is None or row.revoked or row.expires_at < now:
        return None
    return row


def _record(conn: Connection, table: str, record_id: str) -> Any:
    return conn.execute(
        select(records).where(records.c.table_name == table, records.c.id == record_id)
    ).first()


def _visit_view(conn: Connection, visit_id: str) -> dict[str, Any] | None:
    row = _record(conn, "visits", visit_id)
    if row is None or row.deleted:
        return None
    visit = orjson.loads(row.fields)
    target = _record(conn, "service_targets", str(visit.get("target_id") or ""))
    target_name = orjson.loads(target.fields).get("name", "") if target is not None else ""
    person = _record(conn, "commissioners", str(row.owner_id or ""))
    name = orjson.loads(person.fields).get("name", "") if person is not None else ""
    if not name:
        account = conn.execute(
            select(users.c.display_name).where(users.c.commissioner_id == row.owner_id)
        ).first()
        name = account.display_name if account is not None else ""
    problems: list[dict[str, Any]] = []
    solutions: dict[str, list[dict[str, Any]]] = {}
    # Only this owner's problems and solutions can belong to the visit; filtered here, not in SQL,
    # because fields are stored as JSON text on both databases.
    for table, record_id, fields_text in conn.execute(
        select(records.c.table_name, records.c.id, records.c.fields).where(
            records.c.owner_id == row.owner_id,
            records.c.table_name.in_(("problems", "solutions")),
            records.c.deleted.is_(False),
        )
    ):
        fields = orjson.loads(str(fields_text))
        if table == "problems" and fields.get("visit_id") == visit_id:
            problems.append({**fields, "id": record_id})
        elif table == "solutions":
            solutions.setdefault(str(fields.get("problem_id")), []).append(fields)
    return {
        "id": visit_id,
        "owner_id": row.owner_id,
        "team_id": row.team_id,
        "workstation_id": row.workstation_id,
        "county_scope": row.county,
        "date": visit.get("visit_date") or "",
        "time": f"{visit.get('start_time') or ''}–{visit.get('end_time') or ''}",
        "types": "、".join(
            SERVICE_TYPES[c].zh if c in SERVICE_TYPES else c for c in _json_list(visit.get("service_types"))
        ),
        "commissioner": name,
        "target": target_name,
        "content": visit.get("content") or "",
        "problems": problems,
        "solutions": solutions,
    }


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return []
    return [str(v) for v in value] if isinstance(value, list) else []


# --- the page -----------------------------------------------------------------------------------

_STYLE = """
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
background:#f4f6f8;color:#1f2933;font-size:16px;line-height:1.5}
main{max-width:560px;margin:0 auto;padding:12px}
h1{font-size:20px;margin:8px 0 12px;color:#1f3a5f}
section{background:#fff;border-radius:8px;padding:12px;margin-bottom:12px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
dt{color:#52606d;font-size:14px}dd{margin:0 0 8px 0;word-break:break-word}
h2{font-size:17px;margin:0 0 8px}
label{display:block;margin:8px 0 4px}
input[type=text],textarea{width:100%;box-sizing:border-box;font-size:16px;padding:8px;
border:1px solid #9aa5b1;border-radius:6px}
.choice{display:flex;gap:8px;flex-wrap:wrap}
.choice label{display:flex;align-items:center;gap:4px;border:1px solid #9aa5b1;border-radius:6px;
padding:6px 10px;margin:0}
button{width:100%;font-size:18px;padding:12px;border:0;border-radius:8px;background:#1f6feb;color:#fff;margin-top:12px}
.note{color:#52606d;font-size:14px}.ok{color:#1a7f37}.bad{color:#b42318}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    answer = HTMLResponse(text, status_code=status)
    answer.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    )
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["Referrer-Policy"] = "no-referrer"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    return answer


def _invalid() -> HTMLResponse:
    return _page(
        "服务确认",
        "<section><p class='bad'>此确认链接无效或已过期。</p>"
        "<p class='note'>如需确认服务，请联系为您服务的科技特派员重新打印服务记录单。</p></section>",
        404,
    )


def _visit_html(v: dict[str, Any]) -> str:
    e = html.escape
    out = [
        "<section><dl>",
        f"<dt>服务日期</dt><dd>{e(v['date'])}　{e(v['time'])}</dd>",
        f"<dt>科技特派员</dt><dd>{e(v['commissioner'])}</dd>",
        f"<dt>服务对象</dt><dd>{e(v['target'])}</dd>",
        f"<dt>服务类型</dt><dd>{e(v['types'])}</dd>",
        f"<dt>服务内容</dt><dd>{e(v['content']).replace(chr(10), '<br>')}</dd>",
        "</dl></section>",
    ]
    if v["problems"]:
        out.append("<section><h2>技术难题与解决方案</h2>")
        for p in v["problems"]:
            out.append(f"<p><b>{e(p.get('title') or '')}</b>：{e(p.get('description') or '')}</p>")
            for s in v["solutions"].get(str(p.get("id")), []):
                out.append(f"<p class='note'>→ {e(s.get('description') or '')}</p>")
        out.append("</section>")
    return "".join(out)


def _form_html(given: dict[str, Any], errors: list[str], note: str = "") -> str:
    e = html.escape
    decision = given.get("decision") or "confirmed"
    stars = int(given.get("satisfaction") or 0)
    out = ["<section><h2>请确认</h2>"]
    if note:
        out.append(f"<p class='note'>{e(note)}</p>")
    for error in errors:
        out.append(f"<p class='bad'>{e(error)}</p>")
    out.append("<form method='post'><div class='choice'>")
    for code, label in CONFIRMATION_DECISIONS.items():
        checked = " checked" if code == decision else ""
        out.append(
            f"<label><input type='radio' name='decision' value='{code}'{checked}>{e(label.zh)}</label>"
        )
    out.append("</div><label>满意度（1 最低，5 最高）</label><div class='choice'>")
    for n in range(1, 6):
        checked = " checked" if n == stars else ""
        out.append(f"<label><input type='radio' name='satisfaction' value='{n}'{checked}>{n}</label>")
    out.append(
        "</div>"
        f"<label for='comment'>意见或说明（选填）</label>"
        f"<textarea id='comment' name='comment' rows='3' maxlength='{LIMITS['comment']}'>"
        f"{e(given.get('comment') or '')}</textarea>"
        "<label for='name'>您的姓名</label>"
        f"<input type='text' id='name' name='name' maxlength='{LIMITS['name']}'"
        f" value='{e(given.get('name') or '')}'>"
        "<label for='role'>单位职务（选填）</label>"
        f"<input type='text' id='role' name='role' maxlength='{LIMITS['role']}'"
        f" value='{e(given.get('role') or '')}'>"
        "<button type='submit'>提交确认</button></form></section>"
    )
    return "".join(out)


def _done_html(c: dict[str, Any], changeable: bool) -> str:
    e = html.escape
    label = CONFIRMATION_DECISIONS.get(c.get("decision", ""), CONFIRMATION_DECISIONS["confirmed"]).zh
    stars = c.get("satisfaction")
    more = "24 小时内可在本机修改。" if changeable else ""
    return (
        "<section><p class='ok'>已收到您的确认，谢谢！</p>"
        f"<p>{e(label)}；满意度：{e(str(stars) if stars else '未评')}；确认人：{e(c.get('name') or '')}"
        f"（{e(c.get('submitted_at', '')[:16].replace('T', ' '))} UTC）</p>"
        f"<p class='note'>{more}</p></section>"
    )


def _browser(request: Request) -> str | None:
    value = request.cookies.get(COOKIE) or ""
    return value if TOKEN_RE.match(value) else None


def _changeable(link: Any, browser: str | None, now: str) -> bool:
    if not link.browser_hash or browser is None or token_hash(browser) != link.browser_hash:
        return False
    limit = timeutil.parse(link.first_submitted_at) + timedelta(hours=CHANGE_HOURS)
    return timeutil.parse(now) <= limit


def show(engine: Engine, token: str, request: Request) -> HTMLResponse:
    now = timeutil.now_iso()
    with reading(engine) as conn:
        link = _link(conn, token, now)
        visit = _visit_view(conn, link.visit_id) if link is not None else None
        if link is None or visit is None:
            return _invalid()
        existing = _record(conn, "confirmations", confirmation_id(link.visit_id))
    body = _visit_html(visit)
    if existing is not None:
        fields = orjson.loads(existing.fields)
        if _changeable(link, _browser(request), now):
            body += _form_html(fields, [], "您已确认过，24 小时内可以修改。")
        else:
            body += _done_html(fields, False)
    else:
        body += _form_html({}, [])
    return _page("服务确认", body)


def _hit(conn: Connection, key: str, limit: int, now: str) -> bool:
    """Count one submission under `key`; False once the hour's limit is reached."""
    row = conn.execute(select(confirm_hits).where(confirm_hits.c.key == key)).first()
    hour_ago = timeutil.iso(timeutil.parse(now) - timedelta(hours=1))
    if row is None:
        conn.execute(insert(confirm_hits).values(key=key, window_start=now, count=1))
        return True
    if row.window_start < hour_ago:
        conn.execute(update(confirm_hits).where(confirm_hits.c.key == key).values(window_start=now, count=1))
        return True
    count = int(row._mapping["count"])  # not row.count: that is the tuple method
    if count >= limit:
        return False
    conn.execute(update(confirm_hits).where(confirm_hits.c.key == key).values(count=count + 1))
    return True


def _read_form(raw: bytes) -> tuple[dict[str, Any], list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {}, ["提交的内容无法识别，请重新填写。"]
    values = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items() if v}
    given: dict[str, Any] = {
        "decision": values.get("decision", "confirmed"),
        "satisfaction": None,
        "comment": values.get("comment", "").strip(),
        "name": values.get("name", "").strip(),
        "role": values.get("role", "").strip(),
    }
    errors = []
    if values.get("satisfaction"):
        if values["satisfaction"] in ("1", "2", "3", "4", "5"):
            given["satisfaction"] = int(values["satisfaction"])
        else:
            errors.append("满意度应为 1 到 5。")
    for name, limit in LIMITS.items():
        if len(given[name]) > limit or "\x00" in given[name]:
            errors.append(
                f"{ {'comment': '意见', 'name': '姓名', 'role': '单位职务'}[name] }过长或含有无效字符。"
            )
            given[name] = given[name][:limit].replace("\x00", "")
    probe = Confirmation(
        visit_id="x", decision=given["decision"], satisfaction=given["satisfaction"], name=given["name"]
    )
    for issue in probe.validate():
        if issue.field == "name":
            errors.append("请填写您的姓名。")
        elif issue.field == "decision":
            errors.append("请选择“情况属实”或“情况有误”。")
            given["decision"] = "confirmed"
    if given["decision"] == "confirmed" and given["satisfaction"] is None:
        errors.append("请为本次服务打分（1–5）。")
    return given, errors


def submit(engine: Engine, token: str, raw: bytes, request: Request) -> HTMLResponse:
    """Record the served party's answer; the page again, saying what happened."""
    from sync.server.push import Batch, Scope  # the push machinery writes the record and its revision

    now = timeutil.now_iso()
    given, errors = _read_form(raw)
    address = request.client.host if request.client else "?"
    browser = _browser(request) or secrets.token_urlsafe(18)
    with writing(engine) as conn:
        seq: int = conn.execute(
            select(counters.c.value).where(counters.c.name == "server_seq").with_for_update()
        ).scalar_one()
        link = _link(conn, token, now)
        visit = _visit_view(conn, link.visit_id) if link is not None else None
        if link is None or visit is None:
            return _invalid()
        if not (
            _hit(conn, f"address:{address}", PER_ADDRESS_PER_HOUR, now)
            and _hit(conn, f"link:{link.token_hash}", PER_LINK_PER_HOUR, now)
        ):
            return _page(
                "服务确认", _visit_html(visit) + _form_html(given, ["提交过于频繁，请一小时后再试。"]), 429
            )
        record_id = confirmation_id(link.visit_id)
        batch = Batch(conn, SERVED_PARTY, seq, {"batch_id": f"confirm:{record_id}:{now}", "device_id": "web"})
        current = batch.load("confirmations", record_id)
        if current is not None and not _changeable(link, browser, now):
            return _page("服务确认", _visit_html(visit) + _done_html(current.fields, False), 409)
        if errors:
            return _page("服务确认", _visit_html(visit) + _form_html(given, errors), 422)
        fields = {"visit_id": link.visit_id, **given, "submitted_at": now, "created_at": now}
        batch.write(
            "confirmations",
            record_id,
            current,
            fields,
            False,
            Scope(visit["owner_id"], visit["team_id"], visit["workstation_id"], county=visit["county_scope"]),
        )
        if fields.get("decision") == "disputed":
            # The served party says something is wrong: a reviewed visit goes back to review, as
            # when its evidence changes (a confirmation leaves an approval as it is).
            batch.reopen_reviews("confirmations", fields, current)
        batch.flush()
        conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=batch.seq))
        if not link.browser_hash:
            conn.execute(
                update(confirm_links)
                .where(confirm_links.c.token_hash == link.token_hash)
                .values(browser_hash=token_hash(browser), first_submitted_at=now)
            )
            link = conn.execute(
                select(confirm_links).where(confirm_links.c.token_hash == link.token_hash)
            ).first()
    answer = _page("服务确认", _visit_html(visit) + _done_html(fields, True))
    answer.set_cookie(
        COOKIE,
        browser,
        max_age=CHANGE_HOURS * 3600 * 2,
        path="/c/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return answer


def too_large_page() -> HTMLResponse:
    """The answer to a form over MAX_BODY (also sent by the request guard, before reading more)."""
    return _page("服务确认", "<section><p class='bad'>提交的内容过长。</p></section>", 413)


def install(app: FastAPI, engine: Engine) -> None:
    @app.get("/c/{token}", include_in_schema=False)
    def confirm_page(token: str, request: Request) -> Response:
        return show(engine, token, request)

    @app.post("/c/{token}", include_in_schema=False)
    async def confirm_submit(token: str, request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            return too_large_page()
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY:
                return too_large_page()
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(submit, engine, token, raw, request)
