"""Who may write the records of the team and workstation assessment, and who sees them.

- bonus_points (加分项): the bureau enters, approves and rejects them; a manager (a county's
  workstation manager or a team leader) may propose one for their own team or workstation, which
  stays pending until the bureau decides (an edit by a manager sends it back to pending). The server
  dates each decision and names who made it. Scope: the team or workstation it is for, so its
  manager sees it.
- exemplars (先进典型): the bureau only, from the published results (a commissioner needs a
  published assessment result of that year). Public: a commendation is meant to be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.server.push import Batch, Scope, Stored

TABLES = ("bonus_points", "exemplars")
DECIDED = ("approved", "rejected")


def precheck(
    batch: Batch, table: str, incoming: dict[str, Any], current: Stored | None, change: dict[str, Any]
) -> bool:
    """Checks before the merge; sets the fields the server decides. True when it changed one."""
    from sync.server.push import Rejected, out_of_scope

    user = batch.user
    fields = {**(current.fields if current else {}), **incoming}
    kind, subject = str(fields.get("subject_kind") or ""), str(fields.get("subject_id") or "")
    if current is not None:
        for name in ("subject_kind", "subject_id", "year"):
            if name in incoming and incoming[name] != current.fields.get(name):
                raise Rejected("不能更改记录针对的对象或年度", "the subject and year cannot be changed")
    if table == "exemplars":
        if change["deleted"]:
            return False
        _check_subject(batch, kind, subject, fields.get("year"))
        server_view = {"nominated_by": user.display_name or user.username}
        if current is None or any(incoming.get(n) != current.fields.get(n) for n in ("title", "citation")):
            server_view["nominated_at"] = batch.now
        touched = any(incoming.get(name) != v for name, v in server_view.items())
        incoming.update(server_view)
        return touched
    # bonus_points
    if user.role == "manager":
        own = (kind == "team" and subject and subject == user.team_id) or (
            kind == "workstation" and subject and subject == user.workstation_id
        )
        if not own:
            raise out_of_scope()
        if change["deleted"]:
            if current is not None and current.fields.get("status") == "approved":
                raise Rejected(
                    "已通过审核的加分项只能由市科技局撤销",
                    "an approved bonus can only be withdrawn by the bureau",
                )
            return False
        server_view = {
            "status": "pending",
            "review_opinion": "",
            "reviewed_by": "",
            "reviewed_at": "",
            "entered_by": (current.fields.get("entered_by") if current else "")
            or user.display_name
            or user.username,
        }
        touched = any(incoming.get(name) != v for name, v in server_view.items())
        incoming.update(server_view)
        if current is not None and current.fields.get("status") != "pending":
            touched = True
        _check_subject(batch, kind, subject, None)
        return touched
    if user.role != "bureau":
        raise out_of_scope()
    if change["deleted"]:
        return False
    _check_subject(batch, kind, subject, None)
    server_view = {}
    if current is None or not current.fields.get("entered_by"):
        server_view["entered_by"] = incoming.get("entered_by") or user.display_name or user.username
    status = fields.get("status")
    decided = status in DECIDED and (
        current is None
        or any(n in incoming and incoming[n] != current.fields.get(n) for n in ("status", "review_opinion"))
    )
    if decided:
        server_view["reviewed_by"] = user.display_name or user.username
        server_view["reviewed_at"] = batch.now
    elif status not in DECIDED:
        server_view.update(reviewed_by="", reviewed_at="")
    touched = any(incoming.get(name) != v for name, v in server_view.items())
    incoming.update(server_view)
    return touched


def _check_subject(batch: Batch, kind: str, subject: str, year: Any) -> None:
    from sync.server.push import Rejected

    table = {"commissioner": "commissioners", "team": "teams", "workstation": "workstations"}.get(kind)
    if table is None:
        return  # the record's own validation names the bad kind
    found = batch.load(table, subject) if subject else None
    if found is None or found.deleted:
        raise Rejected(f"对象不存在：{subject[:64]}", f"no such {kind}: {subject[:64]}")
    if kind == "commissioner" and year is not None:
        result = batch.load("assessment_results", f"{year}:{subject}")
        if result is None or result.deleted:
            raise Rejected(
                f"{year}年度考核结果尚未发布，不能评选该特派员为先进典型",
                f"the {year} results of this commissioner are not published; publish them first",
            )


def scope(table: str, merged: dict[str, Any]) -> Scope:
    from sync.server.push import Scope

    kind, subject = merged.get("subject_kind"), merged.get("subject_id") or None
    public = table == "exemplars"
    if kind == "team":
        return Scope(team_id=subject, public=public)
    if kind == "workstation":
        return Scope(workstation_id=subject, public=public)
    return Scope(owner_id=subject, public=public)
