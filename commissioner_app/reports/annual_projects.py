"""The annual record's section on 揭榜挂帅 projects and achievements transferred (成果转化): the
approved achievements of the year with their 技术交易额, and the projects the commissioner applied
for or carries, with their milestones and acceptance."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from commissioner_app import achievements
from commissioner_app.domain import (
    ACCEPTANCE_RESULTS,
    ACHIEVEMENT_KINDS,
    APPLICATION_STATUSES,
    PROJECT_STATUSES,
    TRANSFER_MODES,
)
from commissioner_app.i18n import Message
from commissioner_app.reports.base import P, grid_table, styles, tr
from commissioner_app.store import Store


def _label(table: dict[str, Message], code: str | None) -> str:
    return table[code].text() if code in table else (code or "")


def commissioner_projects(store: Store, commissioner_id: str, year: int) -> list[dict[str, Any]]:
    """Projects of the year (by deadline or acceptance) the commissioner applied for or was awarded."""
    return list(
        store.db.query(
            """SELECT p.title, p.status, p.budget, p.acceptance, a.status AS application,
               (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id AND m.deleted = 0)
                   AS milestones,
               (SELECT count(*) FROM project_milestones m WHERE m.project_id = p.id AND m.deleted = 0
                   AND m.done = 1) AS done
           FROM projects p LEFT JOIN project_applications a ON a.project_id = p.id
               AND a.commissioner_id = ? AND a.deleted = 0
           WHERE p.deleted = 0 AND (a.id IS NOT NULL OR p.awarded_commissioner_id = ?)
               AND (substr(p.deadline, 1, 4) = ? OR substr(p.accepted_on, 1, 4) = ?)
           ORDER BY p.deadline""",
            [commissioner_id, commissioner_id, str(year), str(year)],
        )
    )


ARABIC = {"五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}  # a section number in English


def projects_section(
    store: Store, commissioner_id: str, year: int, width: float, number: str
) -> list[Flowable]:
    s = styles()
    totals = achievements.totals(store, year, commissioner_id=commissioner_id)
    story: list[Flowable] = [
        P(
            tr(
                f"{number}、揭榜挂帅与成果转化",
                f"{ARABIC.get(number, number)}. Open-call projects and achievements",
            ),
            s.h2,
        ),
        P(
            tr(
                f"成果转化 {totals['count']} 项（已审核通过），技术交易额 {totals['value']:.2f} 万元"
                + (f"；另有 {totals['pending']} 项待审核，不计入" if totals["pending"] else "")
                + "。",
                f"{totals['count']} achievements transferred (approved), technology transactions "
                f"{totals['value']:.2f} (10k yuan)"
                + (
                    f"; {totals['pending']} more wait for review and do not count"
                    if totals["pending"]
                    else ""
                )
                + ".",
            ),
            s.body,
        ),
    ]
    rows = [
        r
        for r in achievements.achievement_rows(store, year=year, commissioner_id=commissioner_id)
        if r["review_status"] == achievements.COUNTED
    ]
    if rows:
        table: list[list[Any]] = [
            [
                "#",
                tr("合同日期", "Date"),
                tr("成果名称", "Achievement"),
                tr("类型·方式", "Kind, mode"),
                tr("受让方", "Transferee"),
                tr("技术合同编号", "Contract"),
                tr("金额（万元）", "Value (10k yuan)"),
            ]
        ]
        for i, r in enumerate(rows, 1):
            table.append(
                [
                    str(i),
                    r["contract_date"],
                    r["title"],
                    f"{_label(ACHIEVEMENT_KINDS, r['kind'])}·{_label(TRANSFER_MODES, r['mode'])}",
                    r["transferee"],
                    r["contract_no"],
                    f"{r['contract_value']:.2f}",
                ]
            )
        w = width
        story.append(
            grid_table(
                table,
                [w * 0.05, w * 0.11, w * 0.24, w * 0.09, w * 0.19, w * 0.2, w * 0.12],
                zebra=True,
                plain_cols=(0, 1, 5, 6),
                body_size=7.5,
                extra=[("ALIGN", (6, 1), (6, -1), "RIGHT")],
            )
        )
    projects = commissioner_projects(store, commissioner_id, year)
    if projects:
        table = [
            [
                "#",
                tr("揭榜项目", "Project"),
                tr("本人申请", "My application"),
                tr("项目状态", "Status"),
                tr("节点完成", "Milestones done"),
                tr("验收", "Acceptance"),
            ]
        ]
        for i, p in enumerate(projects, 1):
            table.append(
                [
                    str(i),
                    p["title"],
                    _label(APPLICATION_STATUSES, p["application"]),
                    _label(PROJECT_STATUSES, p["status"]),
                    f"{p['done']}/{p['milestones']}",
                    _label(ACCEPTANCE_RESULTS, p["acceptance"] or ""),
                ]
            )
        w = width
        story.append(Spacer(1, 2 * mm))
        story.append(P(tr("参与的揭榜挂帅项目", "Open-call projects taken part in"), s.body))
        story.append(
            grid_table(
                table, [w * 0.05, w * 0.4, w * 0.13, w * 0.16, w * 0.12, w * 0.14], zebra=True, body_size=7.5
            )
        )
    return story
