"""The review queue with 1,000 pending records opens in under 1 s (issue 6's budget).

    python benchmarks/review_bench.py [--visits 50000] [--pending 1000] [--runs 5]

Makes a demo store (cached in /tmp/commissioner-bench), picks the largest team, marks all its visits
approved except the newest `--pending`, which wait for review (a tenth of them were approved before
and edited since), and logs a member of the team in as its manager. Prints:
- review_queue() alone (the query on the worker);
- the review view opened: created, queue loaded and shown, the first visit's details shown;
- approving 100 selected records at once (saved locally, queue reloaded).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commissioner_app.demo import generate_demo  # noqa: E402
from commissioner_app.domain import now_iso  # noqa: E402
from commissioner_app.store import Store  # noqa: E402

CACHE = Path("/tmp/commissioner-bench")


def make_store(visits: int, pending: int, work: Path) -> tuple[Store, str]:
    source = CACHE / f"review-{visits}"
    if not (source / "commissioner.db").exists():
        print(f"making {visits:,} demo visits in {source} (once)…", flush=True)
        store = Store.open(source)
        generate_demo(store, visits=visits, seed=3)
        store.close()
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work)
    store = Store.open(work)
    team, members = store.db.execute(
        "SELECT c.team_id, count(*) FROM visits v JOIN commissioners c ON c.id = v.commissioner_id "
        "GROUP BY c.team_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    manager = store.db.execute(
        "SELECT id, name FROM commissioners WHERE team_id = ? ORDER BY name LIMIT 1", [team]
    ).fetchone()
    with store.atomic():
        store.db.execute(
            "UPDATE visits SET review_status = 'approved' WHERE commissioner_id IN "
            "(SELECT id FROM commissioners WHERE team_id = ?) AND is_draft = 0",
            [team],
        )
        ids = [
            r[0]
            for r in store.db.execute(
                "SELECT v.id FROM visits v JOIN commissioners c ON c.id = v.commissioner_id WHERE "
                "c.team_id = ? AND v.is_draft = 0 AND v.deleted = 0 AND c.id != ? ORDER BY v.visit_date "
                "DESC LIMIT ?",
                [team, manager[0], pending],
            ).fetchall()
        ]
        store.db.execute(
            f"UPDATE visits SET review_status = 'pending' WHERE id IN ({','.join('?' * len(ids))})", ids
        )
        # A tenth were approved before and edited since: they carry an approval Review.
        for vid in ids[::10]:
            store.db.execute(
                "INSERT INTO reviews (id, record_table, record_id, record_rev, decision, opinion, "
                "reviewer_id, reviewer_name, reviewed_at, rev, server_seq, dirty, base_rev, deleted, "
                "is_draft, has_conflict, sync_error, created_at, updated_at, updated_by) VALUES (?, "
                "'visits', ?, 1, 'approved', '', ?, ?, '2020-01-01T00:00:00.000+00:00', 1, 0, 0, 1, 0, 0, "
                "0, '', ?, ?, '')",
                [str(uuid.uuid4()), vid, manager[0], manager[1], now_iso(), now_iso()],
            )
        store.set_meta(
            "sync_user",
            json.dumps(
                {
                    "role": "manager",
                    "commissioner_id": manager[0],
                    "team_id": team,
                    "username": "manager",
                    "display_name": manager[1],
                }
            ),
        )
    print(f"team {team[:8]}: {members:,} visits; {len(ids):,} pending; reviewer {manager[1]}")
    return store, manager[0]


def median_ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, "
        f"max {max(samples) * 1000:.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--pending", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import shiboken6
    from PySide6.QtWidgets import QApplication

    from commissioner_app.review import review_queue
    from ui.context import AppContext
    from ui.fonts import register_bundled_font
    from ui.roles import reviewer
    from ui.views.review import ReviewView

    app = QApplication(sys.argv[:1])
    register_bundled_font(app)
    store, _manager_id = make_store(args.visits, args.pending, CACHE / "review-work")
    context = AppContext(store, language="zh_CN")
    who = reviewer(context)
    assert who is not None

    core = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        rows = review_queue(store, who)
        core.append(time.perf_counter() - t0)
    print(f"review_queue() with {len(rows):,} pending: {median_ms(core)}")

    opened = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        view = ReviewView(context)
        view.resize(1366, 720)
        view.show()
        view.load()
        while not (view.has_loaded and view.details):
            app.processEvents()
            time.sleep(0.0005)
        app.processEvents()
        opened.append(time.perf_counter() - t0)
        assert len(view.model.rows) == args.pending, len(view.model.rows)
        context.tasks.wait_idle()
        shiboken6.delete(view)  # gone for good: a closed view would still reload on every change
        app.processEvents()
    print(
        f"review view opened (queue of {args.pending:,} shown, first visit's details shown): "
        f"{median_ms(opened)} — budget 1 s"
    )

    view = ReviewView(context)
    view.show()
    view.load()
    context.tasks.wait_idle()
    ids = [r["id"] for r in view.model.rows[:100]]
    view.select_ids(ids)
    t0 = time.perf_counter()
    view.approve_selected()
    context.tasks.wait_idle()
    while len(view.model.rows) != args.pending - 100:
        app.processEvents()
        context.tasks.wait_idle()
    print(f"approve 100 selected at once (saved, queue reloaded): {(time.perf_counter() - t0) * 1000:.0f} ms")
    shiboken6.delete(view)
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
