"""Desktop application speed on a 100,000-visit database.

    python benchmarks/ui_startup.py [--data-dir D] [--runs 3]

Prints:
- cold start to a usable main window (new process: interpreter, imports, store, window shown, the
  overview's figures, recent visits and the status bar's sync count shown) — budget 2 s; and when
  every start-up query is done;
- the visit list of all 100,000 visits shown (ids loaded, first screen of rows fetched);
- per-keystroke search latency in the visit list (query on the worker, list reset, first screen of
  rows fetched; the 200 ms typing pause is not counted) — budget 100 ms;
- the slowest page fetch while scrolling to random places.

The database is made once with `commissioner demo --visits 100000` (about 40 s) and cached in
/tmp/commissioner-bench. "Cold" means a new process; the operating system's file cache is warm.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path("/tmp/commissioner-bench/visits-100000")
VISITS = 100_000
# Words a commissioner might type, one character at a time.
TYPED = ["陈皮仓储", "水稻", "培训", "鳗鱼养殖", "台山", "摩托车"]
REPEATS = 3  # each keystroke is measured 3 times; the best shows the machine, the median the noise


def ensure_database(data_dir: Path) -> None:
    if (data_dir / "commissioner.db").exists():
        return
    print(f"making {VISITS:,} demo visits in {data_dir} (about 40 s, once)…", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "commissioner_app",
            "--data-dir",
            str(data_dir),
            "demo",
            "--visits",
            str(VISITS),
        ],
        check=True,
        env=_env(),
        cwd=ROOT,
    )


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


# --- child processes -------------------------------------------------------------------------------


def child_start(data_dir: Path) -> None:
    """Start the application and say READY once the main window is usable."""
    from PySide6.QtWidgets import QApplication

    from ui.app import create_main_window, open_context
    from ui.fonts import register_bundled_font

    app = QApplication(sys.argv[:1])
    register_bundled_font(app)
    context = open_context(data_dir, "zh_CN")
    window = create_main_window(context)
    overview = window.views["overview"]
    shown = []
    overview.figures_shown.connect(lambda: shown.append(True))
    window.show()
    window.show_view("overview")
    while not shown or window._waiting is None:  # overview figures and the status bar's sync count
        app.processEvents()
        time.sleep(0.001)
    print("READY", flush=True)
    context.tasks.wait_idle()
    app.processEvents()
    print("IDLE", flush=True)
    t0 = time.perf_counter()
    first: list[float] = []
    view = window.views["visits"]
    view.model.first_page.connect(lambda _n: first.append(time.perf_counter()))
    window.show_view("visits")
    context.tasks.wait_idle()
    for row in range(25):
        view.model.data(view.model.index(row, 3))
    app.processEvents()
    print(
        f"VISITS {(first[0] - t0) * 1000:.0f} {(time.perf_counter() - t0) * 1000:.0f} "
        f"{view.model.rowCount()}",
        flush=True,
    )
    context.close()


def child_search(data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.app import open_context
    from ui.fonts import register_bundled_font
    from ui.views.visits import VisitsView

    app = QApplication(sys.argv[:1])
    register_bundled_font(app)
    context = open_context(data_dir, "zh_CN")
    view = VisitsView(context)
    view.resize(1200, 700)
    view.show()
    view.load()
    context.tasks.wait_idle()
    model = view.model

    seen: dict[str, float] = {}

    def first_rows(_count: int) -> None:
        seen.setdefault("first", time.perf_counter())

    def all_rows(count: int) -> None:
        seen.setdefault("first", time.perf_counter())
        seen["all"] = time.perf_counter()
        seen["count"] = count

    model.first_page.connect(first_rows)
    model.loaded.connect(all_rows)
    for word in TYPED:
        for n in range(1, len(word) + 1):
            typed = word[:n]
            firsts, fulls = [], []
            for attempt in range(REPEATS):  # the same keystroke again: the least disturbed one counts
                seen.clear()
                t0 = time.perf_counter()
                if attempt == 0:
                    view.search_box.setText(typed)
                    view.search_box._fire()  # what the typing pause triggers
                else:
                    model.reload()
                while "all" not in seen:
                    app.processEvents()
                    time.sleep(0.0005)
                firsts.append((seen["first"] - t0) * 1000)
                fulls.append((seen["all"] - t0) * 1000)
            print(
                f"KEY {typed} {min(firsts):.1f} {min(fulls):.1f} {int(seen['count'])} "
                f"{statistics.median(firsts):.1f}",
                flush=True,
            )
        view.search_box.setText("")
        view.search_box._fire()
        context.tasks.wait_idle()

    rng = random.Random(1)
    worst = 0.0
    for _ in range(50):
        row = rng.randrange(model.rowCount())
        t0 = time.perf_counter()
        model.data(model.index(row, 3))
        worst = max(worst, (time.perf_counter() - t0) * 1000)
    print(f"PAGE {worst:.1f}", flush=True)
    view.close()
    del view
    context.close()
    os._exit(0)  # skip interpreter teardown of Qt objects (not what is measured)


# --- the parent ------------------------------------------------------------------------------------


def measure_start(data_dir: Path) -> tuple[float, float, int, float, float]:
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", "start", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    assert process.stdout is not None
    ready = idle = 0.0
    first_ms, visits_ms, rows = 0.0, 0.0, 0
    for line in process.stdout:
        if line.startswith("READY"):
            ready = time.perf_counter() - t0
        elif line.startswith("IDLE"):
            idle = time.perf_counter() - t0
        elif line.startswith("VISITS"):
            _, first, ms, count = line.split()
            first_ms, visits_ms, rows = float(first), float(ms), int(count)
    process.wait()
    return ready, visits_ms, rows, idle, first_ms


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("start", "search"))
    args = parser.parse_args()
    if args.child == "start":
        child_start(args.data_dir)
        return 0
    if args.child == "search":
        child_search(args.data_dir)
        return 0

    ensure_database(args.data_dir)
    print(f"database: {args.data_dir} ({VISITS:,} visits)")
    starts = [measure_start(args.data_dir) for _ in range(args.runs)]
    best = min(s[0] for s in starts)
    print(
        f"cold start to usable main window: {', '.join(f'{s[0]:.2f}' for s in starts)} s "
        f"(best {best:.2f} s; budget 2 s) {'OK' if best < 2 else 'OVER BUDGET'}"
    )
    print(f"every start-up query done: {', '.join(f'{s[3]:.2f}' for s in starts)} s")
    print(
        f"visit list opened: first rows after {', '.join(f'{s[4]:.0f}' for s in starts)} ms; all "
        f"{starts[0][2]:,} visits (scroll bar, count) after {', '.join(f'{s[1]:.0f}' for s in starts)} ms "
        "(in the background; the window stays responsive)"
    )

    result = subprocess.run(
        [sys.executable, __file__, "--child", "search", "--data-dir", str(args.data_dir)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        check=True,
    )
    latencies = []
    print(
        f"search as you type (keystroke: best of {REPEATS} first rows shown / full list and count, results):"
    )
    for line in result.stdout.splitlines():
        if line.startswith("KEY"):
            _, typed, first, full, count, median_first = line.split()
            latencies.append((typed, float(first), float(full)))
            print(
                f"  {typed:<6} {float(first):7.1f} ms / {float(full):7.1f} ms  {int(count):>7,}"
                f"   (median of {REPEATS} first rows: {float(median_first):.0f} ms)"
            )
        elif line.startswith("PAGE"):
            page = float(line.split()[1])
    two_plus = [first for typed, first, _ in latencies if len(typed) >= 2]
    full = [f for typed, _, f in latencies if len(typed) >= 2]
    print(
        f"per keystroke (2+ characters), first rows shown: median {statistics.median(two_plus):.0f} ms, "
        f"max {max(two_plus):.0f} ms (budget 100 ms) {'OK' if max(two_plus) < 100 else 'OVER BUDGET'}"
    )
    print(
        f"per keystroke (2+ characters), full list and count: median {statistics.median(full):.0f} ms, "
        f"max {max(full):.0f} ms"
    )
    one = [first for typed, first, _ in latencies if len(typed) == 1]
    print(
        f"first character alone (the box waits 700 ms for a second one): median {statistics.median(one):.0f} "
        "ms"
    )
    print(f"slowest page of 100 rows fetched while scrolling: {page:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
