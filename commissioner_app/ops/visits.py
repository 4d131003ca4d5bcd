"""Visits (服务记录): what the visit editor writes, as one unit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commissioner_app.domain import Attachment, Record, Solution, TechnicalProblem, Visit
from commissioner_app.errors import CommissionerError, NotFoundError
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges, drafts
from commissioner_app.review import approved_once
from commissioner_app.store import Store

# Everything a visit save may touch: the lists of visits, problems and files refresh from it.
VISIT_CHANGES = OpChanges.of("visits", "problems", "solutions", "attachments")


def write_attachments(
    store: Store, owner_table: str, owner_id: str, added: list[Attachment], removed: list[str], *, draft: bool
) -> None:
    """Write the attachment records of an owner (their files are in the store already) and delete
    the ones removed; inside the owner's transaction."""
    for attachment in added:
        attachment.owner_table, attachment.owner_id = owner_table, owner_id
        store.save(attachment, draft=draft)
    for attachment_id in removed:
        if store.get(Attachment, attachment_id) is not None:
            store.delete(Attachment, attachment_id)


def delete_draft_problems(store: Store, problem_ids: list[str]) -> None:
    """Problems raised in the editor and autosaved as drafts, then removed from the visit."""
    for problem_id in problem_ids:
        row = store.row("problems", problem_id)
        if row is not None and row["is_draft"] and not row["deleted"]:
            store.delete(TechnicalProblem, problem_id)


def save_visit(
    store: Store,
    visit: Visit,
    problems: list[TechnicalProblem],
    solutions: list[Solution],
    *,
    draft: bool,
    removed_problems: list[str],
    links: dict[str, dict[str, str]],
    write_attachments: Callable[[Store], None] = lambda _store: None,
) -> OpChanges:
    """The visit with its problems, solutions and files, or nothing (ValidationError lists why).

    `links` are existing problems picked in a draft (no record ties them yet); the autosaved editor
    state is dropped once the visit is saved."""
    with store.atomic():
        store.save_visit(visit, problems, solutions, draft=draft)
        delete_draft_problems(store, removed_problems)
        write_attachments(store)
        drafts.save_links(store, visit.id, links)
        drafts.clear(store, visit.id)
    return VISIT_CHANGES


def autosave_visit(
    store: Store,
    visit: Visit,
    state: dict[str, object],
    *,
    as_draft: bool,
    problems: list[TechnicalProblem],
    solutions: list[Solution],
    removed_problems: list[str],
    write_attachments: Callable[[Store], None] = lambda _store: None,
) -> drafts.SavedState:
    """Keep what is typed: the editor state aside, and a visit new in this editor also as a draft."""
    with store.atomic():
        if as_draft:
            store.save_visit(visit, problems, solutions, draft=True)
            delete_draft_problems(store, removed_problems)
            write_attachments(store)
        saved_at = drafts.save_state(store, visit.id, state)
    return drafts.SavedState(saved_at, VISIT_CHANGES if as_draft else OpChanges())


PICKER_ROWS = 1000


def visit_deletion_refusal(store: Store, visit_id: str) -> Message | None:
    """Why one's own visit cannot be deleted here (None: it can). Refused: a visit once approved in
    review and not returned (its reviewer returns it first, as the central store requires); another's;
    one whose problems were solved on another visit or in a 揭榜 project, or came from a demand
    taken up (揭榜); one that gave the solution of a problem raised elsewhere and marked solved;
    and one an achievement cites as its evidence. Each would leave records elsewhere pointing at
    what is gone."""
    row = store.row("visits", visit_id)
    if row is None or row["deleted"]:
        return Message("找不到这条服务记录，可能已被删除", "This visit was not found; it may be deleted")
    if row["commissioner_id"] != (store.get_meta("self_commissioner_id") or store.actor):
        return Message("只能删除本人的服务记录", "You can delete only your own visits")
    if approved_once(store, visit_id, row["review_status"]):
        return Message(
            "曾经审核通过的服务记录不能删除；如记录有误，请联系站长/团长退回后再删除",
            "A visit that was once approved cannot be deleted; if it is wrong, ask your reviewer to "
            "return it first",
        )
    return parts_refusal(store, visit_id)


def parts_refusal(store: Store, visit_id: str) -> Message | None:
    """Why what was recorded on a visit, or given on it, keeps the visit from being deleted: records
    elsewhere would point at what is gone (see `visit_deletion_refusal`). Also asked when a deletion
    is kept after a conflict: the other laptop's edit may have added such a record meanwhile."""
    raised = [p.id for p in store.problems_of_visit(visit_id)]
    marks = ",".join("?" * len(raised))
    first = store.db.execute(
        f"""SELECT p.title FROM problems p JOIN solutions s ON s.problem_id = p.id
           LEFT JOIN visits v ON v.id = s.visit_id
           WHERE p.id IN ({marks}) AND s.deleted = 0
             AND ((v.id != ? AND v.deleted = 0) OR (s.visit_id IS NULL AND s.project_id IS NOT NULL))""",
        [*raised, visit_id],
    ).fetchone()
    if first is not None:
        return Message(
            f"这条服务记录中的技术难题“{first[0]}”已在另一条服务记录或揭榜项目中给出解决方案，不能删除；"
            "如记录有误，请修改",
            f"The problem “{first[0]}” raised on this visit has a solution on another visit or in a "
            "project: the visit cannot be deleted; correct it instead",
        )
    first = store.db.execute(
        f"SELECT title FROM problems WHERE id IN ({marks}) AND coalesce(demand_id, '') != ''", raised
    ).fetchone()
    if first is not None:
        return Message(
            f"这条服务记录中的技术难题“{first[0]}”来自揭榜的需求，不能删除；如记录有误，请修改",
            f"The problem “{first[0]}” raised on this visit is a demand you took up: the visit cannot "
            "be deleted; correct it instead",
        )
    first = store.db.execute(
        """SELECT p.title FROM solutions s JOIN problems p ON p.id = s.problem_id
           WHERE s.visit_id = ? AND s.deleted = 0 AND p.deleted = 0 AND p.status = 'solved'
             AND coalesce(p.visit_id, '') != ?""",
        [visit_id, visit_id],
    ).fetchone()
    if first is not None:
        return Message(
            f"这条服务记录给出了技术难题“{first[0]}”的解决方案（该难题已标记为已解决），不能删除；"
            "如记录有误，请修改",
            f"This visit gave the solution of the problem “{first[0]}”, marked solved: it cannot be "
            "deleted; correct it instead",
        )
    first = store.db.execute(
        f"""SELECT a.title FROM achievements a
           WHERE a.deleted = 0 AND (EXISTS (SELECT 1 FROM json_each(a.visit_ids) WHERE value = ?)
               OR EXISTS (SELECT 1 FROM json_each(a.problem_ids) WHERE value IN ({marks})))""",
        [visit_id, *raised],
    ).fetchone()
    if first is not None:
        return Message(
            f"成果转化记录“{first[0]}”引用了这条服务记录（或其中的技术难题），不能删除；请先在该成果中取消引用",
            f"The achievement “{first[0]}” cites this visit (or a problem raised on it): it cannot be "
            "deleted until the achievement no longer cites it",
        )
    return None


def delete_visit(store: Store, visit_id: str) -> OpChanges:
    """Delete one's own visit logged by mistake (twice, or for the wrong party), with the problems
    raised and the solutions and files recorded on it; the next sync sends the deletions. Refused
    as `visit_deletion_refusal` says."""
    with store.atomic():
        refusal = visit_deletion_refusal(store, visit_id)
        if refusal is not None:
            row = store.row("visits", visit_id)
            raise NotFoundError(refusal) if row is None or row["deleted"] else CommissionerError(refusal)
        store.delete(Visit, visit_id)
        delete_parts(store, visit_id)
        drafts.save_links(store, visit_id, {})
        drafts.clear(store, visit_id)
    return VISIT_CHANGES


def delete_parts(store: Store, visit_id: str) -> None:
    """Delete what was recorded on a deleted visit: its files, the solutions given on it, the problems
    raised on it and their solutions given on it (naming no visit). A problem solved on another
    visit or in a project stays, with that solution (deleted after a conflict, a visit cannot be
    refused as `visit_deletion_refusal` refuses it here)."""
    with store.atomic():
        for attachment in store.all(Attachment, "owner_table = 'visits' AND owner_id = ?", [visit_id]):
            store.delete(Attachment, attachment.id)
        for solution in store.solutions_of_visit(visit_id):
            store.delete(Solution, solution.id)
        for problem in store.problems_of_visit(visit_id):
            solutions = store.solutions_of_problem(problem.id)
            if any(s.visit_id or s.project_id for s in solutions):
                continue
            for solution in solutions:
                store.delete(Solution, solution.id)
            store.delete(TechnicalProblem, problem.id)


def restore_parts(
    store: Store, visit_id: str, *, after_seq: int | None = None, since: str | None = None
) -> int:
    """Bring back what a deletion of a visit took with it, when the visit is kept after all (a
    conflict resolved for its live version). Either the other laptop deleted it: what a pull
    deleted here from the server's deletion on (`after_seq`, the server's sequence number of the
    visit's deletion, which the conflict's answer gave; a part removed on purpose before it has a
    lower one and stays removed). Or this laptop deleted it: what was deleted here from the visit's
    deletion on (`since`, its time), not what a pull deleted since (the server writes a part's
    removal on the other laptop even when this laptop's deletion had taken it already). Problems
    first, then the solutions whose problem is live, then the files, as `delete_parts` took them;
    each is sent as an edit of the server's version.
    Returns how many came back."""
    value: int | str
    if after_seq is not None:
        which, value = "dirty = 0 AND updated_by = 'server' AND server_seq > ?", after_seq
    elif since is not None:
        # (Not a deletion pulled since: the other laptop's removal of a part, on purpose.)
        which, value = "updated_at >= ? AND updated_by != 'server'", since
    else:
        raise ValueError("after_seq or since")
    live_problem = "(problem_id IS NULL OR problem_id IN (SELECT id FROM problems WHERE deleted = 0))"
    parts: list[tuple[type[Record], str]] = [
        (TechnicalProblem, "visit_id = ?"),
        (Solution, f"visit_id = ? AND {live_problem}"),
        (
            Solution,
            f"visit_id IS NULL AND problem_id IN (SELECT id FROM problems WHERE visit_id = ?) "
            f"AND {live_problem}",
        ),
        (Attachment, "owner_table = 'visits' AND owner_id = ?"),
    ]
    restored = 0
    with store.atomic():
        for cls, on_visit in parts:
            found = store.db.execute(
                f"SELECT id FROM {cls.__table__} WHERE {on_visit} AND deleted = 1 AND is_draft = 0 "
                f"AND {which}",
                [visit_id, value],
            ).fetchall()
            for (record_id,) in found:
                store.undelete(cls, record_id)
                restored += 1
    return restored


def recent_visits(store: Store, limit: int = PICKER_ROWS) -> list[dict[str, Any]]:
    """The visits this computer holds (saved, not drafts), newest first, for the print picker."""
    return [
        dict(r)
        for r in store.db.query(
            "SELECT v.id, v.visit_date, t.name AS target_name, substr(v.content, 1, 80) AS content, "
            "v.commissioner_id, c.name AS commissioner_name "
            "FROM visits v LEFT JOIN service_targets t ON t.id = v.target_id "
            "LEFT JOIN commissioners c ON c.id = v.commissioner_id "
            "WHERE v.deleted = 0 AND v.is_draft = 0 ORDER BY v.visit_date DESC, v.start_time DESC LIMIT ?",
            [limit],
        )
    ]


def latest_visit_id(store: Store) -> str | None:
    """The newest saved visit (the screenshot of the visit editor shows it)."""
    row = store.db.execute(
        "SELECT id FROM visits WHERE deleted = 0 AND is_draft = 0 ORDER BY visit_date DESC LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else None
