"""The sync page of a signed-in account fits a field laptop at 150 % in English too: its automatic
sync line made the page 757 pixels wide and the window 921, on a screen of 911 (a cold try found the
window growing past the screen once the page had been shown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from sync import session
from tests.sync.fieldwork import FAST
from tests.ui.manager_support import wait
from tests.ui.sync_gui_support import PASSWORD, Server, field_dir, gui_server, open_context, wait_until
from ui import screen_fit

__all__ = ["gui_server"]

pytestmark = pytest.mark.slow

LAPTOP_AT_150 = QRect(0, 0, 911, 512 - 27)  # 1366×768 at 150 %, less the taskbar


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_signed_in_sync_page_fits_the_window_on_a_field_laptop(
    gui_server: Server, tmp_path: Path, qtbot, monkeypatch, language: str
) -> None:
    from commissioner_app.store import Store
    from ui.main_window import MainWindow

    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(LAPTOP_AT_150))
    folder, _cid, user = field_dir(gui_server, tmp_path / "field")
    store = Store.open(folder)
    session.login(store, gui_server.url, user, PASSWORD, use_file=True, **FAST)
    store.close()
    context, controller = open_context(folder)
    context.set_language(language)
    window = MainWindow(context)
    try:
        window.resize(LAPTOP_AT_150.size())
        window.show()
        wait_until(lambda: controller.account.logged_in, what="the account")
        for key in ("visits", "sync", "targets"):
            window.show_view(key)
            wait(context)
        assert controller.account.logged_in
        needed = window.minimumSizeHint().width()
        assert needed <= LAPTOP_AT_150.width(), f"the window needs {needed} px, the screen has 911"
    finally:
        window.close()
        context.close()
