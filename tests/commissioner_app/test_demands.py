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


# 揭榜 and the served party: the problem a demand becomes names the party the bureau wrote down
# (before, it had none: the commissioner's problem list showed no 服务对象 for it, and a visit to
# solve it had to find or create the party by hand).


def demand_for(store, target_name: str, town: str = "双水镇") -> Demand:
    return publish(
        store,
        Demand(
            title="柑橘黄龙病绿色防控",
            description="三个果园发现疑似病株",
            industry="柑橘",
            county="新会区",
            town=town,
            target_name=target_name,
        ),
    )


def test_a_taken_demand_becomes_a_problem_of_the_party_already_registered(store):
    from commissioner_app.domain import ServiceTarget

    known = store.save(
        ServiceTarget(type="cooperative", name="新会区双水镇柑橘专业合作社", county="新会区", town="双水镇")
    )
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    # Written by the bureau with another legal-form variant and a full-width space.
    problem = take_up(store, demand_for(store, "新会区双水镇　柑橘农民专业合作社").id, wang)
    assert problem.target_id == known.id
    assert len(store.all(ServiceTarget)) == 1  # no second record of the same co-operative


def test_a_taken_demand_of_an_unknown_party_registers_it(store):
    from commissioner_app.domain import ServiceTarget

    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    problem = take_up(store, demand_for(store, "江门市新会陈皮村农业有限公司").id, wang)
    made = store.get(ServiceTarget, problem.target_id)
    assert (made.name, made.type, made.county, made.town, made.industry) == (
        "江门市新会陈皮村农业有限公司",
        "enterprise",
        "新会区",
        "双水镇",
        "柑橘",
    )
    assert made.validate() == []
    dirty = store.db.execute("SELECT dirty FROM service_targets WHERE id = ?", [made.id]).fetchone()[0]
    assert dirty == 1  # goes to the server with the problem


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("双水镇柑橘专业合作社", "cooperative"),
        ("沙堆镇梅阁村", "village"),
        ("罗坑镇陈冲村民委员会", "village"),
        ("大泽镇卫生院", "medical"),
        ("司前镇李氏家庭农场", "family_farm"),
        ("江门市新会区第一中学", "school"),
        ("新会现代农业产业园", "industrial_park"),
        ("双水镇人民政府", "town"),
        ("会城街道办事处", "town"),
        ("古井镇水稻种植大户张三", "large_grower"),
        ("大鳌镇鳗鱼养殖户", "large_grower"),
        # A place in the name is where the party is, not what it is (a cold try found these
        # registered as towns and villages).
        ("双水镇鸿发养殖场", "enterprise"),
        ("杜阮镇凉瓜种植基地", "enterprise"),
        ("会城镇海鲜酒家", "enterprise"),
        ("江门农村商业银行", "enterprise"),
        ("新会区农村电商服务中心", "enterprise"),
        ("开平市金山温泉度假村", "enterprise"),
        ("村头小卖部", "enterprise"),
    ],
)
def test_the_kind_of_a_new_party_is_read_from_its_name(store, name, kind):
    from commissioner_app.domain import ServiceTarget

    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    problem = take_up(store, demand_for(store, name).id, wang)
    assert store.get(ServiceTarget, problem.target_id).type == kind


def test_a_demand_without_a_party_becomes_a_problem_without_one(store):
    from commissioner_app.domain import ServiceTarget

    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    problem = take_up(store, demand_for(store, "  ").id, wang)
    assert problem.target_id is None and store.all(ServiceTarget) == []


def test_a_party_merged_away_is_found_in_the_one_it_was_merged_into(store):
    """A cold try: a demand naming a party a manager had merged away registered it again."""
    from commissioner_app.domain import ServiceTarget
    from commissioner_app.targets import merge_targets

    kept = store.save(ServiceTarget(type="family_farm", name="金果农场", county="新会区", town="双水镇"))
    gone = store.save(
        ServiceTarget(type="family_farm", name="双水镇金果家庭农场", county="新会区", town="双水镇")
    )
    merge_targets(store, gone.id, kept.id)
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    problem = take_up(store, demand_for(store, "双水镇金果家庭农场").id, wang)
    assert problem.target_id == kept.id
    assert len(store.all(ServiceTarget, "deleted = 0", [])) == 1


@pytest.mark.parametrize("name", ["（——）……", "  ·  "])
def test_a_party_name_of_punctuation_only_registers_nothing(store, name):
    from commissioner_app.domain import ServiceTarget

    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    problem = take_up(store, demand_for(store, name).id, wang)
    assert problem.target_id is None and store.all(ServiceTarget) == []


def test_the_take_up_says_which_party_it_registered(store):
    from commissioner_app.domain import ServiceTarget
    from commissioner_app.ops.demands import take_up_demand

    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    done = take_up_demand(store, demand_for(store, "双水镇鸿发养殖场").id, wang)
    assert done.changes.touches("service_targets")  # the targets list shows the new one at once
    assert done.value.party is not None and done.value.party.name == "双水镇鸿发养殖场"
    assert done.value.party_is_new and done.value.problem.target_id == done.value.party.id
    again = take_up_demand(store, demand_for(store, "双水镇鸿发养殖场").id, wang)
    assert again.value.party == store.get(ServiceTarget, done.value.party.id) and not again.value.party_is_new


def test_a_party_name_longer_than_a_name_is_refused_at_publishing(store):
    from commissioner_app.errors import ValidationError

    with pytest.raises(ValidationError):
        publish(store, Demand(title="需求", description="说明", target_name="某" * 101))


def test_the_bureau_publishes_again_a_demand_whose_problem_never_came(store):
    """A take-up naming a problem that never came locked the demand: nobody could take it up again."""
    demand = published(store)
    # As pulled: taken up by someone whose problem for it is not here.
    store.db.execute(
        "UPDATE demands SET status = 'taken', taken_by = 'c-someone', problem_id = 'never-came' WHERE id = ?",
        [demand.id],
    )
    from commissioner_app.demands import demand_progress

    (row,) = demand_progress(store)
    assert row["problem_missing"] == 1
    reopen(store, demand.id)
    again = store.get(Demand, demand.id)
    assert (again.status, again.taken_by, again.problem_id) == ("published", None, None)
    # One whose problem is here stays the taker's.
    wang = store.save(Commissioner(name="王芳", sending_unit="华南农业大学"))
    take_up(store, demand.id, wang)
    (row,) = demand_progress(store)
    assert row["problem_missing"] == 0
    with pytest.raises(CommissionerError):
        reopen(store, demand.id)


def test_a_demand_whose_problem_never_came_past_its_deadline_is_taken_back_closed(store):
    """A cold try: past its deadline such a demand could be neither reopened (a new deadline first)
    nor corrected or closed (it was taken): locked for good. It is taken back closed, to be given a
    new deadline and published again."""
    demand = published(store)
    store.db.execute(
        "UPDATE demands SET status = 'taken', taken_by = 'c-someone', problem_id = 'never-came', "
        "deadline = ? WHERE id = ?",
        [(date.today() - timedelta(days=5)).isoformat(), demand.id],
    )
    back = reopen(store, demand.id)
    assert (back.status, back.taken_by) == ("closed", None)
    fixed = store.get(Demand, demand.id)
    fixed.deadline = date.today() + timedelta(days=30)
    revise(store, demand.id, fixed)
    assert reopen(store, demand.id).status == "published"
