"""What a pull brings besides records (reference data, assessment rules), and driving a sync from a
worker thread: progress with phases and numbers, cancelling between steps, last-sync time."""

from __future__ import annotations

import random
import threading
import uuid
from pathlib import Path

from commissioner_app.domain import Visit
from commissioner_app.reference import reference
from commissioner_app.store import Store
from sync.client import SyncClient
from sync.engine import FTS_BULK_MIN, SyncEngine, SyncProgress
from tests.sync.fieldwork import (
    FAST,
    add_target,
    add_visit,
    commissioner_store,
    connect,
    differences,
    local_records,
)
from tests.sync.harness import PASSWORD, Server

RULES = "[service]\npoints = 60\nvisits_target = 24\n"


def test_reference_data_and_assessment_rules_arrive_with_a_pull(
    shared_server: Server, tmp_path: Path
) -> None:
    bureau = shared_server.add_user(f"bureau{uuid.uuid4().hex[:6]}", role="bureau")
    client = SyncClient(shared_server.url, **FAST)
    client.login(bureau, PASSWORD)
    counties = {
        "version": "2026.1",
        "items": [
            {"code": "350802", "name_zh": "新罗区", "name_en": "Xinluo", "parent_code": "", "sort_order": 0},
            {
                "code": "350881",
                "name_zh": "漳平市",
                "name_en": "Zhangping",
                "parent_code": "",
                "sort_order": 1,
            },
        ],
    }
    answer = client.push(
        {
            "batch_id": str(uuid.uuid4()),
            "device_id": "bureau-pc",
            "client_time": "",
            "changes": [
                {"table": "reference", "id": "county", "base_rev": 0, "deleted": False, "fields": counties},
                {
                    "table": "assessment_rules",
                    "id": "2026",
                    "base_rev": 0,
                    "deleted": False,
                    "fields": {"year": 2026, "toml": RULES},
                },
            ],
        }
    )
    assert {r["status"] for r in answer["results"]} == {"accepted"}, answer

    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"zhou{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "c", cid)
    assert [c.name_zh for c in reference(store, "county")] != ["新罗区", "漳平市"]
    report = connect(store, shared_server.url, name).sync()
    assert "county" in report.reference_kinds and 2026 in report.assessment_years
    assert [(c.code, c.name_zh) for c in reference(store, "county")] == [
        ("350802", "新罗区"),
        ("350881", "漳平市"),
    ]
    assert store.get_meta("reference_version:county") == "2026.1"
    assert store.db.execute("SELECT toml FROM assessment_rules WHERE year = 2026").fetchone()[0] == RULES


def test_a_sync_reports_progress_and_stops_when_cancelled(shared_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"qian{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "c", cid)
    rng = random.Random(8)
    target = add_target(store, rng)
    for i in range(12):
        add_visit(store, rng, target, f"取消{i}", children=False)
    engine = connect(store, shared_server.url, name, batch_size=4)
    cancel = threading.Event()
    seen: list[SyncProgress] = []

    def progress(p: SyncProgress) -> None:
        seen.append(p)
        if p.phase == "push" and p.done >= 4:
            cancel.set()  # as the GUI's cancel button would, from another thread

    report = engine.sync(progress=progress, cancel=cancel)
    assert report.cancelled and 0 < report.pushed < 14
    assert engine.pending_count() == 14 - report.pushed  # the rest waits, nothing half-sent
    assert store.get_meta("last_sync_at") is None
    assert seen[0].phase == "push" and seen[0].total == 14 and seen[0].label.zh == "发送记录"

    seen.clear()
    report = SyncEngine(store, engine.client, batch_size=4).sync(progress=seen.append)
    assert not report.cancelled and engine.pending_count() == 0
    assert [p.phase for p in seen][-1] == "done" and "pull" in {p.phase for p in seen}
    assert store.get_meta("last_sync_at")
    assert differences(local_records(store), shared_server.records(cid)) == []


def fts_rows(store: Store, table: str) -> list[tuple[object, ...]]:
    return store.db.execute(
        f"SELECT x.id, f.* FROM {table} x JOIN {table}_fts f ON f.rowid = x.rowid ORDER BY x.id"
    ).fetchall()


def test_pulled_records_are_found_by_search_as_if_typed_here(shared_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"wu{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(11)
    target = add_target(here, rng)
    visits = [add_visit(here, rng, target, f"柑橘黄龙病{i}号") for i in range(FTS_BULK_MIN + 6)]
    connect(here, shared_server.url, name).sync()
    gone = visits[0].id  # not visit 12, which the search below must still find
    here.delete(Visit, gone)
    connect(here, shared_server.url, name).sync()

    laptop = commissioner_store(tmp_path / "laptop", cid)
    report = connect(laptop, shared_server.url, name).sync()
    assert report.pulled > FTS_BULK_MIN
    # The sync stored the records and listed them for indexing; the first search indexes them.
    assert laptop.fts_pending() >= FTS_BULK_MIN
    hits = laptop.search("黄龙病12号")
    assert [h.kind for h in hits].count("visits") == 1
    assert laptop.fts_pending() == 0
    for table in ("visits", "problems", "solutions", "service_targets"):
        assert fts_rows(laptop, table) == fts_rows(here, table), table
    assert not laptop.db.execute(
        "SELECT 1 FROM visits_fts WHERE rowid = (SELECT rowid FROM visits WHERE id = ?)", [gone]
    ).fetchone()
    # The full-text triggers are back for what is typed afterwards.
    triggers = {r[0] for r in laptop.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"visits_fts_ai", "visits_fts_au", "problems_fts_ai", "problems_fts_au"} <= triggers
    add_visit(laptop, rng, target, "新录入的脐橙记录")
    assert "visits" in [h.kind for h in laptop.search("脐橙记录")]


def test_indexing_after_a_pull_goes_in_chunks_and_stops_when_asked(
    shared_server: Server, tmp_path: Path
) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"wu{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(12)
    target = add_target(here, rng)
    for i in range(FTS_BULK_MIN + 10):
        add_visit(here, rng, target, f"荔枝霜疫霉病{i}号", children=False)
    connect(here, shared_server.url, name).sync()
    laptop = commissioner_store(tmp_path / "laptop", cid)
    connect(laptop, shared_server.url, name).sync()
    waiting = laptop.fts_pending()
    assert waiting >= FTS_BULK_MIN
    asked = iter([False, True])
    assert laptop.index_pending(chunk=10, cancelled=lambda: next(asked)) == 10  # one chunk, then stop
    assert laptop.fts_pending() == waiting - 10
    # The list is in the database: a laptop closed now indexes the rest after it is opened again.
    laptop.close()
    again = Store.open(tmp_path / "laptop")
    assert again.fts_pending() == waiting - 10
    assert again.index_pending(chunk=7) == waiting - 10 and again.fts_pending() == 0
    assert fts_rows(again, "visits") == fts_rows(here, "visits")
    assert again.index_pending() == 0


def test_a_target_renamed_on_another_computer_takes_its_visits_along_in_search(
    shared_server: Server, tmp_path: Path
) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"lu{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    here = commissioner_store(tmp_path / "here", cid)
    rng = random.Random(13)
    orchard = add_target(here, rng)
    first = [add_visit(here, rng, orchard, f"果园{i}", children=False).id for i in range(3)]
    others = [add_target(here, rng) for _ in range(FTS_BULK_MIN)]
    for i, target in enumerate(others):
        add_visit(here, rng, target, f"村{i}", children=False)
    connect(here, shared_server.url, name).sync()
    laptop = commissioner_store(tmp_path / "laptop", cid)
    connect(laptop, shared_server.url, name).sync()

    def found(store: Store, text: str) -> set[str]:
        return {h.id for h in store.search(text, limit=500) if h.kind == "visits"}

    # One target renamed: the pull writes it through the full-text triggers.
    old_name = orchard.name
    orchard.name = "永定区金丰柚子示范园"
    here.save(orchard)
    connect(here, shared_server.url, name).sync()
    connect(laptop, shared_server.url, name).sync()
    assert found(laptop, "金丰柚子") == set(first)
    assert found(laptop, old_name) == set()

    # Many renamed at once: the pull indexes the page of targets in bulk.
    for i, target in enumerate(others):
        target.name = f"漳平水仙茶基地{i:03d}"
        here.save(target)
    connect(here, shared_server.url, name).sync()
    report = connect(laptop, shared_server.url, name).sync()
    assert report.pulled >= FTS_BULK_MIN
    assert len(found(laptop, "水仙茶基地")) == FTS_BULK_MIN
    assert fts_rows(laptop, "visits") == fts_rows(here, "visits")

    # A new computer receives the visits before their (since renamed) targets.
    fresh = commissioner_store(tmp_path / "fresh", cid)
    connect(fresh, shared_server.url, name).sync()
    assert fts_rows(fresh, "visits") == fts_rows(here, "visits")
    assert found(fresh, "金丰柚子") == set(first)


def test_long_texts_travel_in_batches_the_server_accepts(shared_server: Server, tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"he{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "c", cid)
    rng = random.Random(12)
    target = add_target(store, rng)
    for i in range(10):
        visit = add_visit(store, rng, target, f"长记录{i}", children=False)
        visit.content = (
            f"第{i}次：" + "详细记录了田间调查、病害诊断和防治方案。" * 1500
        )  # about 30,000 characters
        store.save_visit(visit)
    # The limit is lowered so that a few records show the splitting the 4-million default does.
    engine = connect(store, shared_server.url, name, batch_chars=100_000)
    pushes = []
    original = engine.client.push
    engine.client.push = lambda request, **kw: (
        pushes.append(len(request["changes"])) or original(request, **kw)
    )  # type: ignore[method-assign]
    report = engine.sync()
    assert report.rejected == 0 and engine.pending_count() == 0
    assert len(pushes) > 1 and sum(pushes) == 12  # visits, target and profile, split by size
    assert differences(local_records(store), shared_server.records(cid)) == []
