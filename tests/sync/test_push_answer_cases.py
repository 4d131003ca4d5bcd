"""The push answer (only the fields the server set otherwise than sent) and the pull
that leaves out the versions a push was answered with: a row made clean is the server's version."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from commissioner_app.domain import Commissioner, Visit
from commissioner_app.ops.targets import save_target
from commissioner_app.review import decide
from tests.sync.fieldwork import add_target, add_visit, differences, local_records
from tests.sync.harness import Server
from tests.sync.test_shared_targets import Person, code, target


def test_a_duplicate_target_the_server_files_as_merged_is_deleted_on_the_laptop_that_pushed_it(
    shared_server: Server, tmp_path: Path
) -> None:
    # The server keeps a second target of a credit code as a deleted duplicate (sync/server/targets.py
    # before_write sets the change's `deleted`); the answer says only merged_into, and the pull
    # leaves that version out as the push's own: the laptop kept a live copy the server deleted.
    team = f"team-{uuid.uuid4().hex[:8]}"
    a = Person(shared_server, tmp_path, "commissioner", team, "王建国")
    b = Person(shared_server, tmp_path, "commissioner", team, "李芳")
    k = code(random.Random(uuid.uuid4().int))
    first = save_target(a.store, target("江门市恒鑫陈皮有限公司", k)).value
    a.sync()
    second = save_target(b.store, target("恒鑫陈皮公司", k)).value
    assert b.sync().rejected == 0
    server = shared_server.records()
    assert server[("service_targets", second.id)]["deleted"] is True
    assert server[("service_targets", second.id)]["fields"]["merged_into"] == first.id
    key = ("service_targets", second.id)
    assert differences({key: local_records(b.store)[key]}, {key: server[key]}) == []


@pytest.mark.parametrize("manager_first", [True, False])
def test_a_review_and_the_owners_edit_at_the_same_time_leave_every_copy_as_the_server_has_it(
    shared_server: Server, tmp_path: Path, manager_first: bool
) -> None:
    team = f"team-{uuid.uuid4().hex[:8]}"
    a = Person(shared_server, tmp_path, "commissioner", team, "王建国")
    m = Person(shared_server, tmp_path, "manager", team, "陈站长")
    rng = random.Random(5)
    place = add_target(a.store, rng)
    visits = [add_visit(a.store, rng, place, f"第{i}次", children=False) for i in range(3)]
    a.sync()
    m.sync()
    reviewer = m.store.profile()
    assert isinstance(reviewer, Commissioner)
    decide(m.store, [v.id for v in visits], "approved", reviewer, "记录完整")
    edited = a.store.require(Visit, visits[1].id)
    a.store.save(Visit(**{**edited.__dict__, "content": "补充：复查病虫害防治效果，记录完整"}))
    first, second = (m, a) if manager_first else (a, m)
    first.sync()
    second.sync()
    for person in (a, m, a, m):
        person.sync()
    server = shared_server.records()
    for person in (a, m):
        mine = local_records(person.store)
        keys = [("visits", v.id) for v in visits]
        assert differences({k: mine[k] for k in keys}, {k: server[k] for k in keys}) == [], person.username
    assert server[("visits", visits[1].id)]["fields"]["review_status"] == "pending"
    assert server[("visits", visits[0].id)]["fields"]["review_status"] == "approved"


def visit_with_a_photo_read_by_the_manager(
    server: Server, tmp_path: Path
) -> tuple[Person, Person, Commissioner, Visit, random.Random]:
    """A commissioner's visit with a photo, synced, and their manager's laptop synced after it:
    (commissioner, manager, the manager's profile, the visit, the random source)."""
    from tests.sync.fieldwork import add_photo

    team = f"team-{uuid.uuid4().hex[:8]}"
    a = Person(server, tmp_path, "commissioner", team, "王建国")
    m = Person(server, tmp_path, "manager", team, "陈站长")
    rng = random.Random(7)
    place = add_target(a.store, rng)
    visit = add_visit(a.store, rng, place, "柑橘园修剪指导", children=False)
    add_photo(a.store, tmp_path, visit.id, rng, 2000)
    a.sync()
    m.sync()
    reviewer = m.store.profile()
    assert isinstance(reviewer, Commissioner)
    return a, m, reviewer, visit, rng


def test_a_photo_added_after_the_manager_read_a_visit_is_not_approved_unseen(
    shared_server: Server, tmp_path: Path
) -> None:
    """The manager approves offline what their laptop holds; meanwhile the commissioner adds a photo.
    The approval is refused, and the manager's laptop gets the visit back as waiting for review, with
    the photo, so that it is reviewed again as it now stands."""
    from commissioner_app.domain import Attachment
    from commissioner_app.evidence import evidence_warnings
    from commissioner_app.review import review_queue
    from tests.sync.fieldwork import add_photo

    a, m, reviewer, seen, rng = visit_with_a_photo_read_by_the_manager(shared_server, tmp_path)
    assert [r["id"] for r in review_queue(m.store, reviewer)] == [seen.id]
    decide(m.store, [seen.id], "approved", reviewer, "")
    added = add_photo(a.store, tmp_path, seen.id, rng, 3000)
    a.sync()

    report = m.sync()
    assert report.rejected == 1
    # Said once, naming the visit; the refused review is withdrawn here: a review cannot be edited,
    # and one kept in error was listed, counted as waiting and failing the sync for good.
    [said] = [p for p in report.problems if "佐证材料" in p.text("zh_CN")]
    assert seen.visit_date.isoformat() in said.text("zh_CN") and "evidence" in said.text("en")
    assert m.store.db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert m.store.waiting_to_sync() == 0
    server = shared_server.records()
    assert server[("visits", seen.id)]["fields"]["review_status"] == "pending"
    mine = m.store.require(Visit, seen.id)
    assert mine.review_status == "pending"
    assert added in {x.sha256 for x in m.store.all(Attachment, "owner_id = ?", [seen.id])}
    [queued] = review_queue(m.store, reviewer)
    assert queued["id"] == seen.id
    # The queue says why it is back, until the manager decides again (a cold try: only the sync
    # page said it, and the next sync's result replaced it).
    [why] = [w for w in queued["checks"] if w.kind == "approval_refused"]
    assert "佐证材料" in why.message.text("zh_CN") and "evidence" in why.message.text("en")

    decide(m.store, [seen.id], "approved", reviewer, "")
    assert not evidence_warnings(m.store, [seen.id])
    again = m.sync()
    assert again.rejected == 0 and not again.problems
    assert shared_server.records()[("visits", seen.id)]["fields"]["review_status"] == "approved"


def test_a_photo_removed_again_on_the_other_laptop_does_not_send_the_visit_back_to_review(
    shared_server: Server, tmp_path: Path
) -> None:
    """The server writes a revision when a laptop removes a file another laptop removed already (so
    that a laptop whose deletion of the visit took it does not bring it back); that removal changes
    nothing else: the visit, sent to review by the first removal and approved again, stays approved."""
    from commissioner_app.ops.visits import write_attachments
    from tests.sync.fieldwork import commissioner_store, connect

    a, m, reviewer, visit, _rng = visit_with_a_photo_read_by_the_manager(shared_server, tmp_path)
    other = commissioner_store(tmp_path / "other-laptop", str(a.cid), "王建国")
    other_engine = connect(other, shared_server.url, a.username)
    other_engine.sync()
    [photo] = [
        r[0]
        for r in a.store.db.execute(
            "SELECT id FROM attachments WHERE owner_id = ? AND deleted = 0", [visit.id]
        )
    ]
    decide(m.store, [visit.id], "approved", reviewer, "记录完整")
    m.sync()
    write_attachments(a.store, "visits", visit.id, [], [photo], draft=False)
    a.sync()
    m.sync()
    assert shared_server.records()[("visits", visit.id)]["fields"]["review_status"] == "pending"
    decide(m.store, [visit.id], "approved", reviewer, "照片已核对")
    m.sync()
    write_attachments(other, "visits", visit.id, [], [photo], draft=False)  # offline since before
    assert other_engine.sync().rejected == 0
    held = shared_server.records()
    assert held[("attachments", photo)]["deleted"]
    assert held[("visits", visit.id)]["fields"]["review_status"] == "approved"


def test_an_approval_is_of_what_was_shown_even_if_a_sync_brought_more_meanwhile(
    shared_server: Server, tmp_path: Path
) -> None:
    """A cold try: the manager had a visit open with one photo; a background sync pulled a second
    one, and the manager approved before the page refreshed. The approval said the laptop had read
    the second photo (its position was taken at the click), so the server accepted it."""
    from commissioner_app.review import pulled_up_to
    from tests.sync.fieldwork import add_photo

    a, m, reviewer, shown, rng = visit_with_a_photo_read_by_the_manager(shared_server, tmp_path)
    on_screen = pulled_up_to(m.store)  # the review page shows the visit
    add_photo(a.store, tmp_path, shown.id, rng, 3000)
    a.sync()
    m.sync()  # the background sync brings the second photo before the page is refreshed
    decide(m.store, [shown.id], "approved", reviewer, "", read_up_to=on_screen)
    assert m.sync().rejected == 1
    assert shared_server.records()[("visits", shown.id)]["fields"]["review_status"] == "pending"


def test_a_withdrawn_review_names_the_achievement_by_its_title(tmp_path: Path) -> None:
    from commissioner_app.store import Store
    from sync.pusher import _withdrawn_review_message

    store = Store.open(tmp_path / "data")
    store.db.execute("INSERT INTO achievements (id, title) VALUES ('a1', '  柑橘  保鲜技术转让 ')")
    said = _withdrawn_review_message(
        store.db,
        {"record_table": "achievements", "record_id": "a1"},
        {"zh": "附件有改动", "en": "files changed"},
    )
    assert said.text("zh_CN") == "对成果转化“柑橘 保鲜技术转让”的审核未被服务器接受，已撤回：附件有改动"
    assert said.text("en").startswith("Your review of the achievement “柑橘 保鲜技术转让” was not accepted")
    store.close()


def test_a_file_or_solution_given_back_by_the_server_is_named_in_the_message() -> None:
    """A second cold try: a photo whose removal the central store refused came back with the message
    附件“”：… (and a solution 解决方案“”：…): the user could not tell which."""
    from sync.pusher import _superseded_message

    reason = {"zh": "所属的记录曾经审核通过", "en": "it belongs to a record once approved"}
    photo = _superseded_message(
        "attachments", {"original_name": "桥美村 果园.jpg", "sha256": "e" * 64}, reason
    )
    assert "“桥美村 果园.jpg”" in photo.text("zh_CN") and "“桥美村 果园.jpg”" in photo.text("en")
    solution = _superseded_message("solutions", {"description": "砍除病株，统一防控木虱"}, reason)
    assert "“砍除病株，统一防控木虱”" in solution.text("zh_CN")


def test_a_review_state_written_into_the_laptops_database_by_hand_is_put_back_at_the_next_sync(
    shared_server: Server, tmp_path: Path
) -> None:
    """The review state is the server's: a commissioner who sets their synced visit to approved in
    the database file sees it pending again after the next sync (the answer says what the server
    keeps), not an approval nobody gave until the visit happens to come back by pull."""
    team = f"team-{uuid.uuid4().hex[:8]}"
    a = Person(shared_server, tmp_path, "commissioner", team, "王建国")
    rng = random.Random(11)
    visit = add_visit(a.store, rng, add_target(a.store, rng), "第1次", children=False)
    a.sync()
    a.store.db.execute(
        "UPDATE visits SET review_status = 'approved', review_opinion = '同意', confirm_sheet_accepted = 1,"
        " dirty = 1 WHERE id = ?",
        [visit.id],
    )
    a.store.db.conn.commit()
    assert a.sync().rejected == 0
    mine = a.store.require(Visit, visit.id)
    assert (mine.review_status, mine.review_opinion, mine.confirm_sheet_accepted) == ("pending", "", False)
    key = ("visits", visit.id)
    assert differences({key: local_records(a.store)[key]}, {key: shared_server.records()[key]}) == []
