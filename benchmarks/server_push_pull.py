"""Central store throughput: push and pull through the HTTP layer, SQLite and PostgreSQL.

    python benchmarks/server_push_pull.py [--visits 10000] [--postgres URL] [--uvicorn]

In-process (ASGI test client) by default; --uvicorn runs a real server process on loopback and
talks to it with `requests` (gzip both ways), as the client does.

Prints seconds for: first push of N visits with a problem and a solution each (batches of 500),
a bureau's first pull of everything (pages of 2000), a county bureau's first pull of its county's
(the same records: their commissioner serves in that county), and an empty sync (one pull).
"""

from __future__ import annotations

import argparse
import gzip
import json
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
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from sync.protocol import MAX_PULL_LIMIT, MAX_PUSH_CHANGES, PROTOCOL_HEADER  # noqa: E402
from sync.server import auth  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from sync.server.db import make_engine  # noqa: E402


def visit_changes(cid: str, n: int) -> list[dict]:
    changes = []
    for i in range(n):
        vid, pid = str(uuid.uuid4()), str(uuid.uuid4())
        changes.append(
            {
                "table": "visits",
                "id": vid,
                "base_rev": 0,
                "deleted": False,
                "fields": {
                    "commissioner_id": cid,
                    "target_id": "t1",
                    "visit_date": "2024-05-01",
                    "start_time": "09:00",
                    "end_time": "11:00",
                    "county": "新会区",
                    "town": "会城街道",
                    "service_types": '["guidance"]',
                    "industry": "陈皮",
                    "content": f"第{i}次服务：指导柑橘园修剪、施肥和病虫害防治，培训农户。",
                    "training_sessions": 1,
                    "people_trained": 20,
                    "economic_benefit": 2.5,
                },
            }
        )
        changes.append(
            {
                "table": "problems",
                "id": pid,
                "base_rev": 0,
                "deleted": False,
                "fields": {
                    "commissioner_id": cid,
                    "visit_id": vid,
                    "title": "柑橘溃疡病",
                    "description": "叶片出现病斑",
                    "status": "solved",
                },
            }
        )
        changes.append(
            {
                "table": "solutions",
                "id": str(uuid.uuid4()),
                "base_rev": 0,
                "deleted": False,
                "fields": {
                    "commissioner_id": cid,
                    "problem_id": pid,
                    "visit_id": vid,
                    "description": "喷施铜制剂并剪除病枝",
                    "outcome": "病情得到控制",
                },
            }
        )
    return changes


class HttpClient:
    """The few calls of TestClient the benchmark makes, against a real uvicorn process."""

    def __init__(self, url: str) -> None:
        import os
        import socket
        import subprocess

        import requests

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        root = Path(__file__).resolve().parents[1]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server_cli",
                "serve",
                "--database",
                url,
                "--port",
                str(port),
                "--log-level",
                "WARNING",
            ],
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        for _ in range(300):
            try:
                self.session.get(self.base + "/api/v1/health", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)

    def post(self, path: str, **kwargs: object) -> object:
        if "content" in kwargs:
            kwargs["data"] = kwargs.pop("content")
        return self.session.post(self.base + path, timeout=300, **kwargs)  # type: ignore[arg-type]

    def get(self, path: str, **kwargs: object) -> object:
        return self.session.get(self.base + path, timeout=300, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def run(url: str, visits: int, uvicorn: bool = False) -> None:
    engine = make_engine(url)
    app = create_app(engine=engine)
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth.add_user(
        engine, "c", "password123", "commissioner", commissioner_id="c1", team_id="t", county="新会区"
    )
    auth.add_user(engine, "b", "password123", "bureau")
    auth.add_user(engine, "k", "password123", "county", county="新会区")  # a county bureau: c's county
    client = HttpClient(url) if uvicorn else TestClient(app)
    try:
        _measure(client, engine.dialect.name, visits, "uvicorn" if uvicorn else "asgi")
    finally:
        if uvicorn:
            client.close()


def _measure(client: Any, backend: str, visits: int, via: str) -> None:

    def token(name: str) -> dict:
        answer = client.post(
            "/api/v1/auth/login",
            headers={PROTOCOL_HEADER: "1"},
            json={"username": name, "password": "password123"},
        )
        return {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {answer.json()['token']}"}

    c, b = token("c"), token("b")
    changes = visit_changes("c1", visits)
    started = time.perf_counter()
    for i in range(0, len(changes), MAX_PUSH_CHANGES):
        body = gzip.compress(
            json.dumps(
                {
                    "batch_id": str(uuid.uuid4()),
                    "device_id": "bench",
                    "changes": changes[i : i + MAX_PUSH_CHANGES],
                }
            ).encode()
        )
        answer = client.post(
            "/api/v1/sync/push",
            content=body,
            headers={**c, "Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        assert answer.status_code == 200 and all(r["status"] == "accepted" for r in answer.json()["results"])
    push_s = time.perf_counter() - started

    started = time.perf_counter()
    since, pulled = 0, 0
    while True:
        page = client.get(
            f"/api/v1/sync/pull?since={since}&limit={MAX_PULL_LIMIT}",
            headers={**b, "Accept-Encoding": "gzip"},
        ).json()
        pulled += len(page["changes"])
        since = page["next_since"]
        if not page["has_more"]:
            break
    pull_s = time.perf_counter() - started

    k = token("k")
    started = time.perf_counter()
    county_since, county_pulled = 0, 0
    while True:
        page = client.get(
            f"/api/v1/sync/pull?since={county_since}&limit={MAX_PULL_LIMIT}",
            headers={**k, "Accept-Encoding": "gzip"},
        ).json()
        county_pulled += len(page["changes"])
        county_since = page["next_since"]
        if not page["has_more"]:
            break
    county_s = time.perf_counter() - started

    started = time.perf_counter()
    empty = client.get(f"/api/v1/sync/pull?since={since}", headers=c).json()
    empty_s = time.perf_counter() - started
    assert empty["changes"] == []
    backend = f"{backend}/{via}"
    print(
        f"{backend:10} push {len(changes):6} changes ({visits} visits+problems+solutions): {push_s:6.2f} s "
        f"({len(changes) / push_s:7.0f}/s)"
    )
    print(
        f"{backend:10} pull {pulled:6} records (bureau first sync):                  {pull_s:6.2f} s "
        f"({pulled / pull_s:7.0f}/s)"
    )
    print(
        f"{backend:10} pull {county_pulled:6} records (county bureau first sync):    {county_s:6.2f} s "
        f"({county_pulled / county_s:7.0f}/s)"
    )
    print(f"{backend:10} empty pull:                                               {empty_s * 1000:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--uvicorn", action="store_true", help="a real server process on loopback")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/server.db", args.visits, args.uvicorn)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(args.postgres)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # PostgreSQL is optional for this script
        print(f"postgresql skipped: {exc}".splitlines()[0])
        return
    try:
        run_url = args.postgres
        engine_url = run_url + ("&" if "?" in run_url else "?") + f"options=-csearch_path%3D{schema}"
        run(engine_url, args.visits, args.uvicorn)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
