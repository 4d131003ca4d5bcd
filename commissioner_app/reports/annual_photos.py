"""附：服务照片 of the annual record: the site photos of the counted visits, small, captioned.

Up to PHOTOS_PER_VISIT photos of each counted visit (in the order of the record's visit table) and
MAX_PHOTOS in all. Each is drawn from the full file when it is on this computer and small, else from
its preview (made when the photo was added, or fetched by a sync / before printing: previews are
PREVIEW_SIDE pixels, as sharp as the printed size needs), else from the full file downscaled once;
a photo with neither file nor preview here shows as 尚未下载. A big file is never decoded at full
size: a batch of a thousand records stays fast."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Table, TableStyle

from commissioner_app.attachments import blob_path, thumbnail_path, valid_sha256
from commissioner_app.reports.base import GRID, P, styles, tr
from commissioner_app.store import Store

log = logging.getLogger("commissioner.reports")

PHOTOS_PER_VISIT = 2
MAX_PHOTOS = 60
PER_ROW = 3
PHOTO_W = 55 * mm
PHOTO_H = 41 * mm  # 4:3
PRINT_DPI = 150
# A full file up to this size is decoded (with JPEG draft scaling); a bigger one prints from its
# preview when there is one: a 3 MB phone photo would cost more than its preview's sharpness gains.
FULL_DECODE_BYTES = 512 * 1024
CAPTION_CHARS = 18


@dataclass(frozen=True)
class ShownPhoto:
    number: int  # the visit's row in the record's visit table (四、服务记录明细)
    visit_date: str
    target_name: str
    sha256: str


def chosen_photos(store: Store, visits: list[dict[str, Any]]) -> tuple[list[ShownPhoto], int]:
    """The photos the record shows for these visits (each with `id`, `visit_date`, `target_name`, in
    the table's order), and how many more photos those visits have."""
    if not visits:
        return [], 0
    by_visit: dict[str, list[str]] = {}
    for row in store.db.query(
        "SELECT owner_id, sha256 FROM attachments WHERE owner_table = 'visits' "
        "AND owner_id IN (SELECT value FROM json_each(?)) AND deleted = 0 AND kind = 'photo' "
        "AND mime LIKE 'image/%' ORDER BY rowid",
        [json.dumps([v["id"] for v in visits])],
    ):
        by_visit.setdefault(row["owner_id"], []).append(row["sha256"])
    shown: list[ShownPhoto] = []
    seen: set[str] = set()
    total = 0
    for number, v in enumerate(visits, 1):
        hashes = list(dict.fromkeys(by_visit.get(v["id"], [])))
        total += len(hashes)
        for sha in hashes[:PHOTOS_PER_VISIT]:
            if len(shown) < MAX_PHOTOS and sha not in seen:
                seen.add(sha)
                shown.append(ShownPhoto(number, v["visit_date"], v["target_name"] or "", sha))
    return shown, total - len(shown)


def year_photo_hashes(store: Store, commissioner_id: str, year: int) -> list[str]:
    """The photos the commissioner's annual record of `year` will show (what to fetch previews of
    before printing it), with the counted visits chosen as the record chooses them."""
    from commissioner_app.assessment import basis_sql, choose_basis

    visits = [
        dict(r)
        for r in store.db.query(
            f"""SELECT v.id, v.visit_date, '' AS target_name FROM visits v
            WHERE {basis_sql(choose_basis(store), "v")} AND v.commissioner_id = ?
              AND v.visit_date BETWEEN ? AND ?
            ORDER BY v.visit_date, v.start_time, v.rowid""",
            [commissioner_id, f"{year:04d}-01-01", f"{year:04d}-12-31"],
        )
    ]
    return [p.sha256 for p in chosen_photos(store, visits)[0]]


def photos_section(store: Store, visits: list[dict[str, Any]], width: float) -> list[Flowable]:
    """附：服务照片, on pages of its own after the signatures; nothing when no visit has a photo."""
    shown, more = chosen_photos(store, visits)
    if not shown:
        return []
    s = styles()
    story: list[Flowable] = [
        PageBreak(),
        P(tr(f"附：服务照片（{len(shown)} 张）", f"Appendix: service photos ({len(shown)})"), s.h2),
    ]
    notes = [
        tr(
            "照片编号对应“四、服务记录明细”的序号；每次服务的全部照片见其服务记录单。",
            "The numbers are the rows of section 4; every photo of a visit is on its service sheet.",
        )
    ]
    if more:
        notes.insert(
            0,
            tr(
                f"另有 {more} 张照片未列出（每次服务最多列 {PHOTOS_PER_VISIT} 张，共最多 {MAX_PHOTOS} 张）。",
                f"{more} more photos not shown (at most {PHOTOS_PER_VISIT} per visit, {MAX_PHOTOS} in all).",
            ),
        )
    cell_w = width / PER_ROW
    img_w = min(PHOTO_W, cell_w - 3 * mm)
    cells: list[list[Flowable]] = []
    for photo in shown:
        picture = _picture(store, photo.sha256, img_w, PHOTO_H) or _placeholder(
            img_w, PHOTO_H, here=valid_sha256(photo.sha256) and blob_path(store, photo.sha256).exists()
        )
        target = photo.target_name
        if len(target) > CAPTION_CHARS:
            target = target[:CAPTION_CHARS] + "…"
        caption = P(f"#{photo.number}  {photo.visit_date}  {target}", s.cell_small)
        cells.append([picture, caption])
    rows: list[list[Any]] = []
    for start in range(0, len(cells), PER_ROW):
        row: list[Any] = cells[start : start + PER_ROW]
        rows.append(row + [""] * (PER_ROW - len(row)))
    table = Table(rows, colWidths=[cell_w] * PER_ROW)
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * mm),
            ]
        )
    )
    story += [P(n, s.note) for n in notes]
    story.append(table)
    return story


def _picture(store: Store, sha256: str, max_w: float, max_h: float) -> Image | None:
    if not valid_sha256(sha256):
        return None
    full, preview = blob_path(store, sha256), thumbnail_path(store, sha256)
    try:
        size = full.stat().st_size
    except OSError:
        size = None
    has_preview = preview.exists()
    if size is not None and (size <= FULL_DECODE_BYTES or not has_preview):
        img = _downscaled(full, max_w, max_h)
        if img is not None:
            return img
    if has_preview:
        try:
            # A preview is a small JPEG: embedded as it is (no decoding), scaled into the box.
            return Image(str(preview), width=max_w, height=max_h, kind="proportional")
        except (OSError, ValueError) as exc:
            log.warning("preview %s left out of the annual record: %s", preview, exc)
    return None


def _downscaled(path: Path, max_w: float, max_h: float) -> Image | None:
    """The photo resampled to PRINT_DPI at its printed size (JPEG decoded at a reduced scale)."""
    box = (max(1, int(max_w / 72 * PRINT_DPI)), max(1, int(max_h / 72 * PRINT_DPI)))
    try:
        with PILImage.open(path) as src:
            src.draft("RGB", box)
            img = ImageOps.exif_transpose(src).convert("RGB")
            img.thumbnail(box, PILImage.Resampling.BILINEAR, reducing_gap=2.0)
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        log.warning("photo %s left out of the annual record: %s", path, exc)
        return None
    w, h = img.size
    scale = min(max_w / w, max_h / h)
    buf.seek(0)
    return Image(buf, width=w * scale, height=h * scale)


def _placeholder(w: float, h: float, here: bool = False) -> Table:
    """In place of a photo: not on this computer yet (a sync brings it), or on it but not drawable
    (damaged, or not a picture)."""
    said = tr("无法显示", "Cannot be shown") if here else tr("尚未下载", "Not downloaded yet")
    box = Table([[P(said, styles().cell_center)]], colWidths=[w], rowHeights=[h])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f3f3f3")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return box
