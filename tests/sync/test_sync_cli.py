"""`commissioner login / sync / conflicts` against the real server, as a user runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PIL import Image

from commissioner_app.domain import Visit, short_id
from commissioner_app.store import Store
from sync.client import SyncClient
from sync.credentials import TOKEN_FILE, keyring_available
from sync.engine import SyncEngine
from sync.errors import ProtocolTooOldError
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import ENV, PASSWORD, REPO, Server


def cli(
    data_dir: Path, *args: str, stdin: str | None = None, lang: str = "zh_CN"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(data_dir), "--lang", lang, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.skipif(keyring_available(), reason="this machine has a keyring")
def test_without_a_keyring_login_explains_and_writes_no_file(sqlite_server: Server, tmp_path: Path) -> None:
    sqlite_server.add_user("liuyang", commissioner_id=str(uuid.uuid4()))
    done = cli(
        tmp_path / "d", "login", "--server", sqlite_server.url, "--user", "liuyang", stdin=PASSWORD + "\n"
    )
    assert done.returncode == 2
    assert "密钥环" in done.stderr and "--token-file" in done.stderr
    assert not (tmp_path / "d" / TOKEN_FILE).exists()


@pytest.mark.slow
def test_login_sync_conflicts_from_the_command_line(sqlite_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    sqlite_server.add_user("liuyang", commissioner_id=cid)
    here, there = tmp_path / "here", tmp_path / "there"
    store = commissioner_store(here, cid)
    import random

    rng = random.Random(1)
    visit = add_visit(store, rng, add_target(store, rng), "命令行")
    store.close()

    done = cli(
        here,
        "login",
        "--server",
        sqlite_server.url,
        "--user",
        "liuyang",
        "--token-file",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "已登录" in done.stdout and "（科技特派员）" in done.stdout and "仅本账户可读" in done.stderr
    token_file = here / TOKEN_FILE
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert PASSWORD not in token_file.read_text()

    wrong = cli(
        tmp_path / "x",
        "login",
        "--server",
        sqlite_server.url,
        "--user",
        "liuyang",
        "--token-file",
        stdin="not the password\n",
    )
    assert wrong.returncode != 0 and "密码" in wrong.stderr
    # The server does not say whether the account is disabled; the message keeps its hint that it
    # may be, so that a disabled user calls the bureau instead of retrying into the lockout.
    assert "账号已停用" in wrong.stderr

    done = cli(here, "sync")
    assert done.returncode == 0, done.stderr
    assert "同步完成" in done.stdout

    # The other laptop changes the same field; then this one does too, offline.
    other = commissioner_store(there, cid)
    other_engine = connect(other, sqlite_server.url, "liuyang")
    other_engine.sync()
    v = other.require(Visit, visit.id)
    v.content = "另一台电脑写的服务内容"
    other.save_visit(v)
    other_engine.sync()
    store = Store.open(here)
    v = store.require(Visit, visit.id)
    v.content = "这台电脑写的服务内容"
    store.save_visit(v)
    store.close()

    done = cli(here, "sync")
    assert done.returncode == 1, done.stderr  # done, but a conflict needs a person
    listing = cli(here, "conflicts")
    assert listing.returncode == 1
    assert "这台电脑写的服务内容" in listing.stdout and "另一台电脑写的服务内容" in listing.stdout
    listed = json.loads(cli(here, "conflicts", "--json").stdout)
    assert [c["field"] for c in listed] == ["content"]
    resolved = cli(here, "conflicts", "--resolve", str(listed[0]["id"]), "--keep", "server")
    assert resolved.returncode == 0, resolved.stderr
    assert cli(here, "sync").returncode == 0
    assert cli(here, "conflicts").stdout.startswith("没有待处理的冲突")
    store = Store.open(here)
    assert store.require(Visit, visit.id).content == "另一台电脑写的服务内容"
    store.close()

    # A sync with nothing to do costs at most two requests.
    quiet = json.loads(cli(here, "sync", "--json").stdout)
    assert quiet["requests"] <= 2 and quiet["accepted"] == quiet["pulled"] == 0

    sqlite_server.stop()
    offline = cli(here, "sync", "--timeout", "2", lang="en")
    assert offline.returncode == 3
    assert "Cannot reach the server" in offline.stderr and "saved on this computer" in offline.stderr


def test_a_logout_that_cannot_reach_the_server_says_the_login_is_still_good_there(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """Offline, `logout` said 已退出登录 and nothing else, though its help says it revokes the login:
    the token stays good at the server until it expires, which a person whose laptop was lost needs
    to know (the bureau can disable the account)."""
    sqlite_server.add_user("leaver", commissioner_id=str(uuid.uuid4()))
    here = tmp_path / "d"
    login = cli(
        here, "login", "--server", sqlite_server.url, "--user", "leaver", "--token-file", stdin=PASSWORD
    )
    assert login.returncode == 0, login.stderr
    sqlite_server.stop()
    out = cli(here, "logout")
    assert out.returncode == 0 and "已退出登录" in out.stdout
    assert "未在服务器上撤销" in out.stderr and "30 天" in out.stderr and "停用账号" in out.stderr
    assert "Traceback" not in out.stderr
    again = cli(here, "logout", lang="en")  # nothing left to revoke: nothing more to say
    assert again.returncode == 0 and "not revoked" not in again.stderr


def test_an_old_client_is_told_to_update(sqlite_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    sqlite_server.add_user("oldver", commissioner_id=cid)
    store = commissioner_store(tmp_path / "old", cid)
    engine = connect(store, sqlite_server.url, "oldver")
    old = SyncClient(sqlite_server.url, engine.client.token, protocol_version=0, retries=0)
    with pytest.raises(ProtocolTooOldError) as caught:
        SyncEngine(store, old).sync()
    assert "更新" in caught.value.text("zh_CN") and "update" in caught.value.text("en")
    assert old.requests_made == 1  # told at once, not retried


def test_token_file_is_never_world_readable(tmp_path: Path) -> None:
    from sync.credentials import load_token, save_token

    store = Store.open(tmp_path / "d")
    (tmp_path / "d" / TOKEN_FILE).write_text("{}")
    os.chmod(tmp_path / "d" / TOKEN_FILE, 0o644)
    save_token(store, "https://x", "u", "secret", use_file=True)
    assert stat.S_IMODE((tmp_path / "d" / TOKEN_FILE).stat().st_mode) == 0o600
    assert load_token(store, "https://x", "u") == "secret"
    assert load_token(store, "https://x", "other") is None


def test_login_binds_offline_records_only_with_bind_when_the_account_has_records(
    sqlite_server: Server, tmp_path: Path
) -> None:
    import random

    cid = str(uuid.uuid4())
    name = f"wu{uuid.uuid4().hex[:6]}"
    sqlite_server.add_user(name, commissioner_id=cid)
    office = commissioner_store(tmp_path / "office", cid)
    add_visit(office, random.Random(3), add_target(office, random.Random(3)), "办公室")
    connect(office, sqlite_server.url, name).sync()
    office.close()

    laptop = commissioner_store(tmp_path / "laptop", str(uuid.uuid4()))
    offline = add_visit(laptop, random.Random(4), add_target(laptop, random.Random(4)), "离线")
    laptop.close()
    login = ["login", "--server", sqlite_server.url, "--user", name, "--token-file"]
    refused = cli(tmp_path / "laptop", *login, stdin=PASSWORD + "\n")
    assert refused.returncode == 2
    assert "--bind" in refused.stderr and "并入" in refused.stderr
    bound = cli(tmp_path / "laptop", *login, "--bind", stdin=PASSWORD + "\n")
    assert bound.returncode == 0, bound.stderr
    assert cli(tmp_path / "laptop", "sync").returncode == 0
    assert ("visits", offline.id) in sqlite_server.records(cid)


def _laptop_with_a_visit(
    server: Server, tmp_path: Path, username: str, content: str
) -> tuple[Path, Store, Visit]:
    """A commissioner's data directory (not logged in yet) with one visit; (folder, open store, visit)."""
    import random

    cid = str(uuid.uuid4())
    server.add_user(username, commissioner_id=cid)
    here = tmp_path / "here"
    store = commissioner_store(here, cid)
    rng = random.Random(len(username))
    return here, store, add_visit(store, rng, add_target(store, rng), content)


def test_sync_names_the_records_the_server_refused_and_why(sqlite_server: Server, tmp_path: Path) -> None:
    """A refused record waits for its owner to edit it. Each later sync reports it again, says it was
    refused before (this sync refused none), and names it with the server's reason: a count alone
    leaves a user of the command line with no way to find it."""
    import sqlite3

    here, store, visit = _laptop_with_a_visit(sqlite_server, tmp_path, "refused", "日期写错")
    from commissioner_app.attachments import add_attachment

    note = tmp_path / "记录.txt"
    note.write_text("九个字节的记录", encoding="utf-8")  # a small file: its upload is not shown as "0/0 KB"
    add_attachment(store, note, "visits", visit.id, kind="document")
    store.close()
    # A laptop whose clock was years ahead when the visit was saved: the server refuses the date.
    with sqlite3.connect(here / "commissioner.db") as db:
        db.execute("UPDATE visits SET visit_date = '2099-01-01' WHERE id = ?", [visit.id])
    login = cli(
        here, "login", "--server", sqlite_server.url, "--user", "refused", "--token-file", stdin=PASSWORD
    )
    assert login.returncode == 0, login.stderr

    first = cli(here, "sync")
    assert first.returncode == 1, first.stderr
    assert "被拒绝 1" in first.stdout
    assert "/1 KB" in first.stdout and "0/0 KB" not in first.stdout
    assert "被拒绝的记录 1 条" in first.stderr and "此前" not in first.stderr
    assert f"服务记录 {short_id(visit.id)}" in first.stderr and "2099-01-01" in first.stderr
    assert "日期" in first.stderr.split(short_id(visit.id), 1)[1]  # the server's reason follows the record

    again = cli(here, "sync", lang="en")
    assert again.returncode == 1, again.stderr
    assert "rejected 0" in again.stdout
    assert "1 rejected record" in again.stderr and "refused by an earlier sync" in again.stderr
    assert f"Visit {short_id(visit.id)}" in again.stderr

    # Scripts get the same: the refused records with the reason, this sync's or an earlier one's.
    listed = cli(here, "sync", "--json")
    assert listed.returncode == 1, listed.stderr
    answer = json.loads(listed.stdout)
    assert answer["rejected"] == 0 and answer["rejected_waiting"] == 1 and answer["open_conflicts"] == 0
    [refused] = answer["rejected_records"]
    assert (refused["table"], refused["id"]) == ("visits", visit.id)
    assert "服务日期" in refused["reason_zh"] and "future" in refused["reason_en"]


def test_typing_mistakes_get_a_message_and_exit_2_not_a_traceback(tmp_path: Path) -> None:
    """Exit 1 means "a person must look at conflicts or refusals": a crash on a typo must not look
    like that to a script, and a person must see what to type instead."""
    for value in ("0", "-1", "nan", "inf"):
        done = cli(tmp_path / "d", "sync", "--timeout", value)
        assert done.returncode == 2, (value, done.stderr)
        assert "Traceback" not in done.stderr and "--timeout" in done.stderr and "秒" in done.stderr
    no_name = cli(tmp_path / "d", "login", "--server", "https://sync.example.cn", "--user", " ", stdin="pw\n")
    assert no_name.returncode == 2 and "未输入用户名" in no_name.stderr
    for url, says in (("http://[::1", "不是有效的网址"), ("ftp://example.org", "http:// 或 https://")):
        done = cli(tmp_path / "d", "login", "--server", url, "--user", "x", "--token-file", stdin="pw\n")
        assert done.returncode == 2, (url, done.stderr)
        assert "Traceback" not in done.stderr and says in done.stderr and "未加密" not in done.stderr


def test_an_address_without_http_to_a_plain_http_server_says_to_type_http(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """An address typed without a scheme is taken as https://. A test server on this computer speaks
    plain http: the user was told the network was down, and the command line would "continue
    syncing once the network is back"; they are told to type http:// instead."""
    sqlite_server.add_user("typist", commissioner_id=str(uuid.uuid4()))
    bare = sqlite_server.url.removeprefix("http://")
    done = cli(tmp_path / "d", "login", "--server", bare, "--user", "typist", "--token-file", stdin=PASSWORD)
    assert done.returncode != 0, done.stderr
    assert "HTTPS" in done.stderr and f"http://{bare}" in done.stderr and "网络" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_record_held_back_makes_the_sync_exit_1(sqlite_server: Server, tmp_path: Path) -> None:
    """An attachment whose file is missing is held back: the sync finishes, but a person must act
    (restore or delete it), which exit 1 says to a script; it exited 0 as if all had gone."""

    from commissioner_app.attachments import add_attachment, blob_path

    here, store, visit = _laptop_with_a_visit(sqlite_server, tmp_path, "heldback", "照片丢失")
    photo = tmp_path / "照片.jpg"
    Image.new("RGB", (64, 48), (60, 30, 120)).save(photo, "JPEG")
    attachment = add_attachment(store, photo, "visits", visit.id, kind="photo")
    store.close()
    blob_path(Store.open(here), attachment.sha256).unlink()
    login = cli(
        here, "login", "--server", sqlite_server.url, "--user", "heldback", "--token-file", stdin=PASSWORD
    )
    assert login.returncode == 0, login.stderr

    done = cli(here, "sync")
    assert done.returncode == 1, done.stderr
    assert "照片.jpg" in done.stderr and "缺失" in done.stderr
    assert "同步完成" in done.stdout  # everything else went

    # Logging out with that record still waiting says so (it stays here for the next login).
    out = cli(here, "logout")
    assert out.returncode == 0 and "已退出登录" in out.stdout
    assert "1 条记录未同步" in out.stderr


def test_a_sync_leaves_the_garbage_collector_as_it_found_it() -> None:
    """`commissioner sync` tunes the collector for a push's many objects (as the server does), and
    puts it back afterwards: the command may run inside another program (a test, the application)."""
    import gc

    from sync.cli import _collector_for_sync

    before = gc.get_threshold()
    with _collector_for_sync():
        assert gc.get_threshold()[0] == 10_000 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_sync_process_that_ends_at_once_keeps_its_output_and_its_records(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """`commissioner sync` ends its process without the interpreter's tear-down (cli.run): what it
    printed into a file (block-buffered, as a scheduled task's output is) is all there, its exit code
    is the sync's, and the records it synced are clean for the next command and the application."""
    import random

    here, store, first = _laptop_with_a_visit(sqlite_server, tmp_path, "atonce", "结束前写完")
    rng = random.Random(7)
    target = add_target(store, rng)
    visits = [first.id] + [add_visit(store, rng, target, f"第{i}次服务记录").id for i in range(40)]
    store.close()
    login = cli(
        here, "login", "--server", sqlite_server.url, "--user", "atonce", "--token-file", stdin=PASSWORD
    )
    assert login.returncode == 0, login.stderr

    out = tmp_path / "sync.json"
    buffered = {k: v for k, v in ENV.items() if k != "PYTHONUNBUFFERED"}
    with out.open("w", encoding="utf-8") as f:
        done = subprocess.run(
            [sys.executable, "-m", "commissioner_app", "--data-dir", str(here), "sync", "--json"],
            stdout=f,
            stderr=subprocess.PIPE,
            text=True,
            env=buffered,
            cwd=REPO,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["accepted"] >= len(visits) and report["problems"] == []
    # The database file alone, copied right after (as a user copies it to a memory stick), holds
    # what the sync wrote: nothing is left in a write-ahead log beside it.
    import shutil
    import sqlite3

    alone = tmp_path / "copy" / "commissioner.db"
    alone.parent.mkdir()
    shutil.copyfile(here / "commissioner.db", alone)
    with sqlite3.connect(alone) as copy:
        assert copy.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0] == 0
        assert copy.execute("SELECT count(*) FROM visits").fetchone()[0] == len(visits)

    store = Store.open(here)
    try:
        dirty = store.db.conn.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0]
        assert dirty == 0
        assert {v["id"] for v in store.list_visits()} >= set(visits)
    finally:
        store.close()
    again = json.loads(cli(here, "sync", "--json").stdout)
    assert again["accepted"] == 0 and again["pulled"] == 0

    # A refused command ends the usual way, with its message.
    wrong = cli(here, "sync", "--timeout", "0.5", "--batch-size", "x")
    assert wrong.returncode == 2 and "batch-size" in wrong.stderr


def _laptop_logged_in(server: Server, tmp_path: Path, username: str, visits: int) -> Path:
    import random

    here, store, _ = _laptop_with_a_visit(server, tmp_path, username, "第一次服务记录")
    rng = random.Random(3)
    target = add_target(store, rng)
    for i in range(visits - 1):
        add_visit(store, rng, target, f"第{i}次服务记录")
    store.close()
    login = cli(here, "login", "--server", server.url, "--user", username, "--token-file", stdin=PASSWORD)
    assert login.returncode == 0, login.stderr
    return here


def _dirty_visits(here: Path) -> int:
    store = Store.open(here)
    try:
        return int(store.db.conn.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0])
    finally:
        store.close()


def test_a_sync_whose_reader_goes_away_still_sends_everything(sqlite_server: Server, tmp_path: Path) -> None:
    """`commissioner sync | head -1`: the reader of its progress closes the pipe after the first line.
    The sync stopped there with nothing sent (a BrokenPipeError out of the progress line), and
    exited 120; it goes on, and exits with its own code."""
    here = _laptop_logged_in(sqlite_server, tmp_path, "headone", 60)
    process = subprocess.Popen(
        [sys.executable, "-m", "commissioner_app", "--data-dir", str(here), "sync", "--batch-size", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does after its line
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, errors
    assert first.strip()
    assert _dirty_visits(here) == 0


def test_a_sync_started_without_stdout_or_stderr_exits_with_its_own_code(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A scheduler may start the command with its output closed (`>&- 2>&-`; pythonw on Windows):
    the sync's end said 'NoneType has no flush' and exited 1 whatever the sync's result was."""
    here = _laptop_logged_in(sqlite_server, tmp_path, "closed", 3)
    command = [sys.executable, "-m", "commissioner_app", "--data-dir", str(here), "sync"]
    done = subprocess.run(["sh", "-c", 'exec "$@" >&- 2>&-', "sh", *command], env=ENV, cwd=REPO, timeout=120)
    assert done.returncode == 0
    assert _dirty_visits(here) == 0
    sqlite_server.stop()
    offline = subprocess.run(
        ["sh", "-c", 'exec "$@" >&- 2>&-', "sh", *command, "--timeout", "2"], env=ENV, cwd=REPO, timeout=120
    )
    assert offline.returncode == 3


def test_a_sync_before_any_login_says_so_and_exits_4(tmp_path: Path) -> None:
    """Exit 4 is "not logged in, or the login expired" (the command's documented codes); a data
    directory never logged in exited 2, as if the command had been mistyped."""
    import random

    here = tmp_path / "here"
    store = commissioner_store(here, str(uuid.uuid4()))
    rng = random.Random(5)
    add_visit(store, rng, add_target(store, rng), "还没有登录")
    store.close()
    done = cli(here, "sync")
    assert done.returncode == 4, done.stderr
    assert "尚未登录同步服务器" in done.stderr and "commissioner login" in done.stderr


def test_a_second_sync_of_the_same_data_directory_waits_for_the_first(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """The application's sync and a scheduled `commissioner sync` on one data directory ran at once:
    each sent every record and uploaded every file, and they wrote their unanswered batches over each
    other's. The second is now refused at once (exit 9, "in use"), before doing anything; the turn
    is the operating system's lock on a file, so a sync killed on the way does not keep it."""
    import random

    from sync.engine import one_sync_at_a_time

    here = _laptop_logged_in(sqlite_server, tmp_path, "oneatatime", 3)
    with one_sync_at_a_time(here):  # another sync under way
        second = cli(here, "sync")
        assert second.returncode == 9, second.stderr
        assert "另一次同步正在进行" in second.stderr
        assert _dirty_visits(here) == 3
    assert cli(here, "sync").returncode == 0
    assert _dirty_visits(here) == 0
    assert stat.S_IMODE((here / "sync.lock").stat().st_mode) == 0o600  # private, as the database

    # A lock file that cannot be used (here a folder of that name) is said so, with what to do; it
    # was an internal error with a traceback (exit 70).
    (here / "sync.lock").unlink()
    (here / "sync.lock").mkdir()
    blocked = cli(here, "sync")
    assert blocked.returncode == 2, blocked.stderr
    assert "sync.lock" in blocked.stderr and "这是一个文件夹" in blocked.stderr
    assert "Traceback" not in blocked.stderr
    (here / "sync.lock").rmdir()

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sync.engine import one_sync_at_a_time\n"
            "with one_sync_at_a_time(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)",
            str(here),
        ],
        stdout=subprocess.PIPE,
        env=ENV,
        cwd=REPO,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    assert cli(here, "sync").returncode == 9
    holder.kill()  # a sync that ends without letting go
    holder.wait(30)
    store = Store.open(here)
    rng = random.Random(11)
    add_visit(store, rng, add_target(store, rng), "进程结束后再同步")
    store.close()
    assert cli(here, "sync").returncode == 0
    assert _dirty_visits(here) == 0
