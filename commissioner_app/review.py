"""Review (审核) of a team's records by a workstation manager or team leader.

Decisions are made offline: each is a Review record that syncs like any other. The visit's
review_status shown locally changes at once but is not marked dirty: the server owns that field and
sets it when it accepts the review, and the next pull brings the authoritative value back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from commissioner_app.domain import Commissioner, Review
from commissioner_app.errors import CommissionerError, ValidationError
from commissioner_app.evidence import NOT_THE_SHEET, evidence_warnings, forget_refused_approvals
from commissioner_app.i18n import Message
from commissioner_app.store import META_PULLED_UP_TO, Store


class CountyReviewer(Commissioner):
    """A county bureau (县科技局) as a reviewer: every visit of its county. The server sends a county
    account only its county's records and checks each decision, so every visit here is in scope."""


def _scope(reviewer: Commissioner, alias: str = "c") -> tuple[str, list[Any]]:
    """Members of the reviewer's team or workstation (a county bureau: of its county), never the
    reviewer's own records."""
    if isinstance(reviewer, CountyReviewer):
        return f"{alias}.id != ?", [reviewer.id]
    clauses, params = [], []
    if reviewer.team_id:
        clauses.append(f"{alias}.team_id = ?")
        params.append(reviewer.team_id)
    if reviewer.workstation_id:
        clauses.append(f"{alias}.workstation_id = ?")
        params.append(reviewer.workstation_id)
    if not clauses:
        return "0", []
    return f"({' OR '.join(clauses)}) AND {alias}.id != ?", [*params, reviewer.id]


def review_queue(store: Store, reviewer: Commissioner, *, limit: int = 2000) -> list[dict[str, Any]]:
    """Visits of the reviewer's team waiting for review, newest first, with what a reviewer needs.

    The unary plus keeps SQLite from looking the counted rows up by the `deleted` column of the
    sync-state indexes (without ANALYZE statistics it prefers them, and then scans every attachment,
    problem and review once per queued visit: 30 s for 1,000 pending visits instead of milliseconds);
    the owner and visit indexes are the selective ones."""
    scope, params = _scope(reviewer)
    rows = store.db.query(
        f"""SELECT v.id, v.visit_date, v.start_time, v.end_time, v.county, v.town, v.industry,
               v.service_types, substr(v.content, 1, 200) AS content, v.people_trained,
               v.training_sessions, v.economic_benefit, v.confirm_contact, v.confirm_satisfaction,
               v.confirm_remark, v.commissioner_id, v.rev, v.updated_at,
               coalesce(v.confirm_sheet_sha256, '') != '' AS has_sheet,
               c.name AS commissioner_name, t.name AS target_name,
               (SELECT count(*) FROM attachments a WHERE a.owner_table = 'visits' AND a.owner_id = v.id
                   AND +a.deleted = 0 AND {NOT_THE_SHEET}) AS attachments,
               (SELECT count(*) FROM problems p WHERE p.visit_id = v.id AND +p.deleted = 0)
               + (SELECT count(DISTINCT s.problem_id) FROM solutions s JOIN problems p ON p.id = s.problem_id
                   WHERE s.visit_id = v.id AND +s.deleted = 0 AND +p.deleted = 0
                   AND coalesce(p.visit_id, '') != v.id) AS problems,
               EXISTS (SELECT 1 FROM reviews r WHERE r.record_table = 'visits' AND r.record_id = v.id
                   AND r.decision = 'approved' AND +r.deleted = 0) AS was_approved,
               (SELECT cf.decision FROM confirmations cf WHERE cf.visit_id = v.id AND +cf.deleted = 0
                   ORDER BY cf.updated_at DESC LIMIT 1) AS party_decision
           FROM visits v JOIN commissioners c ON c.id = v.commissioner_id
           LEFT JOIN service_targets t ON t.id = v.target_id
           WHERE v.review_status = 'pending' AND v.deleted = 0 AND v.is_draft = 0 AND {scope}
           ORDER BY v.visit_date DESC, v.updated_at DESC LIMIT ?""",
        [*params, limit],
    )
    result = []
    for row in rows:
        row["service_types"] = json.loads(row["service_types"] or "[]")
        row["was_approved"] = bool(row["was_approved"])
        result.append(row)
    checks = evidence_warnings(store, [r["id"] for r in result])
    for row in result:
        row["checks"] = checks.get(row["id"], [])
    return result


def pulled_up_to(store: Store) -> int:
    """The server's change number up to which this laptop has pulled: everything the server had
    changed by then is here."""
    pulled = store.get_meta(META_PULLED_UP_TO) or ""
    return int(pulled) if pulled.isdigit() else 0


def decide(
    store: Store,
    visit_ids: Iterable[str],
    decision: str,
    reviewer: Commissioner,
    opinion: str = "",
    *,
    sheet_accepted: bool = False,
    read_up_to: int | None = None,
) -> list[Review]:
    """Approve or return several visits at once; all or nothing. `sheet_accepted`: the reviewer
    checked the signed confirmation sheet, so its satisfaction rating may count. `read_up_to`: see
    decide_records."""
    return decide_records(
        store,
        "visits",
        visit_ids,
        decision,
        reviewer,
        opinion,
        sheet_accepted=sheet_accepted,
        read_up_to=read_up_to,
        refused=Message(
            "只能审核本团队成员已提交的服务记录。",
            "Only submitted visits of your team's members can be reviewed.",
        ),
    )


def decide_records(
    store: Store,
    table: str,
    record_ids: Iterable[str],
    decision: str,
    reviewer: Commissioner,
    opinion: str,
    *,
    refused: Message,
    sheet_accepted: bool = False,
    read_up_to: int | None = None,
) -> list[Review]:
    """Approve or return several visits or achievements (`table`) of the reviewer's members; all or
    nothing: `refused` when one is not theirs or not submitted. The server owns the review state: it
    is shown here at once, not marked to be sent (the review record is).

    `read_up_to`: how far this laptop had pulled when the records were shown to the reviewer
    (`pulled_up_to` then; by default now). The server refuses an approval of a record whose evidence
    changed after it: a sync in the background may have brought more than the screen showed."""
    scope, params = _scope(reviewer)
    if read_up_to is None:
        read_up_to = pulled_up_to(store)
    reviews = []
    for record_id in record_ids:
        review = Review(
            record_table=table,
            record_id=record_id,
            decision=decision,
            opinion=opinion.strip(),
            reviewer_id=reviewer.id,
            reviewer_name=reviewer.name,
            sheet_accepted=table == "visits" and sheet_accepted and decision == "approved",
            evidence_seq=read_up_to,
        )
        issues = review.validate()
        if issues:
            raise ValidationError(issues)
        reviews.append(review)
    # A visit's review also says whether the signed confirmation sheet was accepted.
    sheet = ", confirm_sheet_accepted = ?" if table == "visits" else ""
    has_sheet = "r.confirm_sheet_sha256" if table == "visits" else "''"
    with store.atomic():
        for review in reviews:
            found = store.db.execute(
                f"SELECT r.rev, {has_sheet} FROM {table} r JOIN commissioners c ON c.id = r.commissioner_id "
                f"WHERE r.id = ? AND r.deleted = 0 AND r.is_draft = 0 AND {scope}",
                [review.record_id, *params],
            ).fetchone()
            if found is None:
                raise CommissionerError(refused)
            review.record_rev = int(found[0])
            # Only a visit that has a signed sheet can have it accepted (several approved at once:
            # the tick counts for those that have one; the others' typed-in rating never counts).
            review.sheet_accepted = review.sheet_accepted and bool(found[1])
            store.save(review)
            store.db.execute(
                f"UPDATE {table} SET review_status = ?, review_opinion = ?{sheet} WHERE id = ?",
                [
                    review.decision,
                    review.opinion,
                    *([int(review.sheet_accepted)] if sheet else []),
                    review.record_id,
                ],
            )
        forget_refused_approvals(store, [r.record_id for r in reviews])  # decided again: said no more
    return reviews


def approved_once(store: Store, record_id: str, review_status: str) -> bool:
    """Whether a record (a visit, an achievement) in `review_status` is approved, or was approved
    and not returned since, as this computer knows (the reviews it pulled): the central store keeps
    such a record and what was recorded on it from its owner's deletion until a reviewer returns it."""
    if review_status == "approved":
        return True
    if review_status == "returned":
        return False
    return (
        store.db.execute(
            "SELECT 1 FROM reviews WHERE record_id = ? AND decision = 'approved' AND deleted = 0", [record_id]
        ).fetchone()
        is not None
    )


def reviews_of(store: Store, record_id: str) -> list[Review]:
    # store.all wraps the condition in parentheses, so the order is applied here.
    return sorted(store.all(Review, "record_id = ?", [record_id]), key=lambda r: r.reviewed_at)


def changes_since_approval(store: Store, visit_id: str) -> dict[str, list[Any]]:
    """Fields changed since the last approval, as {field: [value then, value now]}."""
    approved = store.db.execute(
        "SELECT max(reviewed_at) FROM reviews WHERE record_id = ? AND decision = 'approved' AND deleted = 0",
        [visit_id],
    ).fetchone()[0]
    if not approved:
        return {}
    changes: dict[str, list[Any]] = {}
    for entry in store.history("visits", visit_id):
        if entry["changed_at"] < approved:  # the same millisecond counts as after: shown, not hidden
            continue
        for field, (old, new) in entry["changes"].items():
            if field in ("review_status", "review_opinion"):
                continue
            if field in changes:
                changes[field][1] = new
            else:
                changes[field] = [old, new]
    return {k: v for k, v in changes.items() if v[0] != v[1]}


def review_backlog(store: Store, reviewer: Commissioner) -> int:
    scope, params = _scope(reviewer)
    return int(
        store.db.execute(
            f"SELECT count(*) FROM visits v JOIN commissioners c ON c.id = v.commissioner_id "
            f"WHERE v.review_status = 'pending' AND v.deleted = 0 AND v.is_draft = 0 AND {scope}",
            params,
        ).fetchone()[0]
    )
