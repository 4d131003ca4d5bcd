"""Where data and bundled resources live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "FieldCommissioner"
DB_FILENAME = "commissioner.db"


def default_data_dir() -> Path:
    """The platform's user data directory, unless COMMISSIONER_DATA_DIR names another."""
    override = os.environ.get("COMMISSIONER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs  # here: a command given --data-dir never needs it (6 ms of a sync's start)

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The bundled `resources/` folder: beside the packages, or inside a frozen build."""
    override = os.environ.get("COMMISSIONER_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    """The bundled CJK TrueType font, used by both the GUI and the PDF documents."""
    return resources_dir() / "fonts" / "DroidSansFallbackFull.ttf"
