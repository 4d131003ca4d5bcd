"""The sync page's waiting count keeps every line at 150 % in English: a cold try saw "0 records / 2
more are held back by a conflict or a rejection and need you first" cut at its top and bottom (the
page squeezed the cards to give the table of refused records the rows it wished for), and "1
records" read wrong.

Run in a process of its own: the scale factor is set before Qt starts, as on a field laptop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, random, sys
from pathlib import Path
folder = Path(sys.argv[1])
from ui.app import screenshot_platform
import os
os.environ["QT_QPA_PLATFORM"] = screenshot_platform(folder)
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QApplication
from tests.sync.fieldwork import add_target, add_visit, commissioner_store
from ui import screen_fit
from ui.app import create_main_window, open_context
from ui.fonts import register_bundled_font

store = commissioner_store(folder / "data", "0190aaaa-0000-7000-8000-000000000001")
rng = random.Random(3)
place = add_target(store, rng)
for _ in range(2):  # held back: refused by the server at an earlier sync
    held = add_visit(store, rng, place, "柑橘园修剪指导", children=False)
    refused = '{"zh": "拒绝", "en": "refused"}'
    store.db.execute("UPDATE visits SET sync_error = ? WHERE id = ?", [refused, held.id])
store.db.execute("UPDATE visits SET dirty = 0 WHERE sync_error IS NULL")
store.db.execute("UPDATE service_targets SET dirty = 0")
store.close()
app = QApplication([])
register_bundled_font(app)
context = open_context(folder / "data", "en")
window = create_main_window(context)
window.resize(screen_fit.client_area(window) - QSize(0, 40))
window.show()
for _ in range(20):
    context.tasks.wait_idle()
    QCoreApplication.processEvents()
page = window.show_view("sync")
page.load(force=True)
for _ in range(20):
    context.tasks.wait_idle()
    QCoreApplication.processEvents()
total = page.total
print(json.dumps({"text": total.text(), "width": total.width(), "height": total.height(),
                  "needed": total.heightForWidth(total.width()), "one_line": total.fontMetrics().height()}))
context.close()
"""


@pytest.mark.slow
def test_the_waiting_count_keeps_all_its_lines_at_150_percent(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_SCALE_FACTOR": "1.5", "COMMISSIONER_LANG": "en"}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Held back" in shown["text"]
    assert "1 records" not in shown["text"]  # said without plurals: "1 (Profile 1)", not "1 records"
    assert shown["needed"] >= 3 * shown["one_line"]  # it wraps to three lines here
    assert shown["height"] >= shown["needed"], shown
