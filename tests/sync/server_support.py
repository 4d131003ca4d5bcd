"""Fixtures for the central store tests: a fresh server database on SQLite and on PostgreSQL.

PostgreSQL runs when reachable (POSTGRES_URL, default the local test database); with CI=true it
must be reachable. Each test gets its own schema, dropped afterwards, so runs never collide.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server import auth
from sync.server.app import create_app
from sync.server.db import make_engine

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
TEAM, OTHER_TEAM = "team-1", "team-2"
STATION = "station-1"


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means "not reachable"; the reason is reported
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


_PG_PROBLEM: list[str | None] = []


def _pg_problem() -> str | None:
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(postgres_reachable())
    return _PG_PROBLEM[0]


@pytest.fixture
def engine_factory(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Makes engines of the backend under test (request.param: sqlite | postgres)."""
    backend = getattr(request, "param", "sqlite")
    made: list[Any] = []
    if backend == "sqlite":
        tmp = request.getfixturevalue("tmp_path")

        def make() -> Any:
            engine = make_engine(f"sqlite:///{tmp / 'server.db'}")
            made.append(engine)
            return engine

        yield make
    else:
        problem = _pg_problem()
        if problem:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required when CI=true and is not reachable: {problem}")
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")
        schema = f"t_{uuid.uuid4().hex[:16]}"
        admin = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def make() -> Any:
            engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
            made.append(engine)
            return engine

        yield make
        for engine in made:
            engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        return
    for engine in made:
        engine.dispose()


BACKENDS = pytest.mark.parametrize(
    "engine_factory", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@dataclass
class Server:
    engine: Any
    client: TestClient
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add_user(
        self,
        name: str,
        role: str,
        *,
        team: str | None = TEAM,
        station: str | None = STATION,
        commissioner_id: str | None = None,
        county: str = "",
    ) -> str:
        no_profile = role in ("bureau", "county")
        cid = commissioner_id if commissioner_id is not None else (None if no_profile else f"c-{name}")
        auth.add_user(
            self.engine,
            name,
            PASSWORD,
            role,
            display_name=name.title(),
            team_id=team,
            workstation_id=station,
            commissioner_id=cid,
            county=county,
        )
        self.users[name] = {"role": role, "commissioner_id": cid}
        return cid or ""

    def login(self, name: str, password: str = PASSWORD) -> Any:
        return self.client.post(
            f"{API_PREFIX}/auth/login",
            headers=self.proto(),
            json={"username": name, "password": password, "device_id": "dev-" + name},
        )

    def token(self, name: str) -> str:
        if name not in self.tokens:
            answer = self.login(name)
            assert answer.status_code == 200, answer.text
            self.tokens[name] = answer.json()["token"]
        return self.tokens[name]

    @staticmethod
    def proto() -> dict[str, str]:
        return {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}

    def headers(self, name: str | None) -> dict[str, str]:
        h = self.proto()
        if name:
            h["Authorization"] = f"Bearer {self.token(name)}"
        return h

    def request(self, method: str, path: str, user: str | None, **kwargs: Any) -> Any:
        headers = {**self.headers(user), **kwargs.pop("headers", {})}
        return self.client.request(method, API_PREFIX + path, headers=headers, **kwargs)

    def push(self, user: str, changes: list[dict[str, Any]], batch_id: str | None = None) -> Any:
        body = {
            "batch_id": batch_id or str(uuid.uuid4()),
            "device_id": "dev-" + user,
            "client_time": "2024-05-01T10:00:00+08:00",
            "changes": changes,
        }
        return self.request("POST", "/sync/push", user, json=body)

    def push_ok(
        self, user: str, changes: list[dict[str, Any]], batch_id: str | None = None
    ) -> list[dict[str, Any]]:
        answer = self.push(user, changes, batch_id)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["results"])

    def pull_all(self, user: str, since: int = 0, limit: int = 500) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            answer = self.request("GET", f"/sync/pull?since={since}&limit={limit}", user)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            changes += page["changes"]
            since = page["next_since"]
            if not page["has_more"]:
                return changes, since


@pytest.fixture(autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    # The production argon2 cost (~0.2 s a hash) would dominate these tests; the code path is the same.
    previous = auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    auth.use_password_hasher(*previous)


@pytest.fixture
def server(engine_factory: Any) -> Iterator[Server]:
    engine = engine_factory()
    app = create_app(engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Server(engine, client)


def change(
    table: str, record_id: str, fields: dict[str, Any], base_rev: int = 0, deleted: bool = False
) -> dict[str, Any]:
    return {"table": table, "id": record_id, "base_rev": base_rev, "deleted": deleted, "fields": fields}


def visit_fields(commissioner_id: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "commissioner_id": commissioner_id,
        "target_id": "target-1",
        "visit_date": "2024-05-01",
        "start_time": "09:00",
        "end_time": "11:30",
        "county": "新会区",
        "town": "会城街道",
        "village": "",
        "service_types": '["guidance"]',
        "industry": "陈皮",
        "content": "指导柑橘园春季修剪和病虫害防治",
        "training_sessions": 1,
        "people_trained": 25,
        "economic_benefit": 3.5,
        "confirm_satisfaction": 5,
        "review_status": "",
        "review_opinion": "",
    }
    fields.update(extra)
    return fields


def achievement_fields(commissioner_id: str, **extra: Any) -> dict[str, Any]:
    """An achievement (成果转化) as a commissioner's laptop pushes it."""
    return {
        "commissioner_id": commissioner_id,
        "title": "陈皮新品种推广",
        "kind": "variety",
        "contract_no": "2024440705000123",
        "contract_date": "2024-05-01",
        "transferor": "华南农业大学",
        "transferee": "双水陈皮合作社",
        **extra,
    }


def new_id() -> str:
    return str(uuid.uuid4())
