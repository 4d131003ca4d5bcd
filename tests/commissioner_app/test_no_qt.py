import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_core_loads_no_qt():
    """Import every core module in a clean interpreter: no Qt module may get loaded."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import commissioner_app\n"
        "for m in pkgutil.walk_packages(commissioner_app.__path__, 'commissioner_app.'):\n"
        "    if m.name != 'commissioner_app.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(len([n for n in sys.modules if n.startswith('commissioner_app')]), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) >= 10
    assert loaded.strip() == "[]"
