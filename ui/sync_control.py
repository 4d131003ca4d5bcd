"""Sync in the GUI: the one place that runs the sync engine, logs in and out, and watches the server.

Threads (after Anki's sync: the core call runs off the GUI thread with a progress callback and a
cancel flag; the GUI shows what it reports):

- Network work (login, logout, a sync, a reachability probe) runs on a small pool of its own,
  never on the application's store worker (ui/tasks.py): a sync over a weak link may take
  minutes and must not hold up the saves and searches queued there. Each job opens its own
  `Store` connection to the data directory and closes it at the end; SQLite in WAL mode lets it
  write beside the worker's connection (each pulled page is one short transaction).
- Results, progress and errors come back to the GUI thread through queued signals.
- Never two syncs at once: `start_sync` refuses while one runs; the probe only runs while logged
  in and idle.

Automatic sync: every `probe_seconds` (60 by default) a cheap GET of the server's /health with a
short timeout; when the server turns reachable after being unreachable (or unknown, at start) and
the user has not turned automatic sync off, a sync starts.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from commissioner_app import schema
from commissioner_app.errors import CommissionerError
from commissioner_app.store import Store
from sync import credentials, protocol, session
from sync.engine import META_CLOCK_SKEW, META_LAST_SYNC, SyncEngine, SyncProgress, SyncReport
from sync.errors import AuthExpiredError, OfflineError
from ui.context import AppContext

log = logging.getLogger("commissioner.ui.sync")

META_LAST_REPORT = "last_sync_report"  # the last sync's result, shown on the sync page after a restart
PROBE_TIMEOUT = (3.0, 3.0)
POLL_MS = 50  # how often the GUI collects a network job's progress and result
DEFAULT_PROBE_SECONDS = 60
SETTINGS_GROUP = "sync"


@dataclass(frozen=True)
class Account:
    """Who this data directory syncs as (read on the network thread: the token may be in the keyring)."""

    server_url: str = ""
    username: str = ""
    logged_in: bool = False
    user: dict[str, Any] | None = None
    ca_file: str | None = None  # the bureau's CA certificate the session trusts (sync.session.ca_file)

    @property
    def display_name(self) -> str:
        if self.user and self.user.get("display_name"):
            return str(self.user["display_name"])
        return self.username

    @property
    def role(self) -> str:
        return str((self.user or {}).get("role") or "")


def report_dict(report: SyncReport, changed: list[str]) -> dict[str, Any]:
    """What the sync page shows of a finished sync (kept in meta as JSON)."""
    return {
        "pushed": report.pushed,
        "merged": report.merged,
        "pulled": report.pulled,
        "deleted": report.deleted,
        "conflicts": report.conflicts,
        "rejected": report.rejected,
        "kept_local": report.kept_local,
        "attachments_uploaded": report.attachments_uploaded,
        "cancelled": report.cancelled,
        "seconds": round(report.seconds, 2),
        "problems": [{"zh": m.zh, "en": m.en} for m in report.problems],
        "changed_tables": changed,
    }


def _table_marks(store: Store) -> dict[str, tuple[Any, ...]]:
    """A cheap fingerprint of each synced table, to tell which ones a sync changed."""
    marks = {}
    for table in schema.SYNCED_TABLES:
        marks[table] = tuple(
            store.db.execute(
                f"SELECT count(*), max(server_seq), sum(dirty), sum(has_conflict), count(sync_error) FROM {table}"
            ).fetchone()
        )
    return marks


def _changed(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> list[str]:
    return [t for t in schema.SYNCED_TABLES if before.get(t) != after.get(t)]


class SyncController(QObject):
    """Runs login, logout, sync and the reachability probe for one application context."""

    # A network thread never touches Qt: it queues its results and progress, and a timer on the GUI
    # thread collects them while jobs are out (as Anki's sync polls its progress). Emitting queued
    # signals from these threads while the store worker emitted its own crashed the interpreter at
    # exit under PySide6 6.12 (a corrupted reference count), 6 runs in 6 of the GUI benchmark.
    account_changed = Signal(object)  # Account
    sync_started = Signal(bool)  # True when started automatically
    progress = Signal(str, int, int)  # phase (a key of sync.engine.PHASES), done, total
    sync_finished = Signal(object, object)  # (report dict or None, error or None)
    reachable_changed = Signal(bool)

    def __init__(self, context: AppContext, *, probe_seconds: int | None = None):
        super().__init__(context)
        self.context = context
        self.data_dir = context.data_dir
        self.account = Account()
        self.reachable: bool | None = None  # None: not known yet
        self.syncing = False
        self._cancel = threading.Event()
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=2, thread_name_prefix="sync-network"
        )
        self._probing = False
        # Passed to SyncClient and SyncEngine (timeouts, retries, batch sizes); tests make them small.
        self.client_options: dict[str, Any] = {}
        self.engine_options: dict[str, Any] = {}
        self._results: queue.SimpleQueue[
            tuple[Callable[[Any, BaseException | None], None], Any, BaseException | None]
        ] = queue.SimpleQueue()
        self._latest_progress: tuple[str, int, int] | None = None
        self._jobs = 0  # submitted and not yet delivered
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._deliver)
        seconds = probe_seconds or context.setting(
            SETTINGS_GROUP, "probe_seconds", DEFAULT_PROBE_SECONDS, int
        )
        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(max(1, seconds) * 1000)
        self.probe_timer.timeout.connect(self.probe)
        closing = getattr(context, "closing", None)
        if closing is not None:
            closing.connect(self.shutdown)
        self.refresh_account()

    # --- settings --------------------------------------------------------------------------------

    @property
    def auto_sync(self) -> bool:
        return self.context.setting(SETTINGS_GROUP, "auto", True, bool)

    def set_auto_sync(self, on: bool) -> None:
        self.context.set_setting(SETTINGS_GROUP, "auto", bool(on))
        self._update_probe()

    def last_server_url(self) -> str:
        return self.account.server_url or self.context.setting(SETTINGS_GROUP, "server_url", "", str)

    # --- running jobs ----------------------------------------------------------------------------

    def _run(self, job: Callable[[Store], Any], done: Callable[[Any, BaseException | None], None]) -> bool:
        """Run `job(store)` on a network thread with its own connection; `done` on the GUI thread."""
        if self._pool is None or self.data_dir is None:
            log.warning("sync job ignored: %s", "shut down" if self._pool is None else "no data directory")
            return False
        data_dir = self.data_dir
        actor = self.context.store.actor

        def work() -> None:
            store: Store | None = None
            try:
                store = Store.open(data_dir, load_reference=False)
                store.actor = actor
                result = job(store)
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                self._post(done, None, exc)
            else:
                self._post(done, result, None)
            finally:
                if store is not None:
                    store.close()

        self._submit(work)
        return True

    def _submit(self, work: Callable[[], None]) -> None:
        assert self._pool is not None
        self._jobs += 1
        self._poll.start()
        self._pool.submit(work)

    def _post(
        self, callback: Callable[[Any, BaseException | None], None], result: Any, error: BaseException | None
    ) -> None:
        """On a network thread: hand a result to the GUI thread."""
        self._results.put((callback, result, error))

    def _deliver(self) -> None:
        """On the GUI thread (the poll timer): show the latest progress, run the finished jobs' callbacks."""
        latest, self._latest_progress = self._latest_progress, None
        if latest is not None:
            self.progress.emit(*latest)
        while True:
            try:
                callback, result, error = self._results.get_nowait()
            except queue.Empty:
                break
            self._jobs -= 1
            if _alive(callback):
                callback(result, error)
        if self._jobs <= 0:
            self._jobs = 0
            self._poll.stop()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Process events until no job is out (tests, scripts)."""
        import time

        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout
        while self._jobs and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return self._jobs == 0

    def shutdown(self) -> None:
        """Stop a running sync at its next step and wait for the network threads (at exit)."""
        self.probe_timer.stop()
        self._cancel.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # --- account ---------------------------------------------------------------------------------

    def refresh_account(self) -> None:
        def read(store: Store) -> Account:
            url = store.get_meta(credentials.META_SERVER) or ""
            username = store.get_meta(credentials.META_USER) or ""
            token = credentials.load_token(store, url, username) if url and username else None
            return Account(url, username, bool(token), session.user_info(store), session.ca_file(store))

        self._run(read, self._account_read)

    def _account_read(self, account: Account | None, error: BaseException | None) -> None:
        if error is not None:
            log.warning("could not read the sync account: %s", error)
            return
        assert account is not None
        self._set_account(account)

    def _set_account(self, account: Account) -> None:
        self.account = account
        if account.server_url:
            self.context.set_setting(SETTINGS_GROUP, "server_url", account.server_url)
        self._update_probe()
        self.account_changed.emit(account)

    def login(
        self,
        server_url: str,
        username: str,
        password: str,
        *,
        use_file: bool,
        done: Callable[[Account | None, BaseException | None], None],
        ca_file: str | None = None,
    ) -> None:
        """Log in on a network thread; `done(account, error)` on the GUI thread."""

        def work(store: Store) -> Account:
            user, _storage = session.login(
                store,
                server_url,
                username,
                password,
                use_file=use_file,
                ca_file=ca_file or None,
                connect_timeout=5.0,
                read_timeout=20.0,
                retries=1,
            )
            url = store.get_meta(credentials.META_SERVER) or ""
            return Account(url, username, True, user, session.ca_file(store))

        def finished(account: Account | None, error: BaseException | None) -> None:
            if account is not None:
                self.reachable = True
                self._set_account(account)
            if _alive(done):  # the dialog may have been closed while the server answered
                done(account, error)

        self._run(work, finished)

    def logout(self, done: Callable[[Any, BaseException | None], None] | None = None) -> None:
        def finished(_result: Any, error: BaseException | None) -> None:
            if error is None:
                self._set_account(
                    Account(
                        self.account.server_url,
                        self.account.username,
                        False,
                        self.account.user,
                        self.account.ca_file,
                    )
                )
            if done is not None and _alive(done):
                done(None, error)

        self._run(session.logout, finished)

    # --- sync ------------------------------------------------------------------------------------

    def start_sync(self, *, automatic: bool = False) -> bool:
        """Start a sync unless one runs; False when it did not start."""
        if self.syncing or not self.account.logged_in:
            return False
        self._cancel = threading.Event()
        cancel = self._cancel

        def progress(p: SyncProgress) -> None:
            self._latest_progress = (p.phase, p.done, p.total)  # a tuple swap: safe across threads

        def work(store: Store) -> dict[str, Any]:
            before = _table_marks(store)
            client = session.open_client(store, **self.client_options)
            engine = SyncEngine(store, client, **self.engine_options)
            try:
                report = engine.sync(progress=progress, cancel=cancel)
            except Exception as exc:
                # What was done before the failure stays done: the lists still need to show it.
                exc.changed_tables = _changed(before, _table_marks(store))  # type: ignore[attr-defined]
                raise
            after = _table_marks(store)
            result = report_dict(report, _changed(before, after))
            result["finished_at"] = store.get_meta(META_LAST_SYNC) if not report.cancelled else None
            store.set_meta(META_LAST_REPORT, json.dumps(result, ensure_ascii=False))
            return result

        if not self._run(work, self._sync_done):
            return False
        self.syncing = True
        self.probe_timer.stop()
        self.sync_started.emit(automatic)
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def _sync_done(self, result: dict[str, Any] | None, error: BaseException | None) -> None:
        self.syncing = False
        if isinstance(error, OfflineError):
            self._set_reachable(False)
        elif error is None or not isinstance(error, AuthExpiredError):
            self._set_reachable(True)
        if isinstance(error, AuthExpiredError):
            # The token expired or was revoked: show the account as logged out, ask to log in again.
            self._set_account(
                Account(
                    self.account.server_url,
                    self.account.username,
                    False,
                    self.account.user,
                    self.account.ca_file,
                )
            )
        elif error is not None and not isinstance(error, CommissionerError):
            log.error("sync failed", exc_info=error)
        self._update_probe()
        self.sync_finished.emit(result, error)
        # What changed is shown everywhere: the lists, the overview, the status bar's count.
        tables = (result or {}).get("changed_tables") or getattr(error, "changed_tables", [])
        for table in tables:
            self.context.records_changed.emit(table)

    # --- reachability ----------------------------------------------------------------------------

    def _update_probe(self) -> None:
        if self.account.logged_in and self.auto_sync and not self.syncing and self._pool is not None:
            if not self.probe_timer.isActive():
                self.probe_timer.start()
        else:
            self.probe_timer.stop()

    def probe(self) -> None:
        """Ask the server's /health whether it is reachable (no token, short timeout)."""
        if self._probing or self.syncing or not self.account.logged_in or self._pool is None:
            return
        url = self.account.server_url + protocol.API_PREFIX + "/health"
        verify: str | bool = self.account.ca_file or True  # the bureau's own CA, as the sync uses
        self._probing = True

        def work() -> None:
            try:
                ok = requests.get(url, timeout=PROBE_TIMEOUT, verify=verify).status_code == 200
            except requests.RequestException:
                ok = False
            self._post(self._probed, ok, None)

        self._submit(work)

    def _probed(self, ok: bool, _error: BaseException | None) -> None:
        self._probing = False
        was = self.reachable
        self._set_reachable(ok)
        if ok and was is not True and self.auto_sync:
            log.info("server reachable again: automatic sync")
            self.start_sync(automatic=True)

    def _set_reachable(self, ok: bool) -> None:
        if ok != self.reachable:
            self.reachable = ok
            self.reachable_changed.emit(ok)


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a widget that has been deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return not (isinstance(owner, QObject) and not shiboken6.isValid(owner))


def sync_controller(context: AppContext) -> SyncController:
    """The context's one sync controller (made on first use)."""
    controller = getattr(context, "sync_controller", None)
    if controller is None:
        controller = SyncController(context)
        context.sync_controller = controller  # type: ignore[attr-defined]
    return controller


def clock_skew(store: Store) -> float | None:
    value = store.get_meta(META_CLOCK_SKEW)
    try:
        return float(value) if value else None
    except ValueError:
        return None
