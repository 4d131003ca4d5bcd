"""`commissioner-app` start-up: screenshots, and a store that cannot be opened."""

import os
import subprocess
import sys
import threading
from pathlib import Path

from PIL import Image

from commissioner_app.paths import DB_FILENAME

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, timeout: int = 120, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "ui.app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def test_screenshot_writes_a_png_of_the_named_view(tmp_path):
    shot = tmp_path / "visits.png"
    result = run_app("--data-dir", str(tmp_path / "data"), "--screenshot", str(shot), "--view", "visits")
    assert result.returncode == 0, result.stderr
    with Image.open(shot) as image:
        # The window maximised on a 1366×768 screen, less a 40-pixel taskbar and the title bar.
        assert image.size == (1366, 768 - 40 - 32)
        low, high = image.convert("L").getextrema()
        assert high - low > 100  # something was drawn


def test_at_150_percent_the_window_is_the_laptops_screen_less_taskbar_and_title_bar(tmp_path):
    """Qt's own scaling: a 1366×768 screen at QT_SCALE_FACTOR=1.5 is 911×512 logical pixels; the
    window the application maximises there (less a 40-pixel taskbar and the title bar) is drawn in
    1.5 device pixels per logical one."""
    shot = tmp_path / "visits.png"
    result = run_app(
        "--data-dir",
        str(tmp_path / "data"),
        "--screenshot",
        str(shot),
        "--view",
        "visits",
        QT_SCALE_FACTOR="1.5",
    )
    assert result.returncode == 0, result.stderr
    with Image.open(shot) as image:
        width, height = image.size
    assert abs(width - 1366) <= 1
    assert abs(height - (512 - 40 - 32) * 1.5) <= 2


def test_unknown_view_is_named_with_the_choices(tmp_path):
    result = run_app(
        "--data-dir", str(tmp_path / "data"), "--screenshot", str(tmp_path / "x.png"), "--view", "nonsense"
    )
    assert result.returncode == 2
    assert "visits" in result.stderr and "Traceback" not in result.stderr


def test_a_damaged_database_is_reported_without_a_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILENAME).write_bytes(b"this is not a database" * 200)
    result = run_app("--data-dir", str(data), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "已损坏" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / DB_FILENAME).read_bytes().startswith(b"this is not a database")


def test_store_error_at_start_shows_a_message_in_the_users_language(tmp_path, monkeypatch, qapp):
    import ui.app

    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILENAME).write_bytes(b"this is not a database" * 200)
    shown = []
    monkeypatch.setattr(ui.app, "show_fatal", lambda message, language: shown.append(message.text(language)))
    # main() installs the crash handler's hooks; the other tests keep pytest's.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    assert ui.app.main(["--data-dir", str(data), "--lang", "en"]) == 1
    assert "damaged" in shown[0] and str(data) in shown[0]
    shown.clear()
    assert ui.app.main(["--data-dir", str(data)]) == 1
    assert "已损坏" in shown[0]
