"""Core budgets (issue: the core) on a 100,000-visit database. Prints figures; asserts nothing.

    python benchmarks/core_bench.py [--visits 100000] [--data-dir DIR] [--reuse]

Budgets: demo --visits 100000 < 60 s; a page of 200 visits by date < 20 ms; a full-text search
for a two-character Chinese term < 50 ms; `commissioner status` < 1 s.
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

from commissioner_app.domain import ServiceTarget  # noqa: E402
from commissioner_app.store import Store, VisitQuery  # noqa: E402


def timed(fn, repeat: int = 20) -> tuple[float, float]:
    """Median and worst time in ms of `repeat` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", *args], env=env, capture_output=True, text=True, check=True
    )


def main() -> None:
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
        start = time.perf_counter()
        cli("--data-dir", str(data), "demo", "--visits", str(args.visits), "--seed", "1")
        print(f"demo --visits {args.visits}: {time.perf_counter() - start:.1f} s  (budget 60 s)")

    store = Store.open(data)
    print(
        f"database: {store.path}, {store.status()['size_bytes'] / 1e6:.0f} MB, {store.count_visits()} visits"
    )
    med, worst = timed(lambda: store.list_visits(VisitQuery(), offset=0, limit=200))
    print(
        f"page of 200 visits by date (first page): median {med:.1f} ms, worst {worst:.1f} ms  (budget 20 ms)"
    )
    med, worst = timed(lambda: store.list_visits(VisitQuery(), offset=50_000, limit=200))
    print(f"page of 200 visits by date (offset 50,000): median {med:.1f} ms, worst {worst:.1f} ms")
    # Sorted by a name column: every visit's name keyed for pinyin order (commissioner_app/collation.py).
    for order in ("target_name", "commissioner_name"):
        query = VisitQuery(order_by=order, descending=False)
        med, worst = timed(lambda q=query: store.list_visits(q, offset=0, limit=200), repeat=5)
        ids, _ = timed(lambda q=query: store.visit_ids(q), repeat=5)
        print(
            f"visits by {order} (pinyin): first page of 200 median {med:.1f} ms, worst {worst:.1f} ms; "
            f"every id in order {ids:.0f} ms"
        )
    for term in ("陈皮", "稻瘟", "鳗鱼", "烂鳃"):
        med, worst = timed(lambda t=term: store.list_visits(VisitQuery(text=t), limit=200))
        count = store.count_visits(VisitQuery(text=term))
        cmed, _ = timed(lambda t=term: store.count_visits(VisitQuery(text=t)), repeat=5)
        print(
            f"search '{term}' ({count} visits): first page median {med:.1f} ms, worst {worst:.1f} ms "
            f"(budget 50 ms); count {cmed:.1f} ms"
        )
    med, worst = timed(lambda: store.search("陈皮", limit=50))
    print(f"search across visits, problems, solutions, targets '陈皮': median {med:.1f} ms")
    target_id, served = store.db.execute(
        "SELECT target_id, count(*) n FROM visits WHERE target_id IS NOT NULL GROUP BY target_id ORDER BY n "
        "DESC LIMIT 1"
    ).fetchone()
    target = store.require(ServiceTarget, target_id)
    names = [target.name, target.name + "（更名）"]

    def rename() -> None:
        names.reverse()
        target.name = names[0]
        store.save(target)  # its visits are indexed again under the new name

    med, worst = timed(rename, repeat=6)
    print(
        f"renaming the target with the most visits ({served} re-indexed): median {med:.1f} ms, "
        f"worst {worst:.1f} ms"
    )
    store.close()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        cli("--data-dir", str(data), "status")
        times.append(time.perf_counter() - start)
    print(f"`commissioner status` (whole process): median {statistics.median(times):.2f} s  (budget 1 s)")


if __name__ == "__main__":
    main()
