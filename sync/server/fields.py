"""What a pushed record may carry: the domain fields of its table, with the types the client stores.

Values travel as the local SQLite stores them: text, numbers, null; lists and dicts as JSON text;
dates as ISO text. Sync metadata the client may include is dropped; any other unknown field, or a
value of the wrong type, rejects the change with a reason naming the field.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson

from commissioner_app import domain
from commissioner_app.reference import KINDS as REFERENCE_KINDS

SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}\Z")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
MAX_TEXT = domain.MAX_TEXT_CHARS  # the application refuses longer texts when saving, too

# Client-side bookkeeping columns: never stored as record fields on the server.
DROPPED = frozenset(
    {
        "id",
        "rev",
        "server_seq",
        "dirty",
        "base_rev",
        "deleted",
        "is_draft",
        "has_conflict",
        "sync_error",
        "updated_at",
        "updated_by",
    }
)


class FieldError(Exception):
    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.field, self.zh, self.en = field, zh, en


def _kind(hint: Any) -> tuple[str, bool]:
    """('str' | 'int' | 'float' | 'bool' | 'date' | 'json', nullable) for a dataclass field type."""
    nullable = False
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        nullable = type(None) in args
        hint = next(a for a in args if a is not type(None))
    if typing.get_origin(hint) in (list, dict) or hint in (list, dict):
        return "json", nullable
    return {str: "str", int: "int", float: "float", bool: "bool", date: "date"}[hint], nullable


def _specs() -> dict[str, dict[str, tuple[str, bool]]]:
    specs: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, cls in domain.TABLES.items():
        hints = typing.get_type_hints(cls)
        specs[table] = {f.name: _kind(hints[f.name]) for f in dataclasses.fields(cls) if f.name != "id"}
        specs[table]["created_at"] = ("str", False)
    return specs


FIELD_SPECS = _specs()
# The same, each with the field's own name: clean_fields keys what it keeps by it rather than by the
# request's text, so that the record made from a pushed row later (commissioner_app/records.py)
# matches its keyword arguments to the class's fields by identity, not by comparing text.
_SPECS_NAMED = {
    table: {name: (kind, nullable, name) for name, (kind, nullable) in spec.items()}
    for table, spec in FIELD_SPECS.items()
}
SYNCED_TABLES = (*FIELD_SPECS, "reference", "assessment_rules")


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and abs(value) < 1e15


def _shape_check(hint: Any) -> Callable[[Any], bool]:
    """Whether a JSON field's parsed value has the items its type says (a list of texts, a table
    of finite numbers, a list of objects): what the application's own checks then rely on."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    origin, args = typing.get_origin(hint) or hint, typing.get_args(hint)
    item = args[-1] if args else object
    item = typing.get_origin(item) or item
    if origin is list and item is str:
        return lambda v: type(v) is list and all(type(x) is str and len(x) <= 200 for x in v)
    if origin is list and item is dict:
        return lambda v: type(v) is list and all(type(x) is dict for x in v)
    if origin is dict and item is float:
        return lambda v: type(v) is dict and all(_number(x) for x in v.values())
    return lambda v: type(v) is origin


def _shapes() -> dict[str, dict[str, Callable[[Any], bool]]]:
    shapes: dict[str, dict[str, Callable[[Any], bool]]] = {}
    for table, cls in domain.TABLES.items():
        hints = typing.get_type_hints(cls)
        shapes[table] = {
            name: _shape_check(hints[name])
            for name, (kind, _) in FIELD_SPECS[table].items()
            if kind == "json"
        }
    return shapes


JSON_SHAPES = _shapes()


def not_json(field: str) -> FieldError:
    return FieldError(field, "应为 JSON 列表或对象", "must be a JSON list or object")


def wrong_items(field: str) -> FieldError:
    return FieldError(field, "内容的格式不正确", "holds items of the wrong kind")


_JSON = json.JSONEncoder(ensure_ascii=False)


def too_long(field: str) -> FieldError:
    return FieldError(
        field,
        f"文本过长（上限 {MAX_TEXT:,} 字）",
        f"the text is too long (at most {MAX_TEXT:,} characters)",
    )


def has_nul(field: str) -> FieldError:
    # A NUL cannot be stored as text by PostgreSQL, and one in a record's JSON broke every later
    # search of that group's records there: refused on both databases.
    return FieldError(field, "不能包含空字符（NUL）", "must not contain a NUL character")


def _check_value(field: str, kind: str, nullable: bool, value: Any) -> Any:
    if value is None:
        # Text columns of the local store may hold NULL where the dataclass says "": both mean empty.
        if nullable or kind == "str":
            return None
        raise FieldError(field, "不能为空", "must not be null")
    if kind == "str":
        if isinstance(value, str) and "\x00" in value:
            raise has_nul(field)
        if isinstance(value, str) and len(value) <= MAX_TEXT:
            return value
        if isinstance(value, str):
            raise too_long(field)
        raise FieldError(field, "应为文本", "must be text")
    if kind == "int" or kind == "bool":
        if isinstance(value, bool):
            if kind == "bool":
                return int(value)
            # (JSON's true is no count: stored as 1 it was one person trained, one job made)
            raise FieldError(field, "应为整数", "must be an integer")
        if isinstance(value, int) and -(2**53) < value < 2**53:
            return value
        raise FieldError(field, "应为整数", "must be an integer")
    if kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15:
            return value
        raise FieldError(field, "应为数字", "must be a number")
    if kind == "date":
        if isinstance(value, str) and DATE_RE.match(value) and _is_date(value):
            return value
        raise FieldError(field, "日期格式应为 YYYY-MM-DD", "must be a date like 2024-05-31")
    # json: a list, an object or JSON text of one are taken in clean_fields; what comes here is not.
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise too_long(field)
    raise not_json(field)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def clean_fields(table: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The pushed fields, checked and normalised; raises FieldError naming the first bad field."""
    if table == "reference":
        return _clean_reference(record_id, fields)
    if table == "assessment_rules":
        return _clean_rules(record_id, fields)
    spec = _SPECS_NAMED[table]
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        found = spec.get(key)
        if found is None:
            if key in DROPPED:
                continue
            raise FieldError(key, "不是此类记录的字段", f"is not a field of {table}")
        kind, nullable, name = found
        # The common cases inline (a push checks hundreds of thousands of values); the rest, and
        # every refusal, in _check_value.
        if kind == "str" and type(value) is str and len(value) <= MAX_TEXT and "\x00" not in value:
            clean[name] = value
        elif (kind == "int" or kind == "bool") and type(value) is int and -(2**53) < value < 2**53:
            clean[name] = value
        elif value is None and (nullable or kind == "str"):
            clean[name] = None
        elif kind == "float" and type(value) is float and -1e15 < value < 1e15:  # (not NaN)
            clean[name] = value
        elif kind == "date" and type(value) is str and DATE_RE.match(value) and _is_date(value):
            clean[name] = value
        elif kind == "json" and type(value) in (list, dict):
            text = _JSON.encode(value)  # parsed from the request's JSON: valid by construction
            if len(text) > MAX_TEXT:
                raise too_long(name)
            if "\\u0000" in text:
                raise has_nul(name)
            if not JSON_SHAPES[table][name](value):
                raise wrong_items(name)
            clean[name] = text
        elif kind == "json" and type(value) is str and len(value) <= MAX_TEXT:
            # As the local store keeps it: JSON text, parsed once to check it. By orjson alone,
            # which refuses what json.loads would take and nothing after could store or send again
            # (an escaped lone surrogate, NaN).
            try:
                parsed = orjson.loads(value)
            except (ValueError, RecursionError):  # (nested past what any record holds)
                parsed = None
            if "\x00" in value or "\\u0000" in value:
                raise has_nul(name)
            if type(parsed) not in (list, dict):
                raise not_json(name)
            if not JSON_SHAPES[table][name](parsed):
                raise wrong_items(name)
            clean[name] = value
        else:
            clean[name] = _check_value(name, kind, nullable, value)
    for name in ("sha256", "confirm_sheet_sha256"):
        value = clean.get(name)
        if value and not SHA256_RE.match(value):
            raise FieldError(
                name, "应为64位小写十六进制 sha256", "must be a sha256 in 64 lower-case hex digits"
            )
    if table == "attachments" and "sha256" in clean and not clean["sha256"]:
        raise FieldError("sha256", "附件缺少 sha256", "an attachment needs its sha256")
    return clean


def _clean_reference(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    if kind not in REFERENCE_KINDS:
        raise FieldError(
            "id", "未知的基础数据类别", f"unknown reference kind; use one of {', '.join(REFERENCE_KINDS)}"
        )
    if set(fields) - {"version", "items"}:
        raise FieldError(
            sorted(set(fields) - {"version", "items"})[0], "不是基础数据的字段", "is not a reference field"
        )
    version = fields.get("version", "")
    if not isinstance(version, str) or len(version) > 100:
        raise FieldError("version", "应为文本", "must be text")
    items = fields.get("items")
    if not isinstance(items, list) or len(items) > 100_000:
        raise FieldError("items", "应为列表", "must be a list")
    clean_items = []
    for item in items:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("code"), str)
            or not item["code"]
            or not isinstance(item.get("name_zh"), str)
        ):
            raise FieldError(
                "items", "每项须有 code 和 name_zh 文本", "each item needs text code and name_zh"
            )
        clean_items.append(
            {
                "code": item["code"],
                "name_zh": item["name_zh"],
                "name_en": _text(item.get("name_en", "")),
                "parent_code": _text(item.get("parent_code", "")),
                "sort_order": item.get("sort_order", 0) if isinstance(item.get("sort_order", 0), int) else 0,
            }
        )
    return {"version": version, "items": clean_items}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError("items", "每项的名称应为文本", "item names must be text")
    return value


def _clean_rules(record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    year, toml_text = fields.get("year"), fields.get("toml")
    if set(fields) - {"year", "toml"}:
        raise FieldError(
            sorted(set(fields) - {"year", "toml"})[0], "不是考核规则的字段", "is not a rules field"
        )
    if (
        not isinstance(year, int)
        or isinstance(year, bool)
        or not 2000 <= year <= 2100
        or record_id != str(year)
    ):
        raise FieldError("year", "年度不正确（且须与记录 id 相同）", "must be a year, equal to the record id")
    if not isinstance(toml_text, str) or len(toml_text) > MAX_TEXT:
        raise FieldError("toml", "应为文本", "must be text")
    import tomllib

    try:
        tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise FieldError("toml", f"TOML 格式错误：{exc}", f"is not valid TOML: {exc}") from exc
    return {"year": year, "toml": toml_text}
