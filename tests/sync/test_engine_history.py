"""A pulled update keeps what it changed, so a reviewer sees what changed after approval."""

from datetime import date

from commissioner_app.domain import Commissioner, Review, Team, Visit
from commissioner_app.records import to_row
from commissioner_app.review import changes_since_approval
from commissioner_app.store import Store
from sync.client import SyncClient
from sync.engine import SyncEngine, SyncReport


def pulled(record, rev: int, seq: int) -> dict:
    fields = {k: v for k, v in to_row(record).items() if k != "id"}
    return {
        "table": record.__table__,
        "id": record.id,
        "rev": rev,
        "server_seq": seq,
        "deleted": False,
        "fields": fields,
    }


def test_pulled_edit_after_approval_is_shown_as_changed():
    manager_store = Store.memory()
    team = Team(name="陈皮产业科技特派团")
    manager = Commissioner(name="林站长", sending_unit="五邑大学", team_id=team.id)
    member = Commissioner(name="王芳", sending_unit="暨南大学", team_id=team.id)
    visit = Visit(
        commissioner_id=member.id,
        target_id="t",
        visit_date=date(2026, 5, 1),
        start_time="09:00",
        end_time="11:00",
        service_types=["guidance"],
        content="指导陈皮仓储防霉",
        people_trained=20,
        review_status="pending",
    )
    engine = SyncEngine(manager_store, SyncClient("http://127.0.0.1:9", device_id="d"))
    with manager_store.atomic():
        engine._apply_page(
            [pulled(team, 1, 1), pulled(manager, 1, 2), pulled(member, 1, 3), pulled(visit, 1, 4)],
            SyncReport(),
        )
    manager_store.save(Review(record_id=visit.id, decision="approved", reviewer_id=manager.id))
    visit.people_trained = 45
    visit.review_status = "pending"  # the server sends an approved visit edited afterwards back to review
    with manager_store.atomic():
        engine._apply_page([pulled(visit, 3, 9)], SyncReport())
    assert manager_store.get(Visit, visit.id).people_trained == 45
    assert changes_since_approval(manager_store, visit.id) == {"people_trained": [20, 45]}
