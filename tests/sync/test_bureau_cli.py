"""The bureau's own commands: publish the year's official results, deactivate a commissioner; nobody
else may run them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from commissioner_app.cli import main
from commissioner_app.demo import generate_demo
from commissioner_app.domain import Commissioner
from commissioner_app.store import Store


def logged_in(path: Path, role: str) -> Path:
    store = Store.open(path)
    generate_demo(store, visits=60, commissioners=3, seed=2)
    store.set_meta(
        "sync_user",
        json.dumps({"id": "u1", "username": "boss", "role": role, "display_name": "江门市科技局"}),
    )
    store.close()
    return path


def test_only_the_bureau_publishes_and_deactivates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = logged_in(tmp_path / "c", "commissioner")
    assert main(["--data-dir", str(data), "publish", "--year", "2025"]) == 2
    assert "只有市科技局账户" in capsys.readouterr().err
    store = Store.open(data)
    someone = store.all(Commissioner)[0].id
    store.close()
    assert (
        main(["--data-dir", str(data), "deactivate", someone, "--on", "2025-06-30", "--reason", "调回"]) == 2
    )


def test_the_bureau_publishes_and_deactivates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = logged_in(tmp_path / "b", "bureau")
    year = date.today().year
    assert main(["--data-dir", str(data), "publish", "--year", str(year)]) == 0
    assert "正式考核结果" in capsys.readouterr().out
    store = Store.open(data)
    published = store.db.execute("SELECT count(*), min(dirty) FROM assessment_results").fetchone()
    person = store.all(Commissioner)[0]
    store.close()
    assert tuple(published) == (3, 1)  # one per commissioner, waiting to sync
    assert (
        main(["--data-dir", str(data), "deactivate", person.id, "--on", "2025-13-01", "--reason", "x"]) == 2
    )
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert (
        main(
            ["--data-dir", str(data), "deactivate", person.id, "--on", "2025-06-30", "--reason", "调回原单位"]
        )
        == 0
    )
    store = Store.open(data)
    again = store.require(Commissioner, person.id)
    assert (again.deactivated_on, again.deactivation_reason) == (date(2025, 6, 30), "调回原单位")
    assert store.row("commissioners", person.id)["dirty"] == 1
    store.close()
