from pathlib import Path

import pytest
from PIL import Image

from commissioner_app.attachments import (
    add_attachment,
    attachments_of,
    blob_path,
    store_bytes,
    thumbnail_path,
)
from commissioner_app.domain import Attachment
from commissioner_app.errors import CommissionerError

from .conftest import make_visit


def make_photo(path: Path, *, with_exif: bool = True) -> Path:
    img = Image.new("RGB", (640, 480), (40, 120, 60))
    exif = Image.Exif()
    if with_exif:
        exif[0x9003] = "2025:06:01 10:15:30"  # DateTimeOriginal, kept in the Exif IFD
        exif.get_ifd(0x8769)[0x9003] = "2025:06:01 10:15:30"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (22.0, 30.0, 36.0)
        gps[3], gps[4] = "E", (113.0, 4.0, 48.0)
    img.save(path, "JPEG", exif=exif)
    return path


def test_photo_is_stored_once_with_exif_and_thumbnail(store, target, tmp_path):
    visit = make_visit(target)
    store.save_visit(visit)
    photo = make_photo(tmp_path / "现场.jpg")
    first = add_attachment(store, photo, "visits", visit.id)
    second = add_attachment(store, photo, "visits", visit.id, kind="confirmation_sheet")
    assert first.sha256 == second.sha256
    assert blob_path(store, first.sha256).read_bytes() == photo.read_bytes()
    assert len(list(store.attachments_dir.glob("??/*"))) == 1  # the bytes once
    assert thumbnail_path(store, first.sha256).exists()
    assert first.taken_at == "2025-06-01T10:15:30"
    assert first.gps_lat == pytest.approx(22.51) and first.gps_lon == pytest.approx(113.08)
    assert [a.original_name for a in attachments_of(store, "visits", visit.id)] == ["现场.jpg", "现场.jpg"]


def test_missing_file_gives_a_clear_message(store, tmp_path):
    with pytest.raises(CommissionerError) as raised:
        add_attachment(store, tmp_path / "gone.jpg", "visits", "v")
    assert "gone.jpg" in raised.value.text("zh_CN") and "不存在" in raised.value.text("zh_CN")


def test_an_empty_file_is_refused_naming_it_and_nothing_is_kept(store, tmp_path):
    empty = tmp_path / "会议纪要.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommissionerError) as raised:
        add_attachment(store, empty, "visits", "v", kind="document")
    message = raised.value.message
    assert message.zh == "无法添加附件 会议纪要.txt：文件是空的（0 字节），不能作为佐证材料"
    assert (
        message.en
        == "Cannot add the attachment 会议纪要.txt: the file is empty (0 bytes) and cannot serve as evidence"
    )
    assert attachments_of(store, "visits", "v") == []
    assert not store.attachments_dir.exists() or list(store.attachments_dir.glob("??/*")) == []


def test_check_reports_each_empty_attachment_an_older_version_kept(store):
    # Made before empty files were refused (or written into the database directly): all empty files
    # share one stored file, so each attachment is named.
    sha = store_bytes(store, b"")
    for name in ("签到表.xlsx", "照片.jpg"):
        store.save(
            Attachment(sha256=sha, owner_table="visits", owner_id="v", kind="document", original_name=name)
        )
    problems = store.check()
    assert [p.zh for p in problems] == [
        f"附件 {name} 的文件是空的（0 字节），无法同步；请删除该附件，或换成有内容的文件"
        for name in ("签到表.xlsx", "照片.jpg")
    ]
    assert all("is empty (0 bytes)" in p.en for p in problems)


def test_a_file_named_like_a_photo_that_is_not_one_is_refused_and_nothing_is_kept(store, tmp_path):
    # A text file named 现场.jpg was taken as a site photo: no preview, left out of the visit sheet,
    # and printed as "not downloaded yet" in the annual record although it was on the laptop.
    for name, data in (("现场.jpg", b"not a jpeg"), ("截图.png", b"\x89PNG\r\n\x1a\n cut short")):
        fake = tmp_path / name
        fake.write_bytes(data)
        with pytest.raises(CommissionerError) as raised:
            add_attachment(store, fake, "visits", "v")
        message = raised.value.message
        assert message.zh.startswith(f"无法添加附件 {name}：") and "不是能打开的图片" in message.zh
        assert "not a picture that can be opened" in message.en
    assert attachments_of(store, "visits", "v") == []
    assert not store.attachments_dir.exists() or list(store.attachments_dir.glob("??/*")) == []
    # A photo in a format this computer has no reader for (an iPhone's HEIC) is still taken, as a file.
    heic = tmp_path / "IMG_0001.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    kept = add_attachment(store, heic, "visits", "v")
    assert kept.original_name == "IMG_0001.heic" and not thumbnail_path(store, kept.sha256).exists()


def test_a_picture_too_large_for_the_reader_to_check_is_still_taken(store, tmp_path, monkeypatch):
    # A panorama past Pillow's pixel guard is a picture all the same: not refused as "not one".
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    kept = add_attachment(store, make_photo(tmp_path / "全景.jpg", with_exif=False), "visits", "v")
    assert kept.original_name == "全景.jpg" and blob_path(store, kept.sha256).exists()


def test_a_document_gets_no_thumbnail_but_is_kept(store, tmp_path):
    doc = tmp_path / "确认书.pdf"
    doc.write_bytes(b"%PDF-1.4 not really")
    attachment = add_attachment(store, doc, "visits", "v", kind="document")
    assert attachment.mime == "application/pdf"
    assert not thumbnail_path(store, attachment.sha256).exists()
    assert store.check() == []


def test_check_finds_a_damaged_attachment(store, tmp_path):
    photo = make_photo(tmp_path / "a.jpg", with_exif=False)
    attachment = add_attachment(store, photo, "visits", "v")
    blob_path(store, attachment.sha256).write_bytes(b"damaged")
    problems = store.check()
    assert len(problems) == 1 and "损坏" in problems[0].zh


def _disk_full(*_args, **_kwargs):
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")


def _incoming(store) -> list[Path]:
    return list(store.attachments_dir.glob("*/.incoming-*"))


def test_a_full_disk_leaves_no_unfinished_file_and_says_it_could_not_be_written(store, tmp_path, monkeypatch):
    import commissioner_app.attachments as attachments

    photo = make_photo(tmp_path / "田间.jpg")
    monkeypatch.setattr(attachments.os, "fsync", _disk_full)
    with pytest.raises(CommissionerError) as caught:
        add_attachment(store, photo, "visits", "v")
    message = caught.value.message
    assert "无法写入" in message.zh and "磁盘已满" in message.zh and "读取" not in message.zh
    assert "could not be written" in message.en and "disk full" in message.en and "read" not in message.en
    assert _incoming(store) == []
    assert attachments_of(store, "visits", "v") == []


def test_bytes_from_a_sync_on_a_full_disk_leave_no_unfinished_file(store, monkeypatch):
    import commissioner_app.attachments as attachments

    monkeypatch.setattr(attachments.os, "fsync", _disk_full)
    with pytest.raises(CommissionerError) as caught:
        attachments.store_bytes(store, b"downloaded photo")
    assert "disk full" in caught.value.message.en and "磁盘已满" in caught.value.message.zh
    assert _incoming(store) == []


def test_unfinished_files_left_by_a_kill_are_removed_at_open_and_by_check(tmp_path):
    import os
    import time

    from commissioner_app.store import Store

    data = tmp_path / "data"
    Store.open(data).close()
    folder = data / "attachments" / "ab"
    folder.mkdir(parents=True)
    old = time.time() - 3600
    for name in (".incoming-a1", ".incoming-a2"):
        (folder / name).write_bytes(b"x" * 10)
        os.utime(folder / name, (old, old))
    (folder / ".incoming-now").write_bytes(b"being written by another program right now")
    store = Store.open(data)
    assert sorted(p.name for p in folder.iterdir()) == [".incoming-now"]
    (folder / ".incoming-a3").write_bytes(b"x")
    os.utime(folder / ".incoming-a3", (old, old))
    assert store.check() == []
    assert sorted(p.name for p in folder.iterdir()) == [".incoming-now"]
    store.close()


def test_a_damaged_gps_tag_keeps_the_photo_without_its_place():
    """A place no photo can have (95° north) is dropped, not stored: the central store refuses such a
    file record, and it would be stuck on the laptop."""
    from commissioner_app.attachments import _gps_degrees

    assert _gps_degrees({2: (95.0, 0.0, 0.0), 1: "N"}, 2, 1, 90) is None
    assert _gps_degrees({4: (113.0, 6.0, 0.0), 3: "E"}, 4, 3, 180) == 113.1
    assert _gps_degrees({4: (200.0, 0.0, 0.0), 3: "W"}, 4, 3, 180) is None
