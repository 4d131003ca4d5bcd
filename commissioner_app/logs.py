"""The rotating log file support staff ask for: <data dir>/logs/commissioner.log.

Both the GUI and the command line call `configure_logging(data_dir)` once at start. The file keeps a
few MB per part and three older parts, so it never grows without bound on a commissioner's laptop.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from commissioner_app import __version__

LOG_DIRNAME = "logs"
LOG_FILENAME = "commissioner.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

log = logging.getLogger("commissioner.logs")

_file_handler: logging.handlers.RotatingFileHandler | None = None


def log_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / LOG_DIRNAME / LOG_FILENAME


def configure_logging(data_dir: Path | str, *, level: int = logging.INFO) -> Path | None:
    """Send the application's log records to the rotating file; returns its path.

    Calling it again (another data directory, a test) replaces the file handler rather than adding
    a second one. A log folder that cannot be created never stops the application: the failure is
    reported on stderr and None is returned.
    """
    global _file_handler
    path = log_path(data_dir)
    root = logging.getLogger()
    if _file_handler is not None:
        if _file_handler.baseFilename == os.path.abspath(path):  # how the handler stores it
            _file_handler.setLevel(level)
            return path
        root.removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=False
        )
    except OSError as exc:
        from commissioner_app.i18n import Message

        reason = exc.strerror or exc
        print(
            Message(
                f"无法写入日志文件 {path}：{reason}", f"Cannot write the log file {path}: {reason}"
            ).text(),
            file=sys.stderr,
        )
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    if root.level > level:
        # Handlers already there (the command line's stderr) keep showing what they showed before.
        for other in root.handlers:
            if other.level == logging.NOTSET:
                other.setLevel(root.level)
        root.setLevel(level)
    root.addHandler(handler)
    _file_handler = handler
    log.info("Field Commissioner %s, Python %s, %s", __version__, sys.version.split()[0], sys.platform)
    return path


def stop_logging() -> None:
    """Close the log file (before the data directory is moved, and in tests)."""
    global _file_handler
    if _file_handler is not None:
        logging.getLogger().removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None


def current_log_path() -> Path | None:
    """The file the log goes to now, if configured."""
    return Path(_file_handler.baseFilename) if _file_handler is not None else None
