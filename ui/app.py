"""`commissioner-app`: start the desktop application.

    commissioner-app [--data-dir DIR | --demo] [--lang zh_CN|en] [--screenshot PATH [--view NAME]]

The steps are separate functions (`open_context`, `create_main_window`, `render_screenshot`) so
that other start modes (e.g. a self-test) can reuse them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from commissioner_app.errors import StoreError
from commissioner_app.i18n import Message, language_from_env
from commissioner_app.paths import default_data_dir

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.main_window import MainWindow

log = logging.getLogger("commissioner.ui.app")

DEMO_VISITS = 2000
# --screenshot renders on a 1366×768 screen (a field laptop; QT_SCALE_FACTOR=1.5 shows it at 150 %)
# with a 40-pixel taskbar, the window maximised as it opens there.
SCREEN_SIZE = (1366, 768)
SCREENSHOT_TASKBAR = 40
# Views --screenshot can render besides the rail's views.
EXTRA_VIEWS = ("profile", "visit_editor", "target_page", "agreement_editor")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="commissioner-app", description="科技特派员工作平台 / Field Commissioner"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", type=Path, help="数据目录 / data directory")
    where.add_argument(
        "--demo",
        action="store_true",
        help="打开演示数据（首次使用时生成）/ open the demo data (made on first use)",
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言 / language")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PATH",
        help="把主窗口渲染为 PNG 后退出 / render the main window to a PNG and exit",
    )
    parser.add_argument("--view", default="overview", help="--screenshot 的视图 / the view to render")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自检（使用临时数据目录）后退出 / check this installation (in a scratch folder) and exit",
    )
    return parser.parse_args(argv)


def relaunch_with(data_dir: Path, language: str | None = None) -> bool:
    """Start another instance of the application on `data_dir` (this one then closes); True if started."""
    from PySide6.QtCore import QProcess

    if getattr(sys, "frozen", False):  # the packaged application is its own executable
        program, arguments = sys.executable, []
    else:
        program, arguments = sys.executable, ["-m", "ui.app"]
    arguments += ["--data-dir", str(data_dir)]
    if language:
        arguments += ["--lang", language]
    started = QProcess.startDetached(program, arguments)
    return bool(started[0] if isinstance(started, tuple) else started)


def data_dir_of(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir).expanduser()
    if args.demo:
        return default_data_dir() / "demo"
    return default_data_dir()


def open_context(data_dir: Path, language: str | None) -> AppContext:
    """Open the store and build the application context (raises StoreError)."""
    from commissioner_app.store import Store
    from ui.context import AppContext

    store = Store.open(data_dir)
    try:
        return AppContext(store, language=language)
    except Exception:
        store.close()
        raise


def fill_demo(context: AppContext, visits: int = DEMO_VISITS) -> bool:
    """Fill an empty demo store on the worker thread while a progress dialog shows; True if done."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    from commissioner_app.demo import generate_demo
    from ui.tasks import Operation, show_error

    dialog = QProgressDialog(
        QCoreApplication.translate("app", "正在生成演示数据（{0} 条服务记录）…").format(visits), "", 0, 0
    )
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setWindowTitle(QCoreApplication.translate("app", "科技特派员工作平台"))
    loop = QEventLoop()
    outcome: dict[str, bool] = {}

    def done(_result: object) -> None:
        outcome["ok"] = True
        loop.quit()

    def failed(error: BaseException) -> None:
        show_error(None, error)
        outcome["ok"] = False
        loop.quit()

    Operation(None, lambda store: generate_demo(store, visits=visits), done).failure(
        failed
    ).run_in_background()
    dialog.show()
    loop.exec()
    dialog.close()
    if outcome.get("ok"):
        profile = context.reader.profile()  # the demo's commissioner (the worker writes as them already)
        if profile is not None:
            context.set_profile(profile)
    return bool(outcome.get("ok"))


def create_main_window(context: AppContext) -> MainWindow:
    from ui.main_window import MainWindow

    return MainWindow(context)


def view_names(window: MainWindow) -> list[str]:
    return [*window.views, *EXTRA_VIEWS]


def screenshot_platform(folder: Path) -> str:
    """The offscreen platform with one 1366×768 screen (its default screen is 800×800)."""
    import json

    config = folder / "offscreen-screen.json"
    width, height = SCREEN_SIZE
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def render_screenshot(window: MainWindow, view: str, path: Path) -> None:
    """Show `view` in the window maximised on the screen (less a taskbar) once its data is loaded,
    and save it as a PNG (device pixels: 1366 wide at any scale factor)."""
    from PySide6.QtCore import QCoreApplication, QSize
    from PySide6.QtWidgets import QWidget

    from ui import screen_fit

    context = window.context
    client = screen_fit.client_area(window)
    window.resize(client - QSize(0, SCREENSHOT_TASKBAR))
    window.show()
    target: QWidget = window
    if view == "profile":
        from ui.profile import ProfileDialog

        target = ProfileDialog(context, window, first_start=context.profile is None)
        target.show()
    elif view == "visit_editor":
        from commissioner_app.ops.visits import latest_visit_id
        from ui.editors import VisitEditor

        target = VisitEditor(window, context, latest_visit_id(context.reader))
        target.show()
    elif view == "target_page":
        from commissioner_app.ops.targets import busiest_target_id
        from ui.views.target_page import TargetPageDialog

        target = TargetPageDialog(window, context, busiest_target_id(context.reader) or "")
        target.show()
    elif view == "agreement_editor":
        from commissioner_app.ops.agreements import showcase_agreement_id
        from ui.views.agreements import AgreementDialog

        target = AgreementDialog(window, context, showcase_agreement_id(context.reader))
        target.show()
    else:
        window.show_view(view)
    for _ in range(3):  # loading one thing may start another (ids, then the first page of rows)
        context.tasks.wait_idle()
        QCoreApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not target.grab().save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


def show_fatal(message: Message, language: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "科技特派员工作平台" if language != "en" else "Field Commissioner",
        message.text(language),
    )
    box.exec()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("COMMISSIONER_LOG", "WARNING"),
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if args.screenshot and os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        # No window flashes up for a screenshot; the screen is a field laptop's.
        import tempfile

        os.environ["QT_QPA_PLATFORM"] = screenshot_platform(Path(tempfile.mkdtemp(prefix="commissioner-")))

    from PySide6.QtWidgets import QApplication

    from ui.fonts import register_bundled_font
    from ui.qt_log import route_qt_messages

    route_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("FieldCommissioner")
    register_bundled_font(app)  # type: ignore[arg-type]

    if args.self_test:
        from ui.self_test import run_self_test

        return run_self_test()
    data_dir = data_dir_of(args)
    from ui.crash import install_crash_handler

    install_crash_handler(data_dir, show_dialog=not args.screenshot)  # nobody sees a dialog offscreen
    language = args.lang or _remembered_language(data_dir) or language_from_env()
    try:
        context = open_context(data_dir, language)
    except StoreError as exc:
        log.error("cannot open the data in %s: %s", data_dir, exc.message.en)
        if args.screenshot:
            print(exc.text(language), file=sys.stderr)
        else:
            show_fatal(exc.message, language)
        return 1

    log.info("started: data %s, language %s", data_dir, context.language)
    try:
        if args.demo and context.profile is None and not fill_demo(context):
            return 1
        window = create_main_window(context)
        if args.screenshot:
            if args.view not in view_names(window):
                names = ", ".join(view_names(window))
                message = Message(
                    f"没有名为 {args.view!r} 的视图；可选：{names}",
                    f"unknown view {args.view!r}; choose from: {names}",
                )
                print(message.text(context.language), file=sys.stderr)
                return 2
            render_screenshot(window, args.view, args.screenshot)
            return 0
        from ui.screen_fit import show_main_window

        show_main_window(window)
        window.start()
        return app.exec()
    finally:
        context.close()


def _remembered_language(data_dir: Path) -> str | None:
    """The language chosen in the settings, read before the store opens (for its error messages)."""
    from PySide6.QtCore import QSettings

    from ui.context import SETTINGS_FILE

    file = data_dir / SETTINGS_FILE
    if not file.exists():
        return None
    value = QSettings(str(file), QSettings.Format.IniFormat).value("ui/language", "", str)
    return str(value) or None


if __name__ == "__main__":
    sys.exit(main())
