"""Previews of attachments: one small JPEG per file, made once by the server, checked by both sides.

A preview is a JPEG of at most PREVIEW_SIDE pixels on its long side and at most PREVIEW_BYTES bytes:
for a photo, the photo itself (EXIF orientation applied); for a PDF, its first page (rendered by
poppler's `pdftoppm` where the computer has it); for anything else, or a file that cannot be read, a
generic page with the file's kind written on it. The server makes it from the uploaded bytes (it never
takes an image from a client), and a client decodes every preview it receives and refuses one that is
not a JPEG within these bounds (it never trusts the server either).
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

PREVIEW_SIDE = 400
PREVIEW_BYTES = 40 * 1024
MAX_DECODE_PIXELS = 80_000_000  # a decompression bomb is refused, not decoded
# What an image other than a JPEG may take decoded (a JPEG decodes at 1/8 of its size at most):
# a PNG of one colour is a few hundred KB that decodes to hundreds of MB, several at once.
MAX_DECODED_BYTES = 64 * 1024 * 1024
PDF_TIMEOUT = 15.0
PDF_MEMORY = 1024**3
PDF_MEMORY = 1024**3


def _jpeg(img: object) -> bytes:
    """Encode within the byte bound: lower quality first, then a smaller picture."""
    from PIL import Image

    assert isinstance(img, Image.Image)
    picture = img.convert("RGB")
    picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
    while True:
        for quality in (75, 60, 45, 30):
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= PREVIEW_BYTES:
                return out.getvalue()
        picture = picture.resize((max(1, picture.width * 3 // 4), max(1, picture.height * 3 // 4)))


def _image(data: bytes) -> bytes | None:
    from PIL import Image, ImageOps

    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_DECODE_PIXELS
        with Image.open(io.BytesIO(data)) as original:
            if original.width * original.height > MAX_DECODE_PIXELS:
                return None
            decoded = original.width * original.height * len(original.getbands())
            if original.format != "JPEG" and decoded > MAX_DECODED_BYTES:
                return None
            # JPEG decodes straight at 1/2, 1/4 or 1/8 size: a 3 MB photo in a few milliseconds.
            original.draft("RGB", (PREVIEW_SIDE * 2, PREVIEW_SIDE * 2))
            img = ImageOps.exif_transpose(original) or original
            img.load()
            return _jpeg(img)
    except Exception as exc:  # not an image, or a broken one: the caller falls back
        log.debug("no image preview: %s", exc)
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _pdf_first_page(data: bytes) -> bytes | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            # A hostile PDF gets 1 GB of memory and 15 s of CPU (prlimit, where the system has it).
            bounds = (
                ["prlimit", f"--as={PDF_MEMORY}", f"--cpu={int(PDF_TIMEOUT)}"]
                if shutil.which("prlimit")
                else []
            )
            subprocess.run(
                [
                    *bounds,
                    tool,
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-scale-to",
                    str(PREVIEW_SIDE),
                    "-png",
                    "-singlefile",
                    str(source),
                    str(Path(tmp) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
            )
            page = (Path(tmp) / "page.png").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("no first-page preview of a PDF: %s", exc)
            return None
    return _image(page)


def placeholder(label: str) -> bytes:
    """A generic page with the file's kind on it (for files that have no picture)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (300, 400), (244, 246, 248))
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 279, 379), outline=(150, 160, 170), width=3)
    draw.polygon([(219, 20), (279, 80), (219, 80)], fill=(200, 206, 212))
    for y in range(130, 330, 28):
        draw.line((50, y, 250, y), fill=(205, 210, 216), width=4)
    draw.text((50, 90), label[:12], fill=(60, 70, 80))
    return _jpeg(img)


def make_preview(data: bytes) -> tuple[bytes, str]:
    """(JPEG bytes, kind) where kind is "image", "pdf" (first page) or "placeholder"."""
    if data[:5] == b"%PDF-":
        page = _pdf_first_page(data)
        return (page, "pdf") if page else (placeholder("PDF"), "placeholder")
    picture = _image(data)
    if picture is not None:
        return picture, "image"
    return placeholder("FILE"), "placeholder"


def check_preview(data: bytes) -> bool:
    """Whether these bytes are a preview as this protocol makes them: a decodable JPEG within bounds."""
    if not data or len(data) > PREVIEW_BYTES or data[:3] != b"\xff\xd8\xff":
        return False
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            if img.format != "JPEG" or max(img.size) > PREVIEW_SIDE:
                return False
            img.load()
    except Exception:
        return False
    return True
