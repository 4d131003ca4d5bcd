"""The achievements register (成果转化): technologies, varieties, products and patents transferred or
licensed to a served party under a technology contract (技术合同). Reviewed like visits (a manager
approves or returns; an edit after a decision goes back to review); only approved ones count, in
the city view, the annual record and the exports, as a count and as 技术交易额 (contract value)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commissioner_app.domain import Achievement, Attachment, Commissioner, Review, contract_key
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.review import _scope, approved_once, decide_records
from commissioner_app.store import Store

COUNTED = "approved"


def save_achievement(store: Store, achievement: Achievement) -> Achievement:
    """Save a commissioner's achievement; a new or changed one waits for review (the central store
    decides the review state and does the same at push; this shows it at once)."""
    with store.atomic():
        before = store.get(Achievement, achievement.id)
        # A new record only: two laptops of one commissioner may each have recorded a contract
        # offline, and an edit of either (to correct or withdraw it) must stay possible.
        key = contract_key(achievement.contract_no) if before is None else ""
        for title, number in store.db.execute(
            "SELECT title, contract_no FROM achievements WHERE commissioner_id = ? AND id != ? "
            "AND deleted = 0",
            [achievement.commissioner_id, achievement.id],
        ).fetchall():
            if key and contract_key(number or "") == key:
                raise CommissionerError(
                    Message(
                        f"技术合同编号 {achievement.contract_no} 已登记在成果“{title}”中：一份合同只登记一次",
                        f"Contract {achievement.contract_no} is recorded already, in “{title}”: "
                        "a contract is recorded once",
                    )
                )
        if before is None:
            achievement.review_status = "pending"
        elif before != achievement:
            achievement.review_status = "pending"
            achievement.review_opinion = before.review_opinion
        store.save(achievement)
    return achievement


def delete_achievement(store: Store, achievement_id: str) -> None:
    """Delete one's own achievement recorded by mistake (twice, on two laptops; under the wrong
    contract); the next sync sends the deletion. One once approved is returned by its reviewer
    first, as the central store requires."""
    with store.atomic():
        achievement = store.require(Achievement, achievement_id)
        if achievement.commissioner_id != (store.get_meta("self_commissioner_id") or store.actor):
            raise CommissionerError(
                Message("只能删除本人的成果转化记录", "You can delete only your own achievements")
            )
        if approved_once(store, achievement_id, achievement.review_status):
            # (The central store refuses it, and would refuse its files too.)
            raise CommissionerError(
                Message(
                    "曾经审核通过的成果转化记录不能删除；如记录有误，请联系站长/团长退回后再删除",
                    "An achievement that was once approved cannot be deleted; if it is wrong, ask your "
                    "reviewer to return it first",
                )
            )
        # Its files stay, with an owner deleted (nothing fetches, previews or counts them): files go
        # to the central store before achievements, and a file's deletion first sent the achievement
        # back to review, after which its own deletion was refused (the file lost everywhere, the
        # achievement kept). One never sent yet goes: it would be uploaded for nothing.
        for attachment in store.all(
            Attachment, "owner_table = 'achievements' AND owner_id = ? AND rev = 0", [achievement_id]
        ):
            store.delete(Attachment, attachment.id)
        store.delete(Achievement, achievement_id)


def review_queue(store: Store, reviewer: Commissioner) -> list[dict[str, Any]]:
    """Achievements of the reviewer's team or workstation waiting for review."""
    scope, params = _scope(reviewer)
    return list(
        store.db.query(
            f"""SELECT a.id, a.title, a.kind, a.mode, a.contract_no, a.contract_value, a.contract_date,
               a.transferor, a.transferee, a.rev, c.name AS commissioner_name
           FROM achievements a JOIN commissioners c ON c.id = a.commissioner_id
           WHERE a.review_status = 'pending' AND a.deleted = 0 AND a.is_draft = 0 AND {scope}
           ORDER BY a.contract_date DESC""",
            params,
        )
    )


def decide(
    store: Store,
    achievement_ids: Iterable[str],
    decision: str,
    reviewer: Commissioner,
    opinion: str = "",
    *,
    read_up_to: int | None = None,
) -> list[Review]:
    """Approve or return achievements of the reviewer's team; all or nothing (`read_up_to`: see
    review.decide_records)."""
    return decide_records(
        store,
        "achievements",
        achievement_ids,
        decision,
        reviewer,
        opinion,
        read_up_to=read_up_to,
        refused=Message(
            "只能审核本团队成员已提交的成果转化记录。",
            "Only submitted achievements of your team's members can be reviewed.",
        ),
    )


def achievement_rows(
    store: Store, *, year: int | None = None, commissioner_id: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = ["a.deleted = 0"], []
    if year is not None:
        clauses.append("substr(a.contract_date, 1, 4) = ?")
        params.append(str(year))
    if commissioner_id:
        clauses.append("a.commissioner_id = ?")
        params.append(commissioner_id)
    return list(
        store.db.query(
            f"""SELECT a.id, a.title, a.kind, a.mode, a.contract_no, a.contract_value, a.contract_date,
               a.transferor, a.transferee, a.review_status, a.review_opinion, a.visit_ids, a.problem_ids,
               a.commissioner_id, a.target_id, c.name AS commissioner_name, t.name AS target_name, t.county,
               p.title AS project_title
           FROM achievements a LEFT JOIN commissioners c ON c.id = a.commissioner_id
           LEFT JOIN service_targets t ON t.id = a.target_id
           LEFT JOIN projects p ON p.id = a.project_id
           WHERE {" AND ".join(clauses)} ORDER BY a.contract_date DESC, a.created_at DESC""",
            params,
        )
    )


# A technology contract counts once, however many achievements name it (one commissioner's twice, or
# colleagues' each): by its number as domain.contract_key compares it (a SQL function of every
# Store's connection); one without a number is its own.
CONTRACT_KEY = "coalesce(nullif(contract_key({a}contract_no), ''), {a}id)"


def totals(store: Store, year: int | None = None, *, commissioner_id: str | None = None) -> dict[str, float]:
    """Approved achievements, each contract once, in the year of its first contract date (recorded
    again in the new year, one counted in both): {'count', 'value' (技术交易额, 万元), 'pending'}."""
    clauses, params = ["deleted = 0", "is_draft = 0"], []
    if commissioner_id:
        clauses.append("commissioner_id = ?")
        params.append(commissioner_id)
    where = " AND ".join(clauses)
    in_year, year_params = ("substr({0}, 1, 4) = ?", [str(year)]) if year is not None else ("1", [])
    row = store.db.execute(
        f"""SELECT count(*), coalesce(sum(value), 0),
               (SELECT count(*) FROM achievements
                WHERE {where} AND review_status = 'pending' AND {in_year.format("contract_date")})
           FROM (SELECT max(contract_value) AS value, min(contract_date) AS first FROM achievements
                 WHERE {where} AND review_status = '{COUNTED}' GROUP BY {CONTRACT_KEY.format(a="")})
           WHERE {in_year.format("first")}""",
        [*params, *year_params, *params, *year_params],
    ).fetchone()
    return {"count": int(row[0]), "value": round(float(row[1]), 4), "pending": int(row[2])}


def by_county(
    store: Store, year: int | None = None, *, start: str | None = None, end: str | None = None
) -> list[dict[str, Any]]:
    """Approved achievements per county of the served party (the county view's line), of a year or
    of the contracts dated from `start` to `end` (ISO dates, both included), each contract by its
    first contract date (as `totals`). A contract counts in one county's line, however many served
    parties its achievements name: the first county by name that one of them has (so the lines add
    up to the city's total)."""
    period, params = "1", []
    if year is not None:
        period = "substr(first, 1, 4) = ?"
        params.append(str(year))
    if start is not None and end is not None:
        period += " AND first BETWEEN ? AND ?"
        params.extend([start, end])
    return list(
        store.db.query(
            f"""SELECT county, count(*) AS count, coalesce(sum(value), 0) AS value
           FROM (SELECT coalesce(min(nullif(t.county, '')), '') AS county, max(a.contract_value) AS value,
                        min(a.contract_date) AS first
                 FROM achievements a LEFT JOIN service_targets t ON t.id = a.target_id
                 WHERE a.deleted = 0 AND a.is_draft = 0 AND a.review_status = ?
                 GROUP BY {CONTRACT_KEY.format(a="a.")})
           WHERE {period}
           GROUP BY county ORDER BY value DESC""",
            [COUNTED, *params],
        )
    )
