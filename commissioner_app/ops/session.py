"""Who this computer syncs as: the account the server described at login.

`sync.session.login` keeps the server's description of the account (id, username, display name,
role, commissioner id, team, workstation) as JSON in the meta entry `sync_user`; this module is the
one reader of it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from commissioner_app.store import Store

log = logging.getLogger("commissioner.ops.session")

META_SESSION_USER = "sync_user"
ROLES = ("commissioner", "manager", "bureau", "county")


def session_user(store: Store) -> dict[str, Any] | None:
    """The logged-in account as the server described it; None when never logged in or unreadable."""
    text = store.get_meta(META_SESSION_USER)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        log.warning("the stored user information is not JSON; treating the user as a commissioner")
        return None
    return value if isinstance(value, dict) else None


def session_role(store: Store) -> str:
    """ "commissioner", "manager", "bureau" or "county"; "commissioner" when not logged in."""
    role = (session_user(store) or {}).get("role")
    return role if role in ROLES else "commissioner"


def session_county(store: Store) -> str:
    """A county bureau's county (县科技局, role "county"); "" for every other account."""
    user = session_user(store) or {}
    return str(user.get("county") or "") if user.get("role") == "county" else ""


def set_session_user(store: Store, user: dict[str, Any]) -> None:
    store.set_meta(META_SESSION_USER, json.dumps(user, ensure_ascii=False))
