"""The annual assessment (年度考核): figures, scores and grades from the records.

One function, `assess`, computes every figure that a screen, a PDF or an Excel export shows, so a
number on any document can be traced to the same SQL. Figures are computed for every commissioner
of the store in one grouped query (cheap for 1,000 commissioners); the cap on the share of 优秀 is
decided across all of them (the bureau's city-wide assessment) and a scope (commissioner, team,
workstation, county, city) then selects its members. So a commissioner has the same grade on every
document.

What counts (the basis, printed on every document):
- "approved": visits that passed review (review_status = 'approved'). The default once review is
  in use in the store.
- "synced": visits accepted by the central store (no local changes, conflict or rejection).
- "complete": every completed visit (not a draft). Used while review is not yet in use.
Deleted visits and drafts never count. Problems and solutions count only through a counted visit
(`problem_raised_sql`, `problem_solved_sql`): a problem is raised when the visit it was found on
counts; it is solved when its status is 已解决, its solved_on date lies in the period and at least
one of its solutions was given on a counted visit (the solution's visit, else the problem's). A
problem typed in without a visit, or solved without a reviewed visit, counts for nobody. Economic
benefit is the visits' reported benefit (the solutions' benefit is part of it and is not added
again). Every view, export and document that shows these figures uses these conditions.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from commissioner_app.agreements import AgreementProgress, due_in
from commissioner_app.agreements import completed as agreement_completed
from commissioner_app.assessment_rules import GRADES, METRICS, SATISFACTION_SOURCES, Rules, load_rules
from commissioner_app.collation import name_key, zh_key
from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.store import Store

log = logging.getLogger("commissioner.assessment")

BASES: dict[str, Message] = {
    "approved": Message("统计口径：仅计审核通过的服务记录。", "Counted: approved service records only."),
    "synced": Message(
        "统计口径：审核尚未启用，按已同步到市科技局的服务记录统计（未经审核）。",
        "Counted: review is not in use yet; service records synced to the bureau (not reviewed).",
    ),
    "complete": Message(
        "统计口径：审核尚未启用，按已填报完成（非草稿）的服务记录统计（未经审核）。",
        "Counted: review is not in use yet; every completed (non-draft) service record (not reviewed).",
    ),
}

SCOPE_KINDS: dict[str, Message] = {
    "commissioner": Message("科技特派员", "Commissioner"),
    "team": Message("科技特派团", "Team"),
    "workstation": Message("工作站", "Workstation"),
    "county": Message("县（市、区）", "County"),
    "city": Message("全市", "City"),
}

# Smallest group on which the 优秀 share cap is enforced: on a handful of people a share means
# nothing (30% of 3 people is 0). The rules file may change it (grades.excellent_share_min_group).
DEFAULT_SHARE_MIN_GROUP = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> Message:
        if self.start.month == 1 and self.start.day == 1 and self.end == date(self.start.year, 12, 31):
            return Message(f"{self.start.year}年度", f"year {self.start.year}")
        return Message(
            f"{self.start.isoformat()} 至 {self.end.isoformat()}",
            f"{self.start.isoformat()} to {self.end.isoformat()}",
        )


@dataclass(frozen=True)
class Scope:
    kind: str = "city"  # one of SCOPE_KINDS
    key: str = ""  # commissioner / team / workstation id, or the county's name

    @classmethod
    def commissioner(cls, commissioner_id: str) -> Scope:
        return cls("commissioner", commissioner_id)

    @classmethod
    def team(cls, team_id: str) -> Scope:
        return cls("team", team_id)

    @classmethod
    def workstation(cls, workstation_id: str) -> Scope:
        return cls("workstation", workstation_id)

    @classmethod
    def county(cls, name: str) -> Scope:
        return cls("county", name)


@dataclass
class Figures:
    """The counted figures of one commissioner (or the sums over a group)."""

    visits: int = 0
    service_days: int = 0  # distinct days with a counted visit (for a group: person-days)
    training_sessions: int = 0
    people_trained: int = 0
    techniques_promoted: int = 0
    varieties_introduced: int = 0
    demo_bases: int = 0
    demo_households: int = 0
    jobs_created: int = 0
    economic_benefit: float = 0.0
    satisfaction_sum: int = 0
    satisfaction_count: int = 0
    satisfaction_from_party: int = 0  # of the counted ratings, given by the served party themselves
    problems_raised: int = 0
    problems_solved: int = 0

    @property
    def satisfaction_mean(self) -> float | None:
        if not self.satisfaction_count:
            return None
        return self.satisfaction_sum / self.satisfaction_count

    def value(self, metric: str) -> float | None:
        return self.satisfaction_mean if metric == "satisfaction_mean" else float(getattr(self, metric))

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True)
class IndicatorScore:
    metric: str
    label: Message
    target: float
    actual: float | None
    points: float
    cap: float
    score: float


@dataclass(frozen=True)
class PartScore:
    key: str
    name: Message
    weight: float
    score: float
    indicators: tuple[IndicatorScore, ...]


@dataclass
class MemberResult:
    """One commissioner's assessment."""

    commissioner_id: str
    name: str
    sending_unit: str
    title: str
    phone: str
    specialty: str
    team_id: str | None
    team_name: str
    workstation_id: str | None
    workstation_name: str
    county: str
    figures: Figures
    parts: tuple[PartScore, ...] = ()
    total: float = 0.0
    grade_uncapped: str = "fail"
    grade: str = "fail"
    published_at: str = ""  # set when the bureau's official result replaces the estimate

    @property
    def capped(self) -> bool:
        """优秀 on the score, lowered to 良好 by the share cap."""
        return self.grade != self.grade_uncapped

    @property
    def grade_label(self) -> Message:
        return GRADES[self.grade]

    @property
    def status_label(self) -> Message:
        """正式结果（发布日期） once the bureau published the year, 预估（未发布） before."""
        if self.published_at:
            day = self.published_at[:10]
            return Message(f"正式结果（{day} 发布）", f"Official result (published {day})")
        return Message("预估（未发布）", "Estimate (not yet published)")

    def next_grade_gap(self, rules: Rules) -> Message | None:
        """What is still missing to reach the next grade: the points, and for the indicators with room
        left what would bring them alone (None at 优秀)."""
        order = [("pass", rules.pass_mark), ("good", rules.good), ("excellent", rules.excellent)]
        above = [(g, mark) for g, mark in order if round(self.total, 1) < mark]
        if not above:
            return None
        grade, mark = above[0]
        gap = mark - self.total
        hints_zh, hints_en = [], []
        for part in self.parts:
            room_in_part = part.weight - part.score
            for ind in part.indicators:
                room = min(ind.cap - ind.score, room_in_part)
                if room < gap or ind.metric == "satisfaction_mean" or ind.target <= 0:
                    continue
                more = math.ceil(gap / (ind.points / ind.target))
                hints_zh.append(f"{ind.label.zh}再增加 {more}")
                hints_en.append(f"{more} more {ind.label.en.lower()}")
        zh = f"距{GRADES[grade].zh}（{mark:g}分）还差 {gap:.1f} 分"
        en = f"{gap:.1f} points short of {GRADES[grade].en} ({mark:g})"
        if hints_zh:
            zh += "，例如：" + "；或".join(hints_zh[:3])
            en += "; for example " + ", or ".join(hints_en[:3])
        return Message(zh + "。", en + ".")

    def satisfaction_note(self, rules: Rules) -> Message:
        """Where the counted satisfaction ratings came from (every document and the 考核 view say it)."""
        f = self.figures
        source = SATISFACTION_SOURCES[rules.satisfaction_source]
        return Message(
            f"满意度：计入 {f.satisfaction_count} 条评价，"
            f"其中服务对象扫码自行评价 {f.satisfaction_from_party} 条（口径：{source.zh}）。",
            f"Satisfaction: {f.satisfaction_count} ratings counted, {f.satisfaction_from_party} given by the "
            f"served party themselves (counted: {source.en}).",
        )

    @property
    def active(self) -> bool:
        return self.figures.visits > 0


@dataclass(frozen=True)
class Progress:
    label: Message
    actual: int
    target: int

    @property
    def ratio(self) -> float:
        return self.actual / self.target if self.target else 0.0


@dataclass
class Assessment:
    scope: Scope
    scope_name: str
    period: Period
    rules: Rules
    basis: str
    members: list[MemberResult]  # best first
    population: int  # commissioners over which the 优秀 share cap was decided
    share_cap_applied: bool
    notes: list[Message] = field(default_factory=list)

    @property
    def basis_note(self) -> Message:
        return BASES[self.basis]

    @property
    def totals(self) -> Figures:
        total = Figures()
        for m in self.members:
            total.add(m.figures)
        return total

    @property
    def active_members(self) -> int:
        return sum(1 for m in self.members if m.active)

    @property
    def mean_total(self) -> float | None:
        return sum(m.total for m in self.members) / len(self.members) if self.members else None

    def grade_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(GRADES, 0)
        for m in self.members:
            counts[m.grade] += 1
        return counts

    def member(self, commissioner_id: str) -> MemberResult | None:
        return next((m for m in self.members if m.commissioner_id == commissioner_id), None)

    def progress(self) -> list[Progress]:
        """Progress toward the plan's targets (the city view)."""
        return [
            Progress(
                Message("在岗服务的科技特派员（人）", "Active commissioners"),
                self.active_members,
                self.rules.plan_active_commissioners,
            ),
            Progress(
                Message("解决技术难题（项）", "Technical problems solved"),
                self.totals.problems_solved,
                self.rules.plan_problems_solved,
            ),
        ]

    def subset(self, scope: Scope, scope_name: str = "") -> Assessment:
        """The same assessment restricted to a scope (grades stay as decided city-wide)."""
        members = [m for m in self.members if _in_scope(m, scope)]
        return Assessment(
            scope,
            scope_name or _scope_name(self, scope, members),
            self.period,
            self.rules,
            self.basis,
            members,
            self.population,
            self.share_cap_applied,
            list(self.notes),
        )


# --- the computation ---------------------------------------------------------------------------


def choose_basis(store: Store) -> str:
    """'approved' once review is in use in this store, else 'complete' (and documents say so)."""
    reviewed = store.db.execute(
        "SELECT EXISTS (SELECT 1 FROM visits WHERE review_status = 'approved' AND deleted = 0) "
        "OR EXISTS (SELECT 1 FROM reviews WHERE deleted = 0)"
    ).fetchone()[0]
    return "approved" if reviewed else "complete"


def basis_sql(basis: str, alias: str = "v") -> str:
    """The SQL condition of a counted visit (besides the period)."""
    from commissioner_app.store import SYNC_STATE_SQL

    base = f"{alias}.deleted = 0 AND {alias}.is_draft = 0"
    if basis == "approved":
        return f"{base} AND {alias}.review_status = 'approved'"
    if basis == "synced":
        return f"{base} AND ({SYNC_STATE_SQL.format(p=alias + '.')}) = 'synced'"
    if basis == "complete":
        return base
    raise ValueError(f"unknown basis {basis!r}")


def problem_raised_sql(basis: str, p: str = "p") -> str:
    """The SQL condition of a problem that counts as raised (besides the period): its visit counts."""
    return f"EXISTS (SELECT 1 FROM visits pv WHERE pv.id = {p}.visit_id AND {basis_sql(basis, 'pv')})"


def problem_solved_sql(basis: str, p: str = "p") -> str:
    """The SQL condition of a problem that counts as solved (besides the period): 已解决 with a
    solution given on a counted visit (the solution's own visit, else the problem's)."""
    return (
        f"{p}.status = 'solved' AND EXISTS (SELECT 1 FROM solutions s "
        f"JOIN visits sv ON sv.id = coalesce(s.visit_id, {p}.visit_id) "
        f"WHERE s.problem_id = {p}.id AND +s.deleted = 0 AND s.is_draft = 0 AND {basis_sql(basis, 'sv')})"
    )


def assess(
    store: Store,
    scope: Scope | None = None,
    period: Period | None = None,
    *,
    year: int | None = None,
    rules: Rules | None = None,
    basis: str = "auto",
    apply_share_cap: bool = True,
) -> Assessment:
    """Assess a scope over a period (default: the city, the current year's rules)."""
    if period is None:
        period = Period.year(year or date.today().year)
    rules = rules or load_rules(store, period.end.year)
    if basis == "auto":
        basis = choose_basis(store)
    city = assess_city(store, period, rules, basis, apply_share_cap=apply_share_cap)
    scope = scope or Scope()
    return city if scope.kind == "city" else city.subset(scope)


def published_results(store: Store, year: int) -> dict[str, dict[str, Any]]:
    """The bureau's official results of a year that reached this computer, by commissioner."""
    found = {}
    for row in store.db.query(
        "SELECT commissioner_id, total, grade, grade_uncapped, parts, published_at FROM assessment_results "
        "WHERE year = ? AND deleted = 0",
        [year],
    ):
        row["parts"] = {p.get("key"): p.get("score") for p in json.loads(row["parts"] or "[]")}
        found[row["commissioner_id"]] = row
    return found


def _apply_published(members: list[MemberResult], published: dict[str, dict[str, Any]]) -> None:
    """Every document shows the official figures once published: the same grade everywhere."""
    for m in members:
        official = published.get(m.commissioner_id)
        if official is None:
            continue
        m.total, m.grade, m.grade_uncapped = official["total"], official["grade"], official["grade_uncapped"]
        m.published_at = official["published_at"]
        m.parts = tuple(
            replace(part, score=float(official["parts"].get(part.key, part.score))) for part in m.parts
        )


def publish(store: Store, year: int, published_by: str, *, rules: Rules | None = None) -> int:
    """The bureau publishes the year's official results: its own assessment of the whole city (it
    holds every synced record; sync first) as one record per commissioner, which sync brings to
    each commissioner, their managers and the bureau. Publishing again replaces them."""
    from commissioner_app.domain import AssessmentResult, now_iso

    period = Period.year(year)
    rules = rules or load_rules(store, year)
    city = assess_city(store, period, rules, choose_basis(store), use_published=False)
    at = now_iso()
    with store.atomic():
        for m in city.members:
            store.save(
                AssessmentResult(
                    id=f"{year}:{m.commissioner_id}",
                    year=year,
                    commissioner_id=m.commissioner_id,
                    total=round(m.total, 2),
                    grade=m.grade,
                    grade_uncapped=m.grade_uncapped,
                    parts=[{"key": p.key, "score": round(p.score, 2)} for p in m.parts],
                    figures={f.name: getattr(m.figures, f.name) for f in fields(m.figures)},
                    rules_title=rules.title.zh,
                    population=city.population,
                    published_at=at,
                    published_by=published_by,
                )
            )
    return len(city.members)


def assess_city(
    store: Store,
    period: Period,
    rules: Rules,
    basis: str,
    *,
    apply_share_cap: bool = True,
    use_published: bool = True,
) -> Assessment:
    people = _commissioners(store, period)
    figures = _figures(store, period, basis, rules.satisfaction_source)
    members = []
    for p in people:
        m = MemberResult(**p, figures=figures.get(p["commissioner_id"], Figures()))
        m.parts = score_parts(m.figures, rules)
        m.total = sum(part.score for part in m.parts)
        m.grade_uncapped = m.grade = rules.grade(m.total)
        members.append(m)
    members.sort(
        key=lambda m: (-round(m.total, 1), -m.figures.service_days, name_key(m.name), m.commissioner_id)
    )
    notes = list(rules.notes)
    applied = False
    if rules.excellent_share_cap and apply_share_cap:
        applied, note = apply_excellent_cap(members, rules)
        notes.append(note)
    whole_year = period == Period.year(period.end.year)
    if use_published and whole_year:
        _apply_published(members, published_results(store, period.end.year))
        members.sort(
            key=lambda m: (-round(m.total, 1), -m.figures.service_days, name_key(m.name), m.commissioner_id)
        )
    return Assessment(
        Scope(), Message("全市", "City").text(), period, rules, basis, members, len(members), applied, notes
    )


def shared_ranks(keys: Sequence[Hashable]) -> list[int]:
    """The ranks (排名) of a list already in its order, equal keys sharing one: 1, 2, 2, 4. Seven
    commissioners with 0 points were ranked 2 to 8 by the order of their names (a cold try)."""
    ranks: list[int] = []
    for place, key in enumerate(keys, 1):
        ranks.append(ranks[-1] if ranks and key == keys[place - 2] else place)
    return ranks


def member_ranks(members: Sequence[MemberResult]) -> list[int]:
    """Commissioners' ranks: the same total shares a rank unless their service days (the rule that
    orders equal totals) differ; their names order them, and rank nobody."""
    return shared_ranks([(round(m.total, 1), m.figures.service_days) for m in members])


def group_ranks(results: Sequence[GroupResult]) -> list[int]:
    """Teams' or workstations' ranks: the same total shares a rank."""
    return shared_ranks([round(r.total, 1) for r in results])


def score_parts(figures: Figures, rules: Rules) -> tuple[PartScore, ...]:
    parts = []
    for part in rules.parts:
        indicators = []
        for ind in part.indicators:
            actual = figures.value(ind.metric)
            score = 0.0 if actual is None else min(actual / ind.target * ind.points, ind.cap)
            indicators.append(
                IndicatorScore(
                    ind.metric, METRICS[ind.metric], ind.target, actual, ind.points, ind.cap, score
                )
            )
        parts.append(
            PartScore(
                part.key,
                part.name,
                part.weight,
                min(sum(i.score for i in indicators), part.weight),
                tuple(indicators),
            )
        )
    return tuple(parts)


def apply_excellent_cap(members: list[MemberResult], rules: Rules) -> tuple[bool, Message]:
    """Lower 优秀 to 良好 beyond the allowed share; `members` must be sorted best first.

    Allowed = floor(share × group size). Ties at the cut are broken by service days, then name.
    """
    share = rules.excellent_share_cap or 0.0
    pct = f"{share * 100:g}%"
    min_group = rules.excellent_share_min_group or DEFAULT_SHARE_MIN_GROUP
    if len(members) < min_group:
        return False, Message(
            f"参评人数 {len(members)} 人，少于 {min_group} 人，未执行优秀比例上限（{pct}）。",
            f"{len(members)} commissioners assessed, fewer than {min_group}: the {pct} cap on Excellent "
            "was not applied.",
        )
    allowed = math.floor(share * len(members) + 1e-9)
    seen = 0
    for m in members:
        if m.grade_uncapped == "excellent":
            seen += 1
            if seen > allowed:
                m.grade = "good"
    lowered = max(0, seen - allowed)
    return True, Message(
        f"优秀比例上限 {pct}：{len(members)} 名参评特派员中至多 {allowed} 名优秀"
        + (f"，{lowered} 名按得分排序调整为良好。" if lowered else "。"),
        f"Cap on Excellent {pct}: at most {allowed} of {len(members)} commissioners"
        + (f"; {lowered} lowered to 良好 by rank." if lowered else "."),
    )


def _commissioners(store: Store, period: Period) -> list[dict[str, Any]]:
    """Everyone who served in the period: a commissioner deactivated before it began is left out,
    one deactivated during it is assessed for it."""
    cursor = store.db.execute(
        """SELECT c.id, c.name, c.sending_unit, c.title, c.phone, c.specialty, c.team_id,
               coalesce(t.name, ''), c.workstation_id, coalesce(w.name, ''),
               coalesce(nullif(c.county, ''), nullif(t.county, ''), w.county, '')
           FROM commissioners c
           LEFT JOIN teams t ON t.id = c.team_id AND t.deleted = 0
           LEFT JOIN workstations w ON w.id = c.workstation_id AND w.deleted = 0
           WHERE c.deleted = 0 AND c.is_draft = 0
             AND (c.deactivated_on IS NULL OR c.deactivated_on = '' OR c.deactivated_on >= ?)""",
        [period.start.isoformat()],
    )
    keys = (
        "commissioner_id",
        "name",
        "sending_unit",
        "title",
        "phone",
        "specialty",
        "team_id",
        "team_name",
        "workstation_id",
        "workstation_name",
        "county",
    )
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


# In the solution look-ups below, `+s.deleted` keeps SQLite from choosing the (deleted, ...) sync-state
# index over the problem_id index: without statistics it did, and scanned every solution for every
# problem (minutes on 100,000 visits instead of milliseconds).


def rating_sql(source: str) -> str:
    """The SQL value of a visit's counted satisfaction rating (NULL: none counts), by the rules'
    satisfaction_source; `cf` is the visit's confirmation by the served party (LEFT JOIN)."""
    if source == "served_party":
        return "cf.satisfaction"
    if source == "accepted_sheet":
        return (
            "coalesce(cf.satisfaction, "
            "CASE WHEN v.confirm_sheet_accepted = 1 THEN v.confirm_satisfaction END)"
        )
    if source == "any":
        return "coalesce(cf.satisfaction, v.confirm_satisfaction)"
    raise ValueError(f"unknown satisfaction source {source!r}")


CONFIRMATION_JOIN = "LEFT JOIN confirmations cf ON cf.visit_id = v.id AND +cf.deleted = 0"


def _figures(store: Store, period: Period, basis: str, source: str) -> dict[str, Figures]:
    start, end = period.start.isoformat(), period.end.isoformat()
    counted = basis_sql(basis, "v")
    rating = rating_sql(source)
    raised_sql, solved_sql = problem_raised_sql(basis), problem_solved_sql(basis)
    result: dict[str, Figures] = {}
    for row in store.db.execute(
        f"""SELECT v.commissioner_id, count(*), count(DISTINCT v.visit_date), sum(v.training_sessions),
               sum(v.people_trained), sum(v.techniques_promoted), sum(v.varieties_introduced),
               sum(v.demo_bases), sum(v.demo_households), sum(v.jobs_created), sum(v.economic_benefit),
               sum({rating}), count({rating}), count(cf.satisfaction)
           FROM visits v {CONFIRMATION_JOIN} WHERE {counted} AND v.visit_date BETWEEN ? AND ?
           GROUP BY v.commissioner_id""",
        [start, end],
    ).fetchall():
        result[row[0]] = Figures(
            visits=row[1],
            service_days=row[2],
            training_sessions=row[3] or 0,
            people_trained=row[4] or 0,
            techniques_promoted=row[5] or 0,
            varieties_introduced=row[6] or 0,
            demo_bases=row[7] or 0,
            demo_households=row[8] or 0,
            jobs_created=row[9] or 0,
            economic_benefit=round(float(row[10] or 0), 4),
            satisfaction_sum=row[11] or 0,
            satisfaction_count=row[12] or 0,
            satisfaction_from_party=row[13] or 0,
        )
    for cid, raised, solved in store.db.execute(
        f"""SELECT p.commissioner_id,
               sum(p.raised_on BETWEEN ?1 AND ?2 AND {raised_sql}),
               sum(p.solved_on BETWEEN ?1 AND ?2 AND {solved_sql})
           FROM problems p
           WHERE p.deleted = 0 AND p.is_draft = 0
             AND (p.raised_on BETWEEN ?1 AND ?2 OR p.solved_on BETWEEN ?1 AND ?2)
           GROUP BY p.commissioner_id""",
        [start, end],
    ).fetchall():
        fig = result.setdefault(cid, Figures())
        fig.problems_raised = raised or 0
        fig.problems_solved = solved or 0
    return result


def _in_scope(m: MemberResult, scope: Scope) -> bool:
    if scope.kind == "city":
        return True
    if scope.kind == "commissioner":
        return m.commissioner_id == scope.key
    if scope.kind == "team":
        return m.team_id == scope.key
    if scope.kind == "workstation":
        return m.workstation_id == scope.key
    if scope.kind == "county":
        return m.county == scope.key
    raise ValueError(f"unknown scope {scope.kind!r}")


def _scope_name(a: Assessment, scope: Scope, members: list[MemberResult]) -> str:
    if scope.kind == "county":
        return scope.key
    if not members:
        return scope.key
    first = members[0]
    return {"commissioner": first.name, "team": first.team_name, "workstation": first.workstation_name}.get(
        scope.kind, a.scope_name
    )


# --- breakdowns the documents show beside the assessment ----------------------------------------


@dataclass
class ActivityRow:
    """Counted activity of one county, industry or month."""

    key: str
    visits: int = 0
    commissioners: int = 0
    service_days: int = 0  # person-days
    training_sessions: int = 0
    people_trained: int = 0
    economic_benefit: float = 0.0
    problems_solved: int = 0


def activity_by(
    store: Store, period: Period, basis: str, column: str, commissioner_ids: Iterable[str] | None = None
) -> list[ActivityRow]:
    """Counted visits grouped by the visit's county, industry or month ('county' / 'industry' / 'month')."""
    group = {"county": "v.county", "industry": "v.industry", "month": "substr(v.visit_date, 1, 7)"}[column]
    pgroup = {
        "county": "coalesce(v.county, t.county, '')",
        "industry": "p.industry",
        "month": "substr(p.solved_on, 1, 7)",
    }[column]
    counted = basis_sql(basis, "v")
    params: list[Any] = [period.start.isoformat(), period.end.isoformat()]
    who = ""
    if commissioner_ids is not None:
        ids = list(commissioner_ids)
        if not ids:
            return []
        who = f" AND {{a}}.commissioner_id IN ({','.join('?' * len(ids))})"
        params += ids
    rows: dict[str, ActivityRow] = {}
    for key, n, people, days, sessions, trained, benefit in store.db.execute(
        f"""SELECT {group}, count(*), count(DISTINCT v.commissioner_id),
               count(DISTINCT v.commissioner_id || v.visit_date), sum(v.training_sessions),
               sum(v.people_trained), sum(v.economic_benefit)
           FROM visits v WHERE {counted} AND v.visit_date BETWEEN ? AND ?{who.format(a="v")}
           GROUP BY 1""",
        params,
    ).fetchall():
        rows[key or ""] = ActivityRow(
            key or "", n, people, days, sessions or 0, trained or 0, round(float(benefit or 0), 4)
        )
    for key, solved in store.db.execute(
        f"""SELECT {pgroup}, count(*) FROM problems p
           LEFT JOIN visits v ON v.id = p.visit_id LEFT JOIN service_targets t ON t.id = p.target_id
           WHERE p.deleted = 0 AND p.is_draft = 0 AND p.solved_on BETWEEN ? AND ?
             AND {problem_solved_sql(basis)}{who.format(a="p")}
           GROUP BY 1""",
        params,
    ).fetchall():
        rows.setdefault(key or "", ActivityRow(key or "")).problems_solved = solved
    return sorted(rows.values(), key=lambda r: (-r.visits, r.key))


def visits_per_month(
    store: Store, period: Period, basis: str, commissioner_ids: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """(YYYY-MM, counted visits) for every month of the period, zeros included."""
    # Only the visits are counted: activity_by would also count solved problems, and for one
    # commissioner that reads every problem solved in the city that year (once per annual record).
    params: list[Any] = [period.start.isoformat(), period.end.isoformat()]
    who = ""
    if commissioner_ids is not None:
        ids = list(commissioner_ids)
        who = f" AND v.commissioner_id IN ({','.join('?' * len(ids))})" if ids else " AND 0"
        params += ids
    found = {
        key: n
        for key, n in store.db.execute(
            f"""SELECT substr(v.visit_date, 1, 7), count(*) FROM visits v
           WHERE {basis_sql(basis, "v")} AND v.visit_date BETWEEN ? AND ?{who} GROUP BY 1""",
            params,
        ).fetchall()
    }
    months = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        key = f"{y:04d}-{m:02d}"
        months.append((key, found.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


# --- teams and workstations (科技特派团、工作站考核) ------------------------------------------------


@dataclass(frozen=True)
class BonusItem:
    """One bonus (加分项) as entered; only approved ones count."""

    id: str
    points: float
    reason: str
    evidence: str
    status: str
    entered_by: str
    reviewed_by: str
    review_opinion: str


@dataclass
class GroupContext:
    """What a team's or workstation's indicators are computed from."""

    members: list[MemberResult]
    counties: set[str]
    targets: set[str]
    # The members' service agreements due in the period (agreements.due_in), read only when a rule
    # scores "agreements_completed".
    agreements: list[AgreementProgress] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        total = Figures()
        for m in self.members:
            total.add(m.figures)
        return total


def _mean_total(c: GroupContext) -> float | None:
    return sum(m.total for m in c.members) / len(c.members) if c.members else None


def _active_share(c: GroupContext) -> float | None:
    return 100 * sum(1 for m in c.members if m.active) / len(c.members) if c.members else None


def _agreements_completed(c: GroupContext) -> float | None:
    """服务协议完成率（%）: of the service agreements of the group's members (the agreement's own
    commissioner is a member) that are due in the period — signed, end date within the period, both
    ends included — the share completed: marked 已完成, or every agreed target reached by approved
    visits (agreements.agreement_progress). An agreement ending after the period is not due yet and
    counts neither way. None (no score) when no agreement is due."""
    if not c.agreements:
        return None
    return 100 * sum(1 for p in c.agreements if agreement_completed(p)) / len(c.agreements)


# metric -> its value for one group (GROUP_METRICS in assessment_rules.py holds the labels).
GROUP_METRIC_VALUES: dict[str, Any] = {
    "members_mean": _mean_total,
    "members_active_share": _active_share,
    "counties_covered": lambda c: float(len(c.counties)),
    "targets_served": lambda c: float(len(c.targets)),
    "visits": lambda c: float(c.figures.visits),
    "service_days": lambda c: float(c.figures.service_days),
    "problems_solved": lambda c: float(c.figures.problems_solved),
    "people_trained": lambda c: float(c.figures.people_trained),
    "economic_benefit": lambda c: float(c.figures.economic_benefit),
    "agreements_completed": _agreements_completed,
}


@dataclass
class GroupResult:
    """One team's or workstation's assessment: its indicators, then approved bonuses up to the cap."""

    kind: str  # "team" / "workstation"
    group_id: str
    name: str
    county: str
    members: int
    active_members: int
    figures: Figures
    indicators: tuple[IndicatorScore, ...]
    base: float
    bonus_items: tuple[BonusItem, ...]
    bonus_cap: float
    grade: str = "fail"

    @property
    def bonus_claimed(self) -> float:
        """Approved bonus points before the cap."""
        return sum(b.points for b in self.bonus_items if b.status == "approved")

    @property
    def bonus(self) -> float:
        return min(self.bonus_claimed, self.bonus_cap)

    @property
    def bonus_capped(self) -> bool:
        return self.bonus_claimed > self.bonus_cap

    @property
    def total(self) -> float:
        return self.base + self.bonus

    @property
    def grade_label(self) -> Message:
        return GRADES[self.grade]

    @property
    def bonus_note(self) -> Message:
        pending = sum(1 for b in self.bonus_items if b.status == "pending")
        zh = f"加分 {self.bonus:g} 分（已通过 {self.bonus_claimed:g} 分，上限 {self.bonus_cap:g} 分）"
        en = f"bonus {self.bonus:g} (approved {self.bonus_claimed:g}, cap {self.bonus_cap:g})"
        if pending:
            zh += f"，另有 {pending} 项待审核"
            en += f"; {pending} pending review"
        return Message(zh, en)


def score_group(context: GroupContext, indicators: Iterable[Any]) -> tuple[tuple[IndicatorScore, ...], float]:
    """The indicator scores and their sum (at most 100), by the same rule as a commissioner's."""
    from commissioner_app.assessment_rules import GROUP_METRICS

    scores = []
    for ind in indicators:
        actual = GROUP_METRIC_VALUES[ind.metric](context)
        score = 0.0 if actual is None else min(actual / ind.target * ind.points, ind.cap)
        scores.append(
            IndicatorScore(
                ind.metric, GROUP_METRICS[ind.metric], ind.target, actual, ind.points, ind.cap, score
            )
        )
    return tuple(scores), min(sum(s.score for s in scores), 100.0)


def bonus_items(store: Store, year: int, kind: str) -> dict[str, list[BonusItem]]:
    found: dict[str, list[BonusItem]] = {}
    for row in store.db.query(
        "SELECT id, subject_id, points, reason, evidence, status, entered_by, reviewed_by, review_opinion "
        "FROM bonus_points WHERE year = ? AND subject_kind = ? AND deleted = 0 AND is_draft = 0 "
        "ORDER BY created_at, id",
        [year, kind],
    ):
        subject = row.pop("subject_id")
        found.setdefault(subject, []).append(BonusItem(**row))
    return found


GROUP_TABLES = {"team": ("teams", "team_id"), "workstation": ("workstations", "workstation_id")}


def served_by(store: Store, city: Assessment) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The counties and the service targets each commissioner served on counted visits of the period
    (one pass over the visits, shared by the teams' and the workstations' assessment)."""
    counties: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for cid, county, target in store.db.execute(
        f"""SELECT DISTINCT v.commissioner_id, v.county, v.target_id FROM visits v
            WHERE {basis_sql(city.basis, "v")} AND v.visit_date BETWEEN ? AND ?""",
        [city.period.start.isoformat(), city.period.end.isoformat()],
    ).fetchall():
        if county:
            counties.setdefault(cid, set()).add(county)
        if target:
            targets.setdefault(cid, set()).add(target)
    return counties, targets


def assess_groups(
    store: Store,
    city: Assessment,
    kind: str,
    served: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None,
) -> list[GroupResult]:
    """Every team (kind "team") or workstation ("workstation") of the store, best first, scored from
    the city-wide assessment `city` by the year's rules for that kind (`served`: served_by(), when
    the caller has it already)."""
    group_rules = city.rules.group(kind)
    table, member_key = GROUP_TABLES[kind]
    groups = store.db.execute(
        f"SELECT id, name, county FROM {table} WHERE deleted = 0 AND is_draft = 0 ORDER BY zh_key(name), id"
    ).fetchall()
    members: dict[str, list[MemberResult]] = {}
    for m in city.members:
        key = getattr(m, member_key)
        if key:
            members.setdefault(key, []).append(m)
    counties, targets = served if served is not None else served_by(store, city)
    bonuses = bonus_items(store, city.period.end.year, kind)
    due: dict[str, list[AgreementProgress]] = {}
    if any(ind.metric == "agreements_completed" for ind in group_rules.indicators):
        for progress in due_in(store, city.period.start, city.period.end):
            due.setdefault(progress.agreement.commissioner_id, []).append(progress)
    results = []
    for group_id, name, county in groups:
        people = members.get(group_id, [])
        context = GroupContext(
            people,
            set().union(*(counties.get(m.commissioner_id, set()) for m in people)),
            set().union(*(targets.get(m.commissioner_id, set()) for m in people)),
            [p for m in people for p in due.get(m.commissioner_id, [])],
        )
        scores, base = score_group(context, group_rules.indicators)
        result = GroupResult(
            kind,
            group_id,
            name,
            county or "",
            len(people),
            sum(1 for m in people if m.active),
            context.figures,
            scores,
            base,
            tuple(bonuses.get(group_id, [])),
            group_rules.bonus_cap,
        )
        result.grade = city.rules.grade(result.total)
        results.append(result)
    results.sort(key=lambda r: (-round(r.total, 1), zh_key(r.name), r.group_id))
    return results
