"""A visit dated by a computer whose clock runs ahead stays editable on computers with a correct
clock: only a date set here and now is held to "not after today"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from commissioner_app.domain import Visit
from commissioner_app.errors import ValidationError
from commissioner_app.store import Store

from .conftest import make_visit


def _pulled_visit_dated_ahead(store: Store, target, days: int = 2) -> Visit:
    """As a pull leaves a visit another commissioner's computer dated its own "today"."""
    visit = make_visit(target, visit_date=date.today())
    store.save_visit(visit)
    ahead = (date.today() + timedelta(days=days)).isoformat()
    store.db.execute(
        "UPDATE visits SET visit_date = ?, updated_by = 'server', dirty = 0, rev = 3, base_rev = 3 "
        "WHERE id = ?",
        [ahead, visit.id],
    )
    found = store.get(Visit, visit.id)
    assert found is not None
    return found


def test_an_unchanged_date_from_a_clock_ahead_does_not_stop_an_edit(store, target) -> None:
    visit = _pulled_visit_dated_ahead(store, target)
    visit.content = "复查陈皮仓储防霉措施，指导通风和翻晒"
    store.save_visit(visit)
    saved = store.get(Visit, visit.id)
    assert saved.content.startswith("复查") and saved.visit_date == date.today() + timedelta(days=2)


def test_a_date_set_here_is_still_held_to_today(store, target) -> None:
    visit = _pulled_visit_dated_ahead(store, target)
    visit.visit_date = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        store.save_visit(visit)
    assert [i.field for i in caught.value.issues] == ["visit_date"]
    new = make_visit(target, visit_date=date.today() + timedelta(days=2))
    with pytest.raises(ValidationError):
        store.save_visit(new)


def test_a_clock_behind_the_servers_accepts_the_servers_today(store, target) -> None:
    # The last sync found this clock two days behind the server's (this minus server, in seconds).
    store.set_meta("clock_skew_seconds", str(-2 * 86400))
    visit = make_visit(target, visit_date=date.today() + timedelta(days=1))
    store.save_visit(visit)
    assert store.latest_visit_date() == date.today() + timedelta(days=2)
    store.set_meta("clock_skew_seconds", "not a number")
    assert store.latest_visit_date() == date.today()


def test_a_future_date_kept_in_a_draft_is_still_held_to_today(store, target) -> None:
    """A cold try: a new visit dated next March was autosaved as a draft two seconds after the date
    was typed; the save then took the draft's date for one "not changed here" and saved the visit as
    complete. The server refused it at the next sync, days later in the field."""
    visit = make_visit(target, visit_date=date.today() + timedelta(days=83))
    store.save_visit(visit, draft=True)  # the editor's autosave
    with pytest.raises(ValidationError) as refused:
        store.save_visit(visit)
    assert "不能晚于今天" in refused.value.text("zh_CN")
    assert store.db.execute("SELECT is_draft FROM visits WHERE id = ?", [visit.id]).fetchone()[0] == 1
