"""Schemathesis against the real app on SQLite and PostgreSQL, with a valid bearer token and NUL
bytes allowed in generated strings, bounded in time: no operation ever answers 5xx.

In-process (ASGI, one client per database for the whole run): every operation of the OpenAPI
description in turn, positive and negative cases, as a commissioner and as the bureau. Each
generated case is sent to both databases (generating is most of the cost). The run stops after
FUZZ_CASES cases (default 10,000) or FUZZ_SECONDS seconds (default 540), whichever comes first;
the figures (cases per database, answers by status, wall and CPU seconds) are printed and, when
FUZZ_REPORT names a file, appended to it.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the `test` extra")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.python import asgi  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from sync.protocol import PROTOCOL_HEADER  # noqa: E402
from sync.server import auth, timeutil  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from sync.server.db import make_engine  # noqa: E402
from sync.server.tables import tokens, users  # noqa: E402
from tests.sync.server_support import (  # noqa: E402
    POSTGRES_URL,
    Server,
    TestClient,
    _pg_problem,
    change,
    cheap_password_hashes,
    new_id,
    visit_fields,
)

__all__ = ["cheap_password_hashes"]

warnings.filterwarnings("ignore", category=DeprecationWarning)
SECONDS = float(os.environ.get("FUZZ_SECONDS", "540"))
CASES = int(os.environ.get("FUZZ_CASES", "10000"))
ROUND = 25  # examples per operation, mode and user before moving on to the next


@contextmanager
def postgres_engine() -> Iterator[Any]:
    problem = _pg_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required when CI=true and is not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Target:
    """One database behind its own app, with its own accounts and the token each case is sent with."""

    def __init__(self, name: str, engine: Any) -> None:
        self.name = name
        self.app = create_app(engine=engine)
        self.client = TestClient(self.app, raise_server_exceptions=False)
        self.server = Server(engine, self.client)
        cid = self.server.add_user("zhangsan", "commissioner")
        self.server.add_user("boss", "bureau")
        self.server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid))])
        self.tokens: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.statuses: dict[int, int] = {}
        for user in ("zhangsan", "boss"):
            assert self.server.login(user).status_code == 200  # the real login works too
            self.authorise(user)

    def authorise(self, user: str) -> None:
        if user not in self.tokens:
            # Fuzzed logouts revoke the token often: a new one straight into the database, as a
            # login would make it (a login per logout would cost more than the fuzzing).
            token = secrets.token_urlsafe(32)
            with self.server.engine.begin() as conn:
                user_id = conn.execute(select(users.c.id).where(users.c.username == user)).scalar_one()
                conn.execute(
                    tokens.insert().values(
                        token_hash=auth.token_hash(token),
                        user_id=user_id,
                        device_id="fuzz",
                        created_at=timeutil.now_iso(),
                        expires_at=timeutil.iso(timeutil.now() + auth.TOKEN_LIFETIME),
                        revoked=False,
                    )
                )
            self.tokens[user] = token
        self.headers.clear()
        self.headers.update({PROTOCOL_HEADER: "1", "Authorization": f"Bearer {self.tokens[user]}"})


@pytest.mark.slow
@pytest.mark.postgres
def test_no_authenticated_case_answers_with_a_server_error(tmp_path: Path) -> None:
    sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with postgres_engine() as pg_engine:
        targets = [Target("sqlite", sqlite_engine), Target("postgresql", pg_engine)]
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", targets[0].app)
        schema.config.generation.update(allow_x00=True)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 9
        failures: list[str] = []
        cases = 0
        current = ["zhangsan"]  # the user the cases are sent as
        started, cpu = time.monotonic(), time.process_time()

        def done() -> bool:
            return cases >= CASES or time.monotonic() - started >= SECONDS

        sessions = [asgi.get_client(t.app) for t in targets]
        for session in sessions:
            session.__enter__()
        try:
            while not done():
                for operation in operations:
                    for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                        for user in ("zhangsan", "boss"):
                            if done():
                                break
                            current[0] = user
                            for t in targets:
                                t.authorise(user)

                            @settings(
                                max_examples=ROUND,
                                deadline=None,
                                database=None,
                                phases=[Phase.generate],
                                suppress_health_check=list(HealthCheck),
                            )
                            @given(case=operation.as_strategy(generation_mode=mode))
                            def run(case: Any) -> None:
                                nonlocal cases
                                cases += 1
                                for t, session in zip(targets, sessions, strict=True):
                                    response = case.call(session=session, headers=t.headers)
                                    code = response.status_code
                                    t.statuses[code] = t.statuses.get(code, 0) + 1
                                    if code >= 500:
                                        failures.append(
                                            f"{t.name}: {case.method} {case.formatted_path} -> {code}: "
                                            f"{response.text[:300]}"
                                        )
                                    if case.path.endswith("/auth/logout") and code == 204:
                                        t.tokens.pop(current[0], None)  # revoked: log in again
                                        t.authorise(current[0])

                            run()
        finally:
            for session in sessions:
                session.__exit__(None, None, None)
            for t in targets:
                t.client.close()
        figures = {
            "cases_per_database": cases,
            "wall_seconds": round(time.monotonic() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
            **{
                t.name: {
                    "authenticated_cases": cases - t.statuses.get(401, 0),
                    "statuses": dict(sorted(t.statuses.items())),
                }
                for t in targets
            },
        }
    print(json.dumps(figures))
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write(json.dumps(figures) + "\n")
    assert failures == [], failures[:20]
    for t in targets:
        # The run reached the handlers, not only the validation layer.
        assert t.statuses.get(200, 0) > 50 and t.statuses.get(422, 0) > 0, (t.name, t.statuses)
    sqlite_engine.dispose()
