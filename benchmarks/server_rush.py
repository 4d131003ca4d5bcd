"""Day-end rush: N clients log in, push a batch of visits and pull, all at once, against a real
uvicorn server (SQLite by default, or --database postgresql://...). Prints errors and latency.

    python benchmarks/server_rush.py [--clients 100] [--visits 20] [--database URL] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEADERS = {"X-Protocol-Version": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_users(data_dir: Path, database: str | None, clients: int) -> None:
    from argon2 import PasswordHasher

    from sync.server import auth
    from sync.server.db import make_engine, sqlite_url
    from sync.server.migrations import migrate

    engine = make_engine(database or sqlite_url(data_dir))
    migrate(engine)
    # Benchmark accounts: a cheaper hash so set-up is quick; logins still verify argon2.
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    for n in range(clients):
        auth.add_user(
            engine,
            f"rush{n}",
            "password123",
            "commissioner",
            commissioner_id=f"rush-c{n}",
            team_id=f"team{n % 10}",
        )
    engine.dispose()


def client(
    base: str, n: int, visits: int, latencies: list[float], errors: list[str], start: threading.Event
) -> None:
    session = requests.Session()
    start.wait()

    def timed(method: str, path: str, **kwargs: object) -> requests.Response:
        began = time.perf_counter()
        answer = session.request(method, base + path, timeout=120, **kwargs)  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - began)
        if answer.status_code >= 400:
            errors.append(f"{method} {path}: {answer.status_code} {answer.text[:120]}")
        return answer

    try:
        login = timed(
            "POST",
            "/auth/login",
            headers=HEADERS,
            json={"username": f"rush{n}", "password": "password123", "device_id": f"d{n}"},
        )
        headers = {**HEADERS, "Authorization": f"Bearer {login.json()['token']}"}
        changes = [
            {
                "table": "visits",
                "id": str(uuid.uuid4()),
                "base_rev": 0,
                "deleted": False,
                "fields": {
                    "commissioner_id": f"rush-c{n}",
                    "visit_date": "2024-05-01",
                    "start_time": "09:00",
                    "end_time": "10:00",
                    "content": "田间指导：水稻病虫害防治",
                    "service_types": '["guidance"]',
                    "people_trained": 10,
                },
            }
            for _ in range(visits)
        ]
        timed("POST", "/sync/push", headers=headers, json={"batch_id": str(uuid.uuid4()), "changes": changes})
        since = 0
        while True:
            page = timed("GET", f"/sync/pull?since={since}&limit=500", headers=headers).json()
            since = page["next_since"]
            if not page["has_more"]:
                break
        timed("GET", f"/sync/pull?since={since}", headers=headers)
    except (requests.RequestException, KeyError, ValueError) as exc:
        errors.append(f"client {n}: {exc}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--database")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        make_users(Path(tmp), args.database, args.clients)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "sync.server_cli",
            "--data-dir",
            tmp,
            "--log-level",
            "WARNING",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        if args.database:
            command[3:3] = ["--database", args.database]
        server = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)})
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            for _ in range(300):
                try:
                    requests.get(base + "/health", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            latencies: list[float] = []
            errors: list[str] = []
            start = threading.Event()
            threads = [
                threading.Thread(target=client, args=(base, n, args.visits, latencies, errors, start))
                for n in range(args.clients)
            ]
            for t in threads:
                t.start()
            began = time.perf_counter()
            start.set()
            for t in threads:
                t.join()
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(30)
    q = statistics.quantiles(latencies, n=100)
    print(
        json.dumps(
            {
                "clients": args.clients,
                "requests": len(latencies),
                "errors": len(errors),
                "wall_s": round(wall, 2),
                "p50_ms": round(q[49] * 1000, 1),
                "p95_ms": round(q[94] * 1000, 1),
                "max_ms": round(max(latencies) * 1000, 1),
                "database": "postgresql" if args.database else "sqlite",
            }
        )
    )
    for e in errors[:5]:
        print("error:", e)


if __name__ == "__main__":
    main()
