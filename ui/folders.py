"""The folder each kind of file dialog was last used in, remembered between runs in the data
directory's settings: a commissioner who adds the day's photos from the camera's card, or the
bureau that imports a roster each month, finds the dialog there again rather than in the folder
the application happened to start in.

The application's context registers its settings here (`use`); widgets that have no context of
their own (the attachments of an editor) read and write through it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

_settings: QSettings | None = None

PICTURES = QStandardPaths.StandardLocation.PicturesLocation
DOCUMENTS = QStandardPaths.StandardLocation.DocumentsLocation


def use(settings: QSettings | None) -> None:
    global _settings
    _settings = settings


def release(settings: QSettings) -> None:
    """A closing context's settings are no longer written to."""
    global _settings
    if _settings is settings:
        _settings = None


def start(kind: str, fallback: QStandardPaths.StandardLocation = DOCUMENTS) -> str:
    """Where the dialog for `kind` opens: the folder last used, while it exists; else the system's
    folder for such files (Pictures, Documents), else the home folder."""
    if _settings is not None:
        value = _settings.value(f"folders/{kind}", "", str)
        if isinstance(value, str) and value and Path(value).is_dir():
            return value
    found = QStandardPaths.writableLocation(fallback)
    return found if found and Path(found).is_dir() else str(Path.home())


def remember(kind: str, chosen: str | Path) -> None:
    """Keep the folder of what was chosen (a file's folder, or the folder itself)."""
    if _settings is None:
        return
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    _settings.setValue(f"folders/{kind}", str(folder))
