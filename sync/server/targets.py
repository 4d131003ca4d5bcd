"""Shared service targets on the server: who may change a colleague's target, duplicate credit codes,
and merges (commissioner_app/targets.py is the client's side).

- A target is seen by the team or workstation of its creator (scope.py, SHARED_TABLES). A colleague
  may correct its contact details (CONTACT_FIELDS) and nothing else; the creator stays its owner.
- A new target whose credit code a live target visible to the pusher already has is stored as merged
  into that one (`merged_into`, deleted): both laptops end with one target.
- A manager of the target's team or workstation, or the bureau, merges a target into another by
  pushing it with `merged_into` set and deleted. When the bureau merges targets of two teams, the
  one that stays becomes public (every team sees it), so neither team loses its records' target.
- When a target becomes merged, every visit, problem and agreement pointing to it is re-pointed to
  the target that stays, each as a new revision (the history); a record pushed later that still
  names the merged target is re-pointed as it arrives, and the pusher is told so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, func, literal_column, select

from sync.server.scope import can_see, in_group, manages, visible_clause
from sync.server.tables import records

if TYPE_CHECKING:
    from sync.server.auth import User
    from sync.server.push import Batch, Stored

POINTING_TABLES = ("visits", "problems", "service_agreements", "achievements")
CONTACT_FIELDS = frozenset({"contact_name", "contact_phone", "address"})
_CODE = re.compile(r"^[0-9A-Z]{18}\Z")


def _rejected(zh: str, en: str) -> Exception:
    from sync.server.push import Rejected

    return Rejected(zh, en)


def _superseded(zh: str, en: str, current: Stored) -> Exception:
    """A refusal carrying the target as it stands: nothing on the laptop can make the change
    acceptable, so its copy becomes the server's (and the sync says why once)."""
    from sync.server.push import Superseded

    return Superseded(zh, en, current)


def _differs(a: Any, b: Any) -> bool:
    """Whether two values of a field differ, a field missing (a record stored by an application from
    before it existed) being the same as an empty one."""
    return a != b and not (a in (None, "") and b in (None, ""))


def survivor_of(batch: Batch, target_id: str) -> str:
    """The live target a (possibly merged) target's records belong to, following a chain of merges."""
    seen: set[str] = set()
    while target_id not in seen:
        seen.add(target_id)
        found = batch.load("service_targets", target_id)
        nxt = found.fields.get("merged_into") if found is not None else None
        if not nxt:
            break
        target_id = str(nxt)
    return target_id


def before_write(
    batch: Batch, table: str, incoming: dict[str, Any], current: Stored | None, change: dict[str, Any]
) -> bool:
    """Re-point a record that names a merged target; recognise a new target's duplicate credit code.
    True when a field was set otherwise than sent (the answer carries the fields back)."""
    if table in POINTING_TABLES:
        target_id = incoming.get("target_id")
        if isinstance(target_id, str) and target_id:
            final = survivor_of(batch, target_id)
            if final != target_id:
                incoming["target_id"] = final
                return True
        return False
    if table != "service_targets" or current is not None or change["deleted"] or incoming.get("merged_into"):
        return False
    code = _normal_code(incoming.get("credit_code"))
    if not code:
        return False
    first = batch.target_with_code(code)
    if first is None:
        return False
    incoming["merged_into"] = first
    change["deleted"] = True  # kept as the merged duplicate: its records move to the first one
    return True


# What is taken off around a credit code before it is compared, here and in SQL alike (Python's
# own strip() takes more kinds of space than SQL's trim(), and codes that differ only so were
# compared as different): spaces, tabs, line ends, the no-break and the full-width space.
_SPACES = " \t\n\r\x0b\x0c\u00a0\u3000"


def _normal_code(value: Any) -> str:
    """A credit code as compared (upper case, no spaces around), or "" when it is not one."""
    code = str(value or "").strip(_SPACES).upper()
    return code if _CODE.match(code) else ""


def new_target_code(change: dict[str, Any]) -> str:
    """The credit code a pushed target may be looked up by (see before_write), or ""."""
    fields = change.get("fields")
    if not isinstance(fields, dict) or change.get("deleted") or fields.get("merged_into"):
        return ""
    return _normal_code(fields.get("credit_code"))


def _stored_code(dialect: str) -> ColumnElement[str]:
    """A stored target's credit code as compared (see _normal_code)."""
    if dialect == "postgresql":
        json_text: ColumnElement[Any] = literal_column("CAST(records.fields AS json) ->> 'credit_code'")
        return func.upper(func.btrim(json_text, _SPACES))
    return func.upper(func.trim(func.json_extract(records.c.fields, "$.credit_code"), _SPACES))


def code_search(conn: Connection, user: User, codes: list[str]) -> Any:
    """The live targets visible to `user` with one of `codes`, first stored first."""
    stored = _stored_code(conn.dialect.name)
    return (
        select(records.c.id, stored.label("code"))
        .where(
            records.c.table_name == "service_targets",
            records.c.deleted.is_(False),
            stored.in_(codes),
            visible_clause(user),
        )
        .order_by(records.c.server_seq)
    )


def _covers(survivor: Any, loser: Any) -> bool:
    """Whether everyone who saw the merged target sees the one that stays: it is public, or of each
    team and workstation the merged one was of."""
    return bool(survivor.public) or (
        not loser.public
        and (not loser.team_id or survivor.team_id == loser.team_id)
        and (not loser.workstation_id or survivor.workstation_id == loser.workstation_id)
    )


def may_edit(
    batch: Batch, table: str, incoming: dict[str, Any], current: Stored, change: dict[str, Any]
) -> bool:
    """Whether a user who does not own `current` may make this change: a colleague of its creator's
    team or workstation correcting a live target's contact details, or a manager of theirs merging it
    (the bureau is not asked). Deleting or restoring it is its owner's."""
    user = batch.user
    if table != "service_targets" or not can_see(user, table, current):
        return False
    if not in_group(user, current):
        raise _superseded(
            "只有创建者所在团队（工作站）的成员可以更正此服务对象",
            "only the members of the creator's team or workstation may correct this service target",
            current,
        )
    base, _ = batch.base_of(table, current_id(change), change["base_rev"])
    if change["base_rev"] == current.rev:
        base = current.fields
    changed = {f for f, v in incoming.items() if _differs(v, base.get(f))}
    merging = bool(incoming.get("merged_into")) and incoming.get("merged_into") != current.fields.get(
        "merged_into"
    )
    if merging:
        if user.role != "manager" or not manages(user, current):
            raise _superseded(
                "只有本团队（工作站）的站长/团长或市科技局可以合并服务对象",
                "only a manager of the target's team or workstation, or the bureau, may merge targets",
                current,
            )
        return True
    if change["deleted"] or current.deleted:
        raise _superseded(
            "同事创建的服务对象只能由创建者删除或恢复",
            "only its creator deletes or restores a colleague's service target",
            current,
        )
    others = sorted(changed - CONTACT_FIELDS)
    if others:
        # Nothing on the laptop can make this change acceptable: its copy becomes the target as it
        # stands (Superseded), and the sync says why once.
        from commissioner_app.domain import LABELS
        from sync.server.push import Superseded

        def named(field: str, lang: str) -> str:
            label = LABELS.get(field)
            if label is None:
                return field
            return f"{label.zh}（{field}）" if lang == "zh" else f"{label.en} ({field})"

        raise Superseded(
            "同事创建的服务对象只能修改联系人、联系电话和地址，不能修改"
            + "、".join(named(f, "zh") for f in others),
            "on a colleague's service target you may correct the contact person, phone and address only, "
            "not " + ", ".join(named(f, "en") for f in others),
            current,
        )
    return True


def check_merge(
    batch: Batch, record_id: str, merged: dict[str, Any], current: Stored | None, deleted: bool
) -> None:
    """A merge must name a live target the user can see, other than the merged one itself; a merged
    target is deleted, and is restored or sent elsewhere by the bureau only. A merge changes nothing
    but where the target went."""
    user = batch.user
    into = merged.get("merged_into")
    was = current.fields.get("merged_into") if current is not None else None

    def refused(zh: str, en: str) -> Exception:
        # Of a target stored here, with the target as it stands: the laptop's merge cannot be
        # corrected there, so its copy goes back to the server's (and the sync says why once).
        return _superseded(zh, en, current) if current is not None else _rejected(zh, en)

    if into and not deleted:
        raise refused("合并的服务对象须同时删除", "a merged target is deleted: merged_into goes with deleted")
    if was and user.role != "bureau" and (into != was or not deleted):
        raise refused(
            "已合并的服务对象不能恢复或改为合并到别处；如合并有误，请联系市科技局",
            "a merged target cannot be restored or merged elsewhere; if the merge was wrong, ask the bureau",
        )
    if not into or was == into:
        return
    if current is not None and not (
        user.role == "bureau" or (user.role == "manager" and manages(user, current))
    ):
        # Even its owner: a merge re-points the colleagues' records that name the target. (A new
        # target pushed merged has no records of anyone else's yet.)
        raise refused(
            "只有本团队（工作站）的站长/团长或市科技局可以合并服务对象",
            "only a manager of the target's team or workstation, or the bureau, may merge targets",
        )
    if current is not None and user.role != "bureau":
        kept = {**current.fields, "merged_into": into}
        others = sorted(f for f in set(kept) | set(merged) if _differs(kept.get(f), merged.get(f)))
        if others:
            raise refused(
                "合并服务对象时不能同时修改它的其他内容：" + "、".join(others),
                "a merge changes only where the target went, not its other fields: " + ", ".join(others),
            )
    survivor = batch.load("service_targets", str(into))
    if current is not None and user.role != "bureau" and survivor is not None:
        # A manager merges into a target everyone who saw the merged one sees: else its records
        # would name one some of them cannot see (or it would have to become public, to the whole
        # city). A public target is the bureau's to merge.
        if current.public or not _covers(survivor, current):
            raise refused(
                "站长/团长只能把服务对象合并到原服务对象所在团队和工作站的成员都能看到的服务对象；"
                "其他的请由市科技局合并",
                "a manager merges a target only into one that every member of its team and "
                "workstation sees; the bureau merges the others",
            )
    if (
        into == record_id
        or survivor is None
        or survivor.deleted
        or survivor.fields.get("merged_into")
        or not can_see(batch.user, "service_targets", survivor)
    ):
        raise refused(
            "合并的目标服务对象不存在、已被合并或不在您的权限范围内",
            "the target to merge into does not exist, was merged itself, or is outside your scope",
        )


def after_write(batch: Batch, record_id: str, merged: dict[str, Any], current: Stored | None) -> None:
    """A target that just became merged: re-point every record that names it (a new revision each).
    A new live target with a credit code: the first of its code in this batch."""
    from sync.server.push import Scope

    into = merged.get("merged_into")
    written = batch.load("service_targets", record_id)
    if current is None and not into and written is not None and not written.deleted:
        code = _normal_code(merged.get("credit_code"))
        if code:
            batch.claim_code(code, record_id)
    if not into or (current is not None and current.fields.get("merged_into") == into):
        return
    survivor = survivor_of(batch, str(into))
    kept = batch.load("service_targets", survivor)
    loser = batch.load("service_targets", record_id)
    if kept is not None and loser is not None and not _covers(kept, loser):
        # The bureau merged targets of two teams (or a public one): all who saw the merged one keep
        # seeing the one that stays.
        batch.write(
            "service_targets",
            survivor,
            kept,
            kept.fields,
            kept.deleted,
            Scope(kept.owner_id, kept.team_id, kept.workstation_id, public=True, county=kept.county),
        )
    for table in POINTING_TABLES:
        ids = [
            r.id
            for r in batch.search(
                select(records.c.id).where(
                    records.c.table_name == table,
                    records.c.fields.like(f'%"target_id":"{record_id}"%'),
                )
            )
        ]
        ids += [key[1] for key in batch._pending if key[0] == table and key[1] not in ids]
        for pointing_id in ids:
            found = batch.load(table, pointing_id)
            if found is None or found.fields.get("target_id") != record_id:
                continue
            batch.write(
                table,
                pointing_id,
                found,
                {**found.fields, "target_id": survivor},
                found.deleted,
                found.scope(),
            )


def current_id(change: dict[str, Any]) -> str:
    return str(change["id"])
