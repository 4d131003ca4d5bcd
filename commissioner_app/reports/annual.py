"""The annual service record and assessment form (年度服务记录及考核表) of one commissioner."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from commissioner_app.agreements import progress_of
from commissioner_app.assessment import (
    Assessment,
    MemberResult,
    Period,
    assess,
    basis_sql,
    problem_solved_sql,
    visits_per_month,
)
from commissioner_app.assessment_rules import GRADES
from commissioner_app.domain import AGREED_TARGETS, AGREEMENT_STATUSES, SERVICE_TYPES, Visit, field_label
from commissioner_app.errors import NotFoundError
from commissioner_app.i18n import Message
from commissioner_app.reports.annual_photos import photos_section
from commissioner_app.reports.annual_projects import projects_section
from commissioner_app.reports.base import (
    GRID,
    HEAD_BG,
    SUB_BG,
    P,
    build_pdf,
    frame_size,
    grid_table,
    num,
    styles,
    tr,
)
from commissioner_app.reports.charts import bar_chart
from commissioner_app.reports.groups import exemplar_notes
from commissioner_app.store import Store

CONTENT_CHARS = 160  # a table row must fit on a page; the full text is on the visit's own sheet


def annual_record(
    store: Store,
    commissioner_id: str,
    year: int,
    out: Path | IO[bytes],
    *,
    assessment: Assessment | None = None,
) -> int:
    """Write one commissioner's annual record; `assessment` (the city's) may be passed in by a batch."""
    assessment = assessment or assess(store, period=Period.year(year))
    member = assessment.member(commissioner_id)
    if member is None:
        raise NotFoundError(
            Message(f"找不到科技特派员 {commissioner_id}", f"No commissioner {commissioner_id}")
        )
    return write_annual_record(store, assessment, member, out)


def write_annual_record(
    store: Store, a: Assessment, m: MemberResult, out: Path | IO[bytes], *, data_state_text: str | None = None
) -> int:
    """`data_state_text`: the footer's data state, when a batch has read it once for all documents."""
    s = styles()
    width, _ = frame_size()
    year = a.period.end.year
    title = tr(f"{year}年度科技特派员服务记录及考核表", f"S&T Commissioner Annual Service Record {year}")
    story: list[Flowable] = [
        P(title, s.title),
        P(f"{m.name} · {m.sending_unit} · {a.period.label.text()}", s.subtitle),
        P(tr("一、基本情况", "1. Profile"), s.h2),
        _profile(m, width),
        P(tr("二、考核结果", "2. Assessment") + "　" + m.status_label.text(), s.h2),
        assessment_table(a, m, width),
        Spacer(1, 1.5 * mm),
        *[
            P(note.text(), s.note)
            for note in (a.basis_note, m.satisfaction_note(a.rules), m.next_grade_gap(a.rules), *a.notes)
            if note is not None
        ],
        *exemplar_notes(store, year, m.commissioner_id),
        P(
            tr(
                f"评分细则：{a.rules.title.text()}（来源：{_source(a)}）",
                f"Rules: {a.rules.title.text()} (source: {_source(a)})",
            ),
            s.note,
        ),
        P(tr("三、服务开展情况", "3. Service by month"), s.h2),
    ]
    months = visits_per_month(store, a.period, a.basis, [m.commissioner_id])
    story.append(
        bar_chart(
            [n for _, n in months],
            [str(int(k[5:])) if k[:4] == str(year) else k for k, _ in months],
            width=width,
            height=55 * mm,
            title=tr("各月服务次数", "Visits per month"),
            axis_note=tr("月份", "month"),
        )
    )
    visits = counted_visits(store, a, m.commissioner_id)
    story.append(
        P(tr(f"四、服务记录明细（共 {len(visits)} 次）", f"4. Service records ({len(visits)})"), s.h2)
    )
    story.append(
        _visits_table(visits, width)
        if visits
        else P(tr("本期无计入考核的服务记录。", "No counted service records in the period."), s.body)
    )
    problems = solved_problems(store, a, m.commissioner_id)
    story.append(
        P(tr(f"五、解决的技术难题（共 {len(problems)} 项）", f"5. Problems solved ({len(problems)})"), s.h2)
    )
    story += (
        _problems(problems, width)
        if problems
        else [P(tr("本期无已解决的技术难题。", "No problems solved in the period."), s.body)]
    )
    story += _agreements(store, a, m.commissioner_id, width)
    story += projects_section(store, m.commissioner_id, year, width, number="七")
    summary = annual_summary_text(store, m.commissioner_id, year)
    # The summary and the signatures on one page: the signatures alone on a last page sign nothing
    # one can see (a summary longer than a page still breaks, before them).
    story.append(
        KeepTogether(
            [
                P(tr("八、年度工作总结", "8. Annual summary"), s.h2),
                P(summary or tr("（未填写）", "(not written)"), s.body),
                Spacer(1, 8 * mm),
                _signatures(width),
            ]
        )
    )
    story += photos_section(store, visits, width)
    return build_pdf(
        out,
        story,
        title=f"{title} {m.name}",
        store=store,
        subject=tr("年度考核", "Annual assessment"),
        data_state_text=data_state_text,
    )


def _source(a: Assessment) -> str:
    src = a.rules.source
    if src == "sync":
        return tr("市科技局下发", "distributed by the bureau")
    return tr("程序内置", "bundled") if src.endswith(".toml") else src


def _profile(m: MemberResult, width: float) -> Table:
    s = styles()
    rows = [
        [tr("姓名", "Name"), m.name, tr("职称", "Title"), m.title],
        [tr("派出单位", "Sending unit"), m.sending_unit, tr("联系电话", "Phone"), m.phone],
        [tr("专业特长", "Specialty"), m.specialty, tr("服务县（市、区）", "County"), m.county],
        [tr("所属科技特派团", "Team"), m.team_name, tr("所属工作站", "Workstation"), m.workstation_name],
    ]
    lw, vw = 28 * mm, (width - 56 * mm) / 2
    return grid_table(
        [[P(c, s.label if i % 2 == 0 else s.cell) for i, c in enumerate(r)] for r in rows],
        [lw, vw, lw, vw],
        header_rows=0,
        extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("BACKGROUND", (2, 0), (2, -1), HEAD_BG)],
    )


def assessment_table(a: Assessment, m: MemberResult, width: float) -> Table:
    """Targets, actual values, points and scores per indicator, part subtotals, total and grade."""
    s = styles()
    head = [
        tr("考核部分", "Part"),
        tr("考核指标", "Indicator"),
        tr("年度目标", "Target"),
        tr("完成值", "Actual"),
        tr("分值", "Points"),
        tr("上限", "Cap"),
        tr("得分", "Score"),
    ]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    for part in m.parts:
        first = len(rows)
        for ind in part.indicators:
            digits = 2 if ind.metric in ("economic_benefit", "satisfaction_mean") else 0
            rows.append(
                [
                    P(
                        tr(f"{part.name.zh}（{part.weight:g}分）", f"{part.name.en} ({part.weight:g} pts)"),
                        s.cell,
                    ),
                    P(ind.label.text(), s.cell),
                    f"{ind.target:g}",
                    num(ind.actual, digits),
                    f"{ind.points:g}",
                    f"{ind.cap:g}",
                    f"{ind.score:.1f}",
                ]
            )
        rows.append(
            ["", P(tr("小计", "Subtotal"), s.cell_right), "", "", f"{part.weight:g}", "", f"{part.score:.1f}"]
        )
        extra += [
            ("SPAN", (0, first), (0, len(rows) - 1)),
            ("BACKGROUND", (1, len(rows) - 1), (-1, len(rows) - 1), SUB_BG),
        ]
    rows.append([P(tr("总分", "Total"), s.label), "", "", "", "100", "", f"{m.total:.1f}"])
    grade = m.grade_label.text()
    if m.capped:
        grade += tr(
            f"（得分达{GRADES['excellent'].text()}，受优秀比例上限调整）",
            f" (scored {GRADES['excellent'].text()}, lowered by the share cap)",
        )
    thresholds = tr(
        f"优秀 ≥ {a.rules.excellent:g}，良好 ≥ {a.rules.good:g}，合格 ≥ {a.rules.pass_mark:g}",
        f"优秀 ≥ {a.rules.excellent:g}, 良好 ≥ {a.rules.good:g}, 合格 ≥ {a.rules.pass_mark:g}",
    )
    rows.append(
        [P(tr("考核等级", "Grade"), s.label), P(grade, s.cell), "", P(thresholds, s.cell_small), "", "", ""]
    )
    n = len(rows)
    extra += [
        ("SPAN", (0, n - 2), (3, n - 2)),
        ("SPAN", (1, n - 1), (2, n - 1)),
        ("SPAN", (3, n - 1), (-1, n - 1)),
        ("BACKGROUND", (0, n - 2), (-1, -1), HEAD_BG),
        ("ALIGN", (2, 1), (-1, -2), "RIGHT"),
    ]
    w = width
    return grid_table(
        rows,
        [w * 0.17, w * 0.31, w * 0.1, w * 0.11, w * 0.1, w * 0.1, w * 0.11],
        extra=extra,
        plain_cols=(2, 3, 4, 5, 6),
    )


def counted_visits(store: Store, a: Assessment, commissioner_id: str) -> list[dict[str, Any]]:
    """The visits the assessment counted for one commissioner, oldest first."""
    return [
        dict(r)
        for r in store.db.query(
            f"""SELECT v.id, v.visit_date, coalesce(t.name, '') AS target_name, v.county, v.town, v.village,
               v.service_types, substr(v.content, 1, {CONTENT_CHARS + 1}) AS content, v.people_trained,
               v.training_sessions, v.economic_benefit, v.confirm_satisfaction
           FROM visits v LEFT JOIN service_targets t ON t.id = v.target_id
           WHERE {basis_sql(a.basis, "v")} AND v.commissioner_id = ? AND v.visit_date BETWEEN ? AND ?
           ORDER BY v.visit_date, v.start_time, v.rowid""",
            [commissioner_id, a.period.start.isoformat(), a.period.end.isoformat()],
        )
    ]


def solved_problems(store: Store, a: Assessment, commissioner_id: str) -> list[dict[str, Any]]:
    """The problems the assessment counted as solved, each with its solutions."""
    problems = [
        dict(r)
        for r in store.db.query(
            f"""SELECT p.id, p.title, p.description, p.industry, p.solved_on,
                  coalesce(t.name, '') AS target_name
           FROM problems p LEFT JOIN service_targets t ON t.id = p.target_id
           WHERE p.deleted = 0 AND p.is_draft = 0 AND p.commissioner_id = ?
             AND p.solved_on BETWEEN ? AND ? AND {problem_solved_sql(a.basis)}
           ORDER BY p.solved_on, p.rowid""",
            [commissioner_id, a.period.start.isoformat(), a.period.end.isoformat()],
        )
    ]
    if problems:
        ids = [p["id"] for p in problems]
        sols: dict[str, list[dict[str, Any]]] = {}
        for row in store.db.query(
            f"SELECT problem_id, description, technology, outcome, economic_benefit FROM solutions "
            # `+deleted`: an index leading with `deleted` must never look better than the problem index
            f"WHERE +deleted = 0 AND problem_id IN ({','.join('?' * len(ids))}) ORDER BY rowid",
            ids,
        ):
            sols.setdefault(row["problem_id"], []).append(dict(row))
        for p in problems:
            p["solutions"] = sols.get(p["id"], [])
    return problems


def annual_summary_text(store: Store, commissioner_id: str, year: int) -> str:
    row = store.db.execute(
        "SELECT text FROM annual_summaries WHERE commissioner_id = ? AND year = ? AND deleted = 0 "
        "ORDER BY updated_at DESC LIMIT 1",
        [commissioner_id, year],
    ).fetchone()
    return (row[0] or "").strip() if row else ""


def _visits_table(visits: list[dict[str, Any]], width: float) -> Table:
    head = [
        "#",
        tr("日期", "Date"),
        tr("服务对象", "Served party"),
        tr("地点", "Place"),
        tr("服务类型", "Types"),
        tr("服务内容", "Content"),
        field_label(Visit, "people_trained").compact.text(),
        field_label(Visit, "economic_benefit").compact.text(),
        tr("满意度", "Rating"),
    ]
    rows: list[list[Any]] = [head]
    for i, v in enumerate(visits, 1):
        types = "、".join(
            SERVICE_TYPES[c].text() if c in SERVICE_TYPES else c for c in json.loads(v["service_types"])
        )
        content = v["content"]
        if len(content) > CONTENT_CHARS:
            content = content[:CONTENT_CHARS] + "…"
        rows.append(
            [
                str(i),
                v["visit_date"],
                v["target_name"],
                v["town"] or v["county"],
                types,
                content,
                str(v["people_trained"] or ""),
                f"{v['economic_benefit']:.2f}" if v["economic_benefit"] else "",
                str(v["confirm_satisfaction"] or ""),
            ]
        )
    w = width
    widths = [w * 0.045, w * 0.1, w * 0.16, w * 0.09, w * 0.12, w * 0.3, w * 0.06, w * 0.07, w * 0.055]
    return grid_table(
        rows,
        widths,
        zebra=True,
        plain_cols=(0, 1, 6, 7, 8),
        body_size=7,
        extra=[("ALIGN", (6, 1), (-1, -1), "RIGHT")],
    )


def _problems(problems: list[dict[str, Any]], width: float) -> list[Flowable]:
    head = [
        "#",
        tr("技术难题", "Problem"),
        tr("解决日期", "Solved on"),
        tr("解决方案及成效", "Solution and outcome"),
    ]
    rows: list[list[Any]] = [head]
    for i, p in enumerate(problems, 1):
        sol = "\n".join(
            x["description"]
            + (
                tr(f"（技术：{x['technology']}）", f" (technology: {x['technology']})")
                if x["technology"]
                else ""
            )
            + (tr(f"成效：{x['outcome']}", f" Outcome: {x['outcome']}") if x["outcome"] else "")
            for x in p["solutions"]
        )
        problem = f"{p['title']}（{p['target_name']}）" + (
            f"\n{p['description']}" if p["description"] else ""
        )
        rows.append([str(i), problem, p["solved_on"], sol])
    w = width
    return [
        grid_table(
            rows, [w * 0.05, w * 0.4, w * 0.11, w * 0.44], zebra=True, plain_cols=(0, 2), body_size=7.5
        )
    ]


def _signatures(width: float) -> Table:
    s = styles()
    cells = [
        P(tr("科技特派员（签字）：", "Commissioner:"), s.body),
        P(tr("派出单位意见（盖章）：", "Sending unit (stamp):"), s.body),
        P(tr("县级科技部门意见（盖章）：", "County bureau (stamp):"), s.body),
    ]
    date = P(
        tr(
            "日期：\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0年\u00a0\u00a0\u00a0\u00a0月\u00a0\u00a0\u00a0\u00a0日",
            "Date:",
        ),
        s.body,
    )
    table = Table(
        [cells, ["", "", ""], [date, date, date]], colWidths=[width / 3] * 3, rowHeights=[None, 18 * mm, None]
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, GRID),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _agreements(store: Store, a: Assessment, commissioner_id: str, width: float) -> list[Flowable]:
    """六、服务协议完成情况: each agreement of the commissioner (as its commissioner or a co-commissioner)
    whose period meets the year, with progress against each agreed target at the year's end (the one
    progress function, commissioner_app/agreements.py: approved visits within the agreement's period)."""
    s = styles()
    year_start, year_end = a.period.start, a.period.end
    found = [
        p
        for p in progress_of(
            store,
            "start_date <= ? AND end_date >= ? AND status != 'draft' AND (commissioner_id = ? "
            "OR EXISTS (SELECT 1 FROM json_each(co_commissioner_ids) WHERE value = ?))",
            [year_end.isoformat(), year_start.isoformat(), commissioner_id, commissioner_id],
            today=min(year_end, date.today()),
        )
    ]
    heading = P(
        tr(f"六、服务协议完成情况（共 {len(found)} 份）", f"6. Service agreements ({len(found)})"), s.h2
    )
    if not found:
        return [
            heading,
            P(tr("本年度无生效的服务协议。", "No service agreement in force in the year."), s.body),
        ]
    names = {r["id"]: r["name"] for r in store.db.query("SELECT id, name FROM service_targets")}
    head = [
        "#",
        tr("服务对象", "Served party"),
        tr("协议期限", "Period"),
        tr("状态", "Status"),
        tr("约定指标", "Agreed target"),
        tr("约定", "Agreed"),
        tr("完成", "Done"),
        tr("完成率", "Share"),
    ]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = [("ALIGN", (5, 1), (-1, -1), "RIGHT")]
    for n, p in enumerate(found, 1):
        ag = p.agreement
        status = AGREEMENT_STATUSES.get(ag.status, AGREEMENT_STATUSES["draft"]).text()
        if p.behind:
            status += tr("（进度落后）", " (behind)")
        items = p.items or []
        first = len(rows)
        for i, item in enumerate(items or [None]):
            cells = [
                str(n) if i == 0 else "",
                names.get(ag.target_id, "") if i == 0 else "",
                f"{ag.start_date} ~ {ag.end_date}" if i == 0 else "",
                status if i == 0 else "",
            ]
            if item is None:
                cells += [tr("（未约定可计数指标）", "(no counted target)"), "", "", ""]
            else:
                cells += [
                    AGREED_TARGETS[item.key].text(),
                    f"{item.agreed:g}",
                    f"{item.done:g}",
                    f"{min(item.ratio, 9.99) * 100:.0f}%",
                ]
                if p.behind and item in p.lagging:
                    extra.append(("TEXTCOLOR", (4, len(rows)), (-1, len(rows)), "#b35c00"))
            rows.append(cells)
        if len(rows) - first > 1:
            for col in range(4):
                extra.append(("SPAN", (col, first), (col, len(rows) - 1)))
        if ag.deliverables:
            rows.append(["", "", tr("其他约定成果", "Other deliverables"), "", ag.deliverables, "", "", ""])
            extra.append(("SPAN", (4, len(rows) - 1), (-1, len(rows) - 1)))
            extra.append(("SPAN", (2, len(rows) - 1), (3, len(rows) - 1)))
    w = width
    widths = [w * 0.05, w * 0.24, w * 0.17, w * 0.1, w * 0.16, w * 0.09, w * 0.09, w * 0.1]
    note = P(
        tr(
            "完成数按协议期内已审核通过的服务记录计算（截至年末）；协议期过半而约定指标未完成一半的标为进度落后。",
            "Done counts approved visits within the agreement's period (to the year's end); an agreement "
            "past mid-period with an agreed target under half reached is marked behind.",
        ),
        s.note,
    )
    return [heading, grid_table(rows, widths, extra=extra, plain_cols=(0, 5, 6, 7), body_size=7.5), note]
