"""Database engines for SQLite (default) and PostgreSQL, and the two kinds of transaction.

`reading(engine)` is a plain transaction. `writing(engine)` serialises writers: on SQLite it starts
with BEGIN IMMEDIATE (one writer at a time, readers continue under WAL); on PostgreSQL the caller
takes row locks (SELECT ... FOR UPDATE) on the rows it changes, e.g. the sequence counter.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)

# A None is bound as NULL at once: with no adapter registered for its type, Python's sqlite3 module
# looks for one first, by two attribute lookups that fail, each making an error message, for every
# None of every row written (1.6 % of the instructions of a first push at the central store, counted).
sqlite3.register_adapter(type(None), lambda value: value)

# How the servers' sessions show in PostgreSQL's pg_stat_activity (sync/server/serving.py).
APPLICATION_NAME = "commissioner-server"


def normalise_url(url: str) -> str:
    """postgresql:// and postgres:// mean psycopg 3; anything else is passed to SQLAlchemy as is."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(data_dir: Path, *, create: bool = True) -> str:
    """The URL of the store in `data_dir` (made first unless `create` is false). A URL reads `?` as
    the start of its query and `%41` as `A`: the folder's name is escaped so that it stays as named."""
    if create:
        data_dir.mkdir(parents=True, exist_ok=True)
    path = str(data_dir / "server.db").replace("%", "%25").replace("?", "%3F")
    return f"sqlite:///{path}"


class StoreAddressError(ValueError):
    """A database address that would not open the store it names: said in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _check_sqlite_address(url: str) -> None:
    """Refuse a SQLite URL that would not open the store it names: one whose `?` is part of a path
    (SQLAlchemy reads `sqlite:////srv/we?ird/central.db` as the file /srv/we and drops the rest as an
    option it does not know: a store made, and found empty at the next start, elsewhere than named);
    `uri=true` after a plain path (SQLite then takes the whole text, options and all, for the file's
    name); a `file:` URI without it; options the server sets itself, or not a number for `timeout`;
    a folder."""
    database = make_url(url).database
    if ":memory:" in url or database in (None, ""):
        raise StoreAddressError(
            "中心库需要数据库文件，不能使用内存数据库（关闭即丢失全部数据）",
            "the server needs a database file, not an in-memory SQLite database (it loses everything "
            "when it stops)",
        )
    assert database is not None
    _, mark, query = url.partition("?")
    pairs = [piece.partition("=") for piece in query.split("&")] if mark else []
    options = {key: value for key, _, value in pairs}
    if database.startswith("file:"):
        if options.get("uri") != "true":
            raise StoreAddressError(
                "以 file: 开头的数据库地址须以 ?uri=true 结尾（如 sqlite:///file:/srv/store/central.db?uri=true）",
                "a database address starting with file: needs ?uri=true at its end (such as "
                "sqlite:///file:/srv/store/central.db?uri=true)",
            )
        return  # (SQLite's own options follow, and its URI escapes the path)
    if not all(key and equals for key, equals, _ in pairs) or set(options) - {"timeout"}:
        raise StoreAddressError(
            f"数据库地址中“?”之后的“{query}”不是中心库可用的选项：文件路径中的“?”请写作 %3F"
            "（“%”写作 %25），或用 --data-dir 指定中心库所在的目录",
            f"the database address has “{query}” after a “?”, which is not an option the server "
            "takes: write a “?” in the file's path as %3F (and a “%” as %25), or name the store's "
            "folder with --data-dir",
        )
    try:
        timeout = float(options.get("timeout", "60"))
    except ValueError:
        timeout = -1.0
    if not 0 <= timeout <= 3600:
        raise StoreAddressError(
            "数据库地址中的 timeout 应为 0 到 3600 之间的秒数",
            "the database address's timeout must be a number of seconds from 0 to 3600",
        )
    if database.endswith(("/", os.sep)) or Path(database).is_dir():
        raise StoreAddressError(
            f"数据库地址指向的是目录，不是数据库文件：{database}（目录请用 --data-dir 指定）",
            f"the database address names a folder, not a database file: {database} (name a folder "
            "with --data-dir)",
        )


def _file_uri_path(database: str) -> Path:
    """The file a `file:` URI names (`file:/p`, `file:///p`, `file://localhost/p`; escapes undone)."""
    from urllib.parse import unquote

    path = database[len("file:") :].partition("?")[0].partition("#")[0]
    if path.startswith("//"):
        path = "/" + path[2:].partition("/")[2]
    return Path(unquote(path))


class StoreAccessError(Exception):
    """The database file cannot be opened for writing, or made private: another account's, or on a
    read-only file system."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sqlite_files(database: Path) -> list[Path]:
    """A SQLite store's file and the files SQLite keeps beside it (-wal, -shm, -journal)."""
    return [Path(f"{database}{end}") for end in ("", "-wal", "-shm", "-journal")]


def _owner_only(database: str) -> None:
    """The database file (and its -wal/-shm, which SQLite creates with the file's mode) readable and
    writable by the server's account only: it holds password hashes and every record."""
    path = Path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        for name in sqlite_files(path):
            if name.exists():
                os.chmod(name, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise StoreAccessError(f"{exc.strerror}: {exc.filename}") from exc
        raise


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine over the store at `url`. `read_only` (what only reads, `backup`): a SQLite store's
    files are left as they are (not made private), and it may be one the account can read but not
    write (a snapshot mounted read-only), then opened read-only (see _read_only_creator);
    PostgreSQL's transactions say so themselves."""
    url = normalise_url(url)
    # Enough connections for uvicorn's thread pool (40 threads) without waiting on the pool, unless
    # `serve --db-connections N` caps them (several processes on one PostgreSQL share its
    # max_connections); past the cap a request waits for a connection up to pool_timeout.
    limit = max(1, int(os.environ.get("COMMISSIONER_SERVER_DB_CONNECTIONS", "40") or 40))
    kwargs.setdefault("pool_size", min(10, limit))
    kwargs.setdefault("max_overflow", limit - min(10, limit))
    kwargs.setdefault("pool_timeout", 60)
    if make_url(url).get_backend_name() == "sqlite":
        _check_sqlite_address(url)
        database = make_url(url).database
        unchanging: tuple[Any, ...] | None = None
        opened_read_only = False
        if database and not database.startswith("file:"):
            if read_only:
                creator, unchanging = _read_only_creator(database)
                if creator is not None:
                    # One connection, the backup's (and, for a served store, the one opened above).
                    for name in ("pool_size", "max_overflow", "pool_timeout"):
                        kwargs.pop(name, None)
                    kwargs.update(creator=creator, poolclass=StaticPool)
                    opened_read_only = True
            else:
                _owner_only(database)
        elif database and not read_only and "mode=ro" not in url.partition("?")[2].split("&"):
            _owner_only(str(_file_uri_path(database)))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, **kwargs)
        _configure_sqlite(engine, read_only=opened_read_only)
        if unchanging is not None and database:
            _UNCHANGING[engine] = (Path(database).resolve(), unchanging)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "application_name" not in make_url(url).query:
        # How its sessions show in pg_stat_activity (and in a refused restore's list of them).
        kwargs.setdefault("connect_args", {}).setdefault("application_name", APPLICATION_NAME)
    return create_engine(url, **kwargs)


# Read-only SQLite engines over a file no process can be changing (see _read_only_creator): the file,
# and its state when it was found so.
_UNCHANGING: weakref.WeakKeyDictionary[Engine, tuple[Path, tuple[Any, ...]]] = weakref.WeakKeyDictionary()


class StoreReadError(StoreAccessError):
    """The database file cannot be read (another account's, or not there)."""


def _read_only_creator(
    database: str,
) -> tuple[Callable[[], sqlite3.Connection] | None, tuple[Any, ...] | None]:
    """How `backup` opens `database`: None (as usual: the store's own account, or root), or
    read-only; and, when read as an unchanging file, the file's state (`file_state`) then.

    A read-only reader under WAL uses the -wal and -shm files, and makes them when they are not there
    (a store whose server closed it cleanly), where it can: then they would be left behind, the
    reader's, and the store's own server could not make them private and would not start; where it
    cannot (a folder it may not write, a snapshot mounted read-only), it cannot read the store. Such a
    store can change only once a server opens it: it is read as an unchanging file (SQLite's
    immutable), and `backup` checks afterwards that it did not change meanwhile (`unchanging_file`)."""
    path = Path(database).resolve()
    try:
        return _read_only_opening(path)
    except OSError as exc:  # a folder on the way that may not be looked into
        raise StoreReadError(f"{exc.strerror}: {exc.filename}") from exc


def _read_only_opening(
    path: Path,
) -> tuple[Callable[[], sqlite3.Connection] | None, tuple[Any, ...] | None]:
    if not path.exists():
        raise StoreReadError(f"没有这个文件 / no such file: {path}")
    if not path.is_file():
        raise StoreReadError(f"不是数据库文件 / not a database file: {path}")
    if not os.access(path, os.R_OK):
        raise StoreReadError(f"无权读取 / permission denied: {path}")
    if _owns(path) and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None, None
    # Taken before the -wal is looked for: a server that opens the store after this writes its -wal
    # (or, checkpointing, the file itself), which the backup then finds changed.
    state = file_state(path)
    _, wal, shm, _ = sqlite_files(path)
    uri = f"{path.as_uri()}?mode=ro"  # (percent-encoded: a path's %, ? and # are not SQLite's)
    unchanging = not wal.exists()
    if unchanging:
        uri += "&immutable=1"
    elif not shm.exists():
        raise StoreReadError(
            f"有 {wal.name} 而没有 {shm.name}：中心库未正常关闭。请以中心库文件所属的系统账户备份，或把 "
            "server.db 及其 -wal 复制到可写的目录后备份该副本 / "
            f"{wal.name} without {shm.name}: the store was not closed cleanly. Back it up as the "
            "account that owns it, or copy server.db and its -wal to a folder you may write and back "
            "up the copy"
        )
    else:
        for part in (wal, shm):
            if not os.access(part, os.R_OK):
                raise StoreReadError(f"无权读取 / permission denied: {part}")
        return _held_reader(uri, path, wal, shm), None

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=60)

    return connect, state


def _held_reader(uri: str, path: Path, wal: Path, shm: Path) -> Callable[[], sqlite3.Connection]:
    """A read-only reader of a served store, opened now and held to the end of the backup: while a
    reader holds its -wal and -shm, a server that stops leaves them in place. Had it removed them
    before this reader opened them, the reader would make them anew, its own, beside the store (see
    _read_only_creator): then they are taken away again and the backup is to be run again."""

    def identity(part: Path) -> tuple[int, int] | None:
        try:
            found = part.stat()
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    seen = [identity(wal), identity(shm)]
    held = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=60)
    try:
        held.execute("SELECT count(*) FROM sqlite_master").fetchone()  # (opens the -wal and -shm)
    except sqlite3.Error as exc:
        held.close()
        raise StoreReadError(f"{exc}: {path}") from exc
    if [identity(wal), identity(shm)] != seen:
        held.close()
        mine = getattr(os, "geteuid", lambda: None)()
        for part in (wal, shm):
            if part.exists() and part.stat().st_uid == mine and part.stat().st_size <= 32768:
                part.unlink()  # this reader's own, made a moment ago (a server's are its owner's)
        raise StoreReadError(
            "备份开始时中心库的服务器恰好停止：请重新运行备份 / "
            "the store's server stopped as the backup began: run the backup again"
        )
    return lambda: held


def _owns(path: Path) -> bool:
    """Whether this account's reading may make the store's -wal and -shm files: as its owner, or as
    root (SQLite gives what root makes to the file's owner). Another account's would be left
    beside the store, and its server, which makes them private, would not start."""
    if not hasattr(os, "geteuid"):
        return True  # (Windows: no owners to keep apart here)
    return os.geteuid() in (0, path.stat().st_uid)


def file_state(database: Path) -> tuple[Any, ...]:
    """What changes when anything writes a SQLite store: its file, and its -wal file, which a
    server writes before the file itself (one that is only opened stays empty)."""
    found = os.stat(database)
    wal = Path(f"{database}-wal")
    return found.st_ino, found.st_size, found.st_mtime_ns, wal.stat().st_size if wal.exists() else 0


def unchanging_file(engine: Engine) -> tuple[Path, tuple[Any, ...]] | None:
    """The database file of a read-only engine that reads it as unchanging (see above), and its
    `file_state` when it was found so; else None."""
    return _UNCHANGING.get(engine)


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # (a store written by the server is in WAL mode already)
            cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on the disk before the push it belongs to is answered (a laptop sends
        # what was answered no more). NORMAL left it to the next checkpoint or to the operating
        # system: a power cut lost the batches answered since. About 0.4 ms a commit here.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_immediate=True)
        with conn.begin():
            yield conn


def connections_warning(engine: Engine, processes: int, per_process: int) -> str | None:
    """On PostgreSQL, a warning when `processes` server processes of `per_process` connections each
    may ask for more connections than the server takes (max_connections less those it reserves for
    superusers): past it, requests fail under load, not at start. None when they fit (or on SQLite).
    Other machines' processes on the same database are not known here: the README's rule counts them."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        most = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
        reserved = int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar_one())
    wanted, room = processes * per_process, most - reserved
    if wanted <= room:
        return None
    return (
        f"警告：{processes} 个服务进程各可占用 {per_process} 个数据库连接，共 {wanted} 个，"
        f"超过 PostgreSQL 可用的 {room} 个（max_connections {most}）；请减少 --workers 或 --db-connections，"
        "或调高 max_connections / "
        f"warning: {processes} server processes of {per_process} database connections each may ask "
        f"for {wanted}, more than the {room} PostgreSQL takes (max_connections {most}): lower --workers "
        "or --db-connections, or raise max_connections"
    )
