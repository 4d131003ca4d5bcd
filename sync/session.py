"""Logging in and out, and opening a client for the account this data directory syncs with."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import ssl
import tempfile
from pathlib import Path
from typing import Any

from commissioner_app.domain import new_id
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.ops.session import META_SESSION_USER, session_user, set_session_user
from commissioner_app.schema import SYNCED_TABLES
from commissioner_app.store import Store
from sync import credentials
from sync.client import SyncClient, is_secure, normalise_url, require_secure
from sync.engine import META_CURSOR
from sync.errors import (
    AuthExpiredError,
    DataDirectoryTakenError,
    NotLoggedInError,
    RefusedError,
    SyncError,
)
from sync.puller import META_ECHO

log = logging.getLogger("commissioner.sync.session")

META_USER_INFO = META_SESSION_USER
META_INSECURE = "sync_allow_insecure"  # "1": the user chose plain http to this (test) server
# A new value at every login and logout, from whichever process: an application open on the data
# directory reads its account again when it changes (ui/sync_control.py).
META_ACCOUNT_STAMP = "sync_account_stamp"
META_CA_PEM = "sync_ca_pem"  # the bureau's CA certificate(s) given at login, trusted for its server
CA_FILE = "sync-ca.pem"  # where that PEM is written in the data directory for the TLS library
MAX_CA_BYTES = 1024 * 1024


def login(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    *,
    use_file: bool = False,
    allow_insecure: bool = False,
    bind: bool = False,
    ca_file: str | os.PathLike[str] | None = None,
    new_password: str | None = None,
    **client_options: Any,
) -> tuple[dict[str, Any], str]:
    """Exchange the password for a token and keep it; returns (user info, token storage).

    A server address that is plain http and not this computer is refused (InsecureServerError)
    unless `allow_insecure`: the choice is kept with the session, for this address only.

    Offline first: a profile filled in before any login, with its visits, belongs to the first
    account that logs in when the server says the account has no records of its own yet; with
    `bind` also when it has some (the user chose so). Records that were synced under another
    account never move: DataDirectoryTakenError says so (`can_bind` tells which case it is).

    `ca_file`: a PEM file of the bureau's own certificate authority; the server's certificate is
    then checked against it instead of the system's trust store, for this login and every request
    of the saved session. A login without it goes back to the system's trust.

    A one-time code from the bureau raises PasswordChangeRequiredError: the server gives no session
    until the user chooses a password; log in again with it as `new_password`."""
    url = normalise_url(server_url)
    insecure = allow_insecure and not is_secure(url)
    require_secure(url, insecure)
    ca_pem = read_ca_file(ca_file) if ca_file else None
    client = SyncClient(
        url,
        device_id=store.get_meta("device_id") or "",
        allow_insecure=insecure,
        ca_file=str(ca_file) if ca_file else None,
        **client_options,
    )
    try:
        if new_password is not None:
            answer = client.change_password(username, password, new_password)
        else:
            answer = client.login(username, password)
    except AuthExpiredError:
        # The server does not tell a wrong password from a disabled account (it reveals nothing);
        # its hint that the account may be disabled is kept, so that such a user asks the bureau.
        raise RefusedError(
            Message(
                "用户名或密码不正确（或账号已停用，请联系管理员）",
                "Wrong username or password (or the account is disabled: ask your administrator)",
            ),
            401,
        ) from None
    user = answer["user"]
    own = store.get_meta("self_commissioner_id")
    theirs = user.get("commissioner_id")
    rebind = False
    if own and theirs and own != theirs and _has_records_of(store, own):
        can_bind = _never_synced(store, own)
        # An old server does not say (None): then the user decides, as when the account has records.
        rebind = can_bind and (bind or answer.get("has_records") is False)
        if not rebind:
            _revoke(client)
            profile = store.profile()
            raise DataDirectoryTakenError(username, profile.name if profile else "", can_bind=can_bind)
    try:
        storage = credentials.save_token(store, url, username, answer["token"], use_file=use_file)
    except CommissionerError:
        _revoke(client)
        raise
    # A city or county bureau's account administers and has no commissioner profile: one filled in
    # on this computer before the login (the first-start form), never synced and with nothing
    # recorded under it, would reach the city's roster and assessment as a commissioner.
    withdraw = (
        user.get("role") in ("bureau", "county")
        and bool(own)
        and not theirs
        and _never_synced(store, str(own))
        and not _anything_recorded_by(store, str(own))
    )
    with store.atomic():
        if withdraw:
            _withdraw_profile(store, str(own))
        if (
            store.get_meta(credentials.META_SERVER) != url
            or store.get_meta(credentials.META_USER) != username
        ):
            store.set_meta(META_CURSOR, "0")  # another server or account: pull everything it may see
            store.set_meta(META_ECHO, None)  # (numbers of another server's changes mean nothing here)
            # The store this laptop synced with stays known (sync/recovery.py): the bureau's store
            # restored from a backup under another address is still found to be another store.
        store.set_meta(credentials.META_SERVER, url)
        store.set_meta(credentials.META_USER, username)
        set_session_user(store, user)
        store.set_meta(META_INSECURE, "1" if insecure else None)
        if rebind:
            assert own is not None and theirs is not None
            bind_records(store, own, theirs)
        store.set_meta(META_CA_PEM, ca_pem or "")
        if theirs and not own:
            store.set_meta("self_commissioner_id", theirs)
        store.set_meta(META_ACCOUNT_STAMP, new_id())
    return user, storage


# Where a local record names a commissioner (the profile's id itself aside).
_COMMISSIONER_COLUMNS = (
    ("service_agreements", "commissioner_id"),
    ("visits", "commissioner_id"),
    ("problems", "commissioner_id"),
    ("solutions", "commissioner_id"),
    ("annual_summaries", "commissioner_id"),
    ("teams", "leader_id"),
    ("workstations", "manager_id"),
    ("demands", "taken_by"),
    ("reviews", "reviewer_id"),
)


def bind_records(store: Store, old_id: str, new_id: str) -> None:
    """Make the offline profile `old_id` and everything recorded under it the account's `new_id`.

    Only for records never synced (see _never_synced): no server knows them by the old id, so
    they are sent as new records of the account at the next sync. One transaction."""
    with store.atomic():
        db = store.db
        if db.execute("SELECT 1 FROM commissioners WHERE id = ?", [new_id]).fetchone() is None:
            db.execute("UPDATE commissioners SET id = ? WHERE id = ?", [new_id, old_id])
        else:  # the account's profile is here already: it stays, the offline one goes
            db.execute("DELETE FROM commissioners WHERE id = ?", [old_id])
        for table, column in _COMMISSIONER_COLUMNS:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new_id, old_id])
        db.execute(
            "UPDATE service_agreements SET co_commissioner_ids = replace(co_commissioner_ids, ?, ?) "
            "WHERE co_commissioner_ids LIKE ?",
            [json.dumps(old_id), json.dumps(new_id), f"%{old_id}%"],
        )
        for table in SYNCED_TABLES:
            db.execute(f"UPDATE {table} SET updated_by = ? WHERE updated_by = ?", [new_id, old_id])
        db.execute("UPDATE record_history SET changed_by = ? WHERE changed_by = ?", [new_id, old_id])
        store.set_meta("self_commissioner_id", new_id)
    if store.actor == old_id:
        store.actor = new_id
    log.info("bound the offline profile %s and its records to the account's %s", old_id, new_id)


def open_client(store: Store, **client_options: Any) -> SyncClient:
    """A client for the logged-in account; NotLoggedInError when there is none."""
    url = store.get_meta(credentials.META_SERVER)
    username = store.get_meta(credentials.META_USER)
    if not url or not username:
        raise NotLoggedInError()
    token = credentials.load_token(store, url, username)
    if not token:
        raise NotLoggedInError()
    client_options.setdefault("ca_file", ca_file(store))
    return SyncClient(
        url,
        token,
        device_id=store.get_meta("device_id") or "",
        allow_insecure=insecure(store),
        **client_options,
    )


def insecure(store: Store) -> bool:
    """Whether the user chose, at login, to sync with this server over plain http."""
    return store.get_meta(META_INSECURE) == "1"


def logout(store: Store) -> bool:
    """Revoke the token on the server (when reachable) and forget it here. Whether the server no
    longer takes it: False when the server could not be reached (the token then stays good there
    until it expires, and whoever copied it from this computer could still use it)."""
    url = store.get_meta(credentials.META_SERVER)
    username = store.get_meta(credentials.META_USER)
    if not url or not username:
        return True
    token = credentials.load_token(store, url, username)
    revoked = True
    if token:
        client = SyncClient(url, token, retries=0, allow_insecure=insecure(store), ca_file=ca_file(store))
        revoked = _revoke(client)
    credentials.delete_token(store, url, username)
    store.set_meta(META_ACCOUNT_STAMP, new_id())
    return revoked


# Said when a logout could not reach the server (the token's lifetime: sync/server/auth.py).
NOT_REVOKED = Message(
    "未能连接服务器，登录凭据未在服务器上撤销：本机已不再保存它，它将在 30 天内自行失效。"
    "如电脑丢失或被他人使用，请联系科技局管理员停用账号或重置密码。",
    "The server could not be reached, so the login was not revoked there: this computer no longer "
    "keeps it, and it expires by itself within 30 days. If the computer was lost or used by someone "
    "else, ask the bureau's administrator to disable the account or reset its password.",
)


def read_ca_file(path: str | os.PathLike[str]) -> str:
    """The PEM text of a CA certificate file, checked to hold at least one certificate."""
    try:
        size = os.path.getsize(path)
        if size > MAX_CA_BYTES:
            raise ValueError(f"{size} bytes")
        text = Path(path).read_text(encoding="ascii")
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise ValueError("no PEM certificate")
        ssl.create_default_context(cafile=os.fspath(path))
    except (OSError, ValueError, ssl.SSLError) as exc:
        raise CommissionerError(
            Message(
                f"无法使用 CA 证书文件 {path}：{exc}。"
                "请使用科技局提供的 PEM 格式 CA 证书（以 -----BEGIN CERTIFICATE----- 开头）。",
                f"Cannot use the CA certificate file {path}: {exc}. Use the PEM CA certificate the "
                "bureau gave you (it starts with -----BEGIN CERTIFICATE-----).",
            )
        ) from None
    return text


def ca_file(store: Store) -> str | None:
    """The CA certificate file the saved session trusts (written from the store when missing), or None."""
    pem = store.get_meta(META_CA_PEM)
    if not pem:
        return None
    if store.data_dir is not None:
        path = store.data_dir / CA_FILE
    else:
        name = f"commissioner-ca-{hashlib.sha256(pem.encode()).hexdigest()[:16]}.pem"
        path = Path(tempfile.gettempdir()) / name
    try:
        current = path.read_text(encoding="ascii") if path.exists() else None
    except (OSError, ValueError):
        current = None
    if current != pem:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(pem, encoding="ascii")
        os.replace(tmp, path)
    return str(path)


def user_info(store: Store) -> dict[str, Any] | None:
    return session_user(store)


def _revoke(client: SyncClient) -> bool:
    """Whether the server no longer takes the client's token (revoked now, or already)."""
    try:
        client.logout()
    except AuthExpiredError:
        return True  # revoked or expired already
    except SyncError as exc:  # offline, or the server failed: the token expires on its own
        log.info("could not revoke the token: %s", exc)
        return False
    return True


def _never_synced(store: Store, commissioner_id: str) -> bool:
    """No record of this profile was ever accepted by a server, and no account claimed it."""
    info = user_info(store)
    if info is not None and info.get("commissioner_id") == commissioner_id:
        return False
    if store.db.execute("SELECT 1 FROM commissioners WHERE id = ? AND rev > 0", [commissioner_id]).fetchone():
        return False
    for table, column in _COMMISSIONER_COLUMNS[:5]:
        if store.db.execute(
            f"SELECT 1 FROM {table} WHERE {column} = ? AND rev > 0 LIMIT 1", [commissioner_id]
        ).fetchone():
            return False
    return True


def _anything_recorded_by(store: Store, commissioner_id: str) -> bool:
    return any(
        store.db.execute(f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", [commissioner_id]).fetchone()
        for table, column in (*_COMMISSIONER_COLUMNS, *_OTHER_OWNED)
    )


# Records of a commissioner besides those a profile is re-bound through (_COMMISSIONER_COLUMNS).
_OTHER_OWNED = (
    ("achievements", "commissioner_id"),
    ("project_applications", "commissioner_id"),
    ("project_milestones", "commissioner_id"),
)


def _withdraw_profile(store: Store, commissioner_id: str) -> None:
    """Forget a profile no server ever had (so nothing needs telling): its row, history and base."""
    store.db.execute("DELETE FROM commissioners WHERE id = ? AND rev = 0", [commissioner_id])
    store.db.execute(
        "DELETE FROM record_history WHERE table_name = 'commissioners' AND record_id = ?", [commissioner_id]
    )
    store.db.execute(
        "DELETE FROM sync_base WHERE table_name = 'commissioners' AND record_id = ?", [commissioner_id]
    )
    store.set_meta("self_commissioner_id", None)
    log.info("a profile made before a bureau account's login was withdrawn (never synced)")


def _has_records_of(store: Store, commissioner_id: str) -> bool:
    return (
        store.db.execute(
            "SELECT 1 FROM visits WHERE commissioner_id = ? LIMIT 1", [commissioner_id]
        ).fetchone()
        is not None
    )
