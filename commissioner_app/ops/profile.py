"""The commissioner's own profile (个人资料) on this computer."""

from __future__ import annotations

from commissioner_app.domain import Commissioner
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store


def save_profile(store: Store, commissioner: Commissioner) -> OpResult[Commissioner]:
    """Validate and keep the profile; this computer's records are written in its name from now on."""
    return OpResult(store.save_profile(commissioner), OpChanges.of("commissioners"))
