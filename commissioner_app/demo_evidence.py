"""Evidence for the demo: small real JPEG photos with EXIF time and GPS, and confirmation-sheet scans.

Drawn with Pillow from a seeded random generator, so the same seed gives the same bytes (and hashes).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PIL import Image, ImageDraw
from PIL.ExifTags import IFD

from commissioner_app.attachments import INCOMING_PREFIX, blob_path, thumbnail_path
from commissioner_app.domain import uuid7
from commissioner_app.store import Store

# Rough centres of Jiangmen's county-level divisions (latitude, longitude).
COUNTY_GPS = {
    "蓬江区": (22.60, 113.07),
    "江海区": (22.56, 113.11),
    "新会区": (22.46, 113.03),
    "台山市": (22.25, 112.79),
    "开平市": (22.38, 112.70),
    "鹤山市": (22.77, 112.96),
    "恩平市": (22.18, 112.31),
}
PHOTO_SIZE = (320, 240)


class SeededIds:
    """Ids of demo records as the application makes them (version 7, `domain.new_id`: they sort in
    the order the records were made), from a seeded generator: the same seed gives the same ids.
    The first is made at 08:00 UTC on `start`, each next one a second later."""

    def __init__(self, rng: random.Random, start: date) -> None:
        self.rng = rng
        self.milliseconds = int(datetime.combine(start, time(8), tzinfo=UTC).timestamp() * 1000)

    def __call__(self) -> str:
        self.milliseconds += 1000
        bits = self.rng.getrandbits(128)  # as many as a version 4 id took: the rest of a demo is as it was
        return uuid7(self.milliseconds, bits >> 62, bits)


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return float(degrees), float(minutes), round((minutes_full - minutes) * 60, 2)


def _exif(day: date, time_hm: str, lat: float, lon: float) -> Image.Exif:
    stamp = f"{day:%Y:%m:%d} {time_hm}:00"
    exif = Image.Exif()
    exif[0x0132] = stamp  # DateTime
    exif[0x010F] = "Demo"  # Make
    exif.get_ifd(IFD.Exif)[36867] = stamp  # DateTimeOriginal
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[1], gps[2] = "N", _dms(lat)
    gps[3], gps[4] = "E", _dms(lon)
    return exif


def field_photo(rng: random.Random, county: str, day: date, time_hm: str) -> tuple[bytes, float, float]:
    """A small field scene (sky, fields, plants) with EXIF time and GPS near the county's centre."""
    lat, lon = COUNTY_GPS.get(county, (22.58, 113.08))
    lat += rng.uniform(-0.08, 0.08)
    lon += rng.uniform(-0.08, 0.08)
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE, (135 + rng.randint(-20, 20), 190 + rng.randint(-20, 20), 230))
    draw = ImageDraw.Draw(img)
    horizon = rng.randint(70, 130)
    draw.rectangle((0, horizon, w, h), fill=(70 + rng.randint(-20, 30), 130 + rng.randint(-30, 30), 60))
    for _ in range(rng.randint(8, 18)):
        x, y = rng.randint(0, w - 10), rng.randint(horizon, h - 10)
        size = rng.randint(6, 40)
        draw.ellipse(
            (x, y, x + size, y + size * 2 // 3),
            fill=(rng.randint(20, 120), rng.randint(100, 200), rng.randint(20, 80)),
        )
    for _ in range(rng.randint(0, 3)):  # a shed or a tank
        x = rng.randint(0, w - 60)
        draw.rectangle((x, horizon - 30, x + rng.randint(30, 60), horizon + 10), fill=(180, 170, 150))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70, exif=_exif(day, time_hm, lat, lon))
    return out.getvalue(), round(lat, 6), round(lon, 6)


def sheet_scan(rng: random.Random, day: date, time_hm: str, county: str) -> bytes:
    """A scanned paper sheet: ruled lines of handwriting, a signature and a red stamp."""
    lat, lon = COUNTY_GPS.get(county, (22.58, 113.08))
    img = Image.new("RGB", (240, 320), (246, 244, 236))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 14, 180, 26), fill=(40, 40, 40))  # the title
    for row in range(12):
        y = 44 + row * 18
        draw.line((16, y + 10, 224, y + 10), fill=(200, 200, 200))
        draw.line((20, y + 4, 20 + rng.randint(80, 200), y + 4), fill=(30, 30, 90), width=2)
    cx, cy = rng.randint(150, 190), rng.randint(250, 280)
    draw.ellipse((cx - 28, cy - 28, cx + 28, cy + 28), outline=(200, 30, 30), width=3)
    draw.line((30, 290, 110, 280 + rng.randint(-8, 8)), fill=(20, 20, 20), width=2)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=60, exif=_exif(day, time_hm, lat, lon))
    return out.getvalue()


def keep(store: Store, data: bytes) -> str:
    """Store a generated JPEG under its hash, with its thumbnail (the image is already that small).

    Written without the fsync a user's file gets (store_bytes): demo data can be made again, and a
    thousand fsyncs would make the first start with demo data wait for the disk."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(store, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming = target.with_name(INCOMING_PREFIX + sha)
        incoming.write_bytes(data)
        os.replace(incoming, target)
    thumb = thumbnail_path(store, sha)
    if not thumb.exists():
        thumb.parent.mkdir(parents=True, exist_ok=True)
        thumb.write_bytes(data)
    return sha


def attach(store: Store, visits: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Photos for about a third of the visits and a signed sheet's scan for about one in six; the
    attachment rows (in the sync state of their visit) are returned, the visits updated in place."""
    rng = random.Random(f"evidence-{seed}")
    new_id = SeededIds(rng, min((date.fromisoformat(v["visit_date"]) for v in visits), default=date.today()))
    rows: list[dict[str, Any]] = []

    def row(visit: dict[str, Any], sha: str, size: int, kind: str, name: str, **extra: Any) -> None:
        rows.append(
            {
                "id": new_id(),
                "sha256": sha,
                "owner_table": "visits",
                "owner_id": visit["id"],
                "kind": kind,
                "mime": "image/jpeg",
                "size": size,
                "original_name": name,
                **extra,
                **{k: visit[k] for k in SYNC_KEYS},
            }
        )

    for visit in visits:
        if visit.get("is_draft"):
            continue
        day = date.fromisoformat(visit["visit_date"])
        start = str(visit["start_time"])
        if rng.random() < 1 / 3:
            for n in range(rng.choice((1, 1, 2, 3))):
                data, lat, lon = field_photo(rng, visit["county"], day, start)
                taken = f"{day.isoformat()}T{start}:00"
                name = f"IMG_{day:%Y%m%d}_{start.replace(':', '')}{n:02d}.jpg"
                sha = keep(store, data)
                row(visit, sha, len(data), "photo", name, taken_at=taken, gps_lat=lat, gps_lon=lon)
                if n == 0:
                    visit["gps_lat"], visit["gps_lon"] = lat, lon
        if rng.random() < 1 / 6:
            data = sheet_scan(rng, day, str(visit["end_time"]), visit["county"])
            sha = keep(store, data)
            row(visit, sha, len(data), "confirmation_sheet", f"服务确认单_{day:%Y%m%d}.jpg", taken_at="")
            visit["confirm_sheet_sha256"] = sha
    return rows


SYNC_KEYS = ("rev", "server_seq", "dirty", "base_rev", "created_at", "updated_at")


AGREEMENT_STATUS_ROLL = (
    "signed",
    "signed",
    "signed",
    "midterm",
    "midterm",
    "completed",
    "draft",
    "terminated",
)
DELIVERABLES = [
    "建立科技示范基地1个，形成技术规程1份。",
    "编制产业技术培训教材，培养本土技术骨干3名。",
    "协助申报市级农业科技项目1项。",
    "完成生产线工艺诊断报告，提出改进方案。",
]


def agreements(
    targets: list[dict[str, Any]], visits: list[dict[str, Any]], seed: int, end: date
) -> list[dict[str, Any]]:
    """Service agreements for about a quarter of the targets: the commissioner who served the target
    most, a one- to three-year period around those visits, agreed targets of the right size."""
    rng = random.Random(f"agreements-{seed}")
    new_id = SeededIds(rng, end - timedelta(days=3 * 366))
    served: dict[str, dict[str, int]] = {}
    first_day: dict[str, str] = {}
    for v in visits:
        if v.get("is_draft"):
            continue
        per = served.setdefault(v["target_id"], {})
        per[v["commissioner_id"]] = per.get(v["commissioner_id"], 0) + 1
        first_day[v["target_id"]] = min(first_day.get(v["target_id"], v["visit_date"]), v["visit_date"])
    rows = []
    for i, t in enumerate(targets):
        if t["id"] not in served or rng.random() >= 0.25:
            continue
        ranked = sorted(served[t["id"]].items(), key=lambda kv: (-kv[1], kv[0]))
        who = ranked[0][0]
        start = date.fromisoformat(first_day[t["id"]]) - timedelta(days=rng.randint(0, 60))
        start = start.replace(day=1)
        years = rng.choice((1, 2, 3))
        finish = date(start.year + years, start.month, 1) - timedelta(days=1)
        status = rng.choice(AGREEMENT_STATUS_ROLL)
        if finish < end and status in ("signed", "midterm"):
            status = "completed"
        elif finish >= end and status == "completed":
            status = "signed"
        # Sized on the service the target actually gets, some agreements asking more than is done.
        count = max(4, ranked[0][1])
        share = rng.uniform(0.7, 1.8)
        agreed = {
            "service_days": round(count * share * 0.9),
            "visits": round(count * share),
            "training_sessions": max(1, round(count * share * 0.25)),
            "people_trained": max(20, round(count * share * 0.25 * 45 / 10) * 10),
            "techniques_promoted": max(1, round(count * share * 0.5)),
            "problems_solved": rng.choice((0, 1, 2)) * years,
        }
        rows.append(
            {
                "id": new_id(),
                "commissioner_id": who,
                "target_id": t["id"],
                "start_date": start.isoformat(),
                "end_date": finish.isoformat(),
                "co_commissioner_ids": json.dumps([c for c, _ in ranked[1:2]]),
                "agreed": json.dumps({k: float(v) for k, v in agreed.items() if v}),
                "notes": "",
                "status": status,
                "deliverables": rng.choice(DELIVERABLES),
                "rev": 1,
                "server_seq": i + 1,
                "dirty": 0,
                "base_rev": 1,
                "created_at": t["created_at"],
                "updated_at": t["updated_at"],
            }
        )
    return rows


def agreement_scans(store: Store, agreements: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """A scan of the signed copy for every agreement past its draft (an attachment of the agreement)."""
    rng = random.Random(f"agreement-scans-{seed}")
    new_id = SeededIds(
        rng, min((date.fromisoformat(a["start_date"]) for a in agreements), default=date.today())
    )
    rows = []
    for a in agreements:
        if a["status"] == "draft":
            continue
        day = date.fromisoformat(a["start_date"])
        data = sheet_scan(rng, day, "10:00", "")
        rows.append(
            {
                "id": new_id(),
                "sha256": keep(store, data),
                "owner_table": "service_agreements",
                "owner_id": a["id"],
                "kind": "signed_agreement",
                "mime": "image/jpeg",
                "size": len(data),
                "original_name": f"服务协议_{day:%Y%m%d}.jpg",
                "taken_at": "",
                **{k: a[k] for k in SYNC_KEYS},
            }
        )
    return rows
