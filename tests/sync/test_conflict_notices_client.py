"""Which pulled conflict notices a computer shows: to the record's owner and to the writer of the
kept version (e.g. the bureau's edit of a commissioner's record), never on the device that met the
conflict itself, never to a bystander who may merely see the record (sync/conflicts.py)."""

from __future__ import annotations

from typing import Any

from commissioner_app.domain import ServiceTarget
from commissioner_app.store import Store
from sync.conflicts import apply_notices, list_conflicts

OWNER = {"id": "u-wang", "commissioner_id": "c-wang", "role": "commissioner"}
BUREAU = {"id": "u-kjj", "commissioner_id": None, "role": "bureau"}
MANAGER = {"id": "u-lin", "commissioner_id": "c-lin", "role": "manager"}


def notice(
    target_id: str,
    raised_by: dict[str, Any],
    raised_device: str,
    writer: dict[str, Any],
    status: str = "open",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "table": "conflicts",
        "id": f"n-{target_id[:8]}",
        "rev": 1,
        "server_seq": 9,
        "deleted": False,
        "fields": {
            "table": "service_targets",
            "record_id": target_id,
            "status": status,
            "conflicts": [
                {"field": "name", "base": "红星合作社", "local": "红星果蔬合作社", "server": "红星柑橘合作社"}
            ],
            "base_rev": 1,
            "server_rev": 2,
            "owner_id": "c-wang",
            "raised_by_user_id": raised_by["id"],
            "raised_by": raised_by["id"],
            "raised_by_name": "王建国",
            "raised_device": raised_device,
            "writer_user_id": writer["id"],
            "writer": writer["id"],
            "writer_device": "d-writer",
            **extra,
        },
    }


def a_target() -> tuple[Store, str]:
    store = Store.memory()
    target = ServiceTarget(name="红星柑橘合作社", type="enterprise", county="新会区", town="会城街道")
    store.save(target)
    store.db.execute("UPDATE service_targets SET rev = 2, base_rev = 2, dirty = 0 WHERE id = ?", [target.id])
    return store, target.id


def test_the_bureau_whose_edit_was_kept_sees_the_owners_conflicting_version() -> None:
    store, target = a_target()
    assert apply_notices(store, [notice(target, OWNER, "d-laptop", BUREAU)], BUREAU, "d-bureau") == 1
    (c,) = list_conflicts(store)
    assert c.remote and (c.local, c.server, c.other_by) == ("红星柑橘合作社", "红星果蔬合作社", "王建国")
    row = store.row("service_targets", target)
    assert row is not None and row["has_conflict"] == 0  # nothing held back on the side that was kept


def test_the_owner_sees_the_bureaus_conflicting_version_on_another_device() -> None:
    store, target = a_target()
    assert apply_notices(store, [notice(target, BUREAU, "d-bureau", OWNER)], OWNER, "d-laptop") == 1
    assert len(list_conflicts(store)) == 1


def test_not_shown_where_it_was_met_nor_to_a_bystander_and_only_once() -> None:
    store, target = a_target()
    own = notice(target, OWNER, "d-laptop", BUREAU)
    assert apply_notices(store, [own], OWNER, "d-laptop") == 0  # the pushing device has it from its answer
    assert apply_notices(store, [own], MANAGER, "d-lin") == 0  # the team's manager may see it, is not a party
    assert list_conflicts(store) == []
    assert apply_notices(store, [own], OWNER, "d-desktop") == 1  # the owner's other computer
    assert apply_notices(store, [own], OWNER, "d-desktop") == 0
    assert len(list_conflicts(store)) == 1


def test_a_closed_notice_closes_the_conflict_without_touching_the_record() -> None:
    store, target = a_target()
    apply_notices(store, [notice(target, OWNER, "d-laptop", BUREAU)], BUREAU, "d-bureau")
    closed = notice(
        target,
        OWNER,
        "d-laptop",
        BUREAU,
        status="resolved",
        chosen={"name": "红星果蔬合作社"},
        resolved_rev=3,
    )
    apply_notices(store, [closed], BUREAU, "d-bureau")
    assert list_conflicts(store) == []
    row = store.row("service_targets", target)
    assert (
        row is not None and row["name"] == "红星柑橘合作社" and row["dirty"] == 0
    )  # the pull brings the record


def held_back(store: Store, target: str, pushed: str, now: str) -> None:
    """The state after this computer's push met the conflict: the record held back with `now` in it."""
    store.db.execute(
        "UPDATE service_targets SET name = ?, has_conflict = 1, dirty = 1 WHERE id = ?", [now, target]
    )
    store.db.execute(
        "INSERT INTO sync_conflicts (table_name, record_id, field, base_value, local_value, server_value, "
        "server_rev, created_at, notice_id) VALUES ('service_targets', ?, 'name', '\"红星合作社\"', ?, "
        "'\"红星柑橘合作社\"', 2, '2026-01-01T00:00:00Z', ?)",
        [target, f'"{pushed}"', f"n-{target[:8]}"],
    )


def test_settled_by_the_other_side_this_computer_takes_the_kept_value_and_queues_the_record() -> None:
    store, target = a_target()
    held_back(store, target, "红星果蔬合作社", "红星果蔬合作社")
    closed = notice(
        target,
        OWNER,
        "d-laptop",
        BUREAU,
        status="resolved",
        chosen={"name": "红星柑橘合作社"},
        resolved_rev=2,
    )
    apply_notices(store, [closed], OWNER, "d-laptop")
    assert list_conflicts(store) == []
    row = store.row("service_targets", target)
    assert row is not None and row["name"] == "红星柑橘合作社"
    assert (row["has_conflict"], row["dirty"], row["base_rev"]) == (0, 1, 2)


def test_a_value_typed_here_after_the_conflict_is_not_overwritten_when_it_is_settled_elsewhere() -> None:
    store, target = a_target()
    held_back(store, target, "红星果蔬合作社", "红星果蔬专业合作社")  # edited again since the push
    closed = notice(
        target,
        OWNER,
        "d-laptop",
        BUREAU,
        status="resolved",
        chosen={"name": "红星柑橘合作社"},
        resolved_rev=2,
    )
    apply_notices(store, [closed], OWNER, "d-laptop")
    row = store.row("service_targets", target)
    assert (
        row is not None
        and row["name"] == "红星果蔬专业合作社"
        and row["has_conflict"] == 0
        and row["dirty"] == 1
    )
