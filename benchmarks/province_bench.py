#!/usr/bin/env python3
"""A province's year on one PostgreSQL: build it, then measure sync against it.

    python benchmarks/province_bench.py [--scale 1.0] [--database NAME] [--reuse] [--keep]
                                        [--skip rush,noop,manager,bureau,storage]

At --scale 1: 10,000 commissioners in 300 teams (team 0 has 40 members) and 100 workstations,
1,000,000 visits (100 each), a problem on 40 % of them and a solution on 75 % of those, 200,000
attachment records, 5 service targets per commissioner, and their profiles: about 1.96 million
records, each with its first revision (whose fields are the record's own, as a push stores a
current version). --scale 0.1 builds a tenth of everything but the teams.

The bulk loader: one record of each kind is pushed through the real push path (the central
store's own checks, scope and storage); every other row is a copy of that stored shape with its
own ids (version 7, in the order the year's work was made, as the application makes them), dates,
texts and links, written with COPY into `records` and `revisions` with the scope
columns the push path sets (owner, team, workstation), in server order interleaved as a year of
work would be (a round of one visit per commissioner at a time). Users are written directly with
one shared (cheap) password hash; 1,000 rush clients, a manager and the bureau get tokens.

Measured (PostgreSQL at POSTGRES_URL, database `--database`, default province_bench):
- day-end rush: 1,000 clients holding tokens push 5 visits each and pull to the end, at once,
  against `commissioner-server serve --workers 4` (errors, p50/p95/max per client);
- a sync with nothing to do for one commissioner (the real client): requests and milliseconds;
- a manager's first pull of a 40-person team, and the bureau's first pull of the whole province
  (the real client into a SQLite file): records/s and the resident memory along the way;
- storage per record (table + indexes of records, and of revisions), and revision growth per edit:
  1,000 edits, and 1,000 more once VACUUM has freed the space the first ones left (as autovacuum
  does on a running server).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import secrets
import shutil
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

import orjson  # noqa: E402
import psycopg  # noqa: E402
import requests  # noqa: E402

from commissioner_app.demo_evidence import SeededIds  # noqa: E402
from commissioner_app.domain import new_id as app_id  # noqa: E402

PASSWORD = "province bench 1"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COMMISSIONER_LANG": "en"}
BASE = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
HEADERS = {"X-Protocol-Version": "1"}
TEAMS, STATIONS, RUSH = 300, 100, 1000
END = date(2026, 11, 30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_reference() -> float:
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def db_url(name: str) -> str:
    return BASE.rsplit("/", 1)[0] + "/" + name


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _stat(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return [
        text[: text.index(" (")],
        text[text.index(" (") + 2 : text.rindex(")")],
        *text[text.rindex(")") + 2 :].split(),
    ]


def cpu_now(root: int) -> tuple[float, float]:
    """CPU seconds used so far by the process `root` with its descendants (the server and its
    workers), and by PostgreSQL's processes (Linux's /proc; (0, 0) elsewhere)."""
    if not os.path.isdir("/proc"):
        return 0.0, 0.0
    stats = [st for pid in os.listdir("/proc") if pid.isdigit() and (st := _stat(pid))]
    parent = {int(st[0]): int(st[3]) for st in stats}
    tick = os.sysconf("SC_CLK_TCK")

    def under(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parent.get(pid, 0)
        return False

    server = sum(int(st[13]) + int(st[14]) for st in stats if under(int(st[0]))) / tick
    postgres = sum(int(st[13]) + int(st[14]) for st in stats if st[1] == "postgres") / tick
    return server, postgres


SERVER_PIDS: dict[str, int] = {}  # a running server's address -> its process id


# --- building ------------------------------------------------------------------------------------


def cid(i: int) -> str:
    return f"c{i:06d}-0000-4000-8000-{i:012d}"


def team_of(i: int) -> str:
    # Team 0 has 40 members; the others share the rest.
    t = 0 if i < 40 else 1 + (i - 40) % (TEAMS - 1)
    return f"team-{t:03d}"


def station_of(i: int) -> str:
    return f"ws-{i % STATIONS:03d}"


def templates(url: str) -> tuple[dict[str, dict[str, Any]], str, str]:
    """One stored record of each kind, made by the real push path; (fields by table, template
    commissioner id, bureau's user id)."""
    from argon2 import PasswordHasher

    from commissioner_app.domain import (
        Attachment,
        Commissioner,
        ServiceTarget,
        Solution,
        Team,
        TechnicalProblem,
        Visit,
        Workstation,
    )
    from commissioner_app.records import domain_columns, to_row
    from sync.server import auth, push
    from sync.server.db import make_engine
    from sync.server.migrations import migrate

    engine = make_engine(url)
    migrate(engine)
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    me = cid(10**6 - 1)
    auth.add_user(engine, "bureau", PASSWORD, "bureau")
    auth.add_user(engine, "template", PASSWORD, "commissioner", commissioner_id=me, team_id=team_of(0))
    with engine.connect() as conn:
        from sqlalchemy import select

        from sync.server.tables import users

        rows = {r.username: r for r in conn.execute(select(users))}
    bureau, template = auth.User.from_row(rows["bureau"]), auth.User.from_row(rows["template"])

    def change(record: Any) -> dict[str, Any]:
        row = to_row(record)
        cols = [c for c in domain_columns(type(record)) if c != "id"]
        return {
            "table": record.__table__,
            "id": record.id,
            "base_rev": 0,
            "deleted": False,
            "fields": {c: row[c] for c in cols},
        }

    team = Team(name="稻作技术服务团", county="新罗区", partner_university="福建农林大学")
    station = Workstation(name="新罗区工作站", county="新罗区", town="适中镇")
    for answer in [
        push.push(engine, bureau, {"batch_id": "t1", "changes": [change(team), change(station)]}),
    ]:
        assert all(r["status"] == "accepted" for r in answer["results"]), answer
    profile = Commissioner(id=me, name="王建国", sending_unit="省农业科学院", phone="13800138000")
    target = ServiceTarget(
        name="红星合作社", type="enterprise", county="新罗区", town="适中镇", village="东山村"
    )
    visit = Visit(
        commissioner_id=me,
        target_id=target.id,
        visit_date=END,
        start_time="09:00",
        end_time="11:30",
        county="新罗区",
        town="适中镇",
        village="东山村",
        service_types=["guidance", "training"],
        industry="水稻",
        content="到红星合作社指导水稻病虫害绿色防控，现场讲解稻瘟病识别与用药，培训农户。",
        training_sessions=1,
        people_trained=25,
        techniques_promoted=1,
        economic_benefit=1.5,
        confirm_contact="李明",
        confirm_satisfaction=5,
    )
    problem = TechnicalProblem(
        commissioner_id=me,
        target_id=target.id,
        visit_id=visit.id,
        title="稻瘟病防治",
        description="叶片出现梭形病斑，部分田块发病较重",
        industry="水稻",
        raised_on=END,
        status="solved",
        solved_on=END,
    )
    solution = Solution(
        problem_id=problem.id,
        visit_id=visit.id,
        commissioner_id=me,
        description="喷施三环唑，间隔七天再喷一次",
        technology="三环唑防治稻瘟病",
        outcome="效果明显",
        economic_benefit=0.8,
        confirmed=True,
    )
    photo = Attachment(
        sha256=hashlib.sha256(b"photo").hexdigest(),
        owner_table="visits",
        owner_id=visit.id,
        kind="photo",
        mime="image/jpeg",
        size=850_000,
        original_name="IMG_20261130_093012.jpg",
        taken_at="2026-11-30T09:30:12+08:00",
    )
    records = [profile, target, visit, problem, solution, photo]
    answer = push.push(engine, template, {"batch_id": "t2", "changes": [change(r) for r in records]})
    assert all(r["status"] == "accepted" for r in answer["results"]), answer
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        from sqlalchemy import text

        for table, fields in conn.execute(text("SELECT table_name, fields FROM records")):
            out[table] = json.loads(fields)
        bureau_id = conn.execute(text("SELECT id FROM users WHERE username = 'bureau'")).scalar_one()
    engine.dispose()
    return out, me, str(bureau_id)


WORDS = ["水稻", "柑橘", "茶叶", "食用菌", "生猪", "蔬菜", "花卉", "中药材", "油茶", "烟草"]
PROBLEMS = ["稻瘟病防治", "柑橘黄龙病", "茶园施肥", "菌包污染", "仔猪腹泻", "大棚湿度", "根腐病"]


def build(url: str, scale: float, seed: int = 1) -> dict[str, Any]:
    """Fill an empty database; returns counts and seconds."""
    started = time.perf_counter()
    shapes, _template_cid, bureau_id = templates(url)
    rng = random.Random(seed)
    n_comm = max(40, int(10_000 * scale))
    visits_each = 100
    attachments_each = max(1, round(200_000 * scale / n_comm)) if scale < 1 else 20
    targets_each = 5
    conn = psycopg.connect(url)
    top = conn.execute("SELECT value FROM counters WHERE name = 'server_seq'").fetchone()[0]
    now = "2026-11-30T12:00:00Z"
    password_hash = conn.execute("SELECT password_hash FROM users WHERE username = 'template'").fetchone()[0]
    rec_cols = (
        "table_name, id, rev, server_seq, deleted, owner_id, team_id, workstation_id, public, sha256, "
        "fields, updated_at, updated_by"
    )
    rev_cols = (
        "table_name, record_id, rev, server_seq, deleted, fields, user_id, username, device_id, batch_id, "
        "client_time, at"
    )
    counts: dict[str, int] = {}
    seq = top
    user_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_comm)]

    def rows_out(items: list[tuple[Any, ...]]) -> None:
        with conn.cursor() as cur:
            with cur.copy(f"COPY records ({rec_cols}) FROM STDIN") as copy:
                for r in items:
                    copy.write_row(r)
            with cur.copy(f"COPY revisions ({rev_cols}) FROM STDIN") as copy:
                for r in items:
                    who = r[5]
                    i = int(who[1:7]) if who and who.startswith("c") and who[1:7].isdigit() else -1
                    uid = user_ids[i] if 0 <= i < n_comm else bureau_id
                    name = f"p{i:05d}" if i >= 0 else "bureau"
                    # Each record's only version is its current one: its fields are the record's
                    # (sync/server/push.CURRENT_FIELDS), as a push stores them.
                    copy.write_row((r[0], r[1], 1, r[3], False, "", uid, name, "bulk", "bulk", "", now))

    def record(
        table: str, rid: str, owner: int | None, fields: dict[str, Any], sha: str | None = None
    ) -> tuple:
        nonlocal seq
        seq += 1
        counts[table] = counts.get(table, 0) + 1
        if owner is None:  # teams and workstations
            team = rid if table == "teams" else None
            station = rid if table == "workstations" else None
            return (
                table,
                rid,
                1,
                seq,
                False,
                None,
                team,
                station,
                False,
                None,
                orjson.dumps(fields).decode(),
                now,
                "bureau",
            )
        who = cid(owner)
        return (
            table,
            rid,
            1,
            seq,
            False,
            who,
            team_of(owner),
            station_of(owner),
            False,
            sha,
            orjson.dumps(fields).decode(),
            now,
            f"p{owner:05d}",
        )

    # As the application makes them (version 7, in the order made): a year's records, round by round.
    new_id = SeededIds(rng, END - timedelta(days=366))

    # Users first: every commissioner an account (one shared password hash), a manager of team 0.
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY users (id, username, password_hash, role, display_name, commissioner_id, team_id, "
            "workstation_id, disabled, created_at) FROM STDIN"
        ) as copy,
    ):
        for i in range(n_comm):
            copy.write_row(
                (
                    user_ids[i],
                    f"p{i:05d}",
                    password_hash,
                    "commissioner",
                    f"特派员{i}",
                    cid(i),
                    team_of(i),
                    station_of(i),
                    False,
                    now,
                )
            )
        copy.write_row(
            (
                str(uuid.uuid4()),
                "manager0",
                password_hash,
                "manager",
                "团队负责人",
                cid(10**6 - 2),
                "team-000",
                None,
                False,
                now,
            )
        )
    # Teams, workstations, profiles, targets.
    batch: list[tuple[Any, ...]] = []
    for t in range(TEAMS):
        batch.append(
            record("teams", f"team-{t:03d}", None, {**shapes["teams"], "name": f"{WORDS[t % 10]}服务团{t}"})
        )
    for w in range(STATIONS):
        batch.append(
            record("workstations", f"ws-{w:03d}", None, {**shapes["workstations"], "name": f"工作站{w}"})
        )
    targets: list[list[str]] = []
    for i in range(n_comm):
        batch.append(record("commissioners", cid(i), i, {**shapes["commissioners"], "name": f"特派员{i}"}))
        mine = []
        for k in range(targets_each):
            tid = new_id()
            mine.append(tid)
            batch.append(
                record("service_targets", tid, i, {**shapes["service_targets"], "name": f"合作社{i}-{k}"})
            )
        targets.append(mine)
    rows_out(batch)
    conn.commit()
    # A year of work, one round (a visit per commissioner, with its problem, solution, photos) at a time.
    span = 365
    every_attachment = visits_each // attachments_each if attachments_each else 0
    for round_ in range(visits_each):
        batch = []
        day = (END - timedelta(days=span - 1 - round_ * span // visits_each)).isoformat()
        for i in range(n_comm):
            vid, target = new_id(), targets[i][rng.randrange(targets_each)]
            word = WORDS[(i + round_) % 10]
            batch.append(
                record(
                    "visits",
                    vid,
                    i,
                    {
                        **shapes["visits"],
                        "commissioner_id": cid(i),
                        "target_id": target,
                        "visit_date": day,
                        "industry": word,
                        "content": f"第{round_}次到合作社指导{word}生产，讲解病虫害绿色防控，"
                        f"培训农户{i % 40}人。",
                        "people_trained": i % 40,
                    },
                )
            )
            if rng.random() < 0.4:
                pid = new_id()
                batch.append(
                    record(
                        "problems",
                        pid,
                        i,
                        {
                            **shapes["problems"],
                            "commissioner_id": cid(i),
                            "target_id": target,
                            "visit_id": vid,
                            "title": f"{PROBLEMS[rng.randrange(len(PROBLEMS))]}{round_}",
                            "raised_on": day,
                            "solved_on": day,
                        },
                    )
                )
                if rng.random() < 0.75:
                    batch.append(
                        record(
                            "solutions",
                            new_id(),
                            i,
                            {
                                **shapes["solutions"],
                                "commissioner_id": cid(i),
                                "problem_id": pid,
                                "visit_id": vid,
                            },
                        )
                    )
            if every_attachment and round_ % every_attachment == 0:
                sha = hashlib.sha256(vid.encode()).hexdigest()
                batch.append(
                    record(
                        "attachments",
                        new_id(),
                        i,
                        {**shapes["attachments"], "owner_id": vid, "sha256": sha},
                        sha,
                    )
                )
        rows_out(batch)
        conn.commit()
        if round_ % 10 == 9:
            print(
                f"  built round {round_ + 1}/{visits_each}: {seq - top} records, "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
    conn.execute("UPDATE counters SET value = %s WHERE name = 'server_seq'", [seq])
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE records")
    conn.execute("VACUUM ANALYZE revisions")
    conn.execute("ANALYZE users")
    conn.close()
    return {
        "records": seq - top,
        "by_table": counts,
        "commissioners": n_comm,
        "seconds": time.perf_counter() - started,
    }


def issue_tokens(url: str, names: list[str]) -> dict[str, str]:
    """Bearer tokens as a login would leave them (only their sha256 is stored)."""
    from sync.server.auth import token_hash

    out = {}
    with psycopg.connect(url) as conn:
        ids = dict(
            conn.execute("SELECT username, id FROM users WHERE username = ANY(%s)", [names]).fetchall()
        )
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY tokens (token_hash, user_id, device_id, created_at, expires_at, revoked) FROM STDIN"
            ) as copy,
        ):
            for name in names:
                token = secrets.token_urlsafe(32)
                out[name] = token
                copy.write_row(
                    (
                        token_hash(token),
                        ids[name],
                        f"dev-{name}",
                        "2026-11-30T00:00:00Z",
                        "2099-01-01T00:00:00Z",
                        False,
                    )
                )
    return out


# --- measuring -----------------------------------------------------------------------------------


@contextmanager
def server(url: str, folder: Path, workers: int = 1, connections: int = 40) -> Iterator[str]:
    port = free_port()
    log_path = folder / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "sync.server_cli",
        "--database",
        url,
        "--log-level",
        "WARNING",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--db-connections",
        str(connections),
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ENV, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {log_path.read_text()[-2000:]}")
            try:
                requests.get(base + "/api/v1/me", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def rush(
    base: str,
    tokens: dict[str, str],
    since: int,
    shape: dict[str, Any],
    targets: dict[str, str],
    window: float = 0.0,
) -> dict[str, Any]:
    """Each client pushes 5 visits, then pulls from its cursor to the end. With `window` 0 they all
    start at the same instant; otherwise each starts at its own random moment within `window`
    seconds (the same moments every run), and its time is counted from its own start."""
    names = list(tokens)
    starts = {n: random.Random(f"{n}-{window}").uniform(0, window) for n in names}
    barrier = threading.Barrier(len(names) + 1)
    per_client: list[float] = []
    per_request: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(name: str) -> None:
        session = requests.Session()
        headers = {**HEADERS, "Authorization": f"Bearer {tokens[name]}"}
        i = int(name[1:])
        changes = [
            {
                "table": "visits",
                "id": app_id(),
                "base_rev": 0,
                "fields": {
                    **shape,
                    "commissioner_id": cid(i),
                    "target_id": targets[cid(i)],
                    "visit_date": END.isoformat(),
                    "content": f"日终同步：第{k}条走访记录",
                },
            }
            for k in range(5)
        ]
        try:
            barrier.wait(300)
        except threading.BrokenBarrierError:
            return
        time.sleep(starts[name])
        t0 = time.perf_counter()
        try:
            r0 = time.perf_counter()
            answer = session.post(
                base + "/api/v1/sync/push",
                headers=headers,
                timeout=120,
                json={"batch_id": str(uuid.uuid4()), "changes": changes},
            )
            took = [time.perf_counter() - r0]
            if answer.status_code != 200 or any(x["status"] != "accepted" for x in answer.json()["results"]):
                raise RuntimeError(f"push {answer.status_code} {answer.text[:200]}")
            cursor = since
            while True:
                r0 = time.perf_counter()
                page = session.get(
                    base + "/api/v1/sync/pull",
                    headers=headers,
                    timeout=120,
                    params={"since": cursor, "limit": 2000},
                )
                took.append(time.perf_counter() - r0)
                if page.status_code != 200:
                    raise RuntimeError(f"pull {page.status_code} {page.text[:200]}")
                body = page.json()
                cursor = body["next_since"]
                if not body["has_more"]:
                    break
            with lock:
                per_client.append(time.perf_counter() - t0)
                per_request.extend(took)
        except Exception as exc:  # every failure is counted
            with lock:
                errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])

    threads = [threading.Thread(target=one, args=(n,), daemon=True, name=n) for n in names]
    for t in threads:
        t.start()
    barrier.wait(300)
    began = time.perf_counter()
    server_cpu, postgres_cpu = cpu_now(SERVER_PIDS[base])
    own_cpu = time.process_time()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    server_after, postgres_after = cpu_now(SERVER_PIDS[base])
    # CPU per sync: the server's processes, PostgreSQL's (a backend that ended during the rush is not
    # counted: a little less than it used), and the clients of this process.
    per_sync = {
        "server_ms": 1000 * (server_after - server_cpu) / len(names),
        "postgres_ms": 1000 * (postgres_after - postgres_cpu) / len(names),
        "clients_ms": 1000 * (time.process_time() - own_cpu) / len(names),
    }
    per_client.sort()
    q = statistics.quantiles(per_client, n=100) if len(per_client) > 2 else [float("nan")] * 99
    qr = statistics.quantiles(per_request, n=100) if len(per_request) > 2 else [float("nan")] * 99
    return {
        "clients": len(names),
        "errors": len(errors),
        "first_errors": errors[:3],
        "p50_s": q[49],
        "p95_s": q[94],
        "max_s": per_client[-1] if per_client else float("nan"),
        "request_p95_s": qr[94],
        "wall_s": wall,
        "cpu_per_sync": per_sync,
    }


def pull_child(base: str, user: str, out: str) -> None:
    """The real client's first pull into a SQLite file, in a process of its own (its memory alone)."""
    from commissioner_app.store import Store
    from sync import session
    from sync.engine import SyncEngine, SyncProgress

    folder = Path(out)
    store = Store.open(folder)
    session.login(store, base, user, PASSWORD, use_file=True, read_timeout=300)
    client = session.open_client(store, read_timeout=300)
    engine = SyncEngine(store, client)
    samples: list[tuple[float, float, int]] = []
    t0 = time.perf_counter()

    trace = Path(f"{out}.progress").open("w")

    def progress(p: SyncProgress) -> None:
        if p.phase == "pull":
            samples.append((time.perf_counter() - t0, rss_mb(), p.done))
            trace.write(json.dumps(samples[-1]) + "\n")  # what a run cut short by its timeout reports
            trace.flush()

    report = engine.sync(progress=progress)
    seconds = time.perf_counter() - t0
    # The full-text index of what was pulled is made after the sync (the application does it in
    # the background; a search first): its own figure.
    t1 = time.perf_counter()
    indexed = store.index_pending()
    index_seconds = time.perf_counter() - t1
    store.close()
    third = max(1, len(samples) // 3)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pulled": report.pulled,
                "requests": report.requests,
                "rss_first_third": max(s[1] for s in samples[:third]) if samples else None,
                "rss_last_third": max(s[1] for s in samples[-third:]) if samples else None,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "pages": len(samples),
                "indexed": indexed,
                "index_seconds": index_seconds,
                "at_1m_seconds": next((s[0] for s in samples if s[2] >= 1_000_000), None),
            }
        )
    )


def first_pull(base: str, user: str, folder: Path, timeout: float) -> dict[str, Any]:
    target = folder / f"laptop-{user}"
    trace = Path(f"{target}.progress")
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--pull-child", base, user, str(target)],
            capture_output=True,
            text=True,
            env=ENV,
            cwd=ROOT,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        samples = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
        seconds, _, pulled = samples[-1] if samples else (timeout, 0.0, 0)
        third = max(1, len(samples) // 3)
        return {
            "cut_short": True,
            "seconds": seconds,
            "pulled": pulled,
            "requests": len(samples),
            "rss_first_third": max(s[1] for s in samples[:third]) if samples else 0.0,
            "rss_last_third": max(s[1] for s in samples[-third:]) if samples else 0.0,
            "peak_mb": max((s[1] for s in samples), default=0.0),
            "at_1m_seconds": next((s[0] for s in samples if s[2] >= 1_000_000), None),
        }
    finally:
        shutil.rmtree(target, ignore_errors=True)
        trace.unlink(missing_ok=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def noop(base: str, user: str, folder: Path) -> dict[str, Any]:
    """A commissioner already in step: every further sync has nothing to do."""
    from commissioner_app.domain import Commissioner
    from commissioner_app.store import Store
    from sync import session
    from sync.engine import SyncEngine

    store = Store.open(folder / "noop")
    i = int(user[1:])
    store.save_profile(Commissioner(id=cid(i), name=f"特派员{i}", sending_unit="省农业科学院"))
    store.actor = cid(i)
    session.login(store, base, user, PASSWORD, use_file=True, bind=True)
    engine = SyncEngine(store, session.open_client(store))
    first = time.perf_counter()
    engine.sync()  # the first: its whole history
    first_s = time.perf_counter() - first
    times, reqs = [], []
    for _ in range(20):
        t0 = time.perf_counter()
        r = engine.sync()
        times.append(time.perf_counter() - t0)
        reqs.append(r.requests)
    store.close()
    return {
        "first_sync_s": first_s,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "max_requests": max(reqs),
    }


def storage(url: str, base: str, token: str, user_index: int) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as conn:

        def sizes() -> dict[str, int]:
            q = (
                "SELECT pg_relation_size(%s), pg_indexes_size(%s), pg_total_relation_size(%s), "
                "(SELECT count(*) FROM {})"
            )
            out = {}
            for t in ("records", "revisions"):
                rel, idx, total, n = conn.execute(q.format(t), [t, t, t]).fetchone()
                out.update({f"{t}_table": rel, f"{t}_indexes": idx, f"{t}_total": total, f"{t}_rows": n})
            return out

        before = sizes()
        # Edits: 1,000 of one commissioner's visits pushed again with a changed field (base_rev = rev).
        rows = conn.execute(
            "SELECT id, rev, fields FROM records WHERE owner_id = %s AND table_name = 'visits' LIMIT 100",
            [cid(user_index)],
        ).fetchall()
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    revs = {rid: rev for rid, rev, _ in rows}

    def edit(first_round: int) -> int:
        """Ten rounds of edits of the 100 visits (1,000 edits), then VACUUM; the edits accepted."""
        edits = 0
        for round_ in range(first_round, first_round + 10):
            changes = []
            for rid, _rev, fields in rows:
                f = json.loads(fields)
                f["people_trained"] = (f.get("people_trained") or 0) + round_ + 1
                changes.append({"table": "visits", "id": rid, "base_rev": revs[rid], "fields": f})
            r = requests.post(
                base + "/api/v1/sync/push",
                headers=headers,
                timeout=120,
                json={"batch_id": str(uuid.uuid4()), "changes": changes},
            )
            r.raise_for_status()
            for x in r.json()["results"]:
                if x["status"] == "accepted":
                    edits += 1
                    revs[x["id"]] = x["rev"]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM revisions")
            conn.execute("VACUUM records")
        return edits

    edits = edit(0)
    with psycopg.connect(url, autocommit=True) as conn:
        after = sizes()
    # Again, now that VACUUM has freed the space of the rows the first edits rewrote (as autovacuum
    # does on a running server): what a history grows by per edit once that space is reused.
    again = edit(10)
    with psycopg.connect(url, autocommit=True) as conn:
        settled = sizes()
        avg_rev = conn.execute(
            "SELECT avg(pg_column_size(r.*)) FROM (SELECT * FROM revisions LIMIT 10000) r"
        ).fetchone()[0]
    n = before["records_rows"]
    return {
        "records": n,
        "records_table_bytes_per_record": before["records_table"] / n,
        "records_index_bytes_per_record": before["records_indexes"] / n,
        "revisions_bytes_per_record": before["revisions_total"] / before["revisions_rows"],
        "all_bytes_per_record": (before["records_total"] + before["revisions_total"]) / n,
        "records_total_mb": before["records_total"] / 1e6,
        "revisions_total_mb": before["revisions_total"] / 1e6,
        "edits": edits,
        "revision_growth_bytes_per_edit": (after["revisions_total"] - before["revisions_total"])
        / max(1, edits),
        "edits_again": again,
        "revision_growth_settled_bytes_per_edit": (settled["revisions_total"] - after["revisions_total"])
        / max(1, again),
        "revision_row_bytes": float(avg_rev),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="province_bench")
    parser.add_argument("--reuse", action="store_true", help="measure an already built database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip", default="", help="comma-separated: rush,noop,manager,bureau,storage")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rush-clients", type=int, default=RUSH)
    parser.add_argument(
        "--rush-window",
        type=float,
        default=60.0,
        help="seconds within which the rush's clients start (then again all at once)",
    )
    parser.add_argument("--bureau-timeout", type=float, default=1800)
    parser.add_argument("--pull-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pull_child:
        pull_child(*args.pull_child)
        return 0
    skip = set(filter(None, args.skip.split(",")))
    url = db_url(args.database)
    print(
        f"CPU reference before: {cpu_reference():.2f} s (0.35 s on the development machine at its usual "
        f"speed); {os.cpu_count()} cores"
    )
    if not args.reuse:
        with psycopg.connect(BASE, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        built = build(url, args.scale)
        print(
            f"built: {built['records']:,} records ({built['commissioners']:,} commissioners) in "
            f"{built['seconds']:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in built["by_table"].items())
        )
    try:
        with psycopg.connect(url) as conn:
            top = conn.execute("SELECT value FROM counters WHERE name = 'server_seq'").fetchone()[0]
            n_comm = conn.execute("SELECT count(*) FROM users WHERE role = 'commissioner'").fetchone()[0] - 1
            total = conn.execute("SELECT count(*) FROM records").fetchone()[0]
            targets = dict(
                conn.execute(
                    "SELECT DISTINCT ON (owner_id) owner_id, id FROM "
                    "records WHERE table_name = 'service_targets'"
                ).fetchall()
            )
            visit = json.loads(
                conn.execute("SELECT fields FROM records WHERE table_name = 'visits' LIMIT 1").fetchone()[0]
            )
        print(f"database: {total:,} records, {n_comm:,} commissioners, change counter at {top:,}")
        rush_names = [f"p{i:05d}" for i in range(0, n_comm, max(1, n_comm // args.rush_clients))][
            : args.rush_clients
        ]
        tokens = issue_tokens(url, [*rush_names, "manager0", "bureau"])
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if "storage" not in skip:
                with server(url, folder) as base:
                    s = storage(url, base, tokens[rush_names[-1]], int(rush_names[-1][1:]))
                print(
                    f"storage: records {s['records_total_mb']:.0f} MB "
                    f"({s['records_table_bytes_per_record']:.0f} B "
                    f"table + {s['records_index_bytes_per_record']:.0f} B indexes per record), revisions "
                    f"{s['revisions_total_mb']:.0f} MB "
                    f"({s['revisions_bytes_per_record']:.0f} B per revision with "
                    f"indexes); {s['all_bytes_per_record']:.0f} B "
                    f"per record in all; {s['edits']} edits grew the "
                    f"revisions by {s['revision_growth_bytes_per_edit']:.0f} B each (the version it "
                    "supersedes kept whole, and a row for the new one, whose fields are the record's; "
                    f"a revision row {s['revision_row_bytes']:.0f} B on average), {s['edits_again']} "
                    f"more after VACUUM by {s['revision_growth_settled_bytes_per_edit']:.0f} B each"
                )
            if "rush" not in skip:
                for window in (args.rush_window, 0.0):
                    with psycopg.connect(url) as conn:  # each client's cursor: the server's last change
                        now_top = conn.execute(
                            "SELECT value FROM counters WHERE name = 'server_seq'"
                        ).fetchone()[0]
                    with server(url, folder, workers=args.workers, connections=15) as base:
                        r = rush(base, {n: tokens[n] for n in rush_names}, now_top, visit, targets, window)
                    when = f"each starting within {window:.0f} s" if window else "all at the same instant"
                    print(
                        f"day-end rush, {r['clients']} clients with "
                        f"tokens, {when}, 5 visits each + pull, serve --workers "
                        f"{args.workers} on {os.cpu_count()} cores (clients "
                        f"on the same cores): {r['errors']} errors, "
                        f"per client p50 {r['p50_s']:.2f} s, p95 {r['p95_s']:.2f} s, max {r['max_s']:.2f} s "
                        f"(budget p95 2 s); per request p95 {r['request_p95_s']:.2f} "
                        f"s; all done in {r['wall_s']:.1f} s"
                    )
                    cpu = r["cpu_per_sync"]
                    total = sum(cpu.values())
                    print(
                        f"   CPU per sync: server {cpu['server_ms']:.1f} ms, PostgreSQL "
                        f"{cpu['postgres_ms']:.1f} ms, the clients {cpu['clients_ms']:.1f} ms: "
                        f"{total:.1f} ms on {os.cpu_count()} cores "
                        f"is at most {1000 * (os.cpu_count() or 1) / total:.0f} syncs per second "
                        f"(this rush: {r['clients'] / r['wall_s']:.0f} a second from its start to its last)"
                    )
                    for e in r["first_errors"]:
                        print("   error:", e)
            with server(url, folder, workers=2) as base:
                if "noop" not in skip:
                    n = noop(base, rush_names[1], folder)
                    print(
                        "nothing to do, one commissioner: median "
                        f"{n['median_ms']:.1f} ms, max {n['max_ms']:.1f} ms, "
                        f"at most {n['max_requests']} request(s) (budget 1 request, 50 ms); their first sync "
                        f"{n['first_sync_s']:.2f} s"
                    )
                if "manager" not in skip:
                    m = first_pull(base, "manager0", folder, 600)
                    print(
                        f"manager's first pull, team of 40: {m['pulled']:,} records in {m['seconds']:.1f} s "
                        f"({m['pulled'] / m['seconds']:.0f} records/s), {m['requests']} requests, memory "
                        f"{m['rss_first_third']:.0f} MB -> "
                        f"{m['rss_last_third']:.0f} MB, peak {m['peak_mb']:.0f} MB; then indexed for the "
                        f"search in {m.get('index_seconds', 0):.1f} s"
                    )
                if "bureau" not in skip:
                    b = first_pull(base, "bureau", folder, args.bureau_timeout)
                    at = b.get("at_1m_seconds")
                    if b.get("cut_short"):
                        print(f"bureau's pull cut short by --bureau-timeout {args.bureau_timeout:.0f} s:")
                    print(
                        "bureau's first pull, whole province: "
                        f"{b['pulled']:,} records in {b['seconds']:.0f} s "
                        f"({b['pulled'] / b['seconds']:.0f} records/s; 1,000,000 records after "
                        f"{f'{at:.0f} s' if at else 'n/a'}; budget 180 "
                        f"s for 1,000,000), {b['requests']} requests, "
                        f"memory {b['rss_first_third']:.0f} MB in the "
                        f"first third -> {b['rss_last_third']:.0f} MB "
                        f"in the last, peak {b['peak_mb']:.0f} MB"
                    )
                    if "index_seconds" in b:
                        print(
                            f"  then indexed for the search (after the sync, in the background): "
                            f"{b['indexed']:,} records in {b['index_seconds']:.0f} s"
                        )
    finally:
        if not args.keep:
            with psycopg.connect(BASE, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [args.database],
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
    print(f"CPU reference after: {cpu_reference():.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
