"""The GUI holds no domain work: no SQL and no store calls that change data in ui/.

Every user action is an operation in the core (commissioner_app/ops, sync/ops.py) that the
executor runs (ui/tasks.py); the GUI reads through core query functions on the read-only
connection. This test reads the source of every ui/ module and fails on:
- SQL text in a string (SELECT, INSERT INTO, UPDATE … SET, DELETE FROM, PRAGMA, CREATE …);
- the database connection itself (`.db`, `.conn`, `.execute(`, `sqlite3`);
- a Store method that writes (`save`, `save_visit`, `delete`, `set_meta`, `atomic`, …);
- the worker's Store taken from the context (`context.store`) outside the context and executor.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"

SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA\s+\w+|"
    r"CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX))\b",
    re.IGNORECASE | re.DOTALL,
)
CONNECTION = re.compile(
    r"\.db\b|\.conn\b|\.execute(many)?\(|\.executescript\(|\bimport sqlite3\b|\bsqlite_utils\b"
)
WRITES = re.compile(
    r"\b(store|reader|_store|gate)\.(save|save_visit|save_profile|delete|set_meta|atomic|insert|upsert)\("
)
STORE_OF_CONTEXT = re.compile(r"\bcontext\.store\b|\.tasks\.store\b")

# Where a pattern is the point of the module, not domain work.
ALLOWED = {
    "ui/context.py": {STORE_OF_CONTEXT},  # makes the executor for the store it is given
    "ui/tasks.py": {STORE_OF_CONTEXT},  # the executor owns the store
}


def _sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if "translations" not in p.parts)


def _strings(source: str) -> list[tuple[int, str]]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            found.append((token.start[0], token.string))
    return found


def _code_lines(source: str) -> list[tuple[int, str]]:
    """Lines without their comments and strings (so a docstring may talk about SQL)."""
    out: dict[int, list[str]] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.COMMENT, tokenize.STRING):
            continue
        out.setdefault(token.start[0], []).append(token.string)
    return [(n, "".join(parts)) for n, parts in sorted(out.items())]


def violations() -> list[str]:
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        allowed = ALLOWED.get(rel, set())
        source = path.read_text(encoding="utf-8")
        for line_no, text in _strings(source):
            if SQL.search(text):
                found.append(f"{rel}:{line_no}: SQL text {text[:60]!r}")
        for line_no, line in _code_lines(source):
            for name, pattern in (("connection", CONNECTION), ("store of the context", STORE_OF_CONTEXT)):
                if pattern not in allowed and pattern.search(line):
                    found.append(f"{rel}:{line_no}: {name}: {line.strip()[:80]}")
            if WRITES.search(line):
                found.append(f"{rel}:{line_no}: a write on the store: {line.strip()[:80]}")
    return found


def test_no_sql_and_no_store_writes_in_the_gui():
    assert violations() == []


def test_the_check_finds_what_it_looks_for(tmp_path, monkeypatch):
    """The patterns are live: planted examples of each kind are reported."""
    planted = tmp_path / "ui"
    planted.mkdir()
    (planted / "bad_view.py").write_text(
        "def load(store, context):\n"
        "    rows = store.db.execute('SELECT id FROM visits WHERE deleted = 0')\n"
        "    store.set_meta('x', '1')\n"
        "    context.store.save(rows)\n"
        "    image.save('shot.png')  # fine: a picture\n"
        "    self.save()  # fine: a dialog's own save, which runs an operation\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "UI", planted)
    found = violations()
    assert any("SQL text" in f for f in found)
    assert any("connection" in f for f in found)
    assert sum("a write on the store" in f for f in found) == 2
    assert any("store of the context" in f for f in found)
    assert not any("image.save" in f or "self.save" in f for f in found)
