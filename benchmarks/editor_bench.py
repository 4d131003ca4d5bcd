"""Visit editor timings on a large database. Prints figures; asserts nothing.

    QT_QPA_PLATFORM=offscreen python benchmarks/editor_bench.py [--visits 100000] [--data-dir DIR] [--reuse]

What a commissioner waits for: opening the editor (new and existing visit), each keystroke in the
service target search, an autosave, and a save.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from commissioner_app.store import Store  # noqa: E402


def timed(fn, repeat: int = 10) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    import faulthandler

    faulthandler.dump_traceback_later(float(os.environ.get("BENCH_DUMP_AFTER", "1e9")), exit=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "commissioner-bench-100k"
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing database of that size")
    args = parser.parse_args()
    data = args.data_dir
    if not (args.reuse and (data / "commissioner.db").exists()):
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "commissioner_app",
                "--data-dir",
                str(data),
                "demo",
                "--visits",
                str(args.visits),
                "--seed",
                "1",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
    app = QApplication([])
    from ui.editors.visit_editor import VisitEditor
    from ui.fonts import register_bundled_font

    register_bundled_font(app)
    store = Store.open(data)
    profile = store.profile()
    store.actor = profile.id if profile else ""
    from ui.context import AppContext

    context = AppContext(store, language="zh_CN")  # the executor and the read-only connection
    print(
        f"database: {store.count_visits()} visits, {len(store.list_targets(limit=100_000))} targets, "
        f"{len(store.list_problems(limit=100_000))} problems"
    )
    visit_id = store.visit_ids()[len(store.visit_ids()) // 2]

    def open_editor(vid: str | None) -> None:
        editor = VisitEditor(None, context, vid)
        editor.show()
        app.processEvents()
        editor._dirty = False
        editor.close()
        app.processEvents()

    med, worst = timed(lambda: open_editor(None))
    print(f"open the editor for a new visit: median {med:.0f} ms, worst {worst:.0f} ms")
    med, worst = timed(lambda: open_editor(visit_id))
    print(f"open the editor for an existing visit: median {med:.0f} ms, worst {worst:.0f} ms")

    editor = VisitEditor(None, context, None)
    editor.show()
    for text in ("陈", "陈皮", "新会陈皮", "合作社"):
        med, worst = timed(lambda t=text: (editor.target.search.setText(""), editor.target.search.setText(t)))
        print(
            f"target search keystroke '{text}' ({editor.target.results.count()} shown): "
            f"median {med:.1f} ms, worst {worst:.1f} ms"
        )
    editor.target._pick_first()
    editor.service_type_boxes["guidance"].setChecked(True)
    counter = iter(range(1_000_000))

    def autosave() -> None:
        editor.content.setPlainText(f"基准测试：指导陈皮晾晒 {next(counter)}")
        editor.autosave_now()
        context.tasks.wait_idle()  # written and answered

    med, worst = timed(autosave)
    print(f"autosave of a new visit (draft + state): median {med:.1f} ms, worst {worst:.1f} ms")
    editor._dirty = False
    editor.close()

    def save() -> None:
        e = VisitEditor(None, context, visit_id)
        e.content.setPlainText(f"基准测试：指导陈皮晾晒，补充记录 {next(counter)}")
        app.processEvents()  # the editor finishes opening (its target list) before the save is timed
        start = time.perf_counter()
        e.save()
        context.tasks.wait_idle()  # written and answered
        assert e.last_save_ok, e.summary.text()
        save.ms.append((time.perf_counter() - start) * 1000)  # type: ignore[attr-defined]

    save.ms = []  # type: ignore[attr-defined]
    for _ in range(10):
        save()
    print(f"save of an existing visit: median {statistics.median(save.ms):.1f} ms")  # type: ignore[attr-defined]
    context.close()


if __name__ == "__main__":
    main()
