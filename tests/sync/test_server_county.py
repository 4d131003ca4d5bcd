"""The county bureau (县科技局): sees and reviews every record of its county and nothing else; every
endpoint x role x scope (own county, other county, own team, other team), on SQLite and PostgreSQL.
A record's county is its owner's service county (sync/server/scope.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import select

from sync.server import auth
from sync.server.tables import records
from tests.sync.server_support import (
    BACKENDS,
    PASSWORD,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)
from tests.sync.test_server_attachments import upload

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

XINHUI, TAISHAN = "新会区", "台山市"


def add(server: Server, name: str, role: str, county: str, team: str | None = None) -> str:
    cid = None if role in ("bureau", "county") else f"c-{name}"
    auth.add_user(
        server.engine,
        name,
        PASSWORD,
        role,
        display_name=name.title(),
        team_id=team,
        workstation_id=None,
        commissioner_id=cid,
        county=county,
    )
    server.users[name] = {"role": role, "commissioner_id": cid}
    return cid or ""


def world(server: Server) -> dict[str, Any]:
    """Two counties, two teams: a commissioner and a manager in each; a county bureau of each."""
    add(server, "boss", "bureau", "")
    add(server, "xinhui", "county", XINHUI)
    add(server, "taishan", "county", TAISHAN)
    c1 = add(server, "c1", "commissioner", XINHUI, "team-1")
    add(server, "m1", "manager", XINHUI, "team-1")
    c2 = add(server, "c2", "commissioner", TAISHAN, "team-2")
    add(server, "m2", "manager", TAISHAN, "team-2")
    data1, data2 = b"photo of xinhui" * 50, b"photo of taishan" * 50
    out: dict[str, Any] = {}
    for who, cid, data, county in (("c1", c1, data1, XINHUI), ("c2", c2, data2, TAISHAN)):
        assert upload(server, who, data).status_code == 201  # type: ignore[attr-defined]
        vid, target = new_id(), new_id()
        sha = hashlib.sha256(data).hexdigest()
        server.push_ok(
            who,
            [
                change("service_targets", target, {"name": f"{county}果园", "county": county, "town": "镇"}),
                change("visits", vid, visit_fields(cid, target_id=target, county=county)),
                change(
                    "attachments",
                    new_id(),
                    {
                        "sha256": sha,
                        "owner_table": "visits",
                        "owner_id": vid,
                        "kind": "photo",
                        "size": len(data),
                    },
                ),
            ],
        )
        out[who] = {"visit": vid, "target": target, "sha": sha, "cid": cid}
    return out


def visible(server: Server, user: str) -> set[str]:
    return {c["id"] for c in server.pull_all(user)[0]}


# Who sees the records of c1 (新会区, team-1) and of c2 (台山市, team-2).
SEES = {
    "boss": (True, True),
    "xinhui": (True, False),  # own county / other county
    "taishan": (False, True),
    "m1": (True, False),  # own team / other team
    "m2": (False, True),
    "c1": (True, False),
    "c2": (False, True),
}


@BACKENDS
def test_pull_history_and_downloads_follow_the_county_scope(server: Server) -> None:
    w = world(server)
    for user, (sees1, sees2) in SEES.items():
        got = visible(server, user)
        for owner, sees in (("c1", sees1), ("c2", sees2)):
            for key in ("visit", "target"):
                assert (w[owner][key] in got) is sees, (user, owner, key)
            history = server.request("GET", f"/records/visits/{w[owner]['visit']}/history", user)
            download = server.request("GET", f"/attachments/{w[owner]['sha']}", user)
            if sees:
                assert history.status_code == 200 and history.json()[0]["rev"] == 1, (user, owner)
                assert download.status_code == 200, (user, owner)
            else:
                # The same answer as for something that does not exist.
                missing = server.request("GET", f"/records/visits/{new_id()}/history", user)
                assert history.status_code == 404 and history.json() == missing.json(), (user, owner)
                nothing = server.request("GET", f"/attachments/{'0' * 64}", user)
                assert download.status_code == 404 and download.json() == nothing.json(), (user, owner)


@BACKENDS
def test_the_server_sets_the_county_scope_never_the_client(server: Server) -> None:
    w = world(server)
    with server.engine.connect() as conn:
        scoped = dict(conn.execute(select(records.c.id, records.c.county)).all())
    assert scoped[w["c1"]["visit"]] == scoped[w["c1"]["target"]] == XINHUI
    assert scoped[w["c2"]["visit"]] == TAISHAN
    # A visit typed as if in another county stays in its owner's county scope.
    vid = new_id()
    typed = visit_fields(
        w["c1"]["cid"], target_id=w["c1"]["target"], county=TAISHAN, town="台城街道", visit_date="2024-05-02"
    )
    result = server.push_ok("c1", [change("visits", vid, typed)])[0]
    assert result["status"] == "accepted", result
    assert vid in visible(server, "xinhui") and vid not in visible(server, "taishan")


@BACKENDS
def test_a_county_bureau_reviews_its_county_only_and_denials_reveal_nothing(server: Server) -> None:
    w = world(server)
    own, other = w["c1"]["visit"], w["c2"]["visit"]
    results = server.push_ok(
        "xinhui",
        [
            change("reviews", new_id(), {"record_id": own, "decision": "approved"}),
            change("reviews", new_id(), {"record_id": other, "decision": "approved"}),
            change("reviews", new_id(), {"record_id": new_id(), "decision": "approved"}),
        ],
    )
    assert results[0]["status"] == "accepted", results[0]
    assert results[1]["status"] == results[2]["status"] == "rejected"
    assert results[1]["reason_en"] == results[2]["reason_en"]
    # The commissioner sees the county's decision; the other county sees neither review nor visit.
    pulled = {c["id"]: c for c in server.pull_all("c1")[0]}
    assert pulled[own]["fields"]["review_status"] == "approved"
    assert own not in visible(server, "taishan")
    # Managers of another team may not review it either; the county's review is visible to m1.
    refused = server.push_ok("m2", [change("reviews", new_id(), {"record_id": own, "decision": "approved"})])
    assert refused[0]["status"] == "rejected" and refused[0]["reason_en"] == results[2]["reason_en"]
    assert results[0]["id"] in visible(server, "m1")


@BACKENDS
def test_a_county_bureau_writes_nothing_but_reviews(server: Server) -> None:
    w = world(server)
    tries = [
        change("visits", new_id(), visit_fields(w["c1"]["cid"])),
        change("visits", w["c1"]["visit"], visit_fields(w["c1"]["cid"], content="改写"), base_rev=1),
        change("teams", new_id(), {"name": "县团", "county": XINHUI}),
        change("reference", "county", {"version": 9, "items": "[]"}),
        change("assessment_rules", "2024", {"year": 2024, "toml": ""}),
        change("assessment_results", new_id(), {"commissioner_id": w["c1"]["cid"], "year": 2024}),
    ]
    results = server.push_ok("xinhui", tries)
    assert [r["status"] for r in results] == ["rejected"] * len(tries)


@BACKENDS
def test_a_county_account_needs_a_county_and_logs_in_with_it(server: Server) -> None:
    with pytest.raises(auth.UserAdminError):
        auth.add_user(server.engine, "nocounty", PASSWORD, "county")
    add(server, "kaiping", "county", "开平市")
    me = server.request("GET", "/me", "kaiping").json()
    assert me["role"] == "county" and me["county"] == "开平市" and me["commissioner_id"] is None
    # An empty store for it: public rows only.
    assert visible(server, "kaiping") == set()


@BACKENDS
def test_a_commissioner_moved_to_another_county_takes_their_records_along(server: Server) -> None:
    from sync.server.county import move_commissioner
    from sync.server.db import writing

    w = world(server)
    _, cursor = server.pull_all("taishan")
    with writing(server.engine) as conn:
        moved = move_commissioner(conn, w["c1"]["cid"], TAISHAN)
    assert moved == 3  # the target, the visit and its photo (no profile pushed here)
    later = {c["id"] for c in server.pull_all("taishan", since=cursor)[0]}
    assert {w["c1"]["visit"], w["c1"]["target"]} <= later
    assert w["c1"]["visit"] not in visible(server, "xinhui")
    # New records of the commissioner are scoped to the new county too.
    vid = new_id()
    typed = visit_fields(w["c1"]["cid"], target_id=w["c1"]["target"], visit_date="2024-05-03")
    assert server.push_ok("c1", [change("visits", vid, typed)])[0]["status"] == "accepted"
    assert vid in visible(server, "taishan") and vid not in visible(server, "xinhui")


@BACKENDS
def test_migration_6_backfills_the_county_scope_of_existing_records(engine_factory: Any) -> None:
    """A store made before county bureaus: teams and workstations get their own county, a
    commissioner's records their workstation's; the audit trail's triggers are in place."""
    import json

    from sqlalchemy import text

    from sync.server import migrations, timeutil
    from sync.server.app import create_app
    from sync.server.tables import counters
    from tests.sync.server_support import TestClient

    engine = engine_factory()
    migrations.migrate(engine, target=5)
    now = timeutil.now_iso()
    rows = [
        ("workstations", "station-x", None, None, "station-x", {"name": "双水工作站", "county": XINHUI}),
        ("teams", "team-x", None, "team-x", None, {"name": "柑橘团", "county": TAISHAN}),
        ("visits", "v-old", "c-old", "team-x", "station-x", visit_fields("c-old")),
        ("visits", "v-none", "c-none", "team-x", None, visit_fields("c-none")),
    ]
    with engine.begin() as conn:
        for seq, (table, rid, owner, team, station, fields) in enumerate(rows, start=1):
            conn.execute(
                text(
                    "INSERT INTO records (table_name, id, rev, server_seq, deleted, owner_id, team_id, "
                    "workstation_id, public, fields, updated_at, updated_by) VALUES (:t, :i, 1, :s, false, "
                    ":o, :team, :w, false, :f, :now, 'old')"
                ),
                {
                    "t": table,
                    "i": rid,
                    "s": seq,
                    "o": owner,
                    "team": team,
                    "w": station,
                    "f": json.dumps(fields, ensure_ascii=False),
                    "now": now,
                },
            )
        conn.execute(counters.update().values(value=len(rows)))
    assert migrations.migrate(engine) == list(range(6, migrations.HEAD + 1))
    with engine.connect() as conn:
        scoped = dict(conn.execute(select(records.c.id, records.c.county)).all())
    assert scoped == {"station-x": XINHUI, "team-x": TAISHAN, "v-old": XINHUI, "v-none": None}
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        s = Server(engine, client)
        add(s, "xinhui", "county", XINHUI)
        assert visible(s, "xinhui") == {"station-x", "v-old"}
    from sqlalchemy.exc import DBAPIError

    from sync.server import audit
    from sync.server.auth import User
    from sync.server.tables import audit_log

    with engine.begin() as conn:
        audit.record(conn, User("u", "boss", "bureau", "", None, None, None), "rules.edit", "x", None, 1)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(audit_log.delete())


def _station_world(server: Server) -> tuple[dict[str, Any], str]:
    """Two workstations, one in each county; a commissioner of the 新会区 station whose account names
    no county of its own (its county is the station's), with a visit and a target."""
    add(server, "boss", "bureau", "")
    add(server, "xinhui", "county", XINHUI)
    add(server, "taishan", "county", TAISHAN)
    for station, county in (("ws-x", XINHUI), ("ws-t", TAISHAN)):
        answer = server.request(
            "PUT", f"/admin/workstations/{station}", "boss", json={"name": station, "county": county}
        )
        assert answer.status_code == 200, answer.text
    auth.add_user(
        server.engine, "drifter", PASSWORD, "commissioner", commissioner_id="c-drifter", workstation_id="ws-x"
    )
    server.users["drifter"] = {"role": "commissioner", "commissioner_id": "c-drifter"}
    account = next(
        a for a in server.request("GET", "/admin/accounts", "boss").json() if a["username"] == "drifter"
    )
    vid, target = new_id(), new_id()
    server.push_ok(
        "drifter",
        [
            change("service_targets", target, {"name": "果园", "county": XINHUI, "town": "镇"}),
            change("visits", vid, visit_fields("c-drifter", target_id=target, county=XINHUI)),
        ],
    )
    assert {vid, target} <= visible(server, "xinhui") and vid not in visible(server, "taishan")
    return {"visit": vid, "target": target}, account["id"]


@BACKENDS
def test_a_commissioner_moved_to_a_station_of_another_county_takes_their_records_along(
    server: Server,
) -> None:
    """An account with no county of its own serves its workstation's county. Moved to a station of
    another county, its records stayed with the old county's bureau, which went on seeing and
    approving them, while the new county's saw none of the earlier work."""
    mine, account_id = _station_world(server)
    _, cursor = server.pull_all("taishan")
    moved = server.request("PATCH", f"/admin/accounts/{account_id}", "boss", json={"workstation_id": "ws-t"})
    assert moved.status_code == 200, moved.text
    assert set(mine.values()) <= {c["id"] for c in server.pull_all("taishan", since=cursor)[0]}
    assert not set(mine.values()) & visible(server, "xinhui")
    review = change(
        "reviews", new_id(), {"record_table": "visits", "record_id": mine["visit"], "decision": "approved"}
    )
    refused = server.push_ok("xinhui", [review])[0]
    assert refused["status"] == "rejected", refused


@BACKENDS
def test_records_follow_their_workstation_when_the_bureau_corrects_its_county(server: Server) -> None:
    mine, _ = _station_world(server)
    answer = server.request(
        "PUT", "/admin/workstations/ws-x", "boss", json={"name": "ws-x", "county": TAISHAN}
    )
    assert answer.status_code == 200, answer.text
    assert set(mine.values()) <= visible(server, "taishan")
    assert not set(mine.values()) & visible(server, "xinhui")
    # The same correction pushed from the bureau's application (a synced workstation record).
    station = next(
        c for c in server.pull_all("boss")[0] if c["table"] == "workstations" and c["id"] == "ws-x"
    )
    fields = {**station["fields"], "county": XINHUI}
    assert (
        server.push_ok("boss", [change("workstations", "ws-x", fields, base_rev=station["rev"])])[0]["status"]
        == "accepted"
    )
    assert set(mine.values()) <= visible(server, "xinhui")
    assert not set(mine.values()) & visible(server, "taishan")


@BACKENDS
def test_an_account_whose_own_county_is_cleared_serves_its_workstations_county(server: Server) -> None:
    """Clearing an account's county put its records in no county at all, where no county bureau saw
    them, although a write of the same commissioner went on to land in the station's county."""
    mine, account_id = _station_world(server)
    answer = server.request("PATCH", f"/admin/accounts/{account_id}", "boss", json={"county": TAISHAN})
    assert answer.status_code == 200, answer.text
    assert set(mine.values()) <= visible(server, "taishan")
    answer = server.request("PATCH", f"/admin/accounts/{account_id}", "boss", json={"county": ""})
    assert answer.status_code == 200, answer.text
    assert set(mine.values()) <= visible(server, "xinhui")


@BACKENDS
def test_the_history_of_a_public_record_names_its_writers_to_strangers_without_their_login_or_device(
    server: Server,
) -> None:
    """A cold try: any user of any county read, in the history of a demand another county's
    commissioner had taken up, the taker's login name (for a roster account, their mobile number)
    and device. Who sees a record sees who wrote it, by name; login and device only those who manage
    it, and each writer their own."""
    from tests.sync.test_server_push import published_demand, take_up_changes

    w = world(server)
    demand, published = published_demand(server)
    taken = server.push_ok("c1", take_up_changes(w["c1"]["cid"], demand, published, new_id()))
    assert [r["status"] for r in taken] == ["accepted", "accepted"]

    def writers(user: str) -> list[tuple[str, str, str]]:
        answer = server.request("GET", f"/records/demands/{demand}/history", user)
        assert answer.status_code == 200, answer.text
        return [(v["display_name"], v["username"], v["device_id"]) for v in answer.json()]

    stranger = writers("c2")
    assert [name for name, _, _ in stranger] == ["Boss", "C1"]
    assert all(login == device == "" for _, login, device in stranger), stranger
    assert writers("c1")[1] == ("C1", "c1", "dev-c1")  # one's own write
    assert writers("boss")[1] == ("C1", "c1", "dev-c1")
    assert writers("xinhui")[1] == ("C1", "c1", "dev-c1")  # the taker's county bureau
    assert writers("taishan")[1][1:] == ("", "")


@BACKENDS
def test_a_bureau_push_names_only_counties_of_the_reference_data(server: Server) -> None:
    """A second cold try: a bureau's push of a workstation with "蓬江区 " (a stray space) or a made-up
    county was taken, and the station's commissioners' records then left their county bureau's
    view (the admin endpoint refuses the same). A profile's county from the bureau is its account's."""
    mine, account_id = _station_world(server)
    station = next(
        c for c in server.pull_all("boss")[0] if c["table"] == "workstations" and c["id"] == "ws-x"
    )
    for county in (XINHUI + " ", "Nowhere-县"):
        fields = {**station["fields"], "county": county}
        [refused] = server.push_ok("boss", [change("workstations", "ws-x", fields, base_rev=station["rev"])])
        assert refused["status"] == "rejected", county
        assert "县（市、区）" in refused["reason_zh"]
    assert set(mine.values()) <= visible(server, "xinhui")
    # A profile pushed by the bureau keeps the county of its account.
    profile = {"name": "Drifter", "sending_unit": "五邑大学", "county": "火星县"}
    [made] = server.push_ok("boss", [change("commissioners", "c-drifter", profile)])
    assert made["status"] in ("accepted", "merged"), made
    [stored] = [
        c for c in server.pull_all("boss")[0] if c["table"] == "commissioners" and c["id"] == "c-drifter"
    ]
    assert stored["fields"]["county"] == ""  # (the account names no county of its own)
    del account_id


@BACKENDS
def test_a_group_named_as_another_groups_id_takes_none_of_its_members(server: Server) -> None:
    """A second cold try: a new workstation named "ws-x" (another station's id) took that station's
    commissioner, whose records moved to the new station's county."""
    mine, _ = _station_world(server)
    answer = server.request(
        "PUT", "/admin/workstations/ws-new", "boss", json={"name": "ws-x", "county": TAISHAN}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["joined"] == []
    assert set(mine.values()) <= visible(server, "xinhui")
