#!/usr/bin/env python3
"""Sync budgets on loopback, against the real central store on SQLite and on PostgreSQL.

    python benchmarks/sync_bench.py                  # both backends (PostgreSQL when reachable)
    python benchmarks/sync_bench.py --backend sqlite --quick

Figures printed (budgets from issue 4):
- first push of 10,000 visits with their problems and solutions (< 4 s);
- pull of 100,000 records into an empty client (< 20 s), with the client's resident memory
  sampled along the way (it must stay flat: pages are applied and dropped one by one);
- a sync with nothing to do (<= 2 HTTP requests, < 100 ms);
- 100 clients syncing at once against one server process (no errors; p50/p95/max latency).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.domain import Commissioner, ServiceTarget, Solution, TechnicalProblem, Visit  # noqa: E402
from commissioner_app.records import to_row  # noqa: E402
from commissioner_app.store import Store  # noqa: E402
from sync.client import SyncClient  # noqa: E402
from sync.engine import SyncEngine, SyncProgress  # noqa: E402

PASSWORD = "bench password 1"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(database: str, folder: Path) -> Iterator[str]:
    port = free_port()
    log = (folder / "server.log").open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.server_cli",
            "--database",
            database,
            "--log-level",
            "WARNING",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=ENV,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited; see {folder / 'server.log'}")
            try:
                requests.get(url + "/api/v1/me", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'server.db'}"
        return
    import psycopg

    base = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"fc_sync_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"), connect_timeout=3
        ):
            return True
    except Exception:  # unreachable for any reason: skip that backend
        return False


def add_users(db_url: str, names: list[tuple[str, str]]) -> None:
    from argon2 import PasswordHasher

    from sync.server import auth
    from sync.server.db import make_engine
    from sync.server.migrations import migrate

    engine = make_engine(db_url)
    migrate(engine)
    # Logins are not what is measured: cheap hashes keep the set-up short.
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    for name, cid in names:
        auth.add_user(engine, name, PASSWORD, "commissioner", commissioner_id=cid)
    engine.dispose()


def fill(store: Store, cid: str, visits: int, seed: int, children: bool = True) -> int:
    """Unsent visits (with a problem each and most with a solution), written in bulk; returns records."""
    rng = random.Random(seed)
    store.save_profile(Commissioner(id=cid, name="基准测试", sending_unit="省农业科学院"))
    targets = [
        ServiceTarget(name=f"合作社{i}", type="enterprise", county="新罗区", town="适中镇") for i in range(20)
    ]
    rows: dict[str, list[dict[str, Any]]] = {
        "service_targets": [to_row(t) for t in targets],
        "visits": [],
        "problems": [],
        "solutions": [],
    }
    today = date.today()
    for i in range(visits):
        v = Visit(
            commissioner_id=cid,
            target_id=rng.choice(targets).id,
            visit_date=today - timedelta(days=i % 365),
            start_time="09:00",
            end_time="11:00",
            county="新罗区",
            town="适中镇",
            service_types=["guidance"],
            industry="水稻",
            content=f"指导水稻病虫害绿色防控，第{i}次走访，讲解稻瘟病识别与用药",
            people_trained=i % 30,
        )
        rows["visits"].append(to_row(v))
        if children:
            p = TechnicalProblem(
                commissioner_id=cid,
                target_id=v.target_id,
                visit_id=v.id,
                title=f"稻瘟病防治{i}",
                description="叶片出现梭形病斑",
                industry="水稻",
                raised_on=v.visit_date,
            )
            rows["problems"].append(to_row(p))
            if rng.random() < 0.7:
                rows["solutions"].append(
                    to_row(
                        Solution(
                            problem_id=p.id,
                            visit_id=v.id,
                            commissioner_id=cid,
                            description="喷施三环唑",
                            technology="三环唑",
                        )
                    )
                )
    now = "2026-01-01T00:00:00+08:00"
    with store.atomic():
        for table, items in rows.items():
            for r in items:
                r.update(created_at=now, updated_at=now, updated_by=cid)
            store.db[table].insert_all(items, batch_size=1000)
    return sum(len(v) for v in rows.values())


def seed_records(db_url: str, owner: str, count: int) -> None:
    """Visits of one commissioner written directly into the server's records table."""
    from sqlalchemy import func, insert, select, update

    from sync.server.db import make_engine
    from sync.server.tables import counters, records

    engine = make_engine(db_url)
    now = "2026-01-01T00:00:00Z"
    with engine.begin() as conn:
        top = (
            conn.execute(select(func.max(counters.c.value)).where(counters.c.name == "server_seq")).scalar()
            or 0
        )
        batch = []
        for i in range(count):
            fields = to_row(
                Visit(
                    commissioner_id=owner,
                    target_id="t-1",
                    visit_date=date(2025, 1 + i % 12, 1 + i % 28),
                    start_time="09:00",
                    end_time="11:00",
                    county="新罗区",
                    town="适中镇",
                    service_types=["guidance"],
                    industry="水稻",
                    content=f"指导水稻病虫害绿色防控，第{i}次走访，讲解稻瘟病识别与用药",
                )
            )
            fields.pop("id")
            batch.append(
                {
                    "table_name": "visits",
                    "id": str(uuid.uuid4()),
                    "rev": 1,
                    "server_seq": top + i + 1,
                    "deleted": False,
                    "owner_id": owner,
                    "public": False,
                    "fields": json.dumps(fields, ensure_ascii=False),
                    "updated_at": now,
                    "updated_by": "seed",
                }
            )
            if len(batch) == 5000:
                conn.execute(insert(records), batch)
                batch = []
        if batch:
            conn.execute(insert(records), batch)
        conn.execute(update(counters).where(counters.c.name == "server_seq").values(value=top + count))
    engine.dispose()


def engine_for(store: Store, url: str, user: str) -> SyncEngine:
    client = SyncClient(url, device_id=str(uuid.uuid4()), read_timeout=120)
    client.login(user, PASSWORD)
    return SyncEngine(store, client)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def pull_child(url: str, user: str) -> None:
    """Runs in its own process, so that its peak memory is the pull's alone."""
    folder = tempfile.mkdtemp()
    store = Store.open(Path(folder) / "laptop")  # a real file: memory must not grow with the data
    engine = engine_for(store, url, user)
    samples: list[float] = []

    def progress(p: SyncProgress) -> None:
        if p.phase == "pull":
            samples.append(rss_mb())

    waited = [0.0]
    fetch = engine.client.pull

    def timed_pull(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fetch(*args, **kwargs)
        finally:
            waited[0] += time.perf_counter() - t0

    engine.client.pull = timed_pull  # type: ignore[method-assign]
    started = time.perf_counter()
    report = engine.sync(progress=progress)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    third = max(1, len(samples) // 3)
    store.close()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "http_seconds": waited[0],
                "pulled": report.pulled,
                "requests": report.requests,
                "rss_first_third": max(samples[:third]),
                "rss_last_third": max(samples[-third:]),
                "peak_mb": peak,
                "pages": len(samples),
            }
        )
    )


def bench(backend: str, visits: int, pull_total: int, clients: int) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": backend}
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as db_url:
        folder = Path(tmp)
        cid, seeder_cid = str(uuid.uuid4()), str(uuid.uuid4())
        rush = [(f"rush{i}", str(uuid.uuid4())) for i in range(clients)]
        add_users(db_url, [("bench", cid), ("seeder", seeder_cid), *rush])
        with server(db_url, folder) as url:
            # 1. First push of N visits with their problems and solutions.
            store = Store.open(folder / "client")
            records = fill(store, cid, visits, 1)
            engine = engine_for(store, url, "bench")
            marks: dict[str, float] = {}

            def progress(p: SyncProgress) -> None:
                if p.phase == "push" and p.total and p.done >= p.total and "pushed" not in marks:
                    marks["pushed"] = time.perf_counter()  # the last batch's answer applied

            waited = [0.0]
            send = engine.client.push

            def timed_push(*args: Any, **kwargs: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return send(*args, **kwargs)
                finally:
                    waited[0] += time.perf_counter() - t0

            engine.client.push = timed_push  # type: ignore[method-assign]
            started = time.perf_counter()
            report = engine.sync(progress=progress)
            ended = time.perf_counter()
            assert report.accepted == records + 1 and report.rejected == 0, report  # + the profile
            out["push"] = {
                "visits": visits,
                "records": records + 1,
                "seconds": marks.get("pushed", ended) - started,
                "whole_first_sync_seconds": ended - started,
                "requests": report.requests,
                "http_seconds": waited[0],
            }

            # 2. Nothing to do.
            times, requests_made = [], []
            for _ in range(20):
                t0 = time.perf_counter()
                r = engine.sync()
                times.append(time.perf_counter() - t0)
                requests_made.append(r.requests)
            out["nothing_to_do"] = {
                "median_ms": statistics.median(times) * 1000,
                "max_ms": max(times) * 1000,
                "max_requests": max(requests_made),
            }
            store.close()

            # 3. Pull of pull_total records into an empty client. The records are written straight
            #    into the server's table (the push path is measured above; seeding 100,000 records
            #    through it would only make this run long); the pull then reads them as it would.
            t0 = time.perf_counter()
            seed_records(db_url, seeder_cid, pull_total)
            out["seed"] = {"records": pull_total, "seconds": time.perf_counter() - t0}
            child = subprocess.run(
                [sys.executable, __file__, "--pull-child", url, "seeder"],
                capture_output=True,
                text=True,
                env=ENV,
                cwd=ROOT,
                timeout=600,
            )
            if child.returncode != 0:
                raise SystemExit(child.stderr)
            out["pull"] = json.loads(child.stdout.strip().splitlines()[-1])

            # 4. A day-end rush: many clients, each with a day's work, sync at the same moment.
            out["rush"] = rush_hour(url, rush)
    return out


def rush_hour(url: str, accounts: list[tuple[str, str]]) -> dict[str, Any]:
    barrier = threading.Barrier(len(accounts))
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(name: str, cid: str, seed: int) -> None:
        store = Store.memory(load_reference=False)
        try:
            fill(store, cid, 5, seed)
            engine = engine_for(store, url, name)
            barrier.wait(120)
            t0 = time.perf_counter()
            report = engine.sync()
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if report.rejected or report.conflicts:
                    errors.append(f"{name}: {report.summary().en}")
        except Exception as exc:  # every failure is counted and reported
            with lock:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
            barrier.abort()

    threads = [threading.Thread(target=one, args=(n, c, i)) for i, (n, c) in enumerate(accounts)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    return {
        "clients": len(accounts),
        "errors": errors[:5],
        "error_count": len(errors),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p95_ms": p95 * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else None,
        "wall_seconds": wall,
    }


def cpu_reference() -> float:
    """CPU seconds of a fixed pure-Python loop: this machine's speed at the moment of measuring (a
    virtual machine here drifts by half within minutes), printed beside the figures."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def report(result: dict[str, Any]) -> None:
    b = result["backend"]
    push, quiet, pull, rush = result["push"], result["nothing_to_do"], result["pull"], result["rush"]
    print(f"\n== {b} ==")
    print(
        f"first push: {push['visits']} visits = {push['records']} records in {push['seconds']:.2f} s (budget "
        f"4 s; requests in flight {push['http_seconds']:.1f} s in all, overlapping the client's own "
        f"work; {push['requests']} requests; whole first sync incl. pulling the "
        f"echo {push['whole_first_sync_seconds']:.2f} s)"
    )
    print(
        f"nothing to do: median {quiet['median_ms']:.1f} ms, max {quiet['max_ms']:.1f} ms, "
        f"at most {quiet['max_requests']} HTTP requests (budget 2 requests, 100 ms)"
    )
    print(
        f"pull into an empty client: {pull['pulled']} records in {pull['seconds']:.2f} s (budget 20 "
        f"s), {pull['requests']} requests; resident memory {pull['rss_first_third']:.0f} MB in the first "
        f"third of the pages, {pull['rss_last_third']:.0f} MB in the last; peak {pull['peak_mb']:.0f} MB "
        f"({pull['pages']} pages, fetched while the one before was "
        f"applied: {pull.get('http_seconds', float('nan')):.1f} s in all)"
    )
    print(
        f"{rush['clients']} clients at once: {rush['error_count']} errors, p50 {rush['p50_ms']:.0f} ms, "
        f"p95 {rush['p95_ms']:.0f} ms, max {rush['max_ms']:.0f} ms, all done in {rush['wall_seconds']:.1f} s"
    )
    for e in rush["errors"]:
        print("   error:", e)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes (a smoke run)")
    parser.add_argument("--pull-child", nargs=2, metavar=("URL", "USER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pull_child:
        pull_child(*args.pull_child)
        return 0
    scale = 10 if args.quick else 1
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(
        f"CPU reference before: {cpu_reference():.2f} s (a fixed loop; 0.35 s on the development machine at "
        "its usual speed)"
    )
    for backend in backends:
        if backend == "postgres" and not postgres_reachable():
            print("\n== postgres ==\nskipped: PostgreSQL is not reachable (set POSTGRES_URL)")
            continue
        report(bench(backend, 10_000 // scale, 100_000 // scale, 100 // min(scale, 4)))
    print(f"\nCPU reference after: {cpu_reference():.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
