from datetime import date, timedelta

import pytest

from commissioner_app.credit_code import credit_code_problem, is_valid_credit_code, make_credit_code
from commissioner_app.domain import Commissioner, ServiceTarget, Solution, TechnicalProblem, Visit

# Codes of real, registered companies (public records), and single-character corruptions of them.
REAL_CODES = ["914403001922038216", "91440300708461136T", "91330100799655058B", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_are_valid(code):
    assert is_valid_credit_code(code)
    assert is_valid_credit_code(code.lower())


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("914403001922038217", "校验位"),  # last character changed
        ("91440300708461163T", "校验位"),  # two characters swapped
        ("9144030070846113T", "18位"),  # one character missing
        ("91440300708461136I", "不允许"),  # I is never used
        ("91AB0300708461136T", "行政区划"),
    ],
)
def test_wrong_credit_codes_say_what_is_wrong(code, fragment):
    problem = credit_code_problem(code)
    assert problem is not None
    assert fragment in problem[0]
    assert problem[1]  # and an English message


def test_generated_codes_pass_the_check():
    code = make_credit_code("91440705", "MA4UABC1")
    assert is_valid_credit_code(code)


def test_visit_validation_reports_every_problem_at_once():
    visit = Visit(
        visit_date=date.today() + timedelta(days=2),
        start_time="14:00",
        end_time="09:00",
        service_types=[],
        content="",
        people_trained=-3,
        economic_benefit=-1,
        confirm_satisfaction=7,
    )
    fields = {i.field for i in visit.validate()}
    assert {
        "target_id",
        "visit_date",
        "end_time",
        "service_types",
        "content",
        "people_trained",
        "economic_benefit",
        "confirm_satisfaction",
    } <= fields
    messages = {i.field: i for i in visit.validate()}
    assert "今天" in messages["visit_date"].message.zh
    assert "future" in messages["visit_date"].message.en
    assert "晚于开始时间" in messages["end_time"].message.zh
    assert messages["end_time"].label.zh == "结束时间"


def test_a_complete_visit_is_valid():
    visit = Visit(
        target_id="t",
        visit_date=date.today(),
        start_time="08:30",
        end_time="10:00",
        service_types=["guidance"],
        content="现场指导水稻病虫害防治",
    )
    assert visit.validate() == []


def test_badly_formed_time_is_named():
    visit = Visit(
        target_id="t",
        visit_date=date.today(),
        start_time="9点",
        end_time="10:00",
        service_types=["guidance"],
        content="现场指导水稻病虫害防治",
    )
    assert [i.field for i in visit.validate()] == ["start_time"]


def test_solved_problem_needs_a_solution_and_referral_needs_a_reason():
    problem = TechnicalProblem(title="柑橘黄龙病防治", status="solved")
    assert [i.field for i in problem.validate(solution_count=0)] == ["status"]
    assert problem.validate(solution_count=1) == []
    referred = TechnicalProblem(title="柑橘黄龙病防治", status="referred")
    assert [i.field for i in referred.validate()] == ["status_reason"]


def test_target_credit_code_is_checked_only_when_given():
    target = ServiceTarget(type="enterprise", name="江门市某电池有限公司")
    assert target.validate() == []
    target.credit_code = "914403001922038217"
    assert [i.field for i in target.validate()] == ["credit_code"]
    target.type = "spaceship"
    assert "type" in {i.field for i in target.validate()}


def test_solution_needs_a_description():
    assert {i.field for i in Solution(problem_id="p").validate()} == {"description"}


@pytest.mark.parametrize(
    "number", ["1381234567", "138123456789", "12812345678", "10012345678", "+86 128 1234 5678"]
)
def test_a_mobile_number_must_have_eleven_digits_starting_13_to_19(number):

    for record, name in (
        (ServiceTarget(name="合作社", contact_phone=number), "contact_phone"),
        (Commissioner(name="李明", phone=number), "phone"),
    ):
        issues = [i for i in record.validate() if i.field == name]
        assert len(issues) == 1, (number, name)
        assert "手机号码" in issues[0].message.zh and "11" in issues[0].message.zh
        assert "mobile" in issues[0].message.en and "11" in issues[0].message.en


@pytest.mark.parametrize(
    "number", ["13812345678", "199 1234 5678", "+86 138-1234-5678", "0750-3350123", "07503350123"]
)
def test_valid_mobile_and_landline_numbers_pass(number):
    assert not [
        i for i in ServiceTarget(name="合作社", contact_phone=number).validate() if i.field == "contact_phone"
    ]


def test_a_profile_without_a_name_asks_for_the_persons_name() -> None:
    # A commissioner is a person: 姓名, where a service target has a 名称.
    issues = Commissioner(name=" ", sending_unit="华南农业大学").validate()
    assert [(i.field, i.label.zh) for i in issues] == [("name", "姓名")]


def test_record_ids_are_uuids_that_sort_in_the_order_they_were_made(monkeypatch):
    """A record's id is a UUID of version 7 (RFC 9562: the time it was made, then random bits): the
    records of a day's work, and of a sync's batch, are written next to each other in every index on
    their id, at the laptop and at the central store, instead of one page of the index each."""
    import uuid

    from commissioner_app import domain

    made = [domain.new_id() for _ in range(5000)]
    assert len(set(made)) == len(made)
    assert made == sorted(made)
    assert {uuid.UUID(i).version for i in made} == {7}
    assert {uuid.UUID(i).variant for i in made} == {uuid.RFC_4122}
    # Made now: the first 48 bits are the time in milliseconds.
    import time

    assert abs(int(made[-1].replace("-", "")[:12], 16) / 1000 - time.time()) < 60
    # The laptop's clock set back (a field laptop corrected by hand): ids made after still sort after.
    later = domain.new_id()
    monkeypatch.setattr(domain.time, "time_ns", lambda: 1_600_000_000_000_000_000)
    after_the_clock_moved = [domain.new_id() for _ in range(3)]
    assert [later, *after_the_clock_moved] == sorted([later, *after_the_clock_moved])
    assert len({later, *after_the_clock_moved}) == 4


def test_records_made_in_the_same_minute_are_told_apart_by_their_short_number() -> None:
    """Ids in time order begin with the time: the eight characters shown on a visit sheet (记录编号),
    in a refused-records list and in an annual record's file name were the same for every record
    made in the same minute (a roster's people: two 王伟 imported together got one file name, and
    the second annual record overwrote the first). Older random ids keep the number they showed."""
    import uuid

    from commissioner_app.domain import id_excerpt, new_id, short_id
    from commissioner_app.reports.batch import annual_file_name

    made = [new_id() for _ in range(1000)]
    assert len({short_id(i) for i in made}) == len(made)
    assert all(len(short_id(i)) == 8 and short_id(i) in i for i in made)
    first, second = made[:2]
    assert annual_file_name(2026, "王伟", first) != annual_file_name(2026, "王伟", second)
    assert id_excerpt(first) == "…" + first[-8:]

    old = str(uuid.uuid4())
    assert short_id(old) == old[:8] and id_excerpt(old) == old[:8] + "…"
    assert short_id("reference") == "reference"[:8] and id_excerpt("town") == "town"
