"""Shared service targets: duplicate detection, merging, and a target's service history.

A target is shared by the team or workstation of the commissioner who created it (the server's
scope, sync/server/scope.py). So that the same enterprise is not created twice:
- the same unified social credit code is refused, naming the target that has it;
- the same name, normalised (spaces, full-width characters, 有限公司 / 专业合作社 variants), in the
  same town is a warning that lists the candidates.
A target created twice offline converges on the server (sync/server/targets.py): the later one is
stored as merged into the first (`merged_into`), and every record pointing to it is re-pointed, on
the server and, through `follow_merges`, on every computer.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from commissioner_app.domain import ServiceTarget, now_iso
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store

# A target's details whose changes its page lists (a colleague's correction among them).
DETAIL_FIELDS = ("name", "contact_name", "contact_phone", "address", "credit_code")
# Tables whose records name a service target in `target_id`.
POINTING_TABLES = ("visits", "problems", "service_agreements", "achievements")

_SUFFIXES = (
    ("股份有限公司", "公司"),
    ("有限责任公司", "公司"),
    ("有限公司", "公司"),
    ("农民专业合作社联合社", "合作社"),
    ("农民专业合作社", "合作社"),
    ("专业合作社", "合作社"),
)
_NOISE = re.compile(r"[\s()（）\[\]【】·.,，、\-—_]+")
# The kind of place a name ends with, which people write or leave out: 双水镇 and 双水 are one town,
# 桥美村 and 桥美村委会 one village. Longest first; a name is never cut below two characters.
_PLACE_SUFFIXES = (
    "街道办事处",
    "村民委员会",
    "居民委员会",
    "村委会",
    "居委会",
    "街道",
    "社区",
    "镇",
    "乡",
    "村",
    "区",
    "县",
    "市",
)


def normalise_name(name: str) -> str:
    """The name as compared for duplicates: full-width folded (NFKC), no spaces or brackets, lower
    case, and the legal-form variants of companies and co-operatives made one."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).lower()
    for variant, plain in _SUFFIXES:
        text = text.replace(variant, plain)
    return text


def normalise_place(place: str) -> str:
    """A county, town or village as compared for one party: full-width folded (NFKC), no spaces or
    brackets, and without the kind of place it ends with (双水镇 = 双水, 桥美村 = 桥美)."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", place or ""))
    for suffix in _PLACE_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def normalise_code(code: str) -> str:
    return unicodedata.normalize("NFKC", code or "").strip().upper()


class DuplicateTargetError(CommissionerError):
    """The credit code belongs to a target that already exists: use that one."""

    def __init__(self, existing: ServiceTarget):
        super().__init__(
            Message(
                f"统一社会信用代码 {existing.credit_code} 已属于服务对象“{existing.name}”"
                f"（{existing.county}{existing.town}），请直接使用该服务对象。",
                f"The unified social credit code {existing.credit_code} already belongs to the service "
                f"target “{existing.name}” ({existing.county}{existing.town}); use that target.",
            )
        )
        self.existing = existing


class SimilarTargetsWarning(CommissionerError):
    """Targets of (nearly) the same name in the same town: perhaps the one to use."""

    def __init__(self, candidates: list[ServiceTarget]):
        names = "、".join(f"“{c.name}”" for c in candidates[:5])
        super().__init__(
            Message(
                f"同一镇（街道）已有名称相近的服务对象：{names}。如确为不同单位，请再次保存。",
                f"The same town already has service targets of a similar name: {names}. If this is "
                "really another one, save again.",
            )
        )
        self.candidates = candidates


def live_targets(store: Store, where: str = "1", params: list[Any] | None = None) -> list[ServiceTarget]:
    return store.all(ServiceTarget, f"deleted = 0 AND merged_into = '' AND ({where})", params or [])


def same_credit_code(store: Store, target: ServiceTarget) -> ServiceTarget | None:
    code = normalise_code(target.credit_code)
    if not code:
        return None
    found = live_targets(store, "upper(trim(credit_code)) = ? AND id != ?", [code, target.id])
    return found[0] if found else None


def similar_targets(store: Store, target: ServiceTarget) -> list[ServiceTarget]:
    """Other live targets in the same town (the county, when no town is given) with the same
    normalised name."""
    key = normalise_name(target.name)
    if not key:
        return []
    if target.town:
        rows = live_targets(store, "town = ? AND id != ?", [target.town, target.id])
    else:
        rows = live_targets(store, "county = ? AND id != ?", [target.county, target.id])
    return [t for t in rows if normalise_name(t.name) == key]


def check_duplicates(store: Store, target: ServiceTarget, *, allow_similar: bool = False) -> None:
    """Raise DuplicateTargetError for a credit code in use, SimilarTargetsWarning (unless allowed)
    for a new target whose normalised name is already in the town."""
    existing = same_credit_code(store, target)
    if existing is not None:
        raise DuplicateTargetError(existing)
    if allow_similar or store.get(ServiceTarget, target.id) is not None:
        return
    candidates = similar_targets(store, target)
    if candidates:
        raise SimilarTargetsWarning(candidates)


# A party's kind as its name says it: a word of its kind anywhere in it (a co-operative in a town
# is a co-operative; a company named after its village is a company), else how it ends (a name that
# begins with a town or has 村 in it is not therefore a town or a village: 双水镇鸿发养殖场 is a
# farm, 江门农村商业银行 a bank). For a party known only by its name; an enterprise otherwise.
_KIND_WORDS = (
    ("cooperative", ("合作社",)),
    ("family_farm", ("家庭农场",)),
    ("medical", ("卫生院", "卫生室", "卫生服务中心", "卫生服务站", "医院", "诊所")),
    ("school", ("学校", "小学", "中学", "大学", "学院", "幼儿园")),
    ("industrial_park", ("产业园", "工业园", "农业园区", "工业园区")),
    ("enterprise", ("公司", "集团", "企业", "度假村")),
    ("large_grower", ("大户", "专业户", "养殖户", "种植户")),
)
_KIND_ENDINGS = (
    ("village", ("村民委员会", "村委会", "居民委员会", "居委会", "村")),
    ("town", ("人民政府", "街道办事处", "镇", "乡", "街道")),
)


def kind_from_name(name: str) -> str:
    """The kind of a service target as its name says it; an enterprise when it says none."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    for kind, words in _KIND_WORDS:
        if any(word in text for word in words):
            return kind
    for kind, endings in _KIND_ENDINGS:
        if text.endswith(endings):
            return kind
    return "enterprise"


def target_named(
    store: Store, name: str, *, county: str = "", town: str = "", industry: str = ""
) -> tuple[ServiceTarget | None, bool]:
    """The target a party known only by its name is: the live one of this name (normalised) in the
    town (the county, without a town), or the one such a target was merged into; else a new one
    registered with what is known of it, its kind read from its name (to be corrected by hand).
    (None, False) for a name with nothing in it but spaces and punctuation; else (target, whether
    it was registered now)."""
    probe = ServiceTarget(name=name.strip(), county=county.strip(), town=town.strip())
    key = normalise_name(probe.name)
    if not key:
        return None, False
    found = similar_targets(store, probe)
    if found:
        return found[0], False
    place = ("town = ?", probe.town) if probe.town else ("county = ?", probe.county)
    merged = store.db.execute(
        f"SELECT name, merged_into FROM service_targets WHERE merged_into != '' AND {place[0]}", [place[1]]
    ).fetchall()
    for gone_name, into in merged:
        if normalise_name(gone_name) == key:
            survivor = _survivor(store, into)
            if survivor is not None:
                return survivor, False
    probe.type = kind_from_name(probe.name)
    probe.industry = industry.strip()
    return store.save(probe), True


def _merges(store: Store) -> dict[str, str]:
    """Every merged target here, and the one it was merged into."""
    return dict(store.db.execute("SELECT id, merged_into FROM service_targets WHERE merged_into != ''"))


def _final(merges: dict[str, str], target_id: str) -> str:
    """Where a target's records end, following a chain of merges (a cycle stops where it closes)."""
    seen: set[str] = set()
    while target_id in merges and target_id not in seen:
        seen.add(target_id)
        target_id = merges[target_id]
    return target_id


def final_target(store: Store, target_id: str) -> str:
    """The target a target's records are now under: itself, or the one it was merged into (at the
    end of a chain of merges)."""
    return _final(_merges(store), target_id)


def _survivor(store: Store, target_id: str) -> ServiceTarget | None:
    """The live target a merged one's records went to (`target_id`: where it was merged into)."""
    found = store.get(ServiceTarget, final_target(store, target_id))
    return found if found is not None and not found.merged_into else None


def merge_targets(store: Store, loser_id: str, survivor_id: str) -> int:
    """Merge `loser_id` into `survivor_id` here; the merge travels by sync (the server re-points every
    record on every computer). Returns how many local records now point to the survivor."""
    if loser_id == survivor_id:
        raise CommissionerError(
            Message("不能把服务对象合并到它自己", "A target cannot be merged into itself")
        )
    loser = store.require(ServiceTarget, loser_id)
    survivor = store.require(ServiceTarget, survivor_id)
    if survivor.merged_into or loser.merged_into:
        raise CommissionerError(
            Message(
                "该服务对象已被合并，请刷新后重试", "That target was merged already; refresh and try again"
            )
        )
    with store.atomic():
        loser.merged_into = survivor.id
        store.save(loser)
        store.delete(ServiceTarget, loser.id)
        return follow_merges(store)


def follow_merges(store: Store) -> int:
    """Re-point local records from merged targets to the targets they were merged into (following a
    chain), and retire the merged ones. Unsent local records are re-pointed as local edits (they are
    pushed so); synced ones take the value the server already gave them. Returns the records moved."""
    merged = _merges(store)
    if not merged:
        return 0
    moved = 0
    now = now_iso()
    with store.atomic():
        for loser in merged:
            survivor = _final(merged, loser)
            for table in POINTING_TABLES:
                ids = [r[0] for r in store.db.execute(f"SELECT id FROM {table} WHERE target_id = ?", [loser])]
                for record_id in ids:
                    store.db.execute(f"UPDATE {table} SET target_id = ? WHERE id = ?", [survivor, record_id])
                    store.db.execute(
                        "INSERT INTO record_history (table_name, record_id, changed_at, changed_by, changes) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [
                            table,
                            record_id,
                            now,
                            store.actor or "",
                            json.dumps({"target_id": [loser, survivor]}),
                        ],
                    )
                moved += len(ids)
        store.db.execute(
            "UPDATE service_targets SET deleted = 1 WHERE merged_into != '' AND deleted = 0 AND dirty = 0"
        )
    return moved


def undo_merge(store: Store, loser_id: str, survivor_id: str) -> int:
    """A merge made here that the central store refused: the records it re-pointed here (their
    history says so) point to the merged target again; this commissioner's own go to the server so
    (it may have had them re-pointed). Returns how many went back."""
    me = store.actor or ""
    change = json.dumps({"target_id": [loser_id, survivor_id]})
    moved = 0
    with store.atomic():
        rows = store.db.execute(
            "SELECT DISTINCT table_name, record_id FROM record_history WHERE changes = ?", [change]
        ).fetchall()
        for table, record_id in rows:
            if table not in POINTING_TABLES:
                continue
            found = store.db.execute(
                f"SELECT target_id, commissioner_id FROM {table} WHERE id = ?", [record_id]
            ).fetchone()
            if found is None or found[0] != survivor_id:
                continue
            mine = ", dirty = 1" if me and found[1] == me else ""
            store.db.execute(f"UPDATE {table} SET target_id = ?{mine} WHERE id = ?", [loser_id, record_id])
            moved += 1
    return moved


@dataclass
class TargetEvent:
    """One line of a target's service history."""

    day: str
    kind: str  # visit | problem | solution | agreement | change (of the target's own details)
    record_id: str
    title: str
    commissioner: str
    status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def target_history(store: Store, target_id: str) -> list[TargetEvent]:
    """Every visit, problem, solution and agreement for a target, newest first: the target's service
    history across the team (and across targets merged into it)."""
    ids = [target_id] + [
        r[0] for r in store.db.execute("SELECT id FROM service_targets WHERE merged_into = ?", [target_id])
    ]
    marks = ",".join("?" * len(ids))
    names = dict(store.db.execute("SELECT id, name FROM commissioners").fetchall())
    events: list[TargetEvent] = []
    for vid, day, content, who, review in store.db.execute(
        f"SELECT id, visit_date, content, commissioner_id, review_status FROM visits "
        f"WHERE target_id IN ({marks}) AND +deleted = 0 AND +is_draft = 0",
        ids,
    ):
        events.append(TargetEvent(day or "", "visit", vid, content or "", names.get(who, ""), review or ""))
    for pid, day, title, who, status in store.db.execute(
        f"SELECT id, raised_on, title, commissioner_id, status FROM problems "
        f"WHERE target_id IN ({marks}) AND +deleted = 0 AND +is_draft = 0",
        ids,
    ):
        events.append(TargetEvent(day or "", "problem", pid, title or "", names.get(who, ""), status or ""))
    for sid, day, text, who, tech in store.db.execute(
        f"SELECT s.id, coalesce(v.visit_date, p.solved_on, p.raised_on), s.description, s.commissioner_id, "
        f"s.technology FROM solutions s JOIN problems p ON p.id = s.problem_id "
        f"LEFT JOIN visits v ON v.id = s.visit_id "
        f"WHERE p.target_id IN ({marks}) AND +s.deleted = 0 AND +s.is_draft = 0",
        ids,
    ):
        events.append(
            TargetEvent(
                day or "", "solution", sid, text or "", names.get(who, ""), extra={"technology": tech}
            )
        )
    for aid, start, end, who, status in store.db.execute(
        f"SELECT id, start_date, end_date, commissioner_id, status FROM service_agreements "
        f"WHERE target_id IN ({marks}) AND +deleted = 0 AND +is_draft = 0",
        ids,
    ):
        events.append(
            TargetEvent(
                start or "",
                "agreement",
                aid,
                f"{start or ''} ~ {end or ''}",
                names.get(who, ""),
                status or "",
            )
        )
    for entry in store.history("service_targets", target_id):
        changes = {k: v for k, v in entry["changes"].items() if k in DETAIL_FIELDS}
        if changes:
            day = str(entry["changed_at"])[:10]
            events.append(TargetEvent(day, "change", str(entry["id"]), "", "", extra={"changes": changes}))
    events.sort(key=lambda e: (e.day, e.kind, e.record_id), reverse=True)
    return events


def target_commissioners(store: Store, target_id: str) -> list[str]:
    """The commissioners who served the target (visits, agreements), most visits first."""
    rows = store.db.execute(
        """SELECT c.name, count(*) AS n FROM (
               SELECT commissioner_id FROM visits WHERE target_id = ? AND +deleted = 0 AND +is_draft = 0
               UNION ALL SELECT commissioner_id FROM service_agreements WHERE target_id = ? AND +deleted = 0
           ) x JOIN commissioners c ON c.id = x.commissioner_id
           GROUP BY c.id ORDER BY n DESC, zh_name_key(c.name)""",
        [target_id, target_id],
    ).fetchall()
    return [r[0] for r in rows]


def merged_into(store: Store, target_id: str) -> list[tuple[str, str]]:
    """(id, name) of the targets merged into this one (retired, so not among the live ones)."""
    return [
        (str(i), str(n))
        for i, n in store.db.execute(
            "SELECT id, name FROM service_targets WHERE merged_into = ? ORDER BY zh_key(name)", [target_id]
        ).fetchall()
    ]
