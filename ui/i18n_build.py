"""Compile every ui/translations/*.ts into a .qm beside it (pyside6-lrelease).

Run by `dev.py` during set-up and, when a .qm is missing or older than its .ts, by `ui.i18n`
at start. The .qm files are build products and are not kept in git.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("commissioner.ui.i18n")

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def lrelease_command() -> list[str] | None:
    """pyside6-lrelease beside the running Python (a venv), else on PATH."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (here / name).exists():
            return [str(here / name)]
    found = shutil.which("pyside6-lrelease")
    return [found] if found else None


def stale(ts: Path) -> bool:
    qm = ts.with_suffix(".qm")
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def build(only_stale: bool = False, folder: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile the .ts files (all, or only those whose .qm is missing or old); returns the .qm paths."""
    command = lrelease_command()
    built = []
    for ts in sorted(folder.glob("*.ts")):
        if only_stale and not stale(ts):
            continue
        if command is None:
            log.error("pyside6-lrelease not found; cannot build %s", ts.name)
            continue
        qm = ts.with_suffix(".qm")
        result = subprocess.run([*command, str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if result.returncode != 0:
            log.error("lrelease failed for %s: %s", ts.name, result.stderr.strip())
            continue
        built.append(qm)
    return built


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    built = build()
    for qm in built:
        log.info("built %s", qm.relative_to(TRANSLATIONS_DIR.parent.parent))
    return 0 if built or not list(TRANSLATIONS_DIR.glob("*.ts")) else 1


if __name__ == "__main__":
    sys.exit(main())
