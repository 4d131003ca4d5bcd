import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, lang: str = "zh_CN") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMISSIONER_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "commissioner_app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    result = run("--data-dir", str(data), "demo", "--visits", "400", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "服务记录 400 条" in result.stdout
    return data


def test_demo_is_reproducible(tmp_path, demo_dir):
    again = tmp_path / "again"
    run("--data-dir", str(again), "demo", "--visits", "400", "--seed", "7")
    a = json.loads(run("--data-dir", str(demo_dir), "status", "--json").stdout)
    b = json.loads(run("--data-dir", str(again), "status", "--json").stdout)
    assert a["counts"] == b["counts"]
    import sqlite3

    ids = [
        sorted(r[0] for r in sqlite3.connect(d / "commissioner.db").execute("SELECT id FROM visits"))
        for d in (demo_dir, again)
    ]
    assert ids[0] == ids[1]


def test_demo_refuses_a_store_that_has_visits(demo_dir):
    result = run("--data-dir", str(demo_dir), "demo", "--visits", "10")
    assert result.returncode == 2
    assert "已有服务记录" in result.stderr and "Traceback" not in result.stderr


def test_status_counts_by_kind_and_state(demo_dir):
    result = run("--data-dir", str(demo_dir), "status")
    assert result.returncode == 0
    assert "服务记录: 400" in result.stdout and "草稿 3" in result.stdout
    english = run("--data-dir", str(demo_dir), "status", lang="en")
    assert "Visits: 400" in english.stdout and "Draft 3" in english.stdout
    data = json.loads(run("--data-dir", str(demo_dir), "status", "--json").stdout)
    assert sum(data["counts"]["visits"].values()) == 400
    assert data["size_bytes"] > 0


def test_search_finds_chinese_text(demo_dir):
    result = run("--data-dir", str(demo_dir), "search", "陈皮")
    assert result.returncode == 0
    assert "陈皮" in result.stdout
    nothing = run("--data-dir", str(demo_dir), "search", "量子计算机")
    assert nothing.returncode == 0 and "没有找到" in nothing.stdout


def test_check_passes_then_reports_damage(demo_dir, tmp_path):
    assert run("--data-dir", str(demo_dir), "check").returncode == 0
    from commissioner_app.attachments import add_attachment, blob_path
    from commissioner_app.store import Store

    photo = tmp_path / "p.jpg"
    Image.new("RGB", (64, 48), (30, 120, 60)).save(photo, "JPEG")
    store = Store.open(demo_dir)
    attachment = add_attachment(store, photo, "visits", "x", kind="document")
    store.close()
    blob_path(store, attachment.sha256).write_bytes(b"changed")
    result = run("--data-dir", str(demo_dir), "check")
    assert result.returncode == 1 and "损坏" in result.stderr


def test_user_mistakes_exit_non_zero_without_traceback(tmp_path):
    missing = run("--data-dir", str(tmp_path / "nothing"), "status")
    assert missing.returncode == 2
    assert "没有数据库" in missing.stderr and "Traceback" not in missing.stderr
    assert "commissioner-app" in missing.stderr  # where a profile and visits are entered
    assert not (tmp_path / "nothing").exists(), "a mistyped --data-dir leaves no empty folder behind"
    negative = run("--data-dir", str(tmp_path), "demo", "--visits", "-5")
    assert negative.returncode == 2 and "负数" in negative.stderr
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "commissioner.db").write_bytes(b"garbage" * 1000)
    result = run("--data-dir", str(corrupt), "status")
    assert result.returncode == 2 and "损坏" in result.stderr and "Traceback" not in result.stderr
    english = run("--data-dir", str(corrupt), "status", lang="en")
    assert "damaged" in english.stderr


def test_the_sync_commands_are_there():
    from commissioner_app.cli import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert {"login", "sync", "conflicts", "status", "report", "export", "backup"} <= set(commands)


def test_a_command_module_that_fails_to_import_stops_the_command(monkeypatch):
    # It used to be skipped with a debug line: a typo in sync/cli.py silently removed `login` and `sync`.
    from commissioner_app.cli import build_parser

    monkeypatch.setitem(sys.modules, "sync.cli", None)  # importing it now raises ImportError
    with pytest.raises(ImportError):
        build_parser()


def test_status_names_every_kind_of_record_it_counts():
    """A cold try: `status` stopped with KeyError 'achievements' on any data directory holding an
    achievement (the kinds added after the first version had no name here); a record refused with
    the server's version was named by its table code."""
    from commissioner_app import schema
    from commissioner_app.cli.core import KIND_LABELS
    from sync.conflicts import TABLE_LABELS

    assert set(schema.SYNCED_TABLES) <= set(KIND_LABELS)
    assert set(schema.SYNCED_TABLES) <= set(TABLE_LABELS)


def test_demo_ids_sort_in_the_order_the_records_were_made(demo_dir):
    """As the application's own: a visit made after another has an id that sorts after it."""
    import sqlite3
    import uuid

    db = sqlite3.connect(demo_dir / "commissioner.db")
    ids = [r[0] for r in db.execute("SELECT id FROM visits ORDER BY rowid")]
    assert len(ids) == 400 and ids == sorted(ids)
    assert {uuid.UUID(i).version for i in ids} == {7}


def test_status_says_the_last_sync_in_this_computers_time(tmp_path, monkeypatch):
    """As the sync page says it: a date and a time of day here, not the stored ISO text."""
    from commissioner_app.store import Store

    store = Store.open(tmp_path / "data")
    store.set_meta("last_sync_at", "2026-05-01T01:02:03.456+00:00")
    store.close()
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    out = run("--data-dir", str(tmp_path / "data"), "status").stdout
    assert "上次同步：2026-05-01 09:02\n" in out
    english = run("--data-dir", str(tmp_path / "data"), "status", lang="en").stdout
    assert "Last sync: 2026-05-01 09:02\n" in english


def test_a_visit_sheet_is_printed_again_by_the_number_printed_on_it(demo_dir, tmp_path):
    """The sheet says 记录编号 and the command's help 服务记录编号, but only the whole id was taken:
    a person holding the signed sheet could not print it again by its number."""
    import sqlite3
    import subprocess as sp

    from commissioner_app.domain import short_id

    with sqlite3.connect(demo_dir / "commissioner.db") as db:
        first, second = [
            r[0] for r in db.execute("SELECT id FROM visits WHERE deleted = 0 ORDER BY id LIMIT 2")
        ]
    assert short_id(first) != short_id(second)
    sheet = tmp_path / "again.pdf"
    done = run("--data-dir", str(demo_dir), "report", "visit", short_id(second), "--out", str(sheet))
    assert done.returncode == 0, done.stderr
    text = sp.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
    assert f"记录编号：{short_id(second)}" in text
    missing = run(
        "--data-dir", str(demo_dir), "report", "visit", "00000000", "--out", str(tmp_path / "x.pdf")
    )
    assert missing.returncode == 2 and "00000000" in missing.stderr
    # The first eight characters of a whole id (as an export lists it under 记录编号) are the minute
    # the record was made, which other records share: said so, with what to type instead.
    head = run("--data-dir", str(demo_dir), "report", "visit", second[:8], "--out", str(tmp_path / "y.pdf"))
    assert head.returncode == 2 and second[:8] in head.stderr
    assert "最后 8 位" in head.stderr and "完整" in head.stderr, head.stderr


@pytest.mark.parametrize("collecting", [True, False])
def test_a_command_run_inside_another_program_leaves_its_garbage_collector_as_it_was(
    demo_dir, capsys, collecting
):
    """The command modules are imported with the collector off (a faster start): a program that runs
    a command in its own process (the tests, a script) finds the collector on or off as it left it."""
    import gc

    from commissioner_app import cli

    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        assert cli.main(["--data-dir", str(demo_dir), "status", "--json"]) == 0
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert '"visits"' in capsys.readouterr().out


def test_the_command_line_says_its_own_words_in_chinese_too(tmp_path):
    """Help and refusals in Chinese still said argparse's own words in English: `usage:`,
    `options:`, `show this help message and exit`, and `error: argument --limit: 不能为负数`."""
    helped = run("search", "--help")
    assert helped.returncode == 0
    assert (
        helped.stdout.startswith("用法：")
        and "\n选项:" in helped.stdout
        and "显示此帮助信息并退出" in helped.stdout
    )
    assert "最多" in helped.stdout  # --limit says what it limits
    assert "usage:" not in helped.stdout and "show this help message" not in helped.stdout
    top = run("--help")  # (--version's help was argparse's English among the Chinese lines)
    assert "显示程序版本号并退出" in top.stdout and "version number" not in top.stdout
    refused = run("--data-dir", str(tmp_path / "d"), "search", "x", "--limit", "-1")
    assert refused.returncode == 2
    assert "错误：参数 --limit：" in refused.stderr and "error:" not in refused.stderr, refused.stderr
    missing = run("report", "visit")
    assert "缺少以下参数" in missing.stderr and "required" not in missing.stderr, missing.stderr
    # In English, argparse's words as they are.
    english = run("search", "--help", lang="en")
    assert english.stdout.startswith("usage:") and "show this help message and exit" in english.stdout
    assert "show program's version number and exit" in run("--help", lang="en").stdout
