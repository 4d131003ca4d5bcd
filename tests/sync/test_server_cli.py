"""The commissioner-server command: users, demo data, and `serve` on a real uvicorn."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sync.protocol import PROTOCOL_HEADER

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server_cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def call(
    base: str, method: str, path: str, body: object = None, token: str | None = None
) -> tuple[int, dict]:
    headers = {PROTOCOL_HEADER: "1", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def wait_until_up(base: str, seconds: float = 30) -> None:
    """Until a server started at `base` answers (its workers may take a while on a busy machine)."""
    for _ in range(int(seconds * 10)):
        try:
            with urllib.request.urlopen(base + "/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)


def in_process(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    *args: str,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    """The command run in this process (starting Python for each would dominate the test's time)."""
    import io
    import logging

    from sync.server_cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        code = main(["--data-dir", str(data_dir), "--log-level", "WARNING", *args])
    finally:
        root.handlers[:], root.level = handlers, level  # main() installs the server's JSON log handler
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_user_commands_never_take_the_password_as_an_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, data_dir, *args, stdin=stdin)

    added = cli(
        tmp_path,
        "user",
        "add",
        "zhangsan",
        "--role",
        "commissioner",
        "--team",
        "t1",
        "--password-stdin",
        stdin="a good password\n",
    )
    assert added.returncode == 0, added.stderr
    # No team t1 on this server: added, with a warning that says so (the account's team showed
    # nowhere, without a word).
    assert "no team with the id or name 't1'" in added.stderr and "组织与账号" in added.stderr
    listed = [json.loads(line) for line in cli(tmp_path, "user", "list").stdout.splitlines()]
    assert [(u["username"], u["role"], u["team_id"]) for u in listed] == [("zhangsan", "commissioner", "t1")]
    assert listed[0]["commissioner_id"]  # a commissioner gets a profile id
    twice = cli(
        tmp_path, "user", "add", "zhangsan", "--role", "commissioner", "--password-stdin", stdin="x" * 9
    )
    assert twice.returncode == 2 and "exists" in twice.stderr
    short = cli(
        tmp_path, "user", "add", "lisi", "--role", "commissioner", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 2 and "8 characters" in short.stderr
    assert cli(tmp_path, "user", "disable", "zhangsan").returncode == 0
    assert json.loads(cli(tmp_path, "user", "list").stdout)["disabled"] is True
    assert (
        cli(
            tmp_path, "user", "reset-password", "nobody", "--password-stdin", stdin="long enough\n"
        ).returncode
        == 2
    )
    with pytest.raises(SystemExit):
        from sync.server_cli import build_parser

        build_parser().parse_args(["user", "add", "x", "--role", "commissioner", "--password", "secret"])


def test_user_add_refuses_a_commissioner_id_another_account_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, tmp_path, *args, stdin="a good password\n")

    first = cli(
        "user", "add", "zhangsan", "--role", "commissioner", "--commissioner-id", "c-1", "--password-stdin"
    )
    assert first.returncode == 0, first.stderr
    second = cli("user", "add", "lisi", "--role", "manager", "--commissioner-id", "c-1", "--password-stdin")
    assert second.returncode == 2 and "c-1" in second.stderr and "zhangsan" in second.stderr
    # The same name in other capitals or with spaces is the same account.
    again = cli("user", "add", " ZhangSan ", "--role", "commissioner", "--password-stdin")
    assert again.returncode == 2 and "exists" in again.stderr
    listed = [json.loads(line)["username"] for line in cli("user", "list").stdout.splitlines()]
    assert listed == ["zhangsan"]


def test_user_add_makes_a_county_bureau_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, tmp_path, *args, stdin="a good password\n")

    added = cli("user", "add", "xinhui", "--role", "county", "--county", "新会区", "--password-stdin")
    assert added.returncode == 0, added.stderr
    assert "county 新会区" in added.stdout
    (listed,) = [json.loads(line) for line in cli("user", "list").stdout.splitlines()]
    assert (listed["role"], listed["county"], listed["commissioner_id"]) == ("county", "新会区", None)
    nowhere = cli("user", "add", "x1", "--role", "county", "--password-stdin")
    assert nowhere.returncode == 2 and "--county" in nowhere.stderr
    unknown = cli("user", "add", "x2", "--role", "county", "--county", "广州市", "--password-stdin")
    assert unknown.returncode == 2 and "unknown county" in unknown.stderr and "台山市" in unknown.stderr
    # A commissioner's service county.
    served = cli("user", "add", "wang", "--role", "commissioner", "--county", "台山市", "--password-stdin")
    assert served.returncode == 0, served.stderr
    # What the command line did is in the audit trail; refused commands left nothing there.
    assert cli("user", "disable", "wang").returncode == 0
    from sqlalchemy import select

    from sync.server.db import make_engine, sqlite_url
    from sync.server.tables import audit_log

    engine = make_engine(sqlite_url(tmp_path))
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
    engine.dispose()
    assert [(r.actor, r.action, r.subject, r.county) for r in rows] == [
        ("server-cli", "user.create", "users/xinhui", "新会区"),
        ("server-cli", "user.create", "users/wang", "台山市"),
        ("server-cli", "user.disable", "users/wang", ""),
    ]
    assert cli("user", "disable", "xinhui", "--reason", "机构调整").returncode == 0
    listed = {u["username"]: u for u in map(json.loads, cli("user", "list").stdout.splitlines())}
    assert listed["xinhui"]["disabled"] and listed["xinhui"]["disabled_reason"] == "机构调整"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_seed_demo_then_serve_on_a_fresh_machine(tmp_path: Path) -> None:
    seeded = cli(tmp_path, "seed-demo", "--password-stdin", stdin="demo password\n")
    assert seeded.returncode == 0, seeded.stderr
    assert "zhangsan" in seeded.stdout and "demo password" not in seeded.stdout
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.server_cli", "serve", "--data-dir", str(tmp_path), "--port", str(port)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_up(base)
        status, login = call(
            base, "POST", "/auth/login", {"username": "zhangsan", "password": "demo password"}
        )
        assert status == 200, login
        token = login["token"]
        status, page = call(base, "GET", "/sync/pull?since=0&limit=2000", token=token)
        tables = {c["table"] for c in page["changes"]}
        assert {"reference", "teams", "workstations", "commissioners"} <= tables
        towns = next(c for c in page["changes"] if c["table"] == "reference" and c["id"] == "town")
        assert any(i["name_zh"] == "会城街道" for i in towns["fields"]["items"])
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    # Structured logs: every line on stderr is a JSON object.
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(e.get("path") == "/api/v1/auth/login" and e.get("status") == 200 for e in lines)
    assert all("demo password" not in line for line in err.splitlines())


def test_user_add_takes_a_team_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's `--team T` was taken as an id whatever it was: a team's name made an account
    whose team showed nowhere."""
    from sqlalchemy import select

    from sync.server.db import make_engine, sqlite_url
    from sync.server.tables import records

    assert in_process(capsys, monkeypatch, tmp_path, "seed-demo").returncode == 0
    engine = make_engine(sqlite_url(tmp_path))
    with engine.connect() as conn:
        team_id, fields = conn.execute(
            select(records.c.id, records.c.fields).where(records.c.table_name == "teams").limit(1)
        ).one()
    engine.dispose()
    name = json.loads(fields)["name"]
    added = in_process(
        capsys,
        monkeypatch,
        tmp_path,
        "user",
        "add",
        "wangce",
        "--role",
        "commissioner",
        "--team",
        name,
        "--password-stdin",
        stdin="a good password\n",
    )
    assert added.returncode == 0 and "warning" not in added.stderr, added.stderr
    listed = [
        json.loads(line)
        for line in in_process(capsys, monkeypatch, tmp_path, "user", "list").stdout.splitlines()
    ]
    assert {u["username"]: u["team_id"] for u in listed}["wangce"] == team_id


def test_the_server_commands_speak_chinese_as_well_as_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bureau's administrator reads the commands' help and their messages: they were English only."""
    import argparse
    import re

    from sync.server_cli import build_parser

    chinese = re.compile(r"[\u4e00-\u9fff]")

    def english_only(parser: argparse.ArgumentParser, where: str) -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if not chinese.search(choice.help or ""):
                        found.append(f"{where} {choice.dest}")
                for name, sub in action.choices.items():
                    found += english_only(sub, f"{where} {name}")
            elif action.help and action.help != argparse.SUPPRESS and action.dest != "help":
                if not chinese.search(action.help):
                    found.append(f"{where} {action.option_strings or action.dest}")
        return found

    assert english_only(build_parser(), "commissioner-server") == []

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, tmp_path, *args, stdin=stdin)

    said = [
        cli("user", "add", "wang", "--role", "commissioner", "--password-stdin", stdin="a good password\n"),
        cli("user", "disable", "wang"),
        cli("user", "enable", "wang"),
        cli("user", "reset-password", "wang", "--password-stdin", stdin="another password\n"),
    ]
    for done in said:
        assert done.returncode == 0, done.stderr
        assert chinese.search(done.stdout) and "wang" in done.stdout, done.stdout


def test_refusals_of_the_user_commands_are_said_in_chinese_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A weak password, a name taken, a name nobody has: each said in Chinese and English, not in
    English alone."""
    import re

    chinese = re.compile(r"[\u4e00-\u9fff]")

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, tmp_path, *args, stdin=stdin)

    add = ("user", "add", "wang", "--role", "commissioner", "--password-stdin")
    assert cli(*add, stdin="a good password\n").returncode == 0
    refused = {
        "weak": cli("user", "add", "li", "--role", "commissioner", "--password-stdin", stdin="short\n"),
        "taken": cli(*add, stdin="a good password\n"),
        "nobody": cli("user", "reset-password", "nobody", "--password-stdin", stdin="long enough\n"),
        "nobody disabled": cli("user", "disable", "nobody"),
        "role": cli("user", "add", "zhao", "--role", "county", "--password-stdin", stdin="a good password\n"),
    }
    for what, done in refused.items():
        assert done.returncode == 2, (what, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert chinese.search(lines[0]) and lines[0].startswith("错误："), (what, done.stderr)
        assert any(line.startswith("error: ") for line in lines), (what, done.stderr)
    assert "8" in refused["weak"].stderr and "wang" in refused["taken"].stderr
    assert "nobody" in refused["nobody"].stderr


def test_a_password_asked_for_where_nobody_can_type_it_is_said_so_without_a_traceback(
    tmp_path: Path,
) -> None:
    """`user add` or `reset-password` run with no terminal (a script, a service) and without
    --password-stdin: a clear message, not getpass's warning and a traceback; and a name nobody has
    is said before any password is asked for."""
    assert (
        cli(
            tmp_path,
            "user",
            "add",
            "wang",
            "--role",
            "commissioner",
            "--password-stdin",
            stdin="a good password\n",
        ).returncode
        == 0
    )
    for args in (("user", "add", "li", "--role", "commissioner"), ("user", "reset-password", "wang")):
        done = subprocess.run(
            [sys.executable, "-m", "sync.server_cli", "--data-dir", str(tmp_path), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
            start_new_session=True,  # no controlling terminal, wherever the tests run
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and "--password-stdin" in done.stderr, done.stderr
        assert "错误：" in done.stderr, done.stderr
    nobody = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync.server_cli",
            "--data-dir",
            str(tmp_path),
            "user",
            "reset-password",
            "nobody",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        start_new_session=True,
    )
    assert nobody.returncode == 2 and "nobody" in nobody.stderr and "--password-stdin" not in nobody.stderr


def test_a_store_that_cannot_be_written_is_said_so_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` (or any command) on a SQLite store it may not write (a read-only folder, another
    account's file) ended in a traceback from the schema check ("attempt to write a readonly
    database"). Opened read-only here, as such a store is, whoever runs the test."""
    import sqlite3

    from sync.server_cli import main

    db = tmp_path / "central.db"
    sqlite3.connect(db).close()
    # (an empty file: the schema is still to be made)
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    for command in (["user", "list"], ["serve", "--port", "9"]):
        assert main(["--database", url, "--log-level", "ERROR", *command]) == 2
        err = capsys.readouterr().err
        assert "无法写入中心库" in err and "cannot write the store" in err and "readonly" in err


def test_a_data_folder_named_with_url_characters_holds_the_store(tmp_path: Path) -> None:
    """From a cold try: the data folder became part of a database URL as written, so a `?` in its
    name started the URL's query (the store was the file `…/q`, beside the folder) and `%41` was read
    as `A` (`user add` ended in a FileNotFoundError traceback). The store is the folder's server.db."""
    for name in ("q?x", "p%41x", "h#50%"):
        data = tmp_path / name
        added = cli(
            data, "user", "add", "zhang", "--role", "bureau", "--password-stdin", stdin="pw-long-enough-1\n"
        )
        assert added.returncode == 0, added.stderr
        assert (data / "server.db").is_file(), sorted(p.name for p in tmp_path.iterdir())
        listed = cli(data, "user", "list")
        assert listed.returncode == 0 and "zhang" in listed.stdout, listed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h#50%", "p%41x", "q?x"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_stopped_server_leaves_its_store_whole_in_its_file(tmp_path: Path, workers: str) -> None:
    """From a cold try: a server stopped as it should be (SIGTERM, as systemd and Docker stop it) left
    its last writes in server.db-wal: a copy of server.db alone (a snapshot of the file, a backup
    account given the file only) lacked them, and a reading that may not make files could not read
    the store. Each process closes its connections when it stops: the store is whole in its file."""
    added = cli(
        tmp_path, "user", "add", "li", "--role", "bureau", "--password-stdin", stdin="pw-long-enough-1\n"
    )
    assert added.returncode == 0, added.stderr
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "sync.server_cli",
        "serve",
        "--data-dir",
        str(tmp_path),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        [*command, "--workers", workers], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_up(base)
        for _ in range(3):  # each login is a write (its token)
            status, _body = call(
                base, "POST", "/auth/login", {"username": "li", "password": "pw-long-enough-1"}
            )
            assert status == 200
        assert (tmp_path / "server.db-wal").exists()
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert not (tmp_path / "server.db-wal").exists()
    import sqlite3

    uri = f"{(tmp_path / 'server.db').as_uri()}?mode=ro&immutable=1"  # the file alone
    with sqlite3.connect(uri, uri=True) as db:
        assert db.execute("SELECT count(*) FROM tokens").fetchone()[0] == 3


@pytest.mark.parametrize("path", ["we?ird/central.db", "a?b=c/central.db", "x?/central.db"])
def test_a_question_mark_in_a_database_path_is_refused_not_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    """`--database sqlite:////srv/we?ird/central.db` opened (and made) the store `/srv/we`: a URL's
    `?` starts its query, and SQLAlchemy drops what is not an option. A store made somewhere else than
    named is found empty at the next start. Refused, saying how to write the path; nothing made."""
    from sync.server_cli import main

    url = f"sqlite:///{tmp_path}/{path}"
    assert main(["--database", url, "--log-level", "ERROR", "user", "list"]) == 2
    err = capsys.readouterr().err
    assert "数据库地址" in err and "%3F" in err and "database address" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_in_memory_database_is_refused_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    from sync.server_cli import main

    for url in ("sqlite://", "sqlite:///:memory:"):
        assert main(["--database", url, "--log-level", "ERROR", "user", "list"]) == 2
        err = capsys.readouterr().err
        assert "内存" in err and "in-memory" in err, err


def test_sqlite_options_and_escaped_question_marks_still_open_the_store(tmp_path: Path) -> None:
    """What a SQLite URL may carry after `?` (the driver's options) and a `?` written as %3F."""
    from sync.server_cli import main

    (tmp_path / "we?ird").mkdir()
    for url in (f"sqlite:///{tmp_path}/t.db?timeout=30", f"sqlite:///{tmp_path}/we%3Fird/c.db"):
        assert main(["--database", url, "--log-level", "ERROR", "user", "list"]) == 0, url
    assert (tmp_path / "t.db").is_file() and (tmp_path / "we?ird" / "c.db").is_file()


@pytest.mark.parametrize(
    "address",
    [
        "sqlite:///{d}/plain/s.db?mode=ro&uri=true",  # uri=true on a path: the file became 's.db?mode=ro'
        "sqlite:///{d}/we?x=1&uri=true",
        "sqlite:///file:{d}/plain/s.db",  # a file: address without uri=true: a traceback
        "sqlite:///{d}/plain/s.db?timeout=abc",  # a traceback
        "sqlite:///{d}/plain/s.db?check_same_thread=true",  # would break the server's threads
        "sqlite:///{d}/plain/",  # a folder: a traceback
    ],
)
def test_a_sqlite_address_that_would_not_open_the_store_it_names_is_refused_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    """From an attacker's cold try of the address check: with uri=true after a plain path SQLite
    took the whole text for a file name, and the store (with every password hash, readable by all)
    went to a file named `s.db?mode=ro` beside an empty private `s.db`; other addresses ended in a
    traceback. Each is refused, saying what to write; no store is made."""
    from sync.server_cli import main

    (tmp_path / "plain").mkdir()
    assert main(["--database", address.format(d=tmp_path), "--log-level", "ERROR", "migrate"]) == 2
    err = capsys.readouterr().err
    assert "数据库地址" in err and "database address" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["plain"]


def test_a_store_named_by_a_file_uri_is_made_private_too(tmp_path: Path) -> None:
    """The documented SQLAlchemy form `sqlite:///file:/path/central.db?uri=true` opened the right file
    but left it readable by every account of the computer (password hashes and every record)."""
    from sync.server_cli import main

    store = tmp_path / "central.db"
    assert main(["--database", f"sqlite:///file:{store}?uri=true", "--log-level", "ERROR", "migrate"]) == 0
    assert store.is_file() and store.stat().st_mode & 0o077 == 0, oct(store.stat().st_mode)
