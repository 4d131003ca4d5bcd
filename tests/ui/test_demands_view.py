"""The bureau's demand form on a field laptop's screen (1366×768 at 150 %: the view gets about
730×400 of it): the form scrolls, and its 发布需求 button stays in sight."""

from __future__ import annotations

from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext
from ui.views.demands import DemandsView


def test_the_publish_button_is_in_sight_on_a_small_screen(tmp_path, qtbot, qapp):
    store = Store.open(tmp_path / "bureau")
    log_in_as(store, "bureau", None)
    ctx = AppContext(store, language="zh_CN")
    try:
        view = DemandsView(ctx)
        qtbot.addWidget(view)
        view.resize(730, 400)
        view.show()
        view.load()
        wait(ctx)
        qtbot.waitExposed(view)
        assert view.bureau_panel.isVisible()
        assert not view.publish_button.visibleRegion().isEmpty(), "the button is scrolled out of sight"
        # And it publishes from there: an empty title is refused with a message, nothing is saved.
        view.publish_button.click()
        assert view.message.text() and store.db.execute("SELECT count(*) FROM demands").fetchone()[0] == 0
    finally:
        view.close()
        ctx.close()
        store.close()
