"""Conflicts a person resolves: both versions of each colliding field, and the choice.

A conflict arises when this computer and the server changed the same field of a record since the
revision the local edit started from. Nothing is overwritten on either side: the record keeps the
local value and is held back from push (`has_conflict = 1`) until every colliding field is
resolved. Resolving a field keeps the local or the server's value; once the last field of a
record is resolved, the record is an ordinary unsent edit based on the server's revision, and the
next sync sends it.

The other side sees it too (sync/server/notices.py): the server records each conflict as a notice
that pull brings to the record's owner and to whoever wrote the version the server kept. There it
is a 'remote' conflict: "someone else's version conflicts with yours"; this computer's value is the
one on the server, so nothing is held back, and the `server` value of such a conflict is the other
side's. Either side resolves; the resolving push names the notice (`resolves`), the server closes
it, and the next pull closes it on the other side, taking the value kept there.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

from commissioner_app import schema
from commissioner_app.domain import LABELS, TABLES, Solution, now_iso
from commissioner_app.errors import CommissionerError, NotFoundError
from commissioner_app.i18n import Message
from commissioner_app.records import column_value, domain_columns
from commissioner_app.store import Store

log = logging.getLogger("commissioner.sync.conflicts")

Keep = Literal["local", "server"]

TABLE_LABELS: dict[str, Message] = {
    "commissioners": Message("科技特派员", "Commissioner"),
    "teams": Message("科技特派团", "Team"),
    "workstations": Message("工作站", "Workstation"),
    "service_targets": Message("服务对象", "Service target"),
    "service_agreements": Message("服务协议", "Service agreement"),
    "visits": Message("服务记录", "Visit"),
    "problems": Message("技术难题", "Technical problem"),
    "solutions": Message("解决方案", "Solution"),
    "attachments": Message("附件", "Attachment"),
    "reviews": Message("审核", "Review"),
    "demands": Message("技术需求", "Technical demand"),
    "annual_summaries": Message("年度总结", "Annual summary"),
    "confirmations": Message("服务对象确认", "Confirmation by the served party"),
    "assessment_results": Message("考核结果", "Assessment result"),
    "projects": Message("揭榜项目", "Open-call project"),
    "project_applications": Message("揭榜申请", "Application"),
    "project_milestones": Message("攻关节点", "Milestone"),
    "achievements": Message("成果转化", "Achievement"),
    "bonus_points": Message("加分项", "Bonus"),
    "exemplars": Message("先进典型", "Exemplar"),
}

FIELD_LABELS: dict[str, Message] = {
    **LABELS,
    "deleted": Message("删除", "Deleted"),
    "county": Message("县（市、区）", "County"),
    "town": Message("乡镇", "Town"),
    "village": Message("村", "Village"),
    "industry": Message("产业", "Industry"),
    "technology": Message("技术", "Technology"),
    "outcome": Message("成效", "Outcome"),
    "confirm_contact": Message("确认人", "Confirmed by"),
    "confirm_remark": Message("确认意见", "Confirmation remark"),
    "notes": Message("备注", "Notes"),
    "text": Message("内容", "Text"),
    "contact_name": Message("联系人", "Contact person"),
    "address": Message("地址", "Address"),
    "merged_into": Message("并入的服务对象", "Merged into"),
    "agreed": Message("约定指标", "Agreed targets"),
    "deliverables": Message("其他约定成果", "Other deliverables"),
    "co_commissioner_ids": Message("共同履约的特派员", "Co-commissioners"),
}


# The names a conflict may carry, per synced table: the table's domain columns and the pseudo-field
# "deleted". A table or field name that arrives from the network is used in SQL only if it is here.
SYNCED_FIELDS: dict[str, frozenset[str]] = {
    table: frozenset({*(c for c in domain_columns(TABLES[table]) if c != "id"), "deleted"})
    for table in schema.SYNCED_TABLES
}


def known_field(table: object, field: object) -> bool:
    """Whether `table`.`field` is a field of a synced table of the local schema (safe to name in SQL)."""
    return isinstance(table, str) and isinstance(field, str) and field in SYNCED_FIELDS.get(table, ())


def unknown_name(table: object, field: object) -> Message:
    """What to report when a server names a table or field that this computer does not have."""
    what = f"{str(table)[:80]}.{str(field)[:80]}"
    return Message(
        f"服务器发来的冲突涉及本机没有的表或字段（{what}），已忽略，本机数据未被改动",
        f"The server sent a conflict about a table or field this computer does not have ({what}); it "
        "was ignored and nothing here was changed",
    )


def checked_conflicts(
    table: object, conflicts: object, refused: list[Message] | None = None
) -> list[dict[str, Any]]:
    """The field conflicts of a server's answer that name fields of `table`; the others are reported."""
    kept = []
    for c in conflicts if isinstance(conflicts, list) else []:
        field = c.get("field") if isinstance(c, dict) else None
        if known_field(table, field):
            kept.append(c)
        else:
            log.warning("ignored a conflict on unknown field %r of %r", field, table)
            if refused is not None:
                refused.append(unknown_name(table, field))
    return kept


@dataclass(frozen=True)
class FieldConflict:
    id: int
    table: str
    record_id: str
    field: str
    base: Any
    local: Any  # the value on this computer now
    server: Any
    server_rev: int
    created_at: str
    resolved_at: str | None = None
    resolution: str | None = None
    origin: str = "push"  # 'push': met by this computer's push; 'remote': someone else's version
    other_by: str = ""  # for a remote conflict, who made the other version
    notice_id: str | None = None

    @property
    def remote(self) -> bool:
        return self.origin == "remote"

    @property
    def field_label(self) -> Message:
        return FIELD_LABELS.get(self.field, Message(self.field, self.field))

    @property
    def table_label(self) -> Message:
        return TABLE_LABELS.get(self.table, Message(self.table, self.table))


def list_conflicts(
    store: Store, *, include_resolved: bool = False, record_id: str | None = None
) -> list[FieldConflict]:
    """Open conflicts (oldest first), one per field, with the base, local and server values."""
    sql = "SELECT * FROM sync_conflicts WHERE 1"
    params: list[Any] = []
    if not include_resolved:
        sql += " AND resolved_at IS NULL"
    if record_id:
        sql += " AND record_id = ?"
        params.append(record_id)
    items = []
    for row in store.db.query(sql + " ORDER BY id", params):
        local = _load(row["local_value"])
        if row["resolved_at"] is None and known_field(row["table_name"], row["field"]):
            current = store.row(row["table_name"], row["record_id"])
            if current is not None and row["field"] in current:
                local = current[row["field"]]
                if row["field"] == "deleted":
                    local = bool(local)
        items.append(
            FieldConflict(
                id=row["id"],
                table=row["table_name"],
                record_id=row["record_id"],
                field=row["field"],
                base=_load(row["base_value"]),
                local=local,
                server=_load(row["server_value"]),
                server_rev=row["server_rev"],
                created_at=row["created_at"],
                resolved_at=row["resolved_at"],
                resolution=row["resolution"],
                origin=row["origin"],
                other_by=row["other_by"],
                notice_id=row["notice_id"],
            )
        )
    return items


def resolve(store: Store, conflict_id: int, keep: Keep) -> FieldConflict:
    """Keep the local or the server's value of one conflicting field."""
    if keep not in ("local", "server"):
        raise ValueError(keep)
    with store.atomic():
        row = store.db.execute(
            "SELECT table_name, record_id, field, server_value, server_rev, resolved_at, origin "
            "FROM sync_conflicts WHERE id = ?",
            [conflict_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(
                Message(f"没有编号为 {conflict_id} 的冲突", f"No conflict number {conflict_id}")
            )
        table, record_id, field, server_value, server_rev, resolved_at, origin = row
        if not known_field(table, field):
            raise CommissionerError(unknown_name(table, field))
        if resolved_at is not None:
            raise CommissionerError(
                Message(f"冲突 {conflict_id} 已处理过", f"Conflict {conflict_id} is already resolved")
            )
        current = store.row(table, record_id)
        if current is None:
            raise NotFoundError(Message(f"找不到记录 {record_id}", f"No record {record_id}"))
        if table == "visits" and field == "deleted" and current.get("deleted") != _load(server_value):
            # Keeping the deletion, whichever side made it, is refused for what the editor refuses
            # it (this or the other laptop's edit may have given a solution on it, or an achievement
            # may cite it meanwhile): the live version is the one to keep then.
            keeps_deletion = bool(current.get("deleted")) if keep == "local" else bool(_load(server_value))
            from commissioner_app.ops.visits import parts_refusal

            refusal = parts_refusal(store, record_id) if keeps_deletion else None
            if refusal is not None:
                other = "服务器上的版本" if keep == "local" else "本机的版本"
                other_en = "the server's version" if keep == "local" else "the version on this computer"
                raise CommissionerError(
                    Message(f"{refusal.zh}。请保留{other}。", f"{refusal.en}. Keep {other_en}.")
                )
        now = now_iso()
        if keep == "server":
            value = _load(server_value)
            stored = int(bool(value)) if field == "deleted" else column_value(value)
            if current.get(field) != stored:
                store.db.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", [stored, record_id])
                store.db.execute(
                    "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        table,
                        record_id,
                        now,
                        store.actor,
                        json.dumps({field: [current.get(field), stored]}, ensure_ascii=False, default=str),
                    ],
                )
        if table == "visits" and field == "deleted":
            _bring_back_parts(store, current, keep, server_value, str(origin))
        store.db.execute(
            "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?", [now, keep, conflict_id]
        )
        open_left = store.db.execute(
            "SELECT count(*) FROM sync_conflicts WHERE table_name = ? AND record_id = ? AND resolved_at IS "
            "NULL",
            [table, record_id],
        ).fetchone()[0]
        if open_left == 0:
            # An ordinary unsent edit based on the server's revision: the next sync sends it.
            store.db.execute(
                f"UPDATE {table} SET has_conflict = 0, dirty = 1, sync_error = NULL, base_rev = "
                "max(base_rev, ?), updated_at = ? WHERE id = ?",
                [server_rev, now, record_id],
            )
            if (
                table == "problems"
                and store.db.execute("SELECT deleted FROM problems WHERE id = ?", [record_id]).fetchone()[0]
            ):
                # The problem's deletion kept: no solution stays on it (one given on a visit kept
                # live, which came back with that visit, would).
                for (solution_id,) in store.db.execute(
                    "SELECT id FROM solutions WHERE problem_id = ? AND deleted = 0", [record_id]
                ).fetchall():
                    store.delete(Solution, solution_id)
            if (
                table == "visits"
                and store.db.execute("SELECT deleted FROM visits WHERE id = ?", [record_id]).fetchone()[0]
            ):
                # The deletion kept: what was recorded on the visit, which the central store kept
                # while the conflict was open (and gave back), goes with it at the next sync.
                from commissioner_app.ops.visits import delete_parts

                delete_parts(store, record_id)
    return next(
        c for c in list_conflicts(store, include_resolved=True, record_id=record_id) if c.id == conflict_id
    )


def _bring_back_parts(
    store: Store, before: dict[str, Any], keep: Keep, server_value: str | None, origin: str
) -> None:
    """A visit's deletion met an edit, and the visit is kept live: what the deletion took from it
    comes back with it (commissioner_app/ops/visits.py: restore_parts). `before` is the visit as it
    was before this resolution; `origin` whether the conflict was met by this laptop's push (the
    server's value is what the server holds) or is another's version (what they sent)."""
    from commissioner_app.ops.visits import restore_parts

    server_deleted = bool(_load(server_value))
    if keep == "server" and server_deleted:
        return  # the deletion kept (its parts go at the end of the resolution, as they always did)
    if before.get("deleted") and keep == "server":
        # Deleted here, and the other laptop's live version kept: what this laptop's deletion took.
        restore_parts(store, str(before["id"]), since=str(before["updated_at"]))
    elif not before.get("deleted") and server_deleted and origin == "push":
        # Deleted on the other laptop and kept live here: what a pull took from the server's deletion
        # on (the visit's server_seq is that deletion's, as the conflict's answer gave it). Another's
        # deletion that met this version (origin "remote") deleted nothing: the server kept this one.
        restore_parts(store, str(before["id"]), after_seq=int(before["server_seq"]))


def resolve_record(store: Store, table: str, record_id: str, keep: Keep) -> int:
    """Resolve every open conflict of one record the same way; returns how many were resolved."""
    items = [c for c in list_conflicts(store, record_id=record_id) if c.table == table]
    for item in items:
        resolve(store, item.id, keep)
    return len(items)


def apply_notices(
    store: Store,
    notices: list[dict[str, Any]],
    user: dict[str, Any] | None,
    device_id: str,
    *,
    refused: list[Message] | None = None,
) -> int:
    """Apply pulled conflict notices (in the pull's transaction); returns how many opened here.

    An open notice becomes remote conflicts when it concerns this account (the record's owner, or
    the writer of the kept version) and was not raised by this very device. A closed notice closes
    the conflicts linked to it; a conflict this computer's push met takes the value kept elsewhere
    (unless the field was edited here since) and the record is queued again on the new revision.
    A notice naming a table or field this computer does not have is ignored and added to `refused`."""
    me = user or {}
    opened = 0
    for notice in notices:
        f, notice_id = notice.get("fields") or {}, str(notice["id"])
        if f.get("status") == "open":
            if _raised_here(f, me, device_id) or not _concerns(f, me):
                continue
            if store.db.execute(
                "SELECT 1 FROM sync_conflicts WHERE notice_id = ? LIMIT 1", [notice_id]
            ).fetchone():
                continue  # already known (a page applied again)
            items = f.get("conflicts") or []
            if not isinstance(items, list) or len(checked_conflicts(f.get("table"), items, refused)) != len(
                items
            ):
                continue
            now = now_iso()
            other = str(f.get("raised_by_name") or f.get("raised_by") or "")
            for c in items:
                # Here, "local" is this side's value (the one on the server); "server" the other side's.
                store.db.execute(
                    "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, "
                    "server_value, server_rev, created_at, notice_id, origin, other_by) VALUES (?, ?, ?, "
                    "?, ?, ?, ?, ?, ?, 'remote', ?)",
                    [
                        f["table"],
                        f["record_id"],
                        c["field"],
                        _dump(c.get("base")),
                        _dump(c.get("server")),
                        _dump(c.get("local")),
                        int(f.get("server_rev") or 0),
                        now,
                        notice_id,
                        other,
                    ],
                )
            opened += 1
        elif f.get("status") in ("resolved", "superseded"):
            _closed_elsewhere(store, notice_id, f)
    return opened


def _raised_here(f: dict[str, Any], me: dict[str, Any], device_id: str) -> bool:
    return bool(f.get("raised_by_user_id") == me.get("id") and f.get("raised_device") == device_id)


def _concerns(f: dict[str, Any], me: dict[str, Any]) -> bool:
    mine = me.get("commissioner_id")
    return bool(
        (mine and f.get("owner_id") == mine) or (me.get("id") and f.get("writer_user_id") == me.get("id"))
    )


def _closed_elsewhere(store: Store, notice_id: str, f: dict[str, Any]) -> None:
    rows = store.db.execute(
        "SELECT id, table_name, record_id, field, local_value, origin FROM sync_conflicts "
        "WHERE notice_id = ? AND resolved_at IS NULL",
        [notice_id],
    ).fetchall()
    if not rows:
        return
    now = now_iso()
    chosen = f.get("chosen") or {}
    held: set[tuple[str, str]] = set()
    for conflict_id, table, record_id, field, local_value, origin in rows:
        # A name an earlier version stored unchecked is never put into SQL: such a conflict is only closed.
        if (
            origin == "push"
            and known_field(table, field)
            and f.get("status") == "resolved"
            and field in chosen
        ):
            current = store.row(table, record_id)
            if current is not None and _same(current.get(field), _load(local_value), field):
                # Still the value this computer pushed: take the one kept by the other side.
                value = int(bool(chosen[field])) if field == "deleted" else column_value(chosen[field])
                if current.get(field) != value:
                    store.db.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", [value, record_id])
                    store.db.execute(
                        "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [
                            table,
                            record_id,
                            now,
                            str(f.get("resolved_by") or ""),
                            json.dumps({field: [current.get(field), value]}, ensure_ascii=False, default=str),
                        ],
                    )
            held.add((table, record_id))
        store.db.execute(
            "UPDATE sync_conflicts SET resolved_at = ?, resolution = 'elsewhere', reported = 1 WHERE id = ?",
            [now, conflict_id],
        )
    resolved_rev = int(f.get("resolved_rev") or 0)
    for table, record_id in held:
        left = store.db.execute(
            "SELECT count(*) FROM sync_conflicts WHERE table_name = ? AND record_id = ? "
            "AND resolved_at IS NULL",
            [table, record_id],
        ).fetchone()[0]
        if left == 0:
            # Like a resolution here: an ordinary edit on the revision that settled it; the next
            # sync sends what else was changed on this computer (or nothing new).
            store.db.execute(
                f"UPDATE {table} SET has_conflict = 0, dirty = 1, sync_error = NULL, base_rev = "
                "max(base_rev, ?), updated_at = ? WHERE id = ?",
                [resolved_rev, now, record_id],
            )


def resolutions_to_report(store: Store) -> dict[tuple[str, str], list[str]]:
    """Notices resolved on this computer that the server has not been told of, by record."""
    found: dict[tuple[str, str], list[str]] = {}
    for table, record_id, notice_id in store.db.execute(
        "SELECT DISTINCT table_name, record_id, notice_id FROM sync_conflicts WHERE notice_id IS NOT NULL "
        "AND reported = 0 AND resolved_at IS NOT NULL AND resolution IN ('local', 'server') ORDER BY "
        "notice_id"
    ).fetchall():
        found.setdefault((table, record_id), []).append(notice_id)
    return found


def mark_reported(store: Store, notice_ids: list[str]) -> None:
    for start in range(0, len(notice_ids), 500):
        part = notice_ids[start : start + 500]
        store.db.execute(
            f"UPDATE sync_conflicts SET reported = 1 WHERE notice_id IN ({','.join('?' * len(part))})", part
        )


def _same(column: Any, value: Any, field: str) -> bool:
    if field == "deleted":
        return bool(column) == bool(value)
    return bool(column == column_value(value))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def display_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and value[:1] in "[{":
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, list):
            return "、".join(str(v) for v in decoded) or "—"
    return str(value)


def _load(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text
