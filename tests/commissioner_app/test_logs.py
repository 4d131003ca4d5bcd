"""The log file support asks for: in the data directory, rotating, never in the way."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commissioner_app import logs

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_logging():
    root = logging.getLogger()
    level = root.level
    yield
    logs.stop_logging()
    root.setLevel(level)


def test_records_go_to_the_data_directory(tmp_path: Path):
    path = logs.configure_logging(tmp_path)
    assert path == tmp_path / "logs" / "commissioner.log"
    logging.getLogger("commissioner.sync").info("pushed %d changes", 7)
    logs.stop_logging()
    text = path.read_text(encoding="utf-8")
    assert "commissioner.sync" in text and "pushed 7 changes" in text
    assert "Field Commissioner" in text  # the version line support needs first


def test_the_file_rotates_and_keeps_three_old_parts(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.configure_logging(tmp_path)
    assert path is not None
    for i in range(400):
        logging.getLogger("commissioner.test").info("line %d %s", i, "服务记录" * 10)
    logs.stop_logging()
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["commissioner.log", "commissioner.log.1", "commissioner.log.2", "commissioner.log.3"]
    assert all(p.stat().st_size <= 2000 + 400 for p in path.parent.iterdir())
    assert "line 399" in path.read_text(encoding="utf-8")


def test_configuring_twice_writes_each_record_once(tmp_path: Path):
    logs.configure_logging(tmp_path)
    logs.configure_logging(tmp_path)
    logging.getLogger("commissioner.test").warning("only once")
    logs.stop_logging()
    assert (tmp_path / "logs" / "commissioner.log").read_text(encoding="utf-8").count("only once") == 1


def test_an_unwritable_log_folder_does_not_stop_the_application(tmp_path: Path, capsys):
    (tmp_path / "logs").write_text("a file where the folder should be")
    assert logs.configure_logging(tmp_path) is None
    from commissioner_app import i18n

    assert "无法写入日志文件" in capsys.readouterr().err  # said in the user's language
    before = i18n.language()
    i18n.set_language("en")
    try:
        assert logs.configure_logging(tmp_path) is None
        assert "Cannot write the log file" in capsys.readouterr().err
    finally:
        i18n.set_language(before)
    assert logs.current_log_path() is None


def test_the_command_line_logs_into_its_data_directory(tmp_path: Path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "commissioner_app",
            "--data-dir",
            str(tmp_path),
            "restore",
            str(tmp_path / "x.zip"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode == 2
    assert "INFO" not in done.stderr  # the terminal shows only the message, the file has the detail
    text = (tmp_path / "logs" / "commissioner.log").read_text(encoding="utf-8")
    assert "command restore" in text and "does not exist" in text
