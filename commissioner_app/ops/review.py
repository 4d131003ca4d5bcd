"""Review (审核): what a manager sees of a visit before deciding, and the decision itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from commissioner_app.attachments import blob_path, thumbnail_path, valid_sha256
from commissioner_app.domain import Commissioner, Review
from commissioner_app.evidence import NOT_THE_SHEET, evidence_warnings
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.review import changes_since_approval, decide, pulled_up_to, review_queue, reviews_of
from commissioner_app.store import Store

RECENT_VISITS = 8


def review_details(store: Store, visit_id: str, today: date | None = None) -> dict[str, Any]:
    """Everything the detail pane shows for one visit (runs on the worker thread).

    `+deleted` keeps SQLite on the selective owner indexes rather than the sync-state ones."""
    today = today or date.today()
    read_up_to = pulled_up_to(store)  # first: what is read after it is at least as new
    found = list(
        store.db.query(
            "SELECT v.*, t.name AS target_name, c.name AS commissioner_name, c.sending_unit FROM visits v "
            "LEFT JOIN service_targets t ON t.id = v.target_id "
            "LEFT JOIN commissioners c ON c.id = v.commissioner_id "
            "WHERE v.id = ?",
            [visit_id],
        )
    )
    if not found:
        return {}
    row = dict(found[0])
    row["service_types"] = json.loads(row["service_types"] or "[]")
    # The visit's own problems, and those raised elsewhere (a served party's request, an earlier
    # visit) that got a solution on this visit: they count as solved through it, so the reviewer
    # sees them, with the solutions given here.
    problems = [
        {**p, "raised_elsewhere": bool(p["raised_elsewhere"])}
        for p in store.db.query(
            "SELECT id, title, description, status, raised_on, 0 AS raised_elsewhere FROM problems "
            "WHERE visit_id = ? AND +deleted = 0 "
            "UNION ALL SELECT id, title, description, status, raised_on, 1 FROM problems "
            "WHERE id IN (SELECT problem_id FROM solutions WHERE visit_id = ? AND +deleted = 0) "
            "AND coalesce(visit_id, '') != ? AND +deleted = 0 "
            "ORDER BY raised_elsewhere, raised_on",
            [visit_id, visit_id, visit_id],
        )
    ]
    for p in problems:
        here = " AND visit_id = ?" if p["raised_elsewhere"] else ""
        p["solutions"] = [
            dict(s)
            for s in store.db.query(
                "SELECT description, technology, outcome FROM solutions "
                f"WHERE problem_id = ? AND +deleted = 0{here} ORDER BY created_at",
                [p["id"], *([visit_id] if here else [])],
            )
        ]
    photos = []
    for a in store.db.query(
        "SELECT a.sha256, a.kind, a.original_name, a.mime FROM attachments a "
        "JOIN visits v ON v.id = a.owner_id "
        f"WHERE a.owner_table = 'visits' AND a.owner_id = ? AND +a.deleted = 0 AND {NOT_THE_SHEET} "
        "ORDER BY a.created_at",
        [visit_id],
    ):
        photos.append({**a, **file_state(store, a["sha256"])})
    sheet = None
    if row.get("confirm_sheet_sha256"):
        # Its name and type, from the attachment that holds it: opened under that name.
        named = store.db.execute(
            "SELECT original_name, mime FROM attachments WHERE owner_table = 'visits' AND owner_id = ? "
            "AND sha256 = ? AND +deleted = 0 ORDER BY created_at DESC LIMIT 1",
            [visit_id, row["confirm_sheet_sha256"]],
        ).fetchone()
        sheet = {
            "original_name": named[0] if named else "",
            "mime": named[1] if named else "",
            **file_state(store, row["confirm_sheet_sha256"]),
        }
    who = row["commissioner_id"]
    recent = [
        dict(r)
        for r in store.db.query(
            "SELECT v.visit_date, v.review_status, t.name AS target_name, "
            "substr(v.content, 1, 16) AS content FROM visits v "
            "LEFT JOIN service_targets t ON t.id = v.target_id "
            "WHERE v.commissioner_id = ? AND +v.deleted = 0 AND +v.is_draft = 0 AND v.id != ? "
            "ORDER BY v.visit_date DESC LIMIT ?",
            [who, visit_id, RECENT_VISITS],
        )
    ]
    since = (today - timedelta(days=365)).isoformat()
    record = dict.fromkeys(("approved", "returned", "pending"), 0)
    for status, n in store.db.execute(
        "SELECT review_status, count(*) FROM visits WHERE commissioner_id = ? AND visit_date >= ? "
        "AND +deleted = 0 AND +is_draft = 0 GROUP BY review_status",
        [who, since],
    ).fetchall():
        if status in record:
            record[status] = n
    return {
        # How far this laptop had pulled when these were read: an approval is of what they showed.
        "read_up_to": read_up_to,
        "visit": row,
        "problems": problems,
        "photos": photos,
        "sheet": sheet,
        "recent": recent,
        "record": record,
        "changes": changes_since_approval(store, visit_id),
        "checks": evidence_warnings(store, [visit_id]).get(visit_id, []),
        "confirmation": next(
            iter(
                store.db.query(
                    "SELECT decision, satisfaction, name, role, comment, submitted_at FROM confirmations "
                    "WHERE visit_id = ? AND +deleted = 0",
                    [visit_id],
                )
            ),
            None,
        ),
        "reviews": [
            (r.decision, r.opinion, r.reviewer_name, r.reviewed_at) for r in reviews_of(store, visit_id)
        ],
    }


def file_state(store: Store, sha256: str) -> dict[str, Any]:
    """What the pane can show of a file: its preview (made here, or brought by a sync), and whether
    the full file is on this computer (else a click downloads it first)."""
    if not valid_sha256(sha256):
        return {"sha256": "", "thumbnail": "", "path": "", "have_full": False}
    thumb = thumbnail_path(store, sha256)
    full = blob_path(store, sha256)
    return {
        "sha256": sha256,
        "thumbnail": str(thumb) if thumb.exists() else "",
        "path": str(full),
        "have_full": full.exists(),
    }


def decide_visits(
    store: Store,
    visit_ids: list[str],
    decision: str,
    reviewer: Commissioner,
    opinion: str,
    *,
    sheet_accepted: bool = False,
    read_up_to: int | None = None,
) -> OpResult[list[Review]]:
    """Approve or return visits; their review state changes and a Review record is kept for each.
    `sheet_accepted`: the reviewer checked the signed confirmation sheets of the approved visits.
    `read_up_to`: ReviewQueue.read_up_to of the queue the reviewer decided on."""
    reviews = decide(
        store, visit_ids, decision, reviewer, opinion, sheet_accepted=sheet_accepted, read_up_to=read_up_to
    )
    return OpResult(reviews, OpChanges.of("visits", "reviews"))


@dataclass(frozen=True)
class ReviewQueue:
    rows: list[dict[str, Any]]
    # How far this laptop had pulled when the queue was read: an approval is of what it showed (a
    # sync in the background may bring more before the screen shows it).
    read_up_to: int


def review_queue_now(store: Store, reviewer: Commissioner) -> ReviewQueue:
    """The reviewer's queue (review.review_queue), with how far this laptop had pulled before it
    was read."""
    read_up_to = pulled_up_to(store)
    return ReviewQueue(review_queue(store, reviewer), read_up_to)
