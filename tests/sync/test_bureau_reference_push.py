"""The bureau's edits of towns and assessment rules reach a commissioner at the next sync (real server)."""

from __future__ import annotations

import uuid

import pytest

from commissioner_app.assessment_rules import bundled_rules_dir, bundled_years, load_rules
from commissioner_app.ops.reference import save_rules, save_towns
from commissioner_app.reference import towns_of
from sync.bureau_push import pending_changes
from tests.sync.fieldwork import commissioner_store, connect

pytestmark = pytest.mark.slow


def test_bureau_reference_and_rules_reach_commissioners(sqlite_server, tmp_path):
    wang_id, bureau_id = str(uuid.uuid4()), str(uuid.uuid4())
    sqlite_server.add_user("wangf", commissioner_id=wang_id)
    sqlite_server.add_user("kjj", role="bureau", commissioner_id=bureau_id)
    bureau = commissioner_store(tmp_path / "bureau", bureau_id, "市科技局")
    bureau_sync = connect(bureau, sqlite_server.url, "kjj")
    bureau_sync.sync()
    assert pending_changes(bureau) == []

    county = bureau.db.execute(
        "SELECT code, name_zh FROM reference_items WHERE kind = 'county' ORDER BY sort_order LIMIT 1"
    ).fetchone()
    towns = [(t.code, t.name_zh, t.name_en) for t in towns_of(bureau, county[1])] + [
        ("990001", "新设示范镇", "")
    ]
    save_towns(bureau, county[0], towns)
    bundled = bundled_years()[-1]
    text = (bundled_rules_dir() / f"{bundled}.toml").read_text(encoding="utf-8")
    year = bundled + 1
    save_rules(bureau, year, text.replace(f"year = {bundled}", f"year = {year}", 1))
    assert sorted(c["table"] for c in pending_changes(bureau)) == ["assessment_rules", "reference"]
    report = bureau_sync.sync()
    assert (report.rejected, report.conflicts, report.problems) == (0, 0, [])
    assert pending_changes(bureau) == []  # published: nothing left to push

    wang = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    connect(wang, sqlite_server.url, "wangf").sync()
    assert [t.name_zh for t in towns_of(wang, county[1])] == [t[1] for t in towns]
    assert load_rules(wang, year).year == year and load_rules(wang, year).source == "sync"

    # A second edit is based on the published revision and is accepted too.
    save_towns(bureau, county[0], towns[:-1])
    report = bureau_sync.sync()
    assert (report.rejected, report.conflicts) == (0, 0)
    connect(wang, sqlite_server.url, "wangf").sync()
    assert "新设示范镇" not in [t.name_zh for t in towns_of(wang, county[1])]


def test_a_bureau_edit_whose_answer_was_lost_is_replayed_not_sent_again(own_server, tmp_path):
    """The connection is cut after the server committed the batch: the next sync sends the same
    batch, the server answers with what it stored, and nothing is applied twice (SQLite and PG)."""
    from sqlalchemy import text

    from sync.bureau_push import META_BUREAU_BATCH, META_REFERENCE_REV
    from sync.errors import OfflineError

    bureau_id = str(uuid.uuid4())
    name = own_server.add_user(f"kjj{bureau_id[:6]}", role="bureau", commissioner_id=bureau_id)
    bureau = commissioner_store(tmp_path / "bureau", bureau_id, "市科技局")
    engine = connect(bureau, own_server.url, name)
    engine.sync()
    county = bureau.db.execute(
        "SELECT code, name_zh FROM reference_items WHERE kind = 'county' ORDER BY sort_order LIMIT 1"
    ).fetchone()
    towns = [(t.code, t.name_zh, t.name_en) for t in towns_of(bureau, county[1])] + [
        ("990002", "新设示范镇", "")
    ]
    save_towns(bureau, county[0], towns)

    sent: list[str] = []
    real_push = engine.client.push

    def answer_lost(request, **kwargs):  # type: ignore[no-untyped-def]
        real_push(request, **kwargs)  # the server applies and commits the batch...
        sent.append(request["batch_id"])
        raise OfflineError("connection cut before the answer arrived")  # ...and the answer never arrives

    engine.client.push = answer_lost
    with pytest.raises(OfflineError):
        engine.sync()
    assert [c["table"] for c in pending_changes(bureau)] == ["reference"]  # still marked as not published
    assert bureau.get_meta(META_BUREAU_BATCH) is not None

    replays: list[str] = []

    def spy(request, **kwargs):  # type: ignore[no-untyped-def]
        replays.append(request["batch_id"])
        return real_push(request, **kwargs)

    engine.client.push = spy
    report = engine.sync()
    assert replays == sent  # the same batch, not a new one
    assert (report.accepted, report.conflicts, report.rejected, report.problems) == (1, 0, 0, [])
    assert pending_changes(bureau) == [] and bureau.get_meta(META_BUREAU_BATCH) is None
    with own_server.engine.connect() as conn:
        revs = (
            conn.execute(
                text("SELECT rev FROM revisions WHERE table_name = 'reference' AND record_id = 'town'")
            )
            .scalars()
            .all()
        )
    assert revs == [1]  # applied once
    assert bureau.get_meta(META_REFERENCE_REV.format(kind="town")) == "1"

    # A later edit builds on that revision and is accepted.
    save_towns(bureau, county[0], towns[:-1])
    report = engine.sync()
    assert (report.accepted, report.conflicts) == (1, 0)
