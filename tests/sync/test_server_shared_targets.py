"""Who sees and writes shared service targets and agreements on the server (role x own team / other
team), and the refusals of a merge that names a target it may not (bad input: nothing saved)."""

from __future__ import annotations

from typing import Any

import pytest

from commissioner_app.credit_code import make_credit_code
from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    Server,
    achievement_fields,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def target_fields(**extra: Any) -> dict[str, Any]:
    return {
        "type": "cooperative",
        "name": "新会区双水陈皮专业合作社",
        "county": "新会区",
        "town": "双水镇",
        "contact_name": "陈伟",
        "contact_phone": "13800138000",
        "credit_code": "",
        **extra,
    }


def agreement_fields(commissioner_id: str, target_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "commissioner_id": commissioner_id,
        "target_id": target_id,
        "start_date": "2024-01-01",
        "end_date": "2025-12-31",
        "agreed": '{"visits": 10.0}',
        "status": "signed",
        **extra,
    }


@pytest.fixture
def world(server: Server) -> dict[str, Any]:
    ids = {
        "a": server.add_user("a", "commissioner"),
        "b": server.add_user("b", "commissioner"),
        "m": server.add_user("m", "manager"),
        "c": server.add_user("c", "commissioner", team=OTHER_TEAM, station="station-2"),
        "m2": server.add_user("m2", "manager", team=OTHER_TEAM, station="station-2"),
        "bureau": server.add_user("bureau", "bureau"),
    }
    target, agreement = new_id(), new_id()
    results = server.push_ok(
        "a",
        [
            change("service_targets", target, target_fields()),
            change("service_agreements", agreement, agreement_fields(ids["a"], target)),
        ],
    )
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    return {"ids": ids, "target": target, "agreement": agreement}


def merge_change(loser: str, into: str, name: str, base: int = 1) -> dict[str, Any]:
    """A push merging `loser` (named `name`) into `into`: its deletion with merged_into set."""
    return change("service_targets", loser, target_fields(name=name, merged_into=into), base, deleted=True)


def seen(server: Server, user: str) -> set[tuple[str, str]]:
    changes, _ = server.pull_all(user)
    return {(c["table"], c["id"]) for c in changes}


@pytest.mark.parametrize(
    ("user", "visible"),
    [("a", True), ("b", True), ("m", True), ("bureau", True), ("c", False), ("m2", False)],
)
def test_targets_and_agreements_are_seen_by_the_creators_team_and_the_bureau(
    server: Server,
    world: dict[str, Any],
    user: str,
    visible: bool,
) -> None:
    got = seen(server, user)
    assert (("service_targets", world["target"]) in got) is visible
    assert (("service_agreements", world["agreement"]) in got) is visible
    history = server.request("GET", f"/records/service_targets/{world['target']}/history", user)
    assert (history.status_code == 200) is visible


def test_a_colleague_corrects_contact_details_only_and_the_creator_keeps_the_target(
    server: Server,
    world: dict[str, Any],
) -> None:
    t = world["target"]
    (ok,) = server.push_ok("b", [change("service_targets", t, target_fields(contact_phone="13900139000"), 1)])
    assert ok["status"] == "accepted"
    (renamed,) = server.push_ok("b", [change("service_targets", t, target_fields(name="改名"), 2)])
    assert renamed["status"] == "rejected" and "联系人" in renamed["reason_zh"]
    (deleted,) = server.push_ok("b", [change("service_targets", t, target_fields(), 2, deleted=True)])
    assert deleted["status"] == "rejected"
    (outsider,) = server.push_ok("c", [change("service_targets", t, target_fields(contact_name="外人"), 2)])
    assert outsider["status"] == "rejected" and "权限" in outsider["reason_zh"]
    # The target is still the creator's: their own pull shows the colleague's phone.
    mine = {c["id"]: c for c in server.pull_all("a")[0]}
    assert mine[t]["fields"]["contact_phone"] == "13900139000"
    # A colleague may name it in their own visits and agreements; another team may not.
    (agreed,) = server.push_ok(
        "b", [change("service_agreements", new_id(), agreement_fields(world["ids"]["b"], t))]
    )
    assert agreed["status"] == "accepted"
    (refused,) = server.push_ok(
        "c", [change("service_agreements", new_id(), agreement_fields(world["ids"]["c"], t))]
    )
    assert refused["status"] == "rejected"


@BACKENDS
def test_merges_by_role_and_bad_merges_are_refused(server: Server, world: dict[str, Any]) -> None:
    t = world["target"]
    other = new_id()
    server.push_ok("b", [change("service_targets", other, target_fields(name="双水陈皮合作社"))])
    theirs = new_id()
    server.push_ok("c", [change("service_targets", theirs, target_fields(name="外队的合作社"))])

    def merge(user: str, loser: str, into: str, base: int = 1) -> dict[str, Any]:
        fields = target_fields(name="双水陈皮合作社", merged_into=into)
        return server.push_ok(user, [change("service_targets", loser, fields, base, deleted=True)])[0]

    assert merge("a", other, t)["status"] == "rejected"  # a commissioner, not the owner
    # Nor the owner, a commissioner: a merge re-points colleagues' records to the other target.
    mine = new_id()
    server.push_ok("a", [change("service_targets", mine, target_fields(name="甲自建的合作社"))])
    colleagues = new_id()
    server.push_ok("b", [change("visits", colleagues, visit_fields(world["ids"]["b"], target_id=mine))])
    refused = merge("a", mine, other)
    assert refused["status"] == "rejected" and "manager" in refused["reason_en"]
    pulled = {c["id"]: c for c in server.pull_all("b")[0]}
    assert pulled[colleagues]["fields"]["target_id"] == mine and pulled[colleagues]["rev"] == 1
    assert merge("m2", other, t)["status"] == "rejected"  # another team's manager: not even seen
    for bad in (other, new_id(), theirs):  # itself, nothing, a target the manager cannot see
        refused = merge("m", other, bad)
        assert refused["status"] == "rejected", bad
    assert {c["id"]: c for c in server.pull_all("bureau")[0]}[other]["deleted"] is False
    done = merge("m", other, t)
    assert done["status"] == "accepted"
    stored = {c["id"]: c for c in server.pull_all("bureau")[0]}[other]
    assert stored["deleted"] is True and stored["fields"]["merged_into"] == t


@BACKENDS
def test_a_second_target_with_a_credit_code_in_the_team_converges(
    server: Server, world: dict[str, Any]
) -> None:
    code = make_credit_code("91440705", "MA4UQ7K2")
    first, second, theirs = new_id(), new_id(), new_id()
    server.push_ok(
        "a", [change("service_targets", first, target_fields(type="enterprise", credit_code=code))]
    )
    visit = new_id()
    results = server.push_ok(
        "b",
        [
            change("service_targets", second, target_fields(type="enterprise", credit_code=code)),
            change("visits", visit, visit_fields(world["ids"]["b"], target_id=second)),
        ],
    )
    assert results[0]["status"] == "accepted" and results[0]["fields"]["merged_into"] == first
    assert results[1]["fields"]["target_id"] == first
    # Another team does not see the first one: its own target stays its own.
    (own,) = server.push_ok(
        "c", [change("service_targets", theirs, target_fields(type="enterprise", credit_code=code))]
    )
    assert "fields" not in own or not own["fields"].get("merged_into")


def test_the_bureau_merges_targets_of_two_teams_and_both_keep_seeing_the_one_that_stays(
    server: Server, world: dict[str, Any]
) -> None:
    t = world["target"]
    theirs, their_visit = new_id(), new_id()
    server.push_ok(
        "c",
        [
            change("service_targets", theirs, target_fields(name="双水陈皮合作社（外队）")),
            change("visits", their_visit, visit_fields(world["ids"]["c"], target_id=theirs)),
        ],
    )
    fields = target_fields(name="双水陈皮合作社（外队）", merged_into=t)
    (done,) = server.push_ok("bureau", [change("service_targets", theirs, fields, 1, deleted=True)])
    assert done["status"] == "accepted"
    for user in ("a", "c", "m2"):
        assert ("service_targets", t) in seen(server, user), user
    moved = {c["id"]: c for c in server.pull_all("c")[0]}[their_visit]
    assert moved["fields"]["target_id"] == t


@BACKENDS
def test_two_new_targets_with_one_credit_code_in_one_push_end_as_one(
    server: Server, world: dict[str, Any]
) -> None:
    """A cold try pushed two new companies with the same credit code in one batch: both stayed live.
    The second is now the merged duplicate of the first, as across pushes."""
    code = make_credit_code("91440705", "MA4UQ7K9")
    first, second = new_id(), new_id()
    results = server.push_ok(
        "a",
        [
            change("service_targets", first, target_fields(type="enterprise", credit_code=code)),
            change(
                "service_targets", second, target_fields(type="enterprise", credit_code=f" {code.lower()} ")
            ),
        ],
    )
    assert results[0]["status"] == "accepted" and not results[0].get("fields", {}).get("merged_into")
    assert results[1]["status"] == "accepted" and results[1]["fields"]["merged_into"] == first
    stored = {c["id"]: c for c in server.pull_all("a")[0]}
    assert stored[first]["deleted"] is False and stored[second]["deleted"] is True


@BACKENDS
@pytest.mark.parametrize(
    "space", ["\t", "\u3000", "\n", "\u00a0"], ids=["tab", "full-width", "newline", "no-break"]
)
def test_a_credit_code_kept_with_other_spaces_around_it_is_still_the_same_company(
    server: Server, world: dict[str, Any], space: str
) -> None:
    """A cold try stored a code with a tab (or a full-width space) around it, in lower case: a
    colleague's new target with the bare code was not recognised (the check took every kind of
    space off, the stored code's comparison only plain ones)."""
    code = make_credit_code("91440705", "MA4UQ7K8")
    first, second = new_id(), new_id()
    server.push_ok(
        "a",
        [
            change(
                "service_targets",
                first,
                target_fields(type="enterprise", credit_code=f"{space}{code.lower()}{space}"),
            )
        ],
    )
    (result,) = server.push_ok(
        "b", [change("service_targets", second, target_fields(type="enterprise", credit_code=code))]
    )
    assert result.get("fields", {}).get("merged_into") == first


# Found by an attacker's try: merges and restores that went round the rules above.


def test_a_merge_keeps_the_county_of_every_record_it_repoints(server: Server, world: dict[str, Any]) -> None:
    """A merge re-pointed the visits, problems and agreements of the merged target and dropped their
    county: the county bureau no longer saw them, nor could review them."""
    server.add_user("d", "commissioner", county="新会区")
    server.add_user("county1", "county", county="新会区")
    loser, v, agreement = new_id(), new_id(), new_id()
    server.push_ok(
        "d",
        [
            change("service_targets", loser, target_fields(name="双水陈皮合作社二")),
            change("visits", v, visit_fields("c-d", target_id=loser)),
            change("service_agreements", agreement, agreement_fields("c-d", loser)),
        ],
    )
    assert {("visits", v), ("service_agreements", agreement)} <= seen(server, "county1")
    fields = target_fields(name="双水陈皮合作社二", merged_into=world["target"])
    (done,) = server.push_ok("m", [change("service_targets", loser, fields, 1, deleted=True)])
    assert done["status"] == "accepted"
    pulled = {c["id"]: c for c in server.pull_all("county1")[0]}
    assert pulled[v]["fields"]["target_id"] == world["target"]
    assert pulled[agreement]["fields"]["target_id"] == world["target"]


def test_the_bureau_made_public_survivor_keeps_its_county(server: Server, world: dict[str, Any]) -> None:
    server.add_user("d", "commissioner", county="新会区")
    server.add_user("county1", "county", county="新会区")
    survivor, theirs = new_id(), new_id()
    server.push_ok("d", [change("service_targets", survivor, target_fields(name="双水陈皮合作社三"))])
    server.push_ok("c", [change("service_targets", theirs, target_fields(name="外队的合作社三"))])
    fields = target_fields(name="外队的合作社三", merged_into=survivor)
    (done,) = server.push_ok("bureau", [change("service_targets", theirs, fields, 1, deleted=True)])
    assert done["status"] == "accepted"
    with server.engine.connect() as conn:
        from sqlalchemy import text

        county = conn.execute(text("SELECT county FROM records WHERE id = :i"), {"i": survivor}).scalar_one()
    assert county == "新会区"


def test_a_colleague_cannot_restore_a_deleted_or_merged_target(server: Server, world: dict[str, Any]) -> None:
    t = world["target"]
    (gone,) = server.push_ok("a", [change("service_targets", t, target_fields(), 1, deleted=True)])
    assert gone["status"] == "accepted"
    (back,) = server.push_ok("b", [change("service_targets", t, target_fields(), 2)])
    assert back["status"] == "rejected"
    merged_one = new_id()
    server.push_ok("a", [change("service_targets", merged_one, target_fields(name="甲的第二个合作社"))])
    survivor = new_id()
    server.push_ok("a", [change("service_targets", survivor, target_fields(name="甲的第三个合作社"))])
    fields = target_fields(name="甲的第二个合作社", merged_into=survivor)
    assert (
        server.push_ok("m", [change("service_targets", merged_one, fields, 1, deleted=True)])[0]["status"]
        == "accepted"
    )
    for user in ("b", "a"):  # a colleague, and the owner too: a merge is undone by the bureau only
        (undone,) = server.push_ok(
            user,
            [
                change(
                    "service_targets", merged_one, target_fields(name="甲的第二个合作社", merged_into=""), 2
                )
            ],
        )
        assert undone["status"] == "rejected", user
    stored = {c["id"]: c for c in server.pull_all("bureau")[0]}
    assert stored[t]["deleted"] is True
    assert stored[merged_one]["deleted"] is True and stored[merged_one]["fields"]["merged_into"] == survivor


def test_only_the_creators_team_corrects_a_public_target(server: Server, world: dict[str, Any]) -> None:
    """Public targets (the bureau's, or one the bureau merged two teams' into) are seen by everyone:
    seeing one let any commissioner in the city change its phone and address."""
    public = new_id()
    server.push_ok("bureau", [change("service_targets", public, target_fields(name="市局登记的合作社"))])
    (faked,) = server.push_ok(
        "c",
        [
            change(
                "service_targets",
                public,
                target_fields(name="市局登记的合作社", contact_phone="13800000000"),
                1,
            )
        ],
    )
    assert faked["status"] == "rejected"
    theirs = new_id()
    server.push_ok("c", [change("service_targets", theirs, target_fields(name="外队的合作社四"))])
    fields = target_fields(name="外队的合作社四", merged_into=world["target"])
    server.push_ok("bureau", [change("service_targets", theirs, fields, 1, deleted=True)])
    (other_team,) = server.push_ok(
        "c", [change("service_targets", world["target"], target_fields(contact_phone="13700000000"), 1)]
    )
    assert other_team["status"] == "rejected"
    (own_team,) = server.push_ok(
        "b", [change("service_targets", world["target"], target_fields(contact_phone="13900139000"), 1)]
    )
    assert own_team["status"] in ("accepted", "merged")  # (the bureau's merge made it public meanwhile)


def test_a_merge_changes_nothing_but_where_the_target_went(server: Server, world: dict[str, Any]) -> None:
    loser = new_id()
    server.push_ok("a", [change("service_targets", loser, target_fields(name="甲的合作社五"))])
    renamed = target_fields(name="被站长改名", notes="x", merged_into=world["target"])
    (refused,) = server.push_ok("m", [change("service_targets", loser, renamed, 1, deleted=True)])
    assert refused["status"] == "rejected"
    live = target_fields(name="甲的合作社五", merged_into=world["target"])
    (half,) = server.push_ok("m", [change("service_targets", loser, live, 1)])
    assert half["status"] == "rejected"  # merged, yet live
    new = new_id()
    (born_merged,) = server.push_ok(
        "a", [change("service_targets", new, target_fields(name="新的", merged_into=loser))]
    )
    assert born_merged["status"] == "rejected"
    stored = {c["id"]: c for c in server.pull_all("bureau")[0]}
    assert stored[loser]["fields"]["name"] == "甲的合作社五" and stored[loser]["deleted"] is False
    assert new not in stored


def test_a_colleagues_change_beyond_the_contacts_gives_back_the_target_as_it_stands(
    server: Server, world: dict[str, Any]
) -> None:
    """A cold try: the target dialog let a colleague change a shared target's kind; the server
    refused it at every sync, naming the raw field `type`, and the laptop kept the refused edit.
    The refusal now carries the target as it stands (the laptop takes it, and says why once), and
    names the fields as the application does."""
    t = world["target"]
    (refused,) = server.push_ok("b", [change("service_targets", t, target_fields(type="enterprise"), 1)])
    assert refused["status"] == "rejected"
    assert "类型（type）" in refused["reason_zh"] and "Type (type)" in refused["reason_en"]
    assert refused["fields"]["type"] == "cooperative" and refused["rev"] == 1


# A second attacker's try, at the rules above.


def test_a_managers_merge_stays_within_the_group_and_cannot_take_a_public_target(
    server: Server, world: dict[str, Any]
) -> None:
    """A manager's merge into a target of their own with another workstation made it public to the
    whole city; merging a public target (one the bureau had merged two teams' into) into a private
    one left the other team's visits naming a target they could not see."""
    server.add_user("m3", "manager", station=None)  # of the team, not of its workstation
    own = new_id()
    server.push_ok("m3", [change("service_targets", own, target_fields(name="团长自建的合作社"))])
    fields = target_fields(merged_into=own)
    (cross,) = server.push_ok("m3", [change("service_targets", world["target"], fields, 1, deleted=True)])
    assert cross["status"] == "rejected"
    assert ("service_targets", own) not in seen(server, "c")  # still the team's, not public
    theirs, their_visit = new_id(), new_id()
    server.push_ok(
        "c",
        [
            change("service_targets", theirs, target_fields(name="外队的合作社六")),
            change("visits", their_visit, visit_fields(world["ids"]["c"], target_id=theirs)),
        ],
    )
    server.push_ok(
        "bureau",
        [merge_change(theirs, world["target"], "外队的合作社六", 1)],
    )
    private = new_id()
    server.push_ok("a", [change("service_targets", private, target_fields(name="甲的私有合作社"))])
    public_rev = {c["id"]: c for c in server.pull_all("bureau")[0]}[world["target"]]["rev"]
    (taken,) = server.push_ok(
        "m",
        [
            change(
                "service_targets",
                world["target"],
                target_fields(merged_into=private),
                public_rev,
                deleted=True,
            )
        ],
    )
    assert taken["status"] == "rejected"
    moved = {c["id"]: c for c in server.pull_all("c")[0]}[their_visit]
    assert moved["fields"]["target_id"] == world["target"]
    assert ("service_targets", world["target"]) in seen(server, "c")


def test_a_target_stored_without_a_later_field_is_still_corrected_and_merged(
    server: Server, world: dict[str, Any]
) -> None:
    """A target pushed by an application from before merged_into existed has no such key: a
    colleague's contact correction sending merged_into "" was refused as changing it."""
    old = new_id()
    fields = target_fields(name="老版本建的合作社")
    server.push_ok("a", [change("service_targets", old, fields)])
    (corrected,) = server.push_ok(
        "b", [change("service_targets", old, {**fields, "merged_into": "", "contact_name": "王五"}, 1)]
    )
    assert corrected["status"] == "accepted", corrected
    (merged,) = server.push_ok(
        "m",
        [
            change(
                "service_targets",
                old,
                {**fields, "contact_name": "王五", "merged_into": world["target"], "notes": ""},
                2,
                deleted=True,
            )
        ],
    )
    assert merged["status"] == "accepted", merged


def test_a_refused_change_of_a_target_one_sees_gives_it_back_as_it_stands(
    server: Server, world: dict[str, Any]
) -> None:
    """Refusals of a colleague's delete or restore carried no server version: the laptop kept the
    change and sent it again at every sync."""
    t = world["target"]
    (deleted,) = server.push_ok("b", [change("service_targets", t, target_fields(), 1, deleted=True)])
    assert deleted["status"] == "rejected" and deleted["rev"] == 1 and deleted["deleted"] is False
    (outsider,) = server.push_ok("c", [change("service_targets", t, target_fields(contact_name="外人"), 1)])
    assert outsider["status"] == "rejected" and "fields" not in outsider  # not seen: nothing told


def test_an_achievement_naming_a_merged_target_follows_the_merge(
    server: Server, world: dict[str, Any]
) -> None:
    loser = new_id()
    server.push_ok("a", [change("service_targets", loser, target_fields(name="甲的合作社七"))])
    achievement = new_id()
    fields = achievement_fields(world["ids"]["a"], target_id=loser)
    (made,) = server.push_ok("a", [change("achievements", achievement, fields)])
    assert made["status"] == "accepted", made
    server.push_ok(
        "m",
        [merge_change(loser, world["target"], "甲的合作社七", 1)],
    )
    moved = {c["id"]: c for c in server.pull_all("a")[0]}[achievement]
    assert moved["fields"]["target_id"] == world["target"]


def test_a_manager_merges_into_a_target_everyone_who_saw_the_merged_one_sees(
    server: Server, world: dict[str, Any]
) -> None:
    """A third try: the rule wanted the same team and the same workstation, refusing a merge of a
    team-only target into one of that team and a workstation (everyone who saw the first sees the
    second); and its refusal left the manager's laptop with the merge made there."""
    server.add_user("e", "commissioner", station=None)
    server.add_user("m3", "manager", station=None)
    team_only = new_id()
    server.push_ok("e", [change("service_targets", team_only, target_fields(name="团队自建的合作社"))])
    fields = target_fields(name="团队自建的合作社", merged_into=world["target"])
    (done,) = server.push_ok("m3", [change("service_targets", team_only, fields, 1, deleted=True)])
    assert done["status"] == "accepted", done
    assert ("service_targets", world["target"]) not in seen(server, "c")  # not made public
    # The other way round: the workstation's members outside the team would lose it.
    wide = new_id()
    server.push_ok("a", [change("service_targets", wide, target_fields(name="甲的合作社八"))])
    narrow = new_id()
    server.push_ok("e", [change("service_targets", narrow, target_fields(name="团队的合作社九"))])
    into_narrow = target_fields(name="甲的合作社八", merged_into=narrow)
    (refused,) = server.push_ok("m3", [change("service_targets", wide, into_narrow, 1, deleted=True)])
    assert refused["status"] == "rejected" and "都能看到" in refused["reason_zh"]
    assert refused["deleted"] is False and refused["fields"].get("merged_into", "") == ""
