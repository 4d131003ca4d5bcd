"""The client's reading of the audit trail and a record's history: field-wise changes worked out from
the server's revisions; an answer of the wrong shape is refused, never shown half-understood."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commissioner_app.errors import CommissionerError
from sync import audit_ops
from sync.audit_ops import AuditEntry, AuditFilter


class Stub:
    def __init__(self, audit: Any = None, history: Any = None, export: bytes = b"") -> None:
        self.answers = {"audit": audit, "history": history, "export": export}
        self.params: dict[str, Any] = {}

    def audit(self, params: dict[str, Any]) -> Any:
        self.params = params
        return self.answers["audit"]

    def audit_export(self, params: dict[str, Any]) -> bytes:
        return bytes(self.answers["export"])

    def record_history(self, table: str, record_id: str) -> Any:
        return self.answers["history"]


def use(monkeypatch: pytest.MonkeyPatch, stub: Stub) -> None:
    monkeypatch.setattr(audit_ops.session, "open_client", lambda store: stub)


def revision(rev: int, fields: dict[str, Any], who: str = "wangf", deleted: bool = False) -> dict[str, Any]:
    return {
        "rev": rev,
        "fields": fields,
        "username": who,
        "at": f"2026-05-0{rev}T01:00:00.000000Z",
        "deleted": deleted,
        "server_seq": rev,
    }


def test_history_lists_each_changed_field_with_before_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    use(
        monkeypatch,
        Stub(
            history=[
                revision(2, {"content": "新", "town": "会城", "updated_at": "x"}, who="lin"),
                revision(1, {"content": "旧", "town": "会城", "review_status": "", "updated_at": "y"}),
                revision(3, {"content": "新", "town": "会城"}, who="boss", deleted=True),
            ]
        ),
    )
    changes = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    got = [(c.rev, c.username, c.field, c.before, c.after) for c in changes]
    # Newest first; the first version is one row: the record was created.
    assert got == [
        (3, "boss", "deleted", False, True),
        (2, "lin", "content", "旧", "新"),
        (2, "lin", "review_status", "", None),
        (1, "wangf", "", None, None),
    ]
    assert changes[-1].label.zh == "（新建记录）" and changes[2].label.zh == "审核状态"
    assert not [c for c in changes if c.field == "updated_at"]
    assert changes[1].label.zh == "服务内容"


def test_a_history_whose_older_versions_were_pruned_does_not_claim_a_creation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server deletes versions past its retention (`prune-revisions`): the oldest one left is
    not the record's creation, and its writer is not shown as the record's creator."""
    use(
        monkeypatch,
        Stub(history=[revision(5, {"content": "新"}, who="lin"), revision(4, {"content": "旧"}, who="boss")]),
    )
    changes = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    assert [(c.rev, c.field, c.before, c.after) for c in changes] == [
        (5, "content", "旧", "新"),
        (4, "", None, None),
    ]
    assert changes[-1].label.zh == "（最早保留的版本，更早的已按保留期清理）"
    assert changes[-1].label.en == "(oldest version kept; older ones were pruned)"


@pytest.mark.parametrize(
    "answer",
    [
        {"rev": 1},
        [{"rev": "1", "fields": {}, "username": "a", "at": "t"}],
        [{"rev": 1, "fields": [], "username": "a", "at": "t"}],
        [7],
    ],
)
def test_a_malformed_history_is_refused(monkeypatch: pytest.MonkeyPatch, answer: Any) -> None:
    use(monkeypatch, Stub(history=answer))
    with pytest.raises(CommissionerError):
        audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]


ENTRY = {
    "id": 3,
    "at": "2026-05-01T01:00:00.000000Z",
    "actor": "xinhui",
    "actor_role": "county",
    "action": "review.decide",
    "subject": "visits/v1",
    "county": "新会区",
    "before": {"decision": "approved", "opinion": ""},
    "after": {"decision": "returned", "opinion": "补照片"},
}


def test_audit_entries_and_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    stub = Stub(audit={"entries": [ENTRY], "total": 1})
    use(monkeypatch, stub)
    given = AuditFilter(actor=" xinhui ", action="review.decide", date_from=date(2026, 5, 1))
    total, entries = audit_ops.audit_entries(None, given)  # type: ignore[arg-type]
    assert total == 1 and stub.params["actor"] == "xinhui" and stub.params["date_from"] == "2026-05-01"
    assert "subject" not in stub.params and "date_to" not in stub.params
    entry = entries[0]
    assert entry.action_label().zh == "审核决定"
    # In words, as the application says them: the field's name and its coded values.
    assert entry.change_text(lang="zh_CN") == "审核结论：通过 → 退回；审核意见：（空） → 补照片"
    assert entry.change_text(lang="en") == "Decision: Approve → Return；Opinion: (empty) → 补照片"
    assert entry.subject_text("zh_CN") == "服务记录 v1"
    created = AuditEntry(1, "", "boss", "bureau", "user.create", "users/a", "", None, {"role": "county"})
    assert created.change_text(lang="zh_CN") == "角色：县科技局"
    assert created.subject_text("zh_CN") == "账号 a"
    review = AuditEntry(
        2,
        "",
        "boss",
        "manager",
        "review.decide",
        "visits/9b27c1d0-5a1e-4c3b-8f00-1234567890ab",
        "",
        None,
        {"decision": "approved", "sheet_accepted": True, "record_rev": 3},
    )
    assert review.change_text(lang="zh_CN") == "审核结论：通过；所审版本：3；签字确认单已核验：是"
    assert review.subject_text("zh_CN") == "服务记录 9b27c1d0…"
    assert review.subject_text("zh_CN", whole=True) == "服务记录 9b27c1d0-5a1e-4c3b-8f00-1234567890ab"
    imported = AuditEntry(3, "", "boss", "bureau", "roster.import", "roster", "", None, {"accounts": []})
    assert imported.subject_text("en") == "Roster"


@pytest.mark.parametrize(
    "answer",
    [
        [],
        {"entries": "x", "total": 1},
        {"entries": [], "total": "1"},
        {"entries": [{**ENTRY, "id": "3"}], "total": 1},
        {"entries": [{**ENTRY, "actor": None}], "total": 1},
    ],
)
def test_a_malformed_audit_answer_is_refused(monkeypatch: pytest.MonkeyPatch, answer: Any) -> None:
    use(monkeypatch, Stub(audit=answer))
    with pytest.raises(CommissionerError):
        audit_ops.audit_entries(None, AuditFilter())  # type: ignore[arg-type]


def test_export_writes_the_servers_csv_whole_or_not_at_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use(monkeypatch, Stub(export="\ufeff时间\n1\n2\n".encode()))
    out = tmp_path / "audit.csv"
    assert audit_ops.export_audit(None, AuditFilter(), out).value == 2  # type: ignore[arg-type]
    use(monkeypatch, Stub(export=b"<html>proxy error</html>"))
    with pytest.raises(CommissionerError):
        audit_ops.export_audit(None, AuditFilter(), tmp_path / "other.csv")  # type: ignore[arg-type]
    assert not (tmp_path / "other.csv").exists()


def test_every_action_the_server_writes_has_a_chinese_and_english_name() -> None:
    """The audit screen names each act in the reader's language, never by its code: every action
    the server's endpoints, its sync and its command line write is in ACTIONS."""
    import re

    from sync.server.push import AUDITED

    root = Path(__file__).resolve().parents[2]
    admin = (root / "sync/server/admin.py").read_text(encoding="utf-8")
    cli = (root / "sync/server_cli.py").read_text(encoding="utf-8")
    written = {action for action in AUDITED.values() if action}  # "": named by push.audit_action
    push = (root / "sync/server/push.py").read_text(encoding="utf-8")
    written |= set(re.findall(r'"((?:project|achievement|bonus|exemplar)\.[a-z_]+)"', push))
    written |= set(re.findall(r'_audit\(\s*conn,\s*user,\s*"([a-z._]+)"', admin))
    written |= set(re.findall(r'logged\(\s*"([a-z._]+)"', cli))
    maintenance = (root / "sync/server/maintenance.py").read_text(encoding="utf-8")
    written |= set(re.findall(r'record_now\([^"]*"([a-z._]+)"', maintenance))
    assert {"account.create", "account.reset_password", "team.put", "workstation.put"} <= written
    assert {"roster.import", "user.create", "project.award", "bonus.decide", "revisions.prune"} <= written
    unnamed = written - set(audit_ops.ACTIONS)
    assert not unnamed, f"actions without a name on the audit screen: {sorted(unnamed)}"
    for code, label in audit_ops.ACTIONS.items():
        assert label.zh != code and label.en != code and not label.zh.isascii(), code
    # One Chinese name, one English name, for one act.
    assert len({m.zh for m in audit_ops.ACTIONS.values()}) == len(audit_ops.ACTIONS)
    assert len({m.en for m in audit_ops.ACTIONS.values()}) == len(audit_ops.ACTIONS)


def test_a_roster_import_and_a_password_reset_read_as_words() -> None:
    after = {
        "accounts": [
            {"row": 2, "name": "徐静杰", "username": "13900000000", "role": "commissioner", "county": ""},
            {"row": 3, "name": "李明", "username": "13900000001", "role": "manager", "county": "新会区"},
        ],
        "teams_created": ["蓬江区第1科技特派团"],
        "workstations_created": [],
    }
    imported = AuditEntry(1, "", "boss", "bureau", "roster.import", "roster", "", None, after)
    assert imported.change_text(lang="zh_CN") == (
        "2 个账号：徐静杰 13900000000、李明 13900000001；新建科技特派团：蓬江区第1科技特派团"
    )
    assert imported.change_text(lang="en").startswith("2 accounts: 徐静杰 13900000000, 李明")
    assert imported.change_text(limit=10, lang="zh_CN") == "2 个账号：徐静杰…"
    reset = AuditEntry(2, "", "boss", "bureau", "account.reset_password", "users/a", "", None, None)
    assert reset.change_text(lang="zh_CN") == "已生成新的一次性密码（密码不记入日志）"
    # An answer of another shape is shown as it is, not misread.
    odd = AuditEntry(3, "", "boss", "bureau", "roster.import", "roster", "", None, {"accounts": "x"})
    assert odd.change_text(lang="zh_CN") == "0 个账号："
