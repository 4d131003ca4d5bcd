"""The export's sheets 揭榜项目 (open-call projects) and 成果转化 (achievements transferred), for the
bureau's yearly lists: typed values (numbers as numbers, dates as dates), one row per record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from commissioner_app.domain import (
    ACCEPTANCE_RESULTS,
    ACHIEVEMENT_KINDS,
    PROJECT_STATUSES,
    REVIEW_STATUSES,
    TRANSFER_MODES,
)
from commissioner_app.i18n import Message
from commissioner_app.store import Store

if TYPE_CHECKING:
    from commissioner_app.exports import Sheet


def _label(table: dict[str, Message], code: str | None) -> str:
    if code is None:
        return ""
    return table[code].text() if code in table else code


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def project_sheets(store: Store, start: date, end: date) -> list[Sheet]:
    """Projects whose application deadline is in the period; achievements whose contract is."""
    from commissioner_app.exports import Sheet, _c

    yes, no = Message("是", "yes").text(), Message("否", "no").text()
    period = [start.isoformat(), end.isoformat()]

    def projects() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            """SELECT p.id, p.title, p.industry, p.county, p.budget, p.deadline, p.status,
                   (SELECT count(*) FROM project_applications a WHERE a.project_id = p.id AND a.deleted = 0),
                   coalesce(c.name, ''), coalesce(t.name, ''),
                   (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id AND m.deleted = 0),
                   (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id AND m.deleted = 0
                       AND m.done = 1),
                   (SELECT count(*) FROM visits v WHERE v.project_id = p.id AND v.deleted = 0),
                   (SELECT count(*) FROM problems q WHERE q.project_id = p.id AND q.deleted = 0),
                   p.acceptance, p.acceptance_opinion, p.accepted_on, p.requirements
               FROM projects p LEFT JOIN commissioners c ON c.id = p.awarded_commissioner_id
               LEFT JOIN teams t ON t.id = p.awarded_team_id
               WHERE p.deleted = 0 AND p.deadline BETWEEN ? AND ? ORDER BY p.deadline, p.rowid""",
            period,
        )
        for r in cursor:
            yield [
                r[0],
                r[1],
                r[2],
                r[3],
                float(r[4] or 0),
                _date(r[5]),
                _label(PROJECT_STATUSES, r[6]),
                int(r[7]),
                r[8],
                r[9],
                int(r[10]),
                int(r[11]),
                int(r[12]),
                int(r[13]),
                _label(ACCEPTANCE_RESULTS, r[14] or ""),
                r[15],
                _date(r[16]),
                r[17],
            ]

    def achievements() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            """SELECT a.id, a.title, a.kind, a.mode, a.contract_no, a.contract_value, a.contract_date,
                   a.transferor, a.transferee, coalesce(t.name, ''), coalesce(t.county, ''),
                   coalesce(c.name, ''), a.visit_ids, a.problem_ids, coalesce(p.title, ''), a.review_status
               FROM achievements a LEFT JOIN commissioners c ON c.id = a.commissioner_id
               LEFT JOIN service_targets t ON t.id = a.target_id
               LEFT JOIN projects p ON p.id = a.project_id
               WHERE a.deleted = 0 AND a.is_draft = 0 AND a.contract_date BETWEEN ? AND ?
               ORDER BY a.contract_date, a.rowid""",
            period,
        )
        for r in cursor:
            yield [
                r[0],
                r[1],
                _label(ACHIEVEMENT_KINDS, r[2]),
                _label(TRANSFER_MODES, r[3]),
                r[4],
                float(r[5] or 0),
                _date(r[6]),
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                len(json.loads(r[12] or "[]")),
                len(json.loads(r[13] or "[]")),
                r[14],
                _label(REVIEW_STATUSES, r[15]),
                yes if r[15] == "approved" else no,
            ]

    return [
        Sheet(
            "projects",
            Message("揭榜项目", "Open-call projects"),
            [
                _c("项目编号", "Project id", 12),
                _c("项目名称", "Project", 28),
                _c("所属产业", "Industry", 12),
                _c("县（市、区）", "County", 10),
                _c("经费（万元）", "Budget (10k yuan)", 12, "float"),
                _c("申请截止日期", "Deadline", 12, "date"),
                _c("状态", "Status", 12),
                _c("申请数", "Applications", 8, "int"),
                _c("中榜科技特派员", "Awarded commissioner", 12),
                _c("中榜科技特派团", "Awarded team", 20),
                _c("节点数", "Milestones", 8, "int"),
                _c("已完成节点", "Milestones done", 10, "int"),
                _c("关联服务记录", "Linked visits", 10, "int"),
                _c("关联技术难题", "Linked problems", 10, "int"),
                _c("验收结论", "Acceptance", 10),
                _c("验收意见", "Acceptance opinion", 30),
                _c("验收日期", "Accepted on", 12, "date"),
                _c("揭榜要求", "Requirements", 40),
            ],
            projects,
        ),
        Sheet(
            "achievements",
            Message("成果转化", "Achievements transferred"),
            [
                _c("记录编号", "Record id", 12),
                _c("成果名称", "Achievement", 28),
                _c("成果类型", "Kind", 8),
                _c("转化方式", "Mode", 8),
                _c("技术合同编号", "Contract number", 20),
                _c("合同金额（万元）", "Contract value (10k yuan)", 14, "float"),
                _c("合同日期", "Contract date", 12, "date"),
                _c("转让方（许可方）", "Transferor (licensor)", 20),
                _c("受让方（被许可方）", "Transferee (licensee)", 20),
                _c("服务对象", "Served party", 24),
                _c("县（市、区）", "County", 10),
                _c("科技特派员", "Commissioner", 10),
                _c("关联服务记录数", "Linked visits", 10, "int"),
                _c("关联技术难题数", "Linked problems", 10, "int"),
                _c("揭榜项目", "Open-call project", 20),
                _c("审核状态", "Review", 10),
                _c("计入统计", "Counted", 9),
            ],
            achievements,
        ),
    ]
