"""Previews: made once by the server from the stored bytes, bounded, opened by the download rule."""

from __future__ import annotations

import base64
import hashlib
import io

from PIL import Image
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from sync.previews import PREVIEW_BYTES, PREVIEW_SIDE, check_preview
from sync.server.tables import previews
from tests.sync.server_support import (
    BACKENDS,
    Server,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
)
from tests.sync.test_server_attachments import _photo_visit, upload

__all__ = ["cheap_password_hashes", "engine_factory", "server"]


def photo(width: int = 2400, height: int = 1600, seed: int = 1) -> bytes:
    img = Image.effect_noise((width, height), 30 + seed).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out)
    sheet.drawString(100, 700, "confirmation sheet")
    sheet.rect(50, 50, 400, 400, fill=1)
    sheet.save()
    return out.getvalue()


def ask(server: Server, user: str, hashes: list[str]) -> dict[str, object]:
    answer = server.request("POST", "/previews", user, json={"hashes": hashes})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def previews_of(body: dict[str, object]) -> dict[str, bytes]:
    items = body["previews"]
    assert isinstance(items, list)
    return {p["sha256"]: base64.b64decode(p["jpeg_base64"]) for p in items}


@BACKENDS
def test_previews_are_made_once_bounded_and_scoped_like_downloads(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    server.add_user("manager", "manager")
    server.add_user("other_manager", "manager", team="team-other", station="station-other")
    server.add_user("bureau", "bureau")
    picture, sheet = photo(), pdf()
    shas = [hashlib.sha256(d).hexdigest() for d in (picture, sheet)]
    for data in (picture, sheet):
        assert upload(server, "zhangsan", data).status_code == 201
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(previews)).scalar_one() == 2
    # Before a record refers to them: the uploader only.
    assert set(previews_of(ask(server, "zhangsan", shas))) == set(shas)
    assert ask(server, "manager", shas) == {"previews": [], "unavailable": shas}
    for sha, data in zip(shas, (picture, sheet), strict=True):
        _photo_visit(server, "zhangsan", zhang, sha, len(data))
    unknown = "0" * 64
    for user, sees in {
        "zhangsan": True,
        "manager": True,
        "bureau": True,
        "lisi": False,
        "other_manager": False,
    }.items():
        body = ask(server, user, [*shas, unknown])
        got = previews_of(body)
        assert set(got) == (set(shas) if sees else set()), user
        assert body["unavailable"] == ([unknown] if sees else [*shas, unknown]), user
    got = previews_of(ask(server, "manager", shas))
    for jpeg in got.values():
        assert check_preview(jpeg) and len(jpeg) <= PREVIEW_BYTES
        with Image.open(io.BytesIO(jpeg)) as img:
            assert img.format == "JPEG" and max(img.size) == PREVIEW_SIDE
    kinds = {p["sha256"]: p["kind"] for p in ask(server, "bureau", shas)["previews"]}  # type: ignore[union-attr]
    assert kinds == {shas[0]: "image", shas[1]: "pdf"}


@BACKENDS
def test_a_file_stored_before_previews_gets_one_when_first_asked(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    data = b"not an image at all" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert upload(server, "zhangsan", data).status_code == 201
    with server.engine.begin() as conn:
        conn.execute(previews.delete())
    _photo_visit(server, "zhangsan", zhang, sha, len(data))
    body = ask(server, "manager", [sha])
    assert body["previews"][0]["kind"] == "placeholder"  # type: ignore[index]
    assert check_preview(previews_of(body)[sha])


@BACKENDS
def test_bad_preview_requests_are_refused_clearly(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    for body in (
        {"hashes": ["../etc/passwd"]},
        {"hashes": ["A" * 64]},
        {"hashes": [new_id()]},
        {"hashes": ["a" * 64] * 201},
        {"hashes": "a" * 64},
        {},
    ):
        answer = server.request("POST", "/previews", "zhangsan", json=body)
        assert answer.status_code == 422, body
        assert answer.json()["message_zh"] and answer.json()["message_en"]
    assert server.request("POST", "/previews", None, json={"hashes": []}).status_code == 401


@BACKENDS
def test_prune_removes_the_preview_with_an_abandoned_upload(server: Server) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from sync.server import timeutil
    from sync.server.maintenance import prune
    from sync.server.tables import uploads

    server.add_user("zhangsan", "commissioner")
    assert upload(server, "zhangsan", photo(400, 300)).status_code == 201
    with server.engine.begin() as conn:
        conn.execute(update(uploads).values(updated_at=timeutil.iso(timeutil.now() - timedelta(days=60))))
    assert prune(server.engine)["uploads"] == 1
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(previews)).scalar_one() == 0


def _png_of_nothing(width: int, height: int) -> bytes:
    """A PNG of one colour, a few hundred KB however large it says it is (made a row at a time:
    never held whole here)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width * 4)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_a_huge_image_of_little_bytes_makes_a_placeholder_without_the_memory(tmp_path) -> None:
    """An 8,900 x 8,900 RGBA PNG is a few hundred KB on the wire and 317 MB decoded: one took a
    server process from 0.3 to 1.1 GB, four at once to 3.2 GB. Its preview is the placeholder, made
    without decoding it (a photo's JPEG still decodes small, at a fraction of its size)."""
    import subprocess
    import sys

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_of_nothing(8900, 8900))
    assert bomb.stat().st_size < 2_000_000
    probe = (
        "import resource, sys\n"
        "from sync.previews import make_preview\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "jpeg, kind = make_preview(open(sys.argv[1], 'rb').read())\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(kind, (after - before) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(bomb)], capture_output=True, text=True, check=True
    )
    kind, grown_mb = done.stdout.split()
    assert kind == "placeholder" and int(grown_mb) < 100, done.stdout
