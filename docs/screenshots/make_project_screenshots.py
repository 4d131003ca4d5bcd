"""Render the README's screenshots of the 揭榜与成果 view (a maintenance script):

    QT_SCALE_FACTOR=1.5 python docs/screenshots/make_project_screenshots.py [OUT_DIR]

projects.png: the bureau's 揭榜挂帅 tab with an awarded project, its two applications and milestones;
achievements.png: a team leader's 成果转化 tab with approved and pending technology contracts. Same
screen as make_screenshots.py: 1366×768 at 150 %, the window maximised less a taskbar.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def build(folder: Path, role: str) -> None:
    from commissioner_app import achievements, projects
    from commissioner_app.demo import generate_demo
    from commissioner_app.domain import Achievement, Commissioner
    from commissioner_app.store import Store

    store = Store.open(folder)
    demo = generate_demo(store, visits=300, commissioners=8, seed=3)
    me = store.get(Commissioner, demo.self_id)
    assert me is not None
    people = [c for c in store.all(Commissioner) if c.id != me.id]
    team = me.team_id or "team-demo"
    today = date.today()
    project = projects.publish_project(
        store,
        title="新会陈皮仓储防霉变技术攻关",
        requirements="一年内形成低成本防霉仓储工艺，建成示范仓一座，霉变率降至2%以下",
        deadline=today + timedelta(days=12),
        budget=80,
        industry="陈皮",
        county="新会区",
    )
    projects.publish_project(
        store,
        title="台山鳗鱼养殖尾水处理技术",
        requirements="尾水处理达到地方排放标准并可推广",
        deadline=today + timedelta(days=25),
        budget=120,
    )
    mine = projects.apply(
        store,
        project.id,
        me,
        "低温除湿结合生物防霉剂，三个月内建成示范仓并完成检测",
        as_team=bool(me.team_id),
    )
    projects.apply(store, project.id, people[0], "以气调包装为主，配合仓内温湿度在线监测，六个月完成示范")
    projects.award(store, project.id, mine.id)
    first = projects.add_milestone(store, project.id, me, "示范仓建成", today + timedelta(days=45))
    projects.add_milestone(store, project.id, me, "霉变率检测达标", today + timedelta(days=120))
    projects.add_milestone(store, project.id, me, "技术规程编写", today + timedelta(days=200))
    projects.complete_milestone(store, first.id, "示范仓照片、施工验收单")
    values = [
        ("陈皮低温陈化技术", "technology", 35.5),
        ("抗病砂糖橘新品种", "variety", 120.0),
        ("陈皮含片生产工艺", "product", 18.0),
        ("一种柑橘皮干燥装置", "patent", 8.5),
    ]
    saved = []
    for i, (title, kind, value) in enumerate(values):
        saved.append(
            achievements.save_achievement(
                store,
                Achievement(
                    commissioner_id=[me.id, people[1].id][i % 2],
                    title=title,
                    kind=kind,
                    mode="license" if i % 2 else "transfer",
                    contract_no=f"2026440705{i + 1:06d}",
                    contract_value=value,
                    contract_date=today - timedelta(days=10 * i),
                    transferor="五邑大学",
                    transferee=["新会陈皮合作社", "台山果场", "江门某食品公司", "开平农机厂"][i],
                ),
            )
        )
    reviewer = people[2]
    for c in (me, people[1], reviewer):
        c.team_id = team
        store.save(c)
    achievements.decide(store, [saved[0].id, saved[1].id], "approved", reviewer)
    leader = reviewer if role == "manager" else None
    store.set_meta(
        "sync_user",
        json.dumps(
            {
                "id": "demo",
                "username": "demo",
                "role": role,
                "display_name": leader.name if leader else "",
                "commissioner_id": leader.id if leader else None,
                "team_id": team if leader else None,
                "workstation_id": None,
            },
            ensure_ascii=False,
        ),
    )
    store.close()


def project_id_of(context: object, title: str) -> str:
    row = context.reader.db.execute("SELECT id FROM projects WHERE title = ?", [title]).fetchone()  # type: ignore[attr-defined]
    return str(row[0])


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    from ui.app import screenshot_platform

    scratch = Path(tempfile.mkdtemp(prefix="commissioner-shots-"))
    os.environ["QT_QPA_PLATFORM"] = screenshot_platform(scratch)
    os.environ.setdefault("QT_SCALE_FACTOR", "1.5")
    from PySide6.QtWidgets import QApplication

    from ui.app import create_main_window, open_context, render_screenshot
    from ui.fonts import register_bundled_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_bundled_font(app)  # type: ignore[arg-type]
    for name, role, tab in (("projects", "bureau", 0), ("achievements", "manager", 1)):
        folder = scratch / name
        build(folder, role)
        context = open_context(folder, "zh_CN")
        window = create_main_window(context)
        view = window.views["projects"]
        view.tabs.setCurrentIndex(tab)  # type: ignore[attr-defined]
        window.show_view("projects")
        context.tasks.wait_idle()
        app.processEvents()
        if tab == 0:
            view.select_project(project_id_of(context, "新会陈皮仓储防霉变技术攻关"))  # type: ignore[attr-defined]
        else:
            view.achievement_table.selectRow(2)  # type: ignore[attr-defined]  # a pending one
        path = out / f"{name}.png"
        render_screenshot(window, "projects", path)
        from docs.screenshots.make_screenshots import shrink

        shrink(path)
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
        window.close()
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
