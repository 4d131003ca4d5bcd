"""揭榜挂帅 projects and the achievements register, as user actions (see commissioner_app.projects
and commissioner_app.achievements)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from commissioner_app import achievements, projects
from commissioner_app.attachments import add_attachment
from commissioner_app.domain import (
    Achievement,
    Attachment,
    Commissioner,
    ProjectApplication,
    ProjectMilestone,
    ProjectRecord,
    Review,
)
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.ops.review import file_state
from commissioner_app.review import pulled_up_to
from commissioner_app.store import Store


@dataclass
class ProjectsPage:
    """What the project screen shows: every project, and the chosen one's applications and milestones."""

    projects: list[dict[str, Any]]
    applications: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    demands: list[tuple[str, str]]  # (id, title) of demands the bureau may publish as projects
    my_visits: list[tuple[str, str]]  # (id, date and served party) of the user's latest visits
    # The chosen project's evidence files (验收佐证), and its milestones' (节点佐证), by owner id.
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def my_visits(store: Store, commissioner: Commissioner | None, limit: int = 100) -> list[tuple[str, str]]:
    """The user's latest visits, to link to a project or an achievement."""
    if commissioner is None:
        return []
    rows = store.db.execute(
        """SELECT v.id, v.visit_date, coalesce(t.name, ''), v.project_id FROM visits v
           LEFT JOIN service_targets t ON t.id = v.target_id
           WHERE v.commissioner_id = ? AND v.deleted = 0 AND v.is_draft = 0
           ORDER BY v.visit_date DESC LIMIT ?""",
        [commissioner.id, limit],
    ).fetchall()
    return [(r[0], f"{r[1]} {r[2]}" + (" ★" if r[3] else "")) for r in rows]


def projects_page(store: Store, commissioner: Commissioner | None, project_id: str | None) -> ProjectsPage:
    rows = projects.project_rows(store, commissioner)
    visits = my_visits(store, commissioner)
    demands = [
        (r[0], r[1])
        for r in store.db.execute(
            "SELECT id, title FROM demands WHERE deleted = 0 AND status = 'published' AND id NOT IN "
            "(SELECT demand_id FROM projects WHERE demand_id IS NOT NULL AND deleted = 0) "
            "ORDER BY created_at DESC LIMIT 200"
        ).fetchall()
    ]
    if project_id is None:
        return ProjectsPage(rows, [], [], demands, visits)
    milestones = projects.milestone_rows(store, project_id)
    return ProjectsPage(
        rows,
        projects.application_rows(store, project_id),
        milestones,
        demands,
        visits,
        {
            **evidence_files(store, "projects", [project_id]),
            **evidence_files(store, "project_milestones", [m["id"] for m in milestones]),
        },
    )


def evidence_files(store: Store, owner_table: str, owner_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The files attached to these records, oldest first, by owner id: each with its name and type,
    and whether it (or its preview) is on this computer (else opening it downloads it first)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(owner_ids), 500):
        part = owner_ids[start : start + 500]
        for row in store.db.query(
            "SELECT owner_id, sha256, original_name, mime, size FROM attachments "
            f"WHERE owner_table = ? AND owner_id IN ({','.join('?' * len(part))}) AND +deleted = 0 "
            "AND +is_draft = 0 ORDER BY created_at, rowid",
            [owner_table, *part],
        ):
            owner = row.pop("owner_id")
            found.setdefault(owner, []).append({**row, **file_state(store, row["sha256"])})
    return found


def publish_project(store: Store, **fields: Any) -> OpResult[ProjectRecord]:
    return OpResult(projects.publish_project(store, **fields), OpChanges.of("projects"))


def apply_for_project(
    store: Store, project_id: str, commissioner: Commissioner, plan: str, as_team: bool
) -> OpResult[ProjectApplication]:
    return OpResult(
        projects.apply(store, project_id, commissioner, plan, as_team=as_team),
        OpChanges.of("project_applications"),
    )


def award_project(store: Store, project_id: str, application_id: str) -> OpResult[ProjectRecord]:
    return OpResult(
        projects.award(store, project_id, application_id), OpChanges.of("projects", "project_applications")
    )


def add_milestone(
    store: Store, project_id: str, commissioner: Commissioner, title: str, due: date | None
) -> OpResult[ProjectMilestone]:
    return OpResult(
        projects.add_milestone(store, project_id, commissioner, title, due),
        OpChanges.of("project_milestones"),
    )


def complete_milestone(store: Store, milestone_id: str, evidence: str) -> OpResult[ProjectMilestone]:
    return OpResult(
        projects.complete_milestone(store, milestone_id, evidence), OpChanges.of("project_milestones")
    )


def accept_project(store: Store, project_id: str, result: str, opinion: str) -> OpResult[ProjectRecord]:
    return OpResult(projects.accept(store, project_id, result, opinion), OpChanges.of("projects"))


def add_evidence(store: Store, path: Path, owner_table: str, owner_id: str) -> OpResult[Attachment]:
    """A file as evidence of a project's acceptance, a milestone or an achievement."""
    return OpResult(
        add_attachment(store, path, owner_table, owner_id, kind="document"), OpChanges.of("attachments")
    )


def link_to_project(store: Store, table: str, record_id: str, project_id: str | None) -> OpResult[None]:
    projects.link(store, table, record_id, project_id)
    return OpResult(None, OpChanges.of(table))


@dataclass
class AchievementsPage:
    rows: list[dict[str, Any]]
    totals: dict[str, float]
    pending_for_me: list[str]  # ids the logged-in manager may review
    targets: list[tuple[str, str]]  # (id, name) of service targets, for the served party
    my_visits: list[tuple[str, str]]
    # How far this laptop had pulled when the page was read: an approval is of what it showed.
    read_up_to: int = 0
    # Each achievement's evidence files (合同佐证), by achievement id: what a reviewer opens.
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def achievements_page(
    store: Store, year: int, reviewer: Commissioner | None, me: Commissioner | None = None
) -> AchievementsPage:
    read_up_to = pulled_up_to(store)  # first: what is read after it is at least as new
    queue = [r["id"] for r in achievements.review_queue(store, reviewer)] if reviewer else []
    targets = [
        (r[0], r[1])
        for r in store.db.execute(
            "SELECT id, name FROM service_targets WHERE deleted = 0 AND is_draft = 0 "
            "ORDER BY zh_key(name) LIMIT 2000"
        ).fetchall()
    ]
    rows = achievements.achievement_rows(store, year=year)
    return AchievementsPage(
        rows,
        achievements.totals(store, year),
        queue,
        targets,
        my_visits(store, me),
        read_up_to,
        evidence_files(store, "achievements", [r["id"] for r in rows]),
    )


def save_achievement(store: Store, achievement: Achievement) -> OpResult[Achievement]:
    return OpResult(achievements.save_achievement(store, achievement), OpChanges.of("achievements"))


def edit_achievement(store: Store, achievement_id: str, **fields: Any) -> OpResult[Achievement]:
    """One's own achievement corrected (after it was returned, say): the fields given replace the
    stored ones, the rest stay; changed, it waits for review again."""
    current = store.require(Achievement, achievement_id)
    updated = dataclasses.replace(current, **fields)
    return OpResult(achievements.save_achievement(store, updated), OpChanges.of("achievements"))


def delete_achievement(store: Store, achievement_id: str) -> OpResult[None]:
    achievements.delete_achievement(store, achievement_id)
    return OpResult(None, OpChanges.of("achievements"))


def decide_achievements(
    store: Store,
    ids: list[str],
    decision: str,
    reviewer: Commissioner,
    opinion: str,
    read_up_to: int | None = None,
) -> OpResult[list[Review]]:
    """`read_up_to`: AchievementsPage.read_up_to of the page the reviewer decided on."""
    return OpResult(
        achievements.decide(store, ids, decision, reviewer, opinion, read_up_to=read_up_to),
        OpChanges.of("reviews", "achievements"),
    )


@dataclass
class CityProjectFigures:
    year: int
    by_status: dict[str, dict[str, float]]
    totals: dict[str, float]
    by_county: list[dict[str, Any]]


def city_project_figures(store: Store, year: int) -> CityProjectFigures:
    """The city view's 揭榜挂帅 and 成果转化 tab: projects by status, approved achievements and their
    技术交易额, per county of the served party."""
    return CityProjectFigures(
        year,
        projects.projects_by_status(store, year),
        achievements.totals(store, year),
        achievements.by_county(store, year),
    )
