"""The bureau's and a county bureau's accounts record no visits: a cold try found the bureau
invited to (工作台 → 新建服务记录, Ctrl+N), and the visit it saved was refused by the central store
at every sync, with nothing the bureau could correct and no way to discard it."""

from __future__ import annotations

import pytest

from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext


@pytest.mark.parametrize(("role", "records"), [("bureau", False), ("county", False), ("manager", True)])
def test_only_commissioners_and_managers_are_offered_a_new_visit(tmp_path, qtbot, qapp, role, records):
    from ui.main_window import MainWindow

    store = Store.open(tmp_path / role)
    log_in_as(store, role, None)
    context = AppContext(store, language="zh_CN")
    window = MainWindow(context)
    try:
        window.show()
        wait(context)
        overview, visits = window.views["overview"], window.views["visits"]
        assert (not overview.new_button.isHidden()) is records
        assert (not visits.new_button.isHidden()) is records
        assert window.new_visit_action.isEnabled() is records
        window.new_visit_action.trigger()
        editors = [w for w in qapp.topLevelWidgets() if type(w).__name__ == "VisitEditor" and w.isVisible()]
        assert bool(editors) is records
        for editor in editors:
            editor.close()
    finally:
        window.close()
        context.close()
