"""A central store restored from a backup: what this laptop synced after the backup is sent again.

The store names itself in a sync's first pull page (protocol.PullAnswer.store): an id, new whenever a
backup is restored, and the change number from which its history is unbroken (the backup's last).
A laptop that synced with another id may hold versions the store no longer has: every version
numbered past that change number. Those that are this account's (written on this laptop, or its
own records whatever wrote their last version: a visit the manager approved came back by pull) are
queued again, based on nothing the store has (base_rev 0): a record the store lacks is taken as new,
and one it holds in an older version comes back field by field as a conflict where the two differ,
for a person to decide; nothing is overwritten either way. The others are marked so that the pull
from the start, which follows, brings the store's version (or none, if the store lost the record
too: the copy here is kept, and its owner's laptop sends it again).
"""

from __future__ import annotations

import logging
import re

from commissioner_app import schema
from commissioner_app.i18n import Message
from commissioner_app.store import Store

log = logging.getLogger("commissioner.sync.recovery")

META_STORE = "server_store_id"  # the id of the store this laptop last synced with
# Records queued again after a restore, until a sync has told the user (one cut short may not have).
META_RESTORED = "store_restored_queued"
_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}\Z")


def store_identity(answer: object) -> tuple[str, int] | None:
    """(id, history_from) of a pull page's `store`, or None when it has none that can be one (an older
    server; or a value no server sends, which is not trusted with anything)."""
    if not isinstance(answer, dict):
        return None
    store = answer.get("store")
    if not isinstance(store, dict):
        return None
    store_id, history_from = store.get("id"), store.get("history_from")
    if not isinstance(store_id, str) or not _ID.match(store_id):
        return None
    if type(history_from) is not int or not 0 <= history_from < 2**63:
        return None
    return store_id, history_from


# Records that are an account's own whoever wrote their last version: by the column naming their
# commissioner (a manager's approval rewrites a visit; its author's laptop then has it by pull).
_COMMISSIONERS_OWN = (
    "service_agreements",
    "visits",
    "problems",
    "solutions",
    "annual_summaries",
    "project_applications",
    "project_milestones",
    "achievements",
)
# What the bureau alone writes (the administration's teams and workstations come to its laptop by pull).
_BUREAUS_OWN = (
    "teams",
    "workstations",
    "demands",
    "assessment_results",
    "exemplars",
    "projects",
    "bonus_points",
)


def _own(table: str, role: str, people: list[str]) -> tuple[str, list[str]]:
    """The SQL condition (and its parameters) of the rows of `table` that are this account's to send
    again: written here, or its own by their owner column. `people`: the account's commissioner id
    and user id (a reviewer is named by either)."""
    if role == "bureau" and table in _BUREAUS_OWN:
        return "1", []
    if not people:
        return "updated_by != 'server'", []
    marks = ",".join("?" * len(people))
    if table in _COMMISSIONERS_OWN:
        return f"(updated_by != 'server' OR commissioner_id IN ({marks}))", people
    if table == "commissioners":
        return f"(updated_by != 'server' OR id IN ({marks}))", people
    if table == "reviews":
        return f"(updated_by != 'server' OR reviewer_id IN ({marks}))", people
    if table == "bonus_points":
        return f"(updated_by != 'server' OR entered_by IN ({marks}))", people
    if table == "attachments":
        owners = " OR ".join(
            f"(owner_table = '{t}' AND owner_id IN (SELECT id FROM {t} WHERE commissioner_id IN ({marks})))"
            for t in _COMMISSIONERS_OWN
        )
        return f"(updated_by != 'server' OR {owners})", people * len(_COMMISSIONERS_OWN)
    return "updated_by != 'server'", []


def mark_for_restored_store(
    store: Store, history_from: int, answered: set[int], role: str, people: list[str]
) -> int:
    """Queue again what of this account's this laptop holds in versions numbered past `history_from`
    (synced with the store before it was restored), and let the pull from the start bring the store's
    own versions of the rest. Versions numbered in `answered` came from the restored store already
    (this sync's push). Returns the records queued again. In the caller's transaction."""
    db = store.db
    queued = 0
    for table in schema.SYNCED_TABLES:
        own, params = _own(table, role, people)
        rows = db.execute(
            f"SELECT id, server_seq, {own} FROM {table} WHERE server_seq > ? AND is_draft = 0",
            [*params, history_from],
        ).fetchall()
        mine = [rid for rid, seq, is_own in rows if is_own and seq not in answered]
        others = [rid for rid, seq, is_own in rows if not is_own and seq not in answered]
        for start in range(0, len(mine), 500):
            part = mine[start : start + 500]
            marks = ",".join("?" * len(part))
            db.execute(
                f"UPDATE {table} SET dirty = 1, rev = 0, base_rev = 0, server_seq = 0, sync_error = NULL "
                f"WHERE id IN ({marks})",
                part,
            )
            # (The base kept for an edit is of a version the store no longer has.)
            db.execute(
                f"DELETE FROM sync_base WHERE table_name = ? AND record_id IN ({marks})", [table, *part]
            )
        for start in range(0, len(others), 500):
            part = others[start : start + 500]
            marks = ",".join("?" * len(part))
            db.execute(f"UPDATE {table} SET rev = 0, base_rev = 0 WHERE dirty = 0 AND id IN ({marks})", part)
        queued += len(mine)
        if mine or others:
            log.info(
                "the central store was restored: %s: %d of this account's queued again, %d to pull again",
                table,
                len(mine),
                len(others),
            )
    return queued


def restored_message(queued: int) -> Message:
    if not queued:
        return Message(
            "中心库已从备份恢复：本机同步过的记录都在其中，无需重新发送；已按中心库重新下载全部记录。",
            "The central store was restored from a backup: it holds every record this computer had "
            "synced, so nothing was sent again; every record was downloaded again as the store has it.",
        )
    return Message(
        f"中心库已从备份恢复：本机在该备份之后同步过的 {queued} 条记录已重新发送，"
        "其余记录已按中心库重新下载。中心库的版本与本机不同之处，会作为冲突列出，请逐条确认。",
        f"The central store was restored from a backup: records this computer had synced after that "
        f"backup were sent to it again ({queued}), and the rest were downloaded again as the store has "
        "them. Where the store's version differs from this computer's, the difference is listed as a "
        "conflict to decide.",
    )
