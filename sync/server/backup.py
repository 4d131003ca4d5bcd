"""Backup and restore of the central store (`commissioner-server backup` / `restore`).

A backup is one zip file, written with the server running:

    manifest.json          format, server schema version, program version, time, source database
                           kind; for every table its row count and the sha256 of its file; the
                           number and total size of the stored attachments
    tables/<table>.jsonl   the table's rows, one JSON object a line, in primary-key order; bytes
                           (attachment chunks) as {"$blob": member name, "sha256": ...}
    blobs/<table>/...      those bytes, stored uncompressed (photos do not compress)

It is a logical dump through SQLAlchemy, read in one snapshot transaction: SQLite in WAL mode and
PostgreSQL at REPEATABLE READ show the reader one consistent state while the server keeps writing.
Not pg_dump or SQLite's backup API, because one format for both databases restores either into
either (a bureau that outgrows SQLite moves to PostgreSQL with backup + restore), needs no client
tools whose version must match the database server's, and can be verified part by part. Attachment
bytes live in the database (`upload_chunks`, the storage every server process shares), so they are
in the dump; the server keeps no attachments directory.

A restore first checks the whole file (manifest, every part's sha256 and row count, every complete
attachment against its own sha256), refuses a backup made by a newer server schema, and refuses to
replace a store that holds data unless forced. Then, in one transaction, it builds the schema of
the backup's version, loads the rows and applies the newer migrations: an old backup restores into
a newer server, and a failure leaves the target as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    LargeBinary,
    MetaData,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError

from sync.server import migrations, timeutil
from sync.server.db import file_state, sqlite_files, unchanging_file, writing
from sync.server.serving import lock_path

FORMAT = "field-commissioner-server-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Tables whose rows the migrations themselves create; they do not make a store "non-empty".
SCHEMA_TABLES = {"schema_versions", "counters", "store_identity"}
BATCH_ROWS = 500


class BackupError(Exception):
    """A backup or restore that cannot be done, said in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{en} / {zh}")
        self.zh = zh
        self.en = en


# --- backup --------------------------------------------------------------------------------------


def backup(engine: Engine, out: Path) -> dict[str, Any]:
    """Write a backup of the store to `out` (replaced only when complete); returns the manifest."""
    from commissioner_app import __version__

    out = Path(out)
    _not_the_store(engine, out)
    unchanging = unchanging_file(engine)
    # The dump holds password and token hashes: readable by the owner only, from the first byte; in
    # a file of its own, made anew beside `out` (one named beforehand, which whoever may write the
    # folder could have made a link to another file, would be written through).
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f"{out.name}.", suffix=".partial")
    partial = Path(name)
    if os.name == "posix":
        os.fchmod(fd, 0o600)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            # Level 1: most of the bytes are photos in base64, which no level shrinks much further.
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        ):
            try:
                tables, version, attachments = _dump(engine, zf)
            except DatabaseError as exc:
                if _changed(unchanging):
                    raise _changed_meanwhile() from exc
                raise BackupError(
                    f"无法读取中心库：{exc.orig}", f"cannot read the store: {exc.orig}"
                ) from exc
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_version": version,
                "program_version": __version__,
                "created_at": timeutil.now_iso(),
                "database": engine.dialect.name,
                "tables": tables,
                "attachments": attachments,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        if _changed(unchanging):
            raise _changed_meanwhile()
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _dump(engine: Engine, zf: zipfile.ZipFile) -> tuple[dict[str, Any], int, dict[str, int]]:
    """Every table into `zf`, in one snapshot: (the tables' parts, the schema version, the
    attachments' totals)."""
    with _snapshot(engine) as conn:
        meta = _reflect_store(conn)
        if "schema_versions" not in meta.tables:
            raise BackupError(
                "数据库中没有中心数据（没有 schema_versions 表）",
                "the database holds no central store (no schema_versions table)",
            )
        version = migrations.current_version(conn)
        tables: dict[str, Any] = {}
        for name in sorted(meta.tables):
            tables[name] = _dump_table(conn, meta.tables[name], zf)
        return tables, version, _attachment_totals(conn, meta)


def _not_the_store(engine: Engine, out: Path) -> None:
    """`--out` naming the SQLite store's own file, its -wal, -shm or serving lock, by whatever link,
    path or second mount of its folder, would replace it with the backup."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database.startswith("file:"):
        return
    store = Path(database).resolve()
    parts = [*sqlite_files(store), lock_path(engine.url) or store]
    target = out.resolve()

    def same(a: Path, b: Path) -> bool:
        try:
            return os.path.samefile(a, b)
        except OSError:  # one of them is not there
            return False

    if any(same(target, part) for part in parts) or (
        target.name in {p.name for p in parts} and same(target.parent, store.parent)
    ):
        raise BackupError(
            f"备份文件不能写在中心库本身或其附属文件上（{out}）：请换一个文件名",
            f"the backup file would replace the store itself or one of its files ({out}): name another file",
        )


def _changed_meanwhile() -> BackupError:
    return BackupError(
        "备份期间有服务器打开并修改了中心库（本账户无权写入它，无法锁定读取）；未写出备份。"
        "请停止服务器后重试，或以中心库文件所属的系统账户运行备份",
        "a server opened and changed the store while it was read (this account may not write it, "
        "so the read could not lock it); no backup was written. Stop the server and run the backup "
        "again, or run it as the account that owns the store's files",
    )


def _changed(unchanging: tuple[Path, tuple[Any, ...]] | None) -> bool:
    """Whether a store read as an unchanging file (see sync/server/db.py) changed since it was found so."""
    return unchanging is not None and file_state(unchanging[0]) != unchanging[1]


class _snapshot:
    """One read-only transaction that sees one state of the whole database."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self.conn = conn
        conn.begin()
        if self.engine.dialect.name == "sqlite":
            # The snapshot starts at the first read (WAL): read now, before anything else.
            conn.execute(text("SELECT count(*) FROM sqlite_master"))
        return conn

    def __exit__(self, *exc: object) -> None:
        assert self.conn is not None
        self.conn.rollback()
        self.conn.close()


def _dump_table(conn: Connection, table: Table, zf: zipfile.ZipFile) -> dict[str, Any]:
    name = f"tables/{table.name}.jsonl"
    binary = [c.name for c in table.columns if isinstance(c.type, LargeBinary)]
    order = list(table.primary_key.columns) or list(table.columns)
    digest = hashlib.sha256()
    rows = 0
    # Rows with attachment bytes (up to 4 MiB a chunk) are fetched a few at a time.
    per_fetch = 8 if binary else 2000
    result = conn.execution_options(stream_results=True, yield_per=per_fetch).execute(
        select(table).order_by(*order)
    )
    # Bytes go into members of their own, stored as they are (photos do not compress): while
    # they are written, the table's lines wait in a temporary file (zipfile writes one member
    # at a time).
    with tempfile.TemporaryFile() as lines:
        block: list[bytes] = []
        size = 0
        for row in result:
            values = row._asdict()
            for column in binary:
                if values[column] is not None:
                    values[column] = _write_blob(
                        zf, f"blobs/{table.name}/{rows:09d}-{column}", values[column]
                    )
            line = orjson.dumps(values, option=orjson.OPT_NON_STR_KEYS) + b"\n"  # names: str subclasses
            block.append(line)
            size += len(line)
            rows += 1
            if size >= 1024 * 1024:
                data = b"".join(block)
                digest.update(data)
                lines.write(data)
                block, size = [], 0
        data = b"".join(block)
        digest.update(data)
        lines.write(data)
        lines.seek(0)
        with zf.open(name, "w", force_zip64=True) as part:
            shutil.copyfileobj(lines, part, 1024 * 1024)
    return {"file": name, "rows": rows, "sha256": digest.hexdigest()}


def _write_blob(zf: zipfile.ZipFile, name: str, value: Any) -> dict[str, str]:
    data = bytes(value)
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    zf.writestr(info, data)
    return {"$blob": name, "sha256": hashlib.sha256(data).hexdigest()}


def _read_blob(zf: zipfile.ZipFile, ref: Any) -> bytes:
    if not isinstance(ref, dict) or not isinstance(ref.get("$blob"), str):
        raise _damaged("a reference to stored bytes")
    try:
        data = zf.read(ref["$blob"])
    except KeyError:
        raise _damaged(f"{ref['$blob']} (missing)") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _damaged(f"{ref['$blob']}: {exc}") from None
    if hashlib.sha256(data).hexdigest() != ref.get("sha256"):
        raise _damaged(ref["$blob"])
    return data


def _attachment_totals(conn: Connection, meta: MetaData) -> dict[str, int]:
    uploads = meta.tables.get("uploads")
    if uploads is None or "complete" not in uploads.c:
        return {"count": 0, "bytes": 0}
    totals: Any = conn.execute(
        select(func.count(), func.coalesce(func.sum(uploads.c.size), 0)).where(uploads.c.complete)
    ).one()
    return {"count": int(totals[0] or 0), "bytes": int(totals[1] or 0)}


# --- check ---------------------------------------------------------------------------------------


def check(path: Path) -> dict[str, Any]:
    """Verify a backup file without touching any database; returns its manifest."""
    with _open_zip(path) as zf:
        manifest = _manifest(zf)
        complete = _complete_uploads(zf, manifest)
        for table, part in manifest["tables"].items():
            rows = 0
            digest = hashlib.sha256()
            checker = _AttachmentCheck(complete) if table == "upload_chunks" and complete else None
            for line in _lines(zf, part["file"]):
                digest.update(line)
                rows += 1
                try:
                    row = orjson.loads(line)
                except ValueError:
                    raise _damaged(f"{part['file']} line {rows}") from None
                if not isinstance(row, dict):
                    raise _damaged(f"{part['file']} line {rows}")
                for column, value in row.items():
                    if isinstance(value, dict):
                        row[column] = _read_blob(zf, value)
                if checker is not None:
                    checker.add(row)
            if digest.hexdigest() != part.get("sha256") or rows != part.get("rows"):
                raise _damaged(part["file"])
            if checker is not None:
                checker.finish()
    return manifest


class _AttachmentCheck:
    """Every complete attachment's chunks, in offset order, must add up to its size and sha256."""

    def __init__(self, complete: dict[str, int]):
        self.complete = complete
        self.seen: set[str] = set()
        self.sha: str | None = None
        self.digest = hashlib.sha256()
        self.size = 0

    def add(self, row: dict[str, Any]) -> None:
        sha, offset, data = row.get("sha256"), row.get("offset"), row.get("data")
        if sha not in self.complete:
            return
        if sha != self.sha:
            self._close()
            self.sha, self.digest, self.size = sha, hashlib.sha256(), 0
        if offset != self.size or not isinstance(data, bytes):
            raise _damaged(f"attachment {sha}")
        self.digest.update(data)
        self.size += len(data)

    def _close(self) -> None:
        if self.sha is None:
            return
        if self.digest.hexdigest() != self.sha or self.size != self.complete[self.sha]:
            raise _damaged(f"attachment {self.sha}")
        self.seen.add(self.sha)

    def finish(self) -> None:
        self._close()
        missing = set(self.complete) - self.seen
        if missing:
            raise _damaged(f"attachment {sorted(missing)[0]} (missing)")


def _complete_uploads(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, int]:
    part = manifest["tables"].get("uploads")
    if not part:
        return {}
    complete: dict[str, int] = {}
    for line in _lines(zf, part["file"]):
        try:
            row = orjson.loads(line)
        except ValueError:
            raise _damaged(part["file"]) from None
        if isinstance(row, dict) and row.get("complete"):
            complete[str(row.get("sha256"))] = int(row.get("size") or 0)
    if len(complete) != manifest.get("attachments", {}).get("count", len(complete)):
        raise _damaged("manifest attachments")
    return complete


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件 {path}", f"no backup file {path}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(
            f"{path} 不是中心数据备份文件（{exc}）", f"{path} is not a central store backup ({exc})"
        ) from None


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        raise BackupError(
            "文件中没有可读的备份清单（manifest.json），不是中心数据备份或已损坏",
            "the file has no readable manifest.json: not a central store backup, or damaged",
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("该文件不是中心数据备份", "the file is not a central store backup")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            "该备份由更新版本的程序制作，请先升级本程序",
            "the backup was made by a newer program; upgrade this one first",
        )
    version = manifest.get("schema_version")
    if not isinstance(version, int) or not isinstance(manifest.get("tables"), dict):
        raise _damaged(MANIFEST)
    if version > migrations.HEAD:
        raise BackupError(
            f"该备份的数据库结构版本为 {version}，本程序只支持到 {migrations.HEAD}：请先升级服务器程序再恢复",
            f"the backup has server schema version {version}; this program knows up to {migrations.HEAD}: "
            "upgrade the server program first, then restore",
        )
    for table, part in manifest["tables"].items():
        if not isinstance(part, dict) or part.get("file") != f"tables/{table}.jsonl":
            raise _damaged(MANIFEST)
    return manifest


def _lines(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    try:
        with zf.open(name) as part:
            yield from part
    except KeyError:
        raise _damaged(f"{name} (missing)") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a CRC error or a cut file
        raise _damaged(f"{name}: {exc}") from None


def _damaged(where: str) -> BackupError:
    return BackupError(
        f"备份文件已损坏（{where}），未做任何更改",
        f"the backup file is damaged ({where}); nothing was changed",
    )


# --- restore -------------------------------------------------------------------------------------


def is_empty(engine: Engine, names: set[str] | None = None) -> bool:
    """True when the store's tables (those of this server, and `names`) hold no data beyond what
    the migrations make. Other tables in the same database are none of its business."""
    with engine.connect() as conn:
        meta = _reflect_store(conn, names)
        for name, table in meta.tables.items():
            if name == "counters" and "value" in table.c:
                if conn.execute(select(func.count()).where(table.c.value != 0)).scalar():
                    return False
            elif name in SCHEMA_TABLES:
                continue
            elif conn.execute(select(func.count()).select_from(table)).scalar():
                return False
    return True


def _reflect_store(conn: Connection, names: set[str] | None = None) -> MetaData:
    from sync.server.tables import metadata as current

    wanted = set(current.tables) | {"schema_versions"} | (names or set())
    meta = MetaData()
    meta.reflect(bind=conn, only=lambda name, _meta: name in wanted)
    return meta


def restore(engine: Engine, path: Path, *, force: bool = False) -> dict[str, Any]:
    """Replace the store with the backup's content; returns the backup's manifest."""
    manifest = check(path)
    if not force and not is_empty(engine, set(manifest["tables"])):
        raise BackupError(
            "目标数据库中已有数据，未做任何更改。确需用备份替换其全部内容时，请加 --force",
            "the target database holds data; nothing was changed. To replace all of it with the "
            "backup, add --force",
        )
    version = manifest["schema_version"]
    with _open_zip(path) as zf, writing(engine) as conn:
        handed_out = _change_number(conn)  # of the store being replaced, if there is one
        _reflect_store(conn, set(manifest["tables"])).drop_all(bind=conn)
        _apply_steps(conn, upto=version)
        target = _reflect_store(conn, set(manifest["tables"]))
        for table in target.tables.values():
            conn.execute(table.delete())  # rows the migrations made
        for name, part in manifest["tables"].items():
            found = target.tables.get(name)
            if found is None:
                raise _damaged(f"table {name} is not in schema version {version}")
            _load_table(conn, found, zf, _lines(zf, part["file"]))
        _apply_steps(conn, after=version)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, target)
        _another_store(conn, handed_out)
    return manifest


def _change_number(conn: Connection) -> int:
    """The last change number the store in this database handed out (0: no store here)."""
    if not inspect(conn).has_table("counters"):
        return 0
    value = conn.execute(text("SELECT value FROM counters WHERE name = 'server_seq'")).scalar()
    return int(value or 0)


def _another_store(conn: Connection, handed_out: int) -> None:
    """The restored store is not the one the laptops synced with: what they synced after the
    backup is not in it. It gets a new identity, saying from which change number its history is
    unbroken (the backup's last), so that each laptop sends again what it synced after that
    (sync/recovery.py); and its new changes are numbered past every number the replaced store had
    handed out, so that no laptop's cursor is beyond them."""
    from sync.server.tables import counters, store_identity

    restored = _change_number(conn)
    conn.execute(delete(store_identity))
    conn.execute(
        insert(store_identity).values(
            id=migrations.new_store_id(), history_from=restored, since_at=timeutil.now_iso()
        )
    )
    if handed_out > restored:
        conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=handed_out))


def _apply_steps(conn: Connection, *, upto: int | None = None, after: int | None = None) -> None:
    """The migration steps, in the restore's own transaction (one all-or-nothing change)."""
    from sync.server.tables import schema_versions

    for version, name, step in migrations.STEPS:
        if (upto is not None and version > upto) or (after is not None and version <= after):
            continue
        step(conn)
        if after is not None:
            conn.execute(
                insert(schema_versions).values(version=version, name=name, applied_at=timeutil.now_iso())
            )


def _load_table(conn: Connection, table: Table, zf: zipfile.ZipFile, lines: Iterator[bytes]) -> None:
    binary = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
    columns = set(table.c.keys())
    batch: list[dict[str, Any]] = []
    size = 0
    for line in lines:
        row = orjson.loads(line)
        if not set(row) <= columns:
            raise _damaged(f"{table.name}: unknown columns {sorted(set(row) - columns)}")
        for column in binary:
            value = row.get(column)
            if isinstance(value, dict):
                row[column] = _read_blob(zf, value)
                size += len(row[column])
        batch.append(row)
        if len(batch) >= BATCH_ROWS or size > 32 * 1024 * 1024:
            conn.execute(insert(table), batch)
            batch, size = [], 0
    if batch:
        conn.execute(insert(table), batch)


def _reset_sequences(conn: Connection, meta: MetaData) -> None:
    """Rows came with their ids: move each serial column's sequence past the largest one."""
    for table in meta.tables.values():
        for column in table.columns:
            default = str(column.server_default.arg) if column.server_default is not None else ""  # type: ignore[attr-defined]
            if "nextval(" not in default and not column.identity:
                continue
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:t, :c), "
                    f'COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                ),
                {"t": table.name, "c": column.name},
            )


def summary(manifest: dict[str, Any]) -> str:
    tables = manifest["tables"]

    def rows(name: str) -> int:
        return int(tables.get(name, {}).get("rows", 0))

    attachments = manifest.get("attachments", {})
    return (
        f"schema {manifest['schema_version']}, {rows('records')} records, {rows('revisions')} revisions, "
        f"{rows('users')} users, {attachments.get('count', 0)} attachments "
        f"({attachments.get('bytes', 0) / 1e6:.1f} MB), made {manifest['created_at']} "
        f"from {manifest['database']} by {manifest['program_version']}"
    )
