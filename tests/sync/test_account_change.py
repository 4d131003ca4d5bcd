"""An account the bureau moves to another team (or gives another role or county) sees its new
scope at the next sync: a cold try found a manager's review queue and team view empty after the
bureau moved them, until they logged out and in again; and records of the new team stored before
the move never reached them, their cursor being past them."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from sqlalchemy import text

from commissioner_app.domain import Visit
from sync.session import user_info
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def test_a_manager_moved_to_another_team_gets_its_records_at_the_next_sync(
    sqlite_server: Server, tmp_path: Path
) -> None:
    server = sqlite_server
    rng = random.Random(5)
    member = str(uuid.uuid4())
    server.add_user("wangjg", commissioner_id=member, team="team-new")
    wang = commissioner_store(tmp_path / "wang", member, "王建国")
    visits = [add_visit(wang, rng, add_target(wang, rng), f"第{i}次") for i in range(3)]
    assert connect(wang, server.url, "wangjg").sync().rejected == 0

    boss = str(uuid.uuid4())
    server.add_user("linzz", "manager", commissioner_id=boss, team="team-old")
    lin = commissioner_store(tmp_path / "lin", boss, "林站长")
    lin_sync = connect(lin, server.url, "linzz")
    lin_sync.sync()
    assert lin.get(Visit, visits[0].id) is None  # another team's
    with server.engine.begin() as conn:  # the bureau moves the manager (组织与账号 → 修改角色与归属)
        conn.execute(text("UPDATE users SET team_id = 'team-new' WHERE username = 'linzz'"))
    lin_sync.sync()
    assert (user_info(lin) or {}).get("team_id") == "team-new"
    assert all(lin.get(Visit, v.id) is not None for v in visits), "the new team's earlier visits"
    again = lin_sync.sync()
    assert again.pulled == 0  # once: the next sync has nothing to bring again
