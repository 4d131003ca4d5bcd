"""Issue 11's proof, in the GUI: a commissioner's photos and signed sheet reach the manager's review
pane as previews through the real server (separate data directories), and a click opens the full
photo, downloaded on the network lane; the bureau's computer fetches a record's previews when it
opens the record, and its printed visit sheet holds the photos."""

from __future__ import annotations

import random
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from commissioner_app.attachments import (
    add_attachment,
    attachments_of,
    blob_path,
    store_blob,
    thumbnail_path,
)
from commissioner_app.domain import Visit
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server, running_server
from tests.ui.manager_support import wait
from ui.context import AppContext
from ui.editors.visit_editor import AttachmentsWidget  # (ui.editors first: its import order)
from ui.views.review import ReviewView

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
        yield s


def camera(folder: Path, seed: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"IMG_{seed:04d}.jpg"
    Image.effect_noise((1600, 1200), 25 + seed).convert("RGB").save(path, "JPEG", quality=90)
    return path


def field_work(server: Server, tmp_path: Path) -> dict[str, Any]:
    wang_id, lin_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("wangf", commissioner_id=wang_id, team="team-xinhui")
    server.add_user("linzz", role="manager", commissioner_id=lin_id, team="team-xinhui")
    server.add_user("bureau", role="bureau")
    wang = commissioner_store(tmp_path / "wang", wang_id, "王芳")
    rng = random.Random(3)
    visit = add_visit(wang, rng, add_target(wang, rng), "照片")
    photos = [add_attachment(wang, camera(tmp_path / "dcim", i), "visits", visit.id).sha256 for i in (1, 2)]
    sheet, _size = store_blob(wang, camera(tmp_path / "scan", 9))
    saved = wang.require(Visit, visit.id)
    saved.confirm_sheet_sha256 = sheet
    wang.save_visit(saved)
    report = connect(wang, server.url, "wangf").sync()
    assert report.rejected == 0 and report.attachments_uploaded == 3
    return {"visit": visit, "photos": photos, "sheet": sheet, "wang": wang, "lin_id": lin_id}


def test_photos_reach_the_managers_review_pane_and_open_in_full(
    server: Server, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = field_work(server, tmp_path)
    lin = commissioner_store(tmp_path / "lin", work["lin_id"], "林站长")
    report = connect(lin, server.url, "linzz").sync()
    assert report.previews_fetched == 3
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    ctx = AppContext(lin, language="zh_CN")
    try:
        review = ReviewView(ctx)
        qtbot.addWidget(review)
        review.show()
        review.load()
        wait(ctx)
        review.select_ids([work["visit"].id])
        wait(ctx)
        page = review.detail.toHtml()
        for sha in [*work["photos"], work["sheet"]]:
            assert thumbnail_path(lin, sha).name in page  # the preview is shown
            assert not blob_path(lin, sha).exists()  # the full file is not here yet
        assert "签字确认单" in page
        review._link_clicked(QUrl(f"evidence:{work['photos'][0]}"))
        wait(ctx)
        full = blob_path(lin, work["photos"][0])
        [copy] = opened  # a copy under the photo's own name, so the viewer knows its type
        assert Path(copy).name.endswith("IMG_0001.jpg")
        assert (
            full.read_bytes()
            == Path(copy).read_bytes()
            == blob_path(work["wang"], work["photos"][0]).read_bytes()
        )
    finally:
        ctx.close()


def test_the_bureau_fetches_previews_when_it_opens_a_record_and_prints_the_photos(
    server: Server, tmp_path: Path, qtbot: Any
) -> None:
    work = field_work(server, tmp_path)
    bureau = commissioner_store(tmp_path / "bureau", str(uuid.uuid4()), "市科技局")
    report = connect(bureau, server.url, "bureau").sync()
    assert report.previews_fetched == 0  # the whole city: previews come when a record is opened
    ctx = AppContext(bureau, language="zh_CN")
    try:
        # The visit opened in the bureau's editor: its attachments ask for their previews.
        panel = AttachmentsWidget(ctx.reader, "visits", work["visit"].id)
        qtbot.addWidget(panel)
        panel.load(attachments_of(ctx.reader, "visits", work["visit"].id))
        assert "尚未下载" in panel.list.item(0).text()
        wait(ctx)
        assert all(thumbnail_path(bureau, sha).exists() for sha in [*work["photos"], work["sheet"]])
        assert not panel.list.item(0).icon().isNull()
        review = QWidget()
        qtbot.addWidget(review)

        from ui.printing import print_visit_sheet

        print_visit_sheet(review, ctx, work["visit"].id)
        wait(ctx)
        qtbot.waitUntil(lambda: getattr(review, "sheet_preview", None) is not None, timeout=30000)
        wait(ctx)
        pdf = tmp_path / "sheet.pdf"
        pdf.write_bytes(review.sheet_preview.pdf)
    finally:
        ctx.close()
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    images = [line for line in listing.stdout.splitlines()[2:] if line.strip()]
    assert len(images) >= 2, listing.stdout
    assert all(blob_path(bureau, sha).exists() for sha in work["photos"])  # downloaded before printing
