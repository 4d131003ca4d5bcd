"""The bureau's edits of reference data and assessment rules, pushed to the central store.

These two tables are not records with sync metadata: the client keeps reference data in
`reference_items` (replaced per kind) and rules in `assessment_rules` (per year). A bureau edit
marks what changed in meta (`reference_edited:<kind>`, `assessment_rules_edited:<year>`); the
engine calls `push_bureau_edits` after the records, when the account is the bureau's. The base
revision is the one last pulled (meta `reference_rev:<kind>`, `assessment_rules.rev`).

The batch (its `batch_id` and changes) is kept in meta (`bureau_push_batch`) before it is sent, as
the engine does with records: if the answer is lost (the connection cut after the server
committed), the next sync sends the same batch again and the server answers the replay with its
stored answer instead of applying a new batch (which would meet its own first application as a
conflict). The batch is cleared in the transaction that applies its answer. A mark is cleared only
if the edit is still the one sent (an edit made while the batch was out goes with the next batch).

Outcome per change: accepted/merged -> the mark is cleared and the new rev kept; a conflict (the
server's version changed since this client pulled it) -> the server's version wins, the mark is
cleared, the next pull brings it, and the edit is named in the report's problems; rejected -> the
mark is cleared and the reason is in the report's problems.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from commissioner_app.domain import new_id
from commissioner_app.i18n import Message
from commissioner_app.ops.reference import META_REFERENCE_EDITED, META_RULES_EDITED
from commissioner_app.ops.session import session_role
from commissioner_app.reference import KINDS, reference
from commissioner_app.store import Store
from sync import protocol
from sync.errors import RefusedError

if TYPE_CHECKING:
    from sync.client import SyncClient
    from sync.engine import SyncReport

log = logging.getLogger("commissioner.sync.bureau_push")

META_REFERENCE_REV = "reference_rev:{kind}"
META_BUREAU_BATCH = "bureau_push_batch"


def is_bureau(store: Store) -> bool:
    return session_role(store) == "bureau"


def pending_changes(store: Store) -> list[protocol.Change]:
    changes: list[protocol.Change] = []
    for kind in KINDS:
        if store.get_meta(META_REFERENCE_EDITED.format(kind=kind)) != "1":
            continue
        items = [
            {
                "code": i.code,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "parent_code": i.parent_code,
                "sort_order": i.sort_order,
            }
            for i in reference(store, kind)
        ]
        changes.append(
            {
                "table": "reference",
                "id": kind,
                "base_rev": int(store.get_meta(META_REFERENCE_REV.format(kind=kind)) or 0),
                "deleted": False,
                "fields": {"version": datetime.now(UTC).strftime("%Y%m%d%H%M%S"), "items": items},
            }
        )
    for year, toml, rev in store.db.execute(
        "SELECT year, toml, rev FROM assessment_rules ORDER BY year"
    ).fetchall():
        if store.get_meta(META_RULES_EDITED.format(year=year)) == "1":
            changes.append(
                {
                    "table": "assessment_rules",
                    "id": str(year),
                    "base_rev": int(rev),
                    "deleted": False,
                    "fields": {"year": int(year), "toml": toml},
                }
            )
    return changes


def push_bureau_edits(store: Store, client: SyncClient, report: SyncReport) -> None:
    if not is_bureau(store):
        return
    stored = store.get_meta(META_BUREAU_BATCH)
    if stored:
        # Sent before and not answered (a dropped connection, a crash): replay it as it was.
        batch = json.loads(stored)
        log.info("replaying bureau batch %s", batch["batch_id"])
        _send(store, client, batch, report)
    changes = pending_changes(store)
    if not changes:
        return
    batch = {
        "batch_id": new_id(),
        "device_id": client.device_id,
        "client_time": datetime.now(UTC).isoformat(timespec="seconds"),
        "changes": changes,
    }
    store.set_meta(META_BUREAU_BATCH, json.dumps(batch, ensure_ascii=False))  # kept before it is sent
    _send(store, client, batch, report)


def _send(store: Store, client: SyncClient, batch: dict[str, Any], report: SyncReport) -> None:
    request: protocol.PushRequest = {
        "batch_id": batch["batch_id"],
        "device_id": batch["device_id"],
        "client_time": batch["client_time"],
        "changes": batch["changes"],
    }
    try:
        answer = client.push(request)
    except RefusedError:
        # Refused as a whole, nothing applied: forget the batch (the marks stay) so it is not replayed.
        store.set_meta(META_BUREAU_BATCH, None)
        raise
    sent = {(c["table"], c["id"]): c for c in batch["changes"]}
    with store.atomic():
        for result in answer["results"]:
            _apply(store, result, report, sent.get((result["table"], result["id"])))
        store.set_meta(META_BUREAU_BATCH, None)


def _still_as_sent(store: Store, change: protocol.Change | None) -> bool:
    """Whether the local edit is the one the change carried (not edited again while it was out)."""
    if change is None:
        return True
    current = {(c["table"], c["id"]): c for c in pending_changes(store)}.get((change["table"], change["id"]))
    if current is None:
        return True
    if change["table"] == "reference":
        return bool(current["fields"]["items"] == change["fields"]["items"])
    return bool(current["fields"]["toml"] == change["fields"]["toml"])


def _apply(store: Store, result: Any, report: SyncReport, sent: protocol.Change | None = None) -> None:
    table, record_id, status = result["table"], result["id"], result["status"]
    again = not _still_as_sent(store, sent)  # edited again meanwhile: that edit is still to be sent
    if table == "reference":
        if not again:
            store.set_meta(META_REFERENCE_EDITED.format(kind=record_id), None)
        what = Message(f"基础数据“{record_id}”", f"reference data '{record_id}'")
    else:
        if not again:
            store.set_meta(META_RULES_EDITED.format(year=record_id), None)
        what = Message(f"{record_id}年度考核细则", f"the assessment rules of {record_id}")
    if status in ("accepted", "merged"):
        report.accepted += 1
        if table == "reference":
            store.set_meta(META_REFERENCE_REV.format(kind=record_id), str(result["rev"]))
        else:
            store.db.execute(
                "UPDATE assessment_rules SET rev = ?, server_seq = ? WHERE year = ?",
                [int(result["rev"]), int(result.get("server_seq", 0)), int(record_id)],
            )
        return
    if status == "conflict":
        report.conflicts += 1
        log.warning("%s %s changed on the server meanwhile; the server's version is kept", table, record_id)
        report.problems.append(
            Message(
                f"{what.zh}在服务器上已被修改，本机的修改未发布；同步后显示服务器上的版本，请在其基础上重新修改。",
                f"{what.en} changed on the server meanwhile; this edit was not published. The server's "
                "version "
                "is shown after the sync; edit it again.",
            )
        )
    else:
        report.rejected += 1
        log.warning("%s %s rejected: %s", table, record_id, result.get("reason_en", ""))
        report.problems.append(
            Message(
                f"{what.zh}未被服务器接受：{result.get('reason_zh', '')}",
                f"{what.en} was not accepted: {result.get('reason_en', '')}",
            )
        )
