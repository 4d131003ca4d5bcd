import sqlite3
from pathlib import Path

import pluggy
import pytest
from sqlite_utils import Database

from commissioner_app import schema
from commissioner_app import store as store_module
from commissioner_app.domain import ServiceTarget, Solution, TechnicalProblem, Visit
from commissioner_app.errors import (
    DatabaseCorruptError,
    DatabaseFullError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    ValidationError,
)
from commissioner_app.paths import DB_FILENAME
from commissioner_app.reference import reference, towns_of
from commissioner_app.store import Store, VisitQuery

from .conftest import make_visit


def test_new_store_uses_wal_and_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_saved_record_is_on_the_disk_when_the_save_returns(tmp_path):
    """A field laptop's battery dies without warning. Under SQLite's synchronous=NORMAL a commit
    reached the disk at the next checkpoint, or when the operating system got round to it: a visit
    saved seconds before was gone after the restart. Every commit of the store is on its disk (FULL)."""
    store = Store.open(tmp_path / "data")
    try:
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        store.close()
    reopened = Store.open(tmp_path / "data")  # as on every later start
    try:
        assert reopened.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        reopened.close()


def test_reference_data_is_loaded_at_first_start(store):
    counties = [c.name_zh for c in reference(store, "county")]
    assert counties == ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
    assert len(towns_of(store, "新会区")) == 11
    assert "陈皮" in {i.name_zh for i in reference(store, "industry")}
    assert "五邑大学" in {i.name_zh for i in reference(store, "sending_unit")}


def test_visit_with_problem_and_solution_is_saved_and_queued(store, target):
    visit = make_visit(target)
    problem = TechnicalProblem(title="柑橘黄龙病防治", status="solved")
    solution = Solution(problem_id=problem.id, description="挖除病株，统一防治木虱", technology="综合防控")
    store.save_visit(visit, [problem], [solution])
    assert store.get(Visit, visit.id).content == visit.content
    saved_problem = store.get(TechnicalProblem, problem.id)
    assert saved_problem.visit_id == visit.id and saved_problem.target_id == target.id
    assert saved_problem.solved_on == visit.visit_date
    assert store.row("visits", visit.id)["sync_state"] == "queued"
    assert store.get(Visit, visit.id).review_status == "pending"
    assert store.waiting_to_sync() == 4  # target, visit, problem, solution


def test_child_issues_are_named_by_position(store, target):
    visit = make_visit(target)
    problem = TechnicalProblem(title="", status="solved")
    with pytest.raises(ValidationError) as raised:
        store.save_visit(visit, [problem], [])
    assert {i.field for i in raised.value.issues} == {"problems[0].title", "problems[0].status"}
    assert store.get(Visit, visit.id) is None


def test_half_finished_multi_record_write_leaves_nothing(store, target, monkeypatch):
    visit = make_visit(target)
    problems = [TechnicalProblem(title=f"难题{i}") for i in range(3)]
    calls = {"n": 0}
    real_write = store._write

    def failing_write(record, draft):
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("disk I/O error")
        real_write(record, draft)

    monkeypatch.setattr(store, "_write", failing_write)
    with pytest.raises(sqlite3.OperationalError):
        store.save_visit(visit, problems)
    assert store.get(Visit, visit.id) is None
    assert store.db.execute("SELECT count(*) FROM problems").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM visits_fts").fetchone()[0] == 0


def test_draft_can_be_incomplete_and_is_not_queued(store, target):
    draft = Visit(target_id=target.id, content="刚到")
    store.save_visit(draft, draft=True)
    assert store.row("visits", draft.id)["sync_state"] == "draft"
    assert store.waiting_to_sync() == 1  # only the target
    finished = store.get(Visit, draft.id)
    with pytest.raises(ValidationError):
        store.save_visit(finished)
    assert store.row("visits", draft.id)["sync_state"] == "draft"
    complete = make_visit(target, id=draft.id)
    store.save_visit(complete)
    assert store.row("visits", draft.id)["sync_state"] == "queued"
    assert store.waiting_to_sync() == 2


def test_edit_after_approval_goes_back_to_review_and_keeps_history(store, target):
    visit = make_visit(target)
    store.save_visit(visit)
    store.db.execute(
        "UPDATE visits SET review_status = 'approved', dirty = 0, rev = 3 WHERE id = ?", [visit.id]
    )
    approved = store.get(Visit, visit.id)
    store.save_visit(approved)  # nothing changed: stays approved and clean
    assert store.row("visits", visit.id)["review_status"] == "approved"
    assert store.row("visits", visit.id)["dirty"] == 0
    approved.people_trained = 40
    store.save_visit(approved)
    row = store.row("visits", visit.id)
    assert row["review_status"] == "pending"
    assert row["dirty"] == 1 and row["base_rev"] == 3
    changes = store.history("visits", visit.id)[-1]["changes"]
    assert changes["people_trained"] == [35, 40]
    assert changes["review_status"] == ["approved", "pending"]


def test_delete_is_a_tombstone(store, target):
    visit = make_visit(target)
    store.save_visit(visit)
    store.delete(Visit, visit.id)
    assert store.get(Visit, visit.id) is None
    row = store.row("visits", visit.id)
    assert row["deleted"] == 1 and row["dirty"] == 1
    assert store.count_visits() == 0


def test_chinese_full_text_search(store, target):
    a = make_visit(target, content="到果园指导柑橘黄龙病防治，讲解木虱监测。")
    b = make_visit(target, content="讲解新会陈皮晒制与陈化要点，现场检查仓储条件。")
    store.save_visit(a)
    store.save_visit(b)
    problem = TechnicalProblem(title="柑橘黄龙病防治", description="叶片斑驳黄化")
    c = make_visit(target, content="调研合作社的技术需求。")
    store.save_visit(c, [problem])

    def visits(text):
        return {r["id"] for r in store.list_visits(VisitQuery(text=text))}

    assert visits("黄龙病") == {a.id}  # three characters inside 柑橘黄龙病防治
    assert visits("黄龙") == {a.id}  # two characters
    assert visits("陈化") == {b.id}
    assert visits("晒制 仓储") == {b.id}  # every term must match
    assert visits("黄龙 仓储") == set()
    assert visits("双水") == {a.id, b.id, c.id}  # the place, from the target
    assert visits("合作社") == {a.id, b.id, c.id}  # the target's name
    assert visits("鳗鱼") == set()
    assert visits("柑") == {a.id}  # one character falls back to a scan
    kinds = {(h.kind, h.id) for h in store.search("黄龙病")}
    assert ("problems", problem.id) in kinds and ("visits", a.id) in kinds
    assert ("service_targets", target.id) in {(h.kind, h.id) for h in store.search("合作社")}


def test_a_record_is_found_by_the_number_printed_for_it(store, target):
    """The visit sheet prints 记录编号 (eight characters of the id), lists show them with an ellipsis,
    and a manager's returned-records list names records by them: typed into a search box, the
    number found nothing (only the texts are indexed)."""
    from commissioner_app.domain import id_excerpt, short_id

    a = make_visit(target, content="到果园指导柑橘黄龙病防治")
    b = make_visit(target, content="讲解新会陈皮晒制")
    problem = TechnicalProblem(title="柑橘黄龙病防治", description="叶片斑驳黄化")
    store.save_visit(a, [problem])
    store.save_visit(b)
    old = make_visit(target, content="调研合作社的技术需求")
    old.id = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"  # random ids of older records show their head
    store.save_visit(old)

    def visits(text):
        return {r["id"] for r in store.list_visits(VisitQuery(text=text))}

    assert short_id(a.id) != short_id(b.id)
    assert visits(short_id(a.id)) == {a.id}
    assert visits(short_id(b.id).upper()) == {b.id}
    assert visits(id_excerpt(b.id)) == {b.id}  # as a list shows it, with its ellipsis
    assert visits(short_id(old.id)) == {old.id}
    assert visits(id_excerpt(old.id)) == {old.id}
    assert visits(f"{short_id(a.id)} 黄龙病") == {a.id}  # with a word, both hold
    assert visits(f"{short_id(b.id)} 黄龙病") == set()
    assert ("problems", problem.id) in {(h.kind, h.id) for h in store.search(short_id(problem.id))}
    assert visits("00000000") == set()
    # Only the number printed: a time-ordered id's first eight characters are the minute it was made
    # (every record of that minute has them), an older id's last eight are printed nowhere.
    assert a.id[:8] == b.id[:8] and visits(a.id[:8]) == set()
    assert visits(old.id[-8:]) == set()
    assert visits(a.id) == {a.id}  # the whole id, as `commissioner search` prints it
    assert visits(old.id.upper()) == {old.id}


def test_a_long_pasted_text_searches_instead_of_failing(store, target):
    """Each word of a search became one more condition: a paragraph pasted into a search box (about
    a thousand words) made SQLite refuse the query ("Expression tree is too large") and the list
    fail. A word given twice is one condition, and at most the first 32 different words count."""
    visit = make_visit(target, content="指导柑橘黄龙病防治 木虱 监测")
    store.save_visit(visit)
    pasted = " ".join(["黄龙病", "木虱"] + ["监测"] * 1500)
    assert {r["id"] for r in store.list_visits(VisitQuery(text=pasted))} == {visit.id}
    assert store.count_visits(VisitQuery(text=pasted)) == 1
    assert ("visits", visit.id) in {(h.kind, h.id) for h in store.search(pasted)}
    assert store.list_problems(text=pasted) == []
    many = " ".join(f"词{i}" for i in range(1500))  # as many different words
    assert store.list_visits(VisitQuery(text=many)) == [] and store.search(many) == []
    assert store.list_targets(text=many) == []


def test_a_one_character_search_for_a_wildcard_finds_only_that_character(store, target):
    """One character is matched with LIKE: `_` or `%` typed alone matched any text, and every
    record came back."""
    plain = make_visit(target, content="指导柑橘黄龙病防治")
    marked = make_visit(target, content="产量提高 15% 以上")
    store.save_visit(plain)
    store.save_visit(marked)

    def visits(text):
        return {r["id"] for r in store.list_visits(VisitQuery(text=text))}

    assert visits("%") == {marked.id}
    assert visits("_") == set()
    assert ("visits", plain.id) not in {(h.kind, h.id) for h in store.search("_")}


def test_search_index_follows_edits_and_deletes(store, target):
    visit = make_visit(target, content="指导鳗鱼烂鳃病防治")
    store.save_visit(visit)
    assert store.count_visits(VisitQuery(text="烂鳃")) == 1
    visit.content = "指导鳗鱼池塘尾水处理"
    store.save_visit(visit)
    assert store.count_visits(VisitQuery(text="烂鳃")) == 0
    assert store.count_visits(VisitQuery(text="尾水")) == 1
    store.delete(Visit, visit.id)
    assert store.count_visits(VisitQuery(text="尾水")) == 0


def test_visits_are_found_by_their_targets_new_name_after_a_rename(store, target):
    visit = make_visit(target, content="指导陈皮晒制")
    store.save_visit(visit)
    other = make_visit(target, content="讲解陈化仓储")
    store.save_visit(other)
    store.delete(Visit, other.id)
    target.name = "江门柑普茶产业园"
    store.save(target)
    assert {r["id"] for r in store.list_visits(VisitQuery(text="柑普茶"))} == {visit.id}
    assert store.count_visits(VisitQuery(text="双水陈皮")) == 0
    assert ("visits", visit.id) in {(h.kind, h.id) for h in store.search("产业园")}
    assert ("visits", visit.id) not in {(h.kind, h.id) for h in store.search("专业合作社")}
    # Saving the target with the same name leaves the index as it was.
    store.save(target)
    assert store.count_visits(VisitQuery(text="柑普茶")) == 1


def test_a_visit_written_before_its_target_is_found_by_the_targets_name(store):
    """As a pull may bring them: the target changed on the server after the visit was written."""
    target = ServiceTarget(type="village", name="大泽镇五和村", county="新会区", town="大泽镇")
    visit = make_visit(target, content="调研村里的鳗鱼养殖")
    store.save_visit(visit)
    assert store.count_visits(VisitQuery(text="五和村")) == 0
    store.save(target)
    assert {r["id"] for r in store.list_visits(VisitQuery(text="五和村"))} == {visit.id}


def test_visit_list_filters_and_orders(store, target):
    from datetime import date

    older = make_visit(target, visit_date=date(2025, 3, 1))
    newer = make_visit(target, visit_date=date(2025, 6, 1))
    store.save_visit(older)
    store.save_visit(newer)
    assert [r["id"] for r in store.list_visits()] == [newer.id, older.id]
    assert [r["id"] for r in store.list_visits(VisitQuery(descending=False))] == [older.id, newer.id]
    assert [r["id"] for r in store.list_visits(VisitQuery(date_to=date(2025, 4, 1)))] == [older.id]
    assert store.count_visits(VisitQuery(county="台山市")) == 0
    assert store.count_visits(VisitQuery(sync_state="queued")) == 2
    row = store.list_visits(limit=1)[0]
    assert row["target_name"] == target.name and row["state"] == "queued"


# --- errors the user can act on ------------------------------------------------------------------


def test_corrupt_database_is_refused_and_left_untouched(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    db_file = data / DB_FILENAME
    db_file.write_bytes(b"this is not a database" * 100)
    before = db_file.read_bytes()
    with pytest.raises(DatabaseCorruptError) as raised:
        Store.open(data)
    assert str(db_file) in raised.value.text("zh_CN")
    assert "restore" in raised.value.text("en")
    assert db_file.read_bytes() == before


def test_database_from_a_newer_version_is_refused(tmp_path: Path):
    store = Store.open(tmp_path)
    store.db["_sqlite_migrations"].insert(
        {"migration_set": "commissioner_app", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    store.close()
    with pytest.raises(DatabaseTooNewError) as raised:
        Store.open(tmp_path)
    assert "更新版本" in raised.value.text("zh_CN")


def test_locked_database_says_so(store, target, monkeypatch):
    # (the application waits 20 s for another writer before saying so; the test need not)
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.3)
    other = sqlite3.connect(str(store.path), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        store.db.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(DatabaseLockedError) as raised:
            store.save_visit(make_visit(target))
        assert str(store.path) in raised.value.text("zh_CN")
    finally:
        other.rollback()
        other.close()


def test_read_only_database_says_so(tmp_path: Path, target, store):
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    read_only = Store(Database(conn), store.data_dir)
    with pytest.raises(DatabaseReadOnlyError) as raised:
        read_only.save_visit(make_visit(target))
    assert "只读" in raised.value.text("zh_CN")


def test_full_disk_says_so_and_keeps_what_was_saved(store, target):
    kept = make_visit(target)
    store.save_visit(kept)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DatabaseFullError):
        store.save_visit(make_visit(target, content="很长的内容" * 5000))
    assert store.get(Visit, kept.id) is not None


# --- migrations ----------------------------------------------------------------------------------


def test_database_of_the_first_schema_upgrades_with_all_rows(tmp_path: Path):
    """A database made by the first schema version opens in this one with every row kept."""
    data = tmp_path / "old"
    data.mkdir()
    db = Database(data / DB_FILENAME)
    first = schema.migrations._migrations[0]
    later = [m.name for m in schema.migrations._migrations[1:]]
    schema.migrations.apply(db, stop_before=later[0] if later else None)
    assert [m.name for m in schema.migrations.applied(db)] == [first.name]
    db.execute(
        "INSERT INTO visits (id, target_id, visit_date, start_time, end_time, content, dirty, rev) "
        "VALUES ('v1', 't1', '2024-05-01', '09:00', '10:00', '旧版本录入的服务记录', 1, 0)"
    )
    db.execute("INSERT INTO service_targets (id, name) VALUES ('t1', '旧版本的服务对象')")
    db.execute("INSERT INTO problems (id, title, visit_id, status) VALUES ('p1', '旧难题', 'v1', 'open')")
    db.conn.commit()
    db.close()

    store = Store.open(data)
    assert store.get(Visit, "v1").content == "旧版本录入的服务记录"
    assert store.row("visits", "v1")["dirty"] == 1  # the unsent change is still unsent
    assert store.get(TechnicalProblem, "p1").title == "旧难题"
    assert {m.name for m in schema.migrations.applied(store.db)} == schema.known_migration_names()
    if later:
        assert list((data / "backups").glob("commissioner-*-before-*.db"))
    assert store.count_visits(VisitQuery(text="旧版本")) == 1


class _ConnectionPlugin:
    """A sqlite-utils plugin as any installed package may bring: sqlite-utils hands it every
    connection it opens, to register SQL functions or change pragmas."""

    def __init__(self) -> None:
        self.prepared: list[sqlite3.Connection] = []

    @pluggy.HookimplMarker("sqlite_utils")
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        self.prepared.append(conn)


def test_a_sqlite_utils_plugin_installed_beside_the_app_does_not_touch_its_database(tmp_path: Path) -> None:
    """The store is prepared by the application alone: a plugin another package installed on the
    same Python ran on every connection to the commissioner's records, and looking for such plugins
    cost each start of the application ~15 ms."""
    from sqlite_utils.plugins import pm

    from commissioner_app.ops.query import open_reader

    plugin = _ConnectionPlugin()
    pm.register(plugin)
    try:
        store = Store.open(tmp_path)
        reader = open_reader(store)
        memory = Store.memory(load_reference=False)
        assert plugin.prepared == []
        for s in (reader, memory, store):
            s.close()
    finally:
        pm.unregister(plugin)
