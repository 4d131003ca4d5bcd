"""Summaries for managers and the bureau: a team or workstation, and the city by county and industry."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from commissioner_app.assessment import (
    Assessment,
    Figures,
    activity_by,
    assess_groups,
    member_ranks,
    visits_per_month,
)
from commissioner_app.assessment_rules import GRADES
from commissioner_app.domain import Visit, field_label
from commissioner_app.reports import groups
from commissioner_app.reports.base import (
    HEAD_BG,
    P,
    build_pdf,
    frame_size,
    grid_table,
    num,
    styles,
    tr,
)
from commissioner_app.reports.charts import bar_chart
from commissioner_app.store import Store

TOP_INDUSTRIES = 15


def group_summary(store: Store, a: Assessment, out: Path | IO[bytes]) -> int:
    """A team's, workstation's or county's summary: figures, grades, monthly chart, members."""
    s = styles()
    width, _ = frame_size()
    year = a.period.end.year
    kind = {
        "team": tr("科技特派团", "team"),
        "workstation": tr("工作站", "workstation"),
        "county": tr("县（市、区）", "county"),
    }.get(a.scope.kind, "")
    title = tr(f"{year}年度{a.scope_name}工作汇总", f"{a.scope_name}: summary of {year}")
    story: list[Flowable] = [
        P(title, s.title),
        P(
            f"{kind}  ·  {a.period.label.text()}  ·  "
            + tr(f"成员 {len(a.members)} 人", f"{len(a.members)} members"),
            s.subtitle,
        ),
        P(tr("一、总体情况", "1. Overview"), s.h2),
        _overview(a, width),
        *_notes(a),
        P(tr("二、服务开展与考核等级", "2. Service and grades"), s.h2),
        _charts_row(store, a, width),
        P(tr(f"三、成员考核情况（{len(a.members)} 人）", f"3. Members ({len(a.members)})"), s.h2),
        *members_table(a, width),
    ]
    story += groups.group_result_section(
        store, a, tr(f"四、{kind}考核（含加分项）", f"4. The {kind}'s own assessment (with bonuses)")
    )
    return build_pdf(out, story, title=title, store=store, subject=tr("工作汇总", "Summary"))


def city_summary(store: Store, a: Assessment, out: Path | IO[bytes], area: str = "") -> int:
    """The city summary: progress toward the plan, figures by county and by industry, grades.
    `area`: a county bureau's county, whose store holds that county's records only (the summary of
    all of them, titled with the county rather than the city)."""
    s = styles()
    width, _ = frame_size()
    year = a.period.end.year
    title = (
        tr(f"{year}年度{area}科技特派员工作汇总", f"{area}: summary of S&T commissioners {year}")
        if area
        else tr(f"{year}年度全市科技特派员工作汇总", f"City summary of S&T commissioners {year}")
    )
    story: list[Flowable] = [
        P(title, s.title),
        P(
            a.period.label.text()
            + "  ·  "
            + tr(f"参评科技特派员 {len(a.members)} 人", f"{len(a.members)} commissioners assessed"),
            s.subtitle,
        ),
        P(tr("一、实施方案目标完成情况", "1. Progress toward the plan's targets"), s.h2),
        _progress(a, width),
        P(tr("二、总体情况", "2. Overview"), s.h2),
        _overview(a, width),
        *_notes(a),
    ]
    counties = activity_by(store, a.period, a.basis, "county")
    unknown = tr("未填", "unknown")
    county_chart = bar_chart(
        [r.visits for r in counties],
        [r.key or unknown for r in counties],
        width=width,
        height=58 * mm,
        title=tr("各县（市、区）服务次数", "Visits by county"),
    )
    story += [
        KeepTogether([P(tr("三、分县（市、区）情况", "3. By county"), s.h2), county_chart]),
        Spacer(1, 2 * mm),
        activity_table(counties, width, tr("县（市、区）", "County")),
    ]
    industries = activity_by(store, a.period, a.basis, "industry")
    top = list(reversed(industries[:TOP_INDUSTRIES]))
    industry_chart = bar_chart(
        [r.visits for r in top],
        [r.key or unknown for r in top],
        width=width,
        height=(16 + 6 * len(top)) * mm,
        horizontal=True,
        title=tr(f"服务次数最多的 {len(top)} 个产业", f"Top {len(top)} industries by visits"),
    )
    story += [
        KeepTogether([P(tr("四、分产业情况", "4. By industry"), s.h2), industry_chart]),
        Spacer(1, 2 * mm),
        activity_table(industries, width, tr("产业", "Industry")),
    ]
    story += [
        KeepTogether([P(tr("五、考核等级分布", "5. Grades"), s.h2), _grades_table(a, width)]),
        KeepTogether([P(tr("六、分科技特派团情况", "6. By team"), s.h2), _teams_table(a, width)]),
        P(tr("七、年度清单分县完成情况", "7. The yearly list by county"), s.h2),
        groups.county_progress_table(groups.county_lines(store, a), width),
        KeepTogether(
            [
                P(tr("八、科技特派团考核", "8. Team assessment"), s.h2),
                groups.groups_table(assess_groups(store, a, "team"), width, tr("科技特派团", "Team")),
            ]
        ),
        KeepTogether(
            [
                P(tr("九、科技特派员工作站考核", "9. Workstation assessment"), s.h2),
                groups.groups_table(
                    assess_groups(store, a, "workstation"), width, tr("工作站", "Workstation")
                ),
            ]
        ),
    ]
    subject = tr(f"{area}工作汇总", f"{area} summary") if area else tr("全市工作汇总", "City summary")
    return build_pdf(out, story, title=title, store=store, subject=subject)


def _notes(a: Assessment) -> list[Flowable]:
    s = styles()
    return [Spacer(1, 1.5 * mm), *[P(n.text(), s.note) for n in (a.basis_note, *a.notes)]]


def _heading(name: str) -> str:
    """A visit field's label with its unit, as the domain defines it."""
    return field_label(Visit, name).heading.text()


def _compact(name: str) -> str:
    return field_label(Visit, name).compact.text()


def _overview(a: Assessment, width: float) -> Flowable:
    t: Figures = a.totals
    mean = a.mean_total
    items = [
        (tr("成员人数", "Members"), num(len(a.members))),
        (tr("开展服务人数", "Active members"), num(a.active_members)),
        (tr("服务次数", "Visits"), num(t.visits)),
        (tr("服务人天", "Person-days"), num(t.service_days)),
        (_heading("training_sessions"), num(t.training_sessions)),
        (_heading("people_trained"), num(t.people_trained)),
        (tr("发现技术难题（项）", "Problems raised"), num(t.problems_raised)),
        (tr("解决技术难题（项）", "Problems solved"), num(t.problems_solved)),
        (_heading("techniques_promoted"), num(t.techniques_promoted)),
        (_heading("varieties_introduced"), num(t.varieties_introduced)),
        (_heading("economic_benefit"), num(t.economic_benefit, 2)),
        (tr("平均满意度", "Mean satisfaction"), num(t.satisfaction_mean, 2)),
        (
            tr("满意度评价（服务对象自评）", "Ratings (the served party's own)"),
            f"{t.satisfaction_count} ({t.satisfaction_from_party})",  # the value cells are in a Latin font
        ),
        (_heading("jobs_created"), num(t.jobs_created)),
        (tr("平均得分", "Mean score"), num(mean, 1)),
    ]
    rows = []
    for i in range(0, len(items), 3):
        chunk = items[i : i + 3] + [("", "")] * (3 - len(items[i : i + 3]))
        rows.append([x for pair in chunk for x in pair])
    lw, vw = width * 0.2, width * 0.1333
    return grid_table(
        rows,
        [lw, vw] * 3,
        header_rows=0,
        plain_cols=(1, 3, 5),
        extra=[("BACKGROUND", (c, 0), (c, -1), HEAD_BG) for c in (0, 2, 4)]
        + [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in (1, 3, 5)],
    )


def _progress(a: Assessment, width: float) -> Flowable:
    rows: list[list[Any]] = [
        [
            tr("指标", "Indicator"),
            tr("本期完成", "Achieved"),
            tr("方案目标", "Plan target"),
            tr("完成比例", "Share"),
        ]
    ]
    for p in a.progress():
        rows.append([p.label.text(), num(p.actual), num(p.target), f"{p.ratio * 100:.1f}%"])
    table = grid_table(
        rows,
        [width * 0.46, width * 0.18, width * 0.18, width * 0.18],
        plain_cols=(1, 2, 3),
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )
    chart = bar_chart(
        [round(p.ratio * 100, 1) for p in a.progress()],
        [p.label.text() for p in a.progress()],
        width=width,
        height=34 * mm,
        horizontal=True,
        title=tr("目标完成比例（%）", "Share of the target reached (%)"),
    )
    return KeepTogether([table, Spacer(1, 2 * mm), chart])


def activity_table(rows_in: list[Any], width: float, key_label: str) -> Flowable:
    head = [
        key_label,
        tr("服务次数", "Visits"),
        tr("特派员人数", "Commissioners"),
        tr("服务人天", "Person-days"),
        _compact("training_sessions"),
        _compact("people_trained"),
        tr("解决难题", "Solved"),
        _compact("economic_benefit"),
    ]
    rows: list[list[Any]] = [head]
    for r in rows_in:
        rows.append(
            [
                r.key or tr("未填", "unknown"),
                num(r.visits),
                num(r.commissioners),
                num(r.service_days),
                num(r.training_sessions),
                num(r.people_trained),
                num(r.problems_solved),
                num(r.economic_benefit, 2),
            ]
        )
    w = width
    return grid_table(
        rows,
        [w * 0.23] + [w * 0.11] * 7,
        zebra=True,
        plain_cols=tuple(range(1, 8)),
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )


def _grades_table(a: Assessment, width: float) -> Flowable:
    counts = a.grade_counts()
    n = max(1, len(a.members))
    rows: list[list[Any]] = [[tr("等级", "Grade"), tr("人数", "Commissioners"), tr("占比", "Share")]]
    for key, label in GRADES.items():
        rows.append([label.text(), num(counts[key]), f"{counts[key] / n * 100:.1f}%"])
    table = grid_table(
        rows,
        [width * 0.3, width * 0.2, width * 0.2],
        plain_cols=(1, 2),
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )
    chart = bar_chart(
        [counts[k] for k in GRADES],
        [g.text() for g in GRADES.values()],
        width=width,
        height=45 * mm,
        title=tr("考核等级分布（人）", "Commissioners per grade"),
    )
    return KeepTogether([table, Spacer(1, 2 * mm), chart])


def _teams_table(a: Assessment, width: float) -> Flowable:
    teams: dict[str, list[Any]] = {}
    for m in a.members:
        teams.setdefault(m.team_name or tr("未加入特派团", "no team"), []).append(m)
    head = [
        tr("科技特派团", "Team"),
        tr("人数", "Members"),
        tr("服务次数", "Visits"),
        tr("解决难题", "Solved"),
        tr("平均得分", "Mean score"),
    ] + [g.text() for g in GRADES.values()]
    rows: list[list[Any]] = [head]
    for name, members in sorted(teams.items()):
        grades = [sum(1 for m in members if m.grade == k) for k in GRADES]
        rows.append(
            [
                name,
                num(len(members)),
                num(sum(m.figures.visits for m in members)),
                num(sum(m.figures.problems_solved for m in members)),
                num(sum(m.total for m in members) / len(members), 1),
                *[num(g) for g in grades],
            ]
        )
    w = width
    return grid_table(
        rows,
        [w * 0.32] + [w * 0.085] * 8,
        zebra=True,
        plain_cols=tuple(range(1, 9)),
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )


def _charts_row(store: Store, a: Assessment, width: float) -> Flowable:
    from reportlab.platypus import Table

    ids = [m.commissioner_id for m in a.members]
    months = visits_per_month(store, a.period, a.basis, ids)
    year = a.period.end.year
    half = width / 2 - 2 * mm
    month_chart = bar_chart(
        [n for _, n in months],
        [str(int(k[5:])) if k[:4] == str(year) else k for k, _ in months],
        width=half,
        height=55 * mm,
        title=tr("各月服务次数", "Visits per month"),
        axis_note=tr("月份", "month"),
    )
    counts = a.grade_counts()
    grade_chart = bar_chart(
        [counts[k] for k in GRADES],
        [g.text() for g in GRADES.values()],
        width=half,
        height=55 * mm,
        title=tr("考核等级分布（人）", "Members per grade"),
    )
    return Table([[month_chart, grade_chart]], colWidths=[width / 2, width / 2])


def members_table(a: Assessment, width: float) -> list[Flowable]:
    head = [
        "#",
        tr("姓名", "Name"),
        tr("派出单位", "Sending unit"),
        tr("服务次数", "Visits"),
        tr("服务天数", "Days"),
        _compact("people_trained"),
        tr("解决难题", "Solved"),
        _compact("economic_benefit"),
        tr("满意度", "Rating"),
        tr("总分", "Score"),
        tr("等级", "Grade"),
    ]
    rows: list[list[Any]] = [head]
    for i, m in zip(member_ranks(a.members), a.members, strict=True):
        f = m.figures
        grade = m.grade_label.text() + ("*" if m.capped else "")
        rows.append(
            [
                str(i),
                m.name,
                m.sending_unit,
                num(f.visits),
                num(f.service_days),
                num(f.people_trained),
                num(f.problems_solved),
                num(f.economic_benefit, 2),
                num(f.satisfaction_mean, 2),
                f"{m.total:.1f}",
                grade,
            ]
        )
    w = width
    table = grid_table(
        rows,
        [
            w * 0.05,
            w * 0.1,
            w * 0.22,
            w * 0.07,
            w * 0.07,
            w * 0.08,
            w * 0.07,
            w * 0.09,
            w * 0.07,
            w * 0.07,
            w * 0.11,
        ],
        zebra=True,
        plain_cols=(0, 3, 4, 5, 6, 7, 8, 9),
        body_size=7.5,
        extra=[("ALIGN", (3, 1), (9, -1), "RIGHT")],
    )
    if any(m.capped for m in a.members):
        return [
            table,
            P(
                tr(
                    "* 得分达到优秀，受优秀比例上限调整为良好。",
                    "* scored 优秀, lowered to 良好 by the share cap.",
                ),
                styles().note,
            ),
        ]
    return [table]
