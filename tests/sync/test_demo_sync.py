"""`commissioner demo` followed by a first sync to a fresh server as that commissioner: nothing is
rejected, because the demo holds no other commissioner's record waiting to sync."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from tests.sync.fieldwork import connect
from tests.sync.harness import Server


def test_demo_then_first_sync_rejects_nothing(sqlite_server: Server, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "demo")
    result = generate_demo(store, visits=1000, seed=3, commissioners=4, end=date.today())
    mine = result.self_id
    dirty_others = store.db.execute(
        "SELECT count(*) FROM visits WHERE dirty = 1 AND commissioner_id != ?", (mine,)
    ).fetchone()[0]
    assert dirty_others == 0
    name = sqlite_server.add_user("demo0001", commissioner_id=mine)
    engine = connect(store, sqlite_server.url, name)
    report = engine.sync()
    assert report.rejected == 0, report
    assert report.accepted > 0 and report.attachments_uploaded > 0
    again = engine.sync()
    assert again.rejected == 0


def test_demo_photos_are_real_jpegs_with_exif(tmp_path: Path) -> None:
    from commissioner_app.attachments import blob_path, photo_info

    store = Store.open(tmp_path / "demo")
    result = generate_demo(store, visits=600, seed=5, commissioners=2)
    with_photos = store.db.execute(
        "SELECT count(DISTINCT owner_id) FROM attachments WHERE kind = 'photo' AND deleted = 0"
    ).fetchone()[0]
    assert 0.25 < with_photos / result.visits < 0.42
    sheets = store.db.execute(
        "SELECT count(*) FROM visits v JOIN attachments a ON a.sha256 = v.confirm_sheet_sha256 "
        "AND a.owner_id = v.id AND a.kind = 'confirmation_sheet'"
    ).fetchone()[0]
    assert sheets > 30
    (sha,) = store.db.execute("SELECT sha256 FROM attachments WHERE kind = 'photo' LIMIT 1").fetchone()
    path = blob_path(store, sha)
    assert path.read_bytes()[:2] == b"\xff\xd8" and path.stat().st_size < 20_000
    info = photo_info(path)
    assert info.taken_at and 21.5 < (info.gps_lat or 0) < 23.2 and 111.8 < (info.gps_lon or 0) < 113.5


def test_demo_has_agreements_for_a_quarter_of_the_served_targets(tmp_path: Path) -> None:
    from commissioner_app.agreements import progress_of

    store = Store.open(tmp_path / "demo")
    generate_demo(store, visits=800, seed=9, commissioners=3, photos=False)
    served = store.db.execute("SELECT count(DISTINCT target_id) FROM visits").fetchone()[0]
    made = store.db.execute("SELECT count(*) FROM service_agreements").fetchone()[0]
    assert 0.15 < made / served < 0.4
    progress = progress_of(store)
    assert len(progress) == made and any(i.done > 0 for p in progress for i in p.items)
    assert {p.agreement.status for p in progress} >= {"signed", "completed"}


def test_signed_demo_agreements_carry_a_scan_of_the_signed_copy(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "demo")
    generate_demo(store, visits=400, seed=2, commissioners=2)
    signed, scanned = store.db.execute(
        "SELECT count(*), count(a.id) FROM service_agreements g LEFT JOIN attachments a "
        "ON a.owner_table = 'service_agreements' AND a.owner_id = g.id AND a.kind = 'signed_agreement' "
        "WHERE g.status != 'draft'"
    ).fetchone()
    assert signed > 0 and scanned == signed
    assert store.check() == []


def test_an_all_local_demo_has_nothing_marked_as_synced(tmp_path: Path) -> None:
    # `commissioner demo --all-local` is a laptop that has never synced: its service agreements and
    # their scans were still marked as on the server, so the first sync never sent them while
    # `commissioner status` counted them as synced.
    from commissioner_app import schema

    store = Store.open(tmp_path / "demo")
    generate_demo(store, visits=800, seed=9, commissioners=3, all_local=True)
    assert store.db.execute("SELECT count(*) FROM service_agreements").fetchone()[0] > 0
    marked = {
        table: n
        for table in schema.SYNCED_TABLES
        if (n := store.db.execute(f"SELECT count(*) FROM {table} WHERE dirty = 0 OR rev > 0").fetchone()[0])
    }
    assert marked == {}
