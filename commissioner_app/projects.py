"""揭榜挂帅 projects: the bureau publishes a demand as a project with a deadline, a budget (万元) and
requirements; commissioners or teams apply offline with a short plan; the bureau compares the
applications and awards one (the others are marked not chosen); the awarded side sets milestones
and links its visits, problems and solutions; the bureau records the acceptance (验收).

Every step is a synced record; the central store checks each one again (sync/server/projects.py) and
keeps every revision, which is the project's audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from commissioner_app.domain import (
    Commissioner,
    Demand,
    ProjectApplication,
    ProjectMilestone,
    ProjectRecord,
    Solution,
    TechnicalProblem,
    Visit,
)
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store

LINKABLE: dict[str, type[Visit] | type[TechnicalProblem] | type[Solution]] = {
    "visits": Visit,
    "problems": TechnicalProblem,
    "solutions": Solution,
}


def _fail(zh: str, en: str) -> CommissionerError:
    return CommissionerError(Message(zh, en))


def _project(store: Store, project_id: str) -> ProjectRecord:
    project = store.get(ProjectRecord, project_id)
    if project is None:
        raise _fail("揭榜项目不存在。", "The open-call project does not exist.")
    return project


def publish_project(
    store: Store,
    *,
    title: str,
    requirements: str,
    deadline: date | None,
    budget: float,
    description: str = "",
    industry: str = "",
    county: str = "",
    demand_id: str | None = None,
    published_by: str = "",
) -> ProjectRecord:
    """The bureau publishes a 揭榜 project, from one of its demands when `demand_id` is given."""
    demand = store.get(Demand, demand_id) if demand_id else None
    if demand_id:
        if demand is None:
            raise _fail("技术需求不存在。", "The demand does not exist.")
        title = title or demand.title
        description = description or demand.description
        industry = industry or demand.industry
        county = county or demand.county
        if demand.status != "published" or demand.taken_by:
            raise _fail("该需求已被揭榜或已关闭。", "This demand has already been taken up or closed.")
        # Applied for and awarded from now on, no longer taken by whoever comes first.
        demand.status = "project"
    project = ProjectRecord(
        demand_id=demand_id,
        title=title.strip(),
        description=description.strip(),
        requirements=requirements.strip(),
        industry=industry,
        county=county,
        budget=budget,
        deadline=deadline,
        status="published",
        published_by=published_by,
    )
    with store.atomic():
        store.save(project)
        if demand is not None:
            store.save(demand)
    return project


def apply(
    store: Store,
    project_id: str,
    commissioner: Commissioner,
    plan: str,
    *,
    as_team: bool = False,
    today: date | None = None,
) -> ProjectApplication:
    """揭榜: apply with a short plan, for oneself or for one's team; once per project, by the deadline."""
    today = today or date.today()
    with store.atomic():
        project = _project(store, project_id)
        if project.status != "published":
            raise _fail("该项目已不接受申请。", "The project no longer takes applications.")
        if project.deadline is not None and today > project.deadline:
            raise _fail(
                f"已过申请截止日期（{project.deadline.isoformat()}）。",
                f"The deadline for applications ({project.deadline.isoformat()}) has passed.",
            )
        if as_team and not commissioner.team_id:
            raise _fail("您不属于任何科技特派团。", "You are not in a commissioner team.")
        mine = store.all(
            ProjectApplication,
            "project_id = ? AND (commissioner_id = ? OR (team_id IS NOT NULL AND team_id = ?))",
            [project_id, commissioner.id, commissioner.team_id if as_team else None],
        )
        if mine:
            raise _fail("您（或您的团队）已申请过该项目。", "You (or your team) have already applied.")
        application = ProjectApplication(
            project_id=project_id,
            commissioner_id=commissioner.id,
            team_id=commissioner.team_id if as_team else None,
            plan=plan.strip(),
            submitted_on=today,
        )
        store.save(application)
    return application


def award(store: Store, project_id: str, application_id: str) -> ProjectRecord:
    """The bureau awards the project to one application; every other application is not chosen."""
    with store.atomic():
        project = _project(store, project_id)
        if project.status != "published":
            raise _fail("该项目已评定。", "The project has already been decided.")
        applications = store.all(ProjectApplication, "project_id = ?", [project_id])
        chosen = next((a for a in applications if a.id == application_id), None)
        if chosen is None:
            raise _fail("所选申请不属于该项目。", "The chosen application is not one of this project's.")
        for application in applications:
            application.status = "awarded" if application is chosen else "not_chosen"
            store.save(application)
        project.status = "awarded"
        project.awarded_application_id = chosen.id
        project.awarded_commissioner_id = chosen.commissioner_id
        project.awarded_team_id = chosen.team_id
        store.save(project)
    return project


def awarded_to(project: ProjectRecord, commissioner: Commissioner | None) -> bool:
    """Whether `commissioner` is on the awarded side of a project in progress."""
    if commissioner is None or project.status != "awarded":
        return False
    if project.awarded_commissioner_id == commissioner.id:
        return True
    return bool(project.awarded_team_id and project.awarded_team_id == commissioner.team_id)


def add_milestone(
    store: Store, project_id: str, commissioner: Commissioner, title: str, due_date: date | None
) -> ProjectMilestone:
    project = _project(store, project_id)
    if not awarded_to(project, commissioner):
        raise _fail(
            "只有中榜方可以在攻关期间设置节点。",
            "Only the awarded side sets milestones, while the project is in progress.",
        )
    milestone = ProjectMilestone(
        project_id=project_id, commissioner_id=commissioner.id, title=title.strip(), due_date=due_date
    )
    return store.save(milestone)


def complete_milestone(
    store: Store, milestone_id: str, evidence: str, *, done: bool = True, on: date | None = None
) -> ProjectMilestone:
    milestone = store.get(ProjectMilestone, milestone_id)
    if milestone is None:
        raise _fail("节点不存在。", "The milestone does not exist.")
    milestone.done = done
    milestone.evidence = evidence.strip()
    milestone.done_on = (on or date.today()) if done else None
    return store.save(milestone)


def accept(
    store: Store, project_id: str, result: str, opinion: str, *, on: date | None = None
) -> ProjectRecord:
    """验收: the bureau's acceptance, passed or failed, with its opinion (evidence: attachments of the
    project, added with commissioner_app.attachments.add_attachment(store, file, 'projects', id))."""
    project = _project(store, project_id)
    if project.status not in ("awarded", "accepted", "failed"):
        raise _fail("项目须先评定中榜方才能验收。", "A project is accepted only after it was awarded.")
    if result not in ("passed", "failed"):
        raise _fail("验收结论应为通过或不通过。", "The acceptance result is passed or failed.")
    project.acceptance = result
    project.acceptance_opinion = opinion.strip()
    project.accepted_on = on or date.today()
    project.status = "accepted" if result == "passed" else "failed"
    return store.save(project)


def link(store: Store, table: str, record_id: str, project_id: str | None) -> None:
    """A visit, problem or solution serves a project (None: no longer)."""
    cls = LINKABLE.get(table)
    if cls is None:
        raise _fail("只能关联服务记录、技术难题或解决方案。", "Only visits, problems and solutions link.")
    record = store.get(cls, record_id)
    if record is None:
        raise _fail("记录不存在。", "The record does not exist.")
    record.project_id = project_id
    store.save(record)


# --- what the views and documents show --------------------------------------------------------


def project_rows(store: Store, commissioner: Commissioner | None = None) -> list[dict[str, Any]]:
    """Every project with its applications, the awarded applicant, milestones and links; for a
    commissioner also whether they applied and their application's status."""
    mine = commissioner.id if commissioner else ""
    return list(
        store.db.query(
            """SELECT p.id, p.title, p.industry, p.county, p.budget, p.deadline, p.status,
               p.requirements, p.description, p.acceptance, p.acceptance_opinion, p.accepted_on,
               p.awarded_commissioner_id, p.awarded_team_id,
               c.name AS awarded_name, t.name AS awarded_team,
               (SELECT count(*) FROM project_applications a WHERE a.project_id = p.id
                   AND a.deleted = 0) AS applications,
               (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id
                   AND m.deleted = 0) AS milestones,
               (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id
                   AND m.deleted = 0 AND m.done = 1) AS milestones_done,
               (SELECT count(*) FROM visits v WHERE v.project_id = p.id AND v.deleted = 0) AS visits,
               (SELECT count(*) FROM problems q WHERE q.project_id = p.id AND q.deleted = 0) AS problems,
               (SELECT a.status FROM project_applications a WHERE a.project_id = p.id
                   AND a.commissioner_id = ? AND a.deleted = 0) AS my_application
           FROM projects p LEFT JOIN commissioners c ON c.id = p.awarded_commissioner_id
           LEFT JOIN teams t ON t.id = p.awarded_team_id
           WHERE p.deleted = 0 ORDER BY p.deadline DESC, p.created_at DESC""",
            [mine],
        )
    )


def application_rows(store: Store, project_id: str) -> list[dict[str, Any]]:
    """The applications of a project side by side, for the bureau's comparison (the applicant's own
    computer holds only their own)."""
    return list(
        store.db.query(
            """SELECT a.id, a.commissioner_id, a.team_id, a.plan, a.status, a.submitted_on,
               c.name AS applicant, c.sending_unit, c.specialty, t.name AS team_name,
               (SELECT count(*) FROM visits v WHERE v.commissioner_id = a.commissioner_id
                   AND v.deleted = 0 AND v.review_status = 'approved') AS approved_visits
           FROM project_applications a LEFT JOIN commissioners c ON c.id = a.commissioner_id
           LEFT JOIN teams t ON t.id = a.team_id
           WHERE a.project_id = ? AND a.deleted = 0 ORDER BY a.submitted_on, a.created_at""",
            [project_id],
        )
    )


def milestone_rows(store: Store, project_id: str) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            """SELECT m.id, m.title, m.due_date, m.done, m.done_on, m.evidence, c.name AS author
           FROM project_milestones m LEFT JOIN commissioners c ON c.id = m.commissioner_id
           WHERE m.project_id = ? AND m.deleted = 0 ORDER BY m.due_date, m.created_at""",
            [project_id],
        )
    )


def projects_by_status(store: Store, year: int | None = None) -> dict[str, dict[str, float]]:
    """status -> {count, budget}: the city view's 揭榜挂帅 line (projects whose deadline is in `year`)."""
    where, params = "deleted = 0", []
    if year is not None:
        where += " AND substr(deadline, 1, 4) = ?"
        params.append(str(year))
    rows = store.db.execute(
        f"SELECT status, count(*), coalesce(sum(budget), 0) FROM projects WHERE {where} GROUP BY status",
        params,
    ).fetchall()
    return {status: {"count": count, "budget": float(budget)} for status, count, budget in rows}
