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


@BACKENDS
def test_answers_are_gzipped_and_the_api_is_described(server: Server) -> None:
    cid = server.add_user("zhangsan", "commissioner")
    server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid)) for _ in range(20)])
    answer = server.request("GET", "/sync/pull?since=0", "zhangsan", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip" and len(answer.json()["changes"]) == 20
    spec = server.client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/auth/login",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/attachments/{sha256}",
        "/api/v1/attachments/{sha256}/complete",
    } <= set(spec["paths"])
    params = spec["paths"]["/api/v1/me"]["get"]["parameters"]
    assert any(p["name"] == "X-Protocol-Version" and p["in"] == "header" for p in params)
