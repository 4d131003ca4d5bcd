"""Evidence that travels: previews with the records, full files on demand, a bounded cache.

What is fetched when (the protocol notes in README.md say the same):
- A commissioner's or a manager's sync fetches, after the pull, the preview of every attachment (and
  signed confirmation sheet) of the records it holds whose file is not on this computer: the
  records they review or own. The bureau holds the whole city, so its sync fetches none; the bureau's
  computer fetches a record's previews when it opens that record (`fetch_previews` for its hashes).
- The full file comes on demand (`download_file`): opening a photo, printing a document that holds
  it, or the setting "keep full copies of my team's evidence" (each sync then fetches the missing
  ones). A download resumes from its partial file with HTTP Range, is checked against its SHA-256
  before it is renamed to its content address, and is recorded in `downloaded_files`. Asked for
  while offline, the file is marked 'wanted' and fetched by the next sync.
- `evict` keeps downloaded files under the cache limit (default 2 GB), least recently used first;
  a file added on this computer, or one a record waiting to be uploaded refers to, is never removed.

Nothing from the network is trusted: hashes are checked before they become paths, previews are
decoded and bounded (sync.previews.check_preview), files are hashed before use.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from commissioner_app.attachments import (
    INCOMING_PREFIX,
    OWNER_LIVE,
    blob_path,
    thumbnail_path,
    valid_sha256,
)
from commissioner_app.domain import now_iso
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.ops.session import session_user
from commissioner_app.store import Store
from sync.client import SyncClient
from sync.errors import NotLoggedInError, OfflineError, RefusedError, ServerError, SyncError
from sync.previews import check_preview
from sync.puller import META_CURSOR

log = logging.getLogger("commissioner.sync.evidence")

META_CACHE_LIMIT = "evidence_cache_limit_bytes"
META_KEEP_TEAM_FULL = "evidence_keep_team_full"
DEFAULT_CACHE_LIMIT = 2 * 1024**3
PREVIEW_BATCH = 200
# What the previews last asked for were (the pull's cursor then, and a digest of the files that were
# still without one): see after_pull.
META_PREVIEWS_ASKED = "previews_asked"
RESUME_ATTEMPTS = 5

Progress = Callable[[int, int], None]


# --- settings -------------------------------------------------------------------------------------


def cache_limit(store: Store) -> int:
    try:
        return max(0, int(store.get_meta(META_CACHE_LIMIT) or DEFAULT_CACHE_LIMIT))
    except ValueError:
        return DEFAULT_CACHE_LIMIT


def keep_team_full(store: Store) -> bool:
    return store.get_meta(META_KEEP_TEAM_FULL) == "1"


# --- what is here ---------------------------------------------------------------------------------


def _evidence_hashes(store: Store) -> list[str]:
    """Every file the records on this computer refer to (attachments, signed confirmation sheets)."""
    rows = store.db.execute(
        f"SELECT sha256 FROM attachments a WHERE deleted = 0 AND sha256 != '' AND {OWNER_LIVE} "
        "UNION SELECT confirm_sheet_sha256 FROM visits WHERE deleted = 0 AND confirm_sheet_sha256 != ''"
    ).fetchall()
    return [r[0] for r in rows if valid_sha256(r[0])]


def hashes_of_record(store: Store, table: str, record_id: str) -> list[str]:
    """The files a record shows: its attachments, and a visit's signed confirmation sheet."""
    rows = store.db.execute(
        "SELECT sha256 FROM attachments WHERE deleted = 0 AND owner_table = ? AND owner_id = ?",
        [table, record_id],
    ).fetchall()
    found = [r[0] for r in rows]
    if table == "visits":
        sheet = store.db.execute(
            "SELECT confirm_sheet_sha256 FROM visits WHERE id = ? AND deleted = 0", [record_id]
        ).fetchone()
        if sheet and sheet[0]:
            found.append(sheet[0])
    return [h for h in dict.fromkeys(found) if valid_sha256(h)]


def missing_previews(store: Store, hashes: Iterable[str] | None = None) -> list[str]:
    """Files with neither their bytes nor a preview on this computer."""
    todo = _evidence_hashes(store) if hashes is None else [h for h in hashes if valid_sha256(h)]
    return [h for h in todo if not thumbnail_path(store, h).exists() and not blob_path(store, h).exists()]


def has_full(store: Store, sha256: str) -> bool:
    return valid_sha256(sha256) and blob_path(store, sha256).exists()


# --- previews -------------------------------------------------------------------------------------


def fetch_previews(
    store: Store, client: SyncClient, hashes: Iterable[str], progress: Progress | None = None
) -> int:
    """Fetch and keep the previews of these files (checked: a JPEG within the bounds, of a file
    asked for); returns how many arrived."""
    todo = [h for h in dict.fromkeys(hashes) if valid_sha256(h)]
    stored = 0
    for start in range(0, len(todo), PREVIEW_BATCH):
        asked = set(todo[start : start + PREVIEW_BATCH])
        answer = client.previews(sorted(asked))
        for item in answer.get("previews") or []:
            sha = item.get("sha256") if isinstance(item, dict) else None
            if sha not in asked:
                continue  # never a file we did not ask for
            try:
                jpeg = base64.b64decode(str(item.get("jpeg_base64") or ""), validate=True)
            except ValueError:
                continue
            if not check_preview(jpeg):
                log.warning("refused a preview of %s that is not a bounded JPEG", sha[:12])
                continue
            _write(thumbnail_path(store, sha), jpeg)
            stored += 1
        if progress is not None:
            progress(min(start + PREVIEW_BATCH, len(todo)), len(todo))
    return stored


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{INCOMING_PREFIX}{target.name}")
    tmp.write_bytes(data)
    os.replace(tmp, target)


# --- full files -----------------------------------------------------------------------------------


def partial_path(store: Store, sha256: str) -> Path:
    """Where an unfinished download waits to be resumed (never used before its hash is checked)."""
    path = blob_path(store, sha256)  # (refuses a value that is not a SHA-256)
    return path.with_name(f"{sha256}.part")


def _damaged(sha: str) -> RefusedError:
    return RefusedError(
        Message(
            f"下载的附件 {sha[:12]} 与校验值不符，已丢弃，请重试",
            f"The downloaded attachment {sha[:12]} does not match its hash; it was discarded, try again",
        )
    )


def download_file(
    store: Store,
    client: SyncClient,
    sha256: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """The full file, downloaded first if needed: resumed where a cut download stopped, checked
    against its SHA-256 before use, stored under its hash. Raises OfflineError when the network is
    gone (the file is then marked wanted and fetched by the next sync). One download of a file at a
    time in this process: a second caller waits for the first and takes its result."""
    target = blob_path(store, sha256)
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(sha256, threading.Lock())
    with lock:
        return _download_file(store, client, sha256, target, progress, cancelled)


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _download_file(
    store: Store,
    client: SyncClient,
    sha256: str,
    target: Path,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> Path:
    if target.exists():
        touch(store, [sha256])
        return target
    part = partial_path(store, sha256)
    part.parent.mkdir(parents=True, exist_ok=True)
    attempts = 0
    try:
        while True:
            attempts += 1
            with part.open("ab") as out:
                start = out.tell()
                try:
                    client.download_to(sha256, out, start, progress, cancelled)
                    break
                except OfflineError:
                    if attempts >= RESUME_ATTEMPTS:
                        raise
                    log.info("download of %s cut at %d bytes; resuming", sha256[:12], out.tell())
                except RefusedError as exc:
                    if exc.status != 416 or attempts >= RESUME_ATTEMPTS:
                        raise
                    out.truncate(0)  # a partial file longer than the file: start again
                    log.info("partial download of %s was too long; starting again", sha256[:12])
    except OfflineError:
        mark_wanted(store, [sha256])
        raise
    digest = hashlib.sha256()
    with part.open("rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink(missing_ok=True)
        raise _damaged(sha256)
    os.replace(part, target)
    size = target.stat().st_size
    now = now_iso()
    with store.atomic():
        store.db.execute(
            "INSERT INTO downloaded_files (sha256, size, state, downloaded_at, last_used_at) "
            "VALUES (?, ?, 'done', ?, ?) ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, "
            "state = 'done', downloaded_at = excluded.downloaded_at, last_used_at = excluded.last_used_at",
            [sha256, size, now, now],
        )
    evict(store, keep={sha256})
    return target


def download_files(
    store: Store,
    client: SyncClient,
    hashes: Iterable[str],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Several files, with one progress over all of them (bytes of the files still to come)."""
    todo = [h for h in dict.fromkeys(hashes) if valid_sha256(h)]
    done_before = 0
    paths = []
    for sha in todo:
        base = done_before

        def step(written: int, _size: int, base: int = base) -> None:
            if progress is not None:
                progress(base + written, 0)

        paths.append(download_file(store, client, sha, step, cancelled))
        done_before += paths[-1].stat().st_size
    return paths


def mark_wanted(store: Store, hashes: Iterable[str]) -> None:
    now = now_iso()
    with store.atomic():
        for sha in hashes:
            if valid_sha256(sha) and not blob_path(store, sha).exists():
                store.db.execute(
                    "INSERT INTO downloaded_files (sha256, state, last_used_at) VALUES (?, 'wanted', ?) "
                    "ON CONFLICT(sha256) DO NOTHING",
                    [sha, now],
                )


def wanted(store: Store) -> list[str]:
    rows = store.db.execute("SELECT sha256 FROM downloaded_files WHERE state = 'wanted'").fetchall()
    return [r[0] for r in rows if valid_sha256(r[0])]


def touch(store: Store, hashes: Iterable[str]) -> None:
    """Mark downloaded files as just used (the cache evicts the least recently used first)."""
    now = now_iso()
    with store.atomic():
        for sha in hashes:
            store.db.execute(
                "UPDATE downloaded_files SET last_used_at = ? WHERE sha256 = ? AND state = 'done'", [now, sha]
            )


def _protected(store: Store) -> set[str]:
    """Files never evicted: those of records waiting to be uploaded, and one's own."""
    me = store.get_meta("self_commissioner_id") or ""
    user = session_user(store) or {}
    mine = str(user.get("commissioner_id") or me)
    from commissioner_app import schema
    from commissioner_app.domain import TABLES
    from commissioner_app.records import domain_columns

    owners = " UNION ALL ".join(
        f"SELECT '{t}' AS t, id, commissioner_id FROM {t}"
        for t in schema.SYNCED_TABLES
        if "commissioner_id" in domain_columns(TABLES[t])
    )
    rows = store.db.execute(
        f"""SELECT a.sha256 FROM attachments a
            LEFT JOIN ({owners}) o ON o.t = a.owner_table AND o.id = a.owner_id
            WHERE a.dirty = 1 OR a.updated_by != 'server' OR coalesce(o.commissioner_id, '') = ?
            UNION SELECT confirm_sheet_sha256 FROM visits WHERE dirty = 1 OR commissioner_id = ?""",
        [mine, mine],
    ).fetchall()
    return {r[0] for r in rows}


def evict(store: Store, limit: int | None = None, keep: set[str] | None = None) -> int:
    """Remove downloaded files, least recently used first, until they fit the cache limit; returns
    how many bytes were freed. Own files and files not yet uploaded are never in the reckoning."""
    limit = cache_limit(store) if limit is None else limit
    rows = store.db.execute(
        "SELECT sha256, size FROM downloaded_files WHERE state = 'done' ORDER BY last_used_at, sha256"
    ).fetchall()
    total = sum(int(r[1]) for r in rows)
    if total <= limit:
        return 0
    protected = _protected(store) | (keep or set())
    freed = 0
    gone: list[str] = []
    for sha, size in rows:
        if total - freed <= limit:
            break
        if sha in protected or not valid_sha256(sha):
            continue
        with suppress(FileNotFoundError):
            blob_path(store, sha).unlink()
        freed += int(size)
        gone.append(sha)
    with store.atomic():
        for sha in gone:
            store.db.execute("DELETE FROM downloaded_files WHERE sha256 = ?", [sha])
    if gone:
        log.info("evicted %d downloaded files (%d bytes) to stay under %d", len(gone), freed, limit)
    return freed


# --- after a sync ---------------------------------------------------------------------------------


def after_pull(
    store: Store,
    client: SyncClient,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """A sync's evidence step: previews of the records one reviews or owns (not the bureau's city),
    then the files asked for while offline, and the team's full files when the setting says so."""
    role = str((session_user(store) or {}).get("role") or "commissioner")
    figures = {"previews": 0, "files": 0}
    tell = progress or (lambda _phase, _done, _total: None)
    if role != "bureau":
        todo_previews = missing_previews(store)
        # Previews the server had none of last time are asked for again only once something has
        # changed (the pull moved on, or other files are missing): a sync with nothing to do stays
        # one request.
        asked = _asked_key(store, todo_previews)
        if todo_previews and store.get_meta(META_PREVIEWS_ASKED) != asked:
            figures["previews"] = fetch_previews(
                store, client, todo_previews, lambda done, total: tell("previews", done, total)
            )
            store.set_meta(META_PREVIEWS_ASKED, _asked_key(store, missing_previews(store, todo_previews)))
    todo = wanted(store)
    if keep_team_full(store) and role != "bureau":
        todo += [h for h in _evidence_hashes(store) if not blob_path(store, h).exists()]
    files = list(dict.fromkeys(todo))
    for number, sha in enumerate(files):
        if cancelled is not None and cancelled():
            break
        tell("download", number, len(files))
        try:
            download_file(store, client, sha, cancelled=cancelled)
            figures["files"] += 1
        except RefusedError as exc:
            log.info("file %s not downloaded: %s", sha[:12], exc)
            if getattr(exc, "status", 0) == 404:
                store.db.execute("DELETE FROM downloaded_files WHERE sha256 = ? AND state = 'wanted'", [sha])
    return figures


def _asked_key(store: Store, missing: list[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(missing)).encode()).hexdigest()[:32]
    return f"{store.get_meta(META_CURSOR) or 0}:{digest}"


def not_downloaded() -> CommissionerError:
    return CommissionerError(
        Message(
            "尚未下载：连接服务器后将自动下载",
            "Not yet downloaded: it will be fetched when the server is reachable",
        )
    )


# --- operations the application runs on its network lane -------------------------------------------


def open_client(store: Store) -> SyncClient:
    from sync.session import open_client as session_client  # (sync.session imports the engine)

    return session_client(store)


def open_files_op(
    store: Store,
    hashes: list[str],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> OpResult[list[str]]:
    """The full files, downloaded first where needed (opening a photo, printing a sheet that holds
    it). Files already here need no account; for the rest, NotLoggedInError or OfflineError (the
    files are then marked wanted: the next sync fetches them)."""
    todo = [h for h in hashes if valid_sha256(h)]
    missing = [h for h in todo if not blob_path(store, h).exists()]
    if missing:
        try:
            client = open_client(store)
        except NotLoggedInError:
            mark_wanted(store, missing)
            raise
        download_files(store, client, missing, progress, cancelled)
    touch(store, todo)
    changes = OpChanges.of("attachments") if missing else OpChanges()
    return OpResult([str(blob_path(store, h)) for h in todo], changes)


def record_previews_op(store: Store, table: str, record_id: str) -> OpResult[int]:
    """The previews of one record's files (the bureau's computer when it opens a record; anyone's
    when a sync has not brought them yet). Offline or logged out: nothing, quietly."""
    todo = missing_previews(store, hashes_of_record(store, table, record_id))
    if not todo:
        return OpResult(0, OpChanges())
    try:
        got = fetch_previews(store, open_client(store), todo)
    except (NotLoggedInError, OfflineError, RefusedError, ServerError) as exc:
        log.info("no previews for %s %s: %s", table, record_id, exc)
        return OpResult(0, OpChanges())
    return OpResult(got, OpChanges.of("attachments") if got else OpChanges())


def previews_op(
    store: Store,
    hashes: Iterable[str],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> OpResult[int]:
    """The previews of these files that are neither here in full nor as a preview (before printing a
    document that shows them: the annual record on a manager's or the bureau's computer); `progress`
    gets (previews done, previews asked). Offline, logged out or cancelled: what arrived, quietly;
    the document then shows 尚未下载 for the rest."""
    todo = missing_previews(store, hashes)
    got = 0
    if todo:
        try:
            client = open_client(store)
            for start in range(0, len(todo), PREVIEW_BATCH):
                if cancelled is not None and cancelled():
                    break
                got += fetch_previews(store, client, todo[start : start + PREVIEW_BATCH])
                if progress is not None:
                    progress(min(start + PREVIEW_BATCH, len(todo)), len(todo))
        except SyncError as exc:  # logged out, offline, refused, cut: print what is here
            log.info("%d of %d previews before printing: %s", got, len(todo), exc)
    return OpResult(got, OpChanges.of("attachments") if got else OpChanges())


def evidence_settings(store: Store) -> dict[str, object]:
    """The settings page's evidence choices, and how much the downloaded files take now."""
    used = store.db.execute(
        "SELECT coalesce(sum(size), 0) FROM downloaded_files WHERE state = 'done'"
    ).fetchone()
    return {"limit": cache_limit(store), "keep_team_full": keep_team_full(store), "used": int(used[0])}


def set_evidence_settings(store: Store, limit: int, keep_full: bool) -> OpResult[int]:
    """Save the cache limit (bytes; at least 100 MB) and the keep-full-copies choice; a lower limit
    evicts at once (returns the bytes freed)."""
    limit = max(100 * 1024**2, int(limit))
    store.set_meta(META_CACHE_LIMIT, str(limit))
    store.set_meta(META_KEEP_TEAM_FULL, "1" if keep_full else None)
    return OpResult(evict(store, limit), OpChanges())
