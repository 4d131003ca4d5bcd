"""Passwords (argon2), bearer tokens (only their sha256 is stored) and login throttling in the DB."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, select, update

from sync.server import timeutil
from sync.server.db import reading, writing
from sync.server.errors import ApiError, auth_required
from sync.server.tables import login_attempts, records, tokens, users

log = logging.getLogger(__name__)

ROLES = ("commissioner", "manager", "bureau")
TOKEN_LIFETIME = timedelta(days=30)
# After FREE_FAILURES wrong passwords in a row, each further attempt waits twice as long as the one
# before (2 s, 4 s, ... up to MAX_LOCK), even with the right password: guessing becomes useless.
FREE_FAILURES = 5
MAX_LOCK = 900.0

_hasher = PasswordHasher()
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
        }


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _lock_seconds(failures: int) -> float:
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_LOCK, 2.0 ** (failures - FREE_FAILURES + 1))


def _throttled(retry_after: float) -> ApiError:
    seconds = max(1, int(retry_after + 0.999))
    return ApiError(
        429,
        "too_many_attempts",
        f"登录失败次数过多，请 {seconds} 秒后再试",
        f"too many failed logins; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def _attempt_row(conn: Connection, username: str) -> Any:
    from sync.server.db import is_sqlite  # local: avoids a cycle in type-checking tools

    if is_sqlite(conn):
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    conn.execute(insert(login_attempts).values(username=username, failures=0).on_conflict_do_nothing())
    return conn.execute(
        select(login_attempts).where(login_attempts.c.username == username).with_for_update()
    ).one()


def login(engine: Engine, username: str, password: str, device_id: str) -> dict[str, Any]:
    """Exchange a name and password for a new token; throttle repeated failures per name.

    Each attempt counts as a failure before the password is checked (and is forgiven on success):
    a burst of parallel guesses meets the lock as surely as a sequence, and the slow argon2 check
    runs outside any write transaction, so logins do not hold up other writers."""
    key = username.strip().lower()[:100]
    with writing(engine) as conn:
        attempt = _attempt_row(conn, key)
        now = timeutil.now()
        if attempt.locked_until and timeutil.parse(attempt.locked_until) > now:
            raise _throttled((timeutil.parse(attempt.locked_until) - now).total_seconds())
        failures = attempt.failures + 1
        lock = _lock_seconds(failures)
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.username == key)
            .values(
                failures=failures,
                last_failure_at=timeutil.iso(now),
                locked_until=timeutil.iso(now + timedelta(seconds=lock)) if lock else None,
            )
        )
        row = conn.execute(select(users).where(users.c.username == username)).first()
    ok = _verify(row.password_hash if row else _DUMMY_HASH, password)
    if row is None or not ok or row.disabled:
        log.warning("login failed", extra={"username": key, "failures": failures})
        raise ApiError(
            401,
            "login_failed",
            "用户名或密码错误（或账号已停用）",
            "wrong user name or password (or the account is disabled)",
        )
    token = secrets.token_urlsafe(32)
    expires = timeutil.now() + TOKEN_LIFETIME
    with writing(engine) as conn:
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.username == key)
            .values(failures=0, locked_until=None)
        )
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
    user = User.from_row(row)
    log.info("login", extra={"username": user.username, "device_id": device_id[:200]})
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
    pass


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
) -> str:
    if role not in ROLES:
        raise UserAdminError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not username.strip() or len(username) > 100:
        raise UserAdminError("the user name must be 1 to 100 characters")
    if len(password) < 8:
        raise UserAdminError("the password must have at least 8 characters")
    with writing(engine) as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UserAdminError(f"user {username!r} exists already")
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
                disabled=False,
                created_at=timeutil.now_iso(),
            )
        )
    return user_id


def _user_id(conn: Connection, username: str) -> str:
    row = conn.execute(select(users.c.id).where(users.c.username == username)).first()
    if row is None:
        raise UserAdminError(f"no user {username!r}")
    return str(row.id)


def disable_user(engine: Engine, username: str) -> None:
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(update(users).where(users.c.id == user_id).values(disabled=True))
        conn.execute(update(tokens).where(tokens.c.user_id == user_id).values(revoked=True))


def enable_user(engine: Engine, username: str) -> None:
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(update(users).where(users.c.id == user_id).values(disabled=False))


def reset_password(engine: Engine, username: str, password: str) -> None:
    if len(password) < 8:
        raise UserAdminError("the password must have at least 8 characters")
    with writing(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(update(users).where(users.c.id == user_id).values(password_hash=hash_password(password)))
        # A new password ends every session made with the old one.
        conn.execute(update(tokens).where(tokens.c.user_id == user_id).values(revoked=True))
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.username == username.lower())
            .values(failures=0, locked_until=None)
        )


def list_users(engine: Engine) -> list[dict[str, Any]]:
    with reading(engine) as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [{**User.from_row(r).info(), "disabled": bool(r.disabled)} for r in rows]
