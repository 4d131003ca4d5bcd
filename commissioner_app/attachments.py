"""Content-addressed attachment files: stored once under their sha256 beside the database.

Layout: <data dir>/attachments/ab/abcdef... (the bytes) and attachments/thumbs/abcdef....jpg.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from commissioner_app.domain import Attachment
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.store import Store

log = logging.getLogger("commissioner.attachments")

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
THUMB_SIZE = (320, 320)
CHUNK = 1024 * 1024
INCOMING_PREFIX = ".incoming-"  # a file being written, renamed to its hash once complete
STALE_INCOMING_SECONDS = 600  # an unfinished file this old was left by a failure or a kill
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # in UTF-8: 66 Chinese characters; a copy's prefix still fits in 255 bytes

_SHA256 = re.compile(r"[0-9a-f]{64}")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}
_NOT_IN_NAMES = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class PhotoInfo:
    taken_at: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None


# SQL: an attachment `a` not of a deleted achievement. A deleted achievement's files stay (see
# achievements.delete_achievement), but nothing fetches, previews or counts them.
OWNER_LIVE = (
    "NOT EXISTS (SELECT 1 FROM achievements o WHERE a.owner_table = 'achievements' AND o.id = a.owner_id "
    "AND o.deleted = 1)"
)


def valid_sha256(value: object) -> bool:
    """Whether `value` is a SHA-256 as this application writes it: 64 lowercase hex characters."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def _checked(sha256: object) -> str:
    if not valid_sha256(sha256):
        shown = repr(sha256)[:80]
        raise CommissionerError(Message(f"附件校验值无效：{shown}", f"Not a valid attachment hash: {shown}"))
    assert isinstance(sha256, str)
    return sha256


def blob_path(store: Store, sha256: str) -> Path:
    """Where the bytes of a hash live; a value that is not a SHA-256 never becomes a path."""
    sha256 = _checked(sha256)
    return store.attachments_dir / sha256[:2] / sha256


def thumbnail_path(store: Store, sha256: str) -> Path:
    """Where a hash's thumbnail is kept; for a value that is not a SHA-256 (a record an earlier
    version stored unchecked), a name that never exists, so such a record simply has no picture."""
    if not valid_sha256(sha256):
        return store.attachments_dir / "thumbs" / "invalid-hash.jpg"
    return store.attachments_dir / "thumbs" / f"{sha256}.jpg"


def safe_file_name(name: object, fallback: str = "attachment") -> str:
    """A name from elsewhere as a plain base name that is safe on Windows, macOS and Linux.

    No folder part (either separator, a drive letter), no `..`, no control or direction characters,
    none of the characters Windows forbids, not a reserved device name (CON, NUL, COM1...), at most
    MAX_NAME_CHARS characters and MAX_NAME_BYTES bytes with the extension kept."""
    text = str(name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = re.split(r"[\\/]", text)[-1]
    text = re.sub(r"^[A-Za-z]:", "", text)  # "C:name" is relative to a drive's current folder
    text = _NOT_IN_NAMES.sub("_", text)
    text = text.strip(" .")  # Windows drops trailing dots and spaces; leading dots hide a file
    if not text:
        return fallback
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 16:
        stem, ext = text, ""
    if stem.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if ext:
        ext = "." + ext
    stem = stem[: MAX_NAME_CHARS - len(ext)]
    while len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]  # a file system takes 255 bytes in a name: room for a prefix is left
    stem = stem.rstrip(" .") or fallback
    return stem + ext


def remove_stale_incoming(store: Store, older_than: float = STALE_INCOMING_SECONDS) -> int:
    """Delete unfinished attachment files left by a failed or killed write; returns how many."""
    if store.data_dir is None or not store.attachments_dir.is_dir():
        return 0
    limit = time.time() - older_than
    removed = 0
    for path in store.attachments_dir.glob(f"*/{INCOMING_PREFIX}*"):
        try:
            if path.stat().st_mtime <= limit:
                path.unlink()
                removed += 1
        except OSError as exc:
            log.info("could not remove %s: %s", path, exc)
    if removed:
        log.info("removed %d unfinished attachment files", removed)
    return removed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unreadable(path: Path, reason_zh: str, reason_en: str) -> CommissionerError:
    return CommissionerError(
        Message(
            f"无法添加附件 {path.name}：{reason_zh}", f"Cannot add the attachment {path.name}: {reason_en}"
        )
    )


class _ReadFailed(Exception):
    """Reading the source failed (as opposed to writing the copy)."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _chunks_of(f: IO[bytes]) -> Iterator[bytes]:
    while True:
        try:
            chunk = f.read(CHUNK)
        except OSError as exc:
            raise _ReadFailed(exc) from exc
        if not chunk:
            return
        yield chunk


def _write_blob(target: Path, chunks: Iterable[bytes]) -> None:
    """Write a temporary file beside `target`, fsync, rename: the temporary file never outlives a failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=INCOMING_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _write_failed(exc: OSError) -> tuple[str, str]:
    return (
        f"无法写入附件文件夹（磁盘已满？{exc.strerror or exc}）",
        f"it could not be written to the attachments folder (disk full? {exc.strerror or exc})",
    )


def store_blob(store: Store, source: Path) -> tuple[str, int]:
    """Copy a file into the store under its hash (once); returns (sha256, size)."""
    if not source.exists():
        raise _unreadable(source, "文件不存在或已被移动", "the file does not exist or was moved")
    if not source.is_file():
        raise _unreadable(source, "这不是一个文件", "it is not a file")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise _unreadable(source, "文件超过50MB", "the file is larger than 50 MB")
    if size == 0:
        # Nothing to show as evidence, and nothing a sync could upload.
        raise _unreadable(
            source,
            "文件是空的（0 字节），不能作为佐证材料",
            "the file is empty (0 bytes) and cannot serve as evidence",
        )
    try:
        sha = sha256_of(source)
        f = source.open("rb")
    except PermissionError as exc:
        raise _unreadable(source, "没有读取权限", "permission denied") from exc
    except OSError as exc:
        raise _unreadable(
            source, f"读取失败（{exc.strerror}）", f"it could not be read ({exc.strerror})"
        ) from exc
    target = blob_path(store, sha)
    with f:
        try:
            if not target.exists():
                _write_blob(target, _chunks_of(f))
        except _ReadFailed as failed:
            error = failed.error
            raise _unreadable(
                source, f"读取失败（{error.strerror}）", f"it could not be read ({error.strerror})"
            ) from error
        except OSError as exc:
            raise _unreadable(source, *_write_failed(exc)) from exc
    return sha, size


def store_bytes(store: Store, data: bytes) -> str:
    """Store bytes that arrived from elsewhere (e.g. a sync download) under their hash."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(store, sha)
    if not target.exists():
        try:
            _write_blob(target, [data])
        except OSError as exc:
            zh, en = _write_failed(exc)
            raise CommissionerError(
                Message(f"无法保存附件 {sha[:12]}：{zh}", f"Cannot save the attachment {sha[:12]}: {en}")
            ) from exc
    return sha


def photo_info(path: Path) -> PhotoInfo:
    """Time and GPS position from a photo's EXIF, where present."""
    try:
        from PIL import Image
        from PIL.ExifTags import IFD

        with Image.open(path) as img:
            exif = img.getexif()
            taken = exif.get_ifd(IFD.Exif).get(36867) or exif.get(306) or ""
            gps = exif.get_ifd(IFD.GPSInfo)
    except Exception as exc:  # any unreadable image simply has no EXIF for us
        log.debug("no EXIF in %s: %s", path, exc)
        return PhotoInfo()
    taken_at = ""
    if taken:
        try:
            taken_at = datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
        except ValueError:
            taken_at = ""
    return PhotoInfo(taken_at, _gps_degrees(gps, 2, 1, 90), _gps_degrees(gps, 4, 3, 180))


def _gps_degrees(gps: dict[int, Any], value_tag: int, ref_tag: int, limit: float) -> float | None:
    """A coordinate from a photo's GPS tags; None when it has none, or one no place on earth has (a
    damaged tag: the photo is kept, its place is not)."""
    value = gps.get(value_tag)
    if not value:
        return None
    try:
        degrees = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if gps.get(ref_tag) in ("S", "W"):
        degrees = -degrees
    return round(degrees, 6) if -limit <= degrees <= limit else None


def make_thumbnail(store: Store, sha256: str) -> Path | None:
    target = thumbnail_path(store, sha256)
    if target.exists():
        return target
    try:
        from PIL import Image, ImageOps

        with Image.open(blob_path(store, sha256)) as original:
            img = ImageOps.exif_transpose(original)
            img.thumbnail(THUMB_SIZE)
            target.parent.mkdir(parents=True, exist_ok=True)
            img.convert("RGB").save(target, "JPEG", quality=80)
    except Exception as exc:  # documents and broken images have no thumbnail
        log.debug("no thumbnail for %s: %s", sha256, exc)
        return None
    return target


def _check_picture(source: Path) -> None:
    """A file named as a picture of a kind this computer reads (JPEG, PNG, ...) must open as one: a
    text file named 现场.jpg was taken as a site photo, had no preview and was left out of every
    printed record. A kind with no reader here (an iPhone's HEIC) is kept as a file, as before."""
    from PIL import Image

    if source.suffix.lower() not in Image.registered_extensions():
        return
    try:
        with Image.open(source) as img:
            img.verify()  # the file's structure, without decoding every pixel
    except Image.DecompressionBombError:
        return  # a picture, and a huge one (a panorama): kept as before
    except PermissionError:
        return  # said by store_blob, as for any file
    except Exception as exc:  # whatever a damaged file makes the reader raise
        log.info("refused %s as a picture: %s", source, exc)
        raise _unreadable(
            source,
            "这不是能打开的图片（文件已损坏，或扩展名与内容不符）",
            "it is not a picture that can be opened (damaged, or its extension does not match what it holds)",
        ) from exc


def prepare_attachment(store: Store, source: Path, owner_table: str, owner_id: str, kind: str) -> Attachment:
    """A file made ready as evidence for a record: checked, stored once by hash, EXIF read, preview
    made; the record itself not yet saved (an editor saves it with its owner). Raises
    CommissionerError (in Chinese and English) for a file that is missing, unreadable, empty, too
    large, or named as a picture and not one."""
    mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    if mime.startswith("image/") and source.is_file() and 0 < source.stat().st_size <= MAX_ATTACHMENT_BYTES:
        _check_picture(source)  # (a missing, empty or too large file: said by store_blob)
    sha, size = store_blob(store, source)
    info = photo_info(source) if mime.startswith("image/") else PhotoInfo()
    if mime.startswith("image/"):
        make_thumbnail(store, sha)
    return Attachment(
        sha256=sha,
        owner_table=owner_table,
        owner_id=owner_id,
        kind=kind,
        mime=mime,
        size=size,
        original_name=source.name,
        taken_at=info.taken_at,
        gps_lat=info.gps_lat,
        gps_lon=info.gps_lon,
    )


def add_attachment(
    store: Store, source: Path | str, owner_table: str, owner_id: str, kind: str = "photo"
) -> Attachment:
    """Add a file as evidence for a record (prepare_attachment), and save its record."""
    attachment = prepare_attachment(store, Path(source), owner_table, owner_id, kind)
    store.save(attachment)
    return attachment


def attachments_of(store: Store, owner_table: str, owner_id: str) -> list[Attachment]:
    return store.all(Attachment, "owner_table = ? AND owner_id = ?", [owner_table, owner_id])


def verify_blob(store: Store, sha256: str, name: str = "") -> Message | None:
    """None when the file is there and its bytes match the hash; else what is wrong."""
    label = safe_file_name(name, "") or str(sha256)[:12]
    if not valid_sha256(sha256):
        return Message(
            f"附件 {label} 的校验值无效（{str(sha256)[:80]}）",
            f"The hash of attachment {label} is not valid ({str(sha256)[:80]})",
        )
    path = blob_path(store, sha256)
    if not path.exists():
        return Message(
            f"附件 {label} 的文件缺失（{path}）", f"The file of attachment {label} is missing ({path})"
        )
    if sha256_of(path) != sha256:
        return Message(
            f"附件 {label} 的文件已损坏（内容与校验值不符）",
            f"The file of attachment {label} is damaged (hash mismatch)",
        )
    return None


def is_empty_blob(store: Store, sha256: str) -> bool:
    """Whether the file of a hash is here and empty (kept by a version that accepted empty files, or
    written into the database directly): there is nothing to upload, so its record cannot be sent."""
    try:
        return blob_path(store, sha256).stat().st_size == 0
    except (OSError, CommissionerError):
        return False


def empty_blob_message(sha256: str, name: str, consequence_zh: str, consequence_en: str) -> Message:
    """What is wrong with an attachment whose file is empty, and what to do about it."""
    label = safe_file_name(name, "") or str(sha256)[:12]
    return Message(
        f"附件 {label} 的文件是空的（0 字节），{consequence_zh}；请删除该附件，或换成有内容的文件",
        f"The file of attachment {label} is empty (0 bytes); {consequence_en}. Delete the attachment, or "
        "replace it with a file that has content",
    )
