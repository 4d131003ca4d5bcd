"""The plan's yearly lists by county (年度清单): each county's own targets against what it achieved,
and the exemplars (先进典型) the bureau named for a year.

The targets are data in the year's rules file ([plan.counties."台山市"] ...), which the bureau edits
and distributes by sync like every rule. Achievements and transaction value (成果转化、技术交易额)
are counted from the achievements register when this store has one; until then they show "—".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commissioner_app.assessment_rules import PLAN_FIELDS, Rules
from commissioner_app.collation import zh_key
from commissioner_app.domain import EXEMPLAR_KINDS
from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.store import Store


@dataclass(frozen=True)
class CountyLine:
    """One figure of one county: achieved against its own target (None: not counted here yet)."""

    field: str  # PLAN_FIELDS
    actual: float | None
    target: float

    @property
    def label(self) -> Message:
        return PLAN_FIELDS[self.field]

    @property
    def ratio(self) -> float | None:
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target


@dataclass(frozen=True)
class CountyProgress:
    county: str
    lines: tuple[CountyLine, ...]
    has_targets: bool

    def line(self, name: str) -> CountyLine:
        return next(line for line in self.lines if line.field == name)


def county_progress(
    rules: Rules, by_county: list[dict[str, Any]], extra: dict[str, dict[str, float]]
) -> list[CountyProgress]:
    """Every county with targets or activity, in the order of the rules file (then by name).

    `by_county`: the city overview's rows (county, commissioners, problems_solved); `extra`: counts
    per county of the other fields (achievements, transaction_value) when the store has them."""
    actual: dict[str, dict[str, float | None]] = {}
    for row in by_county:
        if row.get("county"):
            actual[row["county"]] = {
                "active_commissioners": row.get("commissioners", 0),
                "problems_solved": row.get("problems_solved", 0),
            }
    for name, values in extra.items():
        for county, value in values.items():
            actual.setdefault(county, {})[name] = value
    names = [c.county for c in rules.county_targets]
    names += sorted(set(actual) - set(names))
    result = []
    for county in names:
        target = rules.county_target(county)
        found = actual.get(county, {})
        lines = []
        for name in PLAN_FIELDS:
            got: float | None = found.get(name)
            if got is None and (name in ("active_commissioners", "problems_solved") or name in extra):
                got = 0.0
            lines.append(CountyLine(name, got, float(getattr(target, name)) if target else 0.0))
        result.append(CountyProgress(county, tuple(lines), target is not None))
    return result


def achievement_counts(store: Store, start: str, end: str) -> dict[str, dict[str, float]]:
    """Approved achievements and their transaction value (技术交易额) per county of the served party,
    by the register's own rule (commissioner_app.achievements.by_county)."""
    from commissioner_app.achievements import by_county

    rows = by_county(store, start=start, end=end)
    return {
        "achievements": {row["county"]: row["count"] for row in rows},
        "transaction_value": {row["county"]: round(float(row["value"]), 2) for row in rows},
    }


@dataclass(frozen=True)
class ExemplarRow:
    id: str
    year: int
    kind: str
    subject_id: str
    name: str  # the commissioner's, team's or workstation's name
    detail: str  # sending unit, or county
    title: str
    citation: str
    grade: str  # the published grade (commissioners), else ""
    total: float | None
    nominated_by: str
    nominated_at: str

    @property
    def kind_label(self) -> Message:
        return EXEMPLAR_KINDS.get(self.kind, Message(self.kind, self.kind))


def exemplars(store: Store, year: int, subject_id: str | None = None) -> list[ExemplarRow]:
    """The exemplars of a year (of one subject when given), commissioners first, then by name."""
    rows = store.db.query(
        """SELECT e.id, e.year, e.subject_kind, e.subject_id, e.title, e.citation, e.nominated_by,
                  e.nominated_at,
                  coalesce(c.name, t.name, w.name, e.subject_id) AS name,
                  coalesce(c.sending_unit, t.county, w.county, '') AS detail,
                  r.grade, r.total
           FROM exemplars e
           LEFT JOIN commissioners c ON e.subject_kind = 'commissioner' AND c.id = e.subject_id
           LEFT JOIN teams t ON e.subject_kind = 'team' AND t.id = e.subject_id
           LEFT JOIN workstations w ON e.subject_kind = 'workstation' AND w.id = e.subject_id
           LEFT JOIN assessment_results r ON e.subject_kind = 'commissioner' AND r.deleted = 0
                AND r.year = e.year AND r.commissioner_id = e.subject_id
           WHERE e.year = ? AND e.deleted = 0 AND e.is_draft = 0 AND (? IS NULL OR e.subject_id = ?)""",
        [year, subject_id, subject_id],
    )
    order = {k: i for i, k in enumerate(EXEMPLAR_KINDS)}
    found = [
        ExemplarRow(
            r["id"],
            r["year"],
            r["subject_kind"],
            r["subject_id"],
            r["name"],
            r["detail"],
            r["title"],
            r["citation"],
            r["grade"] or "",
            r["total"],
            r["nominated_by"],
            r["nominated_at"],
        )
        for r in rows
    ]
    return sorted(found, key=lambda e: (order.get(e.kind, 9), zh_key(e.title), zh_key(e.name), e.id))
