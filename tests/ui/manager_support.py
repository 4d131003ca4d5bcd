"""A team for the manager views' tests: a leader logged in as manager, members with visits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from commissioner_app.domain import Commissioner, ServiceTarget, Team, Visit
from commissioner_app.store import Store
from ui.context import AppContext


@dataclass
class TeamData:
    team: Team
    leader: Commissioner
    members: dict[str, Commissioner]
    target: ServiceTarget
    visits: dict[str, Visit]


def make_visit(
    store: Store, target: ServiceTarget, who: Commissioner, days_ago: int, content: str, **overrides: object
) -> Visit:
    values: dict[str, object] = dict(
        commissioner_id=who.id,
        target_id=target.id,
        visit_date=date.today() - timedelta(days=days_ago),
        start_time="09:00",
        end_time="11:30",
        county=target.county,
        town=target.town,
        service_types=["guidance"],
        industry="陈皮",
        content=content,
        training_sessions=1,
        people_trained=30,
        confirm_contact="陈伟",
        confirm_satisfaction=5,
    )
    values.update(overrides)
    visit = Visit(**values)  # type: ignore[arg-type]
    store.save_visit(visit)
    return visit


def build_team(store: Store) -> TeamData:
    team = Team(name="新会区陈皮产业科技特派团", county="新会区")
    store.save(team)
    leader = Commissioner(name="林站长", sending_unit="五邑大学", team_id=team.id)
    members = {
        n: Commissioner(name=n, sending_unit="暨南大学", team_id=team.id) for n in ("王芳", "李强", "赵敏")
    }
    outsider = Commissioner(name="外队成员", sending_unit="华南农业大学", team_id="another-team")
    for person in (leader, *members.values(), outsider):
        store.save(person)
    store.save_profile(leader)
    store.actor = leader.id
    target = ServiceTarget(
        type="cooperative",
        name="新会区双水陈皮专业合作社",
        county="新会区",
        town="双水镇",
        industry="陈皮",
        contact_name="陈伟",
        contact_phone="13800138000",
    )
    store.save(target)
    visits = {
        "wang_new": make_visit(store, target, members["王芳"], 1, "指导陈皮晾晒，讲解霉变防控"),
        "wang_old": make_visit(store, target, members["王芳"], 6, "柑橘黄龙病普查"),
        "li": make_visit(store, target, members["李强"], 3, "木虱监测培训"),
        "li_2": make_visit(store, target, members["李强"], 9, "施肥方案讲解"),
        "zhao": make_visit(store, target, members["赵敏"], 45, "春梢管理指导"),  # idle for 45 days
        "outsider": make_visit(store, target, outsider, 2, "外队的服务"),
    }
    return TeamData(team, leader, members, target, visits)


def log_in_as(store: Store, role: str, who: Commissioner | None, team_id: str | None = None) -> None:
    """What sync.session.login leaves in the store for an account."""
    store.set_meta(
        "sync_user",
        json.dumps(
            {
                "id": "u1",
                "username": "lin",
                "role": role,
                "display_name": who.name if who else "",
                "commissioner_id": who.id if who else None,
                "team_id": team_id,
                "workstation_id": None,
            },
            ensure_ascii=False,
        ),
    )


@pytest.fixture
def team_data(store: Store) -> TeamData:
    return build_team(store)


@pytest.fixture
def manager_context(store: Store, team_data: TeamData, qapp):
    log_in_as(store, "manager", team_data.leader, team_data.team.id)
    ctx = AppContext(store, language="zh_CN")
    yield ctx
    ctx.set_language("zh_CN")
    ctx.close()


def wait(ctx: AppContext) -> None:
    assert ctx.tasks.wait_idle(30000)


def photo(tmp_path: Path, name: str = "field.jpg") -> Path:
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (640, 480), (40, 120, 60)).save(path, "JPEG")
    return path
