"""A visit sheet printed offline on a manager's computer shows the previews of photos whose full
file is not downloaded yet, rather than nothing."""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

from PIL import Image

from commissioner_app.attachments import thumbnail_path
from commissioner_app.domain import Attachment
from commissioner_app.reports.visit_sheet import visit_sheet
from sync.previews import make_preview
from tests.sync.fieldwork import add_target, add_visit, commissioner_store


def test_a_photo_not_downloaded_prints_as_its_preview(tmp_path: Path) -> None:
    store = commissioner_store(tmp_path / "office", "c-lin", "林站长")
    rng = random.Random(5)
    visit = add_visit(store, rng, add_target(store, rng), "离线打印")
    out = io.BytesIO()
    Image.effect_noise((1200, 900), 40).convert("RGB").save(out, "JPEG")
    preview, _kind = make_preview(out.getvalue())
    sha = "ab" * 32
    store.save(Attachment(sha256=sha, owner_table="visits", owner_id=visit.id, mime="image/jpeg"))
    assert images(store, visit.id, tmp_path) == 0  # neither the file nor its preview: no picture
    thumbnail_path(store, sha).parent.mkdir(parents=True, exist_ok=True)
    thumbnail_path(store, sha).write_bytes(preview)
    assert images(store, visit.id, tmp_path) == 1


def images(store: object, visit_id: str, folder: Path) -> int:
    pdf = folder / "sheet.pdf"
    with pdf.open("wb") as f:
        visit_sheet(store, visit_id, f)  # type: ignore[arg-type]
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    return len([line for line in listing.stdout.splitlines()[2:] if line.strip()])
