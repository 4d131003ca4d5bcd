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


class ServerAddressError(CommissionerError):
    """The server's address as typed is not one to connect to (a mistake to correct, not a fault)."""

    def __init__(self, url: str, why: Message) -> None:
        shown = url if len(url) <= 200 else url[:200] + "…"
        super().__init__(Message(f"服务器地址“{shown}”{why.zh}", f"The server address '{shown}' {why.en}"))


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


class NotHttpsError(OfflineError):
    """The server answered an https:// connection in plain http: the address needs http:// (a test
    server on this computer or the bureau's network), or it is not the bureau's server."""

    kind = "not_https"

    def __init__(self, url: str):
        plain = "http://" + url.split("://", 1)[-1]
        SyncError.__init__(
            self,
            Message(
                f"服务器 {url} 不支持 HTTPS（加密连接）。如果这是本机或内网的测试服务器，"
                f"请把地址写成 {plain}；如果地址是科技局提供的，请核对后再试。",
                f"The server {url} does not speak HTTPS (encrypted connections). If it is a test server on "
                f"this computer or your network, type the address as {plain}; if the bureau gave you the "
                "address, check it and try again.",
            ),
        )


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
        self.body: dict = {}  # the server's answer (a roster import's problems, say)


class PasswordChangeRequiredError(RefusedError):
    """The password given is a one-time code from the bureau: the user must choose their own
    password (sync.session.login with new_password) before the server gives them a session."""

    kind = "password_change_required"

    def __init__(self, reason: Message | None = None):
        super().__init__(
            reason
            or Message(
                "这是一次性密码：请先设置您自己的新密码", "this is a one-time code: choose a password first"
            ),
            403,
            "password_change_required",
        )
        SyncError.__init__(
            self,
            Message(
                "这是市科技局发放的一次性密码，请设置您自己的新密码（至少 8 个字符）后登录。",
                "This is a one-time code from the bureau: choose a password of your own (at least "
                "8 characters) to log in.",
            ),
        )


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


class InsecureServerError(SyncError):
    """The server's address is plain http and not this computer: the password and token would
    travel readable by anyone on the way. Refused unless the user chose it explicitly."""

    kind = "insecure_server"

    def __init__(self, url: str):
        super().__init__(
            Message(
                f"服务器地址 {url} 未加密（http），密码和登录凭据会以明文在网络上传输，已拒绝连接。"
                "请使用 https:// 开头的地址；仅对测试服务器，可在登录时明确选择允许不加密连接"
                "（命令行加 --insecure）。",
                f"The server address {url} is not encrypted (http): the password and login token would "
                "cross the network readable by anyone, so the connection was refused. Use an address "
                "starting with https://; only for a test server, explicitly allow an unencrypted "
                "connection when logging in (--insecure on the command line).",
            )
        )
        self.url = url


INSECURE_WARNING = Message(
    "警告：与服务器的连接未加密（http）。密码、登录凭据和全部记录都以明文传输，同一网络中的任何人都能看到或篡改。"
    "只应用于测试服务器。",
    "Warning: the connection to the server is not encrypted (http). The password, the login token and "
    "every record travel in clear text: anyone on the same network can read or alter them. Use this "
    "only for a test server.",
)


class ServerFullError(ServerError):
    """The server's disk is full (HTTP 507): nothing was stored there; try again later."""

    kind = "server_full"

    def __init__(self, detail: str = ""):
        SyncError.__init__(
            self,
            Message(
                "服务器的磁盘已满，暂时无法接收数据。记录都已保存在本机，请稍后再同步；如持续出现请告知科技局。",
                "The server's disk is full and cannot take data for now. Every record is saved on this "
                "computer; sync again later, and tell the bureau if it keeps happening.",
            ),
        )
        self.status = 507
        self.detail = detail


class SyncBusyError(SyncError):
    """Another sync of the same data directory is under way (the application's, or a command
    line's run by a scheduler): two at once each sent everything, uploaded every file twice, and
    wrote their unanswered batches over each other's."""

    kind = "sync_busy"

    def __init__(self) -> None:
        super().__init__(
            Message(
                "此数据目录的另一次同步正在进行（桌面程序或命令行），请等它结束后再同步。未同步的记录仍保存在本机。",
                "Another sync of this data directory is under way (the application or the command line); "
                "sync again once it has finished. The records not yet synced are kept on this computer.",
            )
        )


class SyncCancelledError(SyncError):
    """The user cancelled: the request under way was cut. What was done stays done; the rest is
    sent at the next sync (a batch whose answer was lost is replayed, the same batch)."""

    kind = "cancelled"

    def __init__(self) -> None:
        super().__init__(
            Message(
                "同步已取消。已完成的部分已保存，其余记录下次同步时发送。",
                "Sync cancelled. What was done is kept; the other records are sent at the next sync.",
            )
        )


class DataDirectoryTakenError(SyncError):
    """The data directory holds another commissioner's records than the account's.

    `can_bind`: they were typed offline under a profile of this computer's own and never synced,
    so they may be bound to the account (then they sync as its records); otherwise the directory
    already syncs with another account and the account needs a data directory of its own."""

    kind = "data_directory_taken"

    def __init__(self, username: str, local_name: str, *, can_bind: bool):
        who = local_name or "（未填姓名）"
        who_en = local_name or "(no name)"
        if can_bind:
            message = Message(
                f"本机有“{who}”离线填写的资料和服务记录，尚未同步；账户 {username} 在服务器上已有自己的记录。"
                "可以把本机记录并入该账户（之后作为该账户的记录同步），或为该账户另用一个数据目录。",
                f"This computer holds a profile and visits of {who_en} typed offline and never synced, "
                f"and the account {username} already has records of its own on the server. The records "
                "here can be bound to the account (they then sync as its records), or the account can "
                "use another data directory.",
            )
        else:
            message = Message(
                f"此数据目录的记录已与另一个账户同步，属于另一位特派员（{who}），不能用账户 {username} 同步。"
                "请为该账户另用一个数据目录；本目录的记录不受影响。",
                f"The records in this data directory already sync with another account: they belong to "
                f"another commissioner ({who_en}) and cannot sync with the account {username}. Use another "
                "data directory for that account; the records here are not affected.",
            )
        super().__init__(message)
        self.username = username
        self.can_bind = can_bind


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
