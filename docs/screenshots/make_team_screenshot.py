"""Render the README's screenshot of the bureau's 团队与工作站考核 tab (a maintenance script).

    python docs/screenshots/make_team_screenshot.py [OUT.png]

Demo data logged in as the bureau, with bonuses entered and reviewed for a team, the year's results
published and two exemplars named; shown as make_screenshots.py shows every view: on a 1366×768
screen at 150 % (QT_SCALE_FACTOR=1.5), reduced to 256 colours.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def prepare(folder: Path) -> None:
    from commissioner_app.assessment import publish
    from commissioner_app.demo import generate_demo
    from commissioner_app.domain import BonusPoint, Exemplar
    from commissioner_app.ops.groups import decide_bonus, group_assessment, nominate_exemplar, save_bonus
    from commissioner_app.store import Store
    from tests.ui.manager_support import log_in_as

    year = date.today().year
    store = Store.open(folder)
    generate_demo(store, visits=2000)
    log_in_as(store, "bureau", None)
    publish(store, year, "市科技局")
    best = group_assessment(store, year).teams[0]
    for points, reason, evidence, decision in (
        (6, "获评广东省优秀农村科技特派员团队", "粤科农字〔2026〕15号", "approved"),
        (5, "服务案例入选全省科技赋能“百千万工程”典型案例", "省科技厅官网 2026-09-18", "approved"),
        (3, "举办陈皮产业技术对接会", "活动通知及签到表", "pending"),
    ):
        bonus = save_bonus(
            store,
            BonusPoint(
                year=year,
                subject_kind="team",
                subject_id=best.group_id,
                points=points,
                reason=reason,
                evidence=evidence,
            ),
        ).value
        if decision != "pending":
            decide_bonus(store, bonus.id, decision, "", "市科技局")
    top = group_assessment(store, year).city.members[0]
    nominate_exemplar(
        store,
        Exemplar(
            year=year,
            subject_kind="commissioner",
            subject_id=top.commissioner_id,
            title="优秀科技特派员",
            citation="扎根镇村开展技术服务，帮助解决技术难题，带动农户增收。",
        ),
        "市科技局",
    )
    nominate_exemplar(
        store,
        Exemplar(
            year=year,
            subject_kind="team",
            subject_id=best.group_id,
            title="优秀科技特派团",
            citation="服务产业链。",
        ),
        "市科技局",
    )
    store.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "team_assessment.png"
    from ui.app import screenshot_platform

    scratch = Path(tempfile.mkdtemp(prefix="commissioner-team-shot-"))
    os.environ["QT_QPA_PLATFORM"] = screenshot_platform(scratch)
    os.environ.setdefault("QT_SCALE_FACTOR", "1.5")
    prepare(scratch / "data")

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui.app import create_main_window, open_context, render_screenshot
    from ui.fonts import register_bundled_font

    app = QApplication(sys.argv[:1])
    register_bundled_font(app)  # type: ignore[arg-type]
    context = open_context(scratch / "data", os.environ.get("SHOT_LANG", "zh_CN"))
    try:
        window = create_main_window(context)
        render_screenshot(window, "assessment_run", out)  # loads the view
        view = window.views["assessment_run"]
        view.tabs.setCurrentIndex(1)
        for _ in range(3):
            context.tasks.wait_idle()
            QCoreApplication.processEvents()
        window.grab().save(str(out), "PNG")
    finally:
        context.close()
    from PIL import Image

    with Image.open(out) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(out, optimize=True)
    print(f"{out.name}: {out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
