"""Service agreements (服务协议): create, edit, delete; progress is commissioner_app/agreements.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from commissioner_app.agreements import AgreementProgress, agreement_progress, behind_agreements, progress_of
from commissioner_app.domain import Commissioner, ServiceAgreement, ServiceTarget
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def save_agreement(store: Store, agreement: ServiceAgreement) -> OpResult[ServiceAgreement]:
    """Validate and keep an agreement (its commissioner is this laptop's when not given)."""
    if not agreement.commissioner_id:
        agreement.commissioner_id = store.get_meta("self_commissioner_id") or store.actor or ""
    agreement.agreed = {k: float(v) for k, v in agreement.agreed.items() if v}
    return OpResult(store.save(agreement), OpChanges.of("service_agreements"))


def delete_agreement(store: Store, agreement_id: str) -> OpResult[None]:
    store.delete(ServiceAgreement, agreement_id)
    return OpResult(None, OpChanges.of("service_agreements"))


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
    people.sort(key=lambda c: (c.id != me, c.name))
    return [(c.id, c.name) for c in people]
