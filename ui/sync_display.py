"""How records and values look on the sync page and in the conflicts view (no Qt here).

A conflict is shown field by field; the raw column values (codes, ids, JSON lists, ISO dates) are
turned into what the user typed or chose: service types by their Chinese names, a target by its
name, a date as 2026年3月5日, yes/no for flags.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from commissioner_app.domain import (
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    REVIEW_STATUSES,
    SERVICE_TYPES,
    TARGET_TYPES,
    URGENCIES,
    id_excerpt,
    short_id,
)
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync.conflicts import FIELD_LABELS, TABLE_LABELS
from sync.errors import rejection_reason
from sync.ops import linked_text, open_conflicts, rejected_rows

# Fields holding a code of a code table, by field name (and table where the name is ambiguous).
CODE_TABLES: dict[str, dict[str, Message]] = {
    "service_types": SERVICE_TYPES,
    "urgency": URGENCIES,
    "source": PROBLEM_SOURCES,
    "review_status": REVIEW_STATUSES,
}
TABLE_CODE_TABLES: dict[tuple[str, str], dict[str, Message]] = {
    ("service_targets", "type"): TARGET_TYPES,
    ("problems", "status"): PROBLEM_STATUSES,
}
# Fields holding the id of another record, and how to name that record.
LINKS: dict[str, tuple[str, str]] = {
    "target_id": ("service_targets", "name"),
    "problem_id": ("problems", "title"),
    "visit_id": ("visits", "visit_date"),
    "team_id": ("teams", "name"),
    "workstation_id": ("workstations", "name"),
    "commissioner_id": ("commissioners", "name"),
}
BOOLEAN_FIELDS = {"deleted", "confirmed"}
YES = Message("是", "Yes")
NO = Message("否", "No")
EMPTY = "—"

# The column that names a record of each table in a list.
CAPTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": ("visit_date", "content"),
    "problems": ("title",),
    "solutions": ("description",),
    "service_targets": ("name",),
    "service_agreements": ("start_date",),
    "attachments": ("original_name",),
    "reviews": ("opinion",),
    "demands": ("title",),
    "commissioners": ("name",),
    "teams": ("name",),
    "workstations": ("name",),
    "annual_summaries": ("year",),
}


def table_label(table: str, language: str) -> str:
    return TABLE_LABELS.get(table, Message(table, table)).text(language)


def field_label(table: str, field: str, language: str) -> str:
    if table == "service_targets" and field == "name":
        return Message("服务对象名称", "Target name").text(language)
    return FIELD_LABELS.get(field, Message(field, field)).text(language)


def format_date(value: str, language: str) -> str:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if language == "en":
        return day.strftime("%d %b %Y").lstrip("0")
    return f"{day.year}年{day.month}月{day.day}日"


def readable_value(store: Store, table: str, field: str, value: Any, language: str) -> str:
    """A column value as the user knows it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field in BOOLEAN_FIELDS or isinstance(value, bool):
        return (YES if value else NO).text(language)
    codes = TABLE_CODE_TABLES.get((table, field)) or CODE_TABLES.get(field)
    if isinstance(value, str) and value[:1] == "[":
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, list):
        names = [codes[v].text(language) if codes and v in codes else str(v) for v in value]
        return "、".join(names) if language != "en" else ", ".join(names)
    if codes is not None and str(value) in codes:
        return codes[str(value)].text(language)
    if field in LINKS and isinstance(value, str):
        linked_table, column = LINKS[field]
        text = linked_text(store, linked_table, column, value)
        if text:
            return format_date(text, language) if column.endswith("date") else text
        return id_excerpt(value)
    text = str(value)
    if field.endswith("_date") or field in ("raised_on", "solved_on", "deadline"):
        return format_date(text, language)
    return text


def record_caption(
    store: Store, table: str, row: dict[str, Any] | None, language: str, *, short: bool = False
) -> str:
    """A short name of a record: a visit's date, target and the start of its content, a problem's
    title. `short` leaves a visit's content out (for narrow lists)."""
    if row is None:
        return EMPTY
    parts = []
    columns = CAPTION_COLUMNS.get(table, ())
    for column in columns[:1] if short else columns:
        value = row.get(column)
        if value in (None, ""):
            continue
        text = str(value)
        if column.endswith("date"):
            text = format_date(text, language)
        parts.append(text if len(text) <= 40 else text[:40] + "…")
    if table == "visits" and row.get("target_id"):
        target = readable_value(store, table, "target_id", row["target_id"], language)
        parts.insert(1, target)
    return " · ".join(parts) or short_id(str(row.get("id", "")))


def rejected_records(store: Store, language: str, limit: int = 200) -> list[dict[str, str]]:
    """Records the server refused, with its reason (they stay here until edited and sent again)."""
    found: list[dict[str, str]] = []
    for table, row in rejected_rows(store, limit):
        reason = rejection_reason(row["sync_error"])
        found.append(
            {
                "table": table,
                "id": row["id"],
                "kind": table_label(table, language),
                "caption": record_caption(store, table, row, language),
                "reason": reason.text(language) if reason else "",
            }
        )
    return found


def conflict_records(store: Store) -> list[tuple[str, str, int]]:
    """(table, record id, open fields) of every record with open conflicts, oldest first."""
    return open_conflicts(store)
