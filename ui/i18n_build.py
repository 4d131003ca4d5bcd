"""The GUI's translation catalog: extract the strings (lupdate) and compile them (lrelease).

    python3 dev.py lupdate      # ui/**/*.py -> ui/translations/app_en.ts (new strings, dropped ones)
    python3 dev.py setup        # (and run, test) compile app_en.ts -> app_en.qm

The catalog `ui/translations/app_en.ts` holds every GUI string: Chinese source, English
translation, edited in Qt Linguist (`pyside6-linguist ui/translations/app_en.ts`). It is made by
`pyside6-lupdate` scanning the `ui` folder for `.py` files (no list to keep up to date), without
source locations so that a change of code lines does not change the catalog. The compiled `.qm`
is a build product (not in git), made here by `dev.py` and by the installer build; the application
only loads it (`ui.i18n`).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("commissioner.ui.i18n")

UI_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = UI_DIR / "translations"
CATALOG = TRANSLATIONS_DIR / "app_en.ts"


def tool_command(name: str) -> list[str] | None:
    """A PySide6 tool (pyside6-lupdate, pyside6-lrelease) beside the running Python (a venv), else on PATH."""
    here = Path(sys.executable).parent
    for candidate in (name, name + ".exe"):
        if (here / candidate).exists():
            return [str(here / candidate)]
    found = shutil.which(name)
    return [found] if found else None


def lrelease_command() -> list[str] | None:
    return tool_command("pyside6-lrelease")


def lupdate_arguments(catalog: Path = CATALOG, sources: Path = UI_DIR) -> list[str]:
    """The one way the catalog is made: every .py under `sources`, strings no longer in the code dropped."""
    return [
        "-extensions",
        "py",
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "zh_CN",
        "-target-language",
        "en",
        "-silent",
        str(sources),
        "-ts",
        str(catalog),
    ]


def update(catalog: Path = CATALOG) -> None:
    """Bring the catalog up to date with the code (new strings come in unfinished)."""
    command = tool_command("pyside6-lupdate")
    if command is None:
        raise SystemExit("pyside6-lupdate not found (it comes with PySide6-Essentials)")
    subprocess.run([*command, *lupdate_arguments(catalog)], check=True)


def stale(ts: Path) -> bool:
    qm = ts.with_suffix(".qm")
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def build(only_stale: bool = False, folder: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile the .ts files (all, or only those whose .qm is missing or old); returns the .qm paths."""
    command = lrelease_command()
    built = []
    for orphan in folder.glob("*.qm"):
        if not orphan.with_suffix(".ts").exists():
            orphan.unlink()  # a catalog that no longer exists must not be shipped
    for ts in sorted(folder.glob("*.ts")):
        if only_stale and not stale(ts):
            continue
        if command is None:
            log.error("pyside6-lrelease not found; cannot build %s", ts.name)
            continue
        qm = ts.with_suffix(".qm")
        result = subprocess.run(
            [*command, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True
        )
        if result.returncode != 0:
            log.error("lrelease failed for %s: %s", ts.name, result.stderr.strip())
            continue
        built.append(qm)
    return built


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if argv[:1] == ["update"]:
        update()
        log.info("updated %s", CATALOG.relative_to(UI_DIR.parent))
        return 0
    built = build()
    for qm in built:
        log.info("built %s", qm.relative_to(UI_DIR.parent))
    return 0 if built or not list(TRANSLATIONS_DIR.glob("*.ts")) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
