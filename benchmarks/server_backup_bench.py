"""Central store backup and restore: time and size for a filled store, SQLite and PostgreSQL.

    python benchmarks/server_backup_bench.py [--visits 10000] [--photos 100] [--postgres URL]

Fills a fresh store in-process (N visits with a problem and a solution each, and P photos of
1 MB of random bytes referred to by visits), then prints the seconds of `backup`, `restore
--check` and `restore` into a fresh store of the same kind, the backup's size and the peak memory
of the process (ru_maxrss).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import text  # noqa: E402

from benchmarks.server_push_pull import visit_changes  # noqa: E402
from benchmarks.sync_bench import cpu_reference  # noqa: E402
from sync.protocol import CHUNK_SIZE, MAX_PUSH_CHANGES  # noqa: E402
from sync.server import attachments, auth, backup, push  # noqa: E402
from sync.server.db import make_engine  # noqa: E402
from sync.server.migrations import migrate  # noqa: E402


def fill(engine: Any, visits: int, photos: int) -> None:
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    cid = str(uuid.uuid4())
    auth.add_user(engine, "zhangsan", "benchmark password", "commissioner", commissioner_id=cid)
    from sqlalchemy import select

    from sync.server.tables import users

    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == "zhangsan")).one()
    user = auth.User(row.id, row.username, row.role, row.display_name, cid, None, None)
    changes = visit_changes(cid, visits)
    for i in range(0, len(changes), MAX_PUSH_CHANGES):
        push.push(
            engine,
            user,
            {
                "batch_id": str(uuid.uuid4()),
                "device_id": "b",
                "client_time": "",
                "changes": changes[i : i + 500],
            },
        )
    visit_ids = [c["id"] for c in changes if c["table"] == "visits"]
    for n in range(photos):
        data = os.urandom(1024 * 1024)
        sha = hashlib.sha256(data).hexdigest()
        for offset in range(0, len(data), CHUNK_SIZE):
            attachments.put_chunk(engine, user, sha, offset, data[offset : offset + CHUNK_SIZE])
        attachments.complete(engine, user, sha, len(data))
        push.push(
            engine,
            user,
            {
                "batch_id": str(uuid.uuid4()),
                "device_id": "b",
                "client_time": "",
                "changes": [
                    {
                        "table": "attachments",
                        "id": str(uuid.uuid4()),
                        "base_rev": 0,
                        "deleted": False,
                        "fields": {
                            "sha256": sha,
                            "owner_table": "visits",
                            "owner_id": visit_ids[n % len(visit_ids)],
                            "kind": "photo",
                            "size": len(data),
                            "original_name": f"photo{n}.jpg",
                        },
                    }
                ],
            },
        )


def timed(label: str, work: Any) -> Any:
    start = time.perf_counter()
    result = work()
    print(f"  {label:<28} {time.perf_counter() - start:6.2f} s", flush=True)
    return result


def run(kind: str, make: Any, folder: Path, visits: int, photos: int) -> None:
    print(f"{kind}: {visits} visits ({visits * 3} records), {photos} photos of 1 MB")
    source = make("source")
    migrate(source)
    timed("fill", lambda: fill(source, visits, photos))
    out = folder / f"{kind}.zip"
    manifest = timed("backup", lambda: backup.backup(source, out))
    print(
        f"  {'backup size':<28} {out.stat().st_size / 1e6:6.1f} MB "
        f"({manifest['attachments']['count']} attachments)"
    )
    timed("restore --check", lambda: backup.check(out))
    target = make("target")
    timed("restore into a fresh store", lambda: backup.restore(target, out))
    source.dispose()
    target.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=10000)
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--postgres", help="a PostgreSQL URL; each store gets a schema of its own")
    args = parser.parse_args()
    print(
        f"CPU reference before: {cpu_reference():.2f} s "
        "(0.35 s on the development machine at its usual speed)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run(
            "sqlite",
            lambda name: make_engine(f"sqlite:///{folder / (name + '.db')}"),
            folder,
            args.visits,
            args.photos,
        )
        if args.postgres:
            schemas: list[str] = []
            admin = make_engine(args.postgres)

            def make_pg(name: str) -> Any:
                schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                schemas.append(schema)
                return make_engine(args.postgres, connect_args={"options": f"-csearch_path={schema}"})

            try:
                run("postgresql", make_pg, folder, args.visits, args.photos)
            finally:
                with admin.begin() as conn:
                    for schema in schemas:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    print(f"CPU reference after: {cpu_reference():.2f} s")
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
