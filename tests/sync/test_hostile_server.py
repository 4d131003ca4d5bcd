"""A hostile or broken server cannot reach this computer's database or files through sync.

Table and field names, hashes and file names in a server's answers are data, never SQL or paths:
whatever does not match the local schema (or the shape of a SHA-256) is refused and reported,
and nothing stored is changed by it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from commissioner_app.domain import Visit
from commissioner_app.store import Store
from sync import protocol
from sync.client import SyncClient
from sync.conflicts import apply_notices, list_conflicts, resolve
from sync.engine import SyncEngine
from tests.sync.fieldwork import add_target, add_visit, commissioner_store

CID = "c-wang"
EVIL_FIELDS = [
    "content = 'pwned', content",
    "content = (SELECT group_concat(content) FROM visits), content",
    "content = ? --",
    "nonexistent",
]


class FakeServer(SyncClient):
    """A client whose 'server' answers what the test says, without a network."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9", "token", device_id="d-here")
        self.answer_push: Any = None
        self.pages: list[protocol.PullAnswer] = []
        self.pushed: list[protocol.PushRequest] = []
        self.files: dict[str, bytes] = {}

    def push(self, request: protocol.PushRequest, encoded: str | None = None) -> protocol.PushAnswer:
        self.pushed.append(request)
        answer: protocol.PushAnswer = self.answer_push(request)
        return answer

    def pull(
        self, since: int, limit: int = 500, count: bool = False, skip: list[tuple[int, int]] | None = None
    ) -> protocol.PullAnswer:
        if self.pages:
            return self.pages.pop(0)
        return {"changes": [], "next_since": since, "has_more": False, "server_time": _now()}  # type: ignore[typeddict-item]

    def attachment_status(self, sha256: str) -> dict[str, Any]:
        return {"sha256": sha256, "complete": True, "received": 0}

    def download_attachment(self, sha256: str) -> bytes:
        return self.files[sha256]

    def previews(self, hashes: list[str]) -> protocol.PreviewAnswer:
        # (not asked, it went to port 9 and waited out the client's retries: 3 s a test)
        return {"previews": [], "unavailable": list(hashes)}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _store(tmp_path: Path) -> tuple[Store, list[Visit]]:
    store = commissioner_store(tmp_path / "d", CID)
    rng = random.Random(7)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{i}条", children=False) for i in range(3)]
    return store, visits


def _contents(store: Store) -> dict[str, tuple[Any, ...]]:
    return {
        r[0]: tuple(r[1:])
        for r in store.db.execute(
            "SELECT id, content, commissioner_id, people_trained, target_id FROM visits"
        ).fetchall()
    }


@pytest.mark.parametrize("evil", EVIL_FIELDS)
def test_a_conflict_answer_naming_a_field_that_is_no_column_changes_nothing_and_is_reported(
    tmp_path: Path, evil: str
) -> None:
    store, visits = _store(tmp_path)
    server = FakeServer()

    def conflict(request: protocol.PushRequest) -> protocol.PushAnswer:
        results = []
        for c in request["changes"]:
            if c["table"] == "visits" and c["id"] == visits[0].id:
                results.append(
                    {
                        "table": "visits",
                        "id": c["id"],
                        "status": "conflict",
                        "rev": 5,
                        "server_seq": 50,
                        "fields": {**c["fields"], evil: "服务器的值"},
                        "conflicts": [
                            {"field": evil, "base": "a", "local": "b", "server": "服务器的值"},
                            {"field": "people_trained", "base": 0, "local": 1, "server": 33},
                        ],
                    }
                )
            else:
                results.append(
                    {"table": c["table"], "id": c["id"], "status": "accepted", "rev": 1, "server_seq": 1}
                )
        return {"results": results, "server_time": _now()}  # type: ignore[typeddict-item]

    server.answer_push = conflict
    before = _contents(store)
    report = SyncEngine(store, server).sync()

    conflicts = list_conflicts(store)
    assert [c.field for c in conflicts] == ["people_trained"]  # the real column's conflict is kept
    assert any(evil in p.zh and evil in p.en for p in report.problems), [p.zh for p in report.problems]
    for c in conflicts:
        resolve(store, c.id, "server")
    after = _contents(store)
    for vid, row in before.items():
        if vid == visits[0].id:
            assert after[vid][:2] == row[:2] and after[vid][3] == row[3]  # content, owner, target untouched
            assert after[vid][2] == 33  # the legitimate conflict's server value was taken
        else:
            assert after[vid] == row


def test_a_stored_conflict_with_a_bad_field_name_is_refused_at_resolve(tmp_path: Path) -> None:
    """A conflict an earlier version stored unchecked cannot run SQL either."""
    store, visits = _store(tmp_path)
    store.db.execute(
        "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, server_value, "
        "server_rev, created_at) VALUES ('visits', ?, ?, '1', '2', '\"pwned\"', 3, '2026-01-01')",
        [visits[0].id, EVIL_FIELDS[0]],
    )
    before = _contents(store)
    conflict_id = store.db.execute("SELECT max(id) FROM sync_conflicts").fetchone()[0]
    from commissioner_app.errors import CommissionerError

    with pytest.raises(CommissionerError) as caught:
        resolve(store, conflict_id, "server")
    assert EVIL_FIELDS[0] in caught.value.message.zh
    assert _contents(store) == before


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("visits", EVIL_FIELDS[0]),
        ("visits SET content = 'pwned' WHERE 1 OR id", "content"),
        ("sqlite_master", "sql"),
        ("meta", "value"),
    ],
)
def test_a_pulled_notice_naming_an_unknown_table_or_field_opens_nothing_and_is_reported(
    tmp_path: Path, table: str, field: str
) -> None:
    store, visits = _store(tmp_path)
    user = {"id": "u-wang", "commissioner_id": CID, "role": "commissioner"}
    refused: list[Any] = []
    notice = {
        "table": "conflicts",
        "id": "n-1",
        "rev": 1,
        "server_seq": 9,
        "deleted": False,
        "fields": {
            "table": table,
            "record_id": visits[0].id,
            "status": "open",
            "conflicts": [{"field": field, "base": "a", "local": "b", "server": "pwned"}],
            "server_rev": 2,
            "owner_id": CID,
            "raised_by_user_id": "u-other",
            "raised_device": "d-other",
            "writer_user_id": "u-wang",
        },
    }
    before = _contents(store)
    assert apply_notices(store, [notice], user, "d-here", refused=refused) == 0
    assert list_conflicts(store) == []
    assert refused and (field in refused[0].en or table in refused[0].en)
    # A "resolved" notice for it, choosing a value, changes nothing either.
    closed = {**notice, "fields": {**notice["fields"], "status": "resolved", "chosen": {field: "pwned"}}}
    apply_notices(store, [closed], user, "d-here", refused=refused)
    assert _contents(store) == before


def _pulled_attachment(record_id: str, sha: str, name: str, owner_id: str, seq: int) -> dict[str, Any]:
    return {
        "table": "attachments",
        "id": record_id,
        "rev": 1,
        "server_seq": seq,
        "deleted": False,
        "fields": {
            "sha256": sha,
            "owner_table": "visits",
            "owner_id": owner_id,
            "kind": "document",
            "mime": "application/octet-stream",
            "size": 4,
            "original_name": name,
            "commissioner_id": "c-other",
        },
    }


BAD_HASHES = [
    "../../../../tmp/evil",
    "../" + "a" * 61,
    "A" * 64,  # upper case is not how this computer names files
    "a" * 63,
    "a" * 65,
    "g" * 64,
    "",
]


@pytest.mark.parametrize("sha", BAD_HASHES)
def test_a_pulled_attachment_with_a_bad_hash_is_refused_and_reported_never_stored(
    tmp_path: Path, sha: str
) -> None:
    store, visits = _store(tmp_path)
    server = FakeServer()
    server.answer_push = lambda r: {
        "results": [
            {"table": c["table"], "id": c["id"], "status": "accepted", "rev": 1, "server_seq": 1}
            for c in r["changes"]
        ],
        "server_time": _now(),
    }
    good = "ab" * 32
    server.pages = [
        {  # type: ignore[list-item]
            "changes": [
                _pulled_attachment("a-bad", sha, "报告.pdf", visits[0].id, 10),
                _pulled_attachment("a-good", good, "照片.jpg", visits[0].id, 11),
            ],
            "next_since": 11,
            "has_more": False,
            "server_time": _now(),
        }
    ]
    report = SyncEngine(store, server).sync()
    stored = {r[0]: r[1] for r in store.db.execute("SELECT id, sha256 FROM attachments").fetchall()}
    assert stored == {"a-good": good}
    assert any("a-bad" in p.zh and "a-bad" in p.en for p in report.problems), [p.en for p in report.problems]
    assert store.get_meta("pull_since") == "11"  # the rest of the page was taken


def test_a_pulled_visit_with_a_bad_confirmation_sheet_hash_is_refused(tmp_path: Path) -> None:
    store, visits = _store(tmp_path)
    server = FakeServer()
    server.answer_push = lambda r: {
        "results": [
            {"table": c["table"], "id": c["id"], "status": "accepted", "rev": 1, "server_seq": 1}
            for c in r["changes"]
        ],
        "server_time": _now(),
    }
    fields = {c: v for c, v in store.row("visits", visits[1].id).items() if c in {"target_id", "content"}}
    server.pages = [
        {  # type: ignore[list-item]
            "changes": [
                {
                    "table": "visits",
                    "id": "v-evil",
                    "rev": 1,
                    "server_seq": 5,
                    "deleted": False,
                    "fields": {**fields, "visit_date": "2026-01-01", "confirm_sheet_sha256": "..\\..\\x"},
                }
            ],
            "next_since": 5,
            "has_more": False,
            "server_time": _now(),
        }
    ]
    report = SyncEngine(store, server).sync()
    assert store.row("visits", "v-evil") is None
    assert any("v-evil" in p.en for p in report.problems)


def test_a_download_is_refused_for_a_hash_that_is_no_hash(tmp_path: Path) -> None:
    from commissioner_app.errors import CommissionerError

    store, _ = _store(tmp_path)
    server = FakeServer()
    server.files["../../evil"] = b"MZ"
    with pytest.raises(CommissionerError):
        SyncEngine(store, server).download_attachment("../../evil")
    assert not (tmp_path / "evil").exists() and not (tmp_path / "d" / "evil").exists()


def test_a_push_answer_cannot_set_a_bad_hash_or_file_name(tmp_path: Path) -> None:
    from commissioner_app.attachments import add_attachment

    store, visits = _store(tmp_path)
    photo = tmp_path / "田间.jpg"
    Image.new("RGB", (64, 48), (120, 30, 60)).save(photo, "JPEG")
    attachment = add_attachment(store, photo, "visits", visits[0].id)
    server = FakeServer()

    def merged(request: protocol.PushRequest) -> protocol.PushAnswer:
        results = []
        for c in request["changes"]:
            result: dict[str, Any] = {
                "table": c["table"],
                "id": c["id"],
                "status": "accepted",
                "rev": 1,
                "server_seq": 1,
            }
            if c["table"] == "attachments":
                result.update(
                    status="merged",
                    fields={
                        **c["fields"],
                        "sha256": "../../../evil",
                        "original_name": "..\\..\\Startup\\run.bat",
                    },
                )
            results.append(result)
        return {"results": results, "server_time": _now()}  # type: ignore[typeddict-item]

    server.answer_push = merged
    SyncEngine(store, server).sync()
    row = store.row("attachments", attachment.id)
    assert row is not None and row["sha256"] == attachment.sha256
    assert row["original_name"] in ("田间.jpg", "run.bat")


def test_a_stored_conflict_with_a_bad_field_name_is_closed_by_its_notice_without_sql(tmp_path: Path) -> None:
    store, visits = _store(tmp_path)
    store.db.execute(
        "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, server_value, "
        "server_rev, created_at, notice_id) "
        "VALUES ('visits', ?, ?, '1', '2', '\"x\"', 3, '2026-01-01', 'n-9')",
        [visits[0].id, EVIL_FIELDS[0]],
    )
    before = _contents(store)
    closed = {
        "table": "conflicts",
        "id": "n-9",
        "rev": 2,
        "server_seq": 10,
        "deleted": False,
        "fields": {"status": "resolved", "chosen": {EVIL_FIELDS[0]: "pwned"}, "resolved_rev": 4},
    }
    with store.atomic():
        apply_notices(store, [closed], {"id": "u-wang", "commissioner_id": CID}, "d-here")
    assert _contents(store) == before
    assert store.db.execute(
        "SELECT resolved_at IS NOT NULL FROM sync_conflicts WHERE notice_id = 'n-9'"
    ).fetchone()[0]


def test_a_refusal_reason_is_kept_as_plain_short_text(tmp_path: Path) -> None:
    """The server's reason for refusing a record is shown to the user (the sync page, the command
    line's list of refused records): control characters (a terminal's escape sequences, direction
    marks) are dropped and its length is bounded before it is stored."""
    import json

    from sync.errors import rejection_reason

    store, visits = _store(tmp_path)
    server = FakeServer()

    def refused(request: protocol.PushRequest) -> protocol.PushAnswer:
        results = [
            {
                "table": c["table"],
                "id": c["id"],
                "status": "rejected",
                "reason_zh": "\x1b[2J\x1b]0;被篡改\x07日期有误\u202e" + "长" * 5000,
                "reason_en": "bad\x1b[31m date",
            }
            for c in request["changes"]
        ]
        return {"results": results, "server_time": _now()}  # type: ignore[typeddict-item]

    server.answer_push = refused
    SyncEngine(store, server).sync()
    row = store.row("visits", visits[0].id)
    assert row is not None and row["sync_error"]
    reason = rejection_reason(row["sync_error"])
    assert reason is not None and reason.zh.startswith("[2J]0;被篡改日期有误")
    assert not any(ord(ch) < 32 or ch in "\x7f\u202e" for ch in reason.zh + reason.en)
    assert len(reason.zh) <= 1000 and reason.en == "bad[31m date"
    assert len(json.loads(row["sync_error"])["zh"]) <= 1000


def test_a_servers_error_message_is_shown_as_plain_text() -> None:
    from sync.client import _reason

    reason = _reason({"message_zh": "拒绝\x1b]0;x\x07\u202e", "message_en": "no\x1b[2J"}, 403)
    assert (reason.zh, reason.en) == ("拒绝]0;x", "no[2J")
    assert _reason({"detail": "a\x00b"}, 500).zh == "ab"
