"""The audit trail and a record's history, read from the central store (Qt-free; the GUI's audit
screen and history dialog run these in the background).

The server's answers are checked before use: a field of the wrong type or an oversized answer is
refused with a clear message, never shown half-understood.
"""

from __future__ import annotations

import csv
import json
from contextlib import suppress
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from commissioner_app.attachments import valid_sha256
from commissioner_app.demands import DEMAND_STATUSES
from commissioner_app.domain import (
    ACCEPTANCE_RESULTS,
    ACCOUNT_ROLES,
    ACHIEVEMENT_KINDS,
    AGREEMENT_STATUSES,
    APPLICATION_STATUSES,
    ATTACHMENT_KINDS,
    BONUS_STATUSES,
    CONFIRMATION_DECISIONS,
    EXEMPLAR_KINDS,
    GROUP_KINDS,
    LABELS,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    PROJECT_STATUSES,
    REVIEW_DECISIONS,
    REVIEW_STATUSES,
    TRANSFER_MODES,
    URGENCIES,
    id_excerpt,
)
from commissioner_app.errors import CommissionerError, os_reason
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store
from sync import session
from sync.errors import OfflineError, ServerError

# The actions the server records (sync/server/audit.py), with what the screen calls them.
ACTIONS: dict[str, Message] = {
    "review.decide": Message("审核决定", "Review decision"),
    "assessment.publish": Message("发布考核结果", "Assessment published"),
    "reference.edit": Message("修改基础数据", "Reference data edited"),
    "rules.edit": Message("修改考核规则", "Assessment rules edited"),
    # The bureau's 组织与账号 (sync/server/admin.py).
    "account.create": Message("新建账号", "Account created"),
    "account.change": Message("修改账号", "Account changed"),
    "account.disable": Message("停用账号", "Account disabled"),
    "account.enable": Message("启用账号", "Account enabled"),
    "account.reset_password": Message("重置密码", "Password reset"),
    "team.put": Message("保存科技特派团", "Team saved"),
    "workstation.put": Message("保存工作站", "Workstation saved"),
    "roster.import": Message("导入名册", "Roster imported"),
    "project.publish": Message("发布揭榜项目", "Open-call project published"),
    "project.edit": Message("修改揭榜项目", "Open-call project changed"),
    "project.withdraw": Message("撤销揭榜项目", "Open-call project withdrawn"),
    "project.award": Message("揭榜项目定榜", "Open-call project awarded"),
    "project.accept": Message("揭榜项目验收", "Open-call project acceptance"),
    "project.apply": Message("申请揭榜", "Applied for an open-call project"),
    "project.application_decide": Message("评定揭榜申请", "Application decided"),
    "project.application_edit": Message("修改揭榜申请", "Application changed"),
    "project.application_withdraw": Message("撤回揭榜申请", "Application withdrawn"),
    "project.milestone_set": Message("设置攻关节点", "Milestone set"),
    "project.milestone_done": Message("攻关节点完成", "Milestone done"),
    "project.milestone_edit": Message("修改攻关节点", "Milestone changed"),
    "project.milestone_delete": Message("删除攻关节点", "Milestone deleted"),
    "achievement.record": Message("登记成果转化", "Achievement recorded"),
    "achievement.edit": Message("修改成果转化", "Achievement changed"),
    "achievement.delete": Message("删除成果转化", "Achievement deleted"),
    "bonus.propose": Message("申报加分项", "Bonus proposed"),
    "bonus.decide": Message("审定加分项", "Bonus decided"),
    "bonus.edit": Message("修改加分项", "Bonus changed"),
    "bonus.withdraw": Message("撤销加分项", "Bonus withdrawn"),
    "exemplar.name": Message("评选先进典型", "Exemplar named"),
    "exemplar.edit": Message("修改先进典型", "Exemplar changed"),
    "exemplar.withdraw": Message("撤销先进典型", "Exemplar withdrawn"),
    # The same acts on the server's command line (sync/server_cli.py).
    "user.create": Message("新建账号（服务器命令行）", "Account created (server command line)"),
    "user.disable": Message("停用账号（服务器命令行）", "Account disabled (server command line)"),
    "user.enable": Message("启用账号（服务器命令行）", "Account enabled (server command line)"),
    "user.reset_password": Message("重置密码（服务器命令行）", "Password reset (server command line)"),
    "revisions.prune": Message(
        "清理记录旧版本（服务器命令行）", "Old versions of records pruned (server command line)"
    ),
}
PAGE = 500
# Fields a history leaves out: bookkeeping, not what anyone typed.
QUIET_FIELDS = frozenset({"created_at", "updated_at"})
# Names of fields the domain's label table does not carry.
MORE_LABELS: dict[str, Message] = {
    "confirm_sheet_sha256": Message("签字确认单", "Signed sheet"),
    "sha256": Message("文件", "File"),
    "commissioner_id": Message("科技特派员", "Commissioner"),
    "county": Message("县（市、区）", "County / district"),
    "town": Message("镇街", "Town"),
    "village": Message("村", "Village"),
    "industry": Message("产业", "Industry"),
    "review_status": Message("审核状态", "Review status"),
    "review_opinion": Message("审核意见", "Review opinion"),
    "confirm_sheet_accepted": Message("确认单已认可", "Confirmation sheet accepted"),
    "decision": Message("审核结论", "Decision"),
    "opinion": Message("意见", "Opinion"),
    "sheet_accepted": Message("签字确认单已核验", "Signed sheet checked"),
    "record_rev": Message("所审版本", "Version reviewed"),
    "evidence_seq": Message("审核时已同步到的变更号", "Change number synced before the review"),
    "username": Message("用户名", "User name"),
    "role": Message("角色", "Role"),
    "display_name": Message("显示名称", "Display name"),
    "team_id": Message("科技特派团", "Team"),
    "workstation_id": Message("工作站", "Workstation"),
    "disabled": Message("已停用", "Disabled"),
    "disabled_reason": Message("停用原因", "Reason for disabling"),
    "must_change_password": Message("须修改密码", "Must change password"),
    "id": Message("编号", "Id"),
    # Every other field of a synced record, in the words its screens use.
    "accepted_on": Message("验收日期", "Accepted on"),
    "address": Message("地址", "Address"),
    "agreed": Message("约定指标", "Agreed targets"),
    "awarded_commissioner_id": Message("揭榜特派员", "Awarded commissioner"),
    "awarded_team_id": Message("揭榜团队", "Awarded team"),
    "co_commissioner_ids": Message("共同服务的特派员", "Co-commissioners"),
    "comment": Message("意见", "Comment"),
    "confirm_contact": Message("确认人", "Confirmed by"),
    "confirm_remark": Message("确认备注", "Confirmation remark"),
    "confirm_token": Message("服务确认链接", "Confirmation link"),
    "confirmed": Message("已确认", "Confirmed"),
    "contact_name": Message("联系人", "Contact person"),
    "counties": Message("服务区县", "Counties served"),
    "deactivated_on": Message("停止服务日期", "Stopped serving on"),
    "deliverables": Message("其他约定成果", "Other agreed results"),
    "demand_id": Message("技术需求", "Demand"),
    "done": Message("已完成", "Done"),
    "done_on": Message("完成日期", "Done on"),
    "entered_by": Message("录入人", "Entered by"),
    "figures": Message("考核数据", "Figures"),
    "gender": Message("性别", "Gender"),
    "gps_lat": Message("纬度", "Latitude"),
    "gps_lon": Message("经度", "Longitude"),
    "grade": Message("等次", "Grade"),
    "grade_uncapped": Message("未计优秀比例上限的等次", "Grade before the excellent quota"),
    "host_unit": Message("依托单位", "Host unit"),
    "industries": Message("服务产业", "Industries served"),
    "leader_id": Message("团长", "Team leader"),
    "manager_id": Message("站长", "Workstation manager"),
    "merged_into": Message("已合并至", "Merged into"),
    "mime": Message("文件类型", "File type"),
    "nominated_at": Message("推荐时间", "Nominated at"),
    "nominated_by": Message("推荐人", "Nominated by"),
    "note": Message("备注", "Note"),
    "notes": Message("备注", "Notes"),
    "original_name": Message("文件名", "File name"),
    "outcome": Message("效果", "Outcome"),
    "owner_id": Message("所属记录", "Belongs to"),
    "owner_table": Message("所属记录类型", "Kind of record it belongs to"),
    "partner_university": Message("合作高校", "Partner university"),
    "parts": Message("分项得分", "Part scores"),
    "population": Message("参评人数", "Commissioners assessed"),
    "problem_ids": Message("相关技术难题", "Problems"),
    "published_at": Message("发布时间", "Published at"),
    "published_by": Message("发布人", "Published by"),
    "raised_on": Message("提出日期", "Raised on"),
    "record_table": Message("所审记录类型", "Kind of record reviewed"),
    "reviewed_at": Message("审核时间", "Reviewed at"),
    "reviewed_by": Message("审核人", "Reviewed by"),
    "reviewer_id": Message("审核人", "Reviewer"),
    "reviewer_name": Message("审核人姓名", "Reviewer's name"),
    "rules_title": Message("考核细则", "Assessment rules"),
    "satisfaction": Message("满意度", "Satisfaction"),
    "size": Message("文件大小", "File size"),
    "solved_on": Message("解决日期", "Solved on"),
    "specialty": Message("专业特长", "Specialty"),
    "submitted_at": Message("提交时间", "Submitted at"),
    "submitted_on": Message("申报日期", "Submitted on"),
    "taken_at": Message("拍摄时间", "Taken at"),
    "taken_by": Message("揭榜人", "Taken up by"),
    "target_name": Message("需求方", "Party with the demand"),
    "technology": Message("采用技术", "Technology used"),
    "text": Message("正文", "Text"),
    "total": Message("总分", "Total score"),
    "visit_id": Message("服务记录", "Visit"),
    "visit_ids": Message("相关服务记录", "Visits"),
}
# The coded values an entry's fields carry, by the action's kind (a status means another thing for a
# project than for a bonus): shown in words, as everywhere else in the application.
_CODES: dict[str, dict[str, dict[str, Message]]] = {
    "review": {"decision": REVIEW_DECISIONS},
    "project": {"status": PROJECT_STATUSES, "acceptance": ACCEPTANCE_RESULTS},
    "application": {"status": APPLICATION_STATUSES},
    "achievement": {"kind": ACHIEVEMENT_KINDS, "mode": TRANSFER_MODES},
    "bonus": {"status": BONUS_STATUSES, "subject_kind": GROUP_KINDS},
    "exemplar": {"kind": EXEMPLAR_KINDS, "subject_kind": GROUP_KINDS},
    "account": {"role": ACCOUNT_ROLES},
    "user": {"role": ACCOUNT_ROLES},
}
# What a subject's kind of record is called ("users/…" names an account).
SUBJECT_KINDS: dict[str, Message] = {
    "visits": Message("服务记录", "Visit"),
    "achievements": Message("成果转化", "Achievement"),
    "projects": Message("揭榜项目", "Open-call project"),
    "project_applications": Message("揭榜申请", "Application"),
    "project_milestones": Message("攻关节点", "Milestone"),
    "bonus_points": Message("加分项", "Bonus"),
    "exemplars": Message("先进典型", "Exemplar"),
    "assessment_results": Message("考核结果", "Assessment result"),
    "users": Message("账号", "Account"),
    "teams": Message("科技特派团", "Team"),
    "workstations": Message("工作站", "Workstation"),
    "reference": Message("基础数据", "Reference data"),
    "assessment_rules": Message("考核规则", "Assessment rules"),
    "roster": Message("名册", "Roster"),
    "revisions": Message("记录的旧版本", "Old versions of records"),
}
YES_NO = (Message("否", "no"), Message("是", "yes"))
EMPTY = Message("（空）", "(empty)")
CREATED = Message("（新建记录）", "(record created)")
# The oldest version the server still has, when older ones were deleted past its retention
# (`commissioner-server prune-revisions`): not the record's creation.
OLDEST_KEPT = Message(
    "（最早保留的版本，更早的已按保留期清理）", "(oldest version kept; older ones were pruned)"
)
# A version that changed no field people see (the server wrote a visit again unchanged, to send it
# back to review when evidence came after an approval was decided): still a version, and a row.
UNCHANGED = Message("（再次保存，内容未变）", "(saved again, nothing changed)")


def _bad_answer() -> CommissionerError:
    return CommissionerError(
        Message(
            "服务器的答复格式不正确，未显示。",
            "The server's answer is not in the expected form; nothing shown.",
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    subject: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("actor", "action", "subject"):
            value = getattr(self, name).strip()
            if value:
                out[name] = value
        if self.date_from:
            out["date_from"] = self.date_from.isoformat()
        if self.date_to:
            out["date_to"] = self.date_to.isoformat()
        if self.date_from or self.date_to:
            # The days picked are days of this computer's time, which the screen and the export
            # show; a server that predates the offset counts them in China's time.
            out["utc_offset"] = utc_offset_on(self.date_from or self.date_to)  # type: ignore[arg-type]
        return out


def utc_offset_on(day: date) -> int:
    """Minutes east of UTC of this computer's time as `day` begins (within ±14 hours)."""
    try:
        offset = datetime.combine(day, time()).astimezone().utcoffset()
    except (OverflowError, ValueError, OSError):  # a day at the ends of the calendar
        offset = datetime.now().astimezone().utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 8 * 60
    return max(-14 * 60, min(14 * 60, minutes))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    actor_role: str
    action: str
    subject: str
    county: str
    before: Any
    after: Any

    def action_label(self) -> Message:
        return ACTIONS.get(self.action, Message(self.action, self.action))

    def actor_text(self, lang: str | None = None) -> str:
        """Who acted: the account name, or for the server's own acts what they are (not "server-cli")."""
        named = SYSTEM_ACTORS.get(self.actor)
        return named.text(lang) if named is not None else self.actor

    def change_text(self, limit: int = 200, lang: str | None = None, value_limit: int = 40) -> str:
        """What changed, compactly: the keys whose values differ, before → after (a roster import and
        a password reset in words); each value cut to `value_limit` characters, the whole to `limit`."""
        summary = self._summary()
        if summary is not None:
            text = summary.text(lang)
            return text if len(text) <= limit else text[: limit - 1] + "…"
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        codes = _CODES.get(self._kind(), {})
        colon = Message("：", ": ").text(lang)

        def name(key: str) -> str:
            return field_name(key).text(lang)

        def value(key: str, v: Any) -> str:
            if isinstance(v, bool) or (key in _FLAGS and v in (0, 1)):
                return YES_NO[int(v)].text(lang)
            if v in (None, "", [], {}):
                return EMPTY.text(lang)
            if isinstance(v, str) and v in codes.get(key, {}):
                return codes[key][v].text(lang)
            return _short(v, value_limit)

        if self.before is None and isinstance(self.after, dict):
            parts = [
                f"{name(k)}{colon}{value(k, v)}"
                for k, v in sorted(after.items())
                if v not in (None, "", [], {})
            ]
        else:
            keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            parts = [f"{name(k)}{colon}{value(k, before.get(k))} → {value(k, after.get(k))}" for k in keys]
            if not keys and self.before != self.after:
                parts = [f"{_short(self.before, value_limit)} → {_short(self.after, value_limit)}"]
        text = Message("；", "; ").text(lang).join(parts)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def _kind(self) -> str:
        """The kind of act, for the codes of its fields: "project.apply" is an application's."""
        family, _, act = self.action.partition(".")
        if family == "project" and (act == "apply" or act.startswith("application")):
            return "application"
        if family == "project" and act.startswith("milestone"):
            return "milestone"
        return family

    def subject_text(self, lang: str | None = None, whole: bool = False) -> str:
        """The subject for a person: its kind of record in words and its id, a long one cut short
        unless `whole` ("服务记录 aef3c3b9…")."""
        kind, _, key = self.subject.partition("/")
        label = SUBJECT_KINDS.get(kind)
        if label is None:
            return self.subject if whole else short_subject(self.subject)
        if not key:
            return label.text(lang)  # a subject that is a kind of thing only ("roster")
        listed = REFERENCE_LISTS.get(key) if kind == "reference" else None
        if listed is not None:  # a reference list: by its name, not its code ("town")
            return Message(f"{label.zh}（{listed.zh}）", f"{label.en} ({listed.en})").text(lang)
        cut = not whole and len(key) > 12 and "-" in key
        return f"{label.text(lang)} {id_excerpt(key)}" if cut else f"{label.text(lang)} {key}"

    def _summary(self) -> Message | None:
        if self.action.endswith(".reset_password"):
            return RESET
        if self.action == "assessment.publish":
            return _result_summary(self.before, self.after)
        if self.action == "reference.edit":
            return _reference_summary(self.before, self.after)
        if self.action != "roster.import" or not isinstance(self.after, dict):
            return None
        accounts = [a for a in _list(self.after.get("accounts")) if isinstance(a, dict)]
        people = [" ".join(str(a.get(k) or "")[:40] for k in ("name", "username")).strip() for a in accounts]
        teams = [str(t)[:60] for t in _list(self.after.get("teams_created"))]
        stations = [str(t)[:60] for t in _list(self.after.get("workstations_created"))]
        zh = [f"{len(people)} 个账号：" + "、".join(people)]
        en = [f"{len(people)} accounts: " + ", ".join(people)]
        if teams:
            zh.append("新建科技特派团：" + "、".join(teams))
            en.append("Teams created: " + ", ".join(teams))
        if stations:
            zh.append("新建工作站：" + "、".join(stations))
            en.append("Workstations created: " + ", ".join(stations))
        return Message("；".join(zh), "; ".join(en))


def _result_summary(before: Any, after: Any) -> Message | None:
    """A published result as a person reads it: the total and the grade (and what they were), under
    the rules it was worked out by; not its figures and parts, which the result itself shows."""
    from commissioner_app.assessment_rules import GRADES

    if not isinstance(after, dict):
        return None
    old = before if isinstance(before, dict) else {}

    def shown(key: str, value: Any, lang: str) -> str:
        if key == "grade":
            label = GRADES.get(str(value))
            return label.text(lang) if label else str(value or "")
        return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "—"

    def text(lang: str) -> str:
        def say(zh: str, en: str) -> str:
            return Message(zh, en).text(lang)

        parts = []
        for key, name in (("total", say("总分", "Total")), ("grade", say("等级", "Grade"))):
            now = shown(key, after.get(key), lang)
            if key in old and old.get(key) != after.get(key):
                now = f"{shown(key, old.get(key), lang)} → {now}"
            parts.append(f"{name}{say('：', ': ')}{now}")
        if after.get("rules_title"):
            parts.append(f"{say('细则', 'Rules')}{say('：', ': ')}{_short(after['rules_title'], 60)}")
        return say("；", "; ").join(parts)

    return Message(text("zh_CN"), text("en"))


def _reference_summary(before: Any, after: Any) -> Message | None:
    """A reference list edit as what was added, removed or renamed (by name), not the whole list."""

    def items(value: Any) -> dict[str, str]:
        listed = value.get("items") if isinstance(value, dict) else None
        return {
            str(i.get("code")): str(i.get("name_zh") or "")[:40]
            for i in _list(listed)
            if isinstance(i, dict) and i.get("code")
        }

    if not isinstance(after, dict):
        return None
    was, now = items(before), items(after)
    changes = (
        ([now[c] for c in now if c not in was], "新增", "Added"),
        ([was[c] for c in was if c not in now], "删除", "Removed"),
        ([f"{was[c]} → {now[c]}" for c in now if c in was and was[c] != now[c]], "改名", "Renamed"),
    )
    zh, en = [], []
    for names, label_zh, label_en in changes:
        if names:
            listed = "、".join(names[:20]) + ("…" if len(names) > 20 else "")
            zh.append(f"{label_zh} {len(names)} 项：{listed}")
            en.append(f"{label_en} {len(names)}: " + listed.replace("、", ", "))
    if not zh:
        return Message(f"共 {len(now)} 项，无增删改名", f"{len(now)} items, none added, removed or renamed")
    return Message("；".join(zh), "; ".join(en))


# The reference data's lists (commissioner_app/reference.py KINDS), as the audit trail names them.
REFERENCE_LISTS: dict[str, Message] = {
    "county": Message("区县", "counties"),
    "town": Message("镇街", "towns"),
    "industry_category": Message("产业门类", "industry categories"),
    "industry": Message("产业", "industries"),
    "service_type": Message("服务类型", "service types"),
    "target_type": Message("服务对象类型", "kinds of service target"),
    "sending_unit": Message("派出单位", "sending units"),
}


RESET = Message(
    "已生成新的一次性密码（密码不记入日志）", "A new one-time code was issued (codes are never logged)"
)


# Fields kept as 0 or 1 that mean no or yes.
_FLAGS = frozenset({"sheet_accepted", "done", "confirm_sheet_accepted", "disabled", "must_change_password"})


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _short(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry(raw: Any) -> AuditEntry:
    if not isinstance(raw, dict):
        raise _bad_answer()
    texts = ("at", "actor", "actor_role", "action", "subject", "county")
    if not isinstance(raw.get("id"), int) or any(not isinstance(raw.get(k), str) for k in texts):
        raise _bad_answer()
    at, actor, role, action, subject, county = (str(raw[k])[:200] for k in texts)
    before, after = raw.get("before"), raw.get("after")
    return AuditEntry(raw["id"], at, actor, role, action, subject, county, before, after)


def _page(client: Any, given: AuditFilter, limit: int, offset: int) -> tuple[int, list[AuditEntry]]:
    answer = client.audit({**given.params(), "limit": limit, "offset": offset})
    if not isinstance(answer, dict) or not isinstance(answer.get("entries"), list):
        raise _bad_answer()
    total = answer.get("total")
    if not isinstance(total, int) or total < 0 or len(answer["entries"]) > limit:
        raise _bad_answer()
    return total, [_entry(e) for e in answer["entries"]]


def audit_entries(store: Store, given: AuditFilter, offset: int = 0) -> tuple[int, list[AuditEntry]]:
    """How many entries match, and a page of them (newest first), from the server."""
    return _page(session.open_client(store), given, PAGE, offset)


# The export reads the list endpoint page by page, at the server's largest page (sync/server/audit.py
# MAX_PAGE), up to this many entries (the newest ones; the caller is told when more matched).
EXPORT_PAGE = 1000
MAX_EXPORT = 100_000
# Excel holds at most 32,767 characters in a cell; a change's text stays below it.
CELL_LIMIT = 32_000
EXPORT_HEADER = (
    Message("操作人", "Actor"),
    Message("角色", "Role"),
    Message("操作", "Action"),
    Message("对象", "Subject"),
    Message("县（市、区）", "County / district"),
    Message("变更内容", "Change"),
    Message("日志编号", "Entry no."),
    Message("之前（原始数据）", "Before (raw data)"),
    Message("之后（原始数据）", "After (raw data)"),
)
# The role the server's command line acts as (sync/server/audit.py SERVER_CLI), beside the accounts'.
ROLE_NAMES: dict[str, Message] = {**ACCOUNT_ROLES, "admin": Message("服务器管理员", "server administrator")}


@dataclass(frozen=True)
class AuditExport:
    rows: int  # written to the file
    matched: int  # matching entries when the export began: more than `rows` past MAX_EXPORT


# Acts of the server itself, in the trail under these names (sync/server/audit.SERVER_CLI, confirm).
SYSTEM_ACTORS: dict[str, Message] = {
    "server-cli": Message("服务器管理命令", "server command line"),
    "served-party": Message("服务对象", "served party"),
}


def role_name(role: str, lang: str | None = None) -> str:
    name = ROLE_NAMES.get(role)
    return name.text(lang) if name else role


def _local(at: str) -> datetime | None:
    """A stored UTC time ("2026-05-01T01:02:03.000000Z") in this computer's time zone."""
    try:
        return datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).astimezone()
    except ValueError:
        return None


def local_times(ats: list[str], seconds: bool = True, short: bool = False) -> tuple[Message, list[str]]:
    """Stored UTC times as this computer shows the time, and the time column's header, which says
    which time that is (the screen and the exported file show the same; `short` for a screen)."""
    moments = [_local(at) for at in ats]
    offsets = {m.utcoffset() if m else None for m in moments} or {datetime.now().astimezone().utcoffset()}
    each_offset = len(offsets) != 1  # the header names no one offset: each time names its own
    form = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    shown = []
    for at, moment in zip(ats, moments, strict=True):
        if moment is None:
            shown.append(at)
            continue
        shift = moment.utcoffset()
        text = moment.strftime(form)
        shown.append(f"{text} {_offset_text(shift)}" if each_offset and shift is not None else text)
    return _time_header(offsets, short), shown


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _time_header(offsets: set[timedelta | None], short: bool = False) -> Message:
    """What the time column shows: Beijing time (UTC+8, China's one time zone), UTC, or this
    computer's time with its offset (with none when it changes within the file: each time has its own).
    `short`: for a column on a screen, which leaves out "this computer's local time" before an offset."""
    offset = next(iter(offsets))
    if len(offsets) != 1 or offset is None:  # (None: a time the server wrote in another form)
        return Message("时间（本机时间）", "Time (local)" if short else "Time (this computer's local time)")
    if offset == timedelta(hours=8):
        return Message("时间（北京时间）", "Time (Beijing time)")
    if not offset:
        return Message("时间（UTC）", "Time (UTC)")
    zone = _offset_text(offset)
    if short:
        return Message(f"时间（{zone}）", f"Time ({zone})")
    return Message(f"时间（本机时间，{zone}）", f"Time (this computer's local time, {zone})")


def _cell(value: str) -> str:
    """A cell Excel would run as a formula is quoted as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _raw(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _export_page(client: Any, given: AuditFilter, offset: int) -> tuple[int, list[AuditEntry]]:
    """A page for the export; the network's failures said as an export's (not a sync's: nothing of
    an export resumes by itself, and no file was written)."""
    try:
        return _page(client, given, EXPORT_PAGE, offset)
    except OfflineError:
        raise CommissionerError(
            Message(
                "无法连接到服务器，操作日志没有导出（没有写入文件）。请在网络恢复后重试。",
                "Cannot reach the server: the audit trail was not exported (no file was written). "
                "Try again when the network is back.",
            )
        ) from None
    except ServerError as exc:
        raise CommissionerError(
            Message(
                f"服务器出现故障（{exc.status}），操作日志没有导出（没有写入文件）。请稍后重试。",
                f"The server failed ({exc.status}): the audit trail was not exported (no file was "
                "written). Try again later.",
            )
        ) from None


def export_audit(
    store: Store, given: AuditFilter, path: Path, lang: str | None = None
) -> OpResult[AuditExport]:
    """Every matching entry (up to MAX_EXPORT, the newest), oldest first, as a CSV a person reads in
    `lang`: local times, names for roles and acts, the change in words; the raw before and after last.
    UTF-8 with a BOM, so Excel opens the Chinese; written to `path` whole or not at all."""
    client = session.open_client(store)
    found: dict[int, AuditEntry] = {}
    matched, offset, whole = 0, 0, False
    # The trail only grows, newest first: an entry written meanwhile moves the older ones a place on,
    # so a page may repeat one already read (kept once), never skip one. The pages are bounded: the
    # server's answer is not trusted to end.
    for number in range(MAX_EXPORT // EXPORT_PAGE + 2):
        total, page = _export_page(client, given, offset)
        if number == 0:
            matched = total
        for entry in page:
            found.setdefault(entry.id, entry)
        if len(page) < EXPORT_PAGE:
            whole = True
            break
        if len(found) >= MAX_EXPORT:
            break
        offset += EXPORT_PAGE
    entries = sorted(found.values(), key=lambda e: -e.id)[:MAX_EXPORT][::-1]
    if whole:
        matched = len(entries)
    header, times = local_times([e.at for e in entries])

    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([header.text(lang), *(m.text(lang) for m in EXPORT_HEADER)])
            for entry, when in zip(entries, times, strict=True):
                cells = [
                    when,
                    entry.actor_text(lang),
                    role_name(entry.actor_role, lang),
                    entry.action_label().text(lang),
                    entry.subject_text(lang, whole=True),
                    entry.county,
                    entry.change_text(limit=CELL_LIMIT, lang=lang, value_limit=CELL_LIMIT),
                    str(entry.id),
                    _raw(entry.before),
                    _raw(entry.after),
                ]
                writer.writerow([_cell(c) for c in cells])
        tmp.replace(path)
    except OSError as exc:
        # A folder one may not write to, a name that is a folder: said as other exports say it.
        raise CommissionerError(
            Message(
                f"无法写入文件 {path}：{os_reason(exc).zh}",
                f"Cannot write the file {path}: {os_reason(exc).en}",
            )
        ) from None
    finally:
        with suppress(OSError):  # (there may be no such file, nor a folder to hold it)
            tmp.unlink(missing_ok=True)
    return OpResult(AuditExport(len(entries), max(matched, len(entries))), OpChanges())


def field_name(name: str) -> Message:
    return LABELS.get(name) or MORE_LABELS.get(name) or Message(name, name)


def short_subject(subject: str) -> str:
    """ "visits/aef3c3b9-…" for a subject naming a record by a long id (the detail shows it whole)."""
    table, _, key = subject.partition("/")
    return f"{table}/{id_excerpt(key)}" if len(key) > 12 and "-" in key else subject


@dataclass(frozen=True)
class FieldChange:
    at: str
    username: str  # the writer's account
    rev: int
    field: str
    label: Message
    before: Any
    after: Any
    display_name: str = ""  # the writer as people know them (servers before it do not say)
    table: str = ""
    # The names of the records the values point to (a team's leader, a visit's target), as this
    # laptop knows them: id -> name.
    names: dict[str, str] = dataclass_field(default_factory=dict, compare=False)

    def writer(self, lang: str | None = None) -> str:
        """The writer by name, with the account in brackets: 王芳（wangf）; the account alone when it
        is the name; the name alone when the server keeps the account from the reader (a public
        record's writer of another team or county)."""
        if not self.username:
            return self.display_name
        if not self.display_name or self.display_name == self.username:
            return self.username
        return Message(
            f"{self.display_name}（{self.username}）", f"{self.display_name} ({self.username})"
        ).text(lang)

    def shown(self, value: Any, lang: str | None = None) -> str:
        """A value of this change as the application shows it: a coded state in words (待审核, not
        pending)."""
        codes = HISTORY_CODES.get((self.table, self.field)) or HISTORY_CODES.get(("", self.field))
        if codes and isinstance(value, str) and value in codes:
            return codes[value].text(lang)
        if self.field.endswith("sha256") and isinstance(value, str) and valid_sha256(value):
            # A file, named by its content: a person tells one from another by its first digits.
            return Message(f"已上传的文件（{value[:8]}…）", f"an uploaded file ({value[:8]}…)").text(lang)
        if self.field in POINTER_FIELDS:
            if isinstance(value, str):
                return self.names.get(value, value)
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                ids: list[str] = value
                return Message("、", ", ").text(lang).join(self.names.get(v, v) for v in ids)
        return shown_value(value, lang)


# Fields that hold the id of another record (or a list of them), and the kind of record: the history
# shows the record's name where this laptop has it.
POINTER_FIELDS: dict[str, str] = {
    "commissioner_id": "commissioners",
    "leader_id": "commissioners",
    "manager_id": "commissioners",
    "awarded_commissioner_id": "commissioners",
    "reviewer_id": "commissioners",
    "taken_by": "commissioners",
    "co_commissioner_ids": "commissioners",
    "team_id": "teams",
    "awarded_team_id": "teams",
    "workstation_id": "workstations",
    "target_id": "service_targets",
    "merged_into": "service_targets",
    "demand_id": "demands",
    "project_id": "projects",
}
_NAME_COLUMNS = {"demands": "title", "projects": "title"}  # the others: "name"


def _pointed_names(store: Store, changes: list[FieldChange]) -> dict[str, str]:
    """The names of the records the changes' values point to, read from this laptop's store."""
    wanted: dict[str, set[str]] = {}
    for change in changes:
        kind = POINTER_FIELDS.get(change.field)
        if kind is None:
            continue
        for value in (change.before, change.after):
            values = value if isinstance(value, list) else [value]
            wanted.setdefault(kind, set()).update(v for v in values if isinstance(v, str) and v)
    names: dict[str, str] = {}
    for table, ids in wanted.items():
        column = _NAME_COLUMNS.get(table, "name")
        listed = sorted(ids)
        for start in range(0, len(listed), 500):
            part = listed[start : start + 500]
            marks = ",".join("?" * len(part))
            for record_id, name in store.db.execute(
                f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", part
            ).fetchall():
                if isinstance(name, str) and name.strip():
                    names[record_id] = " ".join(name.split())
    return names


# Coded fields of records, by table ("" for a field coded alike in every table): their values in
# words in the history, as on every other screen.
HISTORY_CODES: dict[tuple[str, str], dict[str, Message]] = {
    ("", "review_status"): REVIEW_STATUSES,
    ("problems", "status"): PROBLEM_STATUSES,
    ("problems", "source"): PROBLEM_SOURCES,
    ("problems", "urgency"): URGENCIES,
    ("demands", "status"): DEMAND_STATUSES,
    ("reviews", "decision"): REVIEW_DECISIONS,
    ("service_agreements", "status"): AGREEMENT_STATUSES,
    ("attachments", "kind"): ATTACHMENT_KINDS,
    ("projects", "status"): PROJECT_STATUSES,
    ("projects", "acceptance"): ACCEPTANCE_RESULTS,
    ("project_applications", "status"): APPLICATION_STATUSES,
    ("achievements", "kind"): ACHIEVEMENT_KINDS,
    ("achievements", "mode"): TRANSFER_MODES,
    ("bonus_points", "status"): BONUS_STATUSES,
    ("confirmations", "decision"): CONFIRMATION_DECISIONS,
}


def record_history(store: Store, table: str, record_id: str) -> list[FieldChange]:
    """Who changed which field of a record, when, from what to what: the server's revisions,
    compared one with the next, newest first; the first version is one row, "record created"."""
    client = session.open_client(store)
    revisions = client.record_history(table, record_id)
    if not isinstance(revisions, list):
        raise _bad_answer()
    changes: list[FieldChange] = []
    previous: dict[str, Any] = {}
    was_deleted = False
    ordered = sorted(revisions, key=lambda r: r.get("rev", 0) if isinstance(r, dict) else 0)
    for number, raw in enumerate(ordered):
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("fields"), dict)
            or not isinstance(raw.get("rev"), int)
            or not isinstance(raw.get("username"), str)
            or not isinstance(raw.get("at"), str)
        ):
            raise _bad_answer()
        fields, at, who, rev = raw["fields"], raw["at"], raw["username"][:100], raw["rev"]
        name = raw.get("display_name")  # servers before it answered without
        named = " ".join(name.split())[:60] if isinstance(name, str) else ""
        rows_before = len(changes)
        if number == 0:
            first = CREATED if rev == 1 else OLDEST_KEPT  # every record's versions start at 1
            changes.append(FieldChange(at, who, rev, "", first, None, None, named, table))
        else:
            for name in sorted(set(previous) | set(fields)):
                old, new = previous.get(name), fields.get(name)
                if name in QUIET_FIELDS or old == new:
                    continue
                changes.append(FieldChange(at, who, rev, name, field_name(name), old, new, named, table))
        deleted = bool(raw.get("deleted"))
        if deleted != was_deleted:
            label = Message("已删除", "Deleted")
            changes.append(FieldChange(at, who, rev, "deleted", label, was_deleted, deleted, named, table))
        if len(changes) == rows_before:
            changes.append(FieldChange(at, who, rev, "", UNCHANGED, None, None, named, table))
        previous, was_deleted = fields, deleted
    if names := _pointed_names(store, changes):
        changes = [replace(c, names=names) for c in changes]
    return sorted(changes, key=lambda c: -c.rev)


def shown_value(value: Any, lang: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return (Message("是", "Yes") if value else Message("否", "No")).text(lang)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return Message("、", ", ").text(lang).join(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def shown_fields(value: Any, lang: str | None = None) -> str:
    """An audit entry's before or after as a person reads it: a line for each field, named in words
    (服务区县：新会区、台山市), not the JSON it travels as; any other value as shown_value shows it."""
    if not isinstance(value, dict):
        return shown_value(value, lang)
    colon = Message("：", ": ").text(lang)
    return "\n".join(
        f"{field_name(str(k)).text(lang)}{colon}{shown_value(v, lang)}" for k, v in value.items()
    )
