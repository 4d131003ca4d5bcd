"""The client's reading of the audit trail and a record's history: field-wise changes worked out from
the server's revisions; an answer of the wrong shape is refused, never shown half-understood."""

from __future__ import annotations

import json
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


def test_a_version_that_changed_no_field_is_still_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server writes a visit again unchanged when an approval of it was refused (new evidence
    came): that version, by the reviewer, was missing from the history, and the count of versions
    with it."""
    use(
        monkeypatch,
        Stub(
            history=[
                revision(1, {"content": "旧", "updated_at": "a"}),
                revision(2, {"content": "旧", "updated_at": "b"}, who="lin"),
                revision(3, {"content": "新", "updated_at": "c"}),
            ]
        ),
    )
    changes = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    assert [(c.rev, c.username, c.field) for c in changes] == [
        (3, "wangf", "content"),
        (2, "lin", ""),
        (1, "wangf", ""),
    ]
    assert changes[1].label.zh == "（再次保存，内容未变）"
    assert changes[1].label.en == "(saved again, nothing changed)"


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
    assert entry.change_text(lang="en") == "Decision: Approve → Return; Opinion: (empty) → 补照片"
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


class Paged(Stub):
    """The server's list endpoint over `rows` (newest first), one page per call as asked."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.rows = sorted(rows, key=lambda r: -r["id"])
        self.calls: list[dict[str, Any]] = []

    def audit(self, params: dict[str, Any]) -> Any:
        self.calls.append(params)
        offset, limit = params["offset"], params["limit"]
        return {"entries": self.rows[offset : offset + limit], "total": len(self.rows)}

    def audit_export(self, params: dict[str, Any]) -> bytes:
        raise AssertionError("the readable export is made here, not taken from the server's raw CSV")


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set this process's time zone for a test (and put the machine's back after it)."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("the time zone of a running process is set through TZ on POSIX only")

    def use_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use_zone
    monkeypatch.undo()
    time.tzset()


VISIT = "9b27c1d0-5a1e-4c3b-8f00-1234567890ab"
REVIEW = {
    **ENTRY,
    "id": 7,
    "at": "2026-05-01T01:02:03.000000Z",
    "subject": f"visits/{VISIT}",
    "before": None,
    "after": {"decision": "returned", "opinion": "请补充现场照片", "sheet_accepted": True, "record_rev": 3},
}


def read_csv(path: Path) -> list[list[str]]:
    import csv

    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "Excel needs the BOM to open the Chinese"
    return list(csv.reader(data.decode("utf-8-sig").splitlines()))


def test_the_days_picked_are_days_of_this_computers_time(monkeypatch: pytest.MonkeyPatch, zone: Any) -> None:
    """The screen shows the computer's own time: the days of the date filter are that time's too
    (the server is told the offset; it would otherwise count China's days)."""
    from datetime import date

    stub = Stub(audit={"entries": [], "total": 0})
    use(monkeypatch, stub)
    zone("America/New_York")
    audit_ops.audit_entries(None, AuditFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 1)))  # type: ignore[arg-type]
    assert stub.params["utc_offset"] == -300
    audit_ops.audit_entries(None, AuditFilter(date_to=date(2026, 7, 1)))  # type: ignore[arg-type]
    assert stub.params["utc_offset"] == -240  # summer time
    zone("Asia/Shanghai")
    audit_ops.audit_entries(None, AuditFilter(date_from=date(2026, 3, 1)))  # type: ignore[arg-type]
    assert stub.params["utc_offset"] == 480
    audit_ops.audit_entries(None, AuditFilter(actor="xinhui"))  # type: ignore[arg-type]
    assert "utc_offset" not in stub.params  # no days, no offset


def test_a_screens_time_header_is_short_enough_for_its_column(zone: Any) -> None:
    """On a screen the header names the offset without "this computer's local time" (in English at
    150 % it took most of the history dialog's width); the file keeps the whole words."""
    at = ["2026-05-01T01:02:03.000000Z"]
    zone("America/New_York")
    header, times = audit_ops.local_times(at, seconds=False, short=True)
    assert (header.text("zh_CN"), header.text("en"), times) == (
        "时间（UTC-04:00）",
        "Time (UTC-04:00)",
        ["2026-04-30 21:02"],
    )
    assert audit_ops.local_times(at)[0].text("en") == "Time (this computer's local time, UTC-04:00)"
    zone("Asia/Shanghai")
    assert audit_ops.local_times(at, short=True)[0].text("zh_CN") == "时间（北京时间）"


def test_the_exported_csv_reads_in_chinese_with_local_times(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, zone: Any
) -> None:
    """A bureau clerk opens the export in Excel: Beijing time, the role and the act by their names,
    the subject and the change in words; no UTC, no codes, no JSON in the readable columns."""
    zone("Asia/Shanghai")
    use(monkeypatch, Paged([REVIEW]))
    out = tmp_path / "操作日志.csv"
    result = audit_ops.export_audit(None, AuditFilter(), out, lang="zh_CN")  # type: ignore[arg-type]
    assert (result.value.rows, result.value.matched) == (1, 1)
    header, row = read_csv(out)
    assert header[:7] == ["时间（北京时间）", "操作人", "角色", "操作", "对象", "县（市、区）", "变更内容"]
    assert not any("UTC" in h for h in header)
    assert row[:6] == ["2026-05-01 09:02:03", "xinhui", "县科技局", "审核决定", f"服务记录 {VISIT}", "新会区"]
    assert row[6] == "审核结论：退回；审核意见：请补充现场照片；所审版本：3；签字确认单已核验：是"
    readable = " ".join(row[:7])
    assert "review.decide" not in readable and "visits/" not in readable and "{" not in readable
    # The raw record stays, last, for completeness.
    assert json.loads(row[-1]) == REVIEW["after"] and row[-2] == ""


def test_the_exported_csv_says_which_time_it_shows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, zone: Any
) -> None:
    use(monkeypatch, Paged([REVIEW]))
    out = tmp_path / "a.csv"
    zone("UTC")
    audit_ops.export_audit(None, AuditFilter(), out, lang="zh_CN")  # type: ignore[arg-type]
    header, row = read_csv(out)
    assert header[0] == "时间（UTC）" and row[0] == "2026-05-01 01:02:03"
    zone("Asia/Kolkata")
    audit_ops.export_audit(None, AuditFilter(), out, lang="en")  # type: ignore[arg-type]
    header, row = read_csv(out)
    assert header[0] == "Time (this computer's local time, UTC+05:30)" and row[0] == "2026-05-01 06:32:03"
    # A summer-time change inside the export: each time carries its offset.
    zone("Europe/Berlin")
    winter = {**REVIEW, "id": 8, "at": "2026-01-10T12:00:00.000000Z"}
    use(monkeypatch, Paged([REVIEW, winter]))
    audit_ops.export_audit(None, AuditFilter(), out, lang="en")  # type: ignore[arg-type]
    header, *rows = read_csv(out)
    assert header[0] == "Time (this computer's local time)"
    assert [r[0] for r in rows] == ["2026-05-01 03:02:03 UTC+02:00", "2026-01-10 13:00:00 UTC+01:00"]


def test_the_exported_csv_in_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, zone: Any) -> None:
    zone("Asia/Shanghai")
    use(monkeypatch, Paged([REVIEW]))
    out = tmp_path / "audit.csv"
    audit_ops.export_audit(None, AuditFilter(), out, lang="en")  # type: ignore[arg-type]
    header, row = read_csv(out)
    assert header[:7] == [
        "Time (Beijing time)",
        "Actor",
        "Role",
        "Action",
        "Subject",
        "County / district",
        "Change",
    ]
    assert row[:5] == ["2026-05-01 09:02:03", "xinhui", "county bureau", "Review decision", f"Visit {VISIT}"]
    assert row[6].startswith("Decision: Return; Opinion: 请补充现场照片")  # English punctuation


def test_the_export_holds_every_matching_entry_oldest_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Paged through the list endpoint: no row dropped; a long value is not cut; a cell Excel would
    run as a formula is text."""
    rows = [
        {**ENTRY, "id": n, "actor": f"u{n}", "before": None, "after": {"opinion": f"第{n}条"}}
        for n in range(1, 2502)
    ]
    rows[0]["subject"] = '=HYPERLINK("http://x")'
    rows[1]["actor"], rows[1]["county"] = "@evil", "-1+2"
    rows[2]["after"] = {"opinion": "很长的意见" * 100}
    stub = Paged(rows)
    use(monkeypatch, stub)
    out = tmp_path / "audit.csv"
    result = audit_ops.export_audit(None, AuditFilter(action="review.decide"), out)  # type: ignore[arg-type]
    assert (result.value.rows, result.value.matched) == (2501, 2501)
    assert all(c["action"] == "review.decide" for c in stub.calls) and len(stub.calls) == 3
    _header, *got = read_csv(out)
    assert [r[1] for r in got[3:]] == [f"u{n}" for n in range(4, 2502)]
    assert got[0][4] == '\'=HYPERLINK("http://x")' and got[1][1] == "'@evil" and got[1][5] == "'-1+2"
    assert "很长的意见" * 100 in got[2][6]


def test_an_export_past_its_limit_says_how_many_it_left_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = [{**ENTRY, "id": n} for n in range(1, 2051)]
    use(monkeypatch, Paged(rows))
    monkeypatch.setattr(audit_ops, "MAX_EXPORT", 2000)
    out = tmp_path / "audit.csv"
    result = audit_ops.export_audit(None, AuditFilter(), out)  # type: ignore[arg-type]
    # The newest 2,000 of the 2,050, and the caller is told.
    assert (result.value.rows, result.value.matched) == (2000, 2050)
    _header, *got = read_csv(out)
    assert len(got) == 2000 and got[-1][7] == "2050" and got[0][7] == "51"


def test_an_export_from_a_bad_answer_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use(monkeypatch, Stub(audit={"entries": [{**ENTRY, "id": "x"}], "total": 1}))
    out = tmp_path / "audit.csv"
    with pytest.raises(CommissionerError):
        audit_ops.export_audit(None, AuditFilter(), out)  # type: ignore[arg-type]
    assert not out.exists() and not list(tmp_path.iterdir())


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


@pytest.mark.parametrize("where", ["under a file", "a folder"])
def test_an_export_to_a_place_it_cannot_write_says_so_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    """A cold try saved into a folder it could not write and onto a folder's name: the user read an
    internal error about a '.part' file they never chose. Now it is said as other exports say it."""
    use(monkeypatch, Paged([REVIEW]))
    (tmp_path / "a file").write_text("x", encoding="utf-8")
    (tmp_path / "a folder").mkdir()
    out = tmp_path / "a file" / "audit.csv" if where == "under a file" else tmp_path / "a folder"
    with pytest.raises(CommissionerError) as caught:
        audit_ops.export_audit(None, AuditFilter(), out, lang="zh_CN")  # type: ignore[arg-type]
    assert caught.value.text("zh_CN").startswith(f"无法写入文件 {out}：")
    assert caught.value.text("en").startswith(f"Cannot write the file {out}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file", "a folder"]
    assert not list((tmp_path / "a folder").iterdir())


def test_a_published_result_and_a_reference_edit_read_as_words() -> None:
    """A cold try read a published result as its raw figures and parts (figures：{…}；grade：fail…)
    and a town added to the reference data as the whole list of 80 towns."""
    result = {
        "year": 2026,
        "commissioner_id": "c-liangwm",
        "total": 88.5,
        "grade": "good",
        "grade_uncapped": "excellent",
        "parts": [{"key": "service", "score": 40}],
        "figures": {"visits": 2},
        "rules_title": "江门市2026年度考核细则",
        "population": 2,
        "published_at": "2026-12-01",
    }
    published = AuditEntry(
        1, "", "boss", "bureau", "assessment.publish", "assessment_results/2026:c", "", None, result
    )
    assert published.change_text(lang="zh_CN") == "总分：88.5；等级：良好；细则：江门市2026年度考核细则"
    assert published.change_text(lang="en") == "Total: 88.5; Grade: Good; Rules: 江门市2026年度考核细则"
    again = AuditEntry(
        2,
        "",
        "boss",
        "bureau",
        "assessment.publish",
        "x",
        "",
        result,
        {**result, "total": 91, "grade": "excellent"},
    )
    assert (
        again.change_text(lang="zh_CN") == "总分：88.5 → 91；等级：良好 → 优秀；细则：江门市2026年度考核细则"
    )
    towns = [{"code": f"t{i}", "name_zh": f"镇{i}"} for i in range(80)]
    before = {"version": "1", "items": towns}
    after = {
        "version": "2",
        "items": [*towns[1:], {"code": "t0", "name_zh": "镇零"}, {"code": "new", "name_zh": "银湖湾示范区"}],
    }
    edited = AuditEntry(3, "", "boss", "bureau", "reference.edit", "reference/town", "", before, after)
    assert edited.change_text(lang="zh_CN") == "新增 1 项：银湖湾示范区；改名 1 项：镇0 → 镇零"
    assert edited.change_text(lang="en") == "Added 1: 银湖湾示范区; Renamed 1: 镇0 → 镇零"


def test_a_reference_list_is_named_not_coded() -> None:
    """A cold try read the subject of a town added as "基础数据 town"."""
    from commissioner_app.reference import KINDS

    assert set(audit_ops.REFERENCE_LISTS) == set(KINDS)  # every list the bureau edits has a name
    edited = AuditEntry(1, "", "boss", "bureau", "reference.edit", "reference/town", "", None, None)
    assert edited.subject_text("zh_CN") == "基础数据（镇街）"
    assert edited.subject_text("en", whole=True) == "Reference data (towns)"


@pytest.mark.parametrize("failure", ["offline", "server"])
def test_an_export_cut_off_by_the_network_says_it_was_not_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failure: str
) -> None:
    """A cold try stopped the server after the first page: the message was the sync's ("sync will
    continue when the network is back"), though an export does not go on by itself."""
    from sync.errors import OfflineError, ServerError

    class CutOff(Paged):
        def audit(self, params: dict[str, Any]) -> Any:
            if params["offset"]:
                raise OfflineError("gone") if failure == "offline" else ServerError(502)
            return super().audit(params)

    use(monkeypatch, CutOff([{**REVIEW, "id": i} for i in range(1, audit_ops.EXPORT_PAGE + 5)]))
    out = tmp_path / "audit.csv"
    with pytest.raises(CommissionerError) as caught:
        audit_ops.export_audit(None, AuditFilter(), out)  # type: ignore[arg-type]
    assert "没有导出" in caught.value.text("zh_CN") and "not exported" in caught.value.text("en")
    assert "同步" not in caught.value.text("zh_CN")
    assert not list(tmp_path.iterdir())


def test_the_history_names_each_writer_by_the_name_people_know(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history showed account names (wangf) where the audit trail and every list show 王芳."""
    first = {**revision(1, {"content": "旧"}), "display_name": "王芳"}
    second = {**revision(2, {"content": "新"}, who="boss"), "display_name": ""}  # an account without one
    use(monkeypatch, Stub(history=[first, second]))
    changes = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    assert [c.writer("zh_CN") for c in changes] == ["boss", "王芳（wangf）"]
    assert changes[1].writer("en") == "王芳 (wangf)"
    for odd in (5, "wangf"):  # not text; the account name itself: the account alone
        use(monkeypatch, Stub(history=[{**first, "display_name": odd}]))
        assert [c.writer("zh_CN") for c in audit_ops.record_history(None, "visits", "v1")] == ["wangf"]  # type: ignore[arg-type]
    # A public record's writer of another county: the server says the name only, never "王芳（）".
    use(monkeypatch, Stub(history=[{**first, "username": "", "device_id": ""}]))
    assert [c.writer("zh_CN") for c in audit_ops.record_history(None, "visits", "v1")] == ["王芳"]  # type: ignore[arg-type]


def test_the_history_shows_coded_values_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """审核状态 read "pending → returned"."""
    use(
        monkeypatch,
        Stub(history=[revision(1, {"review_status": "pending"}), revision(2, {"review_status": "returned"})]),
    )
    [change, _created] = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    assert (change.shown(change.before, "zh_CN"), change.shown(change.after, "zh_CN")) == ("待审核", "已退回")
    assert change.shown(change.after, "en") != "returned" and change.shown("其他", "zh_CN") == "其他"
    use(monkeypatch, Stub(history=[revision(1, {"status": "open"}), revision(2, {"status": "solved"})]))
    [change, _created] = audit_ops.record_history(None, "problems", "p1")  # type: ignore[arg-type]
    assert change.shown(change.after, "zh_CN") == "已解决"


def test_the_history_names_a_signed_sheet_and_shows_no_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row read `confirm_sheet_sha256` with 64 hexadecimal digits as its new value."""
    sheet = "ab" * 32
    use(monkeypatch, Stub(history=[revision(1, {}), revision(2, {"confirm_sheet_sha256": sheet})]))
    [change, _created] = audit_ops.record_history(None, "visits", "v1")  # type: ignore[arg-type]
    assert (
        change.label.zh == "签字确认单" and change.shown(change.after, "zh_CN") == "已上传的文件（abababab…）"
    )
    assert change.shown(change.before, "zh_CN") == ""


def test_the_servers_own_acts_are_named_in_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, zone: Any
) -> None:
    """The trail showed the raw "server-cli" as the actor of acts run on the server itself."""
    zone("Asia/Shanghai")
    prune = {**REVIEW, "id": 9, "actor": "server-cli", "actor_role": "admin"}
    use(monkeypatch, Paged([prune]))
    out = tmp_path / "a.csv"
    audit_ops.export_audit(None, AuditFilter(), out, lang="zh_CN")  # type: ignore[arg-type]
    _header, row = read_csv(out)
    assert row[1:3] == ["服务器管理命令", "服务器管理员"]


def test_every_field_of_a_synced_record_has_a_name_in_both_languages() -> None:
    """A record's history and the audit trail name each changed field as a person would (团长, not
    leader_id), whatever the kind of record."""
    from dataclasses import fields

    from commissioner_app.records import TABLES

    raw = sorted(
        f"{table}.{f.name}"
        for table, cls in TABLES.items()
        for f in fields(cls)
        if f.name != "id"
        and (
            audit_ops.field_name(f.name).text("zh_CN") == f.name
            or audit_ops.field_name(f.name).text("en") == f.name
        )
    )
    assert raw == []


def test_the_history_names_the_people_and_groups_a_change_points_to(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A team's history showed its new leader as a 36-character id, and yes/no in Chinese in English."""
    from commissioner_app.domain import Commissioner, Team
    from commissioner_app.store import Store

    store = Store.open(tmp_path / "data")
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    li = store.save(Commissioner(name="李强", sending_unit="华南农业大学"))
    unknown = "0190aaaa-0000-7000-8000-000000000000"  # not on this laptop: shown as it is
    team = store.save(Team(name="柑橘产业科技特派团"))
    history = [
        revision(1, {"name": team.name, "leader_id": wang.id, "co_commissioner_ids": [], "disabled": False}),
        revision(
            2,
            {"name": team.name, "leader_id": li.id, "co_commissioner_ids": [wang.id, unknown]}
            | {"disabled": True},
        ),
    ]
    use(monkeypatch, Stub(history=history))
    changes = {c.field: c for c in audit_ops.record_history(store, "teams", team.id)}
    leader = changes["leader_id"]
    assert (leader.shown(leader.before, "zh_CN"), leader.shown(leader.after, "zh_CN")) == ("王芳", "李强")
    co = changes["co_commissioner_ids"]
    assert co.shown(co.after, "zh_CN") == f"王芳、{unknown}"
    assert co.shown(co.after, "en") == f"王芳, {unknown}"
    flag = changes["disabled"]
    assert (flag.shown(flag.before, "zh_CN"), flag.shown(flag.after, "en")) == ("否", "Yes")
    store.close()


def test_an_entrys_before_and_after_read_as_named_fields_not_json() -> None:
    """The audit trail's detail showed a team's change as {"leader_id": "...", "counties": [...]}."""
    before = {"name": "柑橘团", "counties": ["新会区", "台山市"], "disabled": False, "leader_id": "c-1"}
    zh = audit_ops.shown_fields(before, "zh_CN")
    assert zh.splitlines() == ["名称：柑橘团", "服务区县：新会区、台山市", "已停用：否", "团长：c-1"]
    en = audit_ops.shown_fields(before, "en")
    assert "Counties served: 新会区, 台山市" in en.splitlines() and "Disabled: No" in en.splitlines()
    assert audit_ops.shown_fields(None, "zh_CN") == ""
    assert audit_ops.shown_fields("文本", "zh_CN") == "文本"
