"""Content-addressed attachment files: stored once under their sha256 beside the database.

Layout: <data dir>/attachments/ab/abcdef... (the bytes) and attachments/thumbs/abcdef....jpg.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commissioner_app.domain import Attachment
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.store import Store

log = logging.getLogger("commissioner.attachments")

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
THUMB_SIZE = (320, 320)
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PhotoInfo:
    taken_at: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None


def blob_path(store: Store, sha256: str) -> Path:
    return store.attachments_dir / sha256[:2] / sha256


def thumbnail_path(store: Store, sha256: str) -> Path:
    return store.attachments_dir / "thumbs" / f"{sha256}.jpg"


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


def store_blob(store: Store, source: Path) -> tuple[str, int]:
    """Copy a file into the store under its hash (once); returns (sha256, size)."""
    if not source.exists():
        raise _unreadable(source, "文件不存在或已被移动", "the file does not exist or was moved")
    if not source.is_file():
        raise _unreadable(source, "这不是一个文件", "it is not a file")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise _unreadable(source, "文件超过50MB", "the file is larger than 50 MB")
    try:
        sha = sha256_of(source)
        target = blob_path(store, sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as out, source.open("rb") as f:
                while chunk := f.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
    except PermissionError as exc:
        raise _unreadable(source, "没有读取权限", "permission denied") from exc
    except OSError as exc:
        raise _unreadable(
            source, f"读取失败（{exc.strerror}）", f"it could not be read ({exc.strerror})"
        ) from exc
    return sha, size


def store_bytes(store: Store, data: bytes) -> str:
    """Store bytes that arrived from elsewhere (e.g. a sync download) under their hash."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(store, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
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
    return PhotoInfo(taken_at, _gps_degrees(gps, 2, 1), _gps_degrees(gps, 4, 3))


def _gps_degrees(gps: dict[int, Any], value_tag: int, ref_tag: int) -> float | None:
    value = gps.get(value_tag)
    if not value:
        return None
    try:
        degrees = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if gps.get(ref_tag) in ("S", "W"):
        degrees = -degrees
    return round(degrees, 6)


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


def add_attachment(
    store: Store, source: Path | str, owner_table: str, owner_id: str, kind: str = "photo"
) -> Attachment:
    """Add a file as evidence for a record: stored once by hash, EXIF read, thumbnail made."""
    source = Path(source)
    sha, size = store_blob(store, source)
    mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    info = photo_info(source) if mime.startswith("image/") else PhotoInfo()
    if mime.startswith("image/"):
        make_thumbnail(store, sha)
    attachment = Attachment(
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
    store.save(attachment)
    return attachment


def attachments_of(store: Store, owner_table: str, owner_id: str) -> list[Attachment]:
    return store.all(Attachment, "owner_table = ? AND owner_id = ?", [owner_table, owner_id])


def verify_blob(store: Store, sha256: str, name: str = "") -> Message | None:
    """None when the file is there and its bytes match the hash; else what is wrong."""
    path = blob_path(store, sha256)
    label = name or sha256[:12]
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
