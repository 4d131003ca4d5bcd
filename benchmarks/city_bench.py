"""The city view opens on 100,000 synced visits in under 2 s (issue 6's budget).

    python benchmarks/city_bench.py [--data-dir /tmp/city100k] [--runs 3]

The data directory holds a demo store (`python -m commissioner_app --data-dir /tmp/city100k demo
--visits 100000`); it is copied to a scratch directory, logged in as the bureau, and the city view
is opened for the year with most visits. Prints:
- city_figures() alone (the query on the worker);
- the view opened: created, figures and county/industry/service-type charts and tables shown;
- the commissioners' scores and grades shown too (computed after the figures, the view is usable meanwhile);
- the drill-down: a county's towns, then a town's visits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/city100k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = Path(args.data_dir)
    if not (source / "commissioner.db").exists():
        sys.exit(f"no store in {source}: python -m commissioner_app --data-dir {source} demo --visits 100000")
    work = Path(tempfile.mkdtemp(prefix="city-bench-"))
    shutil.copy(source / "commissioner.db", work / "commissioner.db")
    store = Store.open(work)
    store.set_meta(
        "sync_user",
        json.dumps(
            {
                "id": "b",
                "username": "kjj",
                "role": "bureau",
                "display_name": "市科技局",
                "commissioner_id": None,
                "team_id": None,
                "workstation_id": None,
            }
        ),
    )
    visits = store.db.execute("SELECT count(*) FROM visits").fetchone()[0]
    year = int(
        store.db.execute(
            "SELECT substr(visit_date, 1, 4) y FROM visits GROUP BY y ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from ui.context import AppContext
    from ui.fonts import register_bundled_font
    from ui.views.city import CityView, city_figures

    register_bundled_font(app)
    ctx = AppContext(store, language="zh_CN")
    query, opened, scored, drill = [], [], [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        city_figures(ctx.reader, year)
        query.append(time.perf_counter() - t)

        t = time.perf_counter()
        view = CityView(ctx)
        view.resize(1366, 720)
        view.show()
        view.set_year(year)
        view.load()
        while view.figures is None:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        opened.append(time.perf_counter() - t)
        while view.members is None:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        scored.append(time.perf_counter() - t)

        t = time.perf_counter()
        view.county_table.selectRow(0)
        while not view.towns:
            app.processEvents()
            time.sleep(0.001)
        view.town_table.selectRow(0)
        while not view.visits:
            app.processEvents()
            time.sleep(0.001)
        drill.append(time.perf_counter() - t)
        ctx.tasks.wait_idle()
        view.deleteLater()
        app.processEvents()
    figures = view.figures.overview if view.figures else {}
    print(
        f"store: {visits:,} visits; year {year}: {figures.get('visits', 0):,} submitted visits, "
        f"{figures.get('active_commissioners', 0)} active commissioners"
    )
    print(f"city_figures() query:            median {statistics.median(query):.3f} s  (runs {args.runs})")
    print(
        f"city view opened (figures shown): median {statistics.median(opened):.3f} s  max {max(opened):.3f} s"
        f"  (budget 2 s)"
    )
    print(f"scores and grades shown too:     median {statistics.median(scored):.3f} s")
    print(f"drill-down county -> town visits: median {statistics.median(drill):.3f} s")
    ctx.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
