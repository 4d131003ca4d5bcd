"""Autosave of the visit editor: what is typed survives a crash or a killed process.

Two places, by the state of the record being edited:
- The complete editor state (every field, problems, solutions, attachments added) goes to a meta key
  `autosave:visits:<id>` within ~2 s of the last change. This never touches a saved record, so an
  unsaved edit of a complete or approved visit does not overwrite it or send it back to review.
- A visit that did not exist when the editor opened is also written as a draft record
  (`save_visit(..., draft=True)`), so it shows as 草稿 in the visit list even if the offer to
  resume it is ignored. Drafts are never queued for sync.

At the next start `recover_drafts` offers every autosaved state back (resume or discard). Meta keys
rather than a table: nothing to migrate, and the state is a single JSON document per visit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from commissioner_app.domain import Attachment, Solution, TechnicalProblem, Visit, now_iso
from commissioner_app.store import Store

log = logging.getLogger("commissioner.ui.autosave")

PREFIX = "autosave:visits:"
LINKS_PREFIX = "visit_links:"  # existing problems picked in a draft visit (no record ties them yet)
DELAY_MS = 2000


def save_state(store: Store, visit_id: str, state: dict[str, Any]) -> str:
    saved_at = now_iso()
    store.set_meta(PREFIX + visit_id, json.dumps({"saved_at": saved_at, "state": state}, ensure_ascii=False))
    return saved_at


def load_state(store: Store, visit_id: str) -> dict[str, Any] | None:
    raw = store.get_meta(PREFIX + visit_id)
    if not raw:
        return None
    try:
        return dict(json.loads(raw))
    except ValueError:
        log.warning("unreadable autosave for visit %s dropped", visit_id)
        clear(store, visit_id)
        return None


def clear(store: Store, visit_id: str) -> None:
    store.db.execute("DELETE FROM meta WHERE key = ?", [PREFIX + visit_id])


def pending(store: Store) -> list[dict[str, Any]]:
    """Every autosaved editor state, newest first: visit_id, saved_at, state."""
    found = []
    for key, raw in store.db.execute(
        "SELECT key, value FROM meta WHERE key LIKE ? ORDER BY key", [PREFIX + "%"]
    ).fetchall():
        try:
            doc = json.loads(raw)
        except ValueError:
            log.warning("unreadable autosave %s skipped", key)
            continue
        found.append(
            {"visit_id": key[len(PREFIX) :], "saved_at": doc.get("saved_at", ""), "state": doc["state"]}
        )
    found.sort(key=lambda d: d["saved_at"], reverse=True)
    return found


def discard(store: Store, visit_id: str) -> None:
    """Throw the autosaved work away; a visit that only ever existed as an autosave goes with it."""
    doc = load_state(store, visit_id)
    with store.atomic():
        if doc and doc["state"].get("origin") == "new":
            row = store.row("visits", visit_id)
            if row is not None and row["is_draft"] and not row["deleted"]:
                for attachment in store.all(
                    Attachment, "owner_table = 'visits' AND owner_id = ?", [visit_id]
                ):
                    store.delete(Attachment, attachment.id)
                for solution in store.solutions_of_visit(visit_id):
                    store.delete(Solution, solution.id)
                for problem in store.problems_of_visit(visit_id):
                    if store.row("problems", problem.id)["is_draft"]:  # type: ignore[index]
                        store.delete(TechnicalProblem, problem.id)
                store.delete(Visit, visit_id)
        clear(store, visit_id)


def save_links(store: Store, visit_id: str, links: dict[str, dict[str, str]]) -> None:
    store.set_meta(LINKS_PREFIX + visit_id, json.dumps(links, ensure_ascii=False) if links else None)


def load_links(store: Store, visit_id: str) -> dict[str, dict[str, str]]:
    raw = store.get_meta(LINKS_PREFIX + visit_id)
    return dict(json.loads(raw)) if raw else {}


class Autosaver(QObject):
    """Calls `save` once typing has paused for DELAY_MS."""

    def __init__(self, save: Callable[[], None], parent: QObject | None = None, delay_ms: int = DELAY_MS):
        super().__init__(parent)
        self._save = save
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._save)

    def touch(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def flush(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self._save()
