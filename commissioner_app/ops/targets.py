"""Service targets (服务对象): the villages, co-operatives, enterprises and clinics served."""

from __future__ import annotations

from commissioner_app.domain import ServiceTarget
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def save_target(store: Store, target: ServiceTarget) -> OpResult[ServiceTarget]:
    """Validate and keep a service target; ValidationError lists every issue and saves nothing."""
    return OpResult(store.save(target), OpChanges.of("service_targets"))
