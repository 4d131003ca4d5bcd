"""Local field work for the proof tests: commissioners' stores with visits, problems, solutions and
photos, and comparisons between a client's records and the server's."""

from __future__ import annotations

import io
import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from commissioner_app import schema
from commissioner_app.attachments import add_attachment
from commissioner_app.domain import TABLES, Commissioner, ServiceTarget, Solution, TechnicalProblem, Visit
from commissioner_app.records import domain_columns
from commissioner_app.store import Store
from sync import session
from sync.engine import SyncEngine
from tests.sync.harness import PASSWORD

FAST = {"retries": 3, "backoff": 0.02, "max_backoff": 0.2, "connect_timeout": 2.0, "read_timeout": 5.0}


def commissioner_store(path: Path, commissioner_id: str, name: str = "王建国") -> Store:
    store = Store.open(path)
    if store.profile() is None:
        store.save_profile(
            Commissioner(id=commissioner_id, name=name, sending_unit="省农业科学院", phone="13800138000")
        )
    store.actor = commissioner_id
    return store


def connect(store: Store, url: str, username: str, *, via: str | None = None, **options: Any) -> SyncEngine:
    """Log in directly, then sync through `via` (e.g. a faulty proxy) when given."""
    engine_options = _engine_options(options)
    opts = {**FAST, **options}
    session.login(store, url, username, PASSWORD, use_file=True, **opts)
    client = session.open_client(store, **opts)
    if via:
        client.server_url = via
    return SyncEngine(store, client, **engine_options)


def reconnect(store: Store, via: str | None = None, **options: Any) -> SyncEngine:
    engine_options = _engine_options(options)
    client = session.open_client(store, **{**FAST, **options})
    if via:
        client.server_url = via
    return SyncEngine(store, client, **engine_options)


ENGINE_KEYS = ("batch_size", "pull_limit", "chunk_size", "batch_chars")


def _engine_options(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options.pop(k) for k in list(options) if k in ENGINE_KEYS}


def add_target(store: Store, rng: random.Random) -> ServiceTarget:
    target = ServiceTarget(
        name=f"{rng.choice(['红星', '青山', '金穗', '绿源'])}合作社{rng.randint(1, 9999)}",
        type="enterprise",
        county="龙岩市新罗区",
        town="适中镇",
    )
    store.save(target)
    return target


def add_visit(
    store: Store, rng: random.Random, target: ServiceTarget, marker: str, children: bool = True
) -> Visit:
    visit = Visit(
        commissioner_id=store.actor,
        target_id=target.id,
        visit_date=date.today() - timedelta(days=rng.randint(0, 300)),
        start_time="09:00",
        end_time="11:30",
        county=target.county,
        town=target.town,
        service_types=["guidance"],
        industry="水稻",
        content=f"指导水稻病虫害绿色防控 {marker}",
        people_trained=rng.randint(0, 40),
    )
    problems, solutions = [], []
    if children:
        problem = TechnicalProblem(title=f"稻瘟病防治 {marker}", description="叶片出现病斑", industry="水稻")
        problems.append(problem)
        if rng.random() < 0.7:
            solutions.append(
                Solution(problem_id=problem.id, description=f"喷施三环唑 {marker}", technology="三环唑")
            )
    store.save_visit(visit, problems, solutions)
    return visit


def add_photo(store: Store, tmp: Path, owner_id: str, rng: random.Random, size: int) -> str:
    """A photo of `size` bytes: a small JPEG (a photo's file must be a picture) and random bytes after
    its end, as a camera's files carry (every photo its own bytes)."""
    path = tmp / f"photo-{uuid.uuid4().hex[:8]}.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "JPEG")
    picture = buffer.getvalue()
    path.write_bytes(picture + rng.randbytes(max(0, size - len(picture))))
    return add_attachment(store, path, "visits", owner_id, kind="photo").sha256


def local_records(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """Every non-draft record of a client: (table, id) -> rev, deleted, dirty, fields."""
    out = {}
    for table in schema.SYNCED_TABLES:
        columns = [c for c in domain_columns(TABLES[table]) if c != "id"]
        cursor = store.db.execute(f"SELECT * FROM {table} WHERE is_draft = 0")
        names = [d[0] for d in cursor.description]
        for found in cursor.fetchall():
            row = dict(zip(names, found, strict=True))
            out[(table, row["id"])] = {
                "rev": row["rev"],
                "deleted": bool(row["deleted"]),
                "dirty": row["dirty"],
                "has_conflict": row["has_conflict"],
                "sync_error": row["sync_error"],
                "fields": {c: row[c] for c in columns},
            }
    return out


SERVER_OWNED = {"review_status", "review_opinion", "confirm_sheet_accepted"}
# Kept on the laptop only: the server registers the confirmation link and never stores it.
LOCAL_ONLY = {"confirm_token"}


def differences(
    client: dict[tuple[str, str], dict[str, Any]],
    server: dict[tuple[str, str], dict[str, Any]],
    tables: tuple[str, ...] = schema.SYNCED_TABLES,
) -> list[str]:
    """Every way the client's records and the server's differ (empty when they agree one by one)."""
    problems = []
    for key, mine in client.items():
        if key[0] not in tables:
            continue
        theirs = server.get(key)
        if theirs is None:
            problems.append(f"{key} missing on the server")
            continue
        if mine["dirty"] or mine["has_conflict"] or mine["sync_error"]:
            problems.append(
                f"{key} not synced (dirty={mine['dirty']}, conflict={mine['has_conflict']}, "
                f"error={mine['sync_error']})"
            )
        if mine["rev"] != theirs["rev"] or mine["deleted"] != theirs["deleted"]:
            problems.append(
                f"{key} rev/deleted {mine['rev']}/{mine['deleted']} vs {theirs['rev']}/{theirs['deleted']}"
            )
        for field, value in mine["fields"].items():
            if field in SERVER_OWNED or field in LOCAL_ONLY:
                continue
            other = theirs["fields"].get(field)
            if not _equal(value, other):
                problems.append(f"{key}.{field}: client {value!r} server {other!r}")
    for key in server:
        if key[0] in tables and key not in client:
            problems.append(f"{key} on the server only")
    return problems


def _equal(a: Any, b: Any) -> bool:
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b)
    return bool(a == b)


def integrity_ok(store: Store) -> bool:
    return store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
