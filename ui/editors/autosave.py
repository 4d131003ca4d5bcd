"""Autosave of the visit editor: what is typed survives a crash or a killed process.

Two places, by the state of the record being edited:
- The complete editor state (every field, problems, solutions, attachments added) goes to a meta key
  `autosave:visits:<id>` within ~2 s of the last change. This never touches a saved record, so an
  unsaved edit of a complete or approved visit does not overwrite it or send it back to review.
- A visit that did not exist when the editor opened is also written as a draft record
  (`save_visit(..., draft=True)`), so it shows as 草稿 in the visit list even if the offer to
  resume it is ignored. Drafts are never queued for sync.

At the next start `recover_drafts` offers every autosaved state back (resume or discard). The
writes and reads are core operations (commissioner_app/ops/drafts.py, ops/visits.py); this module
holds the timer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("commissioner.ui.autosave")

DELAY_MS = 2000


class Autosaver(QObject):
    """Calls `save` once typing has paused for DELAY_MS."""

    def __init__(self, save: Callable[[], None], parent: QObject | None = None, delay_ms: int = DELAY_MS):
        super().__init__(parent)
        self._save = save
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._save)

    def touch(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def flush(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self._save()
