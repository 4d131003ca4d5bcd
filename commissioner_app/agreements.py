"""Service agreements (服务协议): progress against each agreed target, and which are behind.

`agreement_progress` is the one function every screen and document uses (overview, target page,
team view, agreement editor, annual record). What counts: visits of the agreement's commissioners
(its commissioner and co-commissioners) to its service target (and to targets merged into it),
APPROVED by a reviewer, not drafts or deleted, dated within the period (both ends included).
- service days: distinct dates of those visits; visits: how many;
- training sessions, people trained, technologies promoted: the sums of those visits' figures;
- problems solved: problems raised on those visits whose status is solved.
An agreement is behind when it is in force (signed or at its mid-term check), the middle of its
period has passed, and some agreed target is under half reached.

For the team and workstation assessment (indicator "服务协议完成率", assessment.GROUP_METRIC_VALUES):
an agreement is due in a period when it was signed (any status but draft) and its end date falls
within the period, both ends included; it is completed when every agreed target is reached, or,
with no countable target agreed, when it is marked 已完成 (`completed`). An agreement ending after the
period is not due yet and counts neither way; a terminated one that is due counts as not completed
unless its targets were reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from commissioner_app.domain import AGREED_TARGETS, ServiceAgreement
from commissioner_app.store import Store

IN_FORCE = ("signed", "midterm")


@dataclass
class TargetProgress:
    key: str
    agreed: float
    done: float

    @property
    def ratio(self) -> float:
        return self.done / self.agreed if self.agreed > 0 else 1.0


@dataclass
class AgreementProgress:
    agreement: ServiceAgreement
    items: list[TargetProgress] = field(default_factory=list)
    visit_ids: list[str] = field(default_factory=list)
    midpoint: date | None = None
    behind: bool = False

    @property
    def lagging(self) -> list[TargetProgress]:
        return [i for i in self.items if i.agreed > 0 and i.done < i.agreed / 2]


def midpoint(agreement: ServiceAgreement) -> date | None:
    if agreement.start_date is None or agreement.end_date is None:
        return None
    return date.fromordinal((agreement.start_date.toordinal() + agreement.end_date.toordinal()) // 2)


def agreement_progress(
    store: Store, agreement: ServiceAgreement, today: date | None = None
) -> AgreementProgress:
    """Progress of one agreement against each agreed target; see the module's note for what counts."""
    today = today or date.today()
    result = AgreementProgress(agreement, midpoint=midpoint(agreement))
    if agreement.start_date is None or agreement.end_date is None or not agreement.target_id:
        result.items = [
            TargetProgress(k, float(v), 0.0) for k, v in agreement.agreed.items() if k in AGREED_TARGETS
        ]
        return result
    targets = [agreement.target_id] + [
        r[0]
        for r in store.db.execute(
            "SELECT id FROM service_targets WHERE merged_into = ?", [agreement.target_id]
        ).fetchall()
    ]
    people = [agreement.commissioner_id, *agreement.co_commissioner_ids]
    rows = store.db.execute(
        # `+column`: looked up by target (idx_visits_target), never by a scan of the period's visits.
        f"""SELECT id, visit_date, training_sessions, people_trained, techniques_promoted FROM visits
            WHERE +deleted = 0 AND +is_draft = 0 AND +review_status = 'approved'
            AND target_id IN ({",".join("?" * len(targets))})
            AND +commissioner_id IN ({",".join("?" * len(people))})
            AND +visit_date >= ? AND +visit_date <= ?""",
        [*targets, *people, agreement.start_date.isoformat(), agreement.end_date.isoformat()],
    ).fetchall()
    ids = [r[0] for r in rows]
    solved = 0
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        solved += store.db.execute(
            f"SELECT count(*) FROM problems WHERE +deleted = 0 AND +is_draft = 0 AND +status = 'solved' "
            f"AND visit_id IN ({','.join('?' * len(part))})",
            part,
        ).fetchone()[0]
    done = {
        "service_days": float(len({r[1] for r in rows})),
        "visits": float(len(rows)),
        "training_sessions": float(sum(r[2] or 0 for r in rows)),
        "people_trained": float(sum(r[3] or 0 for r in rows)),
        "techniques_promoted": float(sum(r[4] or 0 for r in rows)),
        "problems_solved": float(solved),
    }
    result.visit_ids = ids
    result.items = [
        TargetProgress(key, float(agreement.agreed[key]), done[key])
        for key in AGREED_TARGETS
        if key in agreement.agreed and float(agreement.agreed[key]) > 0
    ]
    result.behind = bool(
        agreement.status in IN_FORCE
        and result.midpoint is not None
        and today >= result.midpoint
        and result.lagging
    )
    return result


def agreements(store: Store, where: str = "1", params: list[object] | None = None) -> list[ServiceAgreement]:
    return store.all(ServiceAgreement, f"deleted = 0 AND is_draft = 0 AND ({where})", params or [])


def progress_of(
    store: Store, where: str = "1", params: list[object] | None = None, today: date | None = None
) -> list[AgreementProgress]:
    """Progress of every agreement that matches (a SQL condition on service_agreements)."""
    return [agreement_progress(store, a, today) for a in agreements(store, where, params)]


def behind_agreements(
    store: Store, commissioner_ids: list[str] | None = None, today: date | None = None
) -> list[AgreementProgress]:
    """Agreements in force that are behind at mid-period (of these commissioners, when given)."""
    today = today or date.today()
    # Only those whose middle has passed are computed: (start + end) / 2 <= today.
    where = (
        "status IN ('signed', 'midterm') AND julianday(start_date) + julianday(end_date) <= 2 * julianday(?)"
    )
    params: list[object] = [today.isoformat()]
    if commissioner_ids is not None:
        if not commissioner_ids:
            return []
        where += f" AND commissioner_id IN ({','.join('?' * len(commissioner_ids))})"
        params += commissioner_ids
    return [p for p in progress_of(store, where, params, today) if p.behind]


def completed(progress: AgreementProgress) -> bool:
    """Completed: every agreed target reached (at least one agreed); or, with no target agreed that
    can be counted, marked 已完成. A commissioner's own mark is no more than that: an agreement of 100
    visits marked 已完成 after 9 raised the team's completion rate by its own word (never reviewed)."""
    if progress.items:
        return all(i.done >= i.agreed for i in progress.items)
    return progress.agreement.status == "completed"


def due_in(store: Store, start: date, end: date, today: date | None = None) -> list[AgreementProgress]:
    """Progress of every signed (not draft) agreement whose end date is within start..end (inclusive):
    the agreements a period's assessment asks to have been completed."""
    where = "status != 'draft' AND end_date >= ? AND end_date <= ?"
    return progress_of(store, where, [start.isoformat(), end.isoformat()], today)
