"""The GUI's languages: Chinese (the source language of every string) and English.

Source strings in the code are Chinese (`self.tr("服务记录")`). English comes from every
`ui/translations/*_en.qm` (frame_en, editor_en, ...), compiled from the .ts files by
`ui/i18n_build.py`; a missing or stale .qm is rebuilt here on the fly when lrelease is available.

Switching language installs or removes the translators, tells the core (`commissioner_app.i18n`)
which language its messages use, and `AppContext.language_changed` then asks every view to
`retranslate()` itself: no restart needed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from commissioner_app import i18n as core_i18n
from ui import i18n_build

log = logging.getLogger("commissioner.ui.i18n")

LANGUAGES = ("zh_CN", "en")

_installed: list[QTranslator] = []


def normalise(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh_CN"


def install(language: str) -> str:
    """Make `language` the application's language; returns the normalised code."""
    language = normalise(language)
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            QCoreApplication.removeTranslator(translator)
    _installed.clear()
    if app is not None:
        if language == "en":
            i18n_build.build(only_stale=True)
            files = sorted(i18n_build.TRANSLATIONS_DIR.glob("*_en.qm"))
        else:
            # Qt's own words (the Undo/Copy/Paste menu of a text box, standard buttons) in Chinese.
            files = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_zh_CN.qm"]
        for qm in files:
            translator = QTranslator(app)
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                _installed.append(translator)
            else:
                log.warning("could not load the translation %s", qm)
    core_i18n.set_language(language)
    return language
