"""The push endpoint's own parsing of its body (by hand, else pydantic's model_validate_json):
its refusals say where the body is wrong as every other endpoint's do."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.sync.server_support import BACKENDS, Server, cheap_password_hashes, engine_factory, server

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

JSON = {"Content-Type": "application/json"}


def _push(server: Server, body: Any) -> Any:
    return server.request("POST", "/sync/push", "wang", content=json.dumps(body).encode(), headers=JSON)


@BACKENDS
def test_a_push_body_of_the_wrong_shape_is_refused_naming_the_place_as_other_endpoints_do(
    server: Server,
) -> None:
    server.add_user("wang", "commissioner")
    batch = {"batch_id": str(uuid.uuid4()), "device_id": "d", "client_time": "2024-05-01T10:00:00+08:00"}
    wrong = _push(server, {**batch, "changes": "x"})
    assert wrong.status_code == 422
    assert wrong.json()["details"][0]["loc"] == ["body", "changes"]
    assert (
        "body.changes：应为列表" in wrong.json()["message_zh"]
        and "body.changes: " in wrong.json()["message_en"]
    )
    # The body as a whole: "body: …", never "：: …".
    listed = _push(server, [])
    assert listed.status_code == 422
    assert listed.json()["details"][0]["loc"] == ["body"]
    assert "：body：" in listed.json()["message_zh"] and ": body: " in listed.json()["message_en"]
    # As the attachment endpoint names its own.
    other = server.request(
        "POST", f"/attachments/{'a' * 64}/complete", "wang", content=b'{"size": "x"}', headers=JSON
    )
    assert other.status_code == 422 and other.json()["details"][0]["loc"] == ["body", "size"]
    # Malformed JSON: 400 malformed_json on both.
    for path in ("/sync/push", f"/attachments/{'a' * 64}/complete"):
        bad = server.request("POST", path, "wang", content=b"{not json", headers=JSON)
        assert bad.status_code == 400 and bad.json()["error"] == "malformed_json", path
        assert bad.json()["message_zh"] and bad.json()["message_en"]


@BACKENDS
def test_a_push_that_is_not_sent_as_json_is_refused_saying_how_to_send_it(server: Server) -> None:
    # The push endpoint parses its body itself: it took any body whose text was JSON, whatever the
    # request said it was (a form post, plain text). Refused then with pydantic's English inside the
    # Chinese message ("Input should be a valid dictionary"), which says nothing of what to send.
    server.add_user("wang", "commissioner")
    batch = {"batch_id": str(uuid.uuid4()), "device_id": "d", "changes": []}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
        headers = {"Content-Type": content_type} if content_type else {}
        pushed = server.request(
            "POST", "/sync/push", "wang", content=json.dumps(batch).encode(), headers=headers
        )
        assert pushed.status_code == 415, content_type
        assert pushed.json()["error"] == "unsupported_media_type"
        assert "JSON" in pushed.json()["message_zh"] and "application/json" in pushed.json()["message_en"]
        assert "Input should" not in pushed.json()["message_zh"]
    for content_type in ("application/json", "application/json; charset=utf-8", "APPLICATION/JSON"):
        sent = server.request(
            "POST",
            "/sync/push",
            "wang",
            content=json.dumps(batch).encode(),
            headers={"Content-Type": content_type},
        )
        assert sent.status_code == 200, content_type


# The push endpoint checks a plain body by hand (orjson and the same limits), and leaves any other
# body to PushRequest: the hand check must never take a body the model refuses, nor read one
# otherwise than the model does. Each value of a plain body is changed in turn into each of these.

_LIMITS = [n + d for n in (40, 64, 100, 200) for d in (0, 1)]  # the model's length limits, each side
_MISSING = object()
_ODD: list[Any] = [
    _MISSING,
    None,
    True,
    False,
    -1,
    0,
    1,
    2**31,
    2**31 + 1,
    2**64,
    1.0,
    0.5,
    "",
    "a\x00b",
    *("x" * n for n in _LIMITS),
    [],
    ["n1"],
    ["x" * 65],
    [1],
    ["n"] * 51,
    {},
    {"a": 1},
]
_CHANGE = {
    "table": "visits",
    "id": "v1",
    "base_rev": 0,
    "deleted": False,
    "fields": {"a": 1},
    "resolves": ["n1"],
}
_PLAIN = {"batch_id": "b1", "device_id": "d", "client_time": "t", "changes": [_CHANGE]}


def _with(body: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = {k: v for k, v in body.items() if k != key}
    if value is not _MISSING:
        changed[key] = value
    return changed


def _bodies() -> list[Any]:
    bodies: list[Any] = [_PLAIN, [], *_ODD[1:]]
    bodies += [_with(_PLAIN, key, odd) for key in _PLAIN for odd in _ODD]
    bodies += [_with(_PLAIN, "changes", [_with(_CHANGE, key, odd)]) for key in _CHANGE for odd in _ODD]
    bodies += [_with(_PLAIN, "changes", [_CHANGE, odd]) for odd in _ODD[1:]]
    bodies.append(_with(_PLAIN, "changes", [_CHANGE] * 501))
    return bodies


def test_the_hand_check_of_a_push_body_agrees_with_the_model() -> None:
    from pydantic import ValidationError

    from sync.server.app import PushRequest, _plain_push, _push_request

    taken = 0
    for body in _bodies():
        raw = json.dumps(body).encode()
        plain = _plain_push(raw)
        try:
            model = _push_request(PushRequest.model_validate_json(raw))
        except ValidationError:
            assert plain is None, f"the hand check took a body the model refuses: {raw[:300]!r}"
            continue
        assert plain is None or plain == model, raw[:300]
        taken += plain is not None
    assert _plain_push(json.dumps(_PLAIN).encode()) is not None
    assert taken > 20  # the plain bodies (extra keys, defaults) are the hand check's own


@BACKENDS
def test_a_nul_in_a_changes_table_or_in_what_it_resolves_is_refused_not_a_crash(server: Server) -> None:
    """PostgreSQL cannot take a NUL in text: a cold try got a server error for one in a change's
    table name or among the conflict notices it settles."""
    server.add_user("wang", "commissioner")
    change = {"table": "visits", "id": "v1", "base_rev": 0, "fields": {}}
    for odd in ({**change, "table": "service_\x00"}, {**change, "resolves": ["\x00"]}):
        answer = _push(server, {"batch_id": str(uuid.uuid4()), "changes": [odd]})
        assert answer.status_code == 422, answer.text


@BACKENDS
def test_a_gzip_body_with_more_after_it_is_refused(server: Server) -> None:
    """Bytes after the compressed body (garbage, or a second member) were silently dropped."""
    import gzip

    server.add_user("wang", "commissioner")
    body = gzip.compress(json.dumps({"batch_id": str(uuid.uuid4()), "changes": []}).encode())
    for tail in (b"garbage", gzip.compress(b"{}")):
        answer = server.request(
            "POST", "/sync/push", "wang", content=body + tail, headers={**JSON, "Content-Encoding": "gzip"}
        )
        assert answer.status_code == 400 and answer.json()["error"] == "bad_gzip", answer.text
