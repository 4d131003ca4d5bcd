"""Backup and restore of a whole data directory as one zip file.

A backup holds a consistent copy of the database (SQLite's backup API, safe while the app runs),
every attachment file, and `manifest.json` with the app version, the schema migrations applied and
the sha256 of every member. A restore checks all of that, and the restored database's integrity,
in a staging folder before it touches the data directory; the data it replaces is moved, not
deleted, into `<data dir>/backups/before-restore-<date>/`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from commissioner_app import __version__, schema
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.paths import DB_FILENAME
from commissioner_app.store import copy_database

log = logging.getLogger("commissioner.backup")

MANIFEST = "manifest.json"
FORMAT = "field-commissioner-backup"
FORMAT_VERSION = 1
ATTACHMENTS = "attachments"
CHUNK = 1024 * 1024
# Photos are already compressed; deflating them again costs time and saves nothing. Attachment
# files have no suffix (they are named by hash), so their first bytes tell.
COMPRESSED_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"PK\x03\x04", b"GIF8", b"RIFF", b"\x1f\x8b")
# Files that belong to the database and move together with it.
DB_FILES = (DB_FILENAME, DB_FILENAME + "-wal", DB_FILENAME + "-shm")


class BackupError(CommissionerError):
    """A backup cannot be made or a backup file cannot be restored; the message says why."""


@dataclass
class BackupResult:
    path: Path
    records: dict[str, int]
    attachments: int
    size_bytes: int
    missing_attachments: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    data_dir: Path
    previous: Path | None  # where the replaced data was kept; None if there was none
    created_at: str
    app_version: str
    records: dict[str, int]
    attachments: int


# --- backup --------------------------------------------------------------------------------------


def default_backup_name(now: datetime | None = None) -> str:
    return f"commissioner-backup-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}.zip"


def make_backup(data_dir: Path | str, out: Path | str) -> BackupResult:
    """Write the database and attachments of `data_dir` into the zip file `out` (atomically)."""
    data_dir, out = Path(data_dir), Path(out)
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        raise BackupError(
            Message(
                f"数据目录 {data_dir} 中没有数据库，无法备份。",
                f"There is no database in {data_dir}; nothing to back up.",
            )
        )
    if out.is_dir():
        out = out / default_backup_name()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="commissioner-backup-") as tmp:
        db_copy = Path(tmp) / DB_FILENAME
        try:
            copy_database(db_path, db_copy)
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                Message(
                    f"无法读取数据库 {db_path}（{exc}），未生成备份。请运行 commissioner check "
                    "或联系技术支持。",
                    f"Cannot read the database {db_path} ({exc}); no backup was made. Run commissioner check "
                    "or contact support.",
                )
            ) from exc
        info = _database_info(db_copy)
        # The database is copied first: attachments are content-addressed and only ever added, so
        # every file the copy refers to is already on disk when the folder is walked below.
        blobs = dict(_attachment_files(data_dir))
        missing = sorted(sha for sha in info["attachment_hashes"] if _blob_name(sha) not in blobs)
        for sha in missing:
            log.warning("attachment %s is referenced but its file is missing; backing up without it", sha)
        members: dict[str, dict[str, Any]] = {}
        fd, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
        os.close(fd)
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                members[DB_FILENAME] = _add_member(zf, db_copy, DB_FILENAME)
                for name, path in sorted(blobs.items()):
                    members[name] = _add_member(zf, path, name)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "app_version": __version__,
                    "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                    "source_data_dir": str(data_dir),
                    "migrations": info["migrations"],
                    "records": info["records"],
                    "missing_attachments": missing,
                    "members": members,
                }
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            _fsync(Path(partial))
            os.replace(partial, out)
        except OSError as exc:
            Path(partial).unlink(missing_ok=True)
            raise BackupError(
                Message(
                    f"无法写入备份文件 {out}（{exc.strerror or exc}）。请检查磁盘空间和文件夹权限。",
                    f"Cannot write the backup file {out} ({exc.strerror or exc}). Check the free disk space "
                    "and the folder's permissions.",
                )
            ) from exc
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    log.info("backed up %s to %s (%d members)", data_dir, out, len(members))
    return BackupResult(out, info["records"], _attachment_count(blobs), out.stat().st_size, missing)


def _attachment_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    root = data_dir / ATTACHMENTS
    if not root.is_dir():
        return
    for path in root.rglob("*"):
        # ".incoming-" files are half-written copies of a file being added right now.
        if path.is_file() and not path.name.startswith("."):
            yield PurePosixPath(ATTACHMENTS, *path.relative_to(root).parts).as_posix(), path


def _attachment_count(names: Iterable[str]) -> int:
    """Attachment files, not counting their thumbnails (which can be made again)."""
    return sum(
        1 for n in names if n.startswith(ATTACHMENTS + "/") and not n.startswith(ATTACHMENTS + "/thumbs/")
    )


def _blob_name(sha256: str) -> str:
    return f"{ATTACHMENTS}/{sha256[:2]}/{sha256}"


def _add_member(zf: zipfile.ZipFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as f:
        head = f.read(8)
    compressed = head.startswith(COMPRESSED_MAGIC) or head[4:8] == b"ftyp"  # ftyp: MP4 and HEIC
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, _zip_time(path))
    info.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _zip_time(path: Path) -> tuple[int, int, int, int, int, int]:
    stamp = max(datetime.fromtimestamp(path.stat().st_mtime), datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def _database_info(db_path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(str(db_path))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        migrations: list[str] = []
        if "_sqlite_migrations" in tables:
            migrations = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                    [schema.migrations.name],
                )
            ]
        records = {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
            for t in schema.SYNCED_TABLES
            if t in tables
        }
        hashes: set[str] = set()
        if "attachments" in tables:
            hashes = {
                r[0]
                for r in conn.execute("SELECT DISTINCT sha256 FROM attachments WHERE deleted = 0")
                if r[0]
            }
        return {"migrations": migrations, "records": records, "attachment_hashes": hashes}
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    with path.open("ab") as f:  # writable: Windows cannot flush a read-only handle
        os.fsync(f.fileno())


# --- restore -------------------------------------------------------------------------------------


def _damaged(archive: Path, reason_zh: str, reason_en: str) -> BackupError:
    return BackupError(
        Message(
            f"备份文件 {archive} 已损坏或不完整（{reason_zh}），未做任何更改。请换用另一份备份。",
            f"The backup file {archive} is damaged or incomplete ({reason_en}); nothing was changed. "
            "Use another backup.",
        )
    )


def _too_new(archive: Path, what: str) -> BackupError:
    return BackupError(
        Message(
            f"备份文件 {archive} 由更新版本的程序生成（{what}），本版本（{__version__}）无法恢复。"
            "请先升级程序；未做任何更改。",
            f"The backup file {archive} was made by a newer version of the application ({what}); this "
            f"version ({__version__}) cannot restore it. Update the application first; nothing was changed.",
        )
    )


def read_manifest(archive: Path | str) -> dict[str, Any]:
    """The manifest of a backup file, after checking it is one this version understands."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(
            Message(f"找不到备份文件 {archive}。", f"The backup file {archive} does not exist.")
        )
    try:
        with zipfile.ZipFile(archive) as zf:
            return _checked_manifest(archive, zf)
    except zipfile.BadZipFile as exc:
        raise _damaged(archive, f"不是有效的zip文件：{exc}", f"not a valid zip file: {exc}") from exc


def _checked_manifest(archive: Path, zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError as exc:
        raise BackupError(
            Message(
                f"{archive} 不是科技特派员服务记录的备份文件（缺少 {MANIFEST}），未做任何更改。",
                f"{archive} is not a Field Commissioner backup (no {MANIFEST}); nothing was changed.",
            )
        ) from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise _damaged(archive, f"清单无法读取：{exc}", f"the manifest cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            Message(
                f"{archive} 不是科技特派员服务记录的备份文件，未做任何更改。",
                f"{archive} is not a Field Commissioner backup; nothing was changed.",
            )
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _too_new(archive, f"format {version}")
    unknown = [m for m in manifest.get("migrations", []) if m not in schema.known_migration_names()]
    if unknown:
        raise _too_new(archive, f"{manifest.get('app_version', '?')}: {unknown[-1]}")
    members = manifest.get("members")
    if not isinstance(members, dict) or DB_FILENAME not in members:
        raise _damaged(archive, "清单中没有数据库", "the manifest lists no database")
    for name in members:
        _safe_member_path(archive, Path("."), name)  # refuse names that would escape the data directory
    return manifest


def restore_backup(archive: Path | str, data_dir: Path | str) -> RestoreResult:
    """Replace the data in `data_dir` with the backup `archive`, after verifying all of it.

    The application must not have the data directory's database open while this runs.
    """
    archive, data_dir = Path(archive), Path(data_dir)
    manifest = read_manifest(archive)
    data_dir.mkdir(parents=True, exist_ok=True)
    for stale in data_dir.glob(".restore-*"):  # left by a restore that was interrupted
        shutil.rmtree(stale, ignore_errors=True)
    # Staging inside the data directory keeps the final moves on one file system (plain renames).
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
    try:
        _extract_verified(archive, manifest, staging)
        _verify_database(archive, manifest, staging)
        previous = _swap_in(staging, data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("restored %s into %s; previous data kept in %s", archive, data_dir, previous)
    return RestoreResult(
        data_dir,
        previous,
        str(manifest.get("created_at", "")),
        str(manifest.get("app_version", "")),
        dict(manifest.get("records", {})),
        _attachment_count(manifest["members"]),
    )


def verify_backup(archive: Path | str) -> dict[str, Any]:
    """Check a backup file completely (hashes, database integrity) without restoring it."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    with tempfile.TemporaryDirectory(prefix="commissioner-verify-") as tmp:
        _extract_verified(archive, manifest, Path(tmp))
        _verify_database(archive, manifest, Path(tmp))
    return manifest


def _safe_member_path(archive: Path, root: Path, name: str) -> Path:
    parts = PurePosixPath(name).parts
    allowed = name == DB_FILENAME or (len(parts) > 1 and parts[0] == ATTACHMENTS)
    if not allowed or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
        raise _damaged(archive, f"不允许的文件名 {name}", f"member name not allowed: {name}")
    return root.joinpath(*parts)


def _extract_verified(archive: Path, manifest: dict[str, Any], staging: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            present = set(zf.namelist())
            for name, expected in manifest["members"].items():
                if name not in present:
                    raise _damaged(archive, f"缺少 {name}", f"{name} is missing")
                target = _safe_member_path(archive, staging, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with zf.open(name) as src, target.open("wb") as dst:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
                    dst.flush()
                    os.fsync(dst.fileno())
                if digest.hexdigest() != expected.get("sha256"):
                    raise _damaged(archive, f"{name} 的校验值不符", f"{name} does not match its sha256")
    except zipfile.BadZipFile as exc:
        raise _damaged(archive, str(exc), str(exc)) from exc
    except (zlib.error, EOFError) as exc:
        raise _damaged(archive, f"解压失败：{exc}", f"cannot decompress: {exc}") from exc


def _verify_database(archive: Path, manifest: dict[str, Any], staging: Path) -> None:
    db_path = staging / DB_FILENAME
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            results = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        info = _database_info(db_path)
    except sqlite3.DatabaseError as exc:
        raise _damaged(archive, f"数据库无法打开：{exc}", f"the database cannot be opened: {exc}") from exc
    if results != ["ok"]:
        raise _damaged(
            archive,
            "数据库完整性检查未通过：" + "; ".join(results[:3]),
            "the database failed its integrity check: " + "; ".join(results[:3]),
        )
    # The manifest could be edited by hand; the database itself says which schema it has.
    unknown = [m for m in info["migrations"] if m not in schema.known_migration_names()]
    if unknown:
        raise _too_new(archive, unknown[-1])
    expected_missing = set(manifest.get("missing_attachments", []))
    for sha in sorted(info["attachment_hashes"] - expected_missing):
        if not (staging / ATTACHMENTS / sha[:2] / sha).is_file():
            raise _damaged(
                archive, f"缺少附件文件 {sha[:12]}", f"the file of attachment {sha[:12]} is missing"
            )


def _ensure_not_in_use(data_dir: Path) -> None:
    """Refuse while another program has the database open: it would go on writing to the old file.

    Leaving WAL mode needs the only connection to the database, so it doubles as the test; it also
    folds the WAL into the database file, which is then moved aside as one file. (It runs only
    once the backup is verified: a refused backup leaves the current files byte for byte as they were.)
    """
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(str(db_path), timeout=1.0)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            return  # a damaged current database is a reason to restore, not to refuse
        mode = "wal"
    except sqlite3.DatabaseError:
        return
    if mode == "wal":
        raise BackupError(
            Message(
                f"数据目录 {data_dir} 中的数据正被另一个程序使用（例如正在运行的科技特派员程序）。"
                "请先关闭它再恢复；未做任何更改。",
                f"The data in {data_dir} is in use by another program (such as the running Field "
                "Commissioner application). Close it first, then restore; nothing was changed.",
            )
        )


def _swap_in(staging: Path, data_dir: Path) -> Path | None:
    """Move the current data aside and the verified data in; on any failure, put everything back."""
    _ensure_not_in_use(data_dir)
    current = [data_dir / n for n in (*DB_FILES, ATTACHMENTS) if (data_dir / n).exists()]
    previous: Path | None = None
    moved: list[tuple[Path, Path]] = []  # (from, to), in order, for the rollback
    try:
        if current:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            previous = data_dir / "backups" / f"before-restore-{stamp}"
            n = 1
            while previous.exists():
                n += 1
                previous = data_dir / "backups" / f"before-restore-{stamp}-{n}"
            previous.mkdir(parents=True)
            for path in current:
                os.replace(path, previous / path.name)
                moved.append((path, previous / path.name))
        for name in (DB_FILENAME, ATTACHMENTS):
            source = staging / name
            if source.exists():
                os.replace(source, data_dir / name)
                moved.append((source, data_dir / name))
    except OSError as exc:
        for source, target in reversed(moved):
            try:
                os.replace(target, source)
            except OSError:
                log.exception("could not move %s back to %s", target, source)
        raise BackupError(
            Message(
                f"无法替换数据目录 {data_dir} 中的文件（{exc.strerror or exc}），已恢复原有数据。"
                "请关闭正在使用这些数据的程序后重试。",
                f"Cannot replace the files in {data_dir} ({exc.strerror or exc}); the previous data was put "
                "back. Close any program using this data and try again.",
            )
        ) from exc
    return previous
