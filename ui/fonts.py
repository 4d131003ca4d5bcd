"""Register the bundled CJK font so Chinese renders on machines without CJK fonts."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from commissioner_app.paths import font_path

log = logging.getLogger("commissioner.ui.fonts")

_family: str | None = None


def register_bundled_font(app: QApplication | None = None) -> str | None:
    """Load the bundled font once and make it the application's default; returns its family."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(font_path()))
        if font_id < 0:
            log.error("could not load the bundled font %s; Chinese may show as boxes", font_path())
            return None
        _family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if app is not None:
        font = QFont(_family)
        font.setPointSize(10)
        app.setFont(font)
    return _family
