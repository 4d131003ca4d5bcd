"""Render the README's screenshot of the review pane with a commissioner's photos (issue 11).

    python docs/screenshots/make_evidence_screenshot.py [OUT_DIR]

The demo data logged in as a manager (as make_screenshots.py does), with the first visit of the review
queue given three photos and a signed confirmation sheet the way a manager's sync leaves them: the
records and their previews (made by the server's function, sync/previews.py), the full files not
downloaded. Rendered by `commissioner-app --screenshot` at 1366×768, 150 % scaling, in Chinese.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from docs.screenshots.make_screenshots import demo_data, shrink, with_role  # noqa: E402


def photo(seed: int) -> bytes:
    """A field photo stand-in: sky, fields and rows of trees, drawn."""
    import io
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    img = Image.new("RGB", (1600, 1200), (150, 190, 230))
    draw = ImageDraw.Draw(img)
    horizon = 380 + rng.randint(-60, 60)
    draw.rectangle((0, horizon, 1600, 1200), fill=(96 + seed * 9, 140, 60))
    for row in range(6):
        y = horizon + 60 + row * 130
        for x in range(-40, 1700, 150 - row * 8):
            r = 40 + row * 12
            draw.ellipse(
                (x + rng.randint(-10, 10), y - r, x + 2 * r, y + r), fill=(30 + row * 8, 100 + seed * 15, 40)
            )
    draw.rectangle((700, horizon - 120, 900, horizon), fill=(200, 200, 190))
    out = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(1.2)).save(out, "JPEG", quality=88)
    return out.getvalue()


def sheet() -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(img)
    for y in range(220, 1500, 90):
        draw.line((120, y, 1120, y), fill=(60, 60, 60), width=3)
    draw.rectangle((120, 80, 1120, 180), outline=(40, 40, 40), width=5)
    draw.line((800, 1560, 1080, 1530), fill=(20, 40, 160), width=8)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def add_evidence(folder: Path) -> None:
    import hashlib

    from commissioner_app.attachments import thumbnail_path
    from commissioner_app.domain import Attachment, Visit
    from commissioner_app.review import review_queue
    from commissioner_app.store import Store
    from sync.previews import make_preview

    store = Store.open(folder)
    me = store.profile()
    assert me is not None
    queue = review_queue(store, me)
    if not queue:
        # The demo's pending visits are the manager's own: give the team two members with visits
        # waiting for review.
        from commissioner_app.domain import Commissioner

        others = [
            r[0]
            for r in store.db.execute(
                "SELECT commissioner_id FROM visits WHERE commissioner_id != ? GROUP BY 1 LIMIT 2", [me.id]
            ).fetchall()
        ]
        for cid in others:
            person = store.require(Commissioner, cid)
            person.team_id = me.team_id
            store.save(person)
            ids = store.db.execute(
                "SELECT id FROM visits WHERE commissioner_id = ? AND deleted = 0 AND is_draft = 0 "
                "ORDER BY visit_date DESC LIMIT 6",
                [cid],
            ).fetchall()
            for (vid,) in ids:
                visit = store.require(Visit, vid)
                visit.review_status = "pending"
                store.save_visit(visit)
        queue = review_queue(store, me)
    first = queue[0]
    files = [(photo(i), "photo", f"IMG_20261128_{i:04d}.jpg") for i in range(3)] + [
        (sheet(), "confirmation_sheet", "签字确认单.jpg")
    ]
    for data, kind, name in files:
        sha = hashlib.sha256(data).hexdigest()
        preview, _kind = make_preview(data)
        target = thumbnail_path(store, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            preview
        )  # the preview only, as a sync brings it; the full file stays on the server
        if kind == "photo":
            store.save(
                Attachment(
                    sha256=sha,
                    owner_table="visits",
                    owner_id=first["id"],
                    kind="photo",
                    mime="image/jpeg",
                    size=len(data),
                    original_name=name,
                )
            )
        else:
            visit = store.require(Visit, first["id"])
            visit.confirm_sheet_sha256 = sha
            store.save_visit(visit)
    store.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="commissioner-shots-") as tmp:
        scratch = Path(tmp)
        folder = with_role(demo_data(scratch / "demo"), "manager", scratch)
        add_evidence(folder)
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["QT_SCALE_FACTOR"] = "1.5"
        path = out / "review-photos.png"
        command = [sys.executable, "-m", "ui.app", "--data-dir", str(folder), "--lang", "zh_CN"]
        command += ["--screenshot", str(path), "--view", "review"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        shrink(path)
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
