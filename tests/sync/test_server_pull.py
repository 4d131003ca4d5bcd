"""Pull scope and paging: each role sees exactly what it may, in server order, tombstones included."""

from __future__ import annotations

from tests.sync.server_support import (
    BACKENDS,
    OTHER_TEAM,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def populate(server: Server) -> dict[str, str]:
    """Two commissioners and a manager of team-1, one commissioner of team-2, a bureau; records of each."""
    zhang = server.add_user("zhangsan", "commissioner")
    li = server.add_user("lisi", "commissioner")
    wang = server.add_user("wangwu", "commissioner", team=OTHER_TEAM, station="station-2")
    server.add_user("manager", "manager")
    server.add_user("manager2", "manager", team=OTHER_TEAM, station="station-2")
    server.add_user("boss", "bureau")
    ids = {
        "zhang_visit": new_id(),
        "li_visit": new_id(),
        "wang_visit": new_id(),
        "zhang_target": new_id(),
        "demand": new_id(),
        "team1": "team-1",
        "team2": OTHER_TEAM,
    }
    server.push_ok(
        "boss",
        [
            change("teams", "team-1", {"name": "一团"}),
            change("teams", OTHER_TEAM, {"name": "二团"}),
            change("workstations", "station-1", {"name": "一站"}),
            change("commissioners", zhang, {"name": "张三", "sending_unit": "五邑大学", "team_id": "team-1"}),
            change(
                "commissioners", wang, {"name": "王五", "sending_unit": "暨南大学", "team_id": OTHER_TEAM}
            ),
            change(
                "reference", "county", {"version": "1", "items": [{"code": "440705", "name_zh": "新会区"}]}
            ),
            change("assessment_rules", "2024", {"year": 2024, "toml": "year = 2024\n"}),
            change(
                "demands",
                ids["demand"],
                {"title": "鳗鱼养殖水质", "description": "需要在线监测", "status": "published"},
            ),
        ],
    )
    server.push_ok(
        "zhangsan",
        [
            change("visits", ids["zhang_visit"], visit_fields(zhang)),
            change("service_targets", ids["zhang_target"], {"name": "新会陈皮村", "type": "village"}),
        ],
    )
    server.push_ok("lisi", [change("visits", ids["li_visit"], visit_fields(li))])
    server.push_ok("wangwu", [change("visits", ids["wang_visit"], visit_fields(wang))])
    return ids


def seen(server: Server, user: str) -> set[tuple[str, str]]:
    pulled, _ = server.pull_all(user)
    return {(c["table"], c["id"]) for c in pulled}


@BACKENDS
def test_each_role_pulls_exactly_its_scope(server: Server) -> None:
    ids = populate(server)
    public = {("reference", "county"), ("assessment_rules", "2024"), ("demands", ids["demand"])}
    zhang = seen(server, "zhangsan")
    assert zhang == public | {
        ("visits", ids["zhang_visit"]),
        ("service_targets", ids["zhang_target"]),
        ("teams", "team-1"),
        ("workstations", "station-1"),
        ("commissioners", "c-zhangsan"),
    }
    manager = seen(server, "manager")
    assert ("visits", ids["li_visit"]) in manager and ("visits", ids["zhang_visit"]) in manager
    assert ("visits", ids["wang_visit"]) not in manager and ("teams", OTHER_TEAM) not in manager
    manager2 = seen(server, "manager2")
    assert ("visits", ids["wang_visit"]) in manager2 and ("visits", ids["zhang_visit"]) not in manager2
    everything = seen(server, "boss")
    assert zhang | manager | manager2 <= everything and ("commissioners", "c-wangwu") in everything


@BACKENDS
def test_pull_pages_in_server_order_with_tombstones(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    ids = [new_id() for _ in range(7)]
    server.push_ok("zhangsan", [change("visits", i, visit_fields(cid)) for i in ids])
    server.push_ok("zhangsan", [change("visits", ids[0], visit_fields(cid), base_rev=1, deleted=True)])
    pages, since = [], 0
    while True:
        page = server.request("GET", f"/sync/pull?since={since}&limit=3", "zhangsan").json()
        pages.append(page["changes"])
        since = page["next_since"]
        if not page["has_more"]:
            break
    flat = [c for p in pages for c in p]
    assert all(len(p) <= 3 for p in pages) and len(flat) == 7
    seqs = [c["server_seq"] for c in flat]
    assert seqs == sorted(seqs)
    assert flat[-1]["id"] == ids[0] and flat[-1]["deleted"] is True  # the delete moved it to the end
    nothing = server.request("GET", f"/sync/pull?since={since}", "zhangsan").json()
    assert nothing["changes"] == [] and nothing["next_since"] == since and nothing["has_more"] is False


@BACKENDS
def test_the_cursor_skips_changes_the_caller_may_not_see(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    wang = server.add_user("wangwu", "commissioner", team=OTHER_TEAM, station=None)
    server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(zhang))])
    _, cursor = server.pull_all("zhangsan")
    [other] = server.push_ok("wangwu", [change("visits", new_id(), visit_fields(wang))])
    page = server.request("GET", f"/sync/pull?since={cursor}", "zhangsan").json()
    assert page["changes"] == [] and page["next_since"] == other["server_seq"]


@BACKENDS
def test_bad_pull_parameters_are_refused(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    for query in ("since=-1", "since=abc", "limit=0", "limit=100000"):
        answer = server.request("GET", f"/sync/pull?{query}", "zhangsan")
        assert answer.status_code == 422, query
        assert answer.json()["error"] == "invalid_request"


@BACKENDS
def test_the_first_page_counts_what_remains_within_the_callers_scope_only(server: Server) -> None:
    populate(server)
    for user in ("zhangsan", "lisi", "wangwu", "manager", "manager2", "boss"):
        everything, _ = server.pull_all(user)
        page = server.request("GET", "/sync/pull?since=0&limit=2&count=true", user).json()
        # Exactly what the pull brings: records out of the caller's scope are not even counted.
        assert page["remaining"] == len(everything), user
        assert len(page["changes"]) == 2
        # From a later cursor the count is what is left after it.
        later = server.request("GET", f"/sync/pull?since={page['next_since']}&count=true", user).json()
        assert later["remaining"] == len(everything) - 2 == len(later["changes"]), user


@BACKENDS
def test_the_count_is_given_only_when_asked(server: Server) -> None:
    populate(server)
    page = server.request("GET", "/sync/pull?since=0", "zhangsan").json()
    assert "remaining" not in page  # an answer as before for a client that does not ask
    _, cursor = server.pull_all("zhangsan")
    page = server.request("GET", f"/sync/pull?since={cursor}&count=true", "zhangsan").json()
    assert page["remaining"] == 0 and page["changes"] == []
