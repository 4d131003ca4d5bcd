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

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync import credentials
from sync.client import SyncClient, normalise_url
from sync.engine import META_CURSOR
from sync.errors import AuthExpiredError, NotLoggedInError, RefusedError, SyncError

log = logging.getLogger("commissioner.sync.session")

META_USER_INFO = "sync_user"
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
    ca_file: str | os.PathLike[str] | None = None,
    **client_options: Any,
) -> tuple[dict[str, Any], str]:
    """Exchange the password for a token and keep it; returns (user info, token storage).

    `ca_file`: a PEM file of the bureau's own certificate authority; the server's certificate is
    then checked against it instead of the system's trust store, for this login and every request
    of the saved session. A login without it goes back to the system's trust."""
    url = normalise_url(server_url)
    ca_pem = read_ca_file(ca_file) if ca_file else None
    client = SyncClient(
        url,
        device_id=store.get_meta("device_id") or "",
        ca_file=str(ca_file) if ca_file else None,
        **client_options,
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
                f"此数据目录属于另一位特派员，不能用账户 {username} 同步。请为该账户使用单独的数据目录（--data-dir）。",
                f"This data directory belongs to another commissioner; it cannot sync with the account {username}. "
                "Use a separate data directory for that account (--data-dir).",
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
        store.set_meta(META_USER_INFO, json.dumps(user, ensure_ascii=False))
        store.set_meta(META_CA_PEM, ca_pem or "")
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
    client_options.setdefault("ca_file", ca_file(store))
    return SyncClient(url, token, device_id=store.get_meta("device_id") or "", **client_options)


def logout(store: Store) -> None:
    """Revoke the token on the server (when reachable) and forget it here."""
    url = store.get_meta(credentials.META_SERVER)
    username = store.get_meta(credentials.META_USER)
    if not url or not username:
        return
    token = credentials.load_token(store, url, username)
    if token:
        _revoke(SyncClient(url, token, retries=0, ca_file=ca_file(store)))
    credentials.delete_token(store, url, username)


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
                f"无法使用 CA 证书文件 {path}：{exc}。请使用科技局提供的 PEM 格式 CA 证书（以 -----BEGIN CERTIFICATE----- 开头）。",
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
    text = store.get_meta(META_USER_INFO)
    return json.loads(text) if text else None


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
