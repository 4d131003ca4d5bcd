"""Render the sync screens for the README against a real server on loopback (a maintenance script).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_sync_screenshots.py [OUT_DIR] [--lang en]

Two laptops of one commissioner edit the same visit; the second also made a team record, which
only the bureau may create. The sync page then shows a conflict and a rejection with its reason.
Writes sync.png and conflicts.png at 1366x768; with --all also login.png and sync-clock.png (a
wrong clock), for checking those screens.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui.fonts import register_bundled_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_bundled_font(app)  # type: ignore[arg-type]
    args = [a for a in sys.argv[1:] if not a.startswith("--") and a != "en"]
    language = "en" if "--lang" in sys.argv and sys.argv[-1] == "en" else "zh_CN"
    everything = "--all" in sys.argv
    out = Path(args[0]) if args else Path(__file__).resolve().parent

    from commissioner_app.domain import Team, Visit
    from commissioner_app.ops import OpChanges
    from commissioner_app.store import Store
    from sync.engine import META_CLOCK_SKEW
    from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect, reconnect
    from tests.sync.harness import PASSWORD, running_server, server_cli
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.sync_control import sync_controller

    def settle(context: AppContext, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            context.tasks.wait_idle()
            QCoreApplication.processEvents()
            time.sleep(0.02)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_server(f"sqlite:///{tmp / 'server.db'}", tmp) as server:
            cid = "5d1c7a52-3f0e-4b8e-9a51-2b7f1c0e9d31"
            server_cli(
                server.database,
                "user",
                "add",
                "wangjg",
                "--role",
                "commissioner",
                "--display-name",
                "王建国",
                "--commissioner-id",
                cid,
                "--password-stdin",
                stdin=PASSWORD + "\n",
            )
            rng = random.Random(11)
            a = commissioner_store(tmp / "laptop-a", cid)
            target = add_target(a, rng)
            visits = [add_visit(a, rng, target, f"第{i + 1}次") for i in range(12)]
            connect(a, server.url, "wangjg").sync()
            b = commissioner_store(tmp / "laptop-b", cid)
            connect(b, server.url, "wangjg").sync()
            shared = visits[0].id
            for store, text in (
                (a, "上午在田间讲解稻瘟病识别与绿色防控，示范无人机飞防作业"),
                (b, "指导合作社开展稻瘟病统防统治，现场答疑 12 人次"),
            ):
                v = store.require(Visit, shared)
                v.content = text
                store.save_visit(v)
            reconnect(a).sync()
            a.close()
            b.save(Team(name="新罗区水稻产业科技特派团"))
            b.close()

            context = AppContext(Store.open(tmp / "laptop-b"), language=language)
            window = MainWindow(context)
            window.resize(1366, 768)
            window.show()
            controller = sync_controller(context)
            page = window.show_view("sync")
            settle(context)
            page.sync_button.click()
            while controller.syncing:
                settle(context, 0.1)
            # More field work after the sync: it waits for the next one.
            extra = Store.open(tmp / "laptop-b")
            extra.actor = cid
            for i in range(3):
                add_visit(extra, rng, target, f"新{i + 1}")
            extra.close()
            context.operation_did_execute.emit(OpChanges.of("visits"))  # as the other laptop's saves
            settle(context, 1.0)
            window.grab().save(str(out / "sync.png"))

            dialog = page.open_conflicts()
            settle(context, 1.0)
            dialog.choose(0, "local")
            settle(context, 0.2)
            dialog.grab().save(str(out / "conflicts.png"))
            dialog.close()

            if not everything:
                window.close()
                context.close()
                return 0
            login = page.open_login()
            login.password.setText("********")
            settle(context, 0.3)
            login.grab().save(str(out / "login.png"))
            login.close()

            writer = Store.open(tmp / "laptop-b")
            writer.set_meta(META_CLOCK_SKEW, "-1260")
            writer.close()
            page.load(force=True)
            settle(context, 0.5)
            window.grab().save(str(out / "sync-clock.png"))
            window.close()
            context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
