"""Technical problems (技术难题) and their solutions, edited outside a visit."""

from __future__ import annotations

from commissioner_app.domain import Solution, TechnicalProblem
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def save_problem(
    store: Store, problem: TechnicalProblem, solution: Solution | None = None
) -> OpResult[TechnicalProblem]:
    """Keep a problem's changes and, if given, a new solution: together or neither."""
    with store.atomic():
        if solution is not None:
            store.save(solution)
        saved = store.save(problem)
    return OpResult(saved, OpChanges.of("problems", "solutions") if solution else OpChanges.of("problems"))
