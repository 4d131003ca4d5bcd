"""Assessment rules (考核细则) as data: one TOML file per year, edited by the bureau.

The bundled files live in resources/assessment/<year>.toml. Rules distributed through sync are kept
in the meta table under "assessment_rules:<year>" and win over the bundled file. A bad rules file
is reported with every problem at once, in Chinese and English.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commissioner_app.domain import VISIT_COUNTERS, Visit, field_label
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.paths import resources_dir

if TYPE_CHECKING:
    from commissioner_app.store import Store

log = logging.getLogger("commissioner.assessment")

META_KEY = "assessment_rules:{year}"

# The figures an indicator may be scored on, with the label documents print.
METRICS: dict[str, Message] = {
    "service_days": Message("服务天数（天）", "Service days"),
    "visits": Message("服务次数（次）", "Visits"),
    "training_sessions": VISIT_COUNTERS["training_sessions"],
    "people_trained": VISIT_COUNTERS["people_trained"],
    "problems_raised": Message("发现技术难题（项）", "Problems raised"),
    "problems_solved": Message("解决技术难题（项）", "Problems solved"),
    "techniques_promoted": VISIT_COUNTERS["techniques_promoted"],
    "varieties_introduced": VISIT_COUNTERS["varieties_introduced"],
    "economic_benefit": field_label(Visit, "economic_benefit").heading,
    "satisfaction_mean": Message("服务对象平均满意度（1–5）", "Mean satisfaction (1–5)"),
    "demo_bases": VISIT_COUNTERS["demo_bases"],
    "demo_households": VISIT_COUNTERS["demo_households"],
    "jobs_created": VISIT_COUNTERS["jobs_created"],
}

# The figures a team or workstation may be scored on (its own indicators, [team] / [workstation] in
# the rules file). Each is computed in assessment.GROUP_METRIC_VALUES; to add one, add its label
# here and its function there.
GROUP_METRICS: dict[str, Message] = {
    "members_mean": Message("成员个人考核平均分（分）", "Members' mean score"),
    "members_active_share": Message("在岗服务成员占比（%）", "Members serving (%)"),
    "counties_covered": Message("服务覆盖县（市、区）（个）", "Counties served"),
    "targets_served": Message("服务对象（个）", "Service targets served"),
    "visits": METRICS["visits"],
    "service_days": Message("服务人天（人·天）", "Service person-days"),
    "problems_solved": METRICS["problems_solved"],
    "people_trained": METRICS["people_trained"],
    "economic_benefit": METRICS["economic_benefit"],
    "agreements_completed": Message("服务协议完成率（%）", "Service agreements completed (%)"),
}

GROUP_KINDS_RULES = ("team", "workstation")

GRADES: dict[str, Message] = {
    "excellent": Message("优秀", "Excellent"),
    "good": Message("良好", "Good"),
    "pass": Message("合格", "Pass"),
    "fail": Message("不合格", "Fail"),
}


@dataclass(frozen=True)
class Indicator:
    metric: str
    target: float
    points: float
    cap: float

    @property
    def label(self) -> Message:
        return METRICS.get(self.metric) or GROUP_METRICS[self.metric]


@dataclass(frozen=True)
class GroupRules:
    """How teams (科技特派团) or workstations (工作站) are scored: indicators worth 100 points in all,
    plus approved bonuses (加分项) up to `bonus_cap` points."""

    kind: str  # "team" / "workstation"
    indicators: tuple[Indicator, ...]
    bonus_cap: float = 10.0


@dataclass(frozen=True)
class CountyTargets:
    """A county's own yearly targets (the plan's yearly list broken down by county)."""

    county: str
    active_commissioners: int = 0
    problems_solved: int = 0
    achievements: int = 0
    transaction_value: float = 0.0  # 技术交易额, 万元


PLAN_FIELDS: dict[str, Message] = {
    "active_commissioners": Message("在岗服务的科技特派员（人）", "Active commissioners"),
    "problems_solved": Message("解决技术难题（项）", "Technical problems solved"),
    "achievements": Message("成果转化（项）", "Achievements transferred"),
    "transaction_value": Message("技术交易额（万元）", "Technology transaction value (10k yuan)"),
}


DEFAULT_GROUP_RULES: dict[str, GroupRules] = {
    "team": GroupRules(
        "team",
        (
            Indicator("members_mean", 80, 50, 50),
            Indicator("counties_covered", 2, 15, 15),
            Indicator("problems_solved", 6, 15, 18),
            Indicator("members_active_share", 100, 10, 10),
            Indicator("agreements_completed", 100, 10, 10),
        ),
        10.0,
    ),
    "workstation": GroupRules(
        "workstation",
        (
            Indicator("members_mean", 80, 50, 50),
            Indicator("targets_served", 10, 20, 24),
            Indicator("problems_solved", 6, 20, 24),
            Indicator("members_active_share", 100, 10, 10),
        ),
        10.0,
    ),
}


@dataclass(frozen=True)
class Part:
    key: str
    name: Message
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Rules:
    year: int
    title: Message
    parts: tuple[Part, ...]
    excellent: float = 90
    good: float = 75
    pass_mark: float = 60
    excellent_share_cap: float | None = None
    excellent_share_min_group: int = 10
    plan_active_commissioners: int = 1000
    plan_problems_solved: int = 1000
    plan_achievements: int = 0
    plan_transaction_value: float = 0.0
    county_targets: tuple[CountyTargets, ...] = ()
    groups: tuple[GroupRules, ...] = tuple(DEFAULT_GROUP_RULES.values())
    satisfaction_source: str = "accepted_sheet"  # one of SATISFACTION_SOURCES
    confirmation_days: int = 30  # how long a visit sheet's confirmation link stays valid
    source: str = ""  # where the rules came from: a file path, "sync" or "text"
    notes: tuple[Message, ...] = field(default_factory=tuple)

    def group(self, kind: str) -> GroupRules:
        return next((g for g in self.groups if g.kind == kind), DEFAULT_GROUP_RULES[kind])

    def county_target(self, county: str) -> CountyTargets | None:
        return next((c for c in self.county_targets if c.county == county), None)

    def grade(self, total: float) -> str:
        # Totals are rounded to one decimal before grading, as printed, so 89.96 is 90.0 and 优秀.
        total = round(total, 1)
        if total >= self.excellent:
            return "excellent"
        if total >= self.good:
            return "good"
        if total >= self.pass_mark:
            return "pass"
        return "fail"


# Which satisfaction ratings count (the rules file's `satisfaction_source`):
SATISFACTION_SOURCES: dict[str, Message] = {
    "served_party": Message(
        "仅计服务对象扫码自行评价的满意度", "only ratings the served party gave themselves (QR code page)"
    ),
    "accepted_sheet": Message(
        "计服务对象自行评价的满意度，或经审核人认可的签字确认单上的满意度",
        "the served party's own rating, or the rating on a signed sheet the reviewer accepted",
    ),
    "any": Message(
        "计服务对象自行评价的满意度，否则计特派员填报的满意度（未经核实）",
        "the served party's own rating, else the rating the commissioner entered (not verified)",
    ),
}


class RulesError(CommissionerError):
    """A rules file that cannot be used; the message lists every problem."""


def parse_rules(text: str, source: str = "text") -> Rules:
    """Rules from TOML text; raises RulesError naming every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(
            Message(
                f"考核细则 {source} 不是有效的 TOML：{exc}",
                f"The assessment rules {source} are not valid TOML: {exc}",
            )
        ) from None
    return rules_from_dict(data, source)


def rules_from_dict(data: dict[str, Any], source: str = "text") -> Rules:
    problems: list[Message] = []

    def bad(zh: str, en: str) -> None:
        problems.append(Message(zh, en))

    def number(
        value: Any, where_zh: str, where_en: str, *, minimum: float = 0, strict: bool = False
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            bad(f"{where_zh}应为数字", f"{where_en} must be a number")
            return 0.0
        if value < minimum or (strict and value <= minimum):
            relation_zh, relation_en = (
                ("大于" if strict else "不小于"),
                ("greater than" if strict else "at least"),
            )
            bad(f"{where_zh}应{relation_zh}{minimum:g}", f"{where_en} must be {relation_en} {minimum:g}")
        return float(value)

    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        bad("year（年度）缺失或不正确", "year is missing or not a valid year")
        year = 0
    grades = data.get("grades", {})
    if not isinstance(grades, dict):
        bad("[grades] 应为表", "[grades] must be a table")
        grades = {}
    excellent = number(grades.get("excellent", 90), "优秀分数线", "grades.excellent")
    good = number(grades.get("good", 75), "良好分数线", "grades.good")
    pass_mark = number(grades.get("pass", 60), "合格分数线", "grades.pass")
    if not excellent > good > pass_mark:
        bad("分数线应满足 优秀 > 良好 > 合格", "grade thresholds must satisfy excellent > good > pass")
    share = grades.get("excellent_share_cap")
    if share is not None:
        share = number(share, "优秀比例上限", "grades.excellent_share_cap")
        if not 0 < share <= 1:
            bad("优秀比例上限应在 0 到 1 之间", "grades.excellent_share_cap must be between 0 and 1")
    min_group = number(
        grades.get("excellent_share_min_group", 10),
        "执行优秀比例上限的最少人数",
        "grades.excellent_share_min_group",
        minimum=1,
    )
    plan = data.get("plan", {}) if isinstance(data.get("plan", {}), dict) else {}
    plan_active = number(
        plan.get("active_commissioners", 1000), "计划特派员人数", "plan.active_commissioners", strict=True
    )
    plan_solved = number(
        plan.get("problems_solved", 1000), "计划解决难题数", "plan.problems_solved", strict=True
    )

    plan_achievements = number(plan.get("achievements", 0), "计划成果转化数", "plan.achievements")
    plan_value = number(plan.get("transaction_value", 0), "计划技术交易额", "plan.transaction_value")
    county_targets: list[CountyTargets] = []
    raw_counties = plan.get("counties", {})
    if not isinstance(raw_counties, dict):
        bad("[plan.counties] 应为表", "[plan.counties] must be a table")
        raw_counties = {}
    for county, raw in raw_counties.items():
        if not isinstance(raw, dict):
            bad(f"[plan.counties.{county}] 应为表", f"[plan.counties.{county}] must be a table")
            continue
        unknown = set(raw) - set(PLAN_FIELDS)
        if unknown:
            bad(
                f"[plan.counties.{county}] 有未知的目标：{'、'.join(sorted(unknown))}",
                f"[plan.counties.{county}] has unknown targets: {', '.join(sorted(unknown))}",
            )
        values = {
            name: number(raw.get(name, 0), f"{county}的{label.zh}目标", f"{county} {name}")
            for name, label in PLAN_FIELDS.items()
        }
        county_targets.append(
            CountyTargets(
                str(county),
                int(values["active_commissioners"]),
                int(values["problems_solved"]),
                int(values["achievements"]),
                float(values["transaction_value"]),
            )
        )
    groups = dict(DEFAULT_GROUP_RULES)
    for kind in GROUP_KINDS_RULES:
        if kind in data:
            groups[kind] = _group_rules(kind, data[kind], number, bad)

    satisfaction_source = data.get("satisfaction_source", "accepted_sheet")
    if satisfaction_source not in SATISFACTION_SOURCES:
        bad(
            f"satisfaction_source（满意度来源）应为 {'、'.join(SATISFACTION_SOURCES)} 之一",
            f"satisfaction_source must be one of {', '.join(SATISFACTION_SOURCES)}",
        )
    confirmation_days = number(
        data.get("confirmation_days", 30), "确认链接有效天数", "confirmation_days", strict=True
    )
    parts: list[Part] = []
    raw_parts = data.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts:
        bad("缺少 [[parts]] 考核部分", "no [[parts]] are defined")
        raw_parts = []
    seen_metrics: set[str] = set()
    for i, raw in enumerate(raw_parts):
        where_zh, where_en = f"第{i + 1}个考核部分", f"part {i + 1}"
        if not isinstance(raw, dict):
            bad(f"{where_zh}应为表", f"{where_en} must be a table")
            continue
        key = str(raw.get("key", "")).strip()
        if not key:
            bad(f"{where_zh}缺少 key", f"{where_en} has no key")
        name = Message(str(raw.get("name_zh", key)), str(raw.get("name_en", raw.get("name_zh", key))))
        weight = number(raw.get("weight"), f"{where_zh}的分值 weight", f"{where_en} weight", strict=True)
        indicators: list[Indicator] = []
        raw_indicators = raw.get("indicators")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            bad(f"{where_zh}（{name.zh}）没有考核指标", f"{where_en} ({name.en}) has no indicators")
            raw_indicators = []
        for j, ind in enumerate(raw_indicators):
            iz, ie = f"{where_zh}第{j + 1}个指标", f"{where_en} indicator {j + 1}"
            if not isinstance(ind, dict):
                bad(f"{iz}应为表", f"{ie} must be a table")
                continue
            metric = ind.get("metric")
            if metric not in METRICS:
                bad(
                    f"{iz}的 metric 无效：{metric}（可用：{'、'.join(METRICS)}）",
                    f"{ie} has an unknown metric: {metric} (known: {', '.join(METRICS)})",
                )
                continue
            if metric in seen_metrics:
                bad(f"指标 {metric} 重复出现", f"the metric {metric} appears twice")
            seen_metrics.add(metric)
            target = number(
                ind.get("target"), f"{iz}（{metric}）的目标值 target", f"{ie} ({metric}) target", strict=True
            )
            points = number(
                ind.get("points"), f"{iz}（{metric}）的分值 points", f"{ie} ({metric}) points", strict=True
            )
            cap = number(ind.get("cap", points), f"{iz}（{metric}）的上限 cap", f"{ie} ({metric}) cap")
            if cap < points:
                bad(f"{iz}（{metric}）的上限 cap 小于分值 points", f"{ie} ({metric}) cap is below its points")
            indicators.append(Indicator(metric, target, points, cap))
        total_points = sum(ind.points for ind in indicators)
        if indicators and abs(total_points - weight) > 1e-6:
            bad(
                f"{where_zh}（{name.zh}）各指标分值之和 {total_points:g} 不等于该部分分值 {weight:g}",
                f"{where_en} ({name.en}): indicator points add up to {total_points:g}, not the "
                f"weight {weight:g}",
            )
        parts.append(Part(key, name, weight, tuple(indicators)))
    weights = sum(p.weight for p in parts)
    if parts and abs(weights - 100) > 1e-6:
        bad(f"各部分分值之和为 {weights:g}，应为 100", f"the part weights add up to {weights:g}, not 100")
    if problems:
        raise RulesError(
            Message(
                f"考核细则 {source} 有误：" + "；".join(p.zh for p in problems),
                f"The assessment rules {source} have problems: " + "; ".join(p.en for p in problems),
            )
        )
    title = Message(
        str(data.get("title_zh", f"{year}年度科技特派员考核")),
        str(data.get("title_en", data.get("title_zh", f"Assessment {year}"))),
    )
    return Rules(
        year=int(year),
        title=title,
        parts=tuple(parts),
        excellent=excellent,
        good=good,
        pass_mark=pass_mark,
        excellent_share_cap=share,
        excellent_share_min_group=int(min_group),
        plan_active_commissioners=int(plan_active),
        plan_problems_solved=int(plan_solved),
        plan_achievements=int(plan_achievements),
        plan_transaction_value=float(plan_value),
        county_targets=tuple(county_targets),
        groups=tuple(groups.values()),
        satisfaction_source=str(satisfaction_source),
        confirmation_days=int(confirmation_days),
        source=source,
    )


def _group_rules(kind: str, raw: Any, number: Any, bad: Any) -> GroupRules:
    """[team] / [workstation]: indicators (GROUP_METRICS) worth 100 points, and bonus_cap."""
    where_zh = {"team": "科技特派团考核 [team]", "workstation": "工作站考核 [workstation]"}[kind]
    if not isinstance(raw, dict):
        bad(f"{where_zh}应为表", f"[{kind}] must be a table")
        return DEFAULT_GROUP_RULES[kind]
    bonus_cap = number(raw.get("bonus_cap", 10), f"{where_zh}的加分上限 bonus_cap", f"[{kind}] bonus_cap")
    indicators: list[Indicator] = []
    raw_indicators = raw.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        bad(f"{where_zh}没有考核指标", f"[{kind}] has no indicators")
        raw_indicators = []
    seen: set[str] = set()
    for j, ind in enumerate(raw_indicators):
        iz, ie = f"{where_zh}第{j + 1}个指标", f"[{kind}] indicator {j + 1}"
        if not isinstance(ind, dict):
            bad(f"{iz}应为表", f"{ie} must be a table")
            continue
        metric = ind.get("metric")
        if metric not in GROUP_METRICS:
            bad(
                f"{iz}的 metric 无效：{metric}（可用：{'、'.join(GROUP_METRICS)}）",
                f"{ie} has an unknown metric: {metric} (known: {', '.join(GROUP_METRICS)})",
            )
            continue
        if metric in seen:
            bad(f"{where_zh}指标 {metric} 重复出现", f"[{kind}] metric {metric} appears twice")
        seen.add(metric)
        target = number(ind.get("target"), f"{iz}（{metric}）的目标值 target", f"{ie} target", strict=True)
        points = number(ind.get("points"), f"{iz}（{metric}）的分值 points", f"{ie} points", strict=True)
        cap = number(ind.get("cap", points), f"{iz}（{metric}）的上限 cap", f"{ie} cap")
        if cap < points:
            bad(f"{iz}（{metric}）的上限 cap 小于分值 points", f"{ie} cap is below its points")
        indicators.append(Indicator(str(metric), target, points, cap))
    total = sum(i.points for i in indicators)
    if indicators and abs(total - 100) > 1e-6:
        bad(
            f"{where_zh}各指标分值之和为 {total:g}，应为 100",
            f"[{kind}] indicator points add up to {total:g}, not 100",
        )
    return GroupRules(kind, tuple(indicators), bonus_cap)


def bundled_rules_dir() -> Path:
    return resources_dir() / "assessment"


def bundled_years() -> list[int]:
    return sorted(int(p.stem) for p in bundled_rules_dir().glob("*.toml") if p.stem.isdigit())


def load_rules_file(path: Path) -> Rules:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(
            Message(f"无法读取考核细则 {path}：{exc}", f"Cannot read the assessment rules {path}: {exc}")
        ) from None
    return parse_rules(text, str(path))


def load_rules(store: Store | None, year: int) -> Rules:
    """The rules for `year`: distributed by the bureau (pulled by sync into the assessment_rules table,
    or kept locally in meta), else bundled, else the nearest bundled year."""
    if store is not None:
        row = store.db.execute("SELECT toml FROM assessment_rules WHERE year = ?", [year]).fetchone()
        text = row[0] if row and row[0] else store.get_meta(META_KEY.format(year=year))
        if text:
            rules = parse_rules(text, f"assessment_rules:{year}")
            return _with(rules, source="sync")
    path = bundled_rules_dir() / f"{year}.toml"
    if path.exists():
        return load_rules_file(path)
    years = bundled_years()
    if not years:
        raise RulesError(Message("找不到任何考核细则文件", "No assessment rules file was found"))
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[0]
    log.info("no assessment rules for %s; using those of %s", year, chosen)
    rules = load_rules_file(bundled_rules_dir() / f"{chosen}.toml")
    note = Message(
        f"尚无{year}年度考核细则，暂按{chosen}年度细则计算。",
        f"No assessment rules for {year} yet; the rules of {chosen} were used.",
    )
    return _with(rules, notes=(*rules.notes, note))


def store_rules(store: Store, year: int, text: str) -> Rules:
    """Keep rules received from the bureau (validated first, so a bad file never replaces good rules)."""
    rules = parse_rules(text, f"assessment_rules:{year}")
    if rules.year != year:
        raise RulesError(
            Message(
                f"考核细则的年度 {rules.year} 与 {year} 不符", f"The rules are for {rules.year}, not {year}"
            )
        )
    store.set_meta(META_KEY.format(year=year), text)
    return rules


def _with(rules: Rules, **changes: Any) -> Rules:
    from dataclasses import replace

    return replace(rules, **changes)
