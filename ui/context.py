"""What every window and view of the application shares: store, settings, language, tasks."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSettings, Signal, SignalInstance

from commissioner_app.domain import Commissioner
from commissioner_app.ops.query import open_reader
from commissioner_app.store import Store
from ui import folders, gc_guard, i18n
from ui.tasks import Executor

log = logging.getLogger("commissioner.ui.context")

V = TypeVar("V")

SETTINGS_FILE = "settings.ini"


class AppContext(QObject):
    """The application's shared state.

    - `store`: used ONLY through `tasks`, the executor (one worker thread), see ui/tasks.py.
    - `operation_did_execute(changes)`: after an operation changed records (an OpChanges); each
      view decides itself whether to refresh.
    - `reader`: a read-only connection to the same database for the list models' lazy page
      fetches on the GUI thread.
    - `settings`: kept in the data directory (one data directory is one commissioner's set-up,
      so tests and the demo never touch a real user's settings); one group per area.
    """

    closing = Signal()  # before the store closes: background work of other threads stops here

    def __init__(
        self,
        store: Store,
        *,
        settings: QSettings | None = None,
        language: str | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        gc_guard.install()  # before any worker runs: see ui/gc_guard.py
        self.store = store
        self.data_dir: Path | None = store.data_dir
        self.reader = open_reader(store)
        if settings is None:
            if self.data_dir is not None:
                settings = QSettings(str(self.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
            else:
                settings = QSettings()
        self.settings = settings
        folders.use(settings)  # file dialogs open where they were last used (ui/folders.py)
        self.tasks = Executor(store, self)
        self.profile: Commissioner | None = store.profile()
        if self.profile is not None:
            store.actor = self.reader.actor = self.profile.id
        self.language = i18n.install(language or self.setting("ui", "language", "zh_CN", str))
        # Connected before any view: a view that shows the profile reads it already renewed.
        self.operation_did_execute.connect(self._profile_may_have_changed)

    @property
    def profile_name(self) -> str:
        return self.profile.name if self.profile else ""

    @property
    def operation_did_execute(self) -> SignalInstance:
        """The executor's announcement of what an operation changed (an OpChanges)."""
        return self.tasks.operation_did_execute

    def set_profile(self, profile: Commissioner) -> None:
        """Called on the GUI thread after the worker saved the profile (that operation announces it),
        or once a sync brought the account's profile. Records are then written as this commissioner."""
        self.profile = profile
        self.reader.actor = profile.id
        self.store.actor = profile.id

    def _profile_may_have_changed(self, changes: Any) -> None:
        """A sync can bring the profile: the account's, on a laptop whose user skipped the profile at
        first start and then logged in (the login names it, the pull brings it), or the profile as
        edited on another computer. It is used at once, not after a restart: a profile typed again
        meanwhile would be a second one, which the server refuses with every record made after it."""
        if not changes.touches("commissioners"):
            return
        found = self.reader.profile()
        if found is not None and found != self.profile:
            self.set_profile(found)
        elif found is None and self.profile is not None:
            # Withdrawn at a bureau account's login: records are no longer written as that person.
            self.profile = None
            self.reader.actor = self.store.actor = ""

    # --- settings --------------------------------------------------------------------------------

    def setting(self, group: str, key: str, default: V, kind: type[V]) -> V:
        """A typed settings read: `setting("visits", "page_size", 100, int)`."""
        self.settings.beginGroup(group)
        try:
            value: Any = self.settings.value(key, default, kind)
        finally:
            self.settings.endGroup()
        return value if isinstance(value, kind) else default

    def set_setting(self, group: str, key: str, value: Any) -> None:
        self.settings.beginGroup(group)
        self.settings.setValue(key, value)
        self.settings.endGroup()

    # --- language --------------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """Switch the whole GUI's language now and remember the choice.

        Every widget re-sets its texts on the `QEvent.LanguageChange` Qt sends it (`changeEvent` →
        `retranslate()`), reading `language` for the core's bilingual messages.
        """
        self.set_setting("ui", "language", i18n.normalise(language))
        self.language = i18n.install(language)
        i18n.deliver_language_change()

    # --- life cycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self.closing.emit()
        folders.release(self.settings)
        self.tasks.shutdown()
        if self.reader is not self.store:
            self.reader.close()
        self.store.close()
