"""Render the audit screen and a visit's history dialog for the README against a real server on
loopback, at 150 % on a 1366×768 screen (a maintenance script).

    python docs/screenshots/make_audit_screenshots.py [OUT_DIR]

Two commissioners of 新会区 log visits; one corrects a visit after syncing; the county bureau
(县科技局) approves some and returns one; the city bureau adds a town and publishes the year's
results, imports a small roster from its Excel and resets one of the new accounts' passwords.
Writes audit.png (the bureau's 操作日志) and history.png (the corrected visit's 历史).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="commissioner-audit-") as tmp_name:
        tmp = Path(tmp_name)
        from ui.app import screenshot_platform

        os.environ["QT_QPA_PLATFORM"] = screenshot_platform(tmp)
        os.environ["QT_SCALE_FACTOR"] = "1.5"
        from PySide6.QtCore import QCoreApplication, QSize
        from PySide6.QtWidgets import QApplication

        from ui.fonts import register_bundled_font

        app = QApplication.instance() or QApplication(sys.argv[:1])
        register_bundled_font(app)  # type: ignore[arg-type]
        render(tmp, out, QCoreApplication, QSize)
    return 0


def render(tmp: Path, out: Path, QCoreApplication, QSize) -> None:  # type: ignore[no-untyped-def]
    from commissioner_app.domain import ServiceTarget, Visit
    from commissioner_app.ops.assessment import publish_results
    from commissioner_app.ops.reference import save_towns
    from commissioner_app.reference import towns_of
    from commissioner_app.store import Store
    from docs.screenshots.make_screenshots import shrink
    from tests.sync.fieldwork import add_visit, commissioner_store, connect
    from tests.sync.harness import running_server
    from ui import screen_fit
    from ui.app import SCREENSHOT_TASKBAR
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.views.history import RecordHistoryDialog

    def settle(context: AppContext, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            context.tasks.wait_idle()
            QCoreApplication.processEvents()
            time.sleep(0.02)

    with running_server(f"sqlite:///{tmp / 'server.db'}", tmp) as server:
        people = {"chenhy": ("陈海燕", "c-chenhy"), "liangwm": ("梁伟明", "c-liangwm")}
        for name, (_display, cid) in people.items():
            server.add_user(name, commissioner_id=cid, team="team-xinhui-citrus", county="新会区")
        server.add_user("xinhui_kjj", role="county", county="新会区")
        server.add_user("jm_kjj", role="bureau")

        rng = random.Random(7)
        visits: dict[str, list[Visit]] = {}
        syncs = {}
        for name, (display, cid) in people.items():
            store = commissioner_store(tmp / name, cid, display)
            target = ServiceTarget(
                name=f"{display[0]}氏柑橘专业合作社", type="enterprise", county="新会区", town="双水镇"
            )
            store.save(target)
            visits[name] = []
            for i in range(3):
                v = add_visit(store, rng, target, f"第{i + 1}次")
                v.visit_date = date.today() - timedelta(days=20 - 5 * i)
                v.content = [
                    "指导新会柑春梢修剪与疏花",
                    "讲解柑橘木虱绿色防控技术",
                    "示范水肥一体化滴灌施肥",
                ][i]
                store.save(v)
                visits[name].append(v)
            syncs[name] = connect(store, server.url, name)
            syncs[name].sync()
        # A commissioner corrects a visit after it reached the server.
        chen = Store.open(tmp / "chenhy")
        corrected = chen.require(Visit, visits["chenhy"][1].id)
        corrected.content = "讲解柑橘木虱绿色防控技术，现场示范黄板诱杀，培训果农 32 人"
        corrected.people_trained = 32
        chen.save(corrected)
        connect(chen, server.url, "chenhy").sync()

        county = Store.open(tmp / "xinhui")
        county_sync = connect(county, server.url, "xinhui_kjj")
        county_sync.sync()
        from commissioner_app.review import CountyReviewer, decide

        reviewer = CountyReviewer(id=_user_id(server, "xinhui_kjj"), name="新会区科技局")
        decide(
            county,
            [visits["chenhy"][0].id, visits["liangwm"][0].id, visits["liangwm"][2].id],
            "approved",
            reviewer,
        )
        decide(county, [visits["liangwm"][1].id], "returned", reviewer, "缺少现场照片，请补充后重新提交")
        county_sync.sync()

        bureau = Store.open(tmp / "bureau")
        bureau_sync = connect(bureau, server.url, "jm_kjj")
        bureau_sync.sync()
        code = bureau.db.execute(
            "SELECT code FROM reference_items WHERE kind = 'county' AND name_zh = '新会区'"
        ).fetchone()[0]
        towns = [(t.code, t.name_zh, t.name_en) for t in towns_of(bureau, "新会区")] + [
            ("440705999", "银湖湾示范区", "")
        ]
        save_towns(bureau, code, towns)
        publish_results(bureau, date.today().year, "jm_kjj")
        bureau_sync.sync()
        # 组织与账号: a roster of eight from the bureau's Excel, then a forgotten password reset.
        from sync import admin_ops
        from tests.sync.roster_data import make_roster

        make_roster(tmp / "名册.xlsx", 8, bad=0)
        (tmp / "slips").mkdir()
        admin_ops.roster_import(bureau, tmp / "名册.xlsx", tmp / "slips")
        forgot = next(a for a in admin_ops.list_accounts(bureau) if a["username"].startswith("139"))
        admin_ops.reset_password(bureau, forgot["id"])
        bureau_sync.sync()

        context = AppContext(Store.open(tmp / "bureau"), language="zh_CN")
        window = MainWindow(context)
        window.resize(screen_fit.client_area(window) - QSize(0, SCREENSHOT_TASKBAR))
        window.show()
        view = window.show_view("audit")
        settle(context, 1.0)
        row = next(i for i, e in enumerate(view.entries) if e.action == "roster.import")
        view.table.selectRow(row)
        settle(context, 0.3)
        window.grab().save(str(out / "audit.png"))
        shrink(out / "audit.png")

        dialog = RecordHistoryDialog(context, "visits", corrected.id, window)
        dialog.show()
        settle(context, 1.0)
        dialog.grab().save(str(out / "history.png"))
        shrink(out / "history.png")
        for name in ("audit.png", "history.png"):
            print(f"{name}: {(out / name).stat().st_size // 1024} KB")
        dialog.close()
        window.close()
        context.close()


def _user_id(server, name: str) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sync.server.tables import users

    with server.engine.connect() as conn:
        return str(conn.execute(select(users.c.id).where(users.c.username == name)).scalar_one())


if __name__ == "__main__":
    sys.exit(main())
