"""Render the README's screenshots as a field laptop shows them (a maintenance script).

    python docs/screenshots/make_screenshots.py [OUT_DIR [SHOT ...]] [--data DEMO_DIR] [--scale 1.5]

Each view is rendered by `commissioner-app --screenshot` on a 1366×768 screen at 150 % display
scaling (QT_SCALE_FACTOR=1.5), the window maximised there less a taskbar: what a commissioner sees
on the usual field laptop. The manager's and the bureau's views use copies of the demo data logged
in with that role. PNGs are reduced to 256 colours to keep the repository small. The sync and
conflicts screens need a server: docs/screenshots/make_sync_screenshots.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SHOTS = [  # (file, role, view, language)
    ("overview", "commissioner", "overview", "zh_CN"),
    ("visits", "commissioner", "visits", "zh_CN"),
    ("visits-en", "commissioner", "visits", "en"),
    ("problems", "commissioner", "problems", "zh_CN"),
    ("targets", "commissioner", "targets", "zh_CN"),
    ("target_page", "commissioner", "target_page", "zh_CN"),
    ("agreement_editor", "commissioner", "agreement_editor", "zh_CN"),
    ("settings", "commissioner", "settings", "zh_CN"),
    ("visit_editor", "commissioner", "visit_editor", "zh_CN"),
    ("assessment", "commissioner", "assessment", "zh_CN"),
    ("review", "manager", "review", "zh_CN"),
    ("team", "manager", "team", "zh_CN"),
    ("city", "bureau", "city", "zh_CN"),
    ("demands", "bureau", "demands", "zh_CN"),
    ("assessment_run", "bureau", "assessment_run", "zh_CN"),
    ("reference", "bureau", "reference", "zh_CN"),
    ("first-start", "empty", "profile", "zh_CN"),
]


def demo_data(folder: Path) -> Path:
    from commissioner_app.demo import generate_demo
    from commissioner_app.store import Store

    if not (folder / "commissioner.db").exists():
        store = Store.open(folder)
        generate_demo(store, visits=2000)
        store.close()
    return folder


def with_role(demo: Path, role: str, scratch: Path) -> Path:
    """A copy of the demo data logged in with `role` (what sync.session.login leaves behind)."""
    from commissioner_app.store import Store, copy_database

    folder = scratch / role
    folder.mkdir()
    if role == "empty":
        return folder
    copy_database(demo / "commissioner.db", folder / "commissioner.db")
    if (demo / "attachments").exists():
        shutil.copytree(demo / "attachments", folder / "attachments")
    if role != "commissioner":
        store = Store.open(folder)
        me = store.profile()
        manager = role == "manager" and me is not None
        team = me.team_id if me is not None else None
        if manager:
            # The manager of the team with the most visits of others waiting for review: the demo
            # profile's own team may have no other member, and the review screen then shows nothing.
            found = store.db.execute(
                "SELECT c.team_id FROM visits v JOIN commissioners c ON c.id = v.commissioner_id "
                "WHERE v.review_status = 'pending' AND v.deleted = 0 AND v.is_draft = 0 AND c.id != ? "
                "AND c.team_id IS NOT NULL GROUP BY c.team_id ORDER BY count(*) DESC LIMIT 1",
                [me.id],
            ).fetchone()
            if found and found[0] != team:
                team = found[0]
                store.db.execute("UPDATE commissioners SET team_id = ? WHERE id = ?", [team, me.id])
        store.set_meta(
            "sync_user",
            json.dumps(
                {
                    "id": "demo",
                    "username": "demo",
                    "role": role,
                    "display_name": me.name if me else "",
                    "commissioner_id": me.id if manager else None,
                    "team_id": team if manager else None,
                    "workstation_id": None,
                },
                ensure_ascii=False,
            ),
        )
        store.close()
    return folder


def shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> int:
    args = sys.argv[1:]
    scale = "1.5"
    data: Path | None = None
    if "--scale" in args:
        scale = args.pop(args.index("--scale") + 1)
        args.remove("--scale")
    if "--data" in args:
        data = Path(args.pop(args.index("--data") + 1))
        args.remove("--data")
    out = Path(args[0]) if args else Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="commissioner-shots-") as tmp:
        scratch = Path(tmp)
        demo = demo_data(data or scratch / "demo")
        folders = {role: with_role(demo, role, scratch) for role in {s[1] for s in SHOTS}}
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["QT_SCALE_FACTOR"] = scale
        only = {a for a in args[1:]}  # names of the shots to make again (default: all)
        for name, role, view, language in SHOTS:
            if only and name not in only:
                continue
            path = out / f"{name}.png"
            command = [sys.executable, "-m", "ui.app", "--data-dir", str(folders[role])]
            command += ["--lang", language, "--screenshot", str(path), "--view", view]
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            shrink(path)
            print(f"{path.name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
