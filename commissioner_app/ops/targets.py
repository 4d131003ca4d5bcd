"""Service targets (服务对象): the villages, co-operatives, enterprises and clinics served."""

from __future__ import annotations

from commissioner_app import targets
from commissioner_app.domain import ServiceTarget
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def save_target(
    store: Store, target: ServiceTarget, *, allow_similar: bool = False
) -> OpResult[ServiceTarget]:
    """Validate and keep a service target; ValidationError lists every issue and saves nothing.

    A credit code that another target has is refused (DuplicateTargetError names that target); a
    new target whose normalised name is already in the town raises SimilarTargetsWarning with the
    candidates unless `allow_similar` (the user looked and it is another one)."""
    targets.check_duplicates(store, target, allow_similar=allow_similar)
    return OpResult(store.save(target), OpChanges.of("service_targets"))


def merge_targets(store: Store, loser_id: str, survivor_id: str) -> OpResult[int]:
    """Merge one target into another (a manager's or the bureau's decision; the server checks it):
    visits, problems and agreements follow, here at once and on every computer through sync."""
    moved = targets.merge_targets(store, loser_id, survivor_id)
    return OpResult(moved, OpChanges.of("service_targets", "visits", "problems", "service_agreements"))
