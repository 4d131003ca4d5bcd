"""Sync in the GUI: the one place that runs the sync engine, logs in and out, and watches the server.

Threads (after Anki's sync: the core call runs off the GUI thread with a progress callback and a
cancel flag; the GUI shows what it reports):

- Network work (login, logout, a sync, a reachability probe) runs on the executor's network lane
  (ui/tasks.py), never on its database worker: a sync over a weak link may take minutes and must
  not hold up the saves and searches queued there. Each job opens its own `Store` connection to
  the data directory and closes it at the end; SQLite in WAL mode lets it write beside the
  worker's connection (each pulled page is one short transaction).
- Results, the latest progress and errors come back to the GUI thread through the executor; what
  a sync changed is announced once, like any operation's changes.
- Never two syncs at once: `start_sync` refuses while one runs; the probe only runs while logged
  in and idle.

Automatic sync: every `probe_seconds` (60 by default) a cheap GET of the server's /health with a
short timeout; when the server turns reachable after being unreachable (or unknown, at start), or
is reachable and records saved since wait to be sent, and the user has not turned automatic sync
off, a sync starts.

A sync run outside the application (`commissioner sync` from a shell or a scheduler, on the same
data directory) is noticed by the stamp every sync leaves in meta, whole or cut short
(sync.engine.META_SYNC_STAMP): read every `WATCH_SECONDS` and whenever the application comes back
to the front, and by each sync of its own as it starts; when it moved and this application did not
sync meanwhile, the views are told that everything may have changed (the lists, the status bar, the
sync page with that sync's result), as after a sync of its own. A login or logout from outside is
noticed the same way (sync.session.META_ACCOUNT_STAMP): the account is read again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from commissioner_app.errors import CommissionerError
from commissioner_app.ops import OpChanges, OpResult
from commissioner_app.store import Store
from sync import credentials, protocol, session
from sync.engine import META_CLOCK_SKEW, META_LAST_SYNC, META_SYNC_STAMP, SyncProgress
from sync.errors import AuthExpiredError, OfflineError
from sync.ops import run_sync
from sync.pusher import pushable_count
from sync.session import META_ACCOUNT_STAMP
from ui.context import AppContext

log = logging.getLogger("commissioner.ui.sync")

# Who this computer syncs as changed (the meta entries of sync/session.py).
# A login may also bind the profile typed offline to the account, or withdraw one an administering
# account has no use for (sync/session.py): the profile in use follows (AppContext).
SESSION_CHANGES = OpChanges.of("session", "commissioners")

PROBE_TIMEOUT = (3.0, 3.0)
DEFAULT_PROBE_SECONDS = 60
WATCH_SECONDS = 10  # how often the stamps of the last sync and login are read (module docstring)
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


class SyncController(QObject):
    """Runs login, logout, sync and the reachability probe for one application context."""

    # A network thread never touches Qt: the executor hands its results and progress to the GUI
    # thread (ui/tasks.py), where these signals are emitted.
    account_changed = Signal(object)  # Account
    sync_started = Signal(bool)  # True when started automatically
    progress = Signal(str, int, int)  # phase (a key of sync.engine.PHASES), done, total
    sync_finished = Signal(object, object)  # (report dict or None, error or None)
    reachable_changed = Signal(bool)
    synced_outside = Signal(bool)  # another process synced (True: to the end)

    def __init__(self, context: AppContext, *, probe_seconds: int | None = None):
        super().__init__(context)
        self.context = context
        self.data_dir = context.data_dir
        self.account = Account()
        self.reachable: bool | None = None  # None: not known yet
        self.syncing = False
        self._cancel = threading.Event()
        self._open = True
        self._probing = False
        # Passed to SyncClient and SyncEngine (timeouts, retries, batch sizes); tests make them small.
        self.client_options: dict[str, Any] = {}
        self.engine_options: dict[str, Any] = {}
        self._jobs = 0  # submitted and not yet delivered
        self._index_stop = threading.Event()  # stops the indexing of what a pull stored
        seconds = probe_seconds or context.setting(
            SETTINGS_GROUP, "probe_seconds", DEFAULT_PROBE_SECONDS, int
        )
        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(max(1, seconds) * 1000)
        self.probe_timer.timeout.connect(self.probe)
        # A sync outside the application (module docstring): the stamps as last read, and how many
        # syncs of its own this controller started or finished (a read made across one of them only
        # takes the new stamps as known).
        self._seen: Watched | None = None
        self._own_syncs = 0
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_SECONDS * 1000)
        self.watch_timer.timeout.connect(self.check_outside_sync)
        self.watch_timer.start()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
        closing = getattr(context, "closing", None)
        if closing is not None:
            closing.connect(self.shutdown)
        self.check_outside_sync()  # the stamps as this start finds them
        self.refresh_account()
        self.index_pulled()  # what a sync from the command line, or one before a close, left

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

    def _run(
        self,
        job: Callable[..., Any],
        done: Callable[[Any, BaseException | None], None],
        *,
        own_store: bool = True,
    ) -> bool:
        """Run `job(store)` (or `job()`) on the network lane; `done` on the GUI thread."""
        if not self._open:
            log.warning("sync job ignored: shut down")
            return False

        def finished(result: Any, error: BaseException | None) -> None:
            self._jobs -= 1
            if _alive(done):
                done(result, error)

        self._jobs += 1
        if not self.context.tasks.submit_network(job, finished, own_store=own_store):
            self._jobs -= 1
            return False
        return True

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Process events until no job is out (tests, scripts)."""
        import time

        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout
        while self._jobs and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        QCoreApplication.processEvents()
        return self._jobs == 0

    def shutdown(self) -> None:
        """Stop a running sync at its next step (at exit; the executor waits for the network lane)."""
        self.probe_timer.stop()
        self.watch_timer.stop()
        self._cancel.set()
        self._index_stop.set()
        self._open = False

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
        allow_insecure: bool = False,
        bind: bool = False,
        ca_file: str | None = None,
        new_password: str | None = None,
    ) -> None:
        """Log in on a network thread; `done(account, error)` on the GUI thread. `bind`: the
        records typed offline here become the account's (sync/session.py). `new_password`: replaces
        a one-time code from the bureau (PasswordChangeRequiredError) and logs in."""

        def work(store: Store) -> OpResult[Account]:
            user, _storage = session.login(
                store,
                server_url,
                username,
                password,
                use_file=use_file,
                allow_insecure=allow_insecure,  # plain http, explicitly chosen in the dialog
                bind=bind,
                ca_file=ca_file or None,
                new_password=new_password,
                connect_timeout=5.0,
                read_timeout=20.0,
                retries=1,
            )
            url = store.get_meta(credentials.META_SERVER) or ""
            account = Account(url, username, True, user, session.ca_file(store))
            return OpResult(account, SESSION_CHANGES)  # the role may differ: views show what it may see

        def finished(outcome: OpResult[Account] | None, error: BaseException | None) -> None:
            account = outcome.value if outcome is not None else None
            if account is not None:
                self.reachable = True
                self._set_account(account)
            if _alive(done):  # the dialog may have been closed while the server answered
                done(account, error)

        self._run(work, finished)

    def logout(self, done: Callable[[Any, BaseException | None], None] | None = None) -> None:
        """Log out on a network thread; `done(revoked, error)` on the GUI thread (revoked: whether the
        server no longer takes the login, session.logout)."""

        def finished(result: Any, error: BaseException | None) -> None:
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
                done(result, error)

        self._run(session.logout, finished)

    # --- sync ------------------------------------------------------------------------------------

    def start_sync(self, *, automatic: bool = False) -> bool:
        """Start a sync unless one runs; False when it did not start."""
        if self.syncing or not self.account.logged_in:
            return False
        self._index_stop.set()  # the network first: indexing goes on after this sync
        self._cancel = threading.Event()
        cancel = self._cancel

        report_progress = self.context.tasks.progress_reporter(
            lambda p: self.progress.emit(p.phase, p.done, p.total)
        )

        def progress(p: SyncProgress) -> None:
            report_progress(p)  # the GUI shows the latest; a worker never touches Qt

        client_options, engine_options = dict(self.client_options), dict(self.engine_options)
        found: list[Watched] = []  # the stamps as this sync finds them (another process's sync?)

        def work(store: Store) -> OpResult[dict[str, Any]]:
            found.append(_watched(store))
            return run_sync(
                store,
                progress=progress,
                cancel=cancel,
                client_options=client_options,
                engine_options=engine_options,
            )

        if not self._run(work, lambda outcome, error: self._sync_done(outcome, error, found)):
            return False
        self._own_syncs += 1
        self.syncing = True
        self.probe_timer.stop()
        self.sync_started.emit(automatic)
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def _sync_done(
        self,
        outcome: OpResult[dict[str, Any]] | None,
        error: BaseException | None,
        found: list[Watched] | None = None,
    ) -> None:
        self.syncing = False
        self._own_syncs += 1
        if found and self._seen is not None and found[0].stamp != self._seen.stamp:
            # Another process synced since the last read (a shell's `commissioner sync` just before):
            # what it changed, this sync did not change again; the views read everything.
            self._outside(completed=found[0].last_sync != self._seen.last_sync)
        self.check_outside_sync(adopt=True)  # the stamps this sync left are its own
        result = outcome.value if outcome is not None else None
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
        if error is None:
            # A sync may bring the account's new role (the bureau changed it): the views follow at
            # once, whether or not any record changed.
            from ui.roles import watcher

            watcher(self.context).check()
        self.sync_finished.emit(result, error)
        # What changed is then announced by the executor: the lists, the overview, the status bar.
        self.index_pulled()

    def index_pulled(self) -> None:
        """Index for the search, in the background, what a pull stored (Store.index_pending): a sync
        stores records while the network is there and leaves this, which needs none, until after.
        A sync that starts, or the application closing, stops it between two chunks; a search
        meanwhile indexes the rest itself first."""
        self._index_stop.set()
        stop = self._index_stop = threading.Event()

        def work(store: Store) -> int:
            return store.index_pending(cancelled=stop.is_set)

        def done(indexed: int | None, error: BaseException | None) -> None:
            if error is not None:
                log.warning("indexing what the sync stored stopped: %s", error)
            elif indexed:
                log.info("indexed %d pulled records for the search", indexed)

        self._run(work, done)

    # --- a sync outside the application -----------------------------------------------------------

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_outside_sync()  # back from the shell that ran `commissioner sync`

    def check_outside_sync(self, *, adopt: bool = False) -> None:
        """Read the stamps of the last sync and login; when another process synced this data
        directory (or logged in or out) since the last read, tell the views (see the module
        docstring). `adopt`: the stamps read are this application's own sync's, only to be known."""
        if self.syncing or not self._open:
            return
        own = self._own_syncs
        self._run(_watched, lambda seen, error: self._watched_read(seen, error, own, adopt))

    def _watched_read(self, seen: Watched | None, error: BaseException | None, own: int, adopt: bool) -> None:
        if error is not None or seen is None:
            log.warning("could not read the stamps of the last sync: %s", error)
            return
        before, self._seen = self._seen, seen
        if before is None:
            return  # the first read: what this start finds
        # (A read made across a sync of its own finds that sync's stamp.)
        if seen.stamp != before.stamp and not adopt and own == self._own_syncs and not self.syncing:
            self._outside(completed=seen.last_sync != before.last_sync)  # the account read again too
        elif seen.account != before.account:
            # A login or logout from the command line (or this application's own: read again alike).
            from ui.roles import watcher

            self.refresh_account()
            watcher(self.context).check()

    def _outside(self, completed: bool) -> None:
        """Another process synced this data directory: the views read again, as after a sync."""
        log.info(
            "a sync outside the application (%s): the views read again", "done" if completed else "cut short"
        )
        from ui.roles import watcher

        self.refresh_account()
        watcher(self.context).check()
        if completed:
            self._set_reachable(True)
        self.synced_outside.emit(completed)
        self.context.tasks.operation_did_execute.emit(OpChanges.all())
        self.index_pulled()

    # --- reachability ----------------------------------------------------------------------------

    def _update_probe(self) -> None:
        if self.account.logged_in and self.auto_sync and not self.syncing and self._open:
            if not self.probe_timer.isActive():
                self.probe_timer.start()
        else:
            self.probe_timer.stop()

    def probe(self) -> None:
        """Ask the server's /health whether it is reachable (no token, short timeout)."""
        if self._probing or self.syncing or not self.account.logged_in or not self._open:
            return
        url = self.account.server_url + protocol.API_PREFIX + "/health"
        verify: str | bool = self.account.ca_file or True  # the bureau's own CA, as the sync uses
        self._probing = True

        def work(store: Store) -> tuple[bool, int]:
            try:
                ok = requests.get(url, timeout=PROBE_TIMEOUT, verify=verify).status_code == 200
            except requests.RequestException:
                return False, 0
            return ok, pushable_count(store) if ok else 0

        if not self._run(work, self._probed):
            self._probing = False

    def _probed(self, result: tuple[bool, int] | None, _error: BaseException | None) -> None:
        self._probing = False
        ok, waiting = result or (False, 0)
        was = self.reachable
        self._set_reachable(ok)
        if ok and self.auto_sync and (was is not True or waiting):
            # Back after being unreachable, or reachable all along with records saved meanwhile.
            log.info(
                "automatic sync: %s", "server reachable again" if was is not True else f"{waiting} waiting"
            )
            self.start_sync(automatic=True)

    def _set_reachable(self, ok: bool) -> None:
        if ok != self.reachable:
            self.reachable = ok
            self.reachable_changed.emit(ok)


@dataclass(frozen=True)
class Watched:
    """What tells another process's sync or login (module docstring), as read at one time."""

    stamp: str | None  # sync.engine.META_SYNC_STAMP: any sync that ran
    last_sync: str | None  # sync.engine.META_LAST_SYNC: one that ran to its end
    account: str | None  # sync.session.META_ACCOUNT_STAMP: a login or logout


def _watched(store: Store) -> Watched:
    return Watched(
        store.get_meta(META_SYNC_STAMP), store.get_meta(META_LAST_SYNC), store.get_meta(META_ACCOUNT_STAMP)
    )


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
