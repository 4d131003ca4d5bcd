"""Reading for the GUI thread: a second, query-only connection to the same database.

The executor's worker owns the application's `Store`; the GUI thread reads (a page of a list, a
form's record) through this connection, which SQLite in WAL mode lets read committed data while the
worker writes. It cannot write: `PRAGMA query_only` refuses every change.
"""

from __future__ import annotations

import sqlite3

from commissioner_app.store import Store, database


def open_reader(store: Store) -> Store:
    """A query-only connection to `store`'s database; an in-memory store has only the one."""
    if store.path is None:
        return store
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, timeout=5.0, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    reader = Store(database(conn), store.data_dir)
    reader.actor = store.actor
    return reader


def interrupt(store: Store) -> None:
    """Stop the statement running on `store`'s connection (it fails with "interrupted");
    safe to call from another thread."""
    store.db.conn.interrupt()
