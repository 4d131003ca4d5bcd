"""The bureau's administration of the programme: accounts, teams, workstations and roster import.

Every endpoint here is the bureau's only: any other role is answered 403 before anything is looked
up (the same answer whether the account, team or station asked about exists), a missing token 401.
Teams, workstations and commissioner profiles are synced records: they are written through the
push machinery (sync/server/push.Batch) as the bureau, so they get revisions, sequence numbers and
scope columns like any pushed change and reach every user who may see them at their next sync.
Accounts live in `users`; each change of role, team, workstation or county closes the account's
row in `memberships` and opens another (the history). Every admin action of the server is in this
module, so the audit trail hooks in at one place.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine, select, update

from sync.server import audit, auth, timeutil
from sync.server import county as county_scope
from sync.server.db import reading, writing
from sync.server.errors import ApiError, forbidden
from sync.server.push import Batch
from sync.server.tables import counters, memberships, records, tokens, users

NO_NUL = "^[^\\x00]*$"
ID = Annotated[str, Field(min_length=1, max_length=64, pattern="^[A-Za-z0-9_.:-]+$")]
ID_PATH = Annotated[str, Path(min_length=1, max_length=64, pattern="^[A-Za-z0-9_.:-]+$")]
Text200 = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Role = Literal["commissioner", "manager", "bureau", "county"]
PROFILE_ROLES = ("commissioner", "manager")  # the roles that have a commissioner profile
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")  # ASCII digits: \d took full-width ones the profile refuses
MAX_ROSTER_ROWS = 5000

log = logging.getLogger("sync.server.admin")

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def bureau(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> auth.User:
    """The caller, who must be the bureau (401 without a valid token, 403 for every other role)."""
    known = getattr(request.state, "auth", None)  # checked by RequestGuard before the body was read
    if known is not None:
        user, digest = known
    else:
        header = f"Bearer {credentials.credentials}" if credentials else None
        user, digest = auth.authenticate(request.app.state.engine, header)
    request.state.username = user.username
    request.state.token_hash = digest
    if user.role != "bureau":
        raise forbidden("只有市科技局可以管理账号和组织", "only the bureau administers accounts and teams")
    return user


Bureau = Annotated[auth.User, Depends(bureau)]


def _engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


# --- shapes ---------------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class ProfileIn(Strict):
    phone: str = Field(default="", max_length=40, pattern=NO_NUL)
    sending_unit: Text200 = ""
    title: Text200 = ""
    specialty: Text200 = ""
    gender: str = Field(default="", max_length=10, pattern=NO_NUL)


class AccountIn(Strict):
    # No spaces: "张 三" would be a second, look-alike name for one person, typed differently at login.
    username: str = Field(min_length=1, max_length=100, pattern="^[^\\x00\\s]+$")
    display_name: Text200 = ""
    role: Role
    team_id: ID | None = None
    workstation_id: ID | None = None
    county: str = Field(default="", max_length=40, pattern=NO_NUL)
    profile: ProfileIn | None = None


class AccountPatch(Strict):
    display_name: Text200 | None = None
    role: Role | None = None
    team_id: ID | None = None
    workstation_id: ID | None = None
    county: str | None = Field(default=None, max_length=40, pattern=NO_NUL)


class DisableIn(Strict):
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL)


class TeamIn(Strict):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    leader_id: ID | None = None
    partner_university: Text200 = ""
    industry: Text200 = ""
    counties: list[Annotated[str, Field(max_length=40, pattern=NO_NUL)]] = Field(
        default_factory=list, max_length=20
    )


class WorkstationIn(Strict):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    # Required: a county bureau sees a station's records by it (one without would be nobody's).
    county: str = Field(min_length=1, max_length=40, pattern=NO_NUL)
    town: Text200 = ""
    host_unit: Text200 = ""
    manager_id: ID | None = None


class RosterRow(Strict):
    row: int = Field(ge=1, le=1_000_000)
    name: Text200 = ""
    gender: Text200 = ""
    sending_unit: Text200 = ""
    title: Text200 = ""
    specialty: Text200 = ""
    mobile: Text200 = ""
    team: Text200 = ""
    workstation: Text200 = ""
    county: Text200 = ""
    role: Text200 = ""


class RosterIn(Strict):
    rows: list[RosterRow] = Field(max_length=MAX_ROSTER_ROWS)


class PasswordChangeIn(Strict):
    username: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)
    device_id: str = Field(default="", max_length=200, pattern=NO_NUL)


# --- helpers --------------------------------------------------------------------------------------


def _invalid(field: str, zh: str, en: str) -> ApiError:
    return ApiError(422, "invalid_value", f"{field}：{zh}", f"{field}: {en}", extra={"field": field})


def _no_account() -> ApiError:
    return ApiError(404, "not_found", "没有这个账号", "no such account")


@lru_cache(maxsize=1)
def _bundled_counties() -> frozenset[str]:
    from commissioner_app.reference import bundled_reference

    return frozenset(i.name_zh for i in bundled_reference() if i.kind == "county")


def known_counties(conn: Connection) -> set[str]:
    """County names of the reference data: the bureau's synced list where there is one, else the
    bundled Jiangmen list."""
    row = conn.execute(
        select(records.c.fields).where(
            records.c.table_name == "reference", records.c.id == "county", records.c.deleted.is_(False)
        )
    ).first()
    names = set(_bundled_counties())
    if row is not None:
        items = json.loads(row.fields).get("items") or []
        names |= {i["name_zh"] for i in items if isinstance(i, dict) and isinstance(i.get("name_zh"), str)}
    return names


def _live(conn: Connection, table: str) -> dict[str, dict[str, Any]]:
    """Every live record of a (small) table: id -> fields with its rev."""
    rows = conn.execute(
        select(records.c.id, records.c.rev, records.c.fields).where(
            records.c.table_name == table, records.c.deleted.is_(False)
        )
    )
    return {r.id: {**json.loads(r.fields), "_rev": r.rev} for r in rows}


def _record(conn: Connection, table: str, record_id: str) -> Any:
    return conn.execute(
        select(records.c.rev, records.c.deleted, records.c.fields).where(
            records.c.table_name == table, records.c.id == record_id
        )
    ).first()


def _fields(row: Any) -> Any:
    """A `records` row's fields as stored (JSON text, or already decoded by the driver); None if none."""
    if row is None:
        return None
    return json.loads(row.fields) if isinstance(row.fields, str) else row.fields


def _check_ref(conn: Connection, table: str, record_id: str | None, field: str) -> None:
    if record_id is None:
        return
    row = _record(conn, table, record_id)
    if row is None or row.deleted:
        raise _invalid(field, "不存在", "does not exist")


def _check_county(conn: Connection, county: str, field: str = "county") -> None:
    if county and county not in known_counties(conn):
        raise _invalid(field, "不是江门市的县（市、区）", "is not a county of the reference data")


def write_records(conn: Connection, user: auth.User, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply record changes as `user` inside the caller's transaction; any refusal raises (and so
    rolls the whole administrative action back)."""
    if not changes:
        return []
    seq: int = conn.execute(
        select(counters.c.value).where(counters.c.name == "server_seq").with_for_update()
    ).scalar_one()
    batch = Batch(conn, user, seq, {"batch_id": f"admin-{uuid.uuid4()}", "device_id": "admin"})
    batch.prefetch(changes)
    results = [batch.apply(change) for change in changes]
    bad = [r for r in results if r["status"] not in ("accepted", "merged")]
    if bad:
        first = bad[0]
        retry_en = "conflicts with another change; retry"
        raise ApiError(
            409 if first["status"] == "conflict" else 422,
            "not_stored",
            f"{first['table']} {first['id']}：{first.get('reason_zh') or '与其他修改冲突，请重试'}",
            f"{first['table']} {first['id']}: {first.get('reason_en') or retry_en}",
        )
    batch.flush()
    if batch.seq != seq:
        conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=batch.seq))
    return results


def _change(conn: Connection, table: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    current = _record(conn, table, record_id)
    return {
        "table": table,
        "id": record_id,
        "base_rev": current.rev if current is not None else 0,
        "deleted": False,
        "fields": fields,
    }


def _audit(
    conn: Connection, user: auth.User, action: str, subject: str, before: Any, after: Any, where: str = ""
) -> None:
    """Every administrative act goes into the append-only audit trail (sync/server/audit.py), in the
    same transaction as the act; `where` is the county it concerns (its county bureau sees it)."""
    audit.record(conn, user, action, subject, before, after, county=where)


def _account(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "role": row.role,
        "display_name": row.display_name,
        "commissioner_id": row.commissioner_id,
        "team_id": row.team_id,
        "workstation_id": row.workstation_id,
        "county": row.county or "",
        "disabled": bool(row.disabled),
        "disabled_reason": row.disabled_reason or "",
        "must_change_password": bool(row.must_change_password),
        "created_at": row.created_at,
    }


def _load_account(conn: Connection, account_id: str) -> Any:
    row = conn.execute(select(users).where(users.c.id == account_id)).first()
    if row is None:
        raise _no_account()
    return row


def _set_code(conn: Connection, account_id: str, code_hash: str) -> None:
    conn.execute(
        update(users)
        .where(users.c.id == account_id)
        .values(
            password_hash=code_hash,
            must_change_password=True,
            code_expires_at=timeutil.iso(timeutil.now() + auth.CODE_LIFETIME),
        )
    )
    conn.execute(update(tokens).where(tokens.c.user_id == account_id).values(revoked=True))


def _rescope(conn: Connection, commissioner_id: str, team_id: str | None, station_id: str | None) -> None:
    """A commissioner moved: their records take the new team and workstation, each with a new
    sequence number so that whoever now sees them pulls them."""
    rows = conn.execute(
        select(records.c.table_name, records.c.id).where(
            records.c.owner_id == commissioner_id, records.c.table_name.not_in(("teams", "workstations"))
        )
    ).all()
    if not rows:
        return
    seq: int = conn.execute(
        select(counters.c.value).where(counters.c.name == "server_seq").with_for_update()
    ).scalar_one()
    for r in rows:
        seq += 1
        conn.execute(
            update(records)
            .where(records.c.table_name == r.table_name, records.c.id == r.id)
            .values(team_id=team_id, workstation_id=station_id, server_seq=seq)
        )
    conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=seq))


def adopt_group(conn: Connection, table: str, group_id: str, name: str, changed_by: str) -> list[str]:
    """A team or workstation the bureau just created: the accounts added for it by its name before it
    existed (`user add --team NAME`, which keeps the name) join it, and their records follow. The
    accounts that joined (none for an empty name, or one that is the group's id)."""
    name = name.strip()
    if not name or name == group_id:
        return []
    if conn.execute(select(records.c.id).where(records.c.table_name == table, records.c.id == name)).first():
        # A name that is another group's id: the accounts naming it are that group's members, not
        # ones waiting for this group (a new station named "ws-x" took ws-x's commissioner).
        return []
    column = users.c.team_id if table == "teams" else users.c.workstation_id
    joined = []
    for row in conn.execute(select(users).where(column == name)).all():
        team = group_id if table == "teams" else row.team_id
        station = group_id if table == "workstations" else row.workstation_id
        conn.execute(update(users).where(users.c.id == row.id).values({column.name: group_id}))
        auth.open_membership(conn, row.id, row.role, team, station, row.county or "", changed_by)
        if row.commissioner_id:
            _rescope(conn, row.commissioner_id, team, station)
        joined.append(row.username)
    if joined:
        log.info("accounts joined a group", extra={"group": group_id, "accounts": joined})
    return joined


def _hash_codes(codes: list[str]) -> list[str]:
    if len(codes) < 8:
        return [auth.hash_code(c) for c in codes]
    # argon2-cffi releases the GIL while hashing: the codes hash on every core at once.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(auth.hash_code, codes, chunksize=16))


# --- accounts -------------------------------------------------------------------------------------


@router.get("/admin/accounts")
def list_accounts(user: Bureau, request: Request) -> list[dict[str, Any]]:
    with reading(_engine(request)) as conn:
        return [_account(r) for r in conn.execute(select(users).order_by(users.c.username))]


@router.post("/admin/accounts", status_code=201)
def create_account(body: AccountIn, user: Bureau, request: Request) -> dict[str, Any]:
    """A new account with a one-time code (shown in this answer only); commissioners and managers
    also get their commissioner profile, so they need not fill one in at first start."""
    username = auth.normalise_username(body.username)
    if not username:
        raise _invalid("username", "不能为空", "must not be empty")
    if body.role == "county" and not body.county:
        raise _invalid("county", "县科技局账号须指定县（市、区）", "a county bureau account needs its county")
    code = auth.one_time_code()
    code_hash = auth.hash_code(code)
    with writing(_engine(request)) as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first() is not None:
            raise ApiError(409, "exists", "用户名已被使用", "the user name is taken")
        _check_ref(conn, "teams", body.team_id, "team_id")
        _check_ref(conn, "workstations", body.workstation_id, "workstation_id")
        _check_county(conn, body.county)
        account_id = str(uuid.uuid4())
        cid = str(uuid.uuid4()) if body.role in PROFILE_ROLES else None
        conn.execute(
            users.insert().values(
                id=account_id,
                username=username,
                password_hash=code_hash,
                role=body.role,
                display_name=body.display_name or username,
                commissioner_id=cid,
                team_id=body.team_id,
                workstation_id=body.workstation_id,
                county=body.county,
                disabled=False,
                disabled_reason="",
                must_change_password=True,
                code_expires_at=timeutil.iso(timeutil.now() + auth.CODE_LIFETIME),
                created_at=timeutil.now_iso(),
            )
        )
        auth.open_membership(
            conn, account_id, body.role, body.team_id, body.workstation_id, body.county, user.username
        )
        if cid is not None and body.profile is not None:
            # With the profile's details the commissioner need not fill in the first-start form;
            # without them they do, and the server gives that profile this account's team.
            profile = body.profile
            write_records(
                conn,
                user,
                [
                    _change(
                        conn,
                        "commissioners",
                        cid,
                        {
                            "name": body.display_name or username,
                            "phone": profile.phone,
                            "sending_unit": profile.sending_unit,
                            "title": profile.title,
                            "specialty": profile.specialty,
                            "gender": profile.gender,
                            "team_id": body.team_id,
                            "workstation_id": body.workstation_id,
                            "county": body.county,
                            "username": username,
                        },
                    )
                ],
            )
        row = _load_account(conn, account_id)
        _audit(conn, user, "account.create", f"users/{username}", None, _account(row), body.county)
    return {"account": _account(row), "one_time_code": code}


@router.patch("/admin/accounts/{account_id}")
def change_account(account_id: ID_PATH, body: AccountPatch, user: Bureau, request: Request) -> dict[str, Any]:
    given = body.model_fields_set
    with writing(_engine(request)) as conn:
        row = _load_account(conn, account_id)
        values: dict[str, Any] = {}
        if "display_name" in given and body.display_name:
            values["display_name"] = body.display_name
        if "role" in given and body.role is not None:
            values["role"] = body.role
        for name, table in (("team_id", "teams"), ("workstation_id", "workstations")):
            if name in given:
                _check_ref(conn, table, getattr(body, name), name)
                values[name] = getattr(body, name)
        if "county" in given:
            _check_county(conn, body.county or "")
            values["county"] = body.county or ""
        role = values.get("role", row.role)
        county = values.get("county", row.county or "")
        if role == "county" and not county:
            raise _invalid(
                "county", "县科技局账号须指定县（市、区）", "a county bureau account needs its county"
            )
        if account_id == user.id and role != "bureau":
            raise _invalid(
                "role", "不能取消自己的市科技局角色", "you cannot take the bureau role from yourself"
            )
        cid = row.commissioner_id
        if role in PROFILE_ROLES and not cid:
            cid = values["commissioner_id"] = str(uuid.uuid4())
        if not values:
            return _account(row)
        conn.execute(update(users).where(users.c.id == account_id).values(**values))
        team = values.get("team_id", row.team_id)
        station = values.get("workstation_id", row.workstation_id)
        if any(
            values.get(k, getattr(row, k)) != getattr(row, k) for k in ("role", "team_id", "workstation_id")
        ) or (county != (row.county or "")):
            auth.open_membership(conn, account_id, role, team, station, county, user.username)
        if cid and role in PROFILE_ROLES:
            profile = _record(conn, "commissioners", cid)
            if profile is not None and not profile.deleted:
                fields: dict[str, Any] = {
                    "team_id": team,
                    "workstation_id": station,
                    "county": county,
                    "username": row.username,
                }
                if "display_name" in values:
                    fields["name"] = values["display_name"]
                write_records(conn, user, [_change(conn, "commissioners", cid, fields)])
            if (team, station) != (row.team_id, row.workstation_id):
                _rescope(conn, cid, team, station)
            if county != (row.county or "") or station != row.workstation_id:
                # Their own county, or their new station's: the new county's bureau pulls the records.
                county_scope.follow(conn, cid)
        after = _account(_load_account(conn, account_id))
        _audit(conn, user, "account.change", f"users/{row.username}", _account(row), after, county)
        return after


@router.post("/admin/accounts/{account_id}/disable")
def disable_account(account_id: ID_PATH, body: DisableIn, user: Bureau, request: Request) -> dict[str, Any]:
    if account_id == user.id:
        raise _invalid("account", "不能停用自己的账号", "you cannot disable your own account")
    with writing(_engine(request)) as conn:
        row = _load_account(conn, account_id)
        conn.execute(
            update(users).where(users.c.id == account_id).values(disabled=True, disabled_reason=body.reason)
        )
        conn.execute(update(tokens).where(tokens.c.user_id == account_id).values(revoked=True))
        after = _account(_load_account(conn, account_id))
        _audit(conn, user, "account.disable", f"users/{row.username}", _account(row), after, row.county or "")
        return after


@router.post("/admin/accounts/{account_id}/enable")
def enable_account(account_id: ID_PATH, user: Bureau, request: Request) -> dict[str, Any]:
    with writing(_engine(request)) as conn:
        row = _load_account(conn, account_id)
        conn.execute(update(users).where(users.c.id == account_id).values(disabled=False, disabled_reason=""))
        after = _account(_load_account(conn, account_id))
        _audit(conn, user, "account.enable", f"users/{row.username}", _account(row), after, row.county or "")
        return after


@router.post("/admin/accounts/{account_id}/reset-password")
def reset_account_password(account_id: ID_PATH, user: Bureau, request: Request) -> dict[str, Any]:
    """A new one-time code (shown in this answer only); the account's sessions end."""
    code = auth.one_time_code()
    code_hash = auth.hash_code(code)
    with writing(_engine(request)) as conn:
        row = _load_account(conn, account_id)
        _set_code(conn, account_id, code_hash)
        # Never the code itself: only that a new one was issued.
        _audit(conn, user, "account.reset_password", f"users/{row.username}", None, None, row.county or "")
    return {"account_id": account_id, "username": row.username, "one_time_code": code}


@router.get("/admin/accounts/{account_id}/memberships")
def account_memberships(account_id: ID_PATH, user: Bureau, request: Request) -> list[dict[str, Any]]:
    with reading(_engine(request)) as conn:
        _load_account(conn, account_id)
        rows = conn.execute(
            select(memberships)
            .where(memberships.c.user_id == account_id)
            .order_by(memberships.c.from_at, memberships.c.id)
        )
        return [
            {
                "role": r.role,
                "team_id": r.team_id,
                "workstation_id": r.workstation_id,
                "county": r.county,
                "from_at": r.from_at,
                "until_at": r.until_at,
                "changed_by": r.changed_by,
            }
            for r in rows
        ]


# --- teams and workstations -------------------------------------------------------------------------


@router.put("/admin/teams/{team_id}")
def put_team(team_id: ID_PATH, body: TeamIn, user: Bureau, request: Request) -> dict[str, Any]:
    with writing(_engine(request)) as conn:
        _check_ref(conn, "commissioners", body.leader_id, "leader_id")
        for county in body.counties:
            _check_county(conn, county, "counties")
        counties = list(dict.fromkeys(c for c in body.counties if c))
        fields = {
            "name": body.name,
            "leader_id": body.leader_id,
            "partner_university": body.partner_university,
            "industry": body.industry,
            "counties": counties,
            "county": counties[0] if counties else "",
        }
        before = _record(conn, "teams", team_id)
        result = write_records(conn, user, [_change(conn, "teams", team_id, fields)])[0]
        _audit(
            conn,
            user,
            "team.put",
            f"teams/{team_id}",
            _fields(before),
            fields,
            counties[0] if counties else "",
        )
        joined = adopt_group(conn, "teams", team_id, body.name, user.username)
    return {"id": team_id, "rev": result["rev"], **fields, "joined": joined}


@router.put("/admin/workstations/{station_id}")
def put_workstation(
    station_id: ID_PATH, body: WorkstationIn, user: Bureau, request: Request
) -> dict[str, Any]:
    with writing(_engine(request)) as conn:
        _check_ref(conn, "commissioners", body.manager_id, "manager_id")
        _check_county(conn, body.county)
        fields = body.model_dump()
        before = _record(conn, "workstations", station_id)
        result = write_records(conn, user, [_change(conn, "workstations", station_id, fields)])[0]
        where = str(fields.get("county") or "")
        _audit(
            conn,
            user,
            "workstation.put",
            f"workstations/{station_id}",
            _fields(before),
            fields,
            where,
        )
        joined = adopt_group(conn, "workstations", station_id, str(fields.get("name") or ""), user.username)
        # Its commissioners without a county of their own, those it just took in too, serve its county.
        county_scope.follow_station(conn, station_id)
    return {"id": station_id, "rev": result["rev"], **fields, "joined": joined}


# --- roster import ---------------------------------------------------------------------------------

# The roster's columns as the bureau's Excel names them (commissioner_app/roster.py reads them).
COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "sending_unit": "派出单位",
    "title": "职称",
    "specialty": "专业特长",
    "mobile": "手机号码",
    "team": "科技特派团",
    "workstation": "工作站",
    "county": "服务县（市、区）",
    "role": "角色",
}
ROLE_NAMES = {
    "": "commissioner",
    "科技特派员": "commissioner",
    "特派员": "commissioner",
    "commissioner": "commissioner",
    "站长": "manager",
    "团长": "manager",
    "管理员": "manager",
    "manager": "manager",
    "县科技局": "county",
    "county": "county",
}
# A city bureau's account may do anything: opened one by one in 组织管理, never by a spreadsheet row.
BUREAU_ROLE_NAMES = ("市科技局", "bureau")


def _role_key(role: str) -> str:
    return role.strip().lower() if role.isascii() else role.strip()


def _name_key(name: str) -> str:
    """A person's name as namesakes are found: 王 五 and 王五, Ｗａｎｇ and Wang, are one name."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _existing_groups(conn: Connection, table: str) -> tuple[dict[str, str], dict[str, str | None]]:
    """The live teams (or workstations): by exact name, and by _group_key (None where two names
    differ only by width or spaces: Station and Ｓｔａｔｉｏｎ in two counties, say)."""
    exact: dict[str, str] = {}
    by_key: dict[str, str | None] = {}
    for group_id, fields in _live(conn, table).items():
        name = str(fields.get("name", "")).strip()
        exact.setdefault(name, group_id)
        key = _group_key(name)
        by_key[key] = group_id if by_key.get(key, group_id) == group_id else None
    return exact, by_key


def _group_id(existing: tuple[dict[str, str], dict[str, str | None]], name: str) -> str | None:
    """The existing group a roster's name means: the one of exactly that name, else the only one of
    the same key (a roster's 站长 of "Station" was made the 站长 of "Ｓｔａｔｉｏｎ" in another county)."""
    exact, by_key = existing
    return exact.get(name.strip()) or by_key.get(_group_key(name))


def _group_key(name: str) -> str:
    """A team's or workstation's name as the roster matches it: 团（新会） and 团(新会), a stray
    space or a full-width letter name one group (the first spelling is the one kept)."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _problem(row: int, field: str, kind: str, zh: str, en: str) -> dict[str, Any]:
    return {
        "row": row,
        "column": COLUMNS[field],
        "field": field,
        # "error": the import is refused; "create": a team or station that will be made; "note": worth
        # a look, not in the way (a namesake)
        "kind": kind,
        "message_zh": zh,
        "message_en": en,
    }


def check_roster(conn: Connection, rows: list[RosterRow]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every problem of the roster (by row and column) and what an import would create."""
    problems: list[dict[str, Any]] = []
    counties = known_counties(conn)
    teams = _existing_groups(conn, "teams")
    stations = _existing_groups(conn, "workstations")
    new_team_names: dict[str, str] = {}  # key -> the name a new team is made with
    new_station_names: dict[str, str] = {}
    mobiles = [r.mobile.strip() for r in rows if r.mobile.strip()]
    taken: set[str] = set()
    for i in range(0, len(mobiles), 500):
        part = mobiles[i : i + 500]
        taken |= {str(u) for (u,) in conn.execute(select(users.c.username).where(users.c.username.in_(part)))}
    first_row: dict[str, int] = {}
    # Namesakes: two rows (or a row and an account) of one name are often one person typed twice; as
    # often two people (王五 is common). Said, not refused: the mobile numbers tell them apart.
    named: dict[str, str] = {
        _name_key(str(n)): str(u)
        for n, u in conn.execute(select(users.c.display_name, users.c.username)).all()
        if n and str(n).strip()
    }
    name_row: dict[str, int] = {}
    new_teams: dict[str, list[str]] = {}
    new_stations: dict[str, str] = {}
    for r in rows:
        role = ROLE_NAMES.get(_role_key(r.role))
        if _role_key(r.role) in BUREAU_ROLE_NAMES:
            problems.append(
                _problem(
                    r.row,
                    "role",
                    "error",
                    "市科技局账号不能由名册导入，请在“组织管理”中单独开通",
                    "a city bureau account is not made from a roster: open it in Organisation",
                )
            )
        elif role is None:
            problems.append(
                _problem(
                    r.row,
                    "role",
                    "error",
                    f"未知的角色“{r.role}”（可填：科技特派员、站长、团长、县科技局）",
                    f"unknown role {r.role!r} (use 科技特派员, 站长, 团长 or 县科技局)",
                )
            )
        name = _name_key(r.name)
        if not name:
            problems.append(_problem(r.row, "name", "error", "必须填写", "is required"))
        elif name in name_row:
            problems.append(
                _problem(
                    r.row,
                    "name",
                    "note",
                    f"与第 {name_row[name]} 行同名：将建两个账号，请核对是否同一人重复填写",
                    f"the same name as row {name_row[name]}: two accounts will be made; check it is "
                    "not one person twice",
                )
            )
        elif name in named:
            problems.append(
                _problem(
                    r.row,
                    "name",
                    "note",
                    f"已有同名账号（{named[name]}）：将再建一个账号，请核对是否同一人",
                    f"an account of this name exists ({named[name]}): another will be made; check it "
                    "is not the same person",
                )
            )
        if name:
            name_row.setdefault(name, r.row)
        if role in PROFILE_ROLES + (None,) and not r.sending_unit.strip():
            problems.append(_problem(r.row, "sending_unit", "error", "必须填写", "is required"))
        if r.gender.strip() not in ("", "男", "女"):
            problems.append(_problem(r.row, "gender", "error", "应为“男”或“女”", "must be 男 or 女"))
        mobile = r.mobile.strip()
        if not mobile:
            problems.append(_problem(r.row, "mobile", "error", "必须填写", "is required"))
        elif not MOBILE_RE.match(mobile):
            problems.append(
                _problem(
                    r.row, "mobile", "error", "不是有效的11位手机号码", "is not an 11-digit mobile number"
                )
            )
        elif mobile in first_row:
            problems.append(
                _problem(
                    r.row,
                    "mobile",
                    "error",
                    f"与第 {first_row[mobile]} 行重复",
                    f"repeats row {first_row[mobile]}",
                )
            )
        elif mobile in taken:
            problems.append(
                _problem(r.row, "mobile", "error", "已有账号使用此号码", "an account with this number exists")
            )
        else:
            first_row[mobile] = r.row
        county = r.county.strip()
        if not county:
            problems.append(_problem(r.row, "county", "error", "必须填写", "is required"))
        elif county not in counties:
            problems.append(
                _problem(
                    r.row,
                    "county",
                    "error",
                    f"“{county}”不是江门市的县（市、区）",
                    f"{county!r} is not a county of Jiangmen",
                )
            )
        team, station = r.team.strip(), r.workstation.strip()
        leads = r.role.strip()
        if leads == "团长" and not team:
            problems.append(
                _problem(
                    r.row, "team", "error", "团长须填写所带的科技特派团", "a 团长 needs the team they lead"
                )
            )
        elif leads == "站长" and not station:
            problems.append(
                _problem(
                    r.row,
                    "workstation",
                    "error",
                    "站长须填写所在的工作站",
                    "a 站长 needs the workstation they run",
                )
            )
        team_key, station_key = _group_key(team), _group_key(station)
        for kind, name, existing in (("team", team, teams), ("workstation", station, stations)):
            if name and _group_id(existing, name) is None and existing[1].get(_group_key(name), "") is None:
                problems.append(
                    _problem(
                        r.row,
                        kind,
                        "error",
                        f"“{name}”与多个已有的名称只差全角半角或空格，请写出其中一个的准确名称",
                        f"{name!r} differs from several existing names only by width or spaces: "
                        "write one of them exactly",
                    )
                )
        if team and _group_id(teams, team) is None and team_key not in teams[1]:
            if team_key not in new_team_names:
                new_team_names[team_key] = team  # (the first spelling)
                problems.append(
                    _problem(
                        r.row, "team", "create", f"将新建科技特派团“{team}”", f"team {team!r} will be created"
                    )
                )
            made = new_teams.setdefault(new_team_names[team_key], [])
            if county in counties and county not in made:
                made.append(county)
        if (
            station
            and _group_id(stations, station) is None
            and station_key not in stations[1]
            and station_key not in new_station_names
        ):
            new_station_names[station_key] = station
            problems.append(
                _problem(
                    r.row,
                    "workstation",
                    "create",
                    f"将新建工作站“{station}”",
                    f"workstation {station!r} will be created",
                )
            )
            new_stations[station] = county if county in counties else ""
    plan = {"teams": teams, "stations": stations, "new_teams": new_teams, "new_stations": new_stations}
    return problems, plan


def _summary(rows: list[RosterRow], problems: list[dict[str, Any]], plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "rows": len(rows),
        "errors": sum(1 for p in problems if p["kind"] == "error"),
        "problems": problems,
        "teams_to_create": sorted(plan["new_teams"]),
        "workstations_to_create": sorted(plan["new_stations"]),
    }


@router.post("/admin/roster/check")
def roster_check(body: RosterIn, user: Bureau, request: Request) -> dict[str, Any]:
    """The dry run: every problem by row and column; nothing is written."""
    with reading(_engine(request)) as conn:
        problems, plan = check_roster(conn, body.rows)
    return _summary(body.rows, problems, plan)


@router.post("/admin/roster/import", status_code=201)
def roster_import(body: RosterIn, user: Bureau, request: Request) -> dict[str, Any]:
    """Create the roster's accounts, profiles, teams and workstations in one transaction, or (when
    the check finds an error) nothing: 422 with the problems. The one-time codes are in this answer
    only."""
    if not body.rows:
        raise _invalid("rows", "名册为空", "the roster has no rows")
    codes = [auth.one_time_code() for _ in body.rows]
    hashes = _hash_codes(codes)  # before the write transaction: it holds the writers' lock
    engine = _engine(request)
    with writing(engine) as conn:
        problems, plan = check_roster(conn, body.rows)
        summary = _summary(body.rows, problems, plan)
        if summary["errors"]:
            raise ApiError(
                422,
                "roster_problems",
                f"名册有 {summary['errors']} 处错误，未导入任何内容",
                f"the roster has {summary['errors']} problems; nothing was imported",
                extra=summary,
            )
        changes: list[dict[str, Any]] = []
        roles = [ROLE_NAMES[_role_key(r.role)] for r in body.rows]
        cids = [str(uuid.uuid4()) if role in PROFILE_ROLES else None for role in roles]
        # A team or workstation made with its 团长 or 站长 is led by them from the start (the first
        # such row for each).
        leaders: dict[tuple[str, str], str] = {}
        for r, cid in zip(body.rows, cids, strict=True):
            kind = {"团长": "team", "站长": "workstation"}.get(r.role.strip())
            name = _group_key(r.team if kind == "team" else r.workstation)
            if kind and cid and name:
                leaders.setdefault((kind, name), cid)
        team_ids: dict[str, str] = {}  # the new ones, by _group_key
        for name, team_counties in plan["new_teams"].items():
            team_ids[_group_key(name)] = tid = str(uuid.uuid4())
            fields: dict[str, Any] = {
                "name": name,
                "counties": team_counties,
                "county": team_counties[0] if team_counties else "",
            }
            if ("team", _group_key(name)) in leaders:
                fields["leader_id"] = leaders["team", _group_key(name)]
            changes.append(_change(conn, "teams", tid, fields))
        station_ids: dict[str, str] = {}
        for name, county in plan["new_stations"].items():
            station_ids[_group_key(name)] = sid = str(uuid.uuid4())
            fields = {"name": name, "county": county}
            if ("workstation", _group_key(name)) in leaders:
                fields["manager_id"] = leaders["workstation", _group_key(name)]
            changes.append(_change(conn, "workstations", sid, fields))
        now = timeutil.now_iso()
        expires = timeutil.iso(timeutil.now() + auth.CODE_LIFETIME)
        accounts, made_users, made_memberships = [], [], []
        for r, code, code_hash, role, cid in zip(body.rows, codes, hashes, roles, cids, strict=True):
            username = r.mobile.strip()
            account_id = str(uuid.uuid4())
            team = (
                _group_id(plan["teams"], r.team) or team_ids.get(_group_key(r.team))
                if r.team.strip()
                else None
            )
            station = (
                _group_id(plan["stations"], r.workstation) or station_ids.get(_group_key(r.workstation))
                if r.workstation.strip()
                else None
            )
            county = r.county.strip()
            made_users.append(
                {
                    "id": account_id,
                    "username": username,
                    "password_hash": code_hash,
                    "role": role,
                    "display_name": r.name.strip(),
                    "commissioner_id": cid,
                    "team_id": team,
                    "workstation_id": station,
                    "county": county,
                    "disabled": False,
                    "disabled_reason": "",
                    "must_change_password": True,
                    "code_expires_at": expires,
                    "created_at": now,
                }
            )
            made_memberships.append(
                {
                    "user_id": account_id,
                    "role": role,
                    "team_id": team,
                    "workstation_id": station,
                    "county": county,
                    "from_at": now,
                    "until_at": None,
                    "changed_by": user.username,
                }
            )
            if cid is not None:
                changes.append(
                    {
                        "table": "commissioners",
                        "id": cid,
                        "base_rev": 0,
                        "deleted": False,
                        "fields": {
                            "name": r.name.strip(),
                            "gender": r.gender.strip(),
                            "phone": username,
                            "sending_unit": r.sending_unit.strip(),
                            "title": r.title.strip(),
                            "specialty": r.specialty.strip(),
                            "team_id": team,
                            "workstation_id": station,
                            "county": county,
                            "username": username,
                        },
                    }
                )
            accounts.append(
                {
                    "row": r.row,
                    "name": r.name.strip(),
                    "username": username,
                    "role": role,
                    "county": county,
                    "one_time_code": code,
                }
            )
        conn.execute(users.insert(), made_users)
        conn.execute(memberships.insert(), made_memberships)
        write_records(conn, user, changes)
        made = {
            "accounts": [{k: a[k] for k in ("row", "name", "username", "role", "county")} for a in accounts],
            "teams_created": sorted(plan["new_teams"]),
            "workstations_created": sorted(plan["new_stations"]),
        }
        _audit(conn, user, "roster.import", "roster", None, made)  # never the one-time codes
    return {
        "accounts": accounts,
        "teams_created": sorted(plan["new_teams"]),
        "workstations_created": sorted(plan["new_stations"]),
        "code_expires_at": expires,
    }


# --- the user's own password -------------------------------------------------------------------------

password_router = APIRouter()


@password_router.post("/auth/change-password")
def change_password(body: PasswordChangeIn, request: Request) -> dict[str, Any]:
    """Replace a one-time code (or a known password) with a new password, and log in: the answer is
    the login's. Throttled like a login (it checks the old password the same way)."""
    address = request.client.host if request.client else ""
    answer = auth.login(
        _engine(request),
        body.username,
        body.password,
        body.device_id,
        address,
        new_password=body.new_password,
    )
    request.state.username = answer["user"]["username"]
    return answer
