"""Evidence checks a reviewer sees beside a visit (证据核验提示).

Each check is a warning, never a refusal: a reused photo or a distant location may have a good
reason, and the reviewer decides. All four run on the records this computer holds (a manager's
team, the bureau's city), in a few grouped queries for a whole review queue:
- the same photo (SHA-256) attached to more than one visit, anyone's (signed sheets are no photos);
- a photo taken (EXIF) more than REMOTE_DAYS days from the visit date;
- a photo located (EXIF GPS) more than REMOTE_KM km from the other photos of the same service target;
- one commissioner's visits overlapping in time at different places.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import TYPE_CHECKING

from commissioner_app.i18n import Message

if TYPE_CHECKING:
    from commissioner_app.store import Store

REMOTE_DAYS = 3
REMOTE_KM = 20.0

# A visit's signed confirmation sheet (签字确认单) is one of its attachments but not a photo: it is
# not counted, listed or checked as one. SQL over `attachments a` joined to its visit `v`; the kind
# marks it, and the visit's confirm_sheet_sha256 also finds one filed under another kind.
NOT_THE_SHEET = "a.kind != 'confirmation_sheet' AND a.sha256 != v.confirm_sheet_sha256"

KINDS: dict[str, Message] = {
    "reused_photo": Message("照片重复使用", "Photo used again"),
    "photo_date": Message("拍摄时间不符", "Photo date differs"),
    "photo_place": Message("拍摄地点偏远", "Photo taken far away"),
    "overlap": Message("时间重叠", "Overlapping visits"),
    "same_day": Message("同日重复", "Same place, same day"),
    "long_visit": Message("时长过长", "Very long visit"),
    "county": Message("地区不符", "County differs"),
    "approval_refused": Message("上次的通过未被接受", "Last approval refused"),
}


@dataclass(frozen=True)
class EvidenceWarning:
    visit_id: str
    kind: str  # one of KINDS
    message: Message

    @property
    def title(self) -> Message:
        return KINDS[self.kind]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def evidence_warnings(store: Store, visit_ids: Iterable[str]) -> dict[str, list[EvidenceWarning]]:
    """The warnings of each visit asked for (visits without any are left out)."""
    ids = list(dict.fromkeys(visit_ids))
    found: dict[str, list[EvidenceWarning]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        checks = (_refused, _photos, _overlaps, _same_day, _long_visits, _other_county)
        for warning in [w for check in checks for w in check(store, part)]:
            found.setdefault(warning.visit_id, []).append(warning)
    return found


# The reviewer's approvals the central store refused (the evidence changed after they read it) and
# the sync withdrew: record id -> the reason, until the reviewer decides on the record again.
META_REFUSED_APPROVALS = "refused_approvals"


def refused_approvals(store: Store) -> dict[str, dict[str, str]]:
    try:
        kept = json.loads(store.get_meta(META_REFUSED_APPROVALS) or "{}")
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


def note_refused_approval(store: Store, record_id: str, reason: Message) -> None:
    """An approval of `record_id` the central store refused: the queue says why it is back."""
    kept = refused_approvals(store)
    kept[record_id] = {"zh": reason.zh, "en": reason.en}
    store.set_meta(META_REFUSED_APPROVALS, json.dumps(kept, ensure_ascii=False))


def forget_refused_approvals(store: Store, record_ids: Iterable[str]) -> None:
    """The reviewer decided on these records again."""
    kept = refused_approvals(store)
    if any(kept.pop(r, None) for r in list(record_ids)):
        store.set_meta(META_REFUSED_APPROVALS, json.dumps(kept, ensure_ascii=False))


def _refused(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    kept = refused_approvals(store)
    found = []
    for record_id in ids:
        reason = kept.get(record_id)
        if isinstance(reason, dict):
            said = Message(str(reason.get("zh", "")), str(reason.get("en", "")))
            found.append(EvidenceWarning(record_id, "approval_refused", said))
    return found


def _photos(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    marks = ",".join("?" * len(ids))
    photos = store.db.execute(
        f"""SELECT a.owner_id, a.sha256, a.original_name, a.taken_at, a.gps_lat, a.gps_lon,
               v.visit_date, v.target_id
           FROM attachments a JOIN visits v ON v.id = a.owner_id
           WHERE a.owner_table = 'visits' AND a.owner_id IN ({marks}) AND +a.deleted = 0
             AND {NOT_THE_SHEET}""",
        ids,
    ).fetchall()
    if not photos:
        return []
    warnings: list[EvidenceWarning] = []
    hashes = sorted({p[1] for p in photos})
    used: dict[str, set[str]] = {}
    for start in range(0, len(hashes), 500):
        part = hashes[start : start + 500]
        for sha, owner in store.db.execute(
            f"""SELECT a.sha256, a.owner_id FROM attachments a JOIN visits v ON v.id = a.owner_id
               WHERE a.owner_table = 'visits' AND a.sha256 IN ({",".join("?" * len(part))})
                 AND +a.deleted = 0 AND +v.deleted = 0 AND {NOT_THE_SHEET}""",
            part,
        ):
            used.setdefault(sha, set()).add(owner)
    targets = sorted({p[7] for p in photos if p[7]})
    located: dict[str, list[tuple[str, float, float]]] = {}
    for start in range(0, len(targets), 500):
        part = targets[start : start + 500]
        for target, sha, lat, lon in store.db.execute(
            f"""SELECT v.target_id, a.sha256, a.gps_lat, a.gps_lon FROM attachments a
               JOIN visits v ON v.id = a.owner_id
               WHERE a.owner_table = 'visits' AND v.target_id IN ({",".join("?" * len(part))})
                 AND a.gps_lat IS NOT NULL AND a.gps_lon IS NOT NULL AND +a.deleted = 0 AND +v.deleted = 0
                 AND {NOT_THE_SHEET}""",
            part,
        ):
            located.setdefault(target, []).append((sha, lat, lon))
    for visit_id, sha, name, taken_at, lat, lon, visit_date, target in photos:
        label = name or sha[:8]
        others = len(used.get(sha, set()) - {visit_id})
        if others:
            warnings.append(
                EvidenceWarning(
                    visit_id,
                    "reused_photo",
                    Message(
                        f"照片“{label}”也附在另外 {others} 条服务记录中",
                        f"Photo “{label}” is also attached to {others} other visit(s)",
                    ),
                )
            )
        days = _days_apart(taken_at, visit_date)
        if days is not None and days > REMOTE_DAYS:
            warnings.append(
                EvidenceWarning(
                    visit_id,
                    "photo_date",
                    Message(
                        f"照片“{label}”拍摄于 {taken_at[:10]}，与服务日期相差 {days} 天",
                        f"Photo “{label}” was taken on {taken_at[:10]}, {days} days from the visit date",
                    ),
                )
            )
        if lat is None or lon is None or not target:
            continue
        rest = [(la, lo) for s, la, lo in located.get(target, []) if s != sha]
        if not rest:
            continue
        centre = (median(la for la, _ in rest), median(lo for _, lo in rest))
        km = distance_km(lat, lon, *centre)
        if km > REMOTE_KM:
            warnings.append(
                EvidenceWarning(
                    visit_id,
                    "photo_place",
                    Message(
                        f"照片“{label}”的拍摄地点距该服务对象的其他照片约 {km:.0f} 公里",
                        f"Photo “{label}” was taken about {km:.0f} km from this target's other photos",
                    ),
                )
            )
    return warnings


def _days_apart(taken_at: str | None, visit_date: str | None) -> int | None:
    if not taken_at or not visit_date:
        return None
    try:
        taken = datetime.fromisoformat(taken_at).date()
        return abs((taken - date.fromisoformat(visit_date)).days)
    except ValueError:
        return None


def _overlaps(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    """Visits of the same commissioner on the same day whose times overlap, at another target or town."""
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(
        f"""SELECT v.id, o.id, o.start_time, o.end_time, coalesce(t.name, o.town, '')
           FROM visits v JOIN visits o ON o.commissioner_id = v.commissioner_id
               AND o.visit_date = v.visit_date AND o.id != v.id
           LEFT JOIN service_targets t ON t.id = o.target_id
           WHERE v.id IN ({marks}) AND +o.deleted = 0 AND o.is_draft = 0
             AND o.start_time < v.end_time AND v.start_time < o.end_time
             AND (coalesce(o.target_id, '') != coalesce(v.target_id, '') OR o.town != v.town)""",
        ids,
    ).fetchall()
    return [
        EvidenceWarning(
            visit_id,
            "overlap",
            Message(
                f"同一时间（{start}–{end}）另有一条在“{place}”的服务记录",
                f"Another visit at “{place}” overlaps in time ({start}–{end})",
            ),
        )
        for visit_id, _other, start, end, place in rows
    ]


def _same_day(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    """Other visits of the same commissioner to the same party on the same day: one visit logged
    twice, or split into several, each counted as a visit. The same party also when it was
    registered twice (saved again past the 疑似重复 warning; see _twins)."""
    marks = ",".join("?" * len(ids))
    others: dict[str, list[tuple[str, str, str]]] = {}
    names: dict[str, str] = {}
    for visit_id, start, end, name in store.db.execute(
        f"""SELECT v.id, o.start_time, o.end_time, coalesce(t.name, '')
           FROM visits v JOIN visits o ON o.commissioner_id = v.commissioner_id
               AND o.visit_date = v.visit_date AND o.target_id = v.target_id AND o.id != v.id
           LEFT JOIN service_targets t ON t.id = v.target_id
           WHERE v.id IN ({marks}) AND +o.deleted = 0 AND o.is_draft = 0""",
        ids,
    ).fetchall():
        others.setdefault(visit_id, []).append((start, end, ""))
        names[visit_id] = name
    twins, target_names = _twins(store, ids)
    wanted = sorted({twin for found in twins.values() for twin in found})
    for first in range(0, len(wanted), 5000):  # (within SQLite's limit of parameters)
        part = wanted[first : first + 5000]
        # (+o.target_id: the visits of the commissioner that day are few; those of a twin, many.)
        for visit_id, start, end, target_id, twin in store.db.execute(
            f"""SELECT v.id, o.start_time, o.end_time, v.target_id, o.target_id
               FROM visits v JOIN visits o ON o.commissioner_id = v.commissioner_id
                   AND o.visit_date = v.visit_date AND o.target_id != v.target_id
               WHERE v.id IN ({marks}) AND +o.target_id IN ({",".join("?" * len(part))})
                 AND +o.deleted = 0 AND o.is_draft = 0""",
            [*ids, *part],
        ).fetchall():
            if twin in twins.get(target_id, ()):
                others.setdefault(visit_id, []).append((start, end, target_names[twin]))
                names[visit_id] = target_names[target_id]
    warnings = []
    for visit_id, times in others.items():
        times.sort()
        zh_times = "、".join(f"{a}–{b}" + (f"，服务对象登记为“{o}”" if o else "") for a, b, o in times)
        en_times = ", ".join(f"{a}–{b}" + (f", target recorded as “{o}”" if o else "") for a, b, o in times)
        place = names[visit_id]
        message = Message(
            f"同一天在“{place}”另有 {len(times)} 条服务记录（{zh_times}）",
            f"{len(times)} more visit{'s' if len(times) > 1 else ''} to “{place}” that day ({en_times})",
        )
        warnings.append(EvidenceWarning(visit_id, "same_day", message))
    return warnings


def _twins(store: Store, ids: list[str]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """For the targets of these visits, the other target records of the same party: the same unified
    social credit code, or the same name as compared for duplicates (targets.normalise_name) in the
    same town (the county, without a town) and village, unless both have a code and the codes differ
    (two legal persons of one name) or both name a village and the villages differ (two farmers 王伟
    of one town); a place with no county is no place. With the names of the targets looked at, by id."""
    from commissioner_app.targets import normalise_name, normalise_place

    def place(county: str, town: str) -> str:
        # (The county with the town: towns of one name lie in several counties. 双水镇 and 双水
        # are one town.) No county, no place.
        county = normalise_place(county)
        return f"{county}/{normalise_place(town)}" if county else ""

    code = "upper(trim(coalesce(t.credit_code, '')))"
    visited = store.db.execute(
        f"""SELECT DISTINCT t.id, t.name, coalesce(t.county, ''), coalesce(t.town, ''), {code},
               coalesce(t.village, '')
           FROM visits v JOIN service_targets t ON t.id = v.target_id
           WHERE v.id IN ({",".join("?" * len(ids))})""",
        ids,
    ).fetchall()
    mine = [(t, name, place(c, town), n, normalise_place(v)) for t, name, c, town, n, v in visited]
    # The targets of those counties (their towns compared below, as written or not), and of those codes.
    counties = sorted({c for _, _, c, _, _, _ in visited if normalise_place(c)})
    codes = sorted({n for _, _, _, _, n, _ in visited if n})
    by_name: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    by_code: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for target_id, name, county, town, number, village in store.db.execute(
        f"""SELECT t.id, t.name, coalesce(t.county, ''), coalesce(t.town, ''), {code}, coalesce(t.village, '')
           FROM service_targets t
           WHERE coalesce(t.county, '') IN ({",".join("?" * len(counties))})
              OR {code} IN ({",".join("?" * len(codes))})""",
        [*counties, *codes],
    ).fetchall():
        names[target_id] = name
        where = place(county, town)
        if (key := normalise_name(name)) and where:
            by_name.setdefault((where, key), []).append((target_id, number, normalise_place(village)))
        if number:
            by_code.setdefault(number, set()).add(target_id)
    twins = {}
    for target_id, name, where, number, village in mine:
        named = by_name.get((where, normalise_name(name)), []) if where else []
        found = {
            t
            for t, n, v in named
            if not (number and n and n != number) and not (village and v and v != village)
        } | by_code.get(number, set())
        if found - {target_id}:
            twins[target_id] = found - {target_id}
    return twins, names


LONG_VISIT_MINUTES = 12 * 60  # a long field day is 8 to 10 hours; 00:00–23:59 is not a visit


def _long_visits(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    marks = ",".join("?" * len(ids))
    warnings = []
    for visit_id, start, end in store.db.execute(
        f"SELECT id, start_time, end_time FROM visits WHERE id IN ({marks})", ids
    ).fetchall():
        minutes = _minutes(end) - _minutes(start) if _minutes(start) >= 0 and _minutes(end) >= 0 else 0
        if minutes > LONG_VISIT_MINUTES:
            hours, rest = divmod(minutes, 60)
            message = Message(
                f"服务时长 {hours} 小时 {rest} 分，超过 {LONG_VISIT_MINUTES // 60} 小时",
                f"The visit lasted {hours} h {rest} min, over {LONG_VISIT_MINUTES // 60} hours",
            )
            warnings.append(EvidenceWarning(visit_id, "long_visit", message))
    return warnings


def _minutes(hhmm: str | None) -> int:
    """Minutes after midnight of a time "HH:MM"; -1 for anything else."""
    try:
        hours, minutes = str(hhmm or "").split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return -1


def _other_county(store: Store, ids: list[str]) -> list[EvidenceWarning]:
    """A visit whose county is not its target's: the counties a team covers are counted from visits."""
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(
        f"""SELECT v.id, v.county, t.county FROM visits v JOIN service_targets t ON t.id = v.target_id
           WHERE v.id IN ({marks}) AND t.county != '' AND v.county != '' AND v.county != t.county""",
        ids,
    ).fetchall()
    return [
        EvidenceWarning(
            visit_id,
            "county",
            Message(
                f"服务记录的区县（{county}）与服务对象所在区县（{theirs}）不同",
                f"The visit's county ({county}) is not its target's ({theirs})",
            ),
        )
        for visit_id, county, theirs in rows
    ]
