"""Agreement progress and the target page on a large store (no budget in the issue; figures only).

    python benchmarks/agreements_bench.py [--visits 50000] [--commissioners 200] [--runs 5]

Makes a demo store without photos (agreements for about a quarter of the served targets) and prints
the median of `--runs` of:
- progress of every agreement (commissioner_app/agreements.py, the one progress function);
- the overview's count of agreements behind at mid-period;
- the target page of the busiest target (every visit, problem, solution and agreement, newest first);
- the demo itself with photos, for 2,000 visits (files written, EXIF read back by nobody).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.agreements import behind_agreements, progress_of  # noqa: E402
from commissioner_app.demo import generate_demo  # noqa: E402
from commissioner_app.ops.targets import busiest_target_id, target_page  # noqa: E402
from commissioner_app.store import Store  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--commissioners", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agreements-bench-") as tmp:
        store = Store.open(Path(tmp) / "big")
        generate_demo(store, visits=args.visits, commissioners=args.commissioners, photos=False)
        count = store.db.execute("SELECT count(*) FROM service_agreements").fetchone()[0]
        target = busiest_target_id(store) or ""
        events = len(target_page(store, target).events)
        print(f"{args.visits:,} visits, {count:,} agreements")
        print(f"progress of every agreement: {median_ms(lambda: progress_of(store), args.runs):.0f} ms")
        print(
            f"agreements behind (overview): {median_ms(lambda: behind_agreements(store), args.runs):.0f} ms"
        )
        page_ms = median_ms(lambda: target_page(store, target), args.runs)
        print(f"target page of the busiest target ({events} lines): {page_ms:.0f} ms")
        store.close()
        demo = Store.open(Path(tmp) / "demo")
        started = time.perf_counter()
        generate_demo(demo, visits=2000)
        files = demo.db.execute("SELECT count(DISTINCT sha256) FROM attachments").fetchone()[0]
        print(f"demo of 2,000 visits with {files} photos and scans: {time.perf_counter() - started:.1f} s")
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
