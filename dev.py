#!/usr/bin/env python3
"""Set up the project in .venv and run the application or the tests.

    python3 dev.py run     # set up, then start the application (demo data on first start)
    python3 dev.py test    # set up, then lint, type-check and run the tests
    python3 dev.py lupdate # bring the GUI's translation catalog (ui/translations/app_en.ts) up to
                           # date with the code; then translate the new strings in Qt Linguist

Needs only Python 3.11+. On Debian/Ubuntu it installs, when run as root, the few system libraries
Qt needs (or says which to install).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"

# Libraries the Qt wheels load on Linux, and the Debian packages that bring them; poppler-utils
# gives pdftotext/pdffonts for the document tests; nginx-light and openssl for the test of the
# production route over TLS (tests/deploy), the nginx that deploy/nginx/commissioner.conf is for.
DEBIAN_PACKAGES = [
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
    "poppler-utils",
    "zbar-tools",  # reads the visit sheet's QR code back in the document tests
    "chromium",  # shows the served party's confirmation page to the browser tests (Playwright)
    "nginx-light",
    "openssl",
]


def say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def ensure_system_packages() -> None:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return
    missing = [
        p
        for p in DEBIAN_PACKAGES
        if subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
        ).stdout.find("install ok installed")
        < 0
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing system packages: " + " ".join(missing))
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    else:
        say(
            "these system packages are missing; install them with:\n"
            f"    sudo apt-get install -y {' '.join(missing)}"
        )


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        say(f"creating {VENV}")
        try:
            venv.create(VENV, with_pip=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(
                f"[dev] cannot create a virtual environment ({exc}). On Debian/Ubuntu: "
                "sudo apt-get install -y python3-venv"
            )
    say("installing the application and its test tools (first time takes a few minutes)")
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-e", ".[server,test,dist]"], cwd=ROOT, check=True)
    STAMP.write_text(wanted)


def build_translations() -> None:
    """Compile the translation catalog (.ts) into the .qm the application loads."""
    subprocess.run([str(PY), str(ROOT / "ui" / "i18n_build.py")], cwd=ROOT, check=True)


def update_catalog() -> int:
    """`pyside6-lupdate` over every .py under ui/, into ui/translations/app_en.ts (see ui/i18n_build.py)."""
    return subprocess.call([str(PY), str(ROOT / "ui" / "i18n_build.py"), "update"], cwd=ROOT)


def run(args: list[str]) -> int:
    command = [str(BIN / "commissioner-app"), *args]
    if not args:
        command.append("--demo")
    return subprocess.call(command, cwd=ROOT)


def test(args: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    steps = [
        [str(PY), "-m", "ruff", "check", "commissioner_app", "ui", "sync", "tests", "benchmarks", "dev.py"],
        [str(PY), "-m", "ruff", "format", "--check", "."],
        [str(PY), "-m", "mypy"],
    ]
    for step in steps:
        say(" ".join(Path(step[0]).name if i == 0 else s for i, s in enumerate(step)))
        code = subprocess.call(step, cwd=ROOT, env=env)
        if code != 0:
            return code
    if args:
        say("pytest " + " ".join(args))
        return subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
    return test_in_parts(env)


# Seconds: the sync tests, one part then, took 7-9 minutes on this machine at its usual speed and
# 16-18 in a slow spell (2026-12-07, its CPU reference at twice its usual time); the longest part
# now, the server's tests, took 14 minutes in that spell, three parts at a time.
PART_TIMEOUT = 1500
PART_TIMEOUT_GUI = 300


def _label(part: list[str]) -> str:
    """A part as its output names it: a long list of files by its first and last."""
    return " ".join(part) if len(part) <= 3 else f"{part[0]} … {part[-1]} ({len(part)} files)"


def test_in_parts(env: dict[str, str]) -> int:
    """The whole suite: the GUI test modules each in a process of their own, several at a time.

    A long run of every GUI test in one process crashed (SIGSEGV) now and then inside PySide6 6.12;
    one module alone does too, rarely (seen about once in 30 runs of a module beside another): a GUI
    module that crashes or hangs runs once more, and the closing lines name it. The server's tests,
    the other sync tests and the other core tests are a process each. The parts
    run on one lane more than the machine has cores (at most TEST_LANES, default 3), each with its own
    temporary directory; a part's output is printed whole when it ends, and the counts of all parts
    are added up in the closing line."""
    gui = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "ui").glob("test_*.py"))
    # The longest parts first (the fuzzing of the server runs for FUZZ_SECONDS on each database),
    # so that the lanes end together. The sync tests are two parts, the server's and the rest (as
    # one they took 16-18 minutes in a slow spell: a lane of their own that outlasted all the rest).
    fuzz = "tests/sync/test_server_schemathesis.py"
    sync_tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "sync").glob("test_*.py"))
    server_tests = [t for t in sync_tests if Path(t).name.startswith("test_server_") and t != fuzz]
    parts = [
        server_tests,
        [t for t in sync_tests if t not in server_tests and t != fuzz],
        ["tests", "--ignore=tests/ui", "--ignore=tests/sync"],
        [fuzz],
        *[[module] for module in gui],
    ]
    # One lane more than the machine has cores (at most 3 unless TEST_LANES says): the parts wait
    # on the servers, clients and databases they start (two lanes kept 1.6 of the 2 cores busy).
    cores = os.cpu_count() or 1
    lanes = max(1, min(int(os.environ.get("TEST_LANES", "3")), cores + 1))
    totals: dict[str, int] = {}
    failed_parts: list[str] = []
    retried: list[str] = []
    lock = threading.Lock()
    queue = list(parts)
    scratch = Path(tempfile.mkdtemp(prefix="commissioner-tests-"))

    def run_part(index: int, part: list[str], attempt: int = 1) -> None:
        started = time.monotonic()
        basetemp = scratch / f"part{index}-{attempt}"
        # A part that hangs is stopped and counted as failed (faulthandler prints where it hung)
        # rather than holding the whole run: a GUI module takes seconds, the core parts minutes.
        limit = PART_TIMEOUT_GUI if part[0].startswith("tests/ui/") else PART_TIMEOUT
        command = [
            str(PY),
            "-m",
            "pytest",
            f"--basetemp={basetemp}",
            "-o",
            f"faulthandler_timeout={limit - 30}",
        ]
        try:
            process = subprocess.run(
                [*command, *part],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=limit,
            )
        except subprocess.TimeoutExpired as hung:
            output = (
                hung.stdout if isinstance(hung.stdout, str) else (hung.stdout or b"").decode(errors="replace")
            )
            process = subprocess.CompletedProcess(hung.cmd, -9, output + f"\nstopped after {limit} s\n")
        lines = [line for line in process.stdout.splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        if process.returncode < 0 and limit == PART_TIMEOUT_GUI and attempt == 1:
            # A GUI module that crashed inside Qt or hung (PySide6 6.12 does now and then, in a test
            # run, never reproducibly) runs once more; both runs are printed and the part is named
            # at the end. An assertion that fails is never run again.
            with lock:
                say(f"pytest {_label(part)} crashed or hung ({process.returncode}); once more")
                print(process.stdout, end="", flush=True)
                retried.append(_label(part))
            run_part(index, part, attempt=2)
            return
        with lock:
            say(f"pytest {_label(part)} ({time.monotonic() - started:.0f} s)")
            print(process.stdout, end="", flush=True)
            for count, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)", last):
                key = "failed" if word.startswith("error") else word
                totals[key] = totals.get(key, 0) + int(count)
            if process.returncode != 0:
                failed_parts.append(_label(part))
                if process.returncode < 0 or not re.search(r"\d+ (passed|failed)", last):
                    totals["failed"] = totals.get("failed", 0) + 1  # a part that crashed counts as failed

    def lane() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index = len(parts) - len(queue)
                part = queue.pop(0)
            run_part(index, part)

    threads = [threading.Thread(target=lane) for _ in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shutil.rmtree(scratch, ignore_errors=True)
    passed, failed, skipped = (totals.get(k, 0) for k in ("passed", "failed", "skipped"))
    for part in retried:
        print(f"crashed or hung, then run once more: {part}", flush=True)
    for part in failed_parts:
        print(f"failed part: {part}", flush=True)
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed_parts else 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "setup", "lupdate"):
        print(__doc__)
        return 2
    ensure_system_packages()
    ensure_venv()
    if sys.argv[1] == "lupdate":
        code = update_catalog()
        if code != 0:
            return code
    build_translations()
    if sys.argv[1] == "run":
        return run(sys.argv[2:])
    if sys.argv[1] == "test":
        return test(sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
