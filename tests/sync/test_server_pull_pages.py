"""A pull page of anyone but the bureau is, on PostgreSQL, the union of one ordered index range per
way of seeing a record (sync/server/pull.py). Whatever the page size, it must deliver exactly what
the one visibility rule allows, in server order, each record once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync.server.auth import User
from sync.server.scope import visible_clause
from sync.server.tables import records, users
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


def _expected(server: Server, name: str) -> list[tuple[str, str]]:
    with server.engine.connect() as conn:
        user = User.from_row(conn.execute(select(users).where(users.c.username == name)).one())
        rows = conn.execute(
            select(records.c.table_name, records.c.id)
            .where(visible_clause(user))
            .order_by(records.c.server_seq)
        ).all()
    return [(r.table_name, r.id) for r in rows]


@BACKENDS
@pytest.mark.parametrize("limit", [1, 2, 3, 7, 500])
def test_every_page_size_gives_what_the_rule_allows_once_in_order(server: Server, limit: int) -> None:
    me = server.add_user("wang", "commissioner")
    mate = server.add_user("li", "commissioner")
    stranger = server.add_user("zhao", "commissioner", team=OTHER_TEAM, station="station-9")
    server.add_user("lead", "manager")
    server.add_user("bureau", "bureau")
    # A county bureau (县科技局) sees its county's records: wang's and li's are of 新会区.
    server.add_user("xinhui", "county", team=None, station=None, county="新会区")
    with server.engine.begin() as conn:
        conn.execute(users.update().where(users.c.username.in_(["wang", "li"])).values(county="新会区"))
    # Interleaved: own records, a teammate's profile and visits, public rows, a stranger's work.
    for round_ in range(4):
        server.push_ok("wang", [change("visits", new_id(), visit_fields(me)) for _ in range(2)])
        server.push_ok("li", [change("visits", new_id(), visit_fields(mate))])
        # A target li made is shared with the team: wang sees it, zhao does not.
        server.push_ok(
            "li", [change("service_targets", new_id(), {"name": f"李氏合作社{round_}", "type": "enterprise"})]
        )
        server.push_ok("zhao", [change("visits", new_id(), visit_fields(stranger))])
        server.push_ok(
            "bureau",
            [change("service_targets", new_id(), {"name": f"公共合作社{round_}", "type": "enterprise"})],
        )
        if round_ == 1:
            for name, cid in (("wang", me), ("li", mate), ("zhao", stranger)):
                server.push_ok(name, [change("commissioners", cid, {"name": name, "sending_unit": "农科院"})])
    for name in ("wang", "li", "lead", "zhao", "xinhui"):
        pulled, _ = server.pull_all(name, limit=limit)
        got = [(c["table"], c["id"]) for c in pulled]
        assert got == _expected(server, name), name
        assert len(set(got)) == len(got)
        seqs = [c["server_seq"] for c in pulled]
        assert seqs == sorted(seqs)
        if name == "xinhui":
            assert len([t for t in got if t[0] == "visits"]) == 12  # wang's 8 and li's 4, not zhao's
        if name == "wang":
            assert len([t for t in got if t[0] == "service_targets"]) == 8  # li's 4 and the public 4
