"""附：服务照片 of the annual record: the counted visits' photos, from the full file, else the preview
(a manager's or the bureau's computer), else a 尚未下载 placeholder; bounded per visit and in all."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from commissioner_app.attachments import add_attachment, blob_path, thumbnail_path
from commissioner_app.domain import Attachment, Commissioner, ServiceTarget, Visit
from commissioner_app.reports import annual_photos
from commissioner_app.reports.annual import annual_record
from commissioner_app.reports.annual_photos import year_photo_hashes
from commissioner_app.store import Store
from sync.previews import make_preview
from tests.commissioner_app.report_data import need_poppler

YEAR = 2025
ME = "c-lin"


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "office")
    s.save_profile(Commissioner(id=ME, name="林站长", sending_unit="省农业科学院", phone="13800138000"))
    s.actor = ME
    yield s
    s.close()


def visit(store: Store, day: date, name: str, approved: bool = True) -> str:
    target = ServiceTarget(name=name, type="enterprise", county="新罗区", town="适中镇")
    store.save(target)
    v = Visit(
        commissioner_id=ME,
        target_id=target.id,
        visit_date=day,
        start_time="09:00",
        end_time="11:00",
        county="新罗区",
        town="适中镇",
        service_types=["guidance"],
        content="指导病虫害绿色防控",
    )
    store.save_visit(v)
    if approved:
        store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [v.id])
    return v.id


def photo(folder: Path, name: str, size: tuple[int, int], noisy: bool = False) -> Path:
    if noisy:  # a phone photo's weight: several hundred KB and more
        img = Image.effect_noise(size, 60).convert("RGB")
    else:
        img = Image.new("RGB", size, (60, 140, 90))
        ImageDraw.Draw(img).ellipse((20, 20, size[0] - 20, size[1] - 20), fill=(230, 190, 40))
    path = folder / name
    img.save(path, quality=92)
    return path


def other_persons_photo(store: Store, visit_id: str, sha: str, preview: bool) -> None:
    """A photo synced as a record only: its preview here when `preview`, its file never."""
    store.save(Attachment(sha256=sha, owner_table="visits", owner_id=visit_id, mime="image/jpeg"))
    if preview:
        out = io.BytesIO()
        Image.new("RGB", (1600, 1200), (30, 90, 160)).save(out, "JPEG")
        data, _kind = make_preview(out.getvalue())
        thumbnail_path(store, sha).parent.mkdir(parents=True, exist_ok=True)
        thumbnail_path(store, sha).write_bytes(data)


def images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of each image drawn in the PDF."""
    listing = subprocess.run(
        [need_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [(int(line.split()[3]), int(line.split()[4])) for line in listing.splitlines()[2:] if line.strip()]


def text(pdf: Path) -> str:
    out = subprocess.run(
        [need_poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return "".join(out.stdout.split())


def record(store: Store, folder: Path) -> Path:
    pdf = folder / "annual.pdf"
    annual_record(store, ME, YEAR, pdf)
    return pdf


def test_photos_from_the_file_the_preview_or_a_placeholder(store: Store, tmp_path: Path) -> None:
    own = visit(store, date(YEAR, 3, 5), "红星合作社")
    small = add_attachment(store, photo(tmp_path, "small.jpg", (800, 600)), "visits", own).sha256
    big = add_attachment(store, photo(tmp_path, "big.jpg", (2000, 1500), noisy=True), "visits", own)
    assert big.size > annual_photos.FULL_DECODE_BYTES
    add_attachment(store, photo(tmp_path, "third.jpg", (640, 480)), "visits", own)  # a third: not listed
    add_attachment(store, photo(tmp_path, "scan.jpg", (600, 800)), "visits", own, kind="confirmation_sheet")
    theirs = visit(store, date(YEAR, 6, 1), "青山茶场")
    other_persons_photo(store, theirs, "ab" * 32, preview=True)
    missing = visit(store, date(YEAR, 9, 9), "金穗农庄")
    other_persons_photo(store, missing, "cd" * 32, preview=False)
    visit(store, date(YEAR, 10, 1), "绿源果园", approved=False)  # not counted: never shown

    assert year_photo_hashes(store, ME, YEAR) == [small, big.sha256, "ab" * 32, "cd" * 32]
    pdf = record(store, tmp_path)
    drawn = images(pdf)
    # The small file downscaled to 150 dpi at 55 mm; the big one and the other person's photo from
    # their previews (no 2000-pixel decode); the one with neither is a placeholder, not an image.
    assert len(drawn) == 3
    assert max(drawn[0]) <= 330 and max(drawn[1]) <= 400 and max(drawn[2]) <= 400
    words = text(pdf)
    assert "附：服务照片（4张）" in words
    assert "尚未下载" in words
    assert f"#1{YEAR}-03-05红星合作社" in words and f"#3{YEAR}-09-09金穗农庄" in words
    assert "另有1张照片未列出" in words  # the third photo of the first visit
    assert "绿源果园" not in words.split("附：服务照片")[1]


def test_a_photo_here_that_cannot_be_drawn_is_not_called_not_downloaded(store: Store, tmp_path: Path) -> None:
    # A file kept before damaged photos were refused (or damaged since) is on this computer: "not
    # downloaded yet" sent the reader to sync for it.
    own = visit(store, date(YEAR, 3, 5), "红星合作社")
    shown = add_attachment(store, photo(tmp_path, "small.jpg", (800, 600)), "visits", own)
    blob_path(store, shown.sha256).write_bytes(b"not a jpeg any more")
    thumbnail_path(store, shown.sha256).unlink()
    words = text(record(store, tmp_path))
    assert "无法显示" in words and "尚未下载" not in words


def test_the_photos_are_bounded_in_all(store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(annual_photos, "MAX_PHOTOS", 3)
    shot = photo(tmp_path, "p.jpg", (400, 300))
    for month in range(1, 4):
        v = visit(store, date(YEAR, month, 10), f"合作社{month}")
        for i in range(2):
            data = Image.new("RGB", (400, 300), (month * 40, i * 90, 50))
            data.save(shot, quality=80)
            add_attachment(store, shot, "visits", v)
    pdf = record(store, tmp_path)
    assert len(images(pdf)) == 3
    assert "另有3张照片未列出（每次服务最多列2张，共最多3张）" in text(pdf)


def test_no_photos_no_section(store: Store, tmp_path: Path) -> None:
    visit(store, date(YEAR, 3, 5), "红星合作社")
    pdf = record(store, tmp_path)
    assert images(pdf) == [] and "服务照片" not in text(pdf)


def test_previews_before_printing_only_what_is_missing_and_quietly_offline(
    store: Store, tmp_path: Path, monkeypatch
) -> None:
    import base64

    import sync.evidence
    from sync.errors import OfflineError
    from sync.evidence import previews_op

    own = visit(store, date(YEAR, 3, 5), "红星合作社")
    here = add_attachment(store, photo(tmp_path, "small.jpg", (800, 600)), "visits", own).sha256
    other_persons_photo(store, own, "ab" * 32, preview=False)
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(out, "JPEG")
    jpeg = base64.b64encode(make_preview(out.getvalue())[0]).decode()
    asked: list[list[str]] = []

    class Client:
        def previews(self, hashes: list[str]) -> dict:
            asked.append(hashes)
            return {"previews": [{"sha256": h, "jpeg_base64": jpeg} for h in hashes + ["cd" * 32]]}

    def offline(_store: Store) -> None:
        raise OfflineError("test")

    monkeypatch.setattr(sync.evidence, "open_client", offline)
    hashes = year_photo_hashes(store, ME, YEAR)
    assert previews_op(store, hashes).value == 0  # offline: nothing, no error
    monkeypatch.setattr(sync.evidence, "open_client", lambda _store: Client())
    assert previews_op(store, hashes, cancelled=lambda: True).value == 0 and asked == []
    seen: list[tuple[int, int]] = []
    result = previews_op(store, hashes, lambda got, total: seen.append((got, total)))
    assert result.value == 1 and asked == [["ab" * 32]] and seen == [(1, 1)]  # not the file that is here
    assert thumbnail_path(store, "ab" * 32).exists() and not thumbnail_path(store, "cd" * 32).exists()
    assert here in hashes and previews_op(store, hashes).value == 0 and len(asked) == 1
