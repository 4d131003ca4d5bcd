"""Conversion between domain records and database rows."""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

import orjson

from commissioner_app.domain import TABLES, Achievement, Issue, Record, TechnicalProblem, Visit, limit_issues

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


_Converter = Callable[[Any], Any] | None
_PLANS: dict[type, tuple[dict[str, str], tuple[tuple[str, Callable[[Any], Any]], ...]]] = {}


def _plan(cls: type[Record]) -> tuple[dict[str, str], tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """How a stored row becomes the constructor arguments of `cls`, worked out once per class (the
    central store converts every pushed record): its field names (each mapped to the class's own
    string object: see _kwargs), and the fields whose stored value is converted, with how."""
    found = _PLANS.get(cls)
    if found is None:
        bases = _field_bases(cls)
        converted = tuple((name, c) for name, base in bases if (c := _converter(base)) is not None)
        found = _PLANS[cls] = ({name: name for name, _ in bases}, converted)
    return found


def parse_json(text: str | bytes) -> Any:
    """JSON text as json.loads reads it, by orjson (several times faster) when orjson can: what it
    refuses and json.loads takes (NaN, a lone surrogate) goes to json. One difference: an integer
    past 64 bits comes back as a float (no record holds one: every count and amount is capped far
    below, see domain.LIMITS)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _converter(base: Any) -> _Converter:
    if base in (list, dict):
        return lambda value: parse_json(value) if value else base()
    if base is date:
        return lambda value: date.fromisoformat(value) if value else None
    if base in (bool, float, int):
        return base  # type: ignore[no-any-return]
    return None


def _kwargs(cls: type[Record], row: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments of `cls` from a row: its fields that the row has, converted (NULL
    stays None); other columns are ignored."""
    names, converted = _plan(cls)
    if names.keys() >= row.keys():
        # Only fields (a pushed record's, as the central store checked it, keyed by the class's
        # own names): taken whole, and the few that need it converted.
        kwargs = dict(row)
    else:
        # Keyed by the field's own (interned) name, not the row's key: the constructor matches
        # keyword arguments by identity first, by comparing text after.
        kwargs = {names[key]: value for key, value in row.items() if key in names}
    for name, convert in converted:
        value = kwargs.get(name)
        if value is not None and type(value) is not convert:  # (an int column's int is kept as it is)
            kwargs[name] = convert(value)
    return kwargs


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    return cls(**_kwargs(cls, row))


def domain_columns(cls: type[Record]) -> list[str]:
    # The names alone: their types (typing.get_type_hints, which evaluates every annotation) took
    # 4-8 ms at every start of the sync for all the synced tables, and only converting needs them.
    return [f.name for f in fields(cls)]


def stored_record_issues(table: str, row: dict[str, Any], *, today: date) -> list[Issue]:
    """The validation issues of a record in its stored form (as sync carries it), by the same
    `validate()` the application runs before saving. The central store checks every push with it.

    What needs other records is left to the client and to the counting rules: whether a solved
    problem has a solution (a problem counts as solved only through a counted solution anyway).
    """
    cls = TABLES[table]
    kwargs = _kwargs(cls, row)
    # The stored fields carry no id; one given spares the id factory's random UUID, which was a fifth
    # of the central store's cost of checking a push.
    kwargs.setdefault("id", "")
    record = cls(**kwargs)
    if isinstance(record, Visit):
        issues = record.validate(today=today)
    elif isinstance(record, TechnicalProblem):
        issues = record.validate(solution_count=1, today=today)
    elif isinstance(record, Achievement):
        issues = record.validate(today=today)
    else:
        issues = record.validate()
    return [*issues, *limit_issues(record)]
