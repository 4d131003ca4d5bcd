"""What a sync tells its caller: progress, cancellation, the report at the end, and the problems
found on the way (a clock off the server's, conflicts met on the other side).

`EngineParts` is what the engine's parts (sync/pusher.py, sync/uploader.py, sync/puller.py) share;
`SyncEngine` (sync/engine.py) sets it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync.client import SyncClient

META_CLOCK_SKEW = "clock_skew_seconds"
CLOCK_SKEW_WARNING = 300  # seconds

PHASES: dict[str, Message] = {
    "push": Message("发送记录", "Sending records"),
    "upload": Message("上传附件", "Uploading attachments"),
    "pull": Message("接收更新", "Receiving updates"),
    "previews": Message("接收照片预览", "Receiving photo previews"),
    "download": Message("下载附件原件", "Downloading attachments"),
    "done": Message("同步完成", "Sync finished"),
}

# Points a sync passes where a test may stop it (tests/sync/paused_sync.py kills the process
# there). Nothing happens at them unless a test sets `checkpoint_hook`.
CHECKPOINTS = ("push_answered", "pull_applying", "upload_chunk_sent")
checkpoint_hook: Callable[[str], None] | None = None


def checkpoint(name: str) -> None:
    hook = checkpoint_hook
    if hook is not None:
        hook(name)


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # a key of PHASES
    done: int
    total: int  # 0 when unknown (a server too old to count what a pull has left)

    @property
    def label(self) -> Message:
        return PHASES[self.phase]


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class SyncReport:
    accepted: int = 0
    merged: int = 0
    conflicts: int = 0  # records that met a conflict in this sync
    rejected: int = 0
    pulled: int = 0  # records written from the server
    kept_local: int = 0  # pulled records not applied because they have unsent local changes
    remote_conflicts: int = 0  # conflicts someone else's push met with this side's version, newly shown
    deleted: int = 0  # records deleted locally because the server deleted them
    reference_kinds: list[str] = field(default_factory=list)
    assessment_years: list[int] = field(default_factory=list)
    attachments_uploaded: int = 0
    bytes_uploaded: int = 0
    requests: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    previews_fetched: int = 0  # previews of other people's evidence (sync/evidence.py)
    files_downloaded: int = 0  # full files asked for offline, or the team's kept in full
    clock_skew_seconds: float | None = None
    problems: list[Message] = field(default_factory=list)

    @property
    def pushed(self) -> int:
        return self.accepted + self.merged

    def summary(self) -> Message:
        zh = (
            f"已发送 {self.pushed} 条（合并 {self.merged}），接收 {self.pulled} 条，"
            f"冲突 {self.conflicts}，被拒绝 {self.rejected}，上传附件 {self.attachments_uploaded} 个"
        )
        en = (
            f"sent {self.pushed} (merged {self.merged}), received {self.pulled}, conflicts {self.conflicts}, "
            f"rejected {self.rejected}, attachments uploaded {self.attachments_uploaded}"
        )
        if self.previews_fetched:
            zh += f"，收到预览 {self.previews_fetched} 张"
            en += f", previews received {self.previews_fetched}"
        if self.files_downloaded:
            zh += f"，下载附件 {self.files_downloaded} 个"
            en += f", attachments downloaded {self.files_downloaded}"
        if self.cancelled:
            zh, en = "同步已取消；" + zh, "Sync cancelled; " + en
        return Message(zh, en)


class EngineParts:
    """What the engine's parts share; SyncEngine (sync/engine.py) sets it up."""

    store: Store
    client: SyncClient
    batch_size: int
    pull_limit: int
    chunk_size: int
    batch_chars: int
    _columns: dict[str, list[str]]
    # server_seq of every version this sync's push was answered with and that the local row now
    # is: the pull asks the server to leave them out (protocol: pull's `skip`).
    _echo: list[int]
    _progress: Callable[[SyncProgress], None]
    _cancel: Callable[[], bool]

    def _cancelled(self, report: SyncReport) -> bool:
        if self._cancel():
            report.cancelled = True
        return report.cancelled

    # --- clock -----------------------------------------------------------------------------------

    def _note_clock(self, server_time: str | None, report: SyncReport) -> None:
        if not server_time or report.clock_skew_seconds is not None:
            return
        try:
            server = datetime.fromisoformat(server_time.replace("Z", "+00:00"))
        except ValueError:
            return
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        skew = (datetime.now(UTC) - server).total_seconds()
        report.clock_skew_seconds = skew
        self.store.set_meta(META_CLOCK_SKEW, f"{skew:.0f}")
        if abs(skew) > CLOCK_SKEW_WARNING:
            minutes = round(abs(skew) / 60)
            report.problems.append(
                Message(
                    f"本机时钟与服务器相差约 {minutes} 分钟，请校准电脑时间（同步不受影响，"
                    "但记录的时间可能不准）",
                    f"This computer's clock is about {minutes} minutes off the server's; please set the time "
                    "(sync is not affected, but recorded times may be wrong)",
                )
            )


def _tell_remote_conflicts(report: SyncReport) -> None:
    if report.remote_conflicts:
        n = report.remote_conflicts
        report.problems.append(
            Message(
                f"有 {n} 条记录，他人（或您在另一台电脑上）的修改与您已同步的版本冲突：服务器保留了您的版本，"
                "请在“处理冲突”中决定保留哪一个",
                f"On {n} record(s), a change made elsewhere (by someone else, or by you on another computer) "
                "conflicts with your synced version: the server kept yours; decide which to keep under "
                "\u201cResolve conflicts\u201d",
            )
        )


def _cancel_check(cancel: CancelFlag | Callable[[], bool] | None) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    assert callable(cancel)
    return cancel
