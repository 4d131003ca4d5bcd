"""The sync engine: push local changes, upload their attachments, pull the server's changes.

Guarantees (SYNC.md), and how this module keeps them:

- Nothing is lost or duplicated. A push batch, with its idempotency key (`batch_id`), is written
  to the local database *before* it is sent; after a crash or a dropped connection the same batch
  is sent again, and the server answers a replay with its first answer. A change is marked as sent
  only when the server's answer for it has been committed locally, and only if the row was not
  edited meanwhile (its `updated_at` is compared with the one sent).
- No last-writer-wins. A conflict answer keeps the local values of the colliding fields, takes the
  server's values for the fields only the server changed (told apart with the base version kept in
  `sync_base`), records each collision in `sync_conflicts` and holds the record back from push
  until a person resolves it (sync/conflicts.py).
- A pull applies each page and its cursor in one local transaction and never overwrites a record
  with unsent local changes.

`SyncEngine.sync()` is meant to run on a worker thread: it reports progress through a callback
(phase, label, numbers), stops between steps when the cancel flag is set, and raises the typed
errors of sync/errors.py. Use the store from that thread only while the sync runs.

The engine's parts, one job each: sync/pusher.py (batches, pipelined push, merging the answers),
sync/uploader.py (attachment files), sync/puller.py (pull and full-text re-indexing),
sync/report.py (progress, cancel, the report, clock skew).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from commissioner_app import schema
from commissioner_app.demands import reconcile_take_ups
from commissioner_app.domain import TABLES, new_id, now_iso
from commissioner_app.errors import DatabaseFullError, DatabaseReadOnlyError, StoreError, os_reason
from commissioner_app.file_lock import lock, open_lock_file
from commissioner_app.i18n import Message
from commissioner_app.records import domain_columns
from commissioner_app.store import Store
from commissioner_app.targets import follow_merges
from sync import evidence, protocol
from sync.bureau_push import push_bureau_edits
from sync.client import SyncClient
from sync.errors import OfflineError, RefusedError, ServerError, SyncBusyError, SyncCancelledError
from sync.puller import FTS_BULK_MIN, META_CURSOR, Puller
from sync.pusher import (
    MAX_BATCH_CHARS,
    META_PENDING_BATCH,
    META_PENDING_NEXT,
    PENDING_SLOTS,
    PUSH_ORDER,
    Pusher,
    _stored_text,
    stored_batch,
)
from sync.recovery import META_RESTORED, restored_message
from sync.report import (
    CHECKPOINTS,
    CLOCK_SKEW_WARNING,
    META_CLOCK_SKEW,
    PHASES,
    CancelFlag,
    SyncProgress,
    SyncReport,
    _cancel_check,
    _tell_remote_conflicts,
)

__all__ = [
    "CHECKPOINTS",
    "CLOCK_SKEW_WARNING",
    "FTS_BULK_MIN",
    "MAX_BATCH_CHARS",
    "META_CLOCK_SKEW",
    "META_CURSOR",
    "META_LAST_SYNC",
    "META_SYNC_STAMP",
    "META_PENDING_BATCH",
    "META_PENDING_NEXT",
    "PENDING_SLOTS",
    "PHASES",
    "PUSH_ORDER",
    "CancelFlag",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
    "_stored_text",
    "stored_batch",
]

META_LAST_SYNC = "last_sync_at"
# A new value after every sync that ran, whole or cut short, from whichever process: an application
# open on the data directory tells by it that another process synced (ui/sync_control.py).
META_SYNC_STAMP = "sync_stamp"


class SyncEngine(Pusher, Puller):
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        batch_size: int = protocol.MAX_PUSH_CHANGES,
        pull_limit: int = protocol.MAX_PULL_LIMIT,
        chunk_size: int = protocol.CHUNK_SIZE,
        batch_chars: int = MAX_BATCH_CHARS,
    ):
        self.store = store
        self.client = client
        self.batch_size = min(batch_size, protocol.MAX_PUSH_CHANGES)
        self.pull_limit = min(pull_limit, protocol.MAX_PULL_LIMIT)
        self.chunk_size = chunk_size
        self.batch_chars = batch_chars
        self._columns = {t: [c for c in domain_columns(TABLES[t]) if c != "id"] for t in schema.SYNCED_TABLES}
        self._fts = {}
        self._echo = []
        self._pulled_pages = (0, 0)  # changes received by this sync's pull, and how many there were to come
        if not client.device_id:
            client.device_id = store.get_meta("device_id") or ""

    # --- the whole sync --------------------------------------------------------------------------

    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelFlag | Callable[[], bool] | None = None,
    ) -> SyncReport:
        """Push, then pull. Raises a SyncError when the sync cannot go on; what was done stays done;
        SyncBusyError, before anything is done, while another sync of the data directory runs."""
        with one_sync_at_a_time(self.store.data_dir):
            try:
                return self._sync(progress, cancel)
            finally:
                try:
                    self.store.set_meta(META_SYNC_STAMP, new_id())
                except (StoreError, sqlite3.Error) as exc:  # a full disk: the sync's own error is said
                    log.warning("could not note the sync for an open application: %s", exc)

    def _sync(
        self,
        progress: Callable[[SyncProgress], None] | None,
        cancel: CancelFlag | Callable[[], bool] | None,
    ) -> SyncReport:
        report = SyncReport()
        self._echo = []
        self._store_restored = False
        started = time.perf_counter()
        first_request = self.client.requests_made
        self._progress = progress or (lambda p: None)
        self._cancel = _cancel_check(cancel)
        self.client.resume()
        finished = threading.Event()
        if cancel is not None:
            # A cancel cuts the request under way: a stalled connection does not hold the sync
            # (and the person waiting for it) for the read timeout and every retry.
            threading.Thread(
                target=_abort_when_cancelled, args=(self._cancel, self.client, finished), daemon=True
            ).start()
        try:
            self._push_all(report)
            follow_merges(
                self.store
            )  # targets the server found to be duplicates (commissioner_app/targets.py)
            if not report.cancelled:
                push_bureau_edits(self.store, self.client, report)  # reference data and rules (bureau only)
                self._pull_all(report)
                if self._store_restored and not report.cancelled:
                    # The store was restored from a backup: what it lost is queued again, now sent.
                    self._store_restored = False
                    self._push_all(report)
                    self._pull_all(report)
                follow_merges(self.store)
                # Take-ups that turned out not to be this commissioner's (commissioner_app/demands.py).
                report.problems.extend(reconcile_take_ups(self.store))
                _tell_remote_conflicts(report)
            if not report.cancelled:
                self._evidence(report)
            if not report.cancelled:
                if (queued := self.store.get_meta(META_RESTORED)) is not None:
                    # Said once the laptop is in step with the restored store (sync/recovery.py).
                    report.problems.append(restored_message(int(queued)))
                    self.store.set_meta(META_RESTORED, None)
                self.store.set_meta(META_LAST_SYNC, now_iso())
                self._progress(SyncProgress("done", 1, 1))
        except SyncCancelledError:
            report.cancelled = True  # what was answered is applied; the rest waits, as after a network cut
        finally:
            finished.set()
            report.requests = self.client.requests_made - first_request
            report.seconds = time.perf_counter() - started
        return report

    def _evidence(self, report: SyncReport) -> None:
        """Previews of the records one reviews or owns, files asked for offline (sync/evidence.py)."""
        try:
            figures = evidence.after_pull(
                self.store,
                self.client,
                self._cancel,
                lambda phase, done, total: self._progress(SyncProgress(phase, done, total)),
            )
        except (RefusedError, OfflineError, ServerError) as exc:
            # A server without previews, or the link gone after the records: they are synced all the
            # same, and the next sync fetches what is missing.
            log.info("no previews this time: %s", exc)
            return
        report.previews_fetched += figures["previews"]
        report.files_downloaded += figures["files"]


log = logging.getLogger("commissioner.sync.engine")

SYNC_LOCK_FILE = "sync.lock"


@contextmanager
def one_sync_at_a_time(data_dir: Path | None) -> Iterator[None]:
    """The data directory's sync turn, held for the whole sync: an operating-system lock on a file
    of its own (released when the process ends, however it ends); SyncBusyError at once when
    another process or thread holds it. A store without a directory has no one to share it with."""
    if data_dir is None:
        yield
        return
    path = data_dir / SYNC_LOCK_FILE
    try:
        handle = open_lock_file(path)  # held open for the whole sync
    except OSError as exc:
        raise _lock_file_error(path, exc) from exc
    try:
        held = lock(handle)
        if held is False:
            raise SyncBusyError()
        if held is None:  # a file system without locks (some network shares): sync all the same
            log.warning("the sync's lock file %s cannot be locked here; syncing without it", path)
        yield
    finally:
        handle.close()  # and with it the lock


def _lock_file_error(path: Path, exc: OSError) -> StoreError:
    reason = os_reason(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DatabaseFullError(
            Message(
                f"磁盘已满，无法在数据目录中建立同步锁文件 {path}。"
                "已保存的记录不受影响；请清理磁盘空间后重试。",
                f"The disk is full: cannot make the sync's lock file {path} in the data directory. Records "
                "already saved are safe; free some disk space and try again.",
            ),
            path,
        )
    return DatabaseReadOnlyError(
        Message(
            f"无法使用数据目录中的同步锁文件 {path}（{reason.zh}）。请检查它和所在文件夹的权限，"
            "或删除它（下次同步会重新建立），或用 --data-dir 选择其他数据目录。",
            f"Cannot use the sync's lock file {path} in the data directory ({reason.en}). Check its "
            "permissions and its folder's, or delete it (the next sync makes it again), or choose another "
            "data directory with --data-dir.",
        ),
        path,
    )


CANCEL_POLL_SECONDS = 0.05
# After a cancel, the request under way may finish for this long (a batch that is answered is
# recorded, not sent again); then its connection is cut. Well inside the 2 s a cancel may take.
CANCEL_GRACE_SECONDS = 0.8


def _abort_when_cancelled(
    cancelled: Callable[[], bool], client: SyncClient, finished: threading.Event
) -> None:
    while not finished.wait(CANCEL_POLL_SECONDS):
        if cancelled():
            if not finished.wait(CANCEL_GRACE_SECONDS):
                client.abort()
            return
