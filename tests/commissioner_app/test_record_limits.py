"""What the central store would refuse is refused when saving here, with the field's name: a text
over the server's length limit, or a date whose year is a typo (0026 for 2026). The user used to
learn of it days later, when a sync refused the record."""

from __future__ import annotations

from datetime import date

import pytest

from commissioner_app.domain import MAX_TEXT_CHARS, Solution, TechnicalProblem, Visit
from commissioner_app.errors import ValidationError
from commissioner_app.records import from_row, stored_record_issues
from commissioner_app.store import Store
from sync.server.fields import MAX_TEXT

from .conftest import make_visit


def test_the_limit_is_the_central_stores() -> None:
    assert MAX_TEXT_CHARS == MAX_TEXT


def test_a_text_over_the_limit_is_refused_naming_the_field_and_nothing_is_saved(store: Store, target) -> None:
    visit = make_visit(target, content="很长的服务内容" * 30_000)  # 210,000 characters
    with pytest.raises(ValidationError) as caught:
        store.save_visit(visit)
    text = caught.value.message.zh
    assert "服务内容" in text and "过长" in text and f"{MAX_TEXT_CHARS:,}" in text
    assert store.get(type(visit), visit.id) is None
    visit.content = "很长的服务内容" * 1_000
    store.save_visit(visit)  # under the limit: saved
    assert store.require(type(visit), visit.id).content == visit.content


def test_a_long_solution_saved_with_its_visit_is_refused_too(store: Store, target) -> None:
    visit = make_visit(target)
    problem = TechnicalProblem(target_id=target.id, visit_id=visit.id, title="柑橘黄龙病", status="open")
    solution = Solution(problem_id=problem.id, visit_id=visit.id, description="方" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(ValidationError) as caught:
        store.save_visit(visit, problems=[problem], solutions=[solution])
    assert "过长" in caught.value.message.zh


def test_a_date_before_the_programme_is_a_typo(store: Store, target) -> None:
    visit = make_visit(target, visit_date=date(26, 3, 5))
    with pytest.raises(ValidationError) as caught:
        store.save_visit(visit)
    assert "服务日期" in caught.value.message.zh and "1999" in caught.value.message.zh
    # The central store checks pushed records with the same rules.
    issues = stored_record_issues("visits", {"visit_date": "0001-01-01", "content": "x"}, today=date.today())
    assert any(i.field == "visit_date" and "1999" in i.message.zh for i in issues)


def test_a_position_off_the_earth_or_a_number_that_is_not_one_is_refused(store: Store, target) -> None:
    visit = make_visit(target, gps_lat=1000.0, gps_lon=113.1)
    with pytest.raises(ValidationError) as caught:
        store.save_visit(visit)
    assert "坐标超出范围" in caught.value.message.zh
    visit = make_visit(target, economic_benefit=float("nan"))
    with pytest.raises(ValidationError) as caught:  # was a raw "NOT NULL constraint failed"
        store.save_visit(visit)
    assert "不是有效的数字" in caught.value.message.zh
    visit = make_visit(target, gps_lat=22.58, gps_lon=113.08)  # Jiangmen
    store.save_visit(visit)
    issues = stored_record_issues(
        "visits", {"visit_date": "2026-03-05", "gps_lon": -200.0}, today=date.today()
    )
    assert any(i.field == "gps_lon" for i in issues)  # the central store refuses it too


def test_a_stored_list_or_dict_reads_back_as_json_reads_it() -> None:
    """Stored JSON is read by orjson where it can, and by json where only json can (NaN, a lone
    surrogate): a record's lists and dicts come back the same either way."""
    import json

    from commissioner_app.records import parse_json

    for text in (
        '["guidance", "training"]',
        '{"visits": 10.0, "days": 3}',
        "[]",
        '{"a": NaN}',
        '["\\ud800"]',
    ):
        expected, got = json.loads(text), parse_json(text)
        assert json.dumps(got) == json.dumps(expected) and type(got) is type(expected), text
    visit = from_row(Visit, {"service_types": '["guidance", "training"]', "visit_date": "2024-05-01"})
    assert visit.service_types == ["guidance", "training"]


def test_a_sum_of_money_over_its_limit_is_refused_in_its_unit(target) -> None:
    # 经济效益 is in 万元: "不超过 100000" alone read as yuan, and did not tell a commissioner who had
    # typed a benefit in yuan that the field counts 万元.
    issues = {i.field: i.message for i in make_visit(target, economic_benefit=200_000.0).validate()}
    assert issues["economic_benefit"].zh == "数值过大（单条记录不超过 100000 万元）"
    assert issues["economic_benefit"].en == "is too large (at most 100000 in 10k yuan per record)"
    counted = {i.field: i.message for i in make_visit(target, people_trained=20_000).validate()}
    assert counted["people_trained"].zh == "数值过大（单条记录不超过 10000）"  # a count: no unit
