"""Whether a store is being served: `restore` replaces a store only when nothing serves it.

A server still running over a restore went on answering from what it had read and wrote its pushes
into the store being replaced; the README said to stop the servers first, and nothing checked it.

- SQLite (one machine): each `serve`, and each of its worker processes, holds a shared lock on
  `<database>.serving`, beside the file, for as long as it runs (the operating system lets it go
  however the process ends: the workers of a `serve` killed with SIGKILL hold it until they, seeing
  it gone, have ended too);
  `restore` takes it exclusively, and keeps it until it is over (a `serve` started meanwhile waits
  for it), or refuses. (Windows has no shared file locks: there the check is PostgreSQL's only.)
- PostgreSQL (servers on several machines): `restore` refuses while any other session is connected
  to the database, naming them by program and address (the servers name themselves
  `commissioner-server`).
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from commissioner_app.file_lock import lock

log = logging.getLogger(__name__)

SETTLE_TRIES = 8  # 2.1 s in all


def lock_path(url: str | URL) -> Path | None:
    """The file beside a SQLite database that its servers lock; None for another database. Beside
    the file itself: a store named through a link, or by another path, has the one lock."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database.startswith("file:"):
        return None
    return Path(os.path.realpath(parsed.database) + ".serving")


class LockFileError(Exception):
    """The serving lock file cannot be opened: `serve` refuses to start (served without it, a
    restore would find the store free and replace it under the server)."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(str(path))
        self.path, self.reason = path, exc.strerror or str(exc)

    def message(self) -> str:
        return (
            f"错误：无法打开服务锁文件 {self.path}（{self.reason}），服务器未启动。"
            "请以中心库文件所属的系统账户运行 serve，或修正该文件（及其目录）的属主和权限。\n"
            f"error: cannot open the serving lock file {self.path} ({self.reason}); the server did not "
            "start. Run serve as the account that owns the store's files, or correct the owner and "
            "permissions of that file (and its folder)."
        )


@contextmanager
def serving(url: str) -> Iterator[None]:
    """Held by `serve` while it runs. Raises LockFileError."""
    handle = _take(url)
    try:
        yield
    finally:
        if handle is not None:
            handle.close()


_HELD: list[IO[bytes]] = []


def hold_while_alive(url: str) -> None:
    """Held by each worker process of `serve` until it ends: its `serve` may be killed while the
    workers go on serving."""
    if _HELD:
        return
    try:
        handle = _take(url)
    except LockFileError as exc:  # (its `serve`, which could, holds it)
        log.warning("a worker cannot hold the store's serving lock %s: %s", exc.path, exc.reason)
        return
    if handle is not None:
        _HELD.append(handle)


def _take(url: str) -> IO[bytes] | None:
    """The store's serving lock, shared (several servers may serve one store), waited for while a
    restore holds it; the handle that holds it, or None where there is none to take."""
    path = lock_path(url)
    if path is None or sys.platform == "win32":
        return None
    try:
        handle = _open_lock(path)
    except OSError as exc:
        raise LockFileError(path, exc) from exc
    taken = lock(handle, shared=True)
    if taken is False:
        log.warning("the store is being restored; serving once the restore is over (%s)", path)
        taken = lock(handle, shared=True, wait=True)
    if taken is None:
        log.warning("the store's serving lock %s cannot be taken here; served unguarded", path)
    return handle


def _open_lock(path: Path) -> IO[bytes]:
    """The lock file at `path`, made when it is not there (by root: given to the database file's
    owner, the server's account, which must open it too); private (0600). Only a plain file, not
    followed through a link (pointed elsewhere while a server runs, a restore would lock another
    file) and not a pipe (opening one waits for a writer)."""
    flags = os.O_RDONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(exc.errno, "是符号链接，请删除它 / a symbolic link: remove it") from exc
        raise
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise OSError(errno.EINVAL, "不是普通文件，请删除它 / not a plain file: remove it")
        if found.st_uid == os.geteuid() and found.st_mode & 0o077:
            os.fchmod(fd, 0o600)  # (anyone who can open it could take it and block every server)
        database = Path(str(path).removesuffix(".serving"))
        if found.st_uid == 0 and os.geteuid() == 0 and database.exists():
            owner = database.stat()
            if owner.st_uid != 0:
                os.fchown(fd, owner.st_uid, owner.st_gid)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


@contextmanager
def unused(engine: Engine, url: str) -> Iterator[list[str] | None]:
    """What serves or uses the store now, one line each; None when nothing does, and then on SQLite
    nothing starts serving it until the block ends (the lock is held exclusively: `restore` runs in
    the block)."""
    if engine.dialect.name == "postgresql":
        yield _pg_users(engine)
        return
    path = lock_path(url)
    if path is None or sys.platform == "win32":
        yield None
        return
    database = Path(str(path).removesuffix(".serving"))
    if database.exists() and (names := database.stat().st_nlink) > 1:
        yield [
            f"{database}: 数据库文件另有 {names - 1} 个名称（硬链接），服务器可能以其他名称使用它；"
            "请先删除其他硬链接 / "
            f"the database file has {names - 1} other name(s) (hard links), under which a server may "
            "serve it: remove them first"
        ]
        return
    try:
        handle = _open_lock(path)
    except OSError as exc:  # another account's: it cannot be told whether a server holds it
        reason = exc.strerror or str(exc)
        yield [
            f"{path}: 无法打开（{reason}），不能确认没有服务器在用（请以服务器的系统账户运行 restore）/ "
            f"cannot be opened ({reason}) to see whether a server uses the store: run restore as the "
            "server's account"
        ]
        return
    with handle:
        if lock(handle) is False:  # (None: a file system without locks)
            yield [f"commissioner-server serve / restore ({path})"]
            return
        # The lock file may have been removed while a server ran (it then holds a lock on a file
        # no longer there): the processes that have the database open say so too (Linux).
        yield _openers(database) or None


def _openers(database: Path) -> list[str]:
    """The other processes that have `database` open, one line each (those this account may look
    at, where /proc tells)."""
    proc = Path("/proc")
    if not proc.is_dir() or not database.exists():
        return []
    wanted = database.stat()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    opened = fd.stat()
                except OSError:
                    continue
                if (opened.st_dev, opened.st_ino) == (wanted.st_dev, wanted.st_ino):
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    found.append(f"pid {entry.name}: {command.strip()[:200]}")
                    break
        except OSError:  # gone, or another account's
            continue
    return found


def _pg_users(engine: Engine) -> list[str] | None:
    for attempt in range(SETTLE_TRIES):
        # A server stopped a moment ago: its sessions end within milliseconds of it.
        found = _sessions(engine)
        if not found or attempt == SETTLE_TRIES - 1:
            return found or None
        time.sleep(0.3)
    return None


def _sessions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT coalesce(nullif(application_name, ''), '?') AS program, "
                "coalesce(host(client_addr), 'local') AS address, count(*) AS sessions "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "GROUP BY 1, 2 ORDER BY 1, 2"
            )
        ).all()
    return [f"{r.program} @ {r.address} ({r.sessions})" for r in rows]
