"""The installer carries the compiled translation catalog (the application only loads it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QM = REPO / "ui" / "translations" / "app_en.qm"


def test_the_spec_bundles_the_compiled_catalog():
    assert QM.exists(), "ui/translations/app_en.qm is missing: python3 dev.py setup (or test) compiles it"
    namespace: dict[str, object] = {"ROOT": REPO}
    spec = (REPO / "build_installer.spec").read_text(encoding="utf-8")
    for line in spec.splitlines():
        if line.startswith(("datas =", "datas +=")):
            exec(line, namespace)  # the spec's own lines, without PyInstaller
    assert (str(QM), "ui/translations") in namespace["datas"]  # type: ignore[operator]


def test_the_installer_build_compiles_the_catalog_first():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'scripts'); import build_installer as b; b.build_translations()",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert QM.exists() and QM.stat().st_mtime >= (REPO / "ui" / "translations" / "app_en.ts").stat().st_mtime
