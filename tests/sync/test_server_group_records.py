"""Bonuses (加分项) and exemplars (先进典型) on the central store: who may write them (role × scope),
what the server decides itself, who sees them, and clear refusals of bad input that save nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sync.server.tables import records
from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    STATION,
    TEAM,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def _setup(server: Server) -> None:
    server.add_user("boss", "bureau", team=None, station=None)
    server.add_user("lead", "manager")  # leads team-1 and manages station-1
    server.add_user("other", "manager", team=OTHER_TEAM, station=None)
    server.add_user("lin", "commissioner")  # a member of team-1
    results = server.push_ok(
        "boss",
        [
            change("teams", TEAM, {"name": "新会区陈皮产业科技特派团", "county": "新会区"}),
            change("teams", OTHER_TEAM, {"name": "台山市鳗鱼产业科技特派团", "county": "台山市"}),
            change("workstations", STATION, {"name": "大泽镇工作站", "county": "新会区"}),
            change("commissioners", "c-lin", {"name": "林志强", "sending_unit": "五邑大学", "team_id": TEAM}),
        ],
    )
    assert all(r["status"] == "accepted" for r in results), results


def bonus(subject: str = TEAM, kind: str = "team", **extra: Any) -> dict[str, Any]:
    fields = {
        "year": 2025,
        "subject_kind": kind,
        "subject_id": subject,
        "points": 3.0,
        "reason": "获评省级优秀科技特派团",
        "evidence": "粤科函〔2025〕12号",
        "status": "pending",
    }
    fields.update(extra)
    return fields


def one(server: Server, user: str, c: dict[str, Any]) -> dict[str, Any]:
    (result,) = server.push_ok(user, [c])
    return result


def stored_count(server: Server, table: str) -> int:
    with server.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(records).where(records.c.table_name == table)
            ).scalar()
        )


@BACKENDS
def test_a_manager_proposes_for_their_own_group_only_and_it_stays_pending(server: Server) -> None:
    _setup(server)
    bid = new_id()
    r = one(server, "lead", change("bonus_points", bid, bonus(status="approved", reviewed_by="lead")))
    assert r["status"] == "accepted"
    assert r["fields"]["status"] == "pending" and r["fields"]["reviewed_by"] == ""  # only the bureau decides
    assert r["fields"]["entered_by"] == "Lead"
    assert one(server, "lead", change("bonus_points", new_id(), bonus(STATION, "workstation")))["status"] == (
        "accepted"
    )
    # Another team's, or a team that does not exist: refused, nothing stored.
    for fields in (bonus(OTHER_TEAM), bonus("team-9"), bonus(STATION, "team")):
        refused = one(server, "lead", change("bonus_points", new_id(), fields))
        assert refused["status"] == "rejected" and refused["reason_zh"] and refused["reason_en"]
    assert one(server, "other", change("bonus_points", new_id(), bonus()))["status"] == "rejected"
    assert stored_count(server, "bonus_points") == 2


@BACKENDS
def test_a_commissioner_cannot_write_bonuses_or_exemplars(server: Server) -> None:
    _setup(server)
    r = one(server, "lin", change("bonus_points", new_id(), bonus()))
    assert r["status"] == "rejected" and "bonus_points" in r["reason_en"]
    r = one(server, "lead", change("exemplars", new_id(), _exemplar("team", TEAM)))
    assert r["status"] == "rejected"
    assert stored_count(server, "bonus_points") == stored_count(server, "exemplars") == 0


@BACKENDS
def test_the_bureau_decides_and_the_server_dates_it(server: Server) -> None:
    _setup(server)
    bid = new_id()
    first = one(server, "lead", change("bonus_points", bid, bonus()))
    approved = one(server, "boss", change("bonus_points", bid, {"status": "approved"}, first["rev"]))
    assert approved["status"] == "accepted"
    assert approved["fields"]["reviewed_by"] == "Boss" and approved["fields"]["reviewed_at"]
    # An approved bonus: the manager cannot withdraw it; an edit sends it back to review.
    gone = one(server, "lead", change("bonus_points", bid, bonus(), approved["rev"], deleted=True))
    assert gone["status"] == "rejected" and "市科技局" in gone["reason_zh"]
    edited = one(server, "lead", change("bonus_points", bid, {"points": 5.0}, approved["rev"]))
    assert edited["status"] == "accepted" and edited["fields"]["status"] == "pending"
    assert edited["fields"]["reviewed_at"] == ""
    # Rejecting needs an opinion; the subject cannot be moved.
    r = one(server, "boss", change("bonus_points", bid, {"status": "rejected"}, edited["rev"]))
    assert r["status"] == "rejected" and "审核意见" in r["reason_zh"]
    r = one(server, "boss", change("bonus_points", bid, {"subject_id": OTHER_TEAM}, edited["rev"]))
    assert r["status"] == "rejected"


@BACKENDS
def test_bad_values_are_refused_with_a_reason(server: Server) -> None:
    _setup(server)
    for fields, word in (
        (bonus(points=0), "points"),
        (bonus(points=50), "points"),
        (bonus(points="3"), "points"),
        (bonus(reason=""), "reason"),
        (bonus(evidence="  "), "evidence"),
        (bonus(subject_kind="county"), "county"),
        (bonus(year=1800), "year"),
        ({**bonus(), "colour": "red"}, "colour"),
    ):
        r = one(server, "boss", change("bonus_points", new_id(), fields))
        assert r["status"] == "rejected", fields
        assert word.lower() in (r["reason_en"] + r["reason_zh"]).lower(), r
    assert stored_count(server, "bonus_points") == 0


@BACKENDS
def test_who_sees_a_bonus(server: Server) -> None:
    _setup(server)
    bid = new_id()
    assert one(server, "boss", change("bonus_points", bid, bonus(status="approved")))["status"] == "accepted"

    def sees(user: str) -> bool:
        changes, _ = server.pull_all(user)
        return any(c["table"] == "bonus_points" and c["id"] == bid for c in changes)

    assert sees("boss") and sees("lead")
    assert not sees("other") and not sees("lin")


def _exemplar(kind: str, subject: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "year": 2025,
        "subject_kind": kind,
        "subject_id": subject,
        "title": "优秀科技特派员",
        "citation": "扎根新会区三年，帮助解决柑橘黄龙病防控难题。",
    }
    fields.update(extra)
    return fields


@BACKENDS
def test_exemplars_come_from_the_published_results_and_everyone_sees_them(server: Server) -> None:
    _setup(server)
    eid = new_id()
    r = one(server, "boss", change("exemplars", eid, _exemplar("commissioner", "c-lin")))
    assert r["status"] == "rejected" and "发布" in r["reason_zh"] and "publish" in r["reason_en"]
    published = {
        "year": 2025,
        "commissioner_id": "c-lin",
        "total": 95.0,
        "grade": "excellent",
        "grade_uncapped": "excellent",
        "published_at": "2026-01-10T00:00:00Z",
    }
    assert one(server, "boss", change("assessment_results", "2025:c-lin", published))["status"] == "accepted"
    r = one(server, "boss", change("exemplars", eid, _exemplar("commissioner", "c-lin", nominated_by="x")))
    assert r["status"] == "accepted"
    assert r["fields"]["nominated_by"] == "Boss" and r["fields"]["nominated_at"]
    assert one(server, "boss", change("exemplars", new_id(), _exemplar("team", TEAM)))["status"] == "accepted"
    assert (
        one(server, "boss", change("exemplars", new_id(), _exemplar("team", "nope")))["status"] == "rejected"
    )
    r = one(server, "boss", change("exemplars", new_id(), _exemplar("team", TEAM, citation="")))
    assert r["status"] == "rejected"
    for user in ("lin", "other"):
        changes, _ = server.pull_all(user)
        assert {c["id"] for c in changes if c["table"] == "exemplars"} >= {eid}
