#!/usr/bin/env python3
"""Our sync beside PouchDB's replication, on the same documents, in one run.

    python benchmarks/pouchdb_bench.py [--visits 10000] [--backend sqlite|postgres] [--scratch DIR]
                                       [--runs 3] [--profile DIR]

The records are those of a commissioner with N visits (`commissioner demo --visits N`, one
commissioner, nothing synced yet: 17,402 records at 10,000 visits). Measured, each as a whole
process from start to exit, the median of --runs:

- ours: `commissioner sync` pushing all of them to a fresh `commissioner-server serve --workers N`
  (default: two per core, as the README advises; the push keeps two batches at the server at once,
  which two processes work out side by side), and `commissioner sync` of a freshly logged-in
  laptop pulling all of them (first pull);
  then, apart, the building of the search index of what the pull stored, which the application does
  once a sync is over (printed beside the pull, and its ratio with it);
- PouchDB 9: `pouchdb-node` (LevelDB) replicating the same number of documents, each the same
  JSON as our record, to `express-pouchdb` 4 on `express` 4 (LevelDB, one node process), batch
  500, and a fresh `pouchdb-node` database replicating them all back.

The npm packages are installed into the scratch folder on first use (`npm install`). With
--profile DIR, the client processes run under cProfile and the server under py-spy's
sampling (one extra run each, not counted), writing DIR/*.prof and DIR/server-*.raw (py-spy's
collapsed stacks; `pip install py-spy`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
PASSWORD = "bench password 1"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COMMISSIONER_LANG": "en"}
NPM_PACKAGES = ["pouchdb-node@9", "express-pouchdb@4", "express@4"]

SERVER_JS = r"""
const express = require('express');
const PouchDB = require('pouchdb-node');
const [dir, port] = [process.argv[2], Number(process.argv[3])];
const Db = PouchDB.defaults({prefix: dir + '/'});
const app = express();
app.use('/', require('express-pouchdb')(Db, {mode: 'minimumForPouchDB', logPath: dir + '/log.txt',
  configPath: dir + '/config.json'}));
app.listen(port, '127.0.0.1', () => console.log('ready'));
"""

FILL_JS = r"""
const PouchDB = require('pouchdb-node');
const fs = require('fs');
(async () => {
  const db = new PouchDB(process.argv[2]);
  const docs = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').map(JSON.parse);
  for (let i = 0; i < docs.length; i += 1000) await db.bulkDocs(docs.slice(i, i + 1000));
  console.log(JSON.stringify({docs: (await db.info()).doc_count}));
  await db.close();
})().catch(e => { console.error(e); process.exit(1); });
"""

# The whole process is timed from outside, as ours is: start, open, replicate, close, exit.
REPLICATE_JS = r"""
const PouchDB = require('pouchdb-node');
(async () => {
  const [direction, local, remote] = process.argv.slice(2);
  const db = new PouchDB(local);
  const result = direction === 'push'
    ? await db.replicate.to(remote, {batch_size: 500})
    : await db.replicate.from(remote, {batch_size: 500});
  console.log(JSON.stringify({docs_written: result.docs_written, ok: result.ok}));
  await db.close();
})().catch(e => { console.error(e); process.exit(1); });
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_reference() -> float:
    """CPU seconds of a fixed pure-Python loop (as sync_bench.py prints; 0.35 s at the development
    machine's usual speed)."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import requests

    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited; see {log}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not start; see {log}") from None
            time.sleep(0.1)


def group_cpu(group: int) -> float | None:
    """CPU seconds used so far by the processes of session `group` (Linux's /proc; None elsewhere)."""
    if not os.path.isdir("/proc"):
        return None
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # the process group (a session of its own: the server's pid)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_settled(group: int, limit: float = 60.0) -> None:
    """Wait until a server that answers has also finished starting: its first worker answers
    while the others are still importing, which would take the cores from the sync measured next.
    Settled: under 0.02 CPU seconds in 0.3 s."""
    deadline = time.monotonic() + limit
    before = group_cpu(group)
    while before is not None and time.monotonic() < deadline:
        time.sleep(0.3)
        now = group_cpu(group)
        if now is None or now - before < 0.02:
            return
        before = now


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in a session of its own: every process of it (under py-spy, the
    server's workers outlived py-spy when only it was told)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


# --- ours ----------------------------------------------------------------------------------------


@contextmanager
def our_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'server-{uuid.uuid4().hex[:6]}.db'}"
        return
    import psycopg

    base = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"fc_pouch_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def our_server(database: str, folder: Path, profile: Path | None = None, workers: int = 1) -> Iterator[str]:
    port = free_port()
    log_path = folder / f"server-{port}.log"
    command = [PYTHON, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING"]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if profile:
        # py-spy samples every thread of every worker (the requests run on their thread pools).
        spy = Path(PYTHON).parent / "py-spy"
        command = [
            str(spy),
            "record",
            "--subprocesses",
            "-f",
            "raw",
            "-r",
            "250",
            "-o",
            str(profile),
            "--",
            *command,
        ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=ENV, cwd=ROOT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/v1/me", process, log_path)
        wait_settled(process.pid)
        yield url
    finally:
        stop(process)


PROFILED = """
import cProfile, sys
sys.argv = {argv!r}
from commissioner_app.cli import _main
profile = cProfile.Profile()
try:
    code = profile.runcall(_main, None)[0]
finally:
    profile.dump_stats({out!r})
sys.exit(code)
"""


def commissioner(data_dir: Path, *args: str, stdin: str | None = None, profile: Path | None = None) -> float:
    """Run `commissioner --data-dir D ARGS` to its end; its wall seconds."""
    command = [PYTHON, "-m", "commissioner_app", "--data-dir", str(data_dir), *args]
    if profile:  # around the command itself: `commissioner sync` ends its process with os._exit
        profiled = PROFILED.format(out=str(profile), argv=["commissioner", *command[3:]])
        command = [PYTHON, "-c", profiled]
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=ENV, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"commissioner {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return seconds


def make_laptop(folder: Path, visits: int) -> tuple[str, int]:
    """A commissioner's laptop with `visits` visits never synced; (commissioner id, records to send)."""
    from commissioner_app.demo import generate_demo
    from commissioner_app.store import Store

    store = Store.open(folder)
    # Records only, as PouchDB gets documents only: no photos to upload (evidence_bench.py measures those).
    result = generate_demo(store, visits=visits, commissioners=1, all_local=True, photos=False)
    store.close()
    with closing(sqlite3.connect(folder / "commissioner.db")) as db, db:
        # The demo's teams and workstations are the bureau's (a commissioner's push of them is refused).
        for table in ("teams", "workstations"):
            db.execute(f"UPDATE {table} SET dirty = 0")
    return result.self_id, count_dirty(folder)


def count_dirty(folder: Path) -> int:
    from commissioner_app import schema

    with closing(sqlite3.connect(folder / "commissioner.db")) as db, db:
        return sum(
            db.execute(f"SELECT count(*) FROM {t} WHERE dirty = 1 AND is_draft = 0").fetchone()[0]
            for t in schema.SYNCED_TABLES
        )


def index_after(folder: Path) -> float:
    """Seconds to build the search index of what the pull stored, which the application does after a
    sync (Store.index_pending): counted beside the pull, not hidden."""
    from commissioner_app.store import Store

    store = Store.open(folder)
    started = time.perf_counter()
    store.index_pending()
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def count_records(folder: Path) -> int:
    from commissioner_app import schema

    with closing(sqlite3.connect(folder / "commissioner.db")) as db, db:
        return sum(
            db.execute(f"SELECT count(*) FROM {t} WHERE is_draft = 0 AND dirty = 0").fetchone()[0]
            for t in schema.SYNCED_TABLES
        )


def add_user(database: str, name: str, cid: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "sync.server_cli", "--database", database, "--log-level", "WARNING", "user", "add"]
        + [name, "--role", "commissioner", "--commissioner-id", cid, "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
        check=True,
    )


def login(data_dir: Path, url: str, name: str) -> None:
    commissioner(
        data_dir, "login", "--server", url, "--user", name, "--password-stdin", "--token-file", stdin=PASSWORD
    )


def server_docs(database: str, out: Path) -> tuple[int, int]:
    """Our records as PouchDB documents (the same JSON fields, _id = the record's id), one per line;
    (documents, bytes of their JSON)."""
    from sqlalchemy import text

    from sync.server.db import make_engine

    engine = make_engine(database)
    n = size = 0
    with engine.connect() as conn, out.open("w", encoding="utf-8") as f:
        for table, rid, fields in conn.execute(text("SELECT table_name, id, fields FROM records")):
            if table not in ("reference",):
                doc = {"_id": rid, "table": table, **json.loads(fields)}
                line = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
                f.write(line + "\n")
                n += 1
                size += len(line.encode())
    engine.dispose()
    return n, size


def run_ours(args: argparse.Namespace, work: Path, backend: str, profile: Path | None) -> dict[str, float]:
    """One push and one first pull, each a whole `commissioner sync` process."""
    laptop = work / "laptop-template"
    with our_database(backend, work) as database:
        name = f"bench{uuid.uuid4().hex[:6]}"
        add_user(database, name, args.cid)
        push_dir, pull_dir = work / f"push-{name}", work / f"pull-{name}"
        shutil.copytree(laptop, push_dir)
        spied = profile / f"server-{backend}.raw" if profile else None
        with our_server(database, work, spied, args.workers) as url:
            login(push_dir, url, name)
            push = commissioner(
                push_dir, "sync", "--quiet", profile=profile / f"push-{backend}.prof" if profile else None
            )
            left = count_dirty(push_dir)
            login(pull_dir, url, name)
            pull = commissioner(
                pull_dir, "sync", "--quiet", profile=profile / f"pull-{backend}.prof" if profile else None
            )
            pulled = count_records(pull_dir)
            index = index_after(pull_dir)
            if not args.docs.exists():
                args.doc_count, args.doc_bytes = server_docs(database, args.docs)
        shutil.rmtree(push_dir, ignore_errors=True)
        shutil.rmtree(pull_dir, ignore_errors=True)
    if left:
        raise SystemExit(f"{left} records were still unsent after the push")
    return {"push": push, "pull": pull, "pulled": pulled, "index": index}


# --- PouchDB -------------------------------------------------------------------------------------


def npm_install(scratch: Path) -> None:
    if all((scratch / "node_modules" / p.split("@")[0]).exists() for p in NPM_PACKAGES):
        return
    scratch.mkdir(parents=True, exist_ok=True)
    if not (scratch / "package.json").exists():
        (scratch / "package.json").write_text('{"name": "pouchdb-bench", "private": true}\n')
    print(f"npm install {' '.join(NPM_PACKAGES)} into {scratch} ...", flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=scratch, check=True)


def node(scratch: Path, script: str, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(["node", script, *args], cwd=scratch, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"node {script} failed:\n{done.stdout}{done.stderr}")
    return seconds, done.stdout


def run_pouchdb(scratch: Path, docs: Path, expected: int) -> dict[str, float]:
    for name, body in (("server.js", SERVER_JS), ("fill.js", FILL_JS), ("replicate.js", REPLICATE_JS)):
        (scratch / name).write_text(body)
    run = scratch / f"run-{uuid.uuid4().hex[:6]}"
    (run / "server").mkdir(parents=True)
    port = free_port()
    log_path = run / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            ["node", "server.js", str(run / "server"), str(port)],
            cwd=scratch,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, log_path)
        wait_settled(process.pid)
        _, filled = node(scratch, "fill.js", str(run / "local"), str(docs))
        assert json.loads(filled)["docs"] == expected, filled
        remote = f"http://127.0.0.1:{port}/bench"
        push, out = node(scratch, "replicate.js", "push", str(run / "local"), remote)
        assert json.loads(out)["docs_written"] == expected, out
        pull, out = node(scratch, "replicate.js", "pull", str(run / "fresh"), remote)
        assert json.loads(out)["docs_written"] == expected, out
    finally:
        stop(process)
        shutil.rmtree(run, ignore_errors=True)
    return {"push": push, "pull": pull}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side; the median is printed")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "fc-pouchdb-bench")
    parser.add_argument("--profile", type=Path, help="also one profiled run of ours, written here")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1), help="our server's processes"
    )
    args = parser.parse_args()
    npm_install(args.scratch)
    # As installed (pip and the packaged application bring compiled bytecode): with
    # PYTHONDONTWRITEBYTECODE set, each process would otherwise compile our modules anew.
    subprocess.run([PYTHON, "-m", "compileall", "-q", "commissioner_app", "sync"], cwd=ROOT, check=True)
    print(
        f"CPU reference before: {cpu_reference():.2f} s (0.35 "
        "s on the development machine at its usual speed)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        args.cid, records = make_laptop(work / "laptop-template", args.visits)
        args.docs = work / "docs.jsonl"
        ours: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        for _ in range(args.runs):
            ours.append(run_ours(args, work, args.backend, None))
            theirs.append(run_pouchdb(args.scratch, args.docs, args.doc_count))
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            profiled = run_ours(args, work, args.backend, args.profile.resolve())
            print(f"profiled run (not counted): push {profiled['push']:.2f} s, pull {profiled['pull']:.2f} s")
        if not args.runs:
            return 0

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    push, pull = median(ours, "push"), median(ours, "pull")
    p_push, p_pull = median(theirs, "push"), median(theirs, "pull")
    print(
        f"\n{args.visits} visits of one commissioner: {records} records to send; "
        f"{args.doc_count} PouchDB documents of the same JSON, {args.doc_bytes / args.doc_count:.0f} bytes "
        f"each on average; ours on {args.backend}, serve --workers {args.workers} "
        f"({os.cpu_count()} cores here), median of {args.runs} runs, each a whole process"
    )
    print(f"push:  ours {push:.2f} s   PouchDB {p_push:.2f} s   PouchDB/ours {p_push / push:.2f}x (goal 3x)")
    print(
        f"first pull: ours {pull:.2f} s ({int(ours[0]['pulled'])} records)   PouchDB {p_pull:.2f} s   "
        f"PouchDB/ours {p_pull / pull:.2f}x (goal 3x)"
    )
    index = median(ours, "index")
    print(
        f"first pull and then its search index (built after the sync): ours {pull:.2f} + {index:.2f} s   "
        f"PouchDB/ours {p_pull / (pull + index):.2f}x"
    )
    print("runs, ours (push, pull):", ", ".join(f"{r['push']:.2f}/{r['pull']:.2f}" for r in ours))
    print("runs, PouchDB (push, pull):", ", ".join(f"{r['push']:.2f}/{r['pull']:.2f}" for r in theirs))
    print(f"CPU reference after: {cpu_reference():.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
