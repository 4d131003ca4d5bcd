"""The retention prune of old versions of records (`commissioner-server prune-revisions`,
sync/server/maintenance.prune_revisions): what it keeps, the dry run, the refused short retention,
and that a push against a deleted base still loses nothing."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from sync.server import timeutil
from sync.server.maintenance import (
    MIN_REVISION_DAYS,
    REVISION_DAYS,
    RetentionTooShort,
    prune,
    prune_revisions,
)
from sync.server.tables import audit_log, counters, revisions, tokens
from tests.sync.server_support import (
    BACKENDS,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)
from tests.sync.test_server_conflict_notices import A_TEXT, B_TEXT, a_conflict, push_from

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

ORIGINAL = visit_fields("x")["content"]


def age(server: Server, table: str, record_id: str, days: dict[int, int]) -> None:
    """Make versions of a record look written `days[rev]` days ago."""
    now = timeutil.now()
    with server.engine.begin() as conn:
        for rev, ago in days.items():
            conn.execute(
                update(revisions)
                .where(
                    revisions.c.table_name == table,
                    revisions.c.record_id == record_id,
                    revisions.c.rev == rev,
                )
                .values(at=timeutil.iso(now - timedelta(days=ago)))
            )


def revs(server: Server, table: str, record_id: str) -> list[int]:
    with server.engine.connect() as conn:
        return list(
            conn.execute(
                select(revisions.c.rev)
                .where(revisions.c.table_name == table, revisions.c.record_id == record_id)
                .order_by(revisions.c.rev)
            ).scalars()
        )


def count_revisions(server: Server) -> int:
    with server.engine.connect() as conn:
        return len(conn.execute(select(revisions.c.id)).all())


def edited(server: Server, user: str, cid: str, times: int) -> str:
    """A visit of `user` created and then edited `times` times (revisions 1 .. times + 1)."""
    vid = new_id()
    push_from(server, user, "laptop-a", [change("visits", vid, visit_fields(cid))])
    for rev in range(1, times + 1):
        fields = visit_fields(cid, people_trained=25 + rev)
        [r] = push_from(server, user, "laptop-a", [change("visits", vid, fields, rev)])
        assert r["status"] == "accepted", r
    return vid


def history(server: Server, user: str, vid: str) -> list[dict[str, Any]]:
    answer = server.request("GET", f"/records/visits/{vid}/history", user)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


@BACKENDS
def test_prune_keeps_the_current_the_recent_and_the_newest_old_version(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    changed_lately = edited(server, "zhangsan", zhang, 4)  # revs 1-5
    age(server, "visits", changed_lately, {1: 1300, 2: 1200, 3: 1150, 4: 1100, 5: 10})
    old_only = edited(server, "zhangsan", zhang, 2)  # revs 1-3, all old
    age(server, "visits", old_only, {1: 1300, 2: 1250, 3: 1200})
    once = edited(server, "zhangsan", zhang, 0)  # one old version: the current one
    age(server, "visits", once, {1: 2000})
    recent = edited(server, "zhangsan", zhang, 2)  # revs 1-3, all within the retention
    age(server, "visits", recent, {1: 1000, 2: 500, 3: 1})
    total = count_revisions(server)

    done = prune_revisions(server.engine, older_than_days=REVISION_DAYS, chunk=2)  # several chunks

    # Rev 4 of the first stays: the version rev 5 (within the retention) was made to, so the history
    # still shows rev 5's change field by field.
    assert revs(server, "visits", changed_lately) == [4, 5]
    assert revs(server, "visits", old_only) == [3]
    assert revs(server, "visits", once) == [1]
    assert revs(server, "visits", recent) == [1, 2, 3]
    assert (done.removed, done.by_table, done.kept_for_notices) == (5, {"visits": 5}, 0)
    assert count_revisions(server) == total - 5
    # About 1 kB a version of a visit: counted from the rows, not guessed.
    one = len(json.dumps(visit_fields(zhang), ensure_ascii=False).encode())
    assert 5 * one < done.bytes < 5 * (one + 600)
    # The history still answers, with what is left; the current version is the record's.
    kept = history(server, "zhangsan", changed_lately)
    assert [v["rev"] for v in kept] == [4, 5]
    assert [v["fields"]["people_trained"] for v in kept] == [28, 29]
    # Deleting history is in the audit trail.
    with server.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "revisions.prune")).one()
    assert json.loads(entry.after)["removed"] == 5 and entry.actor == "server-cli"
    # Nothing more to delete the second time.
    assert prune_revisions(server.engine).removed == 0


@BACKENDS
def test_a_dry_run_counts_what_would_go_and_deletes_nothing(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    vid = edited(server, "zhangsan", zhang, 3)
    age(server, "visits", vid, {1: 400, 2: 300, 3: 200, 4: 100})
    total = count_revisions(server)
    would = prune_revisions(server.engine, older_than_days=150, dry_run=True, chunk=1)
    assert (would.dry_run, would.removed, would.by_table) == (True, 2, {"visits": 2})
    assert would.bytes > 0
    assert count_revisions(server) == total and revs(server, "visits", vid) == [1, 2, 3, 4]
    with server.engine.connect() as conn:
        assert conn.execute(select(audit_log).where(audit_log.c.action == "revisions.prune")).first() is None
    # The real run removes exactly what the dry run said.
    done = prune_revisions(server.engine, older_than_days=150)
    assert (done.removed, done.bytes) == (would.removed, would.bytes)
    assert revs(server, "visits", vid) == [3, 4]


@BACKENDS
def test_a_retention_under_the_minimum_is_refused_before_anything_is_deleted(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    vid = edited(server, "zhangsan", zhang, 2)
    age(server, "visits", vid, {1: 400, 2: 300, 3: 200})
    server.token("zhangsan")
    with server.engine.begin() as conn:  # an expired session, which prune() would delete
        conn.execute(update(tokens).values(expires_at="2000-01-01T00:00:00.000000Z"))
    with pytest.raises(RetentionTooShort) as refused:
        prune_revisions(server.engine, older_than_days=MIN_REVISION_DAYS - 1)
    assert f"至少 {MIN_REVISION_DAYS} 天" in refused.value.zh
    assert f"at least {MIN_REVISION_DAYS} days" in refused.value.en
    with pytest.raises(RetentionTooShort):
        prune(server.engine, revision_days=30)
    assert revs(server, "visits", vid) == [1, 2, 3]
    with server.engine.connect() as conn:
        assert len(conn.execute(select(tokens)).all()) == 1  # the rest of prune did not run either
    # The cron job's prune with a retention deletes revisions with the rest.
    gone = prune(server.engine, revision_days=250)
    assert gone["revisions"] == 1 and gone["tokens"] == 1
    assert revs(server, "visits", vid) == [2, 3]
    # Without one it keeps every version (and answers as before).
    assert "revisions" not in prune(server.engine)


@BACKENDS
def test_the_versions_an_open_conflict_notice_names_are_kept_until_it_is_resolved(server: Server) -> None:
    zhang, vid, _batch, result = a_conflict(server)  # notice: base rev 1, server's rev 2
    notice_id = result["conflict_id"]
    # Laptop A edits again (rev 3), without resolving; all of it long ago.
    [a] = push_from(
        server, "zhangsan", "laptop-a", [change("visits", vid, visit_fields(zhang, content=A_TEXT + "。"), 2)]
    )
    assert a["rev"] == 3
    age(server, "visits", vid, {1: 1300, 2: 1200, 3: 1100})
    age(server, "conflicts", notice_id, {1: 1200})
    done = prune_revisions(server.engine)
    assert revs(server, "visits", vid) == [1, 2, 3]
    assert (done.removed, done.kept_for_notices) == (0, 2)
    # Laptop B resolves it (keeping its own text), based on the server's version it was shown.
    [b] = push_from(
        server,
        "zhangsan",
        "laptop-b",
        [{**change("visits", vid, visit_fields(zhang, content=B_TEXT), 3), "resolves": [notice_id]}],
    )
    assert b["status"] == "accepted" and b["rev"] == 4
    age(server, "visits", vid, {4: 1100})
    age(server, "conflicts", notice_id, {2: 1100})
    done = prune_revisions(server.engine)
    assert revs(server, "visits", vid) == [4]
    assert revs(server, "conflicts", notice_id) == [2]  # the closed notice's current version
    assert (done.removed, done.kept_for_notices, done.by_table) == (4, 0, {"conflicts": 1, "visits": 3})


@BACKENDS
def test_a_push_against_a_deleted_base_returns_its_differing_fields_as_conflicts(server: Server) -> None:
    """Laptop B was offline for years with rev 1; meanwhile laptop A changed the content and the
    people trained. B changes only the industry. Against its real base that would merge; with the
    base deleted the server cannot tell what B changed, so every field B holds that differs from
    the server's comes back as a conflict: neither B's edit nor A's are lost."""
    zhang = server.add_user("zhangsan", "commissioner")
    vid = new_id()
    push_from(server, "zhangsan", "laptop-a", [change("visits", vid, visit_fields(zhang))])
    for rev, fields in (
        (1, visit_fields(zhang, content=A_TEXT)),
        (2, visit_fields(zhang, content=A_TEXT, people_trained=40)),
    ):
        [a] = push_from(server, "zhangsan", "laptop-a", [change("visits", vid, fields, rev)])
        assert a["status"] == "accepted"
    age(server, "visits", vid, {1: 1300, 2: 1200, 3: 1100})
    assert prune_revisions(server.engine).removed == 2
    assert revs(server, "visits", vid) == [3]

    b_fields = visit_fields(zhang, industry="柑橘")
    [b] = push_from(server, "zhangsan", "laptop-b", [change("visits", vid, b_fields, 1)])

    assert b["status"] == "conflict" and b["rev"] == 3
    conflicts = {c["field"]: (c["local"], c["server"]) for c in b["conflicts"]}
    assert conflicts == {
        "content": (ORIGINAL, A_TEXT),
        "people_trained": (25, 40),
        "industry": ("柑橘", "陈皮"),  # B's own edit, returned to B, not dropped
    }
    kept = history(server, "zhangsan", vid)  # the server's version is A's, untouched
    assert [v["rev"] for v in kept] == [3]
    assert (kept[0]["fields"]["content"], kept[0]["fields"]["people_trained"]) == (A_TEXT, 40)
    # The other side is told too (an open notice), and the notice's versions are now kept.
    assert b["conflict_id"]
    assert prune_revisions(server.engine).kept_for_notices == 0  # rev 3 is current anyway
    # B decides: its industry, A's content and people trained, on the server's version.
    resolved = visit_fields(zhang, content=A_TEXT, people_trained=40, industry="柑橘")
    [again] = push_from(
        server,
        "zhangsan",
        "laptop-b",
        [{**change("visits", vid, resolved, 3), "resolves": [b["conflict_id"]]}],
    )
    assert again["status"] == "accepted" and again["rev"] == 4
    assert history(server, "zhangsan", vid)[-1]["fields"]["industry"] == "柑橘"


@pytest.mark.parametrize(
    "engine_factory", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_prune_never_waits_for_the_lock_pushes_take(server: Server) -> None:
    """PostgreSQL: a push holding the server_seq counter's row lock does not hold up the prune (nor
    would the prune hold up pushes: it never takes that lock)."""
    import threading

    zhang = server.add_user("zhangsan", "commissioner")
    vid = edited(server, "zhangsan", zhang, 3)
    age(server, "visits", vid, {1: 1300, 2: 1200, 3: 1100, 4: 1000})
    done: list[int] = []
    with server.engine.connect() as pusher, pusher.begin():
        pusher.execute(select(counters.c.value).where(counters.c.name == "server_seq").with_for_update())
        worker = threading.Thread(target=lambda: done.append(prune_revisions(server.engine).removed))
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive() and done == [2]
    assert revs(server, "visits", vid) == [3, 4]


# --- the command line --------------------------------------------------------------------------


def test_the_command_prints_what_it_removes_and_refuses_a_short_retention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server import auth, push
    from sync.server.db import make_engine
    from sync.server.migrations import migrate
    from tests.sync.test_server_cli import in_process

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return in_process(capsys, monkeypatch, tmp_path, *args)

    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    migrate(engine)
    auth.add_user(engine, "boss", "a good password", "bureau", display_name="Boss")
    boss = auth.User("b", "boss", "bureau", "Boss", None, None, None)
    for rev in range(3):
        fields = {"name": f"新会陈皮产业科技特派团{rev}", "county": "新会区"}
        answer = push.push(
            engine,
            boss,
            {"batch_id": f"b{rev}", "device_id": "d", "changes": [change("teams", "team-1", fields, rev)]},
        )
        assert answer["results"][0]["status"] == "accepted"
    with engine.begin() as conn:
        conn.execute(update(revisions).values(at="2020-01-01T00:00:00.000000Z"))
    engine.dispose()

    short = cli("prune-revisions", "--older-than-days", "30")
    assert short.returncode == 2
    assert "至少 90 天" in short.stderr and "at least 90 days" in short.stderr
    assert cli("prune", "--revision-days", "7").returncode == 2

    dry = cli("prune-revisions", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "试运行" in dry.stdout and "dry run, nothing deleted: would remove 2 old versions" in dry.stdout
    assert "  teams: 2" in dry.stdout
    assert json.loads(dry.stdout.splitlines()[-1])["removed"] == 2

    done = cli("prune-revisions", "--older-than-days", "1095")
    assert done.returncode == 0, done.stderr
    assert "已删除 2 个旧版本" in done.stdout and "removed 2 old versions" in done.stdout
    summary = json.loads(done.stdout.splitlines()[-1])
    assert (summary["removed"], summary["dry_run"], summary["older_than_days"]) == (2, False, 1095)
    assert summary["bytes"] > 0
    again = cli("prune", "--revision-days", "1095")
    assert again.returncode == 0 and json.loads(again.stdout)["revisions"] == 0
