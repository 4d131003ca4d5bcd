"""Reference data and assessment rules the bureau edits (基础数据): towns, industries, yearly rules.

An edit is kept here and marked for the next sync (`sync/bureau_push.py` publishes it).
"""

from __future__ import annotations

from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges
from commissioner_app.reference import RefItem, reference, replace_reference
from commissioner_app.store import Store

# The assessment rules' parser is imported where it is used: the sync reads the marks below at
# every start, and the rules' module was 8 ms of a `commissioner sync` process's imports.

# Marks the next sync reads to publish the bureau's edits.
META_REFERENCE_EDITED = "reference_edited:{kind}"
META_RULES_EDITED = "assessment_rules_edited:{year}"

SOURCE = "bureau"


def save_towns(store: Store, county_code: str, towns: list[tuple[str, str, str]]) -> OpChanges:
    """Replace the towns of one county (code, Chinese name, English name); other counties' stay."""
    others = [t for t in reference(store, "town") if t.parent_code != county_code]
    mine = [RefItem("town", code, zh, en, county_code, n) for n, (code, zh, en) in enumerate(towns)]
    with store.atomic():
        replace_reference(store, "town", others + mine, source=SOURCE)
        store.set_meta(META_REFERENCE_EDITED.format(kind="town"), "1")
    return OpChanges.of("reference_items")


def save_industries(store: Store, industries: list[tuple[str, str, str]]) -> OpChanges:
    old = {i.code: i for i in reference(store, "industry")}
    items = [
        RefItem("industry", code, zh, en, old[code].parent_code if code in old else "", n)
        for n, (code, zh, en) in enumerate(industries)
    ]
    with store.atomic():
        replace_reference(store, "industry", items, source=SOURCE)
        store.set_meta(META_REFERENCE_EDITED.format(kind="industry"), "1")
    return OpChanges.of("reference_items")


def reference_summary(store: Store) -> tuple[int, int]:
    """(kinds, items) of the reference data loaded: regions, industries, service types…"""
    kinds, items = store.db.execute("SELECT count(DISTINCT kind), count(*) FROM reference_items").fetchone()
    return int(kinds), int(items)


def rules_text(store: Store, year: int) -> str:
    """The year's rules as distributed (pulled or edited here), else the bundled file, else empty."""
    row = store.db.execute("SELECT toml FROM assessment_rules WHERE year = ?", [year]).fetchone()
    if row and row[0]:
        return str(row[0])
    from commissioner_app.assessment_rules import bundled_rules_dir

    path = bundled_rules_dir() / f"{year}.toml"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def save_rules(store: Store, year: int, text: str) -> OpChanges:
    """Validate, then keep the rules for `year`; a bad text raises RulesError and changes nothing."""
    from commissioner_app.assessment_rules import parse_rules

    rules = parse_rules(text, f"assessment_rules:{year}")
    if rules.year != year:
        raise CommissionerError(
            Message(
                f"考核细则中的年度（{rules.year}）与所选年度（{year}）不符。",
                f"The rules are for {rules.year}, not for the chosen year {year}.",
            )
        )
    with store.atomic():
        store.db.execute(
            "INSERT INTO assessment_rules (year, toml) VALUES (?, ?) "
            "ON CONFLICT(year) DO UPDATE SET toml = excluded.toml",
            [year, text],
        )
        store.set_meta(META_RULES_EDITED.format(year=year), "1")
    return OpChanges.of("assessment_rules")
