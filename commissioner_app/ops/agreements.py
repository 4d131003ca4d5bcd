"""Service agreements (服务协议): create, edit, delete; progress is commissioner_app/agreements.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from commissioner_app.agreements import AgreementProgress, agreement_progress, behind_agreements, progress_of
from commissioner_app.collation import name_key
from commissioner_app.domain import Commissioner, ServiceAgreement, ServiceTarget, signed_terms_refusal
from commissioner_app.errors import CommissionerError
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.records import from_row
from commissioner_app.store import Store
from commissioner_app.targets import final_target


def save_agreement(store: Store, agreement: ServiceAgreement) -> OpResult[ServiceAgreement]:
    """Validate and keep an agreement (its commissioner is this laptop's when not given). Once the
    central store has it signed, its targets and period stay as signed (domain.signed_terms_refusal:
    the central store refuses the change too; this says so at once, and nothing is changed)."""
    if not agreement.commissioner_id:
        agreement.commissioner_id = store.get_meta("self_commissioner_id") or store.actor or ""
    agreement.agreed = {k: float(v) for k, v in agreement.agreed.items() if v}
    with store.atomic():
        _check_signed_terms(store, agreement.id, agreement)
        saved = store.save(agreement)
    return OpResult(saved, OpChanges.of("service_agreements"))


def delete_agreement(store: Store, agreement_id: str) -> OpResult[None]:
    with store.atomic():
        _check_signed_terms(store, agreement_id, None)
        store.delete(ServiceAgreement, agreement_id)
    return OpResult(None, OpChanges.of("service_agreements"))


def _check_signed_terms(store: Store, agreement_id: str, after: ServiceAgreement | None) -> None:
    signed = _synced_version(store, agreement_id)
    if signed is None:
        return
    # Its served party merged into another since (a manager's merge, pulled while it had edits
    # here): the agreement follows it, as the central store re-pointed it. (The server's version
    # kept here still names the one merged.)
    signed.target_id = final_target(store, signed.target_id)
    if (refusal := signed_terms_refusal(signed, after)) is not None:
        raise CommissionerError(refusal)


def _synced_version(store: Store, agreement_id: str) -> ServiceAgreement | None:
    """The agreement as the central store last had it (None when it never had it): the stored row
    while unchanged since, else the server's version kept when it was first edited (sync_base)."""
    row = store.db.execute(
        "SELECT rev, dirty, deleted FROM service_agreements WHERE id = ?", [agreement_id]
    ).fetchone()
    if row is None or not row[0]:
        return None
    if row[1]:
        base = store.db.execute(
            "SELECT fields FROM sync_base WHERE table_name = 'service_agreements' AND record_id = ?",
            [agreement_id],
        ).fetchone()
        return from_row(ServiceAgreement, json.loads(base[0])) if base else None
    return None if row[2] else store.get(ServiceAgreement, agreement_id)


@dataclass
class AgreementRow:
    """One line of the agreement list."""

    id: str
    target_id: str
    target_name: str
    commissioner: str
    period: str
    status: str
    progress: AgreementProgress


def agreement_rows(
    store: Store, today: date | None = None, target_id: str | None = None
) -> list[AgreementRow]:
    """Every agreement with its progress (commissioner_app/agreements.py), newest period first."""
    names = {c.id: c.name for c in store.all(Commissioner)}
    target_names = {t.id: t.name for t in store.all(ServiceTarget)}
    where, params = ("target_id = ?", [target_id]) if target_id else ("1", [])
    rows = []
    for p in progress_of(store, where, list(params), today):
        a = p.agreement
        rows.append(
            AgreementRow(
                a.id,
                a.target_id,
                target_names.get(a.target_id, ""),
                "、".join(
                    n for n in (names.get(c, "") for c in [a.commissioner_id, *a.co_commissioner_ids]) if n
                ),
                f"{a.start_date or ''} ~ {a.end_date or ''}",
                a.status,
                p,
            )
        )
    rows.sort(key=lambda r: (str(r.progress.agreement.start_date or ""), r.id), reverse=True)
    return rows


def agreement_of(store: Store, agreement_id: str | None, today: date | None = None) -> AgreementProgress:
    """An agreement for the editor (a new draft when no id), with its progress."""
    agreement = store.require(ServiceAgreement, agreement_id) if agreement_id else ServiceAgreement()
    return agreement_progress(store, agreement, today)


def behind_count(store: Store, commissioner_ids: list[str] | None = None, today: date | None = None) -> int:
    """How many agreements in force are under half of an agreed target after mid-period."""
    return len(behind_agreements(store, commissioner_ids, today))


def save_agreement_with_files(
    store: Store, agreement: ServiceAgreement, write_files: Callable[[Store], None]
) -> OpResult[ServiceAgreement]:
    """Save an agreement and, in the same transaction, its signed copy (the editor's attachments)."""
    with store.atomic():
        saved = save_agreement(store, agreement).value
        write_files(store)
    return OpResult(saved, OpChanges.of("service_agreements", "attachments"))


def showcase_agreement_id(store: Store, today: date | None = None) -> str | None:
    """An agreement in force, a behind one first (for a screenshot or a demo)."""
    rows = progress_of(store, "status IN ('signed', 'midterm')", [], today)
    rows.sort(key=lambda p: (not p.behind, -len(p.visit_ids)))
    return rows[0].agreement.id if rows else None


def commissioner_choices(store: Store) -> list[tuple[str, str]]:
    """(id, name) of the commissioners here (oneself first): who an agreement may name."""
    me = store.get_meta("self_commissioner_id") or ""
    people = [c for c in store.all(Commissioner) if not c.deactivated_on]
    people.sort(key=lambda c: (c.id != me, name_key(c.name)))
    return [(c.id, c.name) for c in people]
