"""The visit service sheet (服务记录单): one visit on one A4 page, to be signed and stamped."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import IO, Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepInFrame, Spacer, Table, TableStyle

from commissioner_app.attachments import attachments_of, blob_path, thumbnail_path, valid_sha256
from commissioner_app.domain import (
    PROBLEM_STATUSES,
    REVIEW_STATUSES,
    SATISFACTION_LEVELS,
    SERVICE_TYPES,
    TARGET_TYPES,
    VISIT_COUNTERS,
    Visit,
    field_label,
    short_id,
)
from commissioner_app.errors import NotFoundError
from commissioner_app.i18n import Message
from commissioner_app.reports.base import (
    GRID,
    HEAD_BG,
    P,
    build_pdf,
    frame_size,
    grid_table,
    num,
    record_sync_state,
    styles,
    tr,
)
from commissioner_app.store import RECORD_STATES, Store, record_state

log = logging.getLogger("commissioner.reports")

MAX_PHOTOS = 4
# The sheet is one page: very long texts are cut here (the full record stays in the system) so that
# what remains can be read; only then does the page shrink to fit.
CONTENT_CHARS = 700
PROBLEMS_SHOWN = 4
PROBLEM_CHARS = 120
PHOTO_HEIGHT = 48 * mm
PRINT_DPI = 150  # photos are resampled to this resolution at their printed size: sharp, small, fast


def visit_sheet(store: Store, visit_id: str, out: Path | IO[bytes]) -> int:
    """Write the service sheet of one visit; returns the page count (always 1)."""
    data = _visit_data(store, visit_id)
    s = styles()
    width, height = frame_size()
    v = data["visit"]
    number = short_id(v["id"])
    title = tr("科技特派员服务记录单", "S&T Commissioner Service Sheet")
    body: list[Flowable] = [
        P(title, s.title),
        P(
            tr(
                f"记录编号：{number}    记录状态：{data['state']}    同步状态：{record_sync_state(v)}",
                f"Record {number}    state: {data['state']}    sync: {record_sync_state(v)}",
            ),
            s.subtitle,
        ),
        _info_table(data, width),
        Spacer(1, 2 * mm),
        _section(
            tr("服务内容", "Service content"), [P(_cut(v["content"], CONTENT_CHARS) or "—", s.body)], width
        ),
    ]
    if data["problems"]:
        body += [Spacer(1, 2 * mm), _problems_table(data, width)]
    body += [Spacer(1, 2 * mm), _counters_table(v, width)]
    photos = _photos(store, data["photos"], width)
    if photos is not None:
        body += [Spacer(1, 2 * mm), photos]
    if data["more_photos"]:
        body.append(
            P(
                tr(
                    f"另有 {data['more_photos']} 张照片未在本页显示。",
                    f"{data['more_photos']} more photos are not shown on this page.",
                ),
                s.note,
            )
        )
    # Everything but the signature boxes shrinks to fit, so the sheet is always one page.
    signature = _signature_block(v, width, data["confirm_url"])
    _, sign_height = signature.wrap(width, height)
    story: list[Flowable] = [
        KeepInFrame(width, height - sign_height - 6 * mm, body, mode="shrink"),
        Spacer(1, 3 * mm),
        signature,
    ]
    name = data["target"].get("name") or ""
    return build_pdf(
        out,
        story,
        title=f"{title} {v['visit_date']} {name}",
        store=store,
        subject=tr("服务记录单", "Service sheet"),
    )


def _visit_data(store: Store, visit_id: str) -> dict[str, Any]:
    v = store.row("visits", visit_id)
    if v is None or v["deleted"]:
        raise NotFoundError(Message(f"找不到服务记录 {visit_id}", f"No service record {visit_id}"))
    target = store.row("service_targets", v["target_id"]) if v["target_id"] else None
    who = store.row("commissioners", v["commissioner_id"]) if v["commissioner_id"] else None
    problems = [
        dict(r)
        for r in store.db.query(
            "SELECT * FROM problems WHERE visit_id = ? AND deleted = 0 ORDER BY rowid", [visit_id]
        )
    ]
    solutions = [
        dict(r)
        for r in store.db.query(
            "SELECT * FROM solutions WHERE deleted = 0 AND (visit_id = ? OR problem_id IN "
            "(SELECT id FROM problems WHERE visit_id = ? AND deleted = 0)) ORDER BY rowid",
            [visit_id, visit_id],
        )
    ]
    photos = [a for a in attachments_of(store, "visits", visit_id) if a.mime.startswith("image/")]
    shown = record_state(v["sync_state"], v["review_status"])
    if shown == "queued" and v["review_status"] in REVIEW_STATUSES:
        # Beside 同步状态：待同步, the record's own state is its review's (it read 待同步 twice).
        shown_text = REVIEW_STATUSES[v["review_status"]].text()
    else:
        shown_text = RECORD_STATES[shown].text()
    state = shown_text
    return {
        "visit": v,
        "target": target or {},
        "commissioner": who or {},
        "problems": problems,
        "solutions": solutions,
        "photos": photos[:MAX_PHOTOS],
        "more_photos": max(0, len(photos) - MAX_PHOTOS),
        "state": state,
        "confirm_url": confirm_url(store, v),
    }


# Where the login keeps the central store's address (sync/credentials.py writes it).
SERVER_URL_META = "sync_server_url"


def confirm_url(store: Store, visit: dict[str, Any]) -> str:
    """The served party's confirmation page for this visit, or "" (not logged in, or not one's own)."""
    server = (store.get_meta(SERVER_URL_META) or "").rstrip("/")
    token = visit.get("confirm_token") or ""
    return f"{server}/c/{token}" if server and token else ""


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _info_table(data: dict[str, Any], width: float) -> Table:
    import json

    v, t, c = data["visit"], data["target"], data["commissioner"]
    s = styles()
    types = "、".join(
        SERVICE_TYPES[code].text() if code in SERVICE_TYPES else code
        for code in json.loads(v["service_types"] or "[]")
    )
    place = "".join(x for x in (v["county"], v["town"], v["village"]) if x) or t.get("address", "")
    target_type = TARGET_TYPES[t["type"]].text() if t.get("type") in TARGET_TYPES else ""
    contact = " ".join(x for x in (t.get("contact_name", ""), t.get("contact_phone", "")) if x)
    rows = [
        [
            tr("科技特派员", "Commissioner"),
            c.get("name", ""),
            tr("派出单位", "Sending unit"),
            c.get("sending_unit", ""),
        ],
        [tr("服务对象", "Served party"), t.get("name", "—"), tr("对象类型", "Type"), target_type],
        [
            tr("服务日期", "Date"),
            v["visit_date"] or "",
            tr("服务时间", "Time"),
            f"{v['start_time']}–{v['end_time']}" if v["start_time"] else "",
        ],
        [tr("服务地点", "Place"), place, tr("所属产业", "Industry"), v["industry"]],
        [tr("联系人", "Contact"), contact, tr("统一社会信用代码", "Credit code"), t.get("credit_code", "")],
        [tr("服务类型", "Service types"), types, "", ""],
    ]
    label_w = 24 * mm
    value_w = (width - 2 * label_w) / 2
    cells = [[P(r[0], s.label), P(r[1], s.cell), P(r[2], s.label), P(r[3], s.cell)] for r in rows]
    table = Table(cells, colWidths=[label_w, value_w, label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), HEAD_BG),
                ("BACKGROUND", (2, 0), (2, -2), HEAD_BG),
                ("SPAN", (1, -1), (3, -1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _section(title: str, content: list[Flowable], width: float) -> Table:
    s = styles()
    table = Table([[P(title, s.label)], [content]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ]
        )
    )
    return table


def _problems_table(data: dict[str, Any], width: float) -> Table:
    s = styles()
    rows: list[list[Any]] = [
        [tr("技术难题", "Technical problem"), tr("状态", "Status"), tr("解决方案", "Solution")]
    ]
    by_problem: dict[str, list[dict[str, Any]]] = {}
    for sol in data["solutions"]:
        by_problem.setdefault(sol["problem_id"], []).append(sol)
    for p in data["problems"][:PROBLEMS_SHOWN]:
        status = PROBLEM_STATUSES[p["status"]].text() if p["status"] in PROBLEM_STATUSES else p["status"]
        if p["status_reason"]:
            status += tr(f"（{p['status_reason']}）", f" ({p['status_reason']})")
        sols = by_problem.get(p["id"], [])
        sol_text = (
            "\n".join(
                x["description"]
                + (
                    tr(f"（技术：{x['technology']}）", f" (technology: {x['technology']})")
                    if x["technology"]
                    else ""
                )
                + (tr(f" 成效：{x['outcome']}", f" Outcome: {x['outcome']}") if x["outcome"] else "")
                for x in sols
            )
            or "—"
        )
        rows.append(
            [
                P(_cut(f"{p['title']}\n{p['description']}", PROBLEM_CHARS), s.cell),
                P(status, s.cell_center),
                P(_cut(sol_text, PROBLEM_CHARS * 2), s.cell),
            ]
        )
    hidden = len(data["problems"]) - PROBLEMS_SHOWN
    if hidden > 0:
        rows.append(
            [
                P(
                    tr(
                        f"另有 {hidden} 个技术难题，详见系统记录。",
                        f"{hidden} more problems are in the system.",
                    ),
                    s.cell,
                ),
                "",
                "",
            ]
        )
    return grid_table(
        rows,
        [width * 0.38, width * 0.14, width * 0.48],
        extra=[("SPAN", (0, -1), (-1, -1))] if hidden > 0 else [],
    )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + tr("……（内容较长，全文见系统记录）", "… (cut; the full text is in the system)")


def _counters_table(v: dict[str, Any], width: float) -> Table:
    items = [(label.text(), num(v[key])) for key, label in VISIT_COUNTERS.items()]
    items.append((field_label(Visit, "economic_benefit").heading.text(), num(v["economic_benefit"], 2)))
    rows = []
    for i in range(0, len(items), 4):
        chunk = items[i : i + 4] + [("", "")] * (4 - len(items[i : i + 4]))
        rows.append([x for pair in chunk for x in pair])
    label_w, value_w = width * 0.17, width * 0.08
    table = grid_table(
        rows,
        [label_w, value_w] * 4,
        header_rows=0,
        extra=[("BACKGROUND", (c, 0), (c, -1), HEAD_BG) for c in (0, 2, 4, 6)],
    )
    return table


def _photos(store: Store, photos: list[Any], width: float) -> Table | None:
    images = []
    cell_w = (width - 4 * mm) / max(1, len(photos)) if photos else width
    for a in photos:
        path = blob_path(store, a.sha256) if store.data_dir and valid_sha256(a.sha256) else None
        if path is not None and not path.exists():
            # Someone else's photo not downloaded (offline): its preview, rather than nothing.
            path = thumbnail_path(store, a.sha256)
        img = _photo(path, cell_w - 4 * mm, PHOTO_HEIGHT)
        if img is not None:
            images.append(img)
    if not images:
        return None
    table = Table([images], colWidths=[(width - 4 * mm) / len(images)] * len(images))
    table.setStyle(
        TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def _photo(path: Path | None, max_w: float, max_h: float) -> Image | None:
    """A photo scaled to fit the box (aspect kept), downsampled and re-encoded as JPEG in memory."""
    if path is None or not path.exists():
        return None
    box = (max(1, int(max_w / 72 * PRINT_DPI)), max(1, int(max_h / 72 * PRINT_DPI)))
    try:
        with PILImage.open(path) as src:
            src.draft("RGB", box)  # JPEG: decode at a reduced scale, much faster
            img = ImageOps.exif_transpose(src).convert("RGB")
            img.thumbnail(box, PILImage.Resampling.BILINEAR, reducing_gap=2.0)
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        log.warning("photo %s left out of the sheet: %s", path, exc)
        return None
    w, h = img.size
    scale = min(max_w / w, max_h / h)
    buf.seek(0)
    return Image(buf, width=w * scale, height=h * scale)


def _signature_block(v: dict[str, Any], width: float, url: str = "") -> Table:
    s = styles()
    sat = v["confirm_satisfaction"]
    levels = [(n, tr(m.zh, m.en)) for n, m in SATISFACTION_LEVELS.items()]  # the editor's words
    marks = "  ".join(("☑" if sat == n else "□") + label for n, label in levels)
    remark = v["confirm_remark"] or ""
    rows: list[list[Any]] = []
    if url:
        side = 24 * mm
        rows.append(
            [
                Table(
                    [
                        [
                            _qr(url, side),
                            [
                                P(
                                    tr(
                                        "请服务对象用手机扫描二维码，亲自确认本次服务并评价满意度（无需注册登录）。",
                                        "Served party: scan the code with a phone to confirm this visit and "
                                        "rate it yourself (no account needed).",
                                    ),
                                    s.body,
                                ),
                                P(url, s.note),
                            ],
                        ]
                    ],
                    colWidths=[side + 4 * mm, width - side - 10 * mm],
                    style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
                )
            ]
        )
    rows += [
        [P(tr("服务对象评价：", "Served party's rating: ") + marks, s.body)],
        [P(tr("服务对象意见：", "Remarks: ") + remark, s.body)],
        [
            Table(
                [
                    [
                        P(tr("服务对象负责人（签字）：", "Served party (signature):"), s.body),
                        P(tr("服务对象（盖章）：", "Served party (stamp):"), s.body),
                        P(tr("科技特派员（签字）：", "Commissioner (signature):"), s.body),
                    ],
                    ["", "", ""],
                    [
                        P(tr("日期：        年    月    日", "Date:"), s.body),
                        P(tr("日期：        年    月    日", "Date:"), s.body),
                        P(tr("日期：        年    月    日", "Date:"), s.body),
                    ],
                ],
                colWidths=[width / 3] * 3,
                rowHeights=[8 * mm, 20 * mm, 8 * mm],
                style=TableStyle(
                    [
                        ("INNERGRID", (0, 0), (-1, -1), 0, colors.white),
                        ("LINEBEFORE", (1, 0), (-1, -1), 0.5, GRID),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                ),
            )
        ],
    ]
    table = Table(rows, colWidths=[width])
    boxes = len(rows) - 1  # the signature boxes' row, after the QR code's (if any) and the ratings
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("LINEBELOW", (0, 0), (-1, boxes - 1), 0.5, GRID),
                ("LEFTPADDING", (0, boxes), (-1, boxes), 0),
                ("RIGHTPADDING", (0, boxes), (-1, boxes), 0),
                ("BOTTOMPADDING", (0, boxes), (-1, boxes), 0),
            ]
        )
    )
    return table
