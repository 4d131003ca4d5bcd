#!/usr/bin/env python3
"""Build the one-folder application for this platform, and optionally check the build.

    python3 scripts/build_installer.py            # -> dist/FieldCommissioner/ (and .app on macOS)
    python3 scripts/build_installer.py --check    # build, then run the built binaries:
                                                  #   commissioner-app --self-test (offscreen)
                                                  #   commissioner backup / restore round trip
    python3 scripts/build_installer.py --check-only   # check an existing build

Needs PyInstaller (`pip install -e ".[dist]"`). Works the same on Windows, macOS and Linux; each
system builds for itself (PyInstaller does not cross-compile).
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build_installer.spec"
APP_NAME = "FieldCommissioner"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
CHECK_TIMEOUT = 180

log = logging.getLogger("commissioner.build")


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build_translations() -> None:
    """The .qm files are build products; the bundle must carry them."""
    subprocess.run([sys.executable, str(ROOT / "ui" / "i18n_build.py")], cwd=ROOT, check=True)
    sources = sorted((ROOT / "ui" / "translations").glob("*.ts"))
    if not sources:
        raise SystemExit("no translation catalog in ui/translations")
    missing = [ts.name for ts in sources if not ts.with_suffix(".qm").exists()]
    if missing:
        raise SystemExit(f"translations not compiled: {', '.join(missing)} (is pyside6-lrelease installed?)")


def build(dist: Path, work: Path) -> float:
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit('PyInstaller is not installed; run: pip install -e ".[dist]"')
    build_translations()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def run_built(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    log.info("$ %s", " ".join(command))
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=CHECK_TIMEOUT)
    for line in (done.stdout + done.stderr).splitlines():
        log.info("  %s", line)
    return done


def check(dist: Path) -> list[str]:
    """Run the built binaries the way a user's machine would; returns what failed."""
    folder = dist / APP_NAME
    gui = folder / f"commissioner-app{EXE_SUFFIX}"
    cli = folder / f"commissioner{EXE_SUFFIX}"
    failures = [f"missing {p}" for p in (gui, cli) if not p.exists()]
    if failures:
        return failures
    # No developer paths: the build must find everything inside its own folder.
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "COMMISSIONER_RESOURCES")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="commissioner-dist-check-") as tmp:
        env["HOME"] = env["USERPROFILE"] = tmp  # the user data directory must not be the real one
        env["COMMISSIONER_DATA_DIR"] = str(Path(tmp) / "data")
        done = run_built([str(gui), "--self-test"], env)
        if done.returncode != 0 or (os.name != "nt" and "self-test passed" not in done.stdout):
            failures.append(f"commissioner-app --self-test exited {done.returncode}")
        data, copy, archive = Path(tmp) / "data", Path(tmp) / "copy", Path(tmp) / "backup.zip"
        steps = [
            [str(cli), "--data-dir", str(data), "demo", "--visits", "50"],
            [str(cli), "--data-dir", str(data), "backup", "--out", str(archive)],
            [str(cli), "--data-dir", str(copy), "restore", str(archive)],
            [str(cli), "--data-dir", str(copy), "check"],
        ]
        for step in steps:
            done = run_built(step, env)
            if done.returncode != 0:
                failures.append(f"{' '.join(step[1:])} exited {done.returncode}")
                break
        if not (data / "logs" / "commissioner.log").exists():
            failures.append("the built command line wrote no log file")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder (default: build/pyinstaller/)",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="build, then run the built binaries")
    what.add_argument("--check-only", action="store_true", help="only run the binaries of an existing build")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[build] %(message)s")

    if not args.check_only:
        seconds = build(args.dist, args.work)
        folder = args.dist / APP_NAME
        log.info("built %s in %.0f s: %.0f MB", folder, seconds, folder_size(folder) / 1e6)
        shutil.rmtree(args.work, ignore_errors=True)
    if args.check or args.check_only:
        started = time.perf_counter()
        failures = check(args.dist)
        if failures:
            for failure in failures:
                log.error("FAILED: %s", failure)
            return 1
        log.info("dist check passed in %.0f s", time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
