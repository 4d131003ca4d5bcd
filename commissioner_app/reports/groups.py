"""Team and workstation results in the documents, the commendation list of exemplars (先进典型) and
the per-county yearly list (年度清单分县完成情况)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from commissioner_app.assessment import Assessment, GroupResult, assess_groups, group_ranks
from commissioner_app.domain import BONUS_STATUSES
from commissioner_app.plan_lists import CountyProgress, ExemplarRow, exemplars
from commissioner_app.reports.base import P, build_pdf, frame_size, grid_table, num, styles, tr
from commissioner_app.store import Store


def group_result_section(store: Store, a: Assessment, heading: str) -> list[Flowable]:
    """The team's or workstation's own score (a's scope), for its summary; [] for other scopes."""
    if a.scope.kind not in ("team", "workstation"):
        return []
    result = next((r for r in assess_groups(store, a, a.scope.kind) if r.group_id == a.scope.key), None)
    if result is None:
        return []
    return [P(heading, styles().h2), *group_result_flowables(result, frame_size()[0])]


def group_result_flowables(r: GroupResult, width: float) -> list[Flowable]:
    s = styles()
    rows: list[list[Any]] = [
        [
            tr("考核指标", "Indicator"),
            tr("完成", "Actual"),
            tr("目标", "Target"),
            tr("分值", "Points"),
            tr("得分", "Score"),
        ]
    ]
    for ind in r.indicators:
        rows.append(
            [ind.label.text(), num(ind.actual, 1), num(ind.target, 1), num(ind.points, 1), num(ind.score, 1)]
        )
    rows.append([tr("指标得分", "Indicator score"), "", "", "100", num(r.base, 1)])
    rows.append(
        [
            tr("加分项（已通过，封顶）", "Bonus (approved, capped)"),
            num(r.bonus_claimed, 1),
            "",
            num(r.bonus_cap, 1),
            num(r.bonus, 1),
        ]
    )
    rows.append(
        [
            tr(f"总分（等级：{r.grade_label.text()}）", f"Total (grade: {r.grade_label.text()})"),
            "",
            "",
            "",
            num(r.total, 1),
        ]
    )
    table = grid_table(
        rows,
        [width * 0.44, width * 0.14, width * 0.14, width * 0.12, width * 0.16],
        plain_cols=(1, 2, 3, 4),
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )
    story: list[Flowable] = [
        KeepTogether([table]),
        Spacer(1, 1.5 * mm),
        P(r.bonus_note.text() + "。", s.note),
    ]
    if r.bonus_items:
        bonus_rows: list[list[Any]] = [
            [
                tr("加分", "Points"),
                tr("理由", "Reason"),
                tr("佐证材料", "Evidence"),
                tr("状态", "Status"),
                tr("审核", "Review"),
            ]
        ]
        for b in r.bonus_items:
            review = b.reviewed_by + ("：" + b.review_opinion if b.review_opinion else "")
            bonus_rows.append(
                [num(b.points, 1), b.reason, b.evidence, BONUS_STATUSES[b.status].text(), review]
            )
        story += [
            Spacer(1, 1.5 * mm),
            grid_table(
                bonus_rows,
                [width * 0.08, width * 0.34, width * 0.26, width * 0.12, width * 0.20],
                plain_cols=(0,),
                extra=[("ALIGN", (0, 1), (0, -1), "RIGHT")],
            ),
        ]
    return story


def groups_table(results: list[GroupResult], width: float, noun: str) -> Flowable:
    """Every team's or workstation's score in one table (the city summary)."""
    rows: list[list[Any]] = [
        [
            tr("排名", "Rank"),
            noun,
            tr("县（市、区）", "County"),
            tr("成员", "Members"),
            tr("指标得分", "Score"),
            tr("加分", "Bonus"),
            tr("总分", "Total"),
            tr("等级", "Grade"),
        ]
    ]
    for rank, r in zip(group_ranks(results), results, strict=True):
        rows.append(
            [
                str(rank),
                r.name,
                r.county,
                str(r.members),
                num(r.base, 1),
                num(r.bonus, 1),
                num(r.total, 1),
                r.grade_label.text(),
            ]
        )
    return grid_table(
        rows,
        [width * w for w in (0.07, 0.33, 0.12, 0.08, 0.11, 0.08, 0.10, 0.11)],
        plain_cols=(0, 3, 4, 5, 6),
        extra=[("ALIGN", (3, 1), (6, -1), "RIGHT")],
        zebra=True,
    )


def county_progress_table(lines: list[CountyProgress], width: float) -> Flowable:
    """Each county against its own targets: achieved / target (share)."""
    fields = ("active_commissioners", "problems_solved", "achievements", "transaction_value")
    head = [tr("县（市、区）", "County")]
    head += [lines[0].line(f).label.text() if lines else f for f in fields]
    rows: list[list[Any]] = [head]
    for c in lines:
        row = [c.county]
        for f in fields:
            line = c.line(f)
            digits = 1 if f == "transaction_value" else 0
            if not c.has_targets:
                row.append(num(line.actual, digits) + tr("（无目标）", " (no target)"))
            elif line.ratio is None:
                row.append(f"{num(line.actual, digits)} / {num(line.target, digits)}")
            else:
                row.append(
                    f"{num(line.actual, digits)} / {num(line.target, digits)}（{line.ratio * 100:.0f}%）"
                )
        rows.append(row)
    return grid_table(rows, [width * 0.16] + [width * 0.21] * 4, zebra=True)


def county_lines(store: Store, a: Assessment) -> list[CountyProgress]:
    """The yearly list by county for an assessment's period, counted as the assessment counts (its
    basis: approved records once review is in use), as the rest of the document is. (The city view's
    list shows activity as submitted, and says so.)"""
    from commissioner_app.assessment import activity_by
    from commissioner_app.plan_lists import achievement_counts, county_progress

    by_county = [
        {"county": r.key, "commissioners": r.commissioners, "problems_solved": r.problems_solved}
        for r in activity_by(store, a.period, a.basis, "county")
    ]
    extra = achievement_counts(store, a.period.start.isoformat(), a.period.end.isoformat())
    return county_progress(a.rules, by_county, extra)


def exemplars_list(store: Store, year: int, out: Path | IO[bytes]) -> int:
    """The commendation list of a year (先进典型名单): who, for what, and the citation."""
    s = styles()
    width, _ = frame_size()
    found = exemplars(store, year)
    title = tr(f"{year}年度科技特派员先进典型名单", f"Exemplary S&T commissioners {year}")
    story: list[Flowable] = [
        P(title, s.title),
        P(tr(f"共 {len(found)} 名（个）", f"{len(found)} in all"), s.subtitle),
    ]
    if not found:
        story.append(P(tr("本年度尚未评选先进典型。", "No exemplars have been named for this year."), s.body))
    by_title: dict[str, list[ExemplarRow]] = {}
    for e in found:
        by_title.setdefault(e.title, []).append(e)
    for number, (honour, people) in enumerate(by_title.items(), 1):
        story.append(P(f"{_chinese_number(number)}、{honour}（{len(people)}）", s.h2))
        rows: list[list[Any]] = [
            [
                tr("序号", "No."),
                tr("名称", "Name"),
                tr("类别", "Kind"),
                tr("单位 / 地区", "Unit / area"),
                tr("年度考核", "Assessment"),
                tr("主要事迹", "Citation"),
            ]
        ]
        for i, e in enumerate(people, 1):
            result = f"{num(e.total, 1)} {_grade(e.grade)}" if e.total is not None else "—"
            rows.append([str(i), e.name, e.kind_label.text(), e.detail, result, e.citation])
        story.append(
            grid_table(
                rows,
                [width * w for w in (0.06, 0.13, 0.11, 0.17, 0.11, 0.42)],
                plain_cols=(0,),
            )
        )
    story += [
        Spacer(1, 6 * mm),
        P(
            tr(
                "先进典型从市科技局发布的年度考核结果中评选产生。",
                "Exemplars are named from the assessment results the bureau published.",
            ),
            s.note,
        ),
    ]
    return build_pdf(out, story, title=title, store=store, subject=tr("先进典型", "Exemplars"))


def exemplar_notes(store: Store, year: int, commissioner_id: str) -> list[Flowable]:
    """A line in a commissioner's annual record for each honour of the year."""
    s = styles()
    return [
        P(
            tr(
                f"荣誉：获评{year}年度“{e.title}”（先进典型）。事迹：{e.citation}",
                f"Honour: named {e.title} ({year}). Citation: {e.citation}",
            ),
            s.body,
        )
        for e in exemplars(store, year, commissioner_id)
        if e.kind == "commissioner"
    ]


def _grade(code: str) -> str:
    from commissioner_app.assessment_rules import GRADES

    return GRADES[code].text() if code in GRADES else ""


def _chinese_number(n: int) -> str:
    if i18n_en():
        return str(n)
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def i18n_en() -> bool:
    from commissioner_app import i18n

    return i18n.language() == "en"
