"""The bureau's roster import: dry run and import of N rows (default 1,000), with its parts.

    python benchmarks/roster_bench.py [--rows 1000] [--postgres URL]

In-process server (ASGI test client) on a fresh SQLite file (or a fresh PostgreSQL schema), with
the production argon2 parameters. Prints seconds for: reading the .xlsx, the dry run (read +
server check), the import on the server (one-time codes hashed, accounts, profiles, teams and
stations written) and the account slips (.xlsx and PDF); budgets: dry run < 5 s, import < 60 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from commissioner_app.roster import read_roster, write_slips_pdf, write_slips_xlsx  # noqa: E402
from sync.protocol import PROTOCOL_HEADER  # noqa: E402
from sync.server import auth  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from sync.server.db import make_engine  # noqa: E402
from tests.sync.roster_data import make_roster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made and dropped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = ""
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = make_engine(args.postgres)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine = make_engine(args.postgres, connect_args={"options": f"-csearch_path={schema}"})
        else:
            engine = make_engine(f"sqlite:///{folder / 'server.db'}")
        try:
            run(engine, folder, args.rows)
        finally:
            engine.dispose()
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def run(engine: object, folder: Path, rows: int) -> None:
    app = create_app(engine=engine)  # type: ignore[arg-type]
    auth.add_user(app.state.engine, "bureau", "bench password", "bureau")
    proto = {PROTOCOL_HEADER: "1"}
    with TestClient(app) as client:
        login = client.post(
            "/api/v1/auth/login", headers=proto, json={"username": "bureau", "password": "bench password"}
        )
        headers = {**proto, "Authorization": f"Bearer {login.json()['token']}"}
        path = folder / "roster.xlsx"
        make_roster(path, rows, bad=0)

        t0 = time.perf_counter()
        roster = read_roster(path)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        answer = client.post("/api/v1/admin/roster/check", headers=headers, json={"rows": roster.rows})
        t_check = time.perf_counter() - t0
        assert answer.status_code == 200 and answer.json()["errors"] == 0, answer.text[:500]

        t0 = time.perf_counter()
        answer = client.post("/api/v1/admin/roster/import", headers=headers, json={"rows": roster.rows})
        t_import = time.perf_counter() - t0
        assert answer.status_code == 201, answer.text[:500]
        accounts = answer.json()["accounts"]
        t0 = time.perf_counter()
        write_slips_xlsx(folder / "slips.xlsx", accounts, "https://kjtpy.jiangmen.example")
        t_xlsx = time.perf_counter() - t0
        t0 = time.perf_counter()
        pages = write_slips_pdf(folder / "slips.pdf", accounts, "https://kjtpy.jiangmen.example")
        t_pdf = time.perf_counter() - t0

    print(f"roster of {rows} rows ({engine.dialect.name})")  # type: ignore[attr-defined]
    print(f"  read .xlsx                 {t_read:6.2f} s")
    print(f"  dry run (read + check)     {t_read + t_check:6.2f} s   (budget 5 s)")
    print(f"  import on the server       {t_import:6.2f} s")
    print(f"  slips .xlsx                {t_xlsx:6.2f} s")
    print(f"  slips PDF ({pages} pages)     {t_pdf:6.2f} s")
    total = t_read + t_import + t_xlsx + t_pdf
    print(f"  import total               {total:6.2f} s   (budget 60 s)")


if __name__ == "__main__":
    main()
