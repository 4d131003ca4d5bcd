"""The editors' way to the Store.

The frame runs every Store call on one worker thread (`context.tasks`, see ui/tasks.py) so that a
Store is never used by two threads at once. The editors' database work is small (a save is a few
milliseconds), so they run it there *synchronously*: the GUI thread submits the operation and waits
for it. Without a task runner (a bare context) the store is called directly.

`gate.call(fn, *args)` runs `fn(store, *args)` as one unit on the worker (use it for anything that
needs a transaction); `gate.some_method(...)` runs one Store method. Inside an operation, calls
through the gate run directly, so helper code can be shared between both paths.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from commissioner_app.store import Store

T = TypeVar("T")

_local = threading.local()
_gates: WeakKeyDictionary[Any, StoreGate] = WeakKeyDictionary()


class StoreGate:
    def __init__(self, context: Any):
        self._store: Store = context.store
        tasks = getattr(context, "tasks", None)
        self._tasks = tasks if callable(getattr(tasks, "submit", None)) else None

    @classmethod
    def direct(cls, store: Store) -> StoreGate:
        """A gate that calls the store directly (no worker thread: tests, tools)."""
        gate = cls.__new__(cls)
        gate._store, gate._tasks = store, None
        return gate

    @classmethod
    def wrap(cls, store: Store | StoreGate) -> StoreGate:
        return store if isinstance(store, StoreGate) else cls.direct(store)

    @classmethod
    def of(cls, context: Any) -> StoreGate:
        gate = _gates.get(context)
        if gate is None:
            gate = _gates[context] = cls(context)
        return gate

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._tasks is None or getattr(_local, "inside", False):
            return fn(self._store, *args, **kwargs)
        finished = threading.Event()
        box: dict[str, Any] = {}

        def op(store: Store) -> None:
            _local.inside = True
            try:
                box["result"] = fn(store, *args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the GUI thread below
                box["error"] = exc
            finally:
                _local.inside = False
                finished.set()

        self._tasks.submit(op, lambda _result, _error: None, "")
        finished.wait()
        if "error" in box:
            raise box["error"]
        return box["result"]  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name == "db" and not getattr(_local, "inside", False) and self._tasks is not None:
            raise RuntimeError("editors must not use store.db on the GUI thread; use StoreGate.call")
        if callable(getattr(type(self._store), name, None)):
            return lambda *a, **k: self.call(lambda store: getattr(store, name)(*a, **k))
        return getattr(self._store, name)
