"""The bureau corrects, closes and reopens a demand it published (before, a published demand could
not be changed or withdrawn at all: a typo or a need already met stayed open to 揭榜)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from commissioner_app.demands import close, open_demands, publish, reopen, revise, take_up
from commissioner_app.domain import Commissioner, Demand
from commissioner_app.errors import CommissionerError, ValidationError


def published(store) -> Demand:
    return publish(
        store,
        Demand(
            title="柑橘黄龙病防控",
            description="果园发现黄龙病疑似病株",
            industry="柑橘",
            deadline=date.today(),
        ),
    )


def test_a_published_demand_is_corrected_and_stays_open(store):
    demand = published(store)
    fixed = Demand(
        title="柑橘黄龙病绿色防控",
        description="三个果园发现疑似病株，需要检测和防控方案",
        industry="柑橘",
        county="新会区",
        town="双水镇",
        target_name="双水镇柑橘合作社",
        deadline=date.today() + timedelta(days=20),
    )
    revise(store, demand.id, fixed)
    again = store.get(Demand, demand.id)
    assert (again.title, again.county, again.town, again.target_name) == (
        "柑橘黄龙病绿色防控",
        "新会区",
        "双水镇",
        "双水镇柑橘合作社",
    )
    assert again.deadline == date.today() + timedelta(days=20) and again.status == "published"
    assert again.published_by == demand.published_by
    dirty = store.db.execute("SELECT dirty FROM demands WHERE id = ?", [demand.id]).fetchone()[0]
    assert dirty == 1  # goes with the next sync
    assert [d.id for d in open_demands(store)] == [demand.id]


def test_a_correction_without_title_is_refused_and_the_demand_kept(store):
    demand = published(store)
    with pytest.raises(ValidationError):
        revise(store, demand.id, Demand(title=" ", description="x"))
    assert store.get(Demand, demand.id).title == "柑橘黄龙病防控"


def test_a_closed_demand_is_no_longer_open_and_can_be_reopened(store):
    demand = published(store)
    close(store, demand.id)
    assert store.get(Demand, demand.id).status == "closed" and open_demands(store) == []
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    with pytest.raises(CommissionerError):
        take_up(store, demand.id, wang)
    reopen(store, demand.id)
    assert [d.id for d in open_demands(store)] == [demand.id]


def test_a_demand_past_its_deadline_is_reopened_only_with_a_new_deadline(store):
    demand = published(store)
    store.db.execute(
        "UPDATE demands SET deadline = ? WHERE id = ?",
        [(date.today() - timedelta(days=1)).isoformat(), demand.id],
    )
    close(store, demand.id)
    with pytest.raises(CommissionerError) as refused:
        reopen(store, demand.id)
    assert "截止日期" in str(refused.value.message.zh)
    revise(
        store,
        demand.id,
        Demand(title="柑橘黄龙病防控", description="x", deadline=date.today() + timedelta(days=7)),
    )
    reopen(store, demand.id)
    assert store.get(Demand, demand.id).status == "published"


def test_a_taken_demand_is_neither_changed_nor_closed(store):
    demand = published(store)
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    take_up(store, demand.id, wang)
    for act in (
        lambda: revise(store, demand.id, Demand(title="新标题", description="x")),
        lambda: close(store, demand.id),
        lambda: reopen(store, demand.id),
    ):
        with pytest.raises(CommissionerError):
            act()
    kept = store.get(Demand, demand.id)
    assert (kept.title, kept.status, kept.taken_by) == ("柑橘黄龙病防控", "taken", wang.id)
