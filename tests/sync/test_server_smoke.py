"""Login, push and pull against the central store on SQLite and PostgreSQL."""

from __future__ import annotations

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

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


@BACKENDS
def test_commissioner_pushes_a_visit_and_pulls_it_back(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    visit_id = new_id()
    [result] = server.push_ok("zhangsan", [change("visits", visit_id, visit_fields(cid))])
    assert result["status"] == "accepted"
    assert result["rev"] == 1
    assert result["fields"]["review_status"] == "pending"  # the server decides the review state

    pulled, cursor = server.pull_all("zhangsan")
    [visit] = [c for c in pulled if c["id"] == visit_id]
    assert visit["fields"]["content"] == "指导柑橘园春季修剪和病虫害防治"
    assert visit["rev"] == 1 and visit["server_seq"] == result["server_seq"]
    assert cursor >= result["server_seq"]
    again, _ = server.pull_all("zhangsan", since=cursor)
    assert again == []
