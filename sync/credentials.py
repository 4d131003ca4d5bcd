"""Where the login token is kept: the operating system's keyring, keyed by server and user.

Where no keyring exists (a bare Linux without a secret service, for example), the token is never
written to a plain file silently: the user is told, and may explicitly choose a token file in the
data directory that only their account can read (mode 0600), with a warning that anyone with
access to that account can use it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store

log = logging.getLogger("commissioner.sync.credentials")

KEYRING_SERVICE = "FieldCommissioner sync"
TOKEN_FILE = "sync-token.json"
META_SERVER = "sync_server_url"
META_USER = "sync_username"
META_STORAGE = "sync_token_storage"  # "keyring" or "file" (chosen by the user)

FILE_WARNING = Message(
    "登录凭据已保存在数据目录的文件中（仅本账户可读）。能登录本电脑账户的人都可以用它同步数据；"
    "请勿共享此账户，并在不再使用时执行 commissioner logout。",
    "The login token is saved in a file in the data directory (readable by your account only). Anyone "
    "who can use this computer account can sync with it: do not share the account, and run "
    "commissioner logout when you are done.",
)

NO_KEYRING = Message(
    "本电脑没有可用的系统密钥环（如 GNOME 密钥环、KWallet、Windows 凭据管理器），无法安全保存登录凭据。"
    "可安装并启用密钥环后重新登录；或明确选择将凭据保存在数据目录中仅本账户可读的文件里"
    "（命令行加 --token-file，安全性较低）。",
    "This computer has no system keyring (such as GNOME Keyring, KWallet or Windows Credential Manager) to "
    "keep the login token safely. Install and unlock a keyring, then log in again; or explicitly choose to "
    "keep the token in a file in the data directory readable only by your account (--token-file on the "
    "command line; less safe).",
)


class NoKeyringError(CommissionerError):
    def __init__(self) -> None:
        super().__init__(NO_KEYRING)


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install counts as no keyring
        log.info("keyring unavailable: %s", exc)
        return False
    if isinstance(backend, fail.Keyring) or type(backend).__module__.endswith("null"):
        return False
    backends = getattr(backend, "backends", None)  # the chainer backend with nothing to chain
    return not (backends is not None and not backends)


def _account(server_url: str, username: str) -> str:
    return f"{server_url}|{username}"


def save_token(store: Store, server_url: str, username: str, token: str, *, use_file: bool = False) -> str:
    """Keep the token; returns where ("keyring" or "file"). Raises NoKeyringError unless a file was chosen."""
    if not use_file:
        if not keyring_available():
            raise NoKeyringError()
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, _account(server_url, username), token)
        except Exception as exc:  # keyring backends raise many kinds; all mean "no keyring"
            log.warning("keyring refused the token: %s", exc)
            raise NoKeyringError() from exc
        storage = "keyring"
    else:
        _write_token_file(_token_path(store), _account(server_url, username), token)
        storage = "file"
    store.set_meta(META_STORAGE, storage)
    return storage


def load_token(store: Store, server_url: str, username: str) -> str | None:
    account = _account(server_url, username)
    if store.get_meta(META_STORAGE) == "file":
        path = _token_path(store)
        if not path.exists():
            return None
        if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("%s is readable by other accounts; fixing its permissions", path)
            path.chmod(0o600)
        try:
            tokens = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("token file %s unreadable: %s", path, exc)
            return None
        token = tokens.get(account)
        return str(token) if token else None
    if not keyring_available():
        return None
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, account)
    except Exception as exc:
        log.warning("keyring read failed: %s", exc)
        return None


def delete_token(store: Store, server_url: str, username: str) -> None:
    account = _account(server_url, username)
    path = _token_path(store)
    if path.exists():
        try:
            tokens = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tokens = {}
        tokens.pop(account, None)
        if tokens:
            _write_token_file(path, None, None, tokens)
        else:
            path.unlink()
    if keyring_available():
        import keyring

        try:
            keyring.delete_password(KEYRING_SERVICE, account)
        except Exception as exc:  # nothing stored there is fine
            log.debug("keyring delete: %s", exc)


def _token_path(store: Store) -> Path:
    if store.data_dir is None:
        raise CommissionerError(
            Message("内存数据库无法保存登录凭据", "An in-memory store cannot keep a login token")
        )
    return store.data_dir / TOKEN_FILE


def _write_token_file(
    path: Path, account: str | None, token: str | None, tokens: dict[str, str] | None = None
) -> None:
    if tokens is None:
        tokens = {}
        if path.exists():
            try:
                tokens = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                tokens = {}
        if account and token:
            tokens[account] = token
    tmp = path.with_suffix(".tmp")
    # Created readable by the owner only, before any secret is written into it.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if os.name == "posix":
        os.fchmod(fd, 0o600)  # also when a stale file with wider permissions was there
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(tokens, f)
    os.replace(tmp, path)
