"""Server schema migrations on SQLite and PostgreSQL: a v1 database upgrades with its rows kept."""

from __future__ import annotations

from sqlalchemy import inspect, select

from sync.server import auth, migrations
from sync.server.tables import metadata, records, users
from tests.sync.server_support import (
    BACKENDS,
    Server,
    TestClient,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory"]


@BACKENDS
def test_a_fresh_database_has_exactly_the_current_schema(engine_factory: object) -> None:
    engine = engine_factory()  # type: ignore[operator]
    assert migrations.migrate(engine) == [v for v, _, _ in migrations.STEPS]
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {c.name for c in table.columns}, (
            table.name
        )
    assert migrations.migrate(engine) == []  # a second start changes nothing


@BACKENDS
def test_a_version_1_database_upgrades_keeping_its_rows(engine_factory: object) -> None:
    from sync.server.app import create_app

    engine = engine_factory()  # type: ignore[operator]
    migrations.migrate(engine, target=1)
    app = create_app(engine=engine, run_migrations=False)
    with TestClient(app) as client:
        server = Server(engine, client)
        cid = server.add_user("zhangsan", "commissioner")
        vid = new_id()
        server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
    applied = migrations.migrate(engine)
    assert applied == [v for v, _, _ in migrations.STEPS if v > 1]
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.HEAD
        assert conn.execute(select(users.c.username)).scalars().all() == ["zhangsan"]
        assert conn.execute(select(records.c.id)).scalars().all() == [vid]
    # The upgraded database serves the old data.
    with TestClient(create_app(engine=engine)) as client:
        server = Server(engine, client)
        pulled, _ = server.pull_all("zhangsan")
        assert [c["id"] for c in pulled] == [vid]
    assert auth.list_users(engine)[0]["commissioner_id"] == cid
