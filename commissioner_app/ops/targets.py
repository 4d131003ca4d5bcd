"""Service targets (服务对象): the villages, co-operatives, enterprises and clinics served."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from commissioner_app import targets
from commissioner_app.agreements import AgreementProgress, progress_of
from commissioner_app.collation import zh_key
from commissioner_app.domain import Commissioner, ServiceTarget
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


@dataclass
class TargetPage:
    """What the target page shows: the target, who served it, its agreements with their progress, and
    every visit, problem, solution and agreement for it, newest first."""

    target: ServiceTarget
    commissioners: list[str]
    agreements: list[AgreementProgress]
    events: list[targets.TargetEvent]
    merged_from: list[tuple[str, str]]  # (id, name) of the targets merged into this one
    names: dict[str, str]  # commissioner id -> name
    # (id, "name（town）") of live targets that look like this one (the same credit code, or the
    # same name in the same town): the same party registered twice, by colleagues each offline.
    similar: list[tuple[str, str]] = field(default_factory=list)


def target_page(store: Store, target_id: str, today: date | None = None) -> TargetPage:
    target = store.require(ServiceTarget, target_id)
    agreements = progress_of(store, "target_id = ?", [target_id], today)
    agreements.sort(key=lambda p: str(p.agreement.start_date or ""), reverse=True)
    return TargetPage(
        target,
        targets.target_commissioners(store, target_id),
        agreements,
        targets.target_history(store, target_id),
        targets.merged_into(store, target_id),
        {c.id: c.name for c in store.all(Commissioner)},
        [] if target.merged_into else _similar(store, target),
    )


def _similar(store: Store, target: ServiceTarget) -> list[tuple[str, str]]:
    same_code = targets.same_credit_code(store, target)
    found = [*([same_code] if same_code is not None else []), *targets.similar_targets(store, target)]
    unique = {t.id: t for t in found}
    return [(t.id, _choice_name(t)) for t in unique.values()]


def _choice_name(t: ServiceTarget) -> str:
    return f"{t.name}（{t.town or t.county}）" if (t.town or t.county) else t.name


def target_choices(store: Store, exclude: str = "") -> list[tuple[str, str]]:
    """(id, "name（town）") of every live target, by name: for choosing one (merge, agreement)."""
    return [
        (t.id, _choice_name(t))
        for t in sorted(targets.live_targets(store), key=lambda t: zh_key(t.name))
        if t.id != exclude
    ]


def busiest_target_id(store: Store) -> str | None:
    """The live target with the most visits and an agreement if any (for a screenshot or a demo)."""
    row = store.db.execute(
        """SELECT v.target_id FROM visits v JOIN service_targets t ON t.id = v.target_id
           WHERE v.deleted = 0 AND t.deleted = 0 AND t.merged_into = ''
           GROUP BY v.target_id
           ORDER BY EXISTS (SELECT 1 FROM service_agreements a WHERE a.target_id = v.target_id
                            AND a.status IN ('signed', 'midterm')) DESC,
                    count(*) DESC LIMIT 1"""
    ).fetchone()
    return str(row[0]) if row else None
