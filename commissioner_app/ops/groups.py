"""Team and workstation assessment (团队与工作站考核): scores, bonuses (加分项) and exemplars (先进典型)."""

from __future__ import annotations

from dataclasses import dataclass

from commissioner_app.assessment import Assessment, GroupResult, Period, assess, assess_groups, served_by
from commissioner_app.domain import BonusPoint, Exemplar, now_iso
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.plan_lists import ExemplarRow, exemplars
from commissioner_app.store import Store


@dataclass
class GroupAssessment:
    year: int
    city: Assessment
    teams: list[GroupResult]
    workstations: list[GroupResult]
    exemplars: list[ExemplarRow]

    def of(self, kind: str) -> list[GroupResult]:
        return self.teams if kind == "team" else self.workstations


def group_assessment(store: Store, year: int) -> GroupAssessment:
    city = assess(store, period=Period.year(year))
    served = served_by(store, city)
    return GroupAssessment(
        year,
        city,
        assess_groups(store, city, "team", served),
        assess_groups(store, city, "workstation", served),
        exemplars(store, year),
    )


def save_bonus(store: Store, bonus: BonusPoint) -> OpResult[BonusPoint]:
    """Enter or change a bonus; it waits for the bureau's review (pending) unless the bureau decides."""
    table = "teams" if bonus.subject_kind == "team" else "workstations"
    found = store.db.execute(
        f"SELECT 1 FROM {table} WHERE id = ? AND deleted = 0", [bonus.subject_id]
    ).fetchone()
    if bonus.subject_kind in ("team", "workstation") and found is None:
        raise CommissionerError(Message("请选择加分的科技特派团或工作站", "Choose the team or workstation"))
    return OpResult(store.save(bonus), OpChanges.of("bonus_points"))


def decide_bonus(
    store: Store, bonus_id: str, decision: str, opinion: str, reviewer: str
) -> OpResult[BonusPoint]:
    """The bureau approves or rejects a bonus (rejecting needs an opinion; the record says why)."""
    bonus = store.get(BonusPoint, bonus_id)
    if bonus is None:
        raise CommissionerError(Message("找不到该加分项", "The bonus was not found"))
    bonus.status = decision
    bonus.review_opinion = opinion.strip()
    bonus.reviewed_by = reviewer
    bonus.reviewed_at = now_iso()
    return OpResult(store.save(bonus), OpChanges.of("bonus_points"))


def delete_bonus(store: Store, bonus_id: str) -> OpResult[None]:
    store.delete(BonusPoint, bonus_id)
    return OpResult(None, OpChanges.of("bonus_points"))


def nominate_exemplar(store: Store, exemplar: Exemplar, nominated_by: str) -> OpResult[Exemplar]:
    """Name a 先进典型 of a year. A commissioner must have a published result of that year: exemplars
    come from the published results, so every document agrees with the official grade."""
    if exemplar.subject_kind == "commissioner":
        published = store.db.execute(
            "SELECT 1 FROM assessment_results WHERE year = ? AND commissioner_id = ? AND deleted = 0",
            [exemplar.year, exemplar.subject_id],
        ).fetchone()
        if published is None:
            raise CommissionerError(
                Message(
                    f"该特派员{exemplar.year}年度考核结果尚未发布，请先发布考核结果再评选先进典型",
                    f"The {exemplar.year} results of this commissioner are not published; publish them first",
                )
            )
    exemplar.nominated_by = exemplar.nominated_by or nominated_by
    exemplar.nominated_at = exemplar.nominated_at or now_iso()
    return OpResult(store.save(exemplar), OpChanges.of("exemplars"))


def withdraw_exemplar(store: Store, exemplar_id: str) -> OpResult[None]:
    store.delete(Exemplar, exemplar_id)
    return OpResult(None, OpChanges.of("exemplars"))
