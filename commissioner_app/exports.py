"""Exports for the bureau: one Excel workbook (visits, problems, solutions, targets, assessment) or
one CSV file per sheet (UTF-8 with BOM, so that Excel opens the Chinese correctly; text that Excel would
run as a formula starts with an apostrophe).

Rows stream from SQL into XlsxWriter in constant_memory mode (commissioner_app.xlsx_writer), so
100,000 visits need little memory.
Dates are written as dates, numbers as numbers and text as text, never as a formula. Every completed
record of the period is exported with its review and sync state and whether the assessment counted it,
so each figure of the assessment sheet can be traced back to rows of the other sheets.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from commissioner_app.assessment import (
    Assessment,
    Period,
    assess,
    basis_sql,
    group_ranks,
    member_ranks,
    problem_solved_sql,
)
from commissioner_app.assessment_rules import METRICS
from commissioner_app.domain import (
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    REVIEW_STATUSES,
    SERVICE_TYPES,
    TARGET_TYPES,
    URGENCIES,
    VISIT_COUNTERS,
    Solution,
    Visit,
    field_label,
)
from commissioner_app.errors import CommissionerError, os_reason
from commissioner_app.exports_projects import project_sheets
from commissioner_app.i18n import Message
from commissioner_app.store import SYNC_STATE_SQL, SYNC_STATES, Store
from commissioner_app.xlsx_writer import XlsxWriter

log = logging.getLogger("commissioner.exports")


@dataclass(frozen=True)
class Column:
    header: Message
    width: float
    kind: str = "text"  # text, int, float, date


@dataclass
class Sheet:
    name: str  # file name for CSV
    title: Message  # sheet title
    columns: list[Column]
    rows: Callable[[], Iterator[list[Any]]]


def _c(zh: str, en: str, width: float = 12, kind: str = "text") -> Column:
    return Column(Message(zh, en), width, kind)


def _label(table: dict[str, Message], code: str | None) -> str:
    if code is None:
        return ""
    return table[code].text() if code in table else code


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def sheets(store: Store, a: Assessment) -> list[Sheet]:
    """The export's sheets for an assessment's period; rows are produced lazily."""
    start, end = a.period.start.isoformat(), a.period.end.isoformat()
    counted = basis_sql(a.basis, "v")
    yes, no = Message("是", "yes").text(), Message("否", "no").text()

    counters = ", ".join(f"v.{name}" for name in VISIT_COUNTERS)  # the columns' order

    def visits() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            f"""SELECT v.id, v.visit_date, v.start_time, v.end_time, coalesce(c.name, ''),
                   coalesce(c.sending_unit, ''), coalesce(t.name, ''), t.type, v.county, v.town, v.village,
                   v.industry, v.service_types,
                   v.content, {counters}, v.economic_benefit,
                   v.confirm_contact, v.confirm_satisfaction, v.confirm_remark, v.review_status,
                   {SYNC_STATE_SQL.format(p="v.")}, ({counted})
               FROM visits v LEFT JOIN commissioners c ON c.id = v.commissioner_id
               LEFT JOIN service_targets t ON t.id = v.target_id
               WHERE v.deleted = 0 AND v.is_draft = 0 AND v.visit_date BETWEEN ? AND ?
               ORDER BY v.visit_date, v.start_time, v.rowid""",
            [start, end],
        )
        for r in cursor:
            types = "、".join(_label(SERVICE_TYPES, code) for code in json.loads(r[12] or "[]"))
            yield [
                r[0],
                _date(r[1]),
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                _label(TARGET_TYPES, r[7]),
                r[8],
                r[9],
                r[10],
                r[11],
                types,
                r[13],
                *r[14:21],
                r[21],
                r[22],
                r[23],
                r[24],
                _label(REVIEW_STATUSES, r[25]),
                _label(SYNC_STATES, r[26]),
                yes if r[27] else no,
            ]

    def problems() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            f"""SELECT p.id, p.title, p.description, p.industry, coalesce(t.name, ''), coalesce(c.name, ''),
                   p.source, p.urgency, p.status, p.status_reason, p.raised_on, p.solved_on,
                   (SELECT count(*) FROM solutions s WHERE s.problem_id = p.id AND +s.deleted = 0),
                   p.visit_id, (p.solved_on BETWEEN ?1 AND ?2 AND {problem_solved_sql(a.basis)})
               FROM problems p LEFT JOIN service_targets t ON t.id = p.target_id
               LEFT JOIN commissioners c ON c.id = p.commissioner_id
               WHERE p.deleted = 0 AND p.is_draft = 0
                 AND (p.raised_on BETWEEN ?1 AND ?2 OR p.solved_on BETWEEN ?1 AND ?2)
               ORDER BY p.raised_on, p.rowid""",
            [start, end],
        )
        for r in cursor:
            yield [
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                _label(PROBLEM_SOURCES, r[6]),
                _label(URGENCIES, r[7]),
                _label(PROBLEM_STATUSES, r[8]),
                r[9],
                _date(r[10]),
                _date(r[11]),
                r[12],
                r[13] or "",
                yes if r[14] else no,
            ]

    def solutions() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            """SELECT s.id, coalesce(p.title, ''), coalesce(c.name, ''), s.description, s.technology,
                   s.outcome,
                   s.economic_benefit, s.confirmed, v.visit_date, s.visit_id, s.problem_id
               FROM solutions s JOIN problems p ON p.id = s.problem_id
               LEFT JOIN commissioners c ON c.id = s.commissioner_id LEFT JOIN visits v ON v.id = s.visit_id
               WHERE s.deleted = 0 AND s.is_draft = 0 AND p.deleted = 0 AND p.is_draft = 0
                 AND (p.raised_on BETWEEN ?1 AND ?2 OR p.solved_on BETWEEN ?1 AND ?2)
               ORDER BY p.raised_on, s.rowid""",
            [start, end],
        )
        for r in cursor:
            yield [
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                yes if r[7] else no,
                _date(r[8]),
                r[9] or "",
                r[10],
            ]

    def targets() -> Iterator[list[Any]]:
        cursor = store.db.execute(
            # One grouped pass over the period's visits: a per-target subquery let SQLite pick the
            # date index and scan the period once per target (minutes on 100,000 visits).
            """SELECT t.id, t.name, t.type, t.county, t.town, t.village, t.industry, t.contact_name,
                   t.contact_phone, t.credit_code, t.address, coalesce(n.visits, 0)
               FROM service_targets t LEFT JOIN (
                   SELECT target_id, count(*) AS visits FROM visits
                   WHERE deleted = 0 AND is_draft = 0 AND visit_date BETWEEN ? AND ? GROUP BY target_id
               ) n ON n.target_id = t.id
               WHERE t.deleted = 0 AND t.is_draft = 0
               ORDER BY zh_key(t.county), zh_key(t.town), zh_key(t.name)""",
            [start, end],
        )
        for r in cursor:
            yield [r[0], r[1], _label(TARGET_TYPES, r[2]), *r[3:12]]

    metric_keys = [
        "visits",
        "service_days",
        "training_sessions",
        "people_trained",
        "problems_raised",
        "problems_solved",
        "techniques_promoted",
        "varieties_introduced",
        "economic_benefit",
        "satisfaction_mean",
        "jobs_created",
    ]
    part_names = [p.name for p in a.rules.parts]

    def assessment_rows() -> Iterator[list[Any]]:
        for rank, m in zip(member_ranks(a.members), a.members, strict=True):
            values = [m.figures.value(k) for k in metric_keys]
            values = [
                round(v, 2)
                if isinstance(v, float) and k in ("economic_benefit", "satisfaction_mean")
                else (int(v) if isinstance(v, float) else v)
                for k, v in zip(metric_keys, values, strict=True)
            ]
            yield [
                rank,
                m.commissioner_id,
                m.name,
                m.sending_unit,
                m.team_name,
                m.workstation_name,
                m.county,
                *values,
                *[round(p.score, 1) for p in m.parts],
                round(m.total, 1),
                m.grade_label.text(),
                yes if m.capped else no,
            ]

    return [
        Sheet(
            "visits",
            Message("服务记录", "Visits"),
            [
                _c("记录编号", "Record id", 12),
                _c("服务日期", "Date", 12, "date"),
                _c("开始时间", "Start", 8),
                _c("结束时间", "End", 8),
                _c("科技特派员", "Commissioner", 10),
                _c("派出单位", "Sending unit", 22),
                _c("服务对象", "Served party", 28),
                _c("对象类型", "Target type", 12),
                _c("县（市、区）", "County", 10),
                _c("镇（街道）", "Town", 10),
                _c("村（社区）", "Village", 10),
                _c("所属产业", "Industry", 12),
                _c("服务类型", "Service types", 24),
                _c("服务内容", "Content", 50),
                *[Column(label, 10, "int") for label in VISIT_COUNTERS.values()],
                Column(field_label(Visit, "economic_benefit").heading, 12, "float"),
                _c("服务对象联系人", "Contact", 10),
                _c("满意度（1–5）", "Satisfaction (1–5)", 10, "int"),
                _c("评价意见", "Remark", 20),
                _c("审核状态", "Review", 10),
                _c("同步状态", "Sync", 10),
                _c("计入考核", "Counted", 9),
            ],
            visits,
        ),
        Sheet(
            "problems",
            Message("技术难题", "Problems"),
            [
                _c("难题编号", "Problem id", 12),
                _c("标题", "Title", 24),
                _c("描述", "Description", 40),
                _c("所属产业", "Industry", 12),
                _c("服务对象", "Served party", 28),
                _c("科技特派员", "Commissioner", 10),
                _c("来源", "Source", 14),
                _c("紧急程度", "Urgency", 9),
                _c("状态", "Status", 10),
                _c("原因说明", "Reason", 24),
                _c("提出日期", "Raised on", 12, "date"),
                _c("解决日期", "Solved on", 12, "date"),
                _c("解决方案数", "Solutions", 10, "int"),
                _c("关联服务记录", "Visit id", 12),
                _c("计入考核（已解决）", "Counted as solved", 12),
            ],
            problems,
        ),
        Sheet(
            "solutions",
            Message("解决方案", "Solutions"),
            [
                _c("方案编号", "Solution id", 12),
                _c("技术难题", "Problem", 24),
                _c("科技特派员", "Commissioner", 10),
                _c("方案描述", "Description", 44),
                _c("采用技术", "Technology", 20),
                _c("成效", "Outcome", 16),
                Column(field_label(Solution, "economic_benefit").heading, 12, "float"),
                _c("服务对象确认", "Confirmed", 10),
                _c("服务日期", "Visit date", 12, "date"),
                _c("关联服务记录", "Visit id", 12),
                _c("难题编号", "Problem id", 12),
            ],
            solutions,
        ),
        Sheet(
            "targets",
            Message("服务对象", "Service targets"),
            [
                _c("对象编号", "Target id", 12),
                _c("名称", "Name", 30),
                _c("类型", "Type", 12),
                _c("县（市、区）", "County", 10),
                _c("镇（街道）", "Town", 10),
                _c("村（社区）", "Village", 10),
                _c("所属产业", "Industry", 12),
                _c("联系人", "Contact", 10),
                _c("联系电话", "Phone", 14),
                _c("统一社会信用代码", "Credit code", 22),
                _c("地址", "Address", 30),
                _c("本期服务次数", "Visits in the period", 12, "int"),
            ],
            targets,
        ),
        Sheet(
            "assessment",
            Message("考核结果", "Assessment"),
            [
                _c("排名", "Rank", 6, "int"),
                _c("特派员编号", "Commissioner id", 12),
                _c("姓名", "Name", 10),
                _c("派出单位", "Sending unit", 22),
                _c("科技特派团", "Team", 24),
                _c("工作站", "Workstation", 20),
                _c("县（市、区）", "County", 10),
                *[
                    Column(
                        METRICS[k], 12, "float" if k in ("economic_benefit", "satisfaction_mean") else "int"
                    )
                    for k in metric_keys
                ],
                *[Column(Message(f"{n.zh}得分", f"{n.en} score"), 12, "float") for n in part_names],
                _c("总分", "Total", 9, "float"),
                _c("考核等级", "Grade", 9),
                _c("受优秀比例调整", "Lowered by the cap", 12),
            ],
            assessment_rows,
        ),
        *project_sheets(store, a.period.start, a.period.end),
        *group_sheets(store, a),
    ]


def group_sheets(store: Store, a: Assessment) -> list[Sheet]:
    """团队考核 and 工作站考核: each team's and workstation's indicators, bonus and total (numbers as
    numbers), by the year's rules; computed from the same assessment as the commissioners' sheet."""
    from commissioner_app.assessment import assess_groups, served_by
    from commissioner_app.assessment_rules import GROUP_METRICS

    found: list[Sheet] = []
    served: list[Any] = []  # served_by(), read once for both sheets when the first one is written
    for kind, name, title, noun in (
        ("team", "team_assessment", Message("团队考核", "Team assessment"), Message("科技特派团", "Team")),
        (
            "workstation",
            "workstation_assessment",
            Message("工作站考核", "Workstation assessment"),
            Message("工作站", "Workstation"),
        ),
    ):
        indicators = a.rules.group(kind).indicators

        def rows(kind: str = kind) -> Iterator[list[Any]]:
            if not served:
                served.append(served_by(store, a))
            groups = assess_groups(store, a, kind, served[0])
            for rank, r in zip(group_ranks(groups), groups, strict=True):
                yield [
                    rank,
                    r.group_id,
                    r.name,
                    r.county,
                    r.members,
                    r.active_members,
                    *[
                        v
                        for s in r.indicators
                        for v in (None if s.actual is None else round(s.actual, 2), round(s.score, 2))
                    ],
                    round(r.base, 2),
                    round(r.bonus_claimed, 2),
                    round(r.bonus_cap, 2),
                    round(r.bonus, 2),
                    sum(1 for b in r.bonus_items if b.status == "pending"),
                    round(r.total, 2),
                    r.grade_label.text(),
                ]

        found.append(
            Sheet(
                name,
                title,
                [
                    _c("排名", "Rank", 6, "int"),
                    Column(Message(f"{noun.zh}编号", f"{noun.en} id"), 12),
                    Column(Message("名称", "Name"), 26),
                    _c("县（市、区）", "County", 10),
                    _c("成员（人）", "Members", 8, "int"),
                    _c("在岗服务成员（人）", "Members serving", 10, "int"),
                    *[
                        col
                        for ind in indicators
                        for col in (
                            Column(GROUP_METRICS[ind.metric], 12, "float"),
                            Column(
                                Message(
                                    f"{GROUP_METRICS[ind.metric].zh.split('（')[0]}得分",
                                    f"{GROUP_METRICS[ind.metric].en} score",
                                ),
                                10,
                                "float",
                            ),
                        )
                    ],
                    _c("指标得分", "Indicator score", 10, "float"),
                    _c("已通过加分", "Approved bonus", 10, "float"),
                    _c("加分上限", "Bonus cap", 9, "float"),
                    _c("计入加分", "Bonus counted", 9, "float"),
                    _c("待审核加分项", "Bonuses pending", 10, "int"),
                    _c("总分", "Total", 9, "float"),
                    _c("考核等级", "Grade", 9),
                ],
                rows,
            )
        )
    return found


def export_xlsx(
    store: Store,
    year: int | None,
    out: Path,
    *,
    period: Period | None = None,
    assessment: Assessment | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write the workbook; returns rows written per sheet. An existing file is replaced only on success."""
    a = assessment or assess(store, period=period or Period.year(year or date.today().year))
    counts: dict[str, int] = {}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with XlsxWriter(out) as book:
            for sheet in sheets(store, a):
                n = book.add_sheet(
                    sheet.title.text(),
                    [c.header.text() for c in sheet.columns],
                    [c.width for c in sheet.columns],
                    sheet.rows(),
                )
                counts[sheet.name] = n
                if progress:
                    progress(sheet.name, n)
    except OSError as exc:
        raise CommissionerError(
            Message(
                f"无法写入文件 {out}：{os_reason(exc).zh}",
                f"Cannot write the file {out}: {os_reason(exc).en}",
            )
        ) from None
    return counts


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    """A CSV field. Excel opens a CSV as if each field were typed, so text starting like a formula
    (=HYPERLINK(...), +1, -1, @SUM) would run as one: such text gets a leading apostrophe, which
    makes Excel take the rest as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value.isoformat() if isinstance(value, date) else value


def export_csv(
    store: Store,
    year: int | None,
    folder: Path,
    *,
    period: Period | None = None,
    assessment: Assessment | None = None,
) -> dict[str, Path]:
    """One CSV file per sheet in `folder` (visits.csv, problems.csv, ...), UTF-8 with BOM."""
    a = assessment or assess(store, period=period or Period.year(year or date.today().year))
    written: dict[str, Path] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for sheet in sheets(store, a):
            path = folder / f"{sheet.name}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow([c.header.text() for c in sheet.columns])
                for row in sheet.rows():
                    writer.writerow([_csv_value(v) for v in row])
            written[sheet.name] = path
    except OSError as exc:
        raise CommissionerError(
            Message(
                f"无法写入 {folder}：{os_reason(exc).zh}",
                f"Cannot write to {folder}: {os_reason(exc).en}",
            )
        ) from None
    return written
