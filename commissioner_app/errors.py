"""Errors the core raises, each with a message in Chinese and English."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.domain import Issue


class CommissionerError(Exception):
    """An error a user can understand and act on."""

    def __init__(self, message: Message):
        super().__init__(message.zh)
        self.message = message

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.message.text()


class ValidationError(CommissionerError):
    """A record has one or more problems; `issues` lists all of them."""

    def __init__(self, issues: list[Issue]):
        zh = "；".join(f"{i.label.zh}：{i.message.zh}" for i in issues)
        en = "; ".join(f"{i.label.en}: {i.message.en}" for i in issues)
        super().__init__(Message("记录有误：" + zh, "The record has problems: " + en))
        self.issues = issues


class NotFoundError(CommissionerError):
    pass


class StoreError(CommissionerError):
    """The local database cannot be used; the message names the file and what to do."""

    def __init__(self, message: Message, path: Path | str | None = None):
        super().__init__(message)
        self.path = path


class DatabaseLockedError(StoreError):
    pass


class DatabaseReadOnlyError(StoreError):
    pass


class DatabaseFullError(StoreError):
    pass


class DatabaseCorruptError(StoreError):
    pass


class DatabaseTooNewError(StoreError):
    pass


def classify_sqlite_error(exc: BaseException, path: Path | str | None) -> StoreError | None:
    """Turn an environmental SQLite failure into a known error; None means it is a bug."""
    text = str(exc).lower()
    where = str(path) if path else ":memory:"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        text = "database or disk is full"
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            Message(
                f"数据库 {where} 正被另一个程序占用。请关闭其他打开此数据的窗口或程序后重试。",
                f"The database {where} is in use by another program. Close other windows or programs "
                "using this data and try again.",
            ),
            path,
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text:
        return DatabaseReadOnlyError(
            Message(
                f"无法写入数据库 {where}：文件或文件夹是只读的或没有权限。请检查该文件夹的权限，或用 "
                "--data-dir 选择其他数据目录。",
                f"Cannot write the database {where}: the file or its folder is read-only or not permitted. "
                "Check the folder's permissions or choose another data directory with --data-dir.",
            ),
            path,
        )
    if "full" in text:
        return DatabaseFullError(
            Message(
                f"磁盘已满，无法保存到 {where}。已保存的记录不受影响；请清理磁盘空间后重试。",
                f"The disk is full; cannot save to {where}. Records already saved are safe; free some disk "
                "space and try again.",
            ),
            path,
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseCorruptError(
            Message(
                f"数据库文件 {where} 已损坏，程序不会覆盖它。请保留此文件，从备份恢复（commissioner "
                "restore），或联系技术支持。",
                f"The database file {where} is damaged and will not be overwritten. Keep the file, restore "
                "from a backup (commissioner restore), or contact support.",
            ),
            path,
        )
    return None


@contextmanager
def sqlite_errors(path: Path | str | None) -> Iterator[None]:
    """Re-raise environmental SQLite errors as StoreError; let bugs through unchanged."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as exc:
        known = classify_sqlite_error(exc, path)
        if known is None:
            raise
        raise known from exc


_OS_REASONS: dict[int, Message] = {
    errno.EACCES: Message(
        "没有写入权限，或文件正在其他程序中打开", "permission denied, or the file is open in another program"
    ),
    errno.EPERM: Message("没有写入权限", "permission denied"),
    errno.ENOENT: Message("文件夹不存在", "the folder does not exist"),
    errno.ENOTDIR: Message("路径中有一项不是文件夹", "a part of the path is not a folder"),
    errno.EISDIR: Message("这是一个文件夹，不是文件", "it is a folder, not a file"),
    errno.ENOSPC: Message("磁盘空间不足", "the disk is full"),
    errno.EROFS: Message("磁盘为只读", "the disk is read-only"),
    errno.ENAMETOOLONG: Message("文件名过长", "the file name is too long"),
    errno.EEXIST: Message("已有同名的文件或文件夹", "a file or folder of that name exists"),
}


def os_reason(exc: OSError) -> Message:
    """Why a file could not be read or written, in the user's words and language: the system's own
    text is English whatever the interface's language ("Permission denied" in a Chinese window)."""
    found = _OS_REASONS.get(exc.errno or -1)
    if found is not None:
        return found
    text = str(exc.strerror or exc)
    return Message(text, text)
