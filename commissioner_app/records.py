"""Conversion between domain records and database rows."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

from commissioner_app.domain import TABLES, Achievement, Issue, Record, TechnicalProblem, Visit

R = TypeVar("R", bound=Record)


_FIELD_TYPES: dict[type, dict[str, Any]] = {}
_FIELD_BASES: dict[type, tuple[tuple[str, Any], ...]] = {}


def _field_types(cls: type[Record]) -> dict[str, Any]:
    """Field name -> type hint, computed once per class."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in fields(cls)}
    return found


def _field_bases(cls: type[Record]) -> tuple[tuple[str, Any], ...]:
    """(field name, base type) of a class, computed once: the central store converts every pushed
    record with it (working the bases out per row was most of the cost of checking a push)."""
    found = _FIELD_BASES.get(cls)
    if found is None:
        found = _FIELD_BASES[cls] = tuple((n, _base_type(h)) for n, h in _field_types(cls).items())
    return found


def _base_type(hint: Any) -> Any:
    """`int | None` -> int; `list[str]` -> list."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _base_type(args[0]) if args else str
    return origin or hint


def to_row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, base in _field_bases(type(record)):
        value = getattr(record, name)
        if value is None:
            row[name] = None
        elif base in (list, dict):
            row[name] = json.dumps(value, ensure_ascii=False)
        elif base is date:
            row[name] = value.isoformat()
        elif base is bool:
            row[name] = int(value)
        else:
            row[name] = value
    return row


def column_value(value: Any) -> Any:
    """A JSON value (as sync sends a field) as the local column stores it: lists and objects as JSON
    text, booleans as 0/1."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for name, base in _field_bases(cls):
        if name not in row:
            continue
        value = row[name]
        if value is None:
            kwargs[name] = None
        elif base in (list, dict):
            kwargs[name] = json.loads(value) if value else base()
        elif base is date:
            kwargs[name] = date.fromisoformat(value) if value else None
        elif base is bool:
            kwargs[name] = bool(value)
        elif base is float:
            kwargs[name] = float(value)
        elif base is int:
            kwargs[name] = int(value)
        else:
            kwargs[name] = value
    return cls(**kwargs)


def domain_columns(cls: type[Record]) -> list[str]:
    return list(_field_types(cls))


def stored_record_issues(table: str, row: dict[str, Any], *, today: date) -> list[Issue]:
    """The validation issues of a record in its stored form (as sync carries it), by the same
    `validate()` the application runs before saving. The central store checks every push with it.

    What needs other records is left to the client and to the counting rules: whether a solved
    problem has a solution (a problem counts as solved only through a counted solution anyway).
    """
    # The stored fields carry no id; one given spares the id factory's random UUID, which was a fifth
    # of the central store's cost of checking a push.
    record = from_row(TABLES[table], row if "id" in row else {"id": "", **row})
    if isinstance(record, Visit):
        return record.validate(today=today)
    if isinstance(record, TechnicalProblem):
        return record.validate(solution_count=1)
    if isinstance(record, Achievement):
        return record.validate(today=today)
    return record.validate()
