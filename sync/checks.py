"""Checks of what a server sends before any of it is stored: the client never trusts the server.

Hashes name files on disk, so a pulled record whose hash is not a SHA-256 is refused (reported,
never stored with the bad value); a file name is reduced to a safe base name."""

from __future__ import annotations

import unicodedata
from typing import Any

from commissioner_app.attachments import safe_file_name, valid_sha256
from commissioner_app.i18n import Message

# Fields holding a SHA-256, per table; (required: the record is meaningless without one)
HASH_FIELDS: dict[str, tuple[str, bool]] = {
    "attachments": ("sha256", True),
    "visits": ("confirm_sheet_sha256", False),
}
NAME_FIELDS: dict[str, str] = {"attachments": "original_name"}


def refused_change(table: str, change: dict[str, Any]) -> Message | None:
    """Why a pulled change cannot be stored (None: it can). Tombstones carry no file."""
    spec = HASH_FIELDS.get(table)
    if spec is None or change.get("deleted"):
        return None
    name, required = spec
    fields = change.get("fields") or {}
    value = fields.get(name)
    if (value in ("", None) and not required and name in fields) or (name not in fields and not required):
        return None
    if valid_sha256(value):
        return None
    record_id = str(change.get("id"))[:80]
    shown = repr(value)[:80]
    return Message(
        f"服务器发来的记录 {record_id} 的文件校验值无效（{shown}），未保存该记录",
        f"The server sent record {record_id} with an invalid file hash ({shown}); it was not stored",
    )


def cleaned_fields(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with any file name reduced to a safe base name."""
    name = NAME_FIELDS.get(table)
    if name is None or name not in fields:
        return fields
    return {**fields, name: safe_file_name(fields[name])}


def answered_fields(table: str, fields: object) -> dict[str, Any]:
    """A push answer's `fields`, with a hash that is not a SHA-256 left out and names made safe."""
    if not isinstance(fields, dict):
        return {}
    spec = HASH_FIELDS.get(table)
    if spec is not None and spec[0] in fields and fields[spec[0]] not in ("", None):
        if not valid_sha256(fields[spec[0]]):
            fields = {k: v for k, v in fields.items() if k != spec[0]}
    return cleaned_fields(table, fields)


MAX_REASON_CHARS = 1000  # a server's reason for refusing a record, as it is kept and shown


def plain_reason(value: object) -> str:
    """A server's words shown to the user (a refusal's reason) as plain text: no control or format
    characters (a terminal's escape sequences, direction marks), at most MAX_REASON_CHARS."""
    text = "".join(ch for ch in str(value or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    return text[:MAX_REASON_CHARS]
