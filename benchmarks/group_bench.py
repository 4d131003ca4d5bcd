"""Team and workstation assessment on a city's data: how long the 团队与工作站考核 figures take.

    python benchmarks/group_bench.py [--data-dir /tmp/ta-group100k] [--visits 100000] [--runs 3]

Makes a demo store of `--visits` visits in `--data-dir` when there is none, adds a bonus to every
team, and prints (median of the runs):
- the city-wide assessment alone (what every group's figures start from);
- assess_groups() for teams and for workstations on that assessment;
- group_assessment(), what the view loads (assessment, both kinds, exemplars);
- the 团队考核 and 工作站考核 sheets written (rows streamed into an .xlsx);
- the yearly list by county (city_figures(), as the city view loads it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.assessment import Period, assess, assess_groups  # noqa: E402
from commissioner_app.demo import generate_demo  # noqa: E402
from commissioner_app.domain import BonusPoint  # noqa: E402
from commissioner_app.ops.city import city_figures  # noqa: E402
from commissioner_app.ops.groups import group_assessment  # noqa: E402
from commissioner_app.store import Store  # noqa: E402
from commissioner_app.xlsx_writer import XlsxWriter  # noqa: E402


def timed(label: str, runs: int, fn: Callable[[], Any]) -> Any:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<48} {statistics.median(times) * 1000:8.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/ta-group100k")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.data_dir)
    store = Store.open(folder)
    if store.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0:
        start = time.perf_counter()
        generate_demo(store, visits=args.visits)
        print(f"demo of {args.visits:,} visits made in {time.perf_counter() - start:.0f} s")
    year = int(
        store.db.execute(
            "SELECT substr(visit_date, 1, 4) y FROM visits GROUP BY y ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )
    if not store.db.execute("SELECT count(*) FROM bonus_points").fetchone()[0]:
        for (team_id,) in store.db.execute("SELECT id FROM teams").fetchall():
            store.save(
                BonusPoint(
                    year=year,
                    subject_kind="team",
                    subject_id=team_id,
                    points=3,
                    reason="表彰",
                    evidence="文件",
                    status="approved",
                )
            )
    counts = {
        t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("visits", "commissioners", "teams", "workstations", "bonus_points")
    }
    print(f"year {year}: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    city = timed("assess() city-wide", args.runs, lambda: assess(store, period=Period.year(year)))
    timed("assess_groups(teams)", args.runs, lambda: assess_groups(store, city, "team"))
    timed("assess_groups(workstations)", args.runs, lambda: assess_groups(store, city, "workstation"))
    timed("group_assessment() (what the view loads)", args.runs, lambda: group_assessment(store, year))

    def sheets() -> None:
        from commissioner_app.exports import group_sheets

        out = Path(tempfile.mkdtemp(prefix="group-bench-")) / "groups.xlsx"
        with XlsxWriter(out) as book:
            for sheet in group_sheets(store, city):
                book.add_sheet(
                    sheet.title.text(),
                    [c.header.text() for c in sheet.columns],
                    [c.width for c in sheet.columns],
                    sheet.rows(),
                )

    timed("团队考核 + 工作站考核 sheets written", args.runs, sheets)
    timed("city_figures() with the yearly list by county", args.runs, lambda: city_figures(store, year))
    store.close()


if __name__ == "__main__":
    main()
