"""Document and export budgets (issue 5). Prints figures; asserts nothing.

    python benchmarks/reports_bench.py [--commissioners 1000] [--visits 100000] [--data-dir DIR] [--reuse]
                                       [--workers N] [--batch-limit N] [--skip sheet annual batch export]

Budgets: a visit sheet with two photos < 0.3 s; the annual record of a commissioner with 300 visits
< 2 s; annual records for 1,000 commissioners < 5 min with flat memory; Excel export of 100,000
visits < 60 s.

The demo generator gives a third of all visits to its first commissioner (the local user); for the
batch that would make one 400-page record, so the benchmark spreads the visits evenly over all
commissioners first (problems and solutions follow their visit).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from commissioner_app.assessment import Period, assess  # noqa: E402
from commissioner_app.attachments import add_attachment  # noqa: E402
from commissioner_app.demo import generate_demo  # noqa: E402
from commissioner_app.exports import export_xlsx  # noqa: E402
from commissioner_app.reports.annual import annual_record  # noqa: E402
from commissioner_app.reports.batch import annual_records  # noqa: E402
from commissioner_app.reports.visit_sheet import visit_sheet  # noqa: E402
from commissioner_app.store import Store  # noqa: E402

YEAR = date.today().year - 1  # the last full year of the demo's two years


def rss_mb() -> float:
    """Current resident memory (Linux /proc; falls back to the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 1e6
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


def children_rss_mb() -> float:
    """Resident memory of this process's live children (the batch's workers; Linux /proc)."""
    total = 0.0
    try:
        pids = {
            pid
            for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()
        }
        for pid in pids:
            with contextlib.suppress(OSError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * resource.getpagesize() / 1e6
    except OSError:
        pass
    return total


def cpu_s() -> float:
    """CPU time of this process and of its finished children (the batch's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm-up: fonts are loaded once per process
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def photo(path: Path, size: tuple[int, int], seed: int) -> Path:
    img = Image.new("RGB", size, (40 + seed * 60, 120, 80))
    draw = ImageDraw.Draw(img)
    for i in range(0, size[0], 97):
        draw.line((i, 0, size[0] - i, size[1]), fill=(200, 180 - seed * 40, 60), width=9)
    img.save(path, quality=88)
    return path


def visit_sheet_bench(folder: Path) -> None:
    store = Store.open(folder / "sheet")
    generate_demo(store, visits=300, commissioners=3, seed=2)
    vid = store.db.execute("SELECT id FROM visits WHERE is_draft = 0 LIMIT 1").fetchone()[0]
    for i, size in enumerate([(4000, 3000), (3000, 4000)]):  # phone photos
        add_attachment(store, photo(folder / f"photo{i}.jpg", size, i), "visits", vid)
    med, worst = timed(lambda: visit_sheet(store, vid, io.BytesIO()), 10)
    print(f"visit sheet, two 12-megapixel photos: median {med:.3f} s, worst {worst:.3f} s  (budget 0.3 s)")
    store.close()


def annual_bench(folder: Path) -> None:
    store = Store.open(folder / "annual")
    generate_demo(store, visits=2400, commissioners=4, seed=3)
    a = assess(store, period=Period.year(YEAR))
    cid = store.get_meta("self_commissioner_id")
    # Keep exactly 300 counted visits for the commissioner in the year.
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT id FROM visits WHERE commissioner_id = ? AND review_status = 'approved' AND deleted = 0 "
            "AND is_draft = 0 AND visit_date BETWEEN ? AND ? ORDER BY visit_date",
            [cid, f"{YEAR}-01-01", f"{YEAR}-12-31"],
        ).fetchall()
    ]
    if len(ids) < 300:
        print(f"annual record: only {len(ids)} counted visits in {YEAR}; raise --visits")
    store.db.conn.executemany("UPDATE visits SET deleted = 1 WHERE id = ?", [(i,) for i in ids[300:]])
    store.db.conn.commit()
    a = assess(store, period=Period.year(YEAR))
    m = a.member(cid)
    pages = annual_record(store, cid, YEAR, io.BytesIO(), assessment=a)
    med, worst = timed(lambda: annual_record(store, cid, YEAR, io.BytesIO(), assessment=a), 5)
    print(
        f"annual record, {m.figures.visits} visits, {m.figures.problems_solved} problems solved, {pages} "
        f"pages: median {med:.2f} s, worst {worst:.2f} s  (budget 2 s)"
    )
    start = time.perf_counter()
    annual_record(store, cid, YEAR, io.BytesIO())  # with the city assessment computed inside
    print(f"  the same, assessment included: {time.perf_counter() - start:.2f} s")
    store.close()


def big_store(data: Path, visits: int, commissioners: int, reuse: bool) -> Store:
    if reuse and (data / "commissioner.db").exists():
        return Store.open(data)
    shutil.rmtree(data, ignore_errors=True)
    store = Store.open(data)
    start = time.perf_counter()
    generate_demo(store, visits=visits, commissioners=commissioners, seed=1)
    with store.atomic():
        store.db.execute(
            "CREATE TEMP TABLE people AS SELECT id, row_number() OVER (ORDER BY rowid) - 1 AS n "
            "FROM commissioners"
        )
        store.db.execute(
            f"UPDATE visits SET commissioner_id = (SELECT id FROM people WHERE n = visits.rowid % "
            f"{commissioners})"
        )
        store.db.execute(
            "UPDATE problems SET commissioner_id = (SELECT commissioner_id FROM visits "
            "WHERE visits.id = problems.visit_id)"
        )
        store.db.execute(
            "UPDATE solutions SET commissioner_id = (SELECT commissioner_id FROM visits "
            "WHERE visits.id = solutions.visit_id)"
        )
    print(
        f"demo store: {visits} visits, {commissioners} commissioners in {time.perf_counter() - start:.0f} s"
    )
    return store


def batch_bench(store: Store, folder: Path, limit: int | None, workers: int | None) -> None:
    start = time.perf_counter()
    a = assess(store, period=Period.year(YEAR))
    print(
        f"city assessment, {len(a.members)} commissioners, {a.totals.visits} counted visits: "
        f"{time.perf_counter() - start:.2f} s"
    )
    samples: list[tuple[int, float]] = []
    if limit:
        a.members = a.members[:limit]

    def progress(done: int, total: int, name: str) -> None:
        if done == 1 or done % max(1, total // 10) == 0 or done == total:
            samples.append((done, rss_mb(), children_rss_mb()))

    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), cpu_s()
    result = annual_records(store, YEAR, folder, assessment=a, progress=progress, workers=workers)
    took, cpu = time.perf_counter() - start, cpu_s() - cpu
    n = len(result.written)
    size = sum(p.stat().st_size for p in result.written) / 1e6
    print(
        f"annual records for {n} commissioners ({'default' if workers is None else workers} workers): "
        f"{took:.0f} s wall, {cpu:.0f} s CPU with the workers' ({took / n:.2f} s each, {size:.0f} MB)"
        + ("" if n >= 1000 else f"; extrapolated to 1,000: {took / n * 1000:.0f} s")
        + f"  (budget 300 s; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} CPUs)"
    )
    if result.failed:
        print(f"  NOT WRITTEN: {len(result.failed)}: {result.failure_message()}")
    print(
        "  resident memory (MB) after documents, this process + workers: "
        + ", ".join(f"{d}: {mb:.0f}+{kids:.0f}" for d, mb, kids in samples)
    )
    print(
        f"  peak RSS: this process {peak_mb():.0f} MB, largest worker "
        f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
    )


def export_bench(store: Store, folder: Path) -> None:
    period = Period(date(1900, 1, 1), date(2100, 12, 31))  # every visit, not one year's
    before = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    counts = export_xlsx(store, None, folder / "export.xlsx", period=period)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = (folder / "export.xlsx").stat().st_size / 1e6
    print(
        f"Excel export, {counts['visits']} visits + {counts['problems']} problems + {counts['solutions']} "
        f"solutions + {counts['targets']} targets + {counts['assessment']} assessed: {took:.1f} s "
        f"wall, {cpu:.1f} s CPU, {size:.0f} MB  (budget 60 s; load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  resident memory before the export {before:.0f} MB, after {rss_mb():.0f} MB; peak RSS of the "
        f"process {peak_mb():.0f} MB (with --skip sheet annual batch, the export's own peak)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--commissioners", type=int, default=1000)
    parser.add_argument(
        "--batch-limit",
        type=int,
        default=None,
        help="write only this many annual records (the figure is then extrapolated, and says so)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="processes for the batch (default: the batch's own choice)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "commissioner-bench-reports"
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing big demo store")
    parser.add_argument("--skip", nargs="*", default=[], choices=["sheet", "annual", "batch", "export"])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reports-bench-"))
    try:
        if "sheet" not in args.skip:
            visit_sheet_bench(work)
        if "annual" not in args.skip:
            annual_bench(work)
        if "batch" in args.skip and "export" in args.skip:
            return
        store = big_store(args.data_dir, args.visits, args.commissioners, args.reuse)
        if "batch" not in args.skip:
            batch_bench(store, work / "annual-records", args.batch_limit, args.workers)
        if "export" not in args.skip:
            export_bench(store, work)
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
