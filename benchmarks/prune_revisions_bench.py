"""The retention prune of old versions of records (no budget; figures only).

    python benchmarks/prune_revisions_bench.py [--records 500] [--edits 8] [--database URL]

Writes `--records` visits of `--edits` versions each (rows straight into `records` and `revisions`,
about 1 kB of fields a version, the province's size), all but the newest three years old, and times
`prune_revisions` (a dry run, then the real one): rows deleted a second. Default database: a
SQLite file in a temporary folder; PostgreSQL with --database postgresql://... (an empty database
of its own: `createdb prune_bench`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.server import timeutil  # noqa: E402
from sync.server.db import make_engine  # noqa: E402
from sync.server.maintenance import prune_revisions  # noqa: E402
from sync.server.migrations import migrate  # noqa: E402
from sync.server.tables import records, revisions  # noqa: E402


def fill(engine: object, n_records: int, edits: int) -> int:
    old = timeutil.iso(timeutil.now() - timedelta(days=1200))
    new = timeutil.now_iso()
    seq = 0
    revs, recs = [], []
    for i in range(n_records):
        for rev in range(1, edits + 1):
            seq += 1
            fields = json.dumps(
                {"content": "指导柑橘园春季修剪和病虫害防治" * 20, "people_trained": rev, "n": i},
                ensure_ascii=False,
            )
            revs.append(
                dict(
                    table_name="visits",
                    record_id=f"v{i:06d}",
                    rev=rev,
                    server_seq=seq,
                    deleted=False,
                    fields=fields,
                    user_id="u",
                    username="zhangsan",
                    device_id="laptop",
                    batch_id=f"b{seq}",
                    client_time="",
                    at=new if rev == edits else old,
                )
            )
        recs.append(
            dict(
                table_name="visits",
                id=f"v{i:06d}",
                rev=edits,
                server_seq=seq,
                deleted=False,
                fields=fields,
                updated_at=new,
                updated_by="zhangsan",
            )
        )
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(revisions.insert(), revs)
        conn.execute(records.insert(), recs)
    return len(revs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'server.db'}"
        engine = make_engine(url)
        migrate(engine)
        total = fill(engine, args.records, args.edits)
        started = time.perf_counter()
        would = prune_revisions(engine, dry_run=True)
        dry = time.perf_counter() - started
        started = time.perf_counter()
        done = prune_revisions(engine)
        real = time.perf_counter() - started
        assert done.removed == would.removed == total - 2 * args.records
        print(
            f"{engine.dialect.name}: {total} versions, {done.removed} deleted "
            f"({done.bytes / 1e6:.1f} MB): dry run {dry:.2f} s ({would.removed / dry:,.0f} rows/s), "
            f"prune {real:.2f} s ({done.removed / real:,.0f} rows/s)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
