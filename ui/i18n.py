"""The GUI's languages: Chinese (the source language of every string) and English.

Source strings in the code are Chinese (`self.tr("服务记录")`). English comes from
`ui/translations/app_en.qm`, compiled from the catalog `app_en.ts` by `dev.py` and by the installer
build (`ui/i18n_build.py`); the application only loads it. Without it the application runs in
Chinese and logs a warning. In Chinese, Qt's own words (standard buttons, the text box menu, file
dialogs) come from Qt's `qtbase_zh_CN.qm`, and dates in calendars are Chinese through the locale.

Switching language installs or removes the translators, tells the core (`commissioner_app.i18n`)
which language its messages use, and Qt sends every widget a `QEvent.LanguageChange`: each widget
re-sets its texts in `changeEvent` → `retranslate()`. No restart needed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from commissioner_app import i18n as core_i18n

log = logging.getLogger("commissioner.ui.i18n")

LANGUAGES = ("zh_CN", "en")

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
APP_CATALOG = "app_en.qm"
QT_CHINESE = ("qtbase_zh_CN.qm",)
QT_GAPS = "qt_gaps_zh_CN.qm"  # Qt's texts its Chinese catalog lacks (ui/translations/qt_gaps_zh_CN.ts)

_installed: list[QTranslator] = []
_active: tuple[QCoreApplication, str] | None = None  # the application and the language installed in it


def normalise(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh_CN"


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def _load(app: QCoreApplication, qm: Path) -> bool:
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return False
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return True


def install(language: str) -> str:
    """Make `language` the application's language; returns the language now in use.

    English needs the compiled catalog; when it is missing the application stays in Chinese.
    """
    global _active
    language = normalise(language)
    app = QCoreApplication.instance()
    if app is not None and _active == (app, language):
        # Nothing to change: no LanguageChange for every window (a second context, a repeated choice).
        core_i18n.set_language(language)
        return language
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    if app is not None:
        if language == "en" and not _load(app, TRANSLATIONS_DIR / APP_CATALOG):
            log.warning(
                "the English translation %s is missing or damaged; the application runs in Chinese "
                "(python3 dev.py setup compiles it)",
                TRANSLATIONS_DIR / APP_CATALOG,
            )
            language = "zh_CN"
        if language == "zh_CN":
            for name in QT_CHINESE:
                if not _load(app, qt_translations_dir() / name):
                    log.warning("could not load Qt's Chinese translation %s", qt_translations_dir() / name)
            if not _load(app, TRANSLATIONS_DIR / QT_GAPS):
                log.warning(
                    "%s is missing: a few of Qt's own texts stay in English "
                    "(python3 dev.py setup compiles it)",
                    TRANSLATIONS_DIR / QT_GAPS,
                )
    # Month and day names of calendars, and Qt's own number formats, follow the default locale.
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if language == "zh_CN"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    core_i18n.set_language(language)
    _active = (app, language) if app is not None else None
    return language


def deliver_language_change() -> None:
    """Installing a translator posts LanguageChange to the windows; deliver it now, so that every
    text is in the new language when the switch returns (and not at the next turn of the event loop)."""
    if QCoreApplication.instance() is not None:
        # The application's event posts one to each window, which passes it on to its children.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
