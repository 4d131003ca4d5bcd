"""Drafts of the visit editor: the autosaved editor state kept aside until saved or discarded.

The complete editor state goes to a meta key `autosave:visits:<id>`; it never touches a saved
record. Existing problems picked in a draft visit are kept under `visit_links:<id>`. Meta keys
rather than a table: nothing to migrate, and the state is a single JSON document per visit.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from commissioner_app.domain import Attachment, Solution, TechnicalProblem, Visit, now_iso
from commissioner_app.ops import OpChanges
from commissioner_app.store import Store

log = logging.getLogger("commissioner.ops.drafts")


@dataclass(frozen=True)
class SavedState:
    saved_at: str  # ISO time of the autosave
    changes: OpChanges


PREFIX = "autosave:visits:"


LINKS_PREFIX = "visit_links:"  # existing problems picked in a draft visit (no record ties them yet)


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
        log.warning("unreadable autosave for visit %s ignored", visit_id)
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


def discard(store: Store, visit_id: str) -> OpChanges:
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
    return OpChanges.of("visits", "problems", "solutions", "attachments")


def save_links(store: Store, visit_id: str, links: dict[str, dict[str, str]]) -> None:
    store.set_meta(LINKS_PREFIX + visit_id, json.dumps(links, ensure_ascii=False) if links else None)


def load_links(store: Store, visit_id: str) -> dict[str, dict[str, str]]:
    raw = store.get_meta(LINKS_PREFIX + visit_id)
    return dict(json.loads(raw)) if raw else {}
