"""The password and token never cross the network in clear text without an explicit choice, and
failures of the disk (here or on the server) and a locked database have their own exit codes."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from commissioner_app.errors import DatabaseFullError, DatabaseLockedError
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync import cli as sync_cli
from sync import credentials, session
from sync.client import SyncClient, is_loopback, require_secure
from sync.errors import InsecureServerError, ServerAddressError, ServerFullError


class RecordingHTTP(requests.Session):
    """Answers every request itself and remembers it (no network)."""

    def __init__(self, status: int = 200, body: Any = None) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.status = status
        self.body = body

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append({"method": method, "url": url, **kwargs})
        response = requests.Response()
        response.status_code = self.status
        body = self.body
        if body is None and url.endswith("/auth/login"):
            body = {
                "token": "t-secret",
                "expires_at": "2027-01-01T00:00:00Z",
                "user": {"id": "u1", "username": "wang", "role": "commissioner", "commissioner_id": None},
            }
        response._content = json.dumps(body if body is not None else {}).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8765", True),
        ("http://127.8.9.10", True),
        ("http://localhost:80", True),
        ("http://[::1]:8765", True),
        ("http://10.0.0.5:8765", False),
        ("http://sync.example.gov.cn", False),
        ("http://127.0.0.1.example.com", False),
        ("http://localhost.evil.example:8765@10.0.0.1", False),
        ("http://[::ffff:10.0.0.1]", False),
    ],
)
def test_loopback_means_this_computer_only(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


@pytest.mark.parametrize("url", ["http://10.0.0.5:8765", "http://sync.example.gov.cn"])
def test_a_request_to_a_plain_http_server_elsewhere_is_never_sent(url: str) -> None:
    http = RecordingHTTP()
    client = SyncClient(url, "t-secret", session=http, retries=0)
    with pytest.raises(InsecureServerError) as caught:
        client.me()
    assert http.sent == []
    assert "https" in caught.value.message.zh and "https" in caught.value.message.en
    assert "--insecure" in caught.value.message.en


def test_an_address_of_another_scheme_is_refused_as_an_address_before_anything_is_sent() -> None:
    http = RecordingHTTP()
    with pytest.raises(ServerAddressError) as caught:
        SyncClient("ftp://127.0.0.1", "t-secret", session=http, retries=0).me()
    assert http.sent == []
    assert "http:// 或 https://" in caught.value.message.zh and "https://" in caught.value.message.en


def test_https_and_loopback_are_sent_and_an_explicit_choice_allows_plain_http() -> None:
    for url, allowed in (
        ("https://sync.example.gov.cn", False),
        ("http://127.0.0.1:9", False),
        ("http://10.0.0.5", True),
    ):
        http = RecordingHTTP()
        SyncClient(url, "t", session=http, retries=0, allow_insecure=allowed).me()
        assert len(http.sent) == 1


def test_login_to_plain_http_elsewhere_is_refused_before_the_password_is_sent(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    http = RecordingHTTP()
    with pytest.raises(InsecureServerError):
        session.login(store, "http://10.0.0.5:8765", "wang", "密码123", use_file=True, session=http)
    assert http.sent == []
    assert store.get_meta(credentials.META_SERVER) is None


def test_the_session_remembers_an_explicit_insecure_choice_and_only_that_allows_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    http = RecordingHTTP()
    session.login(
        store, "http://10.0.0.5:8765", "wang", "pw", use_file=True, allow_insecure=True, session=http
    )
    assert len(http.sent) == 1
    client = session.open_client(store, session=http, retries=0)
    client.me()
    assert http.sent[-1]["headers"]["Authorization"] == "Bearer t-secret"

    # A session kept by an earlier version for a plain-http server elsewhere: the token stays here.
    store.set_meta(session.META_INSECURE, None)
    client = session.open_client(store, session=http, retries=0)
    with pytest.raises(InsecureServerError):
        client.pull(0)
    assert len(http.sent) == 2

    # Logging in again over https forgets the choice.
    session.login(store, "https://sync.example.gov.cn", "wang", "pw", use_file=True, session=http)
    assert session.insecure(store) is False


def _login_args(tmp_path: Path, server: str, insecure: bool) -> argparse.Namespace:
    return argparse.Namespace(
        data_dir=tmp_path / "d",
        server=server,
        user="wang",
        password_stdin=True,
        token_file=True,
        insecure=insecure,
        bind=False,
        ca_file=None,
    )


def test_cli_login_refuses_plain_http_elsewhere_and_warns_when_it_is_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_login(store: Store, url: str, user: str, password: str, **kw: Any) -> tuple[dict[str, Any], str]:
        calls.append({"url": url, **kw})
        return {"username": user, "role": "commissioner"}, "file"

    monkeypatch.setattr(session, "login", fake_login)
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    with pytest.raises(InsecureServerError):
        sync_cli.cmd_login(_login_args(tmp_path, "http://10.0.0.5:8765", insecure=False))
    assert calls == []

    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert sync_cli.cmd_login(_login_args(tmp_path, "http://10.0.0.5:8765", insecure=True)) == 0
    assert calls[-1]["allow_insecure"] is True
    err = capsys.readouterr().err
    assert "未加密" in err or "not encrypted" in err


def test_a_full_server_disk_is_its_own_error_in_both_languages() -> None:
    http = RecordingHTTP(
        507, {"error": "insufficient_storage", "message_zh": "磁盘已满", "message_en": "disk full"}
    )
    client = SyncClient("https://sync.example.gov.cn", "t", session=http, retries=3)
    with pytest.raises(ServerFullError) as caught:
        client.pull(0)
    assert len(http.sent) == 1  # not retried: waiting seconds does not free a disk
    assert "服务器的磁盘已满" in caught.value.message.zh
    assert "server's disk is full" in caught.value.message.en
    assert "500" not in caught.value.message.en


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (ServerFullError(), sync_cli.EXIT_SERVER_FULL, "服务器的磁盘已满"),
        (
            DatabaseFullError(Message("磁盘已满，无法保存", "The disk is full")),
            sync_cli.EXIT_DISK_FULL,
            "磁盘已满",
        ),
        (DatabaseLockedError(Message("数据库正被另一个程序占用", "in use")), sync_cli.EXIT_LOCKED, "占用"),
        (InsecureServerError("http://10.0.0.5"), 4, "未加密"),
    ],
)
def test_sync_exit_codes_for_a_full_disk_a_locked_database_and_a_full_server(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    code: int,
    words: str,
) -> None:
    Store.open(tmp_path / "d").close()

    def failing_sync(self: Any, **kw: Any) -> Any:
        raise error

    monkeypatch.setattr(session, "open_client", lambda store, **kw: SyncClient("https://x.example", "t"))
    monkeypatch.setattr(sync_cli.SyncEngine, "sync", failing_sync)
    args = argparse.Namespace(
        data_dir=tmp_path / "d", timeout=5.0, batch_size=10, page_size=10, quiet=True, json=False
    )
    assert sync_cli.cmd_sync(args) == code
    assert words in capsys.readouterr().err


def test_require_secure_allows_only_what_it_should() -> None:
    require_secure("https://sync.example.gov.cn")
    require_secure("http://127.0.0.1:8765")
    require_secure("http://10.0.0.5", allow_insecure=True)
    with pytest.raises(InsecureServerError):
        require_secure("file:///etc/passwd", allow_insecure=True)
