"""Technical demands (技术需求 / 揭榜) the bureau publishes and commissioners take up.

A demand reaches commissioners through sync; taking it up creates the commissioner's own technical
problem (source 'bureau_demand') and marks the demand taken, and the problem's status flows back to
the bureau with the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from commissioner_app.domain import Commissioner, Demand, ServiceTarget, TechnicalProblem
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from commissioner_app.targets import POINTING_TABLES, target_named

DEMAND_STATUSES = {
    "published": Message("待揭榜", "Open"),
    "taken": Message("已揭榜", "Taken up"),
    "closed": Message("已关闭", "Closed"),
    # Published by the bureau as a 揭榜挂帅 project (commissioner_app/projects.py): applied for, not taken.
    "project": Message("已转为揭榜项目", "Became an open-call project"),
}


def publish(store: Store, demand: Demand) -> Demand:
    demand.status = "published"
    return store.save(demand)


# What the bureau may correct in a demand it published (not who took it up, nor its state).
EDITABLE_FIELDS = ("title", "description", "industry", "county", "town", "target_name", "deadline")

_NOT_OPEN = Message(
    "该需求已被揭榜或已转为揭榜项目，不能再修改或关闭。",
    "This demand has been taken up or became an open-call project: it can no longer be changed or closed.",
)


def _bureau_demand(store: Store, demand_id: str, states: tuple[str, ...]) -> Demand:
    demand = store.get(Demand, demand_id)
    if demand is None:
        raise CommissionerError(
            Message("找不到该需求，可能已被删除。", "The demand was not found: it may have been deleted.")
        )
    if demand.status not in states or demand.taken_by:
        raise CommissionerError(_NOT_OPEN)
    return demand


def revise(store: Store, demand_id: str, changes: Demand) -> Demand:
    """Correct a published (or closed) demand: its text, place, served party and deadline; checked
    as a new one is. One already taken up is the commissioner's problem now and is not changed."""
    with store.atomic():
        demand = _bureau_demand(store, demand_id, ("published", "closed"))
        for name in EDITABLE_FIELDS:
            setattr(demand, name, getattr(changes, name))
        return store.save(demand)


def close(store: Store, demand_id: str) -> Demand:
    """Withdraw a published demand nobody has taken up (met otherwise, or published by mistake):
    commissioners no longer see it among the open ones. It stays in the bureau's list."""
    with store.atomic():
        demand = _bureau_demand(store, demand_id, ("published",))
        demand.status = "closed"
        return store.save(demand)


def problem_missing(store: Store, demand: Demand) -> bool:
    """A demand taken up whose taker's problem for it is not here (it never came, or was deleted):
    the bureau, which receives every problem, may publish it again."""
    if not demand.taken_by:
        return False
    found = store.db.execute(
        "SELECT 1 FROM problems WHERE id = ? AND deleted = 0 AND commissioner_id = ? AND demand_id = ?",
        [demand.problem_id or "", demand.taken_by, demand.id],
    ).fetchone()
    return found is None


def reopen(store: Store, demand_id: str, *, today: date | None = None) -> Demand:
    """Publish a closed demand again, or a taken one whose problem never came (problem_missing);
    one whose deadline has passed needs a new deadline first."""
    today = today or date.today()
    with store.atomic():
        found = store.get(Demand, demand_id)
        if found is not None and found.status == "taken" and problem_missing(store, found):
            found.taken_by = None
            found.problem_id = None
            found.status = "closed"  # and published below, as a closed one is
            store.save(found)
            if found.deadline is not None and found.deadline < today:
                return found  # taken back, closed: published again once it has a new deadline
        demand = _bureau_demand(store, demand_id, ("closed",))
        if demand.deadline is not None and demand.deadline < today:
            raise CommissionerError(
                Message(
                    "该需求的揭榜截止日期已过，请先修改截止日期再重新发布。",
                    "The demand's deadline has passed: change the deadline before publishing it again.",
                )
            )
        demand.status = "published"
        return store.save(demand)


def open_demands(
    store: Store, *, industries: list[str] | None = None, today: date | None = None
) -> list[Demand]:
    """Published demands not yet taken and not past their deadline; matching industries first."""
    today = today or date.today()
    demands = store.all(
        Demand,
        "status = 'published' AND taken_by IS NULL AND (deadline IS NULL OR deadline >= ?)",
        [today.isoformat()],
    )
    if industries:
        demands.sort(key=lambda d: (d.industry not in industries, d.deadline or date.max))
    return demands


@dataclass(frozen=True)
class TakenUp:
    """What a take-up made: the problem, and its served party (registered now, or found)."""

    problem: TechnicalProblem
    party: ServiceTarget | None
    party_is_new: bool


def take_up(
    store: Store, demand_id: str, commissioner: Commissioner, *, today: date | None = None
) -> TechnicalProblem:
    """揭榜: the demand becomes the commissioner's problem; all or nothing."""
    return take_up_with_party(store, demand_id, commissioner, today=today).problem


def take_up_with_party(
    store: Store, demand_id: str, commissioner: Commissioner, *, today: date | None = None
) -> TakenUp:
    """揭榜, and what it made (see TakenUp)."""
    with store.atomic():
        demand = store.get(Demand, demand_id)
        if demand is None or demand.status != "published" or demand.taken_by:
            raise CommissionerError(
                Message("该需求已被揭榜或已关闭。", "This demand has already been taken up or closed.")
            )
        # The party the bureau wrote down is the problem's served party: the one registered under
        # that name, else registered now.
        party, party_is_new = target_named(
            store, demand.target_name, county=demand.county, town=demand.town, industry=demand.industry
        )
        problem = TechnicalProblem(
            commissioner_id=commissioner.id,
            target_id=party.id if party is not None else None,
            title=demand.title,
            description=demand.description,
            industry=demand.industry,
            source="bureau_demand",
            demand_id=demand.id,
            status="in_progress",
            raised_on=today or date.today(),
        )
        store.save(problem)
        demand.taken_by = commissioner.id
        demand.problem_id = problem.id
        demand.status = "taken"
        store.save(demand)
    return TakenUp(problem, party, party_is_new)


def withdraw_take_up(store: Store, demand_id: str, commissioner_id: str) -> tuple[list[str], list[str]]:
    """A take-up the server refused (the demand closed, deleted or taken up by someone else
    meanwhile): the problem it made is withdrawn, with the party registered for it alone, unless work
    was recorded on it (a solution, a visit or a project): that one stays the commissioner's. The
    titles of the problems (withdrawn, kept)."""
    withdrawn: list[str] = []
    kept: list[str] = []
    with store.atomic():
        made = store.all(
            TechnicalProblem,
            "demand_id = ? AND commissioner_id = ? AND source = 'bureau_demand'",
            [demand_id, commissioner_id],
        )
        for problem in made:
            worked_on = store.db.execute(
                "SELECT 1 FROM solutions WHERE problem_id = ? AND deleted = 0 LIMIT 1", [problem.id]
            ).fetchone()
            if worked_on or problem.visit_id or problem.project_id:
                # The commissioner's own problem now, no longer made for the demand (the central
                # store refuses a problem made for a demand someone else took up).
                problem.demand_id = None
                problem.source = "target_request"
                store.save(problem)
                kept.append(problem.title)
                continue
            store.delete(TechnicalProblem, problem.id)
            withdrawn.append(problem.title)
            if problem.target_id:
                _withdraw_party(store, problem.target_id, commissioner_id)
    return withdrawn, kept


def withdrawn_messages(demand: str, withdrawn: list[str], kept: list[str]) -> list[Message]:
    """What a sync says of a take-up that did not succeed (see withdraw_take_up)."""
    name = " ".join(demand.split())[:40]
    said = []
    if withdrawn:
        said.append(
            Message(
                f"揭榜“{name}”未成功，因此建立的技术难题已撤回",
                f"The take-up of “{name}” did not succeed: the technical problem it made was withdrawn",
            )
        )
    if kept:
        said.append(
            Message(
                f"揭榜“{name}”未成功；因此建立的技术难题已有工作记录，仍保留为您的技术难题",
                f"The take-up of “{name}” did not succeed; the technical problem it made has work recorded "
                "on it and stays yours",
            )
        )
    return said


def reconcile_take_ups(store: Store) -> list[Message]:
    """After a pull: a problem this laptop's commissioner made by taking up a demand that is not
    theirs after all (the bureau took it back while the problem was on its way, and someone else may
    have taken it since; or it was deleted) is withdrawn, or with work on it becomes an ordinary
    problem, as a take-up refused at sync is. What the sync says of each."""
    me = store.get_meta("self_commissioner_id") or ""
    if not me:
        return []
    orphans = store.db.execute(
        """SELECT DISTINCT d.id, d.title FROM problems p JOIN demands d ON d.id = p.demand_id
           WHERE p.deleted = 0 AND p.source = 'bureau_demand' AND p.commissioner_id = ?
             AND d.dirty = 0 AND (d.deleted = 1 OR coalesce(d.taken_by, '') != ?)""",
        [me, me],
    ).fetchall()
    said: list[Message] = []
    for demand_id, title in orphans:
        said += withdrawn_messages(str(title or ""), *withdraw_take_up(store, demand_id, me))
    return said


def _withdraw_party(store: Store, target_id: str, commissioner_id: str) -> None:
    """Delete a party registered by the take-up alone: this commissioner's, never changed since it was
    first stored, and named by no live record."""
    row = store.db.execute(
        "SELECT rev, updated_by, merged_into FROM service_targets WHERE id = ? AND deleted = 0", [target_id]
    ).fetchone()
    if row is None or row[0] > 1 or row[1] != commissioner_id or row[2]:
        return
    for table in POINTING_TABLES:
        if store.db.execute(
            f"SELECT 1 FROM {table} WHERE target_id = ? AND deleted = 0 LIMIT 1", [target_id]
        ).fetchone():
            return
    store.delete(ServiceTarget, target_id)


def demand_progress(store: Store) -> list[dict[str, Any]]:
    """Every demand with who took it up and the status of the resulting problem (the bureau's list)."""
    return list(
        store.db.query(
            """SELECT d.id, d.title, d.industry, d.county, d.town, d.deadline, d.status, d.created_at,
               d.description, d.target_name, d.taken_by,
               c.name AS taken_by_name, p.status AS problem_status, p.solved_on,
               (coalesce(d.taken_by, '') != '' AND p.id IS NULL) AS problem_missing
           FROM demands d LEFT JOIN commissioners c ON c.id = d.taken_by
           LEFT JOIN problems p ON p.id = d.problem_id AND p.deleted = 0
               AND p.commissioner_id = d.taken_by AND p.demand_id = d.id
           WHERE d.deleted = 0 ORDER BY d.created_at DESC"""
        )
    )
