"""Fuzz every operation of the OpenAPI description (schemathesis), bounded: never a server error."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the `test` extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from sync.protocol import PROTOCOL_HEADER  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from tests.sync.server_support import (  # noqa: E402
    Server,
    TestClient,
    change,
    cheap_password_hashes,
    new_id,
    visit_fields,
)

__all__ = ["cheap_password_hashes"]

warnings.filterwarnings("ignore", category=DeprecationWarning)
EXAMPLES = 8  # per operation and mode: the whole run stays well under a minute


@pytest.mark.slow
def test_no_operation_answers_with_a_server_error(tmp_path: Path) -> None:
    app = create_app(data_dir=tmp_path)
    client = TestClient(app)
    server = Server(app.state.engine, client)
    cid = server.add_user("zhangsan", "commissioner")
    server.add_user("boss", "bureau")
    server.push_ok("zhangsan", [change("visits", new_id(), visit_fields(cid))])
    statuses: dict[int, int] = {}
    current_headers: dict[str, str] = {}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    failures: list[str] = []
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            for user in ("zhangsan", "boss"):
                # A fresh token each run: fuzzing logout revokes the one it used.
                server.tokens.clear()
                current_headers.clear()
                current_headers.update(
                    {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {server.token(user)}"}
                )

                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def run(case: Any) -> None:
                    response = case.call(headers=current_headers)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    if response.status_code >= 500:
                        failures.append(
                            f"{case.method} {case.formatted_path} -> {response.status_code}: "
                            f"{response.text[:200]}"
                        )
                    case.validate_response(response, checks=[not_a_server_error])

                try:
                    run()
                except Exception as exc:  # collected, so one run reports every operation
                    failures.append(f"{operation.label} ({mode.value}, {user}): {str(exc)[:300]}")
    assert failures == []
    # The run reached the handlers (not only the auth and validation layers).
    assert statuses.get(200, 0) > 20 and statuses.get(422, 0) > 0, statuses
