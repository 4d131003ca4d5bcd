"""Operating-system locks on a small file of their own: the laptop's one sync at a time
(sync/engine.py) and the central store's servers against a restore (sync/server/serving.py). The
operating system lets a lock go however its process ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO


def open_lock_file(path: Path) -> IO[bytes]:
    """The lock file at `path`, made private (0600, as the database is) when it is not there yet."""
    return os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")


def lock(handle: IO[bytes], *, shared: bool = False, wait: bool = False) -> bool | None:
    """Lock the file open in `handle` until it is closed. True: held. False: another holds it (only
    when not waiting). None: no such lock here (a file system without locks, some network shares; a
    shared lock on Windows): the caller goes on unguarded."""
    if sys.platform == "win32":
        if shared:
            return None
        import msvcrt

        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(
            handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
        )
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True
