"""Technical demands (技术需求, 揭榜): the bureau publishes, corrects, closes and reopens; a
commissioner takes one up."""

from __future__ import annotations

from commissioner_app.demands import TakenUp, close, publish, reopen, revise, take_up_with_party
from commissioner_app.domain import Commissioner, Demand
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def publish_demand(store: Store, demand: Demand) -> OpResult[Demand]:
    return OpResult(publish(store, demand), OpChanges.of("demands"))


def revise_demand(store: Store, demand_id: str, changes: Demand) -> OpResult[Demand]:
    return OpResult(revise(store, demand_id, changes), OpChanges.of("demands"))


def close_demand(store: Store, demand_id: str) -> OpResult[Demand]:
    return OpResult(close(store, demand_id), OpChanges.of("demands"))


def reopen_demand(store: Store, demand_id: str) -> OpResult[Demand]:
    return OpResult(reopen(store, demand_id), OpChanges.of("demands"))


def take_up_demand(store: Store, demand_id: str, commissioner: Commissioner) -> OpResult[TakenUp]:
    """揭榜: the demand becomes the commissioner's problem, of the party it names (all or nothing)."""
    return OpResult(
        take_up_with_party(store, demand_id, commissioner),
        OpChanges.of("demands", "problems", "service_targets"),
    )
