#!/usr/bin/env python3
"""Evidence budgets on loopback (issue 11), against the real central store (SQLite).

    python benchmarks/evidence_bench.py            # 10 commissioners, 2,000 photos of 3 MB
    python benchmarks/evidence_bench.py --quick    # 200 photos

Figures printed:
- a manager's first sync of a team of 10 commissioners with 2,000 photos of 3 MB: the previews
  arrive with the records (budget: the whole sync < 15 s, previews < 80 MB on disk);
- opening a full 3 MB photo not yet downloaded (download, SHA-256 check, stored by hash; the
  system viewer's start is not counted) (< 1 s);
- printing a visit sheet with two photos not yet downloaded (both downloaded, then the PDF) (< 2 s).

How the server's data is made (a bulk loader, so the set-up takes a minute, not an hour): the
records are pushed through the server's own push code as each commissioner; the files' rows
(`uploads`, `upload_owners`) and their previews are written straight into the store, the previews
made by the server's own function (sync/previews.py) from 20 different 3 MB photo-like JPEGs, one
per photo (each preview a real one of a real 3 MB photo; 100 photos share each base's picture).
Only the photos the benchmark opens have their 3 MB of bytes in the store (`upload_chunks`): the
manager's sync never reads a full file, so the other 6 GB would change no figure, only the disk the
set-up needs.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sync_bench import PASSWORD, server  # noqa: E402
from commissioner_app.domain import Commissioner  # noqa: E402
from commissioner_app.store import Store  # noqa: E402
from sync import evidence, session  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.previews import make_preview  # noqa: E402

TEAM = "team-bench"
PHOTO_BYTES = 3 * 1024 * 1024


def photo_like(seed: int) -> bytes:
    """A JPEG of 3 MB with detail at every scale, as a photo has: its 400-pixel preview weighs what a
    real photo's does (20-30 KB), not the few KB of a smooth test picture."""
    from PIL import Image, ImageFilter

    random.seed(seed)
    small = Image.merge(
        "RGB",
        [
            Image.effect_noise((500, 375), 60 + seed % 20).filter(ImageFilter.GaussianBlur(0.8))
            for _ in range(3)
        ],
    )
    big = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    fine = Image.effect_noise((4000, 3000), 20)
    img = Image.merge("RGB", [Image.blend(c, fine, 0.3) for c in big.split()])
    for quality in (85, 80, 75, 70):
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality)
        if out.tell() <= PHOTO_BYTES:
            break
    data = out.getvalue()
    return data + os.urandom(max(0, PHOTO_BYTES - len(data)))  # after the end marker: ignored


def load(db_url: str, commissioners: int, photos: int) -> dict[str, object]:
    from argon2 import PasswordHasher
    from sqlalchemy import insert

    from sync.server import auth, push
    from sync.server.db import make_engine
    from sync.server.migrations import migrate
    from sync.server.tables import previews, upload_chunks, upload_owners, uploads, users

    engine = make_engine(db_url)
    migrate(engine)
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    people = [(f"c{i}", str(uuid.uuid4())) for i in range(commissioners)]
    for name, cid in people:
        auth.add_user(engine, name, PASSWORD, "commissioner", commissioner_id=cid, team_id=TEAM)
    auth.add_user(engine, "manager", PASSWORD, "manager", commissioner_id=str(uuid.uuid4()), team_id=TEAM)

    t0 = time.perf_counter()
    bases = [photo_like(i) for i in range(min(20, photos // 10))]
    base_previews = [make_preview(b)[0] for b in bases]
    print(
        f"  made {len(bases)} photo-like JPEGs of 3 MB and their previews "
        f"({sum(map(len, base_previews)) / len(base_previews) / 1024:.1f} KB each on average) "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    now = "2026-12-01T00:00:00+00:00"
    per_person = photos // commissioners
    full: dict[str, bytes] = {}
    first_visit: dict[str, object] = {}
    with engine.connect() as conn:
        user_rows = {r.username: auth.User.from_row(r) for r in conn.execute(users.select())}
    for p, (name, cid) in enumerate(people):
        user = user_rows[name]
        changes: list[dict[str, object]] = []
        rows_up, rows_own, rows_prev = [], [], []
        target = str(uuid.uuid4())
        changes.append(
            {
                "table": "service_targets",
                "id": target,
                "base_rev": 0,
                "deleted": False,
                "fields": {"name": f"合作社{p}", "type": "enterprise", "county": "新罗区", "town": "适中镇"},
            }
        )
        for v in range(per_person // 2):
            vid = str(uuid.uuid4())
            changes.append(
                {
                    "table": "visits",
                    "id": vid,
                    "base_rev": 0,
                    "deleted": False,
                    "fields": {
                        "commissioner_id": cid,
                        "target_id": target,
                        "visit_date": (date(2026, 11, 30) - timedelta(days=v % 300)).isoformat(),
                        "start_time": "09:00",
                        "end_time": "11:00",
                        "county": "新罗区",
                        "town": "适中镇",
                        "service_types": '["guidance"]',
                        "industry": "水稻",
                        "content": f"指导水稻病虫害防控 {v}",
                        "review_status": "pending",
                    },
                }
            )
            for k in range(2):
                n = p * per_person + v * 2 + k
                base = n % len(bases)
                # A distinct file per photo: the base photo with its number in its last bytes.
                data = bases[base][:-16] + n.to_bytes(16, "big")
                sha = hashlib.sha256(data).hexdigest()
                if p == 0 and v < 2:
                    full[sha] = data  # the photos the timings open
                    first_visit.setdefault(vid, []).append(sha)  # type: ignore[union-attr]
                rows_up.append(
                    dict(
                        sha256=sha,
                        received=PHOTO_BYTES,
                        complete=True,
                        size=PHOTO_BYTES,
                        created_by=user.id,
                        created_at=now,
                        updated_at=now,
                    )
                )
                rows_own.append(
                    dict(
                        sha256=sha,
                        user_id=user.id,
                        commissioner_id=cid,
                        role="commissioner",
                        received=PHOTO_BYTES,
                        complete=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
                rows_prev.append(dict(sha256=sha, kind="image", data=base_previews[base], created_at=now))
                changes.append(
                    {
                        "table": "attachments",
                        "id": str(uuid.uuid4()),
                        "base_rev": 0,
                        "deleted": False,
                        "fields": {
                            "sha256": sha,
                            "owner_table": "visits",
                            "owner_id": vid,
                            "kind": "photo",
                            "mime": "image/jpeg",
                            "size": PHOTO_BYTES,
                            "original_name": f"IMG_{n:05d}.jpg",
                        },
                    }
                )
        with engine.begin() as conn:
            conn.execute(insert(uploads), rows_up)
            conn.execute(insert(upload_owners), rows_own)
            conn.execute(insert(previews), rows_prev)
        for start in range(0, len(changes), 500):
            answer = json.loads(
                push.push_json(
                    engine,
                    user,
                    {
                        "batch_id": str(uuid.uuid4()),
                        "device_id": "bulk",
                        "client_time": now,
                        "changes": changes[start : start + 500],
                    },
                )
            )
            bad = [r for r in answer["results"] if r["status"] not in ("accepted", "merged")]
            assert not bad, bad[:3]
    with engine.begin() as conn:
        for sha, data in full.items():
            chunk = 256 * 1024
            conn.execute(
                insert(upload_chunks),
                [dict(sha256=sha, offset=o, data=data[o : o + chunk]) for o in range(0, len(data), chunk)],
            )
    engine.dispose()
    return {"visit": next(iter(first_visit)), "photos": list(full)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    photos = 200 if args.quick else 2000
    with tempfile.TemporaryDirectory(prefix="evidence-bench-") as tmp:
        folder = Path(tmp)
        db_url = f"sqlite:///{folder / 'server.db'}"
        t0 = time.perf_counter()
        loaded = load(db_url, 10, photos)
        print(
            f"  loaded the server: 10 commissioners, {photos:,} photos, in {time.perf_counter() - t0:.1f} s"
        )
        with server(db_url, folder) as url:
            store = Store.open(folder / "manager")
            store.save_profile(Commissioner(id=str(uuid.uuid4()), name="林站长", sending_unit="基准"))
            session.login(store, url, "manager", PASSWORD, use_file=True)
            engine = SyncEngine(store, session.open_client(store))
            t0 = time.perf_counter()
            report = engine.sync()
            took = time.perf_counter() - t0
            thumbs = store.attachments_dir / "thumbs"
            disk = sum(p.stat().st_size for p in thumbs.glob("*.jpg"))
            print(
                f"manager's first sync: {report.pulled:,} records and {report.previews_fetched:,} previews "
                f"in {took:.2f} s (budget 15 s); previews on disk {disk / 1024**2:.1f} MB "
                f"({disk / max(1, report.previews_fetched) / 1024:.1f} KB each; budget 80 MB)"
            )

            first, second, third, fourth = loaded["photos"]  # type: ignore[misc]
            t0 = time.perf_counter()
            evidence.open_files_op(store, [first])
            print(
                f"opening a full 3 MB photo not yet downloaded: {time.perf_counter() - t0:.3f} s (budget 1 s)"
            )

            from commissioner_app.reports.visit_sheet import visit_sheet

            visit = str(loaded["visit"])
            for sha in (first, second):  # the sheet's visit: its two photos not here yet
                evidence.blob_path(store, sha).unlink(missing_ok=True)
            t0 = time.perf_counter()
            evidence.open_files_op(store, evidence.hashes_of_record(store, "visits", visit))
            fetched = time.perf_counter() - t0
            out = io.BytesIO()
            visit_sheet(store, visit, out)
            total = time.perf_counter() - t0
            (folder / "sheet.pdf").write_bytes(out.getvalue())
            import subprocess

            listing = subprocess.run(
                ["pdfimages", "-list", str(folder / "sheet.pdf")], capture_output=True, text=True, check=False
            ).stdout
            images = max(0, len([line for line in listing.splitlines() if line.strip()]) - 2)
            print(
                f"printing a visit sheet with two photos not yet downloaded: {total:.3f} s "
                f"(downloads {fetched:.3f} s; {images} images in the PDF; budget 2 s)"
            )
            store.close()


if __name__ == "__main__":
    main()
