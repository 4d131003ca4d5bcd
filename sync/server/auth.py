"""Passwords (argon2), bearer tokens (only their sha256 is stored) and login throttling in the DB."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from sync.server import timeutil
from sync.server.db import reading, writing
from sync.server.errors import ApiError, auth_required
from sync.server.tables import login_attempts, records, tokens, users

log = logging.getLogger(__name__)

ROLES = ("commissioner", "manager", "bureau", "county")
TOKEN_LIFETIME = timedelta(days=30)

# Login throttling (see SECURITY.md). An attempt counts on up to three rows of `login_attempts`: the
# (name, address) pair and the name over all addresses not known for it, both before the password
# is checked; and the address over all names not known there, once the attempt has failed while the
# address has free failures left, before the check once it has none (many people log in at once
# from one office's address: counted before, their attempts in flight locked the address against
# the right passwords of the rest; a burst of guesses gets one burst, bounded by the logins the
# server takes at once, then one attempt per lock). Past its free failures a row locks further
# attempts for 2 s, then twice as long after each failure, up to MAX_LOCK; while locked, the right
# password is refused too (429), so guessing is useless. An address where the name logged in within
# KNOWN_FOR is "known": only the pair's own row applies there, so nobody elsewhere can lock the
# owner out of their usual place. A success forgives the attempt; so does a server error.
FREE_FAILURES = 5  # per (name, address)
NAME_FREE_FAILURES = 30  # per name, from addresses not known for it
ADDRESS_FREE_FAILURES = 10  # per address, over names not known there (floods of made-up names)
MAX_LOCK = 900.0
# While an attempt counted before its check is being checked, the lock it set on a row is at most
# this long: the next person at that office is told to try again in seconds, not in the minutes a
# failure earns. A failure then sets the whole lock (from when it was counted); a success takes the
# lock back. Long enough to cover a check that waits for its turn (VERIFY_WAIT) and the write of
# its failure after it, so that no second guess is checked before the first one's lock is whole.
CHECK_HOLD = 30.0
# A login that finds its rows held only by checks under way waits up to this long for them to end
# (a room of people at one office then log in one after another, each told nothing), and is told
# to try again when the hold is left after it.
HOLD_WAIT = 5.0
HOLD_POLL = 0.1
KNOWN_FOR = timedelta(days=90)
ANY_ADDRESS = "*"

# argon2 with the library's defaults costs 64 MiB and ~0.1-0.2 s of one core per check. At most
# MAX_CONCURRENT_VERIFICATIONS checks run at once in a server process (128 MiB), at most
# MAX_WAITING_LOGINS more logins wait for a slot (up to VERIFY_WAIT seconds); any further login is
# answered 503 at once, without touching the database, so a flood of logins cannot take the
# threads, memory or CPU that authenticated requests need.
MAX_CONCURRENT_VERIFICATIONS = 2
MAX_WAITING_LOGINS = 8
VERIFY_WAIT = 10.0
_verify_slots = threading.BoundedSemaphore(MAX_CONCURRENT_VERIFICATIONS)
_login_slots = threading.BoundedSemaphore(MAX_CONCURRENT_VERIFICATIONS + MAX_WAITING_LOGINS)

_hasher = PasswordHasher()
# One-time codes (sync/server/admin.py) are hashed with a cheaper argon2 than chosen passwords: the
# default cost is there to slow the guessing of a human-chosen password from a stolen database, and
# a code is ~59 random bits that no guessing reaches at any cost (31^12 codes; at 1 ms a guess on
# one core that is 10^7 core-years). It is valid until used or CODE_LIFETIME passes, and the chosen
# password that replaces it is hashed with the full cost. 1,000 roster accounts hash in seconds.
_code_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a slip and typed
CODE_LIFETIME = timedelta(days=30)
# Verified when the user does not exist, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def use_password_hasher(hasher: PasswordHasher, dummy_hash: str | None = None) -> tuple[PasswordHasher, str]:
    """Change the argon2 cost of new hashes (tests use a cheap one; stored hashes keep their own).

    Returns the previous hasher and dummy hash, to restore them."""
    global _hasher, _DUMMY_HASH
    previous = (_hasher, _DUMMY_HASH)
    _hasher = hasher
    _DUMMY_HASH = dummy_hash or hasher.hash("not a password of anyone")
    return previous


@dataclass(frozen=True)
class User:
    id: str
    username: str
    role: str
    display_name: str
    commissioner_id: str | None
    team_id: str | None
    workstation_id: str | None
    county: str = ""  # a county bureau's county; a commissioner's service county

    @classmethod
    def from_row(cls, row: Any) -> User:
        return cls(
            row.id,
            row.username,
            row.role,
            row.display_name,
            row.commissioner_id,
            row.team_id,
            row.workstation_id,
            getattr(row, "county", "") or "",
        )

    def info(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "display_name": self.display_name,
            "commissioner_id": self.commissioner_id,
            "team_id": self.team_id,
            "workstation_id": self.workstation_id,
            "county": self.county,
        }


def one_time_code() -> str:
    """A new one-time password: 12 letters and digits in groups of four (xxxx-xxxx-xxxx)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def hash_code(code: str) -> str:
    return _code_hasher.hash(code)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_username(name: str) -> str:
    """The one spelling of a user name everywhere (login, throttling, administration)."""
    return name.strip().casefold()


def safe_name(name: str) -> str:
    """A user name as logs may show it: an account's name, else a short digest of what was typed
    (it may be a password typed into the wrong field), so repeated attempts still line up."""
    return "?" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:10]


def _lock_seconds(failures: int, free: int = FREE_FAILURES) -> float:
    if failures < free:
        return 0.0
    return min(MAX_LOCK, 2.0 ** (failures - free + 1))


def _throttled(retry_after: float, kind: type[ApiError] = ApiError) -> ApiError:
    seconds = max(1, int(retry_after + 0.999))
    return kind(
        429,
        "too_many_attempts",
        f"登录失败次数过多，请 {seconds} 秒后再试",
        f"too many failed logins; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def _busy() -> ApiError:
    return ApiError(
        503,
        "busy",
        "服务器正忙于处理其他登录，请稍后再试",
        "the server is busy with other logins; try again shortly",
        headers={"Retry-After": "5"},
    )


def _login_failed() -> ApiError:
    return ApiError(
        401,
        "login_failed",
        "用户名或密码错误（或账号已停用）",
        "wrong user name or password (or the account is disabled)",
    )


def _insert() -> Any:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert, pg_insert


def _attempt_rows(conn: Connection, keys: list[tuple[str, str]], lock: bool) -> dict[tuple[str, str], Any]:
    query = select(login_attempts).where(
        or_(*[and_(login_attempts.c.username == n, login_attempts.c.address == a) for n, a in keys])
    )
    if lock:
        query = query.with_for_update()
    return {(r.username, r.address): r for r in conn.execute(query)}


def _locked_rows(rows: dict[tuple[str, str], Any], keys: list[tuple[str, str]], now: Any) -> list[Any]:
    return [
        r
        for k in keys
        if (r := rows.get(k)) is not None and r.locked_until and timeutil.parse(r.locked_until) > now
    ]


def _locked_for(rows: dict[tuple[str, str], Any], keys: list[tuple[str, str]], now: Any) -> float:
    locked = _locked_rows(rows, keys, now)
    return max(((timeutil.parse(r.locked_until) - now).total_seconds() for r in locked), default=0.0)


class _Held(ApiError):
    """The 429 of an attempt whose rows are locked only by attempts still being checked."""


def _is_hold(row: Any) -> bool:
    """Whether a row's lock is the hold of an attempt being checked: CHECK_HOLD from the attempt's
    count (a lock a failure earns lasts a power of two seconds, or MAX_LOCK)."""
    if not row.last_failure_at:
        return False
    length = timeutil.parse(row.locked_until) - timeutil.parse(row.last_failure_at)
    return abs(length.total_seconds() - CHECK_HOLD) < 0.001


def _refuse_if_locked(rows: dict[tuple[str, str], Any], keys: list[tuple[str, str]], now: Any) -> None:
    if wait := _locked_for(rows, keys, now):
        held = all(map(_is_hold, _locked_rows(rows, keys, now)))
        raise _throttled(wait, _Held if held else ApiError)


Counted = list[tuple[tuple[str, str], int]]  # rows of login_attempts, each with its free failures
# The locks an attempt set, by row: the locked_until it wrote (CHECK_HOLD at most, while it is
# checked) and the one a failure earns.
Locks = dict[tuple[str, str], tuple[str, str]]


def _count_attempt(conn: Connection, key: str, address: str) -> tuple[Counted, Counted, Locks]:
    """Counts one attempt on the rows that count it before the password is checked (or raises 429
    when any row that applies is locked); returns them, and the rows to count if it fails, each
    with its free failures; and the locks the count set."""
    now = timeutil.now()
    pair = (key, address)
    every = sorted({pair, (key, ANY_ADDRESS), ("", address)})
    # Read first, without writing: a locked flood adds no rows.
    rows = _attempt_rows(conn, every, lock=False)
    known = bool(
        (r := rows.get(pair)) is not None
        and r.last_success_at
        and timeutil.parse(r.last_success_at) > now - KNOWN_FOR
    )
    counted: Counted = [(pair, FREE_FAILURES)]
    if_failed: Counted = []
    if not known:
        counted.append(((key, ANY_ADDRESS), NAME_FREE_FAILURES))
        # The address's row counts failures only while it has free ones left (a room of people
        # logging in at once are all let in); past them, every attempt before its check, as the
        # name's rows: after a burst of guesses has used them up, one attempt per lock gets through.
        spent = (r := rows.get(("", address))) is not None and r.failures >= ADDRESS_FREE_FAILURES
        (counted if spent else if_failed).append((("", address), ADDRESS_FREE_FAILURES))
    _refuse_if_locked(rows, sorted(k for k, _ in counted + if_failed), now)
    rows, locks = _add_failure(conn, counted, now, hold=CHECK_HOLD)
    _refuse_if_locked(rows, sorted(k for k, _ in counted), now)
    return counted, if_failed, locks


def _add_failure(
    conn: Connection, counted: Counted, now: Any, hold: float | None = None
) -> tuple[dict[tuple[str, str], Any], Locks]:
    """One more failure on each of `counted` (rows made as needed), locking those past their free
    failures (for `hold` seconds at most: an attempt still to be checked); the rows as they were
    before, and the locks set."""
    from sync.server.db import is_sqlite

    sqlite_insert, pg_insert = _insert()
    insert = sqlite_insert if is_sqlite(conn) else pg_insert
    keys = sorted(k for k, _ in counted)
    for name, addr in keys:  # in one order everywhere: no deadlock between parallel logins
        conn.execute(
            insert(login_attempts).values(username=name, address=addr, failures=0).on_conflict_do_nothing()
        )
    rows = _attempt_rows(conn, keys, lock=True)
    locks: Locks = {}
    if _locked_for(rows, keys, now):
        return rows, locks  # (the caller refuses it: a lock is not lengthened by attempts it refused)
    for k, free in counted:
        failures = rows[k].failures + 1
        lock = _lock_seconds(failures, free)
        if lock:
            whole = timeutil.iso(now + timedelta(seconds=lock))
            held = whole if hold is None or hold >= lock else timeutil.iso(now + timedelta(seconds=hold))
            locks[k] = (held, whole)
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.username == k[0], login_attempts.c.address == k[1])
            .values(
                failures=failures, last_failure_at=timeutil.iso(now), locked_until=locks.get(k, (None,))[0]
            )
        )
    return rows, locks


def _count_failure(engine: Engine, if_failed: Counted, locks: Locks) -> None:
    """A login refused: counted on the rows that count only failures, and the locks its attempt set
    while it was checked made whole."""
    lengthen = sorted((k, whole) for k, (held, whole) in locks.items() if held != whole)
    if not if_failed and not lengthen:
        return
    with writing(engine) as conn:
        if if_failed:
            _add_failure(conn, if_failed, timeutil.now())
        # In key order after the address's row (whose name, "", sorts first), as every attempt
        # locks its rows: no deadlock between parallel logins.
        for (name, addr), whole in lengthen:
            where = and_(login_attempts.c.username == name, login_attempts.c.address == addr)
            row = conn.execute(select(login_attempts).where(where).with_for_update()).first()
            if row is not None and (
                not row.locked_until or timeutil.parse(row.locked_until) < timeutil.parse(whole)
            ):
                conn.execute(update(login_attempts).where(where).values(locked_until=whole))


def _forgive(conn: Connection, counted: Counted, success: bool, locks: Locks) -> None:
    """Takes back one counted attempt (a success, or an attempt that ended in a server error), and the
    locks it set where no attempt has set another since: it was let in, so none held before it (past
    its free failures, a row locks the next attempt at each one; a success left that lock in place,
    and the next person with the right password was refused for up to MAX_LOCK)."""
    now_iso = timeutil.now_iso()
    pair = counted[0][0]
    for (name, addr), free in sorted(counted):  # the order _count_attempt locks in: no deadlock
        where = and_(login_attempts.c.username == name, login_attempts.c.address == addr)
        row = conn.execute(select(login_attempts).where(where).with_for_update()).first()
        if row is None:
            continue
        is_pair = (name, addr) == pair
        failures = 0 if success and is_pair else max(row.failures - 1, 0)
        values: dict[str, Any] = {"failures": failures}
        if _lock_seconds(failures, free) == 0 or (
            row.locked_until and row.locked_until == locks.get((name, addr), ("",))[0]
        ):
            values["locked_until"] = None
        if success and is_pair:
            values["last_success_at"] = now_iso
        conn.execute(update(login_attempts).where(where).values(**values))


def _find_user(conn: Connection, key: str) -> Any:
    row = conn.execute(select(users).where(users.c.username == key)).first()
    if row is None:
        # Accounts made before names were normalised may have capitals.
        row = conn.execute(select(users).where(func.lower(users.c.username) == key).limit(1)).first()
    return row


def _verify_bounded(password_hash: str, password: str) -> bool:
    if not _verify_slots.acquire(timeout=VERIFY_WAIT):
        raise _busy()
    try:
        return _verify(password_hash, password)
    finally:
        _verify_slots.release()


def login(
    engine: Engine,
    username: str,
    password: str,
    device_id: str,
    address: str = "",
    new_password: str | None = None,
) -> dict[str, Any]:
    """Exchange a name and password for a new token; throttle failures (see the constants above).

    Each attempt counts as a failure of its name (at that address, and over unknown addresses)
    before the password is checked, and is forgiven on success: a burst of parallel guesses at one
    account meets the lock as surely as a sequence. The address's own count over names takes
    failures only while it has free ones left, and every attempt once they are spent (a locked
    address is refused all the same). The slow argon2 check runs outside any write transaction, so
    logins do not hold up other writers.

    An account whose password is a one-time code gets no session: the right code is answered 403
    `password_change_required` until a login gives `new_password` too (POST /auth/change-password),
    which replaces the password and then logs in. That also changes a known password."""
    if new_password is not None:
        problem = password_problem(new_password, password)
        if problem:
            raise problem
    key = normalise_username(username)[:100]
    address = (address or "")[:64]
    if not key:
        raise _login_failed()
    if not _login_slots.acquire(blocking=False):
        raise _busy()
    try:
        return _login(engine, key, password, device_id, address, new_password)
    finally:
        _login_slots.release()


def password_problem(new_password: str, old_password: str = "") -> ApiError | None:
    if len(new_password) < 8 or len(new_password) > 1000:
        return ApiError(
            422, "weak_password", "新密码至少需要 8 个字符", "the new password needs at least 8 characters"
        )
    if new_password == old_password:
        return ApiError(
            422,
            "same_password",
            "新密码不能与一次性密码或旧密码相同",
            "the new password must differ from the one-time code or the old password",
        )
    return None


def _change_required() -> ApiError:
    return ApiError(
        403,
        "password_change_required",
        "这是一次性密码：请先设置您自己的新密码",
        "this is a one-time code: choose a password of your own first",
    )


def _code_expired() -> ApiError:
    return ApiError(
        401,
        "code_expired",
        "一次性密码已过期，请联系市科技局重新发放",
        "the one-time code has expired; ask the bureau for a new one",
    )


def _login(
    engine: Engine, key: str, password: str, device_id: str, address: str, new_password: str | None = None
) -> dict[str, Any]:
    waited_until = time.monotonic() + HOLD_WAIT
    while True:
        try:
            with writing(engine) as conn:
                counted, if_failed, locks = _count_attempt(conn, key, address)
                row = _find_user(conn, key)
            break
        except _Held:
            if time.monotonic() + HOLD_POLL > waited_until:
                raise
            time.sleep(HOLD_POLL)
    try:
        ok = _verify_bounded(row.password_hash if row else _DUMMY_HASH, password)
    except Exception:
        with writing(engine) as conn:
            _forgive(conn, counted, success=False, locks=locks)
        raise
    if row is None or not ok or row.disabled:
        log.warning(
            "login failed",
            extra={"user": row.username if row else safe_name(key), "client": address},
        )
        _count_failure(engine, if_failed, locks)
        raise _login_failed()
    must_change = bool(getattr(row, "must_change_password", False))
    if must_change and row.code_expires_at and row.code_expires_at <= timeutil.now_iso():
        # Counted as a failure: a stale code is as good as a wrong one.
        _count_failure(engine, if_failed, locks)
        raise _code_expired()
    if must_change and new_password is None:
        with writing(engine) as conn:
            _forgive(conn, counted, success=True, locks=locks)
        raise _change_required()
    new_hash = hash_password(new_password) if new_password is not None else None
    token = secrets.token_urlsafe(32)
    expires = timeutil.now() + TOKEN_LIFETIME
    try:
        with writing(engine) as conn:
            _forgive(conn, counted, success=True, locks=locks)
            if new_hash is not None:
                changed = conn.execute(
                    update(users)
                    .where(users.c.id == row.id, users.c.password_hash == row.password_hash)
                    .values(password_hash=new_hash, must_change_password=False, code_expires_at=None)
                )
                if changed.rowcount != 1:  # reset again meanwhile: the code given is no longer valid
                    raise _login_failed()
                # The new password ends every session of the old one (there are none after a code).
                conn.execute(update(tokens).where(tokens.c.user_id == row.id).values(revoked=True))
            conn.execute(
                tokens.insert().values(
                    token_hash=token_hash(token),
                    user_id=row.id,
                    device_id=device_id[:200],
                    created_at=timeutil.now_iso(),
                    expires_at=timeutil.iso(expires),
                    revoked=False,
                )
            )
    except Exception:
        with writing(engine) as conn:
            _forgive(conn, counted, success=False, locks=locks)
        raise
    user = User.from_row(row)
    log.info("login", extra={"user": user.username, "device_id": device_id[:200], "client": address})
    return {
        "token": token,
        "expires_at": timeutil.iso(expires),
        "user": user.info(),
        "has_records": _has_records(engine, user.commissioner_id),
    }


def _has_records(engine: Engine, commissioner_id: str | None) -> bool:
    """Whether the account already owns records besides its profile: a client whose records were
    typed offline under a profile of its own binds them to an account that has none (sync/session.py)."""
    if not commissioner_id:
        return False
    with reading(engine) as conn:
        found = conn.execute(
            select(records.c.id)
            .where(
                records.c.owner_id == commissioner_id,
                records.c.table_name != "commissioners",
                records.c.deleted.is_(False),
            )
            .limit(1)
        ).first()
    return found is not None


def authenticate(engine: Engine, authorization: str | None) -> tuple[User, str]:
    """The user behind a bearer token (and the token's hash), or 401 with one answer for every fault."""
    if not authorization or not authorization.startswith("Bearer "):
        raise auth_required()
    token = authorization[len("Bearer ") :].strip()
    if not token or len(token) > 200:
        raise auth_required()
    digest = token_hash(token)
    with reading(engine) as conn:
        row = conn.execute(
            select(users, tokens.c.expires_at, tokens.c.revoked)
            .join(tokens, tokens.c.user_id == users.c.id)
            .where(tokens.c.token_hash == digest)
        ).first()
    if row is None or row.revoked or row.disabled or row.expires_at <= timeutil.now_iso():
        raise auth_required()
    return User.from_row(row), digest


def logout(engine: Engine, digest: str) -> None:
    with writing(engine) as conn:
        conn.execute(update(tokens).where(tokens.c.token_hash == digest).values(revoked=True))


# --- administration (the command line) ---------------------------------------------------------


class UserAdminError(Exception):
    """An account command refused, said in both languages (str(): the English)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    team_id: str | None = None,
    workstation_id: str | None = None,
    commissioner_id: str | None = None,
    county: str = "",
) -> str:
    if role not in ROLES:
        raise UserAdminError(
            f"未知的角色 {role!r}，应为 {'、'.join(ROLES)} 之一",
            f"unknown role {role!r}; use one of {', '.join(ROLES)}",
        )
    county = county.strip()
    if role == "county" and not county:
        raise UserAdminError(
            "县级账号须指定所属县（市、区）（--county 新会区）",
            "a county account needs its county (--county 新会区)",
        )
    if len(county) > 40 or "\x00" in county:
        raise UserAdminError(
            "县（市、区）名称不得超过 40 个字符", "the county name must be at most 40 characters"
        )
    username = normalise_username(username)
    if not username or len(username) > 100 or "\x00" in username:
        raise UserAdminError("账号名须为 1 到 100 个字符", "the user name must be 1 to 100 characters")
    if any(c.isspace() for c in username):
        raise UserAdminError("账号名不能包含空格", "the user name cannot contain spaces")
    if len(password) < 8:
        raise UserAdminError("密码至少需要 8 个字符", "the password must have at least 8 characters")
    with writing(engine) as conn:
        if _find_user(conn, username) is not None:
            raise _name_taken(username)
        if commissioner_id:
            taken = conn.execute(
                select(users.c.username).where(users.c.commissioner_id == commissioner_id)
            ).first()
            if taken is not None:
                raise UserAdminError(
                    f"特派员编号 {commissioner_id} 已属于账号 {taken.username}",
                    f"commissioner id {commissioner_id!r} belongs to user {taken.username!r} already",
                )
        user_id = str(uuid.uuid4())
        conn.execute(
            users.insert().values(
                id=user_id,
                username=username,
                password_hash=hash_password(password),
                role=role,
                display_name=display_name or username,
                team_id=team_id,
                workstation_id=workstation_id,
                commissioner_id=commissioner_id,
                county=county,
                disabled=False,
                created_at=timeutil.now_iso(),
            )
        )
        open_membership(conn, user_id, role, team_id, workstation_id, county, "")
    return user_id


def open_membership(
    conn: Connection,
    user_id: str,
    role: str,
    team_id: str | None,
    workstation_id: str | None,
    county: str,
    changed_by: str,
) -> None:
    """Close the account's current membership row (if any) and open one with these values."""
    from sync.server.tables import memberships

    now = timeutil.now_iso()
    conn.execute(
        update(memberships)
        .where(memberships.c.user_id == user_id, memberships.c.until_at.is_(None))
        .values(until_at=now)
    )
    conn.execute(
        memberships.insert().values(
            user_id=user_id,
            role=role,
            team_id=team_id,
            workstation_id=workstation_id,
            county=county,
            from_at=now,
            changed_by=changed_by,
        )
    )


def _name_taken(username: str) -> UserAdminError:
    return UserAdminError(f"账号 {username} 已存在", f"user {username!r} exists already")


def _user_id(conn: Connection, username: str) -> str:
    row = _find_user(conn, normalise_username(username))
    if row is None:
        raise UserAdminError(f"没有账号 {username}", f"no user {username!r}")
    return str(row.id)


def require_name_free(engine: Engine, username: str) -> None:
    """Refuses a name an account has (as add_user would), before a password is asked for."""
    name = normalise_username(username)
    with reading(engine) as conn:
        if _find_user(conn, name) is not None:
            raise _name_taken(name)


def require_account(engine: Engine, username: str) -> None:
    """Refuses a name no account has (as reset_password would), before a password is asked for."""
    with reading(engine) as conn:
        _user_id(conn, username)


def disable_user(engine: Engine, username: str, reason: str = "") -> None:
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(
            update(users).where(users.c.id == user_id).values(disabled=True, disabled_reason=reason[:500])
        )
        conn.execute(update(tokens).where(tokens.c.user_id == user_id).values(revoked=True))


def enable_user(engine: Engine, username: str) -> None:
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(update(users).where(users.c.id == user_id).values(disabled=False, disabled_reason=""))


def reset_password(engine: Engine, username: str, password: str) -> None:
    if len(password) < 8:
        raise UserAdminError("密码至少需要 8 个字符", "the password must have at least 8 characters")
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=hash_password(password), must_change_password=False, code_expires_at=None)
        )
        # A new password ends every session made with the old one.
        conn.execute(update(tokens).where(tokens.c.user_id == user_id).values(revoked=True))
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.username == normalise_username(username))
            .values(failures=0, locked_until=None)
        )


def list_users(engine: Engine) -> list[dict[str, Any]]:
    with reading(engine) as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [
        {
            **User.from_row(r).info(),
            "disabled": bool(r.disabled),
            "disabled_reason": r.disabled_reason or "",
            "must_change_password": bool(r.must_change_password),
            "created_at": r.created_at,
        }
        for r in rows
    ]
