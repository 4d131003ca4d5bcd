"""`--self-test` checks what an installed copy needs and says which part failed."""

from __future__ import annotations

from pathlib import Path

from ui import i18n_build, self_test
from ui.self_test import run_self_test

CHECKS = ["resources", "qt", "font", "translations", "store", "write and read", "main window", "pdf"]


def test_every_check_passes_here(qapp, tmp_path: Path):
    i18n_build.build(only_stale=True)  # the .qm files are build products (dev.py makes them)
    lines: list[str] = []
    assert run_self_test(tmp_path / "scratch", out=lines.append) == 0
    for name in CHECKS:
        assert any(line.startswith(f"ok   {name}:") for line in lines), (name, lines)
    assert lines[-1] == "self-test passed"
    assert (tmp_path / "scratch" / "self-test.pdf").read_bytes().startswith(b"%PDF")


def test_a_broken_part_fails_with_its_name(qapp, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(self_test, "font_path", lambda: tmp_path / "missing.ttf")
    lines: list[str] = []
    assert run_self_test(tmp_path / "scratch", out=lines.append) == 1
    assert any(line.startswith("FAIL resources:") and "missing.ttf" in line for line in lines)
    assert lines[-1].startswith("self-test FAILED: resources")
    assert any(line.startswith("ok   store:") for line in lines)  # the other checks still ran


def test_it_never_uses_a_data_directory_with_data(qapp, tmp_path: Path):
    (tmp_path / "commissioner.db").write_bytes(b"a user's records")
    lines: list[str] = []
    assert run_self_test(tmp_path, out=lines.append) == 1
    assert "not empty" in lines[0]
    assert (tmp_path / "commissioner.db").read_bytes() == b"a user's records"


def test_without_a_data_directory_nothing_is_left_behind(qapp, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(self_test.tempfile, "tempdir", str(tmp_path))
    assert run_self_test(out=lambda line: None) == 0
    assert list(tmp_path.iterdir()) == []
