"""The GUI logs in to a server whose certificate the bureau's own CA signed: the CA file is an
optional row of the login dialog, kept with the session, and used by the sync and the reachability
probe. Without it the dialog says the certificate is not trusted and what to do."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.deploy.test_tls_route import PASSWORD, tls_route
from tests.sync.fieldwork import commissioner_store
from tests.ui.sync_gui_support import add_visits, open_context, wait_until
from ui.sync_login import LoginDialog


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.sync_login.keyring_available", lambda: False)


@pytest.mark.slow
def test_login_dialog_with_the_bureau_ca_then_sync(tmp_path: Path, qtbot) -> None:
    with tls_route(tmp_path, "uvicorn") as route:
        folder = tmp_path / "field"
        commissioner_store(folder, route.commissioner_id).close()
        visit = add_visits(folder, 1)[0]
        context, controller = open_context(folder)
        dialog = LoginDialog(context, controller=controller)
        qtbot.addWidget(dialog)
        assert dialog.ca_label.text() == "CA 证书（可选）" and dialog.ca_file.text() == ""
        dialog.server.setText(route.url)
        dialog.username.setText("zhangsan")
        dialog.password.setText(PASSWORD)
        dialog.use_file.setChecked(True)

        dialog.login_button.click()  # without the CA: refused, explained
        wait_until(lambda: dialog.buttons.isEnabled() and dialog.status.text(), what="the refusal")
        assert "不信任服务器的证书" in dialog.status.text() and "CA 证书" in dialog.status.text()
        assert not controller.account.logged_in

        dialog.ca_file.setText(str(route.ca))
        dialog.login_button.click()
        wait_until(lambda: controller.account.logged_in, timeout=30, what="the login")
        assert (
            controller.account.ca_file
            and Path(controller.account.ca_file).read_text() == route.ca.read_text()
        )

        finished: list[object] = []
        controller.sync_finished.connect(lambda result, error: finished.append(error))
        assert controller.start_sync()
        wait_until(lambda: bool(finished), timeout=60, what="the sync")
        assert finished == [None]
        with sqlite3.connect(route.server_db) as db:
            row = db.execute("SELECT fields FROM records WHERE table_name = 'visits' AND id = ?", [visit.id])
            assert json.loads(row.fetchone()[0])["content"] == visit.content
        # The probe trusts the same CA: the server counts as reachable.
        controller.reachable = None
        controller.probe()
        wait_until(lambda: controller.reachable is True, what="the probe")
        # A new login dialog shows the CA the session keeps.
        again = LoginDialog(context, controller=controller)
        qtbot.addWidget(again)
        assert again.ca_file.text() == controller.account.ca_file
        controller.shutdown()
