"""What the pull's `remaining` count costs next to the page it comes with, on 100,000 records.

    python benchmarks/pull_count.py [--records 100000] [--postgres URL]

Fills a fresh server database (SQLite file; PostgreSQL in a schema of its own, dropped after)
with records of 100 commissioners in 10 teams plus public rows, straight into `records`, then for
a bureau user, a manager and a commissioner prints the query plan of the count and the time of a
first page (limit 2000) without and with count=true, and of a page from a recent cursor.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, literal, select, text

from sync.server.auth import User
from sync.server.db import make_engine
from sync.server.migrations import migrate
from sync.server.pull import COUNT_CAP, pull_page
from sync.server.scope import visible_clause
from sync.server.tables import counters, records

USERS = {
    "bureau": User("u-b", "boss", "bureau", "局", None, None, None),
    "manager": User("u-m", "mgr", "manager", "团长", "c-0", "team-0", "station-0"),
    "commissioner": User("u-c", "zhang", "commissioner", "张", "c-7", "team-7", "station-7"),
}


def fill(engine, n: int) -> None:  # type: ignore[no-untyped-def]
    fields = json.dumps(
        {"content": "指导柑橘园修剪、施肥和病虫害防治，培训农户。" * 3, "people_trained": 20},
        ensure_ascii=False,
    )
    rows = []
    for i in range(n):
        c = i % 100
        public = i % 50 == 0
        rows.append(
            {
                "table_name": "demands" if public else "visits",
                "id": str(uuid.uuid4()),
                "rev": 1,
                "server_seq": i + 1,
                "deleted": False,
                "owner_id": None if public else f"c-{c}",
                "team_id": None if public else f"team-{c % 10}",
                "workstation_id": None if public else f"station-{c % 10}",
                "public": public,
                "sha256": None,
                "fields": fields,
                "updated_at": "2026-01-01T00:00:00Z",
                "updated_by": "x",
            }
        )
    with engine.begin() as conn:
        for start in range(0, n, 5000):
            conn.execute(records.insert(), rows[start : start + 5000])
        conn.execute(counters.update().where(counters.c.name == "server_seq").values(value=n))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE records"))
        else:
            conn.execute(text("ANALYZE"))


def timed(call, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def plan(engine, user: User, since: int) -> list[str]:  # type: ignore[no-untyped-def]
    inner = (
        select(literal(1))
        .select_from(records)
        .where(records.c.server_seq > since, records.c.server_seq <= 10**12, visible_clause(user))
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    query = select(func.count()).select_from(inner)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        return [" | ".join(str(x) for x in row[-1:]) for row in conn.execute(text(prefix + sql))]


def run(name: str, engine, n: int) -> None:  # type: ignore[no-untyped-def]
    migrate(engine)
    started = time.perf_counter()
    fill(engine, n)
    print(f"\n== {name}: {n:,} records (filled in {time.perf_counter() - started:.1f} s)")
    for role, user in USERS.items():
        page = json.loads(pull_page(engine, user, 0, 2000, count=True))
        print(f"-- {role}: remaining from 0 = {page['remaining']:,}; count plan:")
        for line in plan(engine, user, 0):
            print("     " + line)
        print("   count plan from a recent cursor (1,000 changes ago):")
        for line in plan(engine, user, n - 1000):
            print("     " + line)
        plain = timed(lambda u=user: pull_page(engine, u, 0, 2000))
        counted = timed(lambda u=user: pull_page(engine, u, 0, 2000, count=True))
        recent = timed(lambda u=user: pull_page(engine, u, n - 1000, 2000, count=True))
        print(
            f"   first page {plain * 1000:.1f} ms, with count {counted * 1000:.1f} ms "
            f"(+{(counted - plain) * 1000:.1f}); from a recent cursor with count {recent * 1000:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'server.db'}")
        run("SQLite", engine, args.records)
        engine.dispose()
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            engine = make_engine(args.postgres, connect_args={"options": f"-csearch_path={schema}"})
            run("PostgreSQL", engine, args.records)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
