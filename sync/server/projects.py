"""The central store's rules for 揭榜挂帅 projects and the achievements register (成果转化).

Called from the push batch (sync/server/push.py) for these tables; every step is an ordinary synced
record, so the revision history of each record (the `revisions` table) is the audit trail of the
project: who published, applied, awarded, set a milestone, accepted, and when.

Who may do what:
- projects: the bureau only (push.WRITABLE_BY); the awarded applicant and team are copied from the
  awarded application here, never taken from the client; public, so every side sees the project.
- project_applications: a commissioner or manager applies for themselves (or for their own team),
  once per project, only to a published project and not after its deadline by the server's date;
  they see their own (their managers their team's), the bureau all. The bureau changes nothing but
  an application's status (awarded / not chosen); the applicant cannot change it after that.
- project_milestones: only members of the awarded side (the awarded commissioner, or the awarded
  team's members) of an awarded, not yet accepted project; public like the project.
- achievements: the commissioner's own (OWNED_TABLES); linked visits and problems must be theirs.
- visits, problems, solutions may name a project only when it was awarded to their owner or team.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import select

from sync.server.tables import records

if TYPE_CHECKING:
    from sync.server.push import Batch, Scope, Stored

PROJECT_TABLES = ("projects", "project_applications", "project_milestones")
LINKING_TABLES = ("visits", "problems", "solutions", "achievements")
OPEN_WORK = ("awarded",)  # a project whose awarded side still works (sets milestones, links records)


def _rejected(zh: str, en: str) -> Exception:
    from sync.server.push import Rejected

    return Rejected(zh, en)


def _out_of_scope() -> Exception:
    from sync.server.push import out_of_scope

    return out_of_scope()


def _server_date(batch: Batch) -> date:
    return date.fromisoformat(batch.now[:10])


def _project(batch: Batch, project_id: Any) -> Stored:
    project = batch.load("projects", str(project_id)) if isinstance(project_id, str) and project_id else None
    if project is None or project.deleted:
        raise _rejected("揭榜项目不存在或已撤销", "the open-call project does not exist or was withdrawn")
    return project


def _awarded_to_user(batch: Batch, project: Stored) -> bool:
    user = batch.user
    f = project.fields
    if f.get("status") not in OPEN_WORK:
        return False
    if user.commissioner_id and f.get("awarded_commissioner_id") == user.commissioner_id:
        return True
    return bool(user.team_id and f.get("awarded_team_id") == user.team_id)


def precheck(
    batch: Batch,
    table: str,
    record_id: str,
    incoming: dict[str, Any],
    current: Stored | None,
    deleted: bool,
) -> bool:
    """Scope and state checks of one change to a project table; True when it set a field itself."""
    if table == "projects":
        return _precheck_project(batch, record_id, incoming, current)
    if table == "project_applications":
        return _precheck_application(batch, record_id, incoming, current, deleted)
    return _precheck_milestone(batch, incoming, current)


def _precheck_project(batch: Batch, record_id: str, incoming: dict[str, Any], current: Stored | None) -> bool:
    before = current.fields if current else {}
    awarded = incoming.get("awarded_application_id", before.get("awarded_application_id")) or None
    who: dict[str, Any] = {"awarded_commissioner_id": None, "awarded_team_id": None}
    if awarded:
        application = batch.load("project_applications", str(awarded))
        if application is None or application.deleted or application.fields.get("project_id") != record_id:
            raise _rejected(
                "中榜申请不存在或不属于该项目",
                "the awarded application does not exist or is for another project",
            )
        who = {
            "awarded_commissioner_id": application.fields.get("commissioner_id") or application.owner_id,
            "awarded_team_id": application.fields.get("team_id") or None,
        }
    touched = any(name in incoming and incoming[name] != v for name, v in who.items())
    incoming.update(who)
    return touched


def _precheck_application(
    batch: Batch, record_id: str, incoming: dict[str, Any], current: Stored | None, deleted: bool
) -> bool:
    user = batch.user
    before = current.fields if current else {}
    if user.role == "bureau":
        if current is None or deleted:
            raise _rejected(
                "市科技局只能评定申请（中榜或未入选），不能代为申请或删除",
                "the bureau only decides on applications (awarded or not chosen), never makes or deletes one",
            )
        changed = {f for f, v in incoming.items() if v != before.get(f)}
        if changed - {"status"}:
            raise _rejected(
                "市科技局只能更改申请的评定结果", "the bureau may change only an application's status"
            )
        return False
    mine = user.commissioner_id
    if not mine:
        raise _rejected("您的账号未关联科技特派员档案", "your account has no commissioner profile")
    if current is not None and current.owner_id != mine:
        raise _out_of_scope()
    touched = False
    if incoming.get("commissioner_id") not in (None, "", mine):
        raise _out_of_scope()
    touched |= incoming.get("commissioner_id") != mine
    incoming["commissioner_id"] = mine
    project_id = incoming.get("project_id", before.get("project_id"))
    if current is not None and project_id != before.get("project_id"):
        raise _rejected("申请不能改投其他项目", "an application cannot be moved to another project")
    project = _project(batch, project_id)
    if current is not None and before.get("status") != "submitted":
        raise _rejected(
            "项目已评定，申请不能再修改", "the project has been decided; the application is final"
        )
    if project.fields.get("status") != "published":
        raise _rejected("该项目已不接受申请", "the project no longer takes applications")
    deadline = str(project.fields.get("deadline") or "")
    if deadline and _server_date(batch).isoformat() > deadline:
        raise _rejected(
            f"已过申请截止日期（{deadline}）", f"the deadline for applications ({deadline}) has passed"
        )
    team = incoming.get("team_id", before.get("team_id")) or None
    if team and team != user.team_id:
        raise _rejected("只能以本人所在的科技特派团申请", "you may apply only for your own team")
    incoming["team_id"] = team
    # The status is the bureau's; the date is the server's.
    status = before.get("status", "submitted")
    submitted = before.get("submitted_on") or _server_date(batch).isoformat()
    touched |= (
        incoming.get("status", status) != status or incoming.get("submitted_on", submitted) != submitted
    )
    incoming["status"], incoming["submitted_on"] = status, submitted
    if not deleted:
        _one_application(batch, record_id, str(project_id), mine, team)
    return touched


def _one_application(batch: Batch, record_id: str, project_id: str, mine: str, team: str | None) -> None:
    """One application per applicant (and per team) and project, over the store and this batch."""
    clauses = [records.c.owner_id == mine]
    if team:
        clauses.append(records.c.team_id == team)
    for clause in clauses:
        rows = batch.search(
            select(records.c.id, records.c.fields).where(
                records.c.table_name == "project_applications",
                records.c.deleted.is_(False),
                records.c.id != record_id,
                clause,
            )
        )
        others = [(row.id, orjson.loads(row.fields)) for row in rows]
        others += [
            (key[1], orjson.loads(row["fields"]))
            for key, row in batch._pending.items()
            if key[0] == "project_applications" and key[1] != record_id and not row["deleted"]
        ]
        for _, fields in others:
            if fields.get("project_id") != project_id:
                continue
            if fields.get("commissioner_id") == mine or (team and fields.get("team_id") == team):
                raise _rejected(
                    "您（或您的团队）已申请过该项目",
                    "you (or your team) have already applied for this project",
                )


def _precheck_milestone(batch: Batch, incoming: dict[str, Any], current: Stored | None) -> bool:
    user = batch.user
    before = current.fields if current else {}
    project_id = incoming.get("project_id", before.get("project_id"))
    if current is not None and project_id != before.get("project_id"):
        raise _rejected("节点不能移到其他项目", "a milestone cannot be moved to another project")
    project = _project(batch, project_id)
    if not _awarded_to_user(batch, project):
        raise _rejected(
            "只有中榜方（中榜的科技特派员或其团队成员）可以在攻关期间设置节点",
            "only the awarded side (the awarded commissioner or their team's members) sets milestones, "
            "while the project is in progress",
        )
    author = before.get("commissioner_id") or user.commissioner_id or ""
    touched = incoming.get("commissioner_id", author) != author
    incoming["commissioner_id"] = author
    return touched


def check_links(batch: Batch, table: str, incoming: dict[str, Any], current: Stored | None) -> None:
    """A commissioner's visit, problem, solution or achievement may name only a project awarded to
    them or their team, and an achievement only their own visits and problems."""
    before = current.fields if current else {}
    project_id = incoming.get("project_id")
    if project_id and project_id != before.get("project_id"):
        project = batch.load("projects", str(project_id))
        if project is not None and not project.deleted and not _awarded_to_user(batch, project):
            raise _rejected(
                "只能关联本人（或本团队）中榜且在攻关中的揭榜项目",
                "you may link only a project awarded to you or your team and still in progress",
            )
    if table != "achievements":
        return
    for name, target in (("visit_ids", "visits"), ("problem_ids", "problems")):
        value = incoming.get(name)
        ids = orjson.loads(value) if isinstance(value, str) else value
        if ids is None:
            continue
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 200:
            raise _rejected(f"字段 {name} 应为记录编号列表", f"field {name} must be a list of record ids")
        earlier = before.get(name) or []
        if isinstance(earlier, str):  # stored as JSON text: its ids, not its characters
            try:
                earlier = orjson.loads(earlier)
            except orjson.JSONDecodeError:
                earlier = []
        kept = {i for i in earlier if isinstance(i, str)} if isinstance(earlier, list) else set()
        for record_id in ids:
            if record_id in kept:
                continue
            ref = batch.load(target, record_id)
            if ref is not None and ref.owner_id != batch.user.commissioner_id:
                raise _rejected(
                    f"字段 {name} 指向的记录不存在或不在您的权限范围内",
                    f"field {name} names a record that does not exist or is outside your scope",
                )


def scope(batch: Batch, table: str, merged: dict[str, Any], current: Stored | None) -> Scope | None:
    """The scope columns of a project table's record; None: the ordinary rule of push.py."""
    if table not in ("projects", "project_milestones", "attachments"):
        return None  # every push asks for every record: the import below is not free
    from sync.server.push import Scope

    if table == "projects":
        return Scope(public=True)
    if table == "project_milestones":
        project = batch.load("projects", str(merged.get("project_id") or ""))
        team = project.fields.get("awarded_team_id") if project is not None else None
        owner = current.owner_id if current is not None else batch.user.commissioner_id
        return Scope(owner, team or batch.user.team_id, batch.user.workstation_id, public=True)
    if table == "attachments" and batch.user.role == "bureau":
        return Scope(public=True)
    return None


def precheck_bureau_attachment(batch: Batch, incoming: dict[str, Any], current: Stored | None) -> bool:
    """The bureau attaches files only to a project (its acceptance evidence)."""
    before = current.fields if current else {}
    owner_table = incoming.get("owner_table", before.get("owner_table"))
    if owner_table != "projects":
        raise _rejected(
            "市科技局只能为揭榜项目上传验收佐证", "the bureau attaches files only to open-call projects"
        )
    _project(batch, incoming.get("owner_id", before.get("owner_id")))
    return False
