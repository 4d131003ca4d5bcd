"""An attachment whose file cannot be sent is held back with a message naming it; every other record
and file still syncs, and the pull still runs. Against the real server, with separate computers."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from PIL import Image

from commissioner_app.attachments import add_attachment, store_bytes
from commissioner_app.domain import Attachment, Visit
from commissioner_app.store import Store
from sync.engine import SyncEngine
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def _commissioner_with_a_visit(
    server: Server, tmp_path: Path, prefix: str, content: str
) -> tuple[Store, SyncEngine, Visit, str, str]:
    """A commissioner's laptop logged in to `server`, with one visit not synced yet; (store, engine,
    visit, commissioner id, user name)."""
    cid = str(uuid.uuid4())
    name = server.add_user(f"{prefix}{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    field = commissioner_store(tmp_path / "field", cid)
    engine = connect(field, server.url, name)
    rng = random.Random(len(prefix))
    return field, engine, add_visit(field, rng, add_target(field, rng), content), cid, name


def test_an_empty_attachment_is_held_back_and_everything_else_still_syncs(
    sqlite_server: Server, tmp_path: Path
) -> None:
    server = sqlite_server
    field, engine, visit, cid, name = _commissioner_with_a_visit(server, tmp_path, "wang", "带附件的走访")
    rng = random.Random(11)
    engine.sync()

    # An empty signed sheet, attached by an earlier version that did not refuse empty files (or
    # written into the database directly), and a good file beside it.
    empty_sha = store_bytes(field, b"")
    sheet = Attachment(
        sha256=empty_sha,
        owner_table="visits",
        owner_id=visit.id,
        kind="confirmation_sheet",
        mime="application/pdf",
        size=0,
        original_name="确认单.pdf",
    )
    field.save(sheet)
    edited = field.require(Visit, visit.id)
    edited.confirm_sheet_sha256 = empty_sha
    edited.content += "（已补确认单）"
    field.save_visit(edited)
    notes = tmp_path / "现场记录.txt"
    notes.write_bytes("田间调查记录\n".encode() * 200)
    good = add_attachment(field, notes, "visits", visit.id, kind="document")

    # Meanwhile the same commissioner's other computer sends a visit of its own.
    laptop = commissioner_store(tmp_path / "laptop", cid)
    other = connect(laptop, server.url, name)
    other.sync()
    from_laptop = add_visit(laptop, rng, add_target(laptop, rng), "另一台电脑上的走访")
    other.sync()

    for attempt in range(2):  # and every later sync: never blocked
        report = engine.sync()
        assert [(p.zh, p.en) for p in report.problems] == [
            (
                "附件 确认单.pdf 的文件是空的（0 字节），暂不发送该附件记录；"
                "请删除该附件，或换成有内容的文件",
                "The file of attachment 确认单.pdf is empty (0 bytes); its record is held back. Delete the "
                "attachment, or replace it with a file that has content",
            )
        ]
        assert report.attachments_uploaded == (1 if attempt == 0 else 0)
        assert field.get(Visit, from_laptop.id) is not None  # the pull ran

    on_server = server.records(cid)
    assert ("attachments", good.id) in on_server
    assert ("attachments", sheet.id) not in on_server
    assert on_server[("visits", visit.id)]["fields"]["content"] == edited.content
    assert server.uploads() == {good.sha256: True}
    held = field.db.execute("SELECT dirty FROM attachments WHERE id = ?", [sheet.id]).fetchone()
    assert held[0] == 1  # still waiting here: deleting it or replacing the file sends the change

    # Deleting the empty attachment lets its (deletion) go; nothing is held back any more.
    field.delete(Attachment, sheet.id)
    assert engine.sync().problems == []


def test_a_damaged_attachment_file_is_held_back_and_everything_else_still_syncs(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A photo whose file was damaged on disk (its content no longer matches its hash) stopped every
    sync with "本机附件文件 … 已损坏", sending nothing and receiving nothing."""
    server = sqlite_server
    field, engine, visit, cid, _name = _commissioner_with_a_visit(server, tmp_path, "li", "带照片的走访")
    photo_file = tmp_path / "田间照片.jpg"
    Image.frombytes("RGB", (80, 60), bytes(range(256)) * 56 + bytes(64)).save(photo_file, "JPEG")
    photo = add_attachment(field, photo_file, "visits", visit.id, kind="photo")
    notes = tmp_path / "记录.txt"
    notes.write_bytes("调查记录\n".encode() * 300)
    good = add_attachment(field, notes, "visits", visit.id, kind="document")
    from commissioner_app.attachments import blob_path

    blob = blob_path(field, photo.sha256)
    blob.chmod(0o644)
    blob.write_bytes(b"\xff\xd8 damaged by a failing disk")

    report = engine.sync()
    assert len(report.problems) == 1, report.problems
    assert "田间照片.jpg" in report.problems[0].zh and "损坏" in report.problems[0].zh
    on_server = server.records(cid)
    assert ("visits", visit.id) in on_server and ("attachments", good.id) in on_server
    assert ("attachments", photo.id) not in on_server
    assert server.uploads() == {good.sha256: True}
    held = field.db.execute("SELECT dirty FROM attachments WHERE id = ?", [photo.id]).fetchone()
    assert held[0] == 1  # waits here until the photo is replaced or deleted
