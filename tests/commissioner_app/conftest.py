from datetime import date, timedelta
from pathlib import Path

import pytest

from commissioner_app.domain import ServiceTarget, Visit
from commissioner_app.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def target(store: Store) -> ServiceTarget:
    t = ServiceTarget(
        type="cooperative",
        name="新会区双水陈皮专业合作社",
        county="新会区",
        town="双水镇",
        industry="陈皮",
        contact_name="陈伟",
        contact_phone="13800138000",
    )
    store.save(t)
    return t


def make_visit(target: ServiceTarget, **overrides) -> Visit:
    values = dict(
        target_id=target.id,
        visit_date=date.today() - timedelta(days=1),
        start_time="09:00",
        end_time="11:30",
        county=target.county,
        town=target.town,
        service_types=["guidance", "training"],
        industry="陈皮",
        content="到合作社指导柑橘黄龙病防治，讲解木虱监测方法。",
        training_sessions=1,
        people_trained=35,
        confirm_contact="陈伟",
        confirm_satisfaction=5,
    )
    values.update(overrides)
    return Visit(**values)
