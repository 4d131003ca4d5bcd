"""The audit trail: who did what, when, to what, with the before and after of it (append-only).

Other modules call `record(conn, actor, action, subject, before, after, county=...)` inside the
transaction that does the act, so an act and its audit row are committed together or not at all.
Nothing updates or deletes a row of `audit_log` (the database's triggers refuse it, migration 6).

Actions written today (push.py): "review.decide" (a review decision), "assessment.publish" (the
bureau publishes an assessment result), "reference.edit" and "rules.edit" (the bureau changes
reference data or assessment rules), and the steps of the city plan's mechanisms, named from what
changed (push.audit_action): a 揭榜 project published, applied for, decided, awarded, its milestones
set and done, accepted ("project.*"); an achievement recorded or changed ("achievement.*"); a bonus
proposed or decided ("bonus.*"); an exemplar named ("exemplar.*"). Their before and after keep only
the fields that matter (push.AUDIT_FIELDS). The admin endpoints add theirs ("account.create",
"roster.import", ...; sync/server/admin.py), the server's command line its own ("user.create", ...).
The audit screen names each (sync/audit_ops.ACTIONS).

GET /audit (bureau: everything; county bureau: rows of its county) lists and filters it;
GET /audit/export gives the same rows as raw CSV (UTF-8 with BOM, so Excel opens the Chinese; UTC
times, codes and JSON, oldest first, at most MAX_EXPORT rows) for other tools; the app's own export
reads GET /audit page by page and writes the entries in words (sync/audit_ops.export_audit).
Dates in filters are China's calendar days (UTC+8); times are stored in UTC.
"""

import csv
import io
import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, Connection, Engine, and_, func, insert, select, true

from sync.server import timeutil
from sync.server.auth import User
from sync.server.db import reading, writing
from sync.server.errors import ApiError, forbidden
from sync.server.tables import audit_log

CHINA = timezone(timedelta(hours=8))
MAX_PAGE = 1000
MAX_EXPORT = 100_000
MAX_VALUE_CHARS = 200_000  # a before/after larger than this is cut (reference data stays whole)
FILTER_TEXT = Annotated[str, Query(max_length=200, pattern="^[^\\x00]*$")]


def _text(value: Any) -> str:
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return encoded if len(encoded) <= MAX_VALUE_CHARS else encoded[:MAX_VALUE_CHARS]


def record(
    conn: Connection,
    actor: User,
    action: str,
    subject: str,
    before: Any,
    after: Any,
    *,
    county: str | None = None,
) -> None:
    """Append one entry. `subject`: what was acted on ("visits/<id>", "users/<name>", ...);
    `before`/`after`: JSON-able values (None for "did not exist"); `county`: the county the act
    concerns, which lets that county's bureau see the entry (default: the actor's own county)."""
    conn.execute(
        insert(audit_log).values(
            at=timeutil.now_iso(),
            actor_id=actor.id,
            actor=actor.username,
            actor_role=actor.role,
            action=action[:60],
            subject=subject[:200],
            county=((county if county is not None else actor.county) or "")[:40],
            before=_text(before),
            after=_text(after),
        )
    )


# The actor of what the server's command line does (`commissioner-server user ...`).
SERVER_CLI = User("server-cli", "server-cli", "admin", "commissioner-server", None, None, None)


def record_now(
    engine: Engine, actor: User, action: str, subject: str, before: Any, after: Any, **kwargs: Any
) -> None:
    """`record` in a transaction of its own, for an act that was committed by itself."""
    with writing(engine) as conn:
        record(conn, actor, action, subject, before, after, **kwargs)


def _bound(day: date, end: bool, utc_offset: int | None = None) -> str:
    """Where a day begins (or, with `end`, where the next one does) as stored UTC text: a day of the
    asking computer's time when it gives its offset from UTC in minutes, else a day in China; the
    ends of the calendar, whose neighbour days do not exist, bound nothing."""
    zone = CHINA if utc_offset is None else timezone(timedelta(minutes=utc_offset))
    try:
        moment = datetime.combine(day + timedelta(days=1) if end else day, time(), zone)
        return timeutil.iso(moment)
    except OverflowError:
        return "9999-12-31T23:59:59.999999Z" if end else "0001-01-01T00:00:00.000000Z"


def _where(user: User, filters: dict[str, Any]) -> ColumnElement[bool]:
    if user.role == "bureau":
        parts: list[ColumnElement[bool]] = []
    elif user.role == "county" and user.county:
        parts = [audit_log.c.county == user.county]
    else:
        raise forbidden(
            "只有市、县科技局可以查看操作日志", "only the city or county bureau may read the audit trail"
        )
    if filters.get("actor"):
        parts.append(audit_log.c.actor == filters["actor"].strip().casefold())
    if filters.get("action"):
        parts.append(audit_log.c.action == filters["action"])
    if filters.get("subject"):
        needle = filters["subject"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        parts.append(audit_log.c.subject.like(f"%{needle}%", escape="\\"))
    if filters.get("date_from"):
        parts.append(audit_log.c.at >= _bound(filters["date_from"], False, filters.get("utc_offset")))
    if filters.get("date_to"):
        parts.append(audit_log.c.at < _bound(filters["date_to"], True, filters.get("utc_offset")))
    return and_(*parts) if parts else true()


def _entry(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id),
        "at": row.at,
        "actor": row.actor,
        "actor_role": row.actor_role,
        "action": row.action,
        "subject": row.subject,
        "county": row.county,
        "before": json.loads(row.before),
        "after": json.loads(row.after),
    }


def entries(
    engine: Engine, user: User, filters: dict[str, Any], limit: int = 200, offset: int = 0
) -> dict[str, Any]:
    """The entries the caller may read that match the filters, newest first, and how many match."""
    where = _where(user, filters)
    with reading(engine) as conn:
        total = int(conn.execute(select(func.count()).select_from(audit_log).where(where)).scalar_one())
        rows = conn.execute(
            select(audit_log).where(where).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
        ).all()
    return {"entries": [_entry(r) for r in rows], "total": total}


CSV_HEADER = ["时间(UTC)", "操作人", "角色", "操作", "对象", "县（市、区）", "之前", "之后"]


def export_csv(engine: Engine, user: User, filters: dict[str, Any]) -> str:
    where = _where(user, filters)
    with reading(engine) as conn:
        # The newest MAX_EXPORT (an auditor asks about the latest first), written oldest first.
        newest = select(audit_log).where(where).order_by(audit_log.c.id.desc()).limit(MAX_EXPORT)
        rows = conn.execute(newest).all()[::-1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        cells = [r.at, r.actor, r.actor_role, r.action, r.subject, r.county, r.before, r.after]
        # A cell Excel would run as a formula is quoted as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in map(str, cells)])
    return "\ufeff" + out.getvalue()


def _bad_dates(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "invalid_request", "开始日期晚于结束日期", "date_from is after date_to")


def router(current_user: Any) -> APIRouter:
    api = APIRouter()
    UserDep = Annotated[User, Depends(current_user)]

    def filters(
        actor: FILTER_TEXT = "",
        action: Annotated[str, Query(max_length=60, pattern="^[a-z._]*$")] = "",
        subject: FILTER_TEXT = "",
        date_from: date | None = None,
        date_to: date | None = None,
        # The days' time: minutes east of UTC (every zone on Earth is within 14 hours); without
        # it, China's (older clients, whose screens showed Beijing time).
        utc_offset: Annotated[int | None, Query(ge=-14 * 60, le=14 * 60)] = None,
    ) -> dict[str, Any]:
        _bad_dates(date_from, date_to)
        return {
            "actor": actor,
            "action": action,
            "subject": subject,
            "date_from": date_from,
            "date_to": date_to,
            "utc_offset": utc_offset,
        }

    Filters = Annotated[dict[str, Any], Depends(filters)]

    @api.get("/audit")
    def list_audit(
        request: Request,
        user: UserDep,
        given: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        return entries(request.app.state.engine, user, given, limit, offset)

    @api.get("/audit/export")
    def export_audit(request: Request, user: UserDep, given: Filters) -> Response:
        body = export_csv(request.app.state.engine, user, given)
        return Response(
            body.encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )

    return api
