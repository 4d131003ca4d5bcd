"""Logging in and out, and opening a client for the account this data directory syncs with."""

from __future__ import annotations

import logging
from typing import Any

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.ops.session import META_SESSION_USER, session_user, set_session_user
from commissioner_app.store import Store
from sync import credentials
from sync.client import SyncClient, is_secure, normalise_url, require_secure
from sync.engine import META_CURSOR
from sync.errors import AuthExpiredError, NotLoggedInError, RefusedError, SyncError

log = logging.getLogger("commissioner.sync.session")

META_USER_INFO = META_SESSION_USER
META_INSECURE = "sync_allow_insecure"  # "1": the user chose plain http to this (test) server


def login(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    *,
    use_file: bool = False,
    allow_insecure: bool = False,
    **client_options: Any,
) -> tuple[dict[str, Any], str]:
    """Exchange the password for a token and keep it; returns (user info, token storage).

    A server address that is plain http and not this computer is refused (InsecureServerError)
    unless `allow_insecure`: the choice is kept with the session, for this address only."""
    url = normalise_url(server_url)
    insecure = allow_insecure and not is_secure(url)
    require_secure(url, insecure)
    client = SyncClient(
        url, device_id=store.get_meta("device_id") or "", allow_insecure=insecure, **client_options
    )
    try:
        answer = client.login(username, password)
    except AuthExpiredError:
        raise RefusedError(Message("用户名或密码不正确", "Wrong username or password"), 401) from None
    user = answer["user"]
    own = store.get_meta("self_commissioner_id")
    theirs = user.get("commissioner_id")
    if own and theirs and own != theirs and _has_records_of(store, own):
        _revoke(client)
        raise CommissionerError(
            Message(
                f"此数据目录属于另一位特派员，不能用账户 {username} 同步。"
                "请为该账户使用单独的数据目录（--data-dir）。",
                "This data directory belongs to another commissioner; it cannot sync with the "
                f"account {username}. Use a separate data directory for that account (--data-dir).",
            )
        )
    try:
        storage = credentials.save_token(store, url, username, answer["token"], use_file=use_file)
    except CommissionerError:
        _revoke(client)
        raise
    with store.atomic():
        if (
            store.get_meta(credentials.META_SERVER) != url
            or store.get_meta(credentials.META_USER) != username
        ):
            store.set_meta(META_CURSOR, "0")  # another server or account: pull everything it may see
        store.set_meta(credentials.META_SERVER, url)
        store.set_meta(credentials.META_USER, username)
        set_session_user(store, user)
        store.set_meta(META_INSECURE, "1" if insecure else None)
        if theirs and not own:
            store.set_meta("self_commissioner_id", theirs)
    return user, storage


def open_client(store: Store, **client_options: Any) -> SyncClient:
    """A client for the logged-in account; NotLoggedInError when there is none."""
    url = store.get_meta(credentials.META_SERVER)
    username = store.get_meta(credentials.META_USER)
    if not url or not username:
        raise NotLoggedInError()
    token = credentials.load_token(store, url, username)
    if not token:
        raise NotLoggedInError()
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


def logout(store: Store) -> None:
    """Revoke the token on the server (when reachable) and forget it here."""
    url = store.get_meta(credentials.META_SERVER)
    username = store.get_meta(credentials.META_USER)
    if not url or not username:
        return
    token = credentials.load_token(store, url, username)
    if token:
        _revoke(SyncClient(url, token, retries=0, allow_insecure=insecure(store)))
    credentials.delete_token(store, url, username)


def user_info(store: Store) -> dict[str, Any] | None:
    return session_user(store)


def _revoke(client: SyncClient) -> None:
    try:
        client.logout()
    except SyncError as exc:  # offline or already revoked: the token expires on its own
        log.info("could not revoke the token: %s", exc)


def _has_records_of(store: Store, commissioner_id: str) -> bool:
    return (
        store.db.execute(
            "SELECT 1 FROM visits WHERE commissioner_id = ? LIMIT 1", [commissioner_id]
        ).fetchone()
        is not None
    )
