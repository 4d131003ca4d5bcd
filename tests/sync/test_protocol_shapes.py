"""The client's protocol shapes (TypedDicts in sync/protocol.py) and the server's (Pydantic models
in sync/server/app.py) agree: the same fields, of the same types, required where the other side
relies on them. Change one side without the other and this fails."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from pydantic import BaseModel

from sync import protocol
from sync.server import app, previews

# Server model -> client shape, where the names differ.
CLIENT_NAME = {"ChangeIn": "Change"}
REQUESTS = {
    "LoginRequest",
    "PushRequest",
    "Change",
    "CompleteRequest",
    "PreviewRequest",
}  # sent by the client
NOT_SHAPES = {"Strict"}  # a base class

# The modules whose models are the sync protocol (the administration endpoints have no client shapes).
PROTOCOL_MODULES = (app, previews)
SERVER_MODELS = {
    CLIENT_NAME.get(name, name): model
    for module in PROTOCOL_MODULES
    for name, model in vars(module).items()
    if isinstance(model, type)
    and issubclass(model, BaseModel)
    and model.__module__ == module.__name__
    and name not in NOT_SHAPES
}
CLIENT_SHAPES = {
    name: shape
    for name, shape in vars(protocol).items()
    if isinstance(shape, type) and is_typeddict(shape) and shape.__module__ == protocol.__name__
}


def normal(tp: Any) -> Any:
    """A type in a form both sides can be compared in (a shape by its client name)."""
    if tp is Any:
        return "any"
    if tp is type(None):
        return "none"
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return normal(get_args(tp)[0])
    if origin is Literal:
        return normal(type(get_args(tp)[0]))  # a closed set of strings travels as a string
    if origin in (Union, types.UnionType):
        return frozenset(normal(a) for a in get_args(tp))
    if origin in (list, dict):
        return (origin.__name__, *(normal(a) for a in get_args(tp)))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "shape " + CLIENT_NAME.get(tp.__name__, tp.__name__)
    if isinstance(tp, type) and is_typeddict(tp):
        return "shape " + tp.__name__
    if tp in (str, int, bool, float):
        return tp.__name__
    raise AssertionError(f"no rule to compare {tp!r}")


def without_none(tp: Any) -> Any:
    if isinstance(tp, frozenset):
        rest = tp - {"none"}
        return next(iter(rest)) if len(rest) == 1 else rest
    return tp


def test_every_server_shape_has_a_client_shape_and_back():
    assert set(SERVER_MODELS) - set(CLIENT_SHAPES) == set(), "server shapes the client does not define"
    assert set(CLIENT_SHAPES) - set(SERVER_MODELS) == set(), "client shapes the server does not define"


@pytest.mark.parametrize("name", sorted(SERVER_MODELS))
def test_client_and_server_shapes_agree(name: str):
    model, shape = SERVER_MODELS[name], CLIENT_SHAPES[name]
    client = get_type_hints(shape)
    server = model.model_fields
    assert set(client) == set(server), f"{name}: fields differ"
    for field, info in server.items():
        mine, theirs = normal(client[field]), normal(info.annotation)
        client_requires = field in shape.__required_keys__
        if name in REQUESTS:
            # The server requires what the client always sends.
            assert not info.is_required() or client_requires, f"{name}.{field}: the client may leave it out"
        else:
            # An answer has every key the client reads without asking; an optional one may be left out.
            always = info.is_required() or info.default is not None
            assert always or not client_requires, f"{name}.{field}: the server may leave it out"
            if not client_requires and not info.is_required() and info.default is None:
                # None stands for "left out" (the answer is sent with exclude_none).
                mine, theirs = without_none(mine), without_none(theirs)
        assert mine == theirs, f"{name}.{field}: client {client[field]!r}, server {info.annotation!r}"
