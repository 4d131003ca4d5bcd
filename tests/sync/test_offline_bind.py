"""Offline first: a profile filled in before any login, and the visits recorded under it, become the
records of the first account that logs in; nothing typed offline is stranded (real server)."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from commissioner_app.domain import Commissioner, TechnicalProblem, Visit
from sync import session
from sync.engine import SyncEngine
from sync.errors import DataDirectoryTakenError
from tests.sync.fieldwork import FAST, add_target, add_visit, commissioner_store, connect
from tests.sync.harness import PASSWORD, Server


def offline_store(path: Path):  # type: ignore[no-untyped-def]
    """First start: 以后再说 — the profile filled in offline, with an id of this computer's own."""
    store = commissioner_store(path, str(uuid.uuid4()), name="陈志远")
    rng = random.Random(7)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"离线{i}") for i in range(3)]
    return store, visits


def sync_as(store, server: Server, username: str, **options) -> SyncEngine:  # type: ignore[no-untyped-def]
    session.login(store, server.url, username, PASSWORD, use_file=True, **{**FAST, **options})
    return SyncEngine(store, session.open_client(store, **FAST))


def test_offline_profile_and_visits_go_to_the_first_account(shared_server: Server, tmp_path: Path) -> None:
    server = shared_server
    store, visits = offline_store(tmp_path / "laptop")
    offline_id = store.get_meta("self_commissioner_id")
    problems = store.all(TechnicalProblem)
    account_cid = str(uuid.uuid4())
    name = server.add_user(f"chen{uuid.uuid4().hex[:8]}", commissioner_id=account_cid)

    engine = sync_as(store, server, name)
    assert store.get_meta("self_commissioner_id") == account_cid
    profile = store.profile()
    assert profile is not None and profile.name == "陈志远" and profile.id == account_cid
    assert store.get(Commissioner, offline_id) is None
    assert all(store.require(Visit, v.id).commissioner_id == account_cid for v in visits)
    report = engine.sync()
    assert report.rejected == 0 and report.conflicts == 0

    on_server = server.records(account_cid)
    for v in visits:
        assert on_server[("visits", v.id)]["fields"]["content"] == v.content
    for p in problems:
        assert ("problems", p.id) in on_server
    assert on_server[("commissioners", account_cid)]["fields"]["name"] == "陈志远"
    assert not any(r["fields"].get("commissioner_id") == offline_id for r in server.records().values())
    assert store.db.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0] == 0


def test_an_account_with_records_of_its_own_asks_and_binds_only_when_told(
    shared_server: Server, tmp_path: Path
) -> None:
    server = shared_server
    account_cid = str(uuid.uuid4())
    name = server.add_user(f"chen{uuid.uuid4().hex[:8]}", commissioner_id=account_cid)
    office = commissioner_store(tmp_path / "office", account_cid)
    earlier = add_visit(office, random.Random(1), add_target(office, random.Random(1)), "办公室电脑")
    connect(office, server.url, name).sync()

    store, visits = offline_store(tmp_path / "laptop")
    offline_id = store.get_meta("self_commissioner_id")
    with pytest.raises(DataDirectoryTakenError) as refused:
        session.login(store, server.url, name, PASSWORD, use_file=True, **FAST)
    assert refused.value.can_bind
    for lang in ("zh_CN", "en"):
        assert "--data-dir" not in refused.value.text(lang)
    assert "陈志远" in refused.value.text("zh_CN")
    assert store.get_meta("self_commissioner_id") == offline_id  # nothing changed on a refusal
    assert store.require(Visit, visits[0].id).commissioner_id == offline_id

    engine = sync_as(store, server, name, bind=True)
    engine.sync()
    on_server = server.records(account_cid)
    assert {("visits", v.id) for v in [earlier, *visits]} <= set(on_server)
    assert store.get(Visit, earlier.id) is not None  # the account's own records come down too


def test_records_synced_under_another_account_never_move(shared_server: Server, tmp_path: Path) -> None:
    server = shared_server
    first_cid = str(uuid.uuid4())
    first = server.add_user(f"li{uuid.uuid4().hex[:8]}", commissioner_id=first_cid)
    second = server.add_user(f"zhao{uuid.uuid4().hex[:8]}", commissioner_id=str(uuid.uuid4()))
    store = commissioner_store(tmp_path / "shared", first_cid)
    visit = add_visit(store, random.Random(2), add_target(store, random.Random(2)), "李的记录")
    connect(store, server.url, first).sync()

    for bind in (False, True):
        with pytest.raises(DataDirectoryTakenError) as refused:
            session.login(store, server.url, second, PASSWORD, use_file=True, bind=bind, **FAST)
        assert not refused.value.can_bind
        assert "--data-dir" not in refused.value.text("zh_CN")
    assert store.require(Visit, visit.id).commissioner_id == first_cid
    assert store.get_meta("self_commissioner_id") == first_cid


@pytest.mark.parametrize("role", ["bureau", "county"])
def test_a_profile_filled_in_before_a_bureau_account_logs_in_is_not_sent(
    shared_server: Server, tmp_path: Path, role: str
) -> None:
    """A cold try: a bureau clerk filled in the first-start profile (王科员, 江门市科学技术局) and then
    logged in with the bureau's account; the sync sent that profile, and the city's assessment listed
    王科员 as a commissioner rated 不合格. An administering account has no commissioner profile: one
    made on this computer before it, with nothing recorded under it, is withdrawn at the login."""
    store = commissioner_store(tmp_path / "office", str(uuid.uuid4()), name="王科员")
    offline_id = store.get_meta("self_commissioner_id")
    name = shared_server.add_user(
        f"kjj{uuid.uuid4().hex[:8]}", role, county="新会区" if role == "county" else ""
    )
    engine = sync_as(store, shared_server, name)
    assert store.profile() is None and store.get(Commissioner, offline_id) is None
    engine.sync()
    assert not any(r["fields"].get("name") == "王科员" for r in shared_server.records().values())
