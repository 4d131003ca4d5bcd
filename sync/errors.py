"""What can go wrong in a sync, as errors a user can understand (Chinese and English).

Each kind says what happened and what will happen next, so the GUI and the CLI can explain it
without knowing HTTP. All are CommissionerErrors: the CLI prints them without a traceback.
"""

from __future__ import annotations

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message


class SyncError(CommissionerError):
    """Base of every sync failure. `kind` is a stable machine-readable name."""

    kind = "sync_error"


class OfflineError(SyncError):
    """The server could not be reached (no network, timeout, connection cut), after retries."""

    kind = "offline"

    def __init__(self, detail: str = ""):
        super().__init__(
            Message(
                "无法连接到服务器（网络不通或连接中断）。记录都已保存在本机，恢复网络后会自动继续同步。",
                "Cannot reach the server (no network or the connection dropped). Every record is saved "
                "on this computer; sync will continue when the network is back.",
            )
        )
        self.detail = detail


class CertificateError(OfflineError):
    """The server's TLS certificate is not trusted here (self-signed, another CA, wrong name).

    Not retried: asking again gets the same certificate. Usually the bureau runs its own
    certificate authority, and the user is told to log in with the bureau's CA certificate.
    """

    kind = "certificate"

    def __init__(self, detail: str = ""):
        SyncError.__init__(
            self,
            Message(
                f"无法安全连接服务器：本机不信任服务器的证书（{detail}）。如果科技局使用自己的证书，"
                "请向科技局索取其 CA 证书文件，登录时指定（命令行 --ca-file，或登录对话框中的“CA 证书”）。"
                "如果科技局没有这样的证书，连接可能被他人冒充，请勿继续并联系科技局。",
                f"Cannot connect securely: this computer does not trust the server's certificate ({detail}). "
                "If the bureau uses its own certificates, ask the bureau for its CA certificate file and "
                'give it when you log in (--ca-file on the command line, or "CA certificate" in the login '
                "dialog). If the bureau has no such certificate, someone may be impersonating the server: "
                "do not continue, and tell the bureau.",
            ),
        )
        self.detail = detail


class AuthExpiredError(SyncError):
    """The token is missing, expired or revoked: the user must log in again."""

    kind = "auth_expired"

    def __init__(self, message: Message | None = None):
        super().__init__(
            message
            or Message(
                "登录已过期或未登录，请重新登录后再同步。未同步的记录仍保存在本机。",
                "You are not logged in or the login has expired. Log in again, then sync; unsent "
                "records are still saved on this computer.",
            )
        )


class RefusedError(SyncError):
    """The server refused the request, with its reason (a 4xx other than auth and version)."""

    kind = "refused"

    def __init__(self, reason: Message, status: int = 400, error: str = ""):
        super().__init__(
            Message(f"服务器拒绝了请求：{reason.zh}", f"The server refused the request: {reason.en}")
        )
        self.reason = reason
        self.status = status
        self.error = error


class ProtocolTooOldError(SyncError):
    """The server no longer speaks this client's protocol version: the application must be updated."""

    kind = "protocol_too_old"

    def __init__(self, reason: Message | None = None):
        extra_zh = f"（{reason.zh}）" if reason else ""
        extra_en = f" ({reason.en})" if reason else ""
        super().__init__(
            Message(
                f"本程序版本过旧，服务器已不再支持，请更新程序后再同步{extra_zh}。本机记录不受影响。",
                f"This version of the application is too old for the server: please update it, then "
                f"sync{extra_en}. The records on this computer are not affected.",
            )
        )


class ConflictError(SyncError):
    """The server's state differs from what the request assumed (HTTP 409)."""

    kind = "conflict"

    def __init__(self, reason: Message, body: dict | None = None):
        super().__init__(
            Message(f"与服务器上的数据冲突：{reason.zh}", f"Conflicts with the server's data: {reason.en}")
        )
        self.reason = reason
        self.body = body or {}


class ServerError(SyncError):
    """The server failed (5xx) after retries; nothing was lost locally."""

    kind = "server_error"

    def __init__(self, status: int, detail: str = ""):
        super().__init__(
            Message(
                f"服务器出现故障（{status}）。记录都已保存在本机，请稍后再同步；如持续出现请联系科技局。",
                f"The server failed ({status}). Every record is saved on this computer; sync again "
                "later, and tell the bureau if it keeps happening.",
            )
        )
        self.status = status
        self.detail = detail


class NotLoggedInError(AuthExpiredError):
    """No server or token is configured for this data directory."""

    kind = "not_logged_in"

    def __init__(self) -> None:
        super().__init__(
            Message(
                "尚未登录同步服务器。请先登录：commissioner login --server 网址 --user 用户名",
                "Not logged in to a sync server. Log in first: commissioner login --server URL --user NAME",
            )
        )


def rejection_reason(sync_error: str | None) -> Message | None:
    """The server's reason for rejecting a record, as stored in the row's `sync_error`."""
    if not sync_error:
        return None
    import json

    try:
        reason = json.loads(sync_error)
    except ValueError:
        return Message(sync_error, sync_error)
    if not isinstance(reason, dict):
        return Message(sync_error, sync_error)
    zh, en = str(reason.get("zh") or ""), str(reason.get("en") or "")
    return Message(zh or en, en or zh)
