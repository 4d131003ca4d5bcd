"""The GUI while a sync runs: the window stays responsive and the store worker keeps serving.

    QT_QPA_PLATFORM=offscreen python benchmarks/sync_gui_bench.py [--visits 3000]

A real server on loopback; a commissioner's data directory with N visits (with their problems
and solutions) waiting. The sync page's controller syncs them on its network thread while:
- a 5 ms timer on the GUI thread measures the longest gap between its ticks (a frozen window
  shows as a long gap);
- an operation is submitted to the store worker every 50 ms (a save's or a search's path) and
  its round trip measured: the sync must not hold the worker up.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=3000)
    args = parser.parse_args()

    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])

    from commissioner_app.store import Store
    from sync import session
    from tests.sync.fieldwork import FAST, add_target, add_visit, commissioner_store
    from tests.sync.harness import PASSWORD, running_server
    from tests.ui.sync_gui_support import add_user
    from ui.context import AppContext
    from ui.sync_control import sync_controller
    from ui.tasks import Operation

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_server(f"sqlite:///{tmp / 'server.db'}", tmp) as server:
            cid = str(uuid.uuid4())
            add_user(server, "bench", cid)
            store = commissioner_store(tmp / "field", cid)
            rng = random.Random(5)
            targets = [add_target(store, rng) for _ in range(50)]
            with store.atomic():
                for i in range(args.visits):
                    add_visit(store, rng, targets[i % len(targets)], f"第{i}次")
            waiting = store.waiting_to_sync()
            session.login(store, server.url, "bench", PASSWORD, use_file=True, **FAST)
            store.close()

            context = AppContext(Store.open(tmp / "field"), language="zh_CN")
            controller = sync_controller(context)
            controller.client_options = {"read_timeout": 120.0}
            deadline = time.monotonic() + 10
            while not controller.account.logged_in and time.monotonic() < deadline:
                QCoreApplication.processEvents()
                time.sleep(0.01)

            gaps: list[float] = []
            last = [time.perf_counter()]

            def tick() -> None:
                now = time.perf_counter()
                gaps.append(now - last[0])
                last[0] = now

            worker_ms: list[float] = []

            def submit() -> None:
                sent = time.perf_counter()
                Operation(
                    None,
                    lambda s: s.count_visits(),
                    lambda _n: worker_ms.append((time.perf_counter() - sent) * 1000),
                    runner=context.tasks,
                ).run_in_background()

            ticker, submitter = QTimer(), QTimer()
            ticker.setInterval(5)
            ticker.timeout.connect(tick)
            submitter.setInterval(50)
            submitter.timeout.connect(submit)
            outcome: dict[str, object] = {}
            controller.sync_finished.connect(lambda result, error: outcome.update(result=result, error=error))
            ticker.start()
            submitter.start()
            started = time.perf_counter()
            controller.start_sync()
            while not outcome:
                app.processEvents()
                time.sleep(0.001)
            seconds = time.perf_counter() - started
            ticker.stop()
            submitter.stop()
            context.close()

    result = outcome.get("result") or {}
    print(f"records waiting: {waiting:,} ({args.visits:,} visits with problems and solutions)")
    print(
        f"sync in the GUI: {seconds:.2f} s, sent {result.get('pushed', 0):,}, error: {outcome.get('error')}"
    )
    print(
        f"GUI thread: longest gap between 5 ms ticks {max(gaps) * 1000:.1f} ms, "
        f"median {statistics.median(gaps) * 1000:.1f} ms ({len(gaps):,} ticks)"
    )
    if worker_ms:
        ordered = sorted(worker_ms)
        print(
            f"store worker during the sync: {len(worker_ms)} operations, "
            f"median {statistics.median(ordered):.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} "
            f"ms, worst {ordered[-1]:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
