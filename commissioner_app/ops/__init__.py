"""Operations: every user action as a Qt-free function of the store (after Anki's `pylib` ops).

An operation is `(store, arguments) -> result`. One that writes returns what it changed with its
result, as an `OpChanges` (or an object with a `changes` attribute holding one), so the caller —
the GUI's executor (ui/tasks.py), the CLI, the self-test — can tell every view or cache of those
record kinds to refresh, once, without knowing who else is listening.

Modules by domain: `visits`, `drafts` (the editor's autosave), `review`, `reference`, `assessment`,
`overview`, `team`, `city`, `records` (sync state of records), `session` (who this computer syncs as).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

__all__ = ["OpChanges", "OpResult", "changes_of"]


@dataclass(frozen=True)
class OpChanges:
    """Which kinds of records (table names) an operation changed; `everything` when it cannot say."""

    tables: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, *tables: str) -> OpChanges:
        return cls(frozenset(tables))

    @classmethod
    def all(cls) -> OpChanges:
        return cls(everything=True)

    @classmethod
    def of_tables(cls, tables: Iterable[str]) -> OpChanges:
        return cls(frozenset(tables))

    def touches(self, *tables: str) -> bool:
        """True when any of `tables` changed (always, for `everything`)."""
        return self.everything or not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(self.tables | other.tables, self.everything or other.everything)


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """An operation's value together with what it changed."""

    value: T
    changes: OpChanges


def changes_of(result: Any) -> OpChanges | None:
    """The changes an operation's result reports, if any."""
    if isinstance(result, OpChanges):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, OpChanges) else None
