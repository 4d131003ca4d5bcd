"""The audit trail: review decisions, published results and the bureau's edits of reference data and
rules are kept (who, when, what, before, after), append-only; the bureau reads all of it, a county
bureau its county's, nobody else any; filters, CSV export, bad input."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from sync.server import audit
from sync.server.auth import User
from sync.server.tables import audit_log
from tests.sync.server_support import (
    BACKENDS,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
)
from tests.sync.test_server_county import TAISHAN, XINHUI, world

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

RULES = 'title = "2024"\n'


def listing(server: Server, user: str, query: str = "") -> Any:
    return server.request("GET", f"/audit{query}", user)


def decide(server: Server, w: dict[str, Any]) -> None:
    for who, owner, decision, opinion in (
        ("xinhui", "c1", "returned", "请补充照片"),
        ("taishan", "c2", "approved", ""),
    ):
        results = server.push_ok(
            who,
            [
                change(
                    "reviews",
                    new_id(),
                    {"record_id": w[owner]["visit"], "decision": decision, "opinion": opinion},
                )
            ],
        )
        assert results[0]["status"] == "accepted", results


@BACKENDS
def test_review_decisions_publishing_and_bureau_edits_are_kept(server: Server) -> None:
    w = world(server)
    decide(server, w)
    result_id = f"2024:{w['c1']['cid']}"
    server.push_ok(
        "boss",
        [
            change("reference", "county", {"version": "2", "items": [{"code": "1", "name_zh": "新会区"}]}),
            change("assessment_rules", "2024", {"year": 2024, "toml": RULES}),
            change(
                "assessment_results",
                result_id,
                {"year": 2024, "commissioner_id": w["c1"]["cid"], "total": 88.0, "grade": "good"},
            ),
        ],
    )
    entries = listing(server, "boss").json()["entries"]
    by_action = {e["action"]: e for e in entries}
    assert set(by_action) == {"review.decide", "reference.edit", "rules.edit", "assessment.publish"}
    review = next(e for e in entries if e["actor"] == "xinhui")
    assert review["subject"] == f"visits/{w['c1']['visit']}" and review["county"] == XINHUI
    assert review["before"] is None and review["after"]["decision"] == "returned"
    assert review["after"]["opinion"] == "请补充照片" and review["actor_role"] == "county"
    assert by_action["assessment.publish"]["subject"] == f"assessment_results/{result_id}"
    assert by_action["assessment.publish"]["after"]["total"] == 88.0
    assert by_action["rules.edit"]["after"]["toml"] == RULES

    # A changed decision keeps before and after; the same decision sent again adds nothing.
    server.push_ok("boss", [change("assessment_rules", "2024", {"year": 2024, "toml": 'title = "x"\n'}, 1)])
    edit = listing(server, "boss", "?action=rules.edit").json()["entries"][0]
    assert edit["before"]["toml"] == RULES and edit["after"]["toml"] == 'title = "x"\n'
    batch = [change("reviews", new_id(), {"record_id": w["c2"]["visit"], "decision": "approved"})]
    total = listing(server, "boss").json()["total"]
    server.push_ok("taishan", batch, batch_id="again")
    server.push_ok("taishan", batch, batch_id="again")  # a replayed batch is not a second act
    assert listing(server, "boss").json()["total"] == total + 1


@BACKENDS
def test_who_reads_the_trail(server: Server) -> None:
    w = world(server)
    decide(server, w)
    assert {e["county"] for e in listing(server, "boss").json()["entries"]} == {XINHUI, TAISHAN}
    own = listing(server, "xinhui").json()
    assert own["total"] == 1 and own["entries"][0]["subject"] == f"visits/{w['c1']['visit']}"
    assert listing(server, "taishan").json()["entries"][0]["county"] == TAISHAN
    for user in ("c1", "m1", "c2", "m2"):
        for path in ("/audit", "/audit/export"):
            answer = server.request("GET", path, user)
            assert answer.status_code == 403 and answer.json()["error"] == "forbidden", (user, path)
    assert server.request("GET", "/audit", None).status_code == 401


@BACKENDS
def test_filters_and_export(server: Server) -> None:
    w = world(server)
    decide(server, w)
    today = date.today()
    assert listing(server, "boss", "?actor=XinHui").json()["total"] == 1
    assert listing(server, "boss", "?action=review.decide").json()["total"] == 2
    assert listing(server, "boss", "?action=rules.edit").json()["total"] == 0
    assert listing(server, "boss", f"?subject={w['c2']['visit'][:8]}").json()["total"] == 1
    assert listing(server, "boss", "?subject=%25").json()["total"] == 0  # a literal %, not a wildcard
    span = f"?date_from={today - timedelta(days=1)}&date_to={today + timedelta(days=1)}"
    assert listing(server, "boss", span).json()["total"] == 2
    assert listing(server, "boss", f"?date_to={today - timedelta(days=2)}").json()["total"] == 0
    assert listing(server, "boss", "?limit=1").json()["total"] == 2
    assert len(listing(server, "boss", "?limit=1&offset=1").json()["entries"]) == 1

    answer = server.request("GET", "/audit/export?action=review.decide", "xinhui")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == audit.CSV_HEADER and len(rows) == 2
    assert rows[1][1] == "xinhui" and rows[1][5] == XINHUI and "请补充照片" in rows[1][7]


@BACKENDS
def test_bad_filters_are_refused_clearly(server: Server) -> None:
    world(server)
    for query in (
        "?date_from=2024-02-30",
        "?date_from=2024-05-02&date_to=2024-05-01",
        "?action=DROP%20TABLE",
        "?limit=0",
        "?limit=100000",
        "?actor=" + "x" * 300,
        "?subject=a%00b",
        "?date_from=2024-05-01&utc_offset=900",
        "?date_from=2024-05-01&utc_offset=abc",
    ):
        answer = listing(server, "boss", query)
        assert answer.status_code == 422, query
        assert answer.json()["message_zh"] and answer.json()["message_en"], query


@BACKENDS
def test_the_date_filter_counts_days_in_the_asking_computers_time(server: Server) -> None:
    """A clerk whose screen shows the computer's own time picks days of that time: the offset the
    application sends decides where a day begins; without one, days are China's (older clients)."""
    w = world(server)
    decide(server, w)
    entries = listing(server, "boss", "?action=review.decide").json()["entries"]
    assert len(entries) == 2
    for entry in entries:
        moment = datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        # 14 hours east and 12 west are 26 hours apart: the entry falls on different days there.
        for offset, other in ((840, -720), (-720, 840)):
            day = (moment + timedelta(minutes=offset)).date()
            elsewhere = (moment + timedelta(minutes=other)).date()
            assert day != elsewhere
            found = listing(
                server, "boss", f"?action=review.decide&date_from={day}&date_to={day}&utc_offset={offset}"
            ).json()["entries"]
            assert entry["id"] in [e["id"] for e in found], (offset, day)
            missed = listing(
                server,
                "boss",
                f"?action=review.decide&date_from={elsewhere}&date_to={elsewhere}&utc_offset={offset}",
            ).json()["entries"]
            assert entry["id"] not in [e["id"] for e in missed], (offset, elsewhere)
        beijing = (moment + timedelta(hours=8)).date()
        found = listing(server, "boss", f"?action=review.decide&date_from={beijing}&date_to={beijing}")
        assert entry["id"] in [e["id"] for e in found.json()["entries"]]


@BACKENDS
def test_dates_at_the_ends_of_the_calendar_are_answered(server: Server) -> None:
    # Found by the API fuzzing: the day after 9999-12-31 does not exist (it was a server error).
    decide(server, world(server))
    for query in ("?date_to=9999-12-31", "?date_from=0001-01-01", "?date_from=0001-01-01&date_to=9999-12-31"):
        for path in ("/audit", "/audit/export"):
            answer = server.request("GET", f"{path}{query}", "boss")
            assert answer.status_code == 200, (path, query, answer.text[:200])
    assert listing(server, "boss", "?date_from=9999-12-31").json()["total"] == 0
    assert listing(server, "boss", "?date_to=0001-01-01").json()["total"] == 0
    # A year before 1000 is written with four digits, so it sorts before every stored time.
    everything = listing(server, "boss").json()["total"]
    assert everything > 0
    assert listing(server, "boss", "?date_to=0500-01-01").json()["total"] == 0
    assert listing(server, "boss", "?date_from=0500-01-01").json()["total"] == everything


@BACKENDS
def test_the_trail_is_append_only_in_the_database(server: Server) -> None:
    actor = User("u1", "boss", "bureau", "Boss", None, None, None)
    with server.engine.begin() as conn:
        audit.record(conn, actor, "user.create", "users/zhang", None, {"role": "commissioner"})
    for statement in (update(audit_log).values(actor="someone else"), delete(audit_log)):
        with pytest.raises(DBAPIError), server.engine.begin() as conn:
            conn.execute(statement)
    with server.engine.connect() as conn:
        assert conn.execute(select(audit_log.c.actor)).scalars().all() == ["boss"]


def test_an_export_over_its_cap_keeps_the_newest_entries_in_time_order(server: Server, monkeypatch) -> None:
    """Past the cap the CSV kept the oldest entries and left out the newest, the ones an auditor
    asks about first."""
    world(server)
    for n in range(5):
        audit.record_now(server.engine, audit.SERVER_CLI, "users.disable", f"users/u{n}", None, {"n": n})
    monkeypatch.setattr(audit, "MAX_EXPORT", 3)
    answer = server.request("GET", "/audit/export?action=users.disable", "boss")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]
    assert [r[4] for r in rows] == ["users/u2", "users/u3", "users/u4"]  # the newest three, oldest first
