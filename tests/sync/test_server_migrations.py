"""Server schema migrations on SQLite and PostgreSQL: a v1 database upgrades with its rows kept."""

from __future__ import annotations

from typing import Any

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
    import hashlib

    from sync.server import schema_v1, timeutil
    from sync.server.app import create_app
    from sync.server.tables import login_attempts, upload_owners, uploads

    engine = engine_factory()  # type: ignore[operator]
    migrations.migrate(engine, target=1)
    # Rows as the version 1 server wrote them (its own tables, not today's code).
    now = timeutil.now_iso()
    data = b"photo bytes" * 100
    sha = hashlib.sha256(data).hexdigest()
    vid, cid = new_id(), "c-zhangsan"
    with engine.begin() as conn:
        conn.execute(
            schema_v1.users.insert().values(
                id="u-1",
                username="zhangsan",
                password_hash=auth.hash_password("correct horse battery"),
                role="commissioner",
                display_name="张三",
                commissioner_id=cid,
                team_id="team-1",
                workstation_id="station-1",
                disabled=False,
                created_at=now,
            )
        )
        conn.execute(
            schema_v1.login_attempts.insert().values(username="zhangsan", failures=2, last_failure_at=now)
        )
        conn.execute(
            schema_v1.uploads.insert().values(
                sha256=sha,
                received=len(data),
                complete=True,
                size=len(data),
                created_by="u-1",
                created_at=now,
                updated_at=now,
            )
        )
        conn.execute(schema_v1.upload_chunks.insert().values(sha256=sha, offset=0, data=data))
        old_visit = new_id()
        conn.execute(
            schema_v1.records.insert().values(
                table_name="visits",
                id=old_visit,
                rev=1,
                server_seq=1,
                deleted=False,
                owner_id=cid,
                team_id="team-1",
                workstation_id="station-1",
                public=False,
                fields='{"content": "旧记录"}',
                updated_at=now,
                updated_by="zhangsan",
            )
        )
        conn.execute(schema_v1.counters.update().values(value=1))
    applied = migrations.migrate(engine)
    assert applied == [v for v, _, _ in migrations.STEPS if v > 1]
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.HEAD
        assert conn.execute(select(users.c.username)).scalars().all() == ["zhangsan"]
        [attempt] = conn.execute(select(login_attempts)).all()
        assert (attempt.username, attempt.address, attempt.failures) == ("zhangsan", "*", 2)
        [owner] = conn.execute(select(upload_owners)).all()
        assert (owner.sha256, owner.user_id, owner.commissioner_id, owner.complete) == (sha, "u-1", cid, True)
        assert conn.execute(select(uploads.c.sha256)).scalars().all() == [sha]
    # The upgraded database serves the old data: the account logs in, pushes, pulls and downloads.
    with TestClient(create_app(engine=engine)) as client:
        server = Server(engine, client)
        server.users["zhangsan"] = {"role": "commissioner", "commissioner_id": cid}
        server.push_ok("zhangsan", [change("visits", vid, visit_fields(cid))])
        attachment = {"sha256": sha, "owner_table": "visits", "owner_id": vid, "size": len(data)}
        server.push_ok("zhangsan", [change("attachments", new_id(), attachment)])
        pulled, _ = server.pull_all("zhangsan")
        assert {old_visit, vid} <= {c["id"] for c in pulled}
        assert server.request("GET", f"/attachments/{sha}", "zhangsan").content == data
    assert auth.list_users(engine)[0]["commissioner_id"] == cid
    with engine.connect() as conn:
        assert conn.execute(select(records.c.id).where(records.c.id == vid)).scalar() == vid


@BACKENDS
def test_the_sha256_index_holds_only_records_that_name_a_file_and_still_serves_the_file_lookups(
    engine_factory: object,
) -> None:
    """Most records name no file: every push paid for an index entry of their empty sha256. The index
    is partial, and the look-ups by hash (a download's check, the upload quota, pruning) still use it."""
    from sqlalchemy import event, text

    from sync.server import attachments, maintenance
    from sync.server.auth import User

    engine = engine_factory()  # type: ignore[operator]
    migrations.migrate(engine)
    sqlite = engine.dialect.name == "sqlite"
    definition = (
        "SELECT sql FROM sqlite_master WHERE name = 'ix_records_sha256'"
        if sqlite
        else "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_records_sha256' "
        "AND schemaname = current_schema()"
    )
    with engine.connect() as conn:
        sql = conn.execute(text(definition)).scalar()
    assert "sha256 IS NOT NULL" in str(sql), sql

    statements: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "records.sha256" in statement:
            statements.append((statement, parameters))

    user = User("u-1", "zhangsan", "commissioner", "张三", "c-1", "team-1", "station-1")
    event.listen(engine, "before_cursor_execute", grab)
    try:
        with engine.begin() as conn:
            attachments.visible_hashes(conn, user, ["a" * 64, "b" * 64])
            attachments._quota_used(conn, user)
        maintenance.prune(engine)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert len(statements) == 3
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    with engine.connect() as conn:
        if not sqlite:
            conn.execute(text("SET enable_seqscan = off"))  # an empty table: plan as for a full one
        plans = [
            "\n".join(str(row[-1]) for row in conn.exec_driver_sql(explain + statement, parameters))
            for statement, parameters in statements
        ]
    for (statement, _), plan in zip(statements, plans, strict=True):
        assert "ix_records_sha256" in plan, (statement, plan)


def test_a_server_refuses_a_database_a_newer_server_has_migrated(tmp_path: Any, capsys: Any) -> None:
    from sqlalchemy import insert

    from sync import server_cli
    from sync.server.db import make_engine
    from sync.server.tables import schema_versions

    url = f"sqlite:///{tmp_path / 'central.db'}"
    engine = make_engine(url)
    migrations.migrate(engine)
    with engine.begin() as conn:  # as a later version would leave it
        conn.execute(
            insert(schema_versions).values(version=migrations.HEAD + 1, name="later", applied_at="2027-01-01")
        )
    before = [r.version for r in engine.connect().execute(select(schema_versions.c.version))]
    assert server_cli.main(["--database", url, "user", "list"]) == server_cli.EXIT_USER_ERROR
    said = capsys.readouterr().err
    assert (
        f"本程序只支持到 {migrations.HEAD}" in said and "restore the backup made before the upgrade" in said
    )
    assert [r.version for r in engine.connect().execute(select(schema_versions.c.version))] == before
