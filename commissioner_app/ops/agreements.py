"""Service agreements (服务协议): create, edit, delete; progress is commissioner_app/agreements.py."""

from __future__ import annotations

from commissioner_app.domain import ServiceAgreement
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
