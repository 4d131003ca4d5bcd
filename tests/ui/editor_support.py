"""Helpers for the editor tests: the frame's AppContext on a test store, saving and waiting for the
executor's answer, and a photo with EXIF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commissioner_app.domain import ServiceTarget
from commissioner_app.store import Store
from ui.context import AppContext

_contexts: list[AppContext] = []


def EditorContext(store: Store) -> AppContext:
    """The frame's AppContext on `store` (its executor and read-only connection); shut down by
    close_windows()."""
    context = AppContext(store, language="zh_CN")
    _contexts.append(context)
    return context


def save_and_wait(editor: Any, **options: Any) -> bool:
    """Save as the button does and wait for the executor's answer: True when saved."""
    editor.save(**options)
    assert editor.context.tasks.wait_idle(10000)
    return editor.last_save_ok is True


def autosave_and_wait(editor: Any) -> None:
    """What the autosave timer does, then wait until it is written."""
    editor.autosave_now()
    assert editor.context.tasks.wait_idle(10000)


def make_photo(path: Path, taken: str = "2026:05:03 10:15:42", lat=(22, 35, 12), lon=(113, 4, 48)) -> Path:
    """A small JPEG carrying EXIF DateTimeOriginal and a GPS position (north-east)."""
    from PIL import Image
    from PIL.ExifTags import IFD

    img = Image.new("RGB", (80, 60), (90, 160, 60))
    exif = Image.Exif()
    exif.get_ifd(IFD.Exif)[36867] = taken
    exif.get_ifd(IFD.GPSInfo).update(
        {1: "N", 2: tuple(float(x) for x in lat), 3: "E", 4: tuple(float(x) for x in lon)}
    )
    img.save(path, "JPEG", exif=exif)
    return path


def add_target(store: Store, **fields) -> ServiceTarget:
    values = {
        "type": "cooperative",
        "name": "新会区双水镇陈皮专业合作社",
        "county": "新会区",
        "town": "双水镇",
        "village": "桥美村",
        "industry": "陈皮",
        "contact_name": "陈志强",
        "contact_phone": "13800138000",
    }
    values.update(fields)
    return store.save(ServiceTarget(**values))


def close_windows() -> None:
    """Close what a test left open (editors delete themselves on close, so qtbot.addWidget can't)."""
    import shiboken6
    from PySide6.QtWidgets import QApplication

    for context in _contexts:
        context.tasks.wait_idle(10000)
    for widget in QApplication.topLevelWidgets():
        if not shiboken6.isValid(widget):
            continue
        if hasattr(widget, "_dirty"):
            widget._dirty = False
        widget.close()
        if shiboken6.isValid(widget):
            shiboken6.delete(widget)
    QApplication.processEvents()
    while _contexts:  # the executor's threads and the read-only connection; the test closes its store
        context = _contexts.pop()
        context.tasks.wait_idle(10000)
        context.tasks.shutdown()
        if context.reader is not context.store:
            context.reader.close()


class ThreadWatch:
    """Records SQL statements prepared on the GUI (main) thread while active."""

    def __init__(self, store: Store):
        import sqlite3
        import threading

        self.active = False
        self.on_gui_thread: list[str] = []

        def authorizer(action, arg1, arg2, db_name, trigger):
            if self.active and threading.current_thread() is threading.main_thread():
                self.on_gui_thread.append(f"{action} {arg1} {arg2}")
            return sqlite3.SQLITE_OK

        store.db.conn.set_authorizer(authorizer)
