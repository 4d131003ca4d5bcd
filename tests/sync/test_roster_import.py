"""The bureau imports its roster through the real server, from the command line, as its IT would:
a dry run names exactly the bad rows and writes nothing; the corrected file imports; a commissioner
logs in with the one-time code from the slip and must choose a password. SQLite and PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from tests.sync.harness import ENV, PASSWORD, REPO, Server
from tests.sync.roster_data import make_roster


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(data_dir), "--lang", "zh_CN", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        cwd=REPO,
        timeout=300,
    )


def _accounts(server: Server) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM users")).scalar_one())


def test_roster_of_1000_with_20_bad_rows_through_the_real_server(own_server: Server, tmp_path: Path) -> None:
    own_server.add_user("bureau", "bureau")
    bureau = tmp_path / "bureau"
    login = ["login", "--server", own_server.url, "--token-file"]
    done = cli(bureau, *login, "--user", "bureau", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr

    roster = tmp_path / "名册.xlsx"
    bad = make_roster(roster, 1000, bad=20)
    assert len(bad) == 20
    started = time.perf_counter()
    dry = cli(bureau, "roster", "import", str(roster), "--dry-run")
    dry_seconds = time.perf_counter() - started
    assert dry.returncode == 1, dry.stderr
    errors = [line for line in dry.stdout.splitlines() if line.startswith("错误")]
    named = {int(m.group(1)) for line in errors if (m := re.search(r"第 (\d+) 行", line))}
    assert named == bad and len(errors) == 20, dry.stdout
    assert all(re.search(r"第 \d+ 行，.+（[A-J] 列）：", line) for line in errors)
    assert _accounts(own_server) == 1  # nothing written
    refused = cli(bureau, "roster", "import", str(roster), "--slips", str(tmp_path / "slips0"))
    assert refused.returncode == 1 and _accounts(own_server) == 1

    fixed = tmp_path / "名册-改.xlsx"
    make_roster(fixed, 1000, bad=0)
    assert cli(bureau, "roster", "import", str(fixed), "--dry-run").returncode == 0
    started = time.perf_counter()
    done = cli(bureau, "roster", "import", str(fixed), "--slips", str(tmp_path / "slips"))
    import_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert _accounts(own_server) == 1001
    print(f"\nroster of 1000 through the CLI: dry run {dry_seconds:.1f} s, import {import_seconds:.1f} s")

    from openpyxl import load_workbook

    slips = load_workbook(tmp_path / "slips" / "账号通知.xlsx", read_only=True)
    rows = list(slips.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "用户名", "一次性密码", "服务器地址") and len(rows) == 1001
    assert (tmp_path / "slips" / "账号通知.pdf").read_bytes().startswith(b"%PDF")
    _name, username, code, address = next(r for r in rows[1:] if r[4] == "科技特派员")[:4]
    assert address == own_server.url

    commissioner = tmp_path / "commissioner"
    # The code alone gives no session; the new password on the next line replaces it and logs in.
    done = cli(commissioner, *login, "--user", username, stdin=f"{code}\n")
    assert done.returncode != 0 and "一次性密码" in done.stderr
    done = cli(commissioner, *login, "--user", username, stdin=f"{code}\nmy garden 2026\n")
    assert done.returncode == 0, done.stderr
    assert cli(commissioner, "sync", "--quiet").returncode == 0
    profiles = [r for (t, _), r in own_server.records().items() if t == "commissioners"]
    assert sum(1 for r in profiles if r["fields"]["username"] == username) == 1
    again = cli(tmp_path / "again", *login, "--user", username, stdin=f"{code}\n")
    assert again.returncode != 0  # the code is used up
    assert cli(tmp_path / "again", *login, "--user", username, stdin="my garden 2026\n").returncode == 0
