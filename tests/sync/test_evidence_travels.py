"""Evidence travels, through the real server with separate data directories: previews arrive with a
manager's sync, full files come on demand (resumed, checked), and the cache stays bounded."""

from __future__ import annotations

import io
import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from commissioner_app.attachments import add_attachment, blob_path, thumbnail_path
from sync import evidence
from sync.errors import OfflineError, RefusedError
from sync.previews import check_preview
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import Server


def photo_file(folder: Path, seed: int, size: tuple[int, int] = (1600, 1200)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    img = Image.effect_noise(size, 20 + seed).convert("RGB")
    path = folder / f"photo-{seed}-{uuid.uuid4().hex[:6]}.jpg"
    img.save(path, "JPEG", quality=92)
    return path


def team_of_two(server: Server, tmp_path: Path) -> dict[str, Any]:
    team = f"team-{uuid.uuid4().hex[:8]}"
    cid = str(uuid.uuid4())
    mid = str(uuid.uuid4())
    names = {
        "zhang": server.add_user(f"zhang{uuid.uuid4().hex[:8]}", commissioner_id=cid, team=team),
        "boss": server.add_user(f"boss{uuid.uuid4().hex[:8]}", "manager", commissioner_id=mid, team=team),
        "stranger": server.add_user(f"li{uuid.uuid4().hex[:8]}", commissioner_id=str(uuid.uuid4())),
    }
    field = commissioner_store(tmp_path / "field", cid)
    engine = connect(field, server.url, names["zhang"])
    rng = random.Random(7)
    visit = add_visit(field, rng, add_target(field, rng), "照片")
    photos = [
        add_attachment(field, photo_file(tmp_path / "camera", i), "visits", visit.id).sha256 for i in range(2)
    ]
    report = engine.sync()
    assert report.attachments_uploaded == 2 and report.rejected == 0
    office = commissioner_store(tmp_path / "office", mid, name="林经理")
    return {"names": names, "visit": visit, "photos": photos, "field": field, "office": office}


def test_a_managers_sync_brings_previews_and_a_photo_opens_in_full(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    office = team["office"]
    phases: list[tuple[str, int, int]] = []
    report = connect(office, shared_server.url, team["names"]["boss"]).sync(
        lambda p: phases.append((p.phase, p.done, p.total))
    )
    assert report.previews_fetched == 2
    assert ("previews", 2, 2) in phases and phases[-1][0] == "done"  # the sync shows this step too
    for sha in team["photos"]:
        assert check_preview(thumbnail_path(office, sha).read_bytes())
        assert not blob_path(office, sha).exists()  # the full file waits until it is opened
    client = connect(office, shared_server.url, team["names"]["boss"]).client
    seen: list[tuple[int, int]] = []
    path = evidence.download_file(office, client, team["photos"][0], lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == blob_path(team["field"], team["photos"][0]).read_bytes()
    assert seen and seen[-1][0] == seen[-1][1] == path.stat().st_size
    # A second sync fetches nothing again.
    again = connect(office, shared_server.url, team["names"]["boss"]).sync()
    assert again.previews_fetched == 0


def test_a_preview_the_server_does_not_have_is_asked_for_again_only_after_a_change(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    office = team["office"]
    engine = connect(office, shared_server.url, team["names"]["boss"])
    assert engine.sync().previews_fetched == 2
    # A record here names a file the server holds no copy of (its upload never completed).
    nowhere = "ab" * 32
    office.db.execute("UPDATE visits SET confirm_sheet_sha256 = ? WHERE id = ?", [nowhere, team["visit"].id])
    assert engine.sync().requests == 2  # the pull, and the previews asked for once
    for _ in range(3):
        assert engine.sync().requests == 1  # nothing to do is one request
    # Something new for the manager: the previews are asked for again (the file may be there now).
    rng = random.Random(8)
    field = team["field"]
    add_visit(field, rng, add_target(field, rng), "新的一次")
    connect(field, shared_server.url, team["names"]["zhang"]).sync()
    again = engine.sync()
    assert again.pulled >= 1 and again.requests == 2  # the pull, and the previews asked for again


def test_a_download_cut_half_way_resumes_and_a_corrupted_one_is_refused(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    office, sha = team["office"], team["photos"][1]
    client = connect(office, shared_server.url, team["names"]["boss"]).client
    whole = blob_path(team["field"], sha).read_bytes()
    starts: list[int] = []
    cut = {"done": False}

    def progress(done: int, total: int) -> None:
        if not starts or done < starts[-1]:
            starts.append(done)
        if not cut["done"] and done >= total // 2:
            cut["done"] = True
            raise OfflineError("the link dropped")

    real = client.download_to

    def recording(sha256: str, out: Any, start: int = 0, *args: Any) -> int:
        starts.append(start)
        return real(sha256, out, start, *args)

    client.download_to = recording  # type: ignore[method-assign]
    path = evidence.download_file(office, client, sha, progress)
    assert path.read_bytes() == whole
    assert starts[0] == 0 and starts[-1] >= len(whole) // 2  # the second began where the first stopped
    assert not evidence.partial_path(office, sha).exists()

    # A partial file whose bytes were damaged on disk: the finished download does not match its
    # hash, it is refused and nothing is kept under the file's name.
    path.unlink()
    part = evidence.partial_path(office, sha)
    part.write_bytes(b"\0" * (len(whole) // 2))
    with pytest.raises(RefusedError):
        evidence.download_file(office, client, sha)
    assert not blob_path(office, sha).exists() and not part.exists()
    assert evidence.download_file(office, client, sha).read_bytes() == whole


def test_a_user_cannot_download_a_file_no_visible_record_refers_to(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    other = commissioner_store(tmp_path / "other", str(uuid.uuid4()), name="李四")
    client = connect(other, shared_server.url, team["names"]["stranger"]).client
    with pytest.raises(RefusedError) as refused:
        evidence.download_file(other, client, team["photos"][0])
    assert refused.value.status == 404
    assert evidence.fetch_previews(other, client, team["photos"]) == 0
    assert not blob_path(other, team["photos"][0]).exists()


def test_offline_a_file_is_wanted_and_the_next_sync_fetches_it(shared_server: Server, tmp_path: Path) -> None:
    team = team_of_two(shared_server, tmp_path)
    office, sha = team["office"], team["photos"][0]
    engine = connect(office, shared_server.url, team["names"]["boss"])
    engine.sync()
    url = engine.client.server_url
    engine.client.server_url = "http://127.0.0.1:9"  # nobody listens: offline
    with pytest.raises(OfflineError):
        evidence.download_file(office, engine.client, sha)
    assert evidence.wanted(office) == [sha]
    engine.client.server_url = url
    report = engine.sync()
    assert report.files_downloaded == 1 and blob_path(office, sha).exists() and evidence.wanted(office) == []


def test_the_cache_evicts_least_recently_used_downloads_never_own_files(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    office = team["office"]
    engine = connect(office, shared_server.url, team["names"]["boss"])
    engine.sync()
    own = add_attachment(office, photo_file(tmp_path / "mine", 9), "visits", team["visit"].id).sha256
    first, second = team["photos"]
    evidence.download_file(office, engine.client, first)
    size = blob_path(office, first).stat().st_size
    office.set_meta(evidence.META_CACHE_LIMIT, str(size + 10))
    evidence.download_file(office, engine.client, second)  # the older download makes room
    assert not blob_path(office, first).exists() and blob_path(office, second).exists()
    assert thumbnail_path(office, first).exists()  # its preview stays
    evidence.evict(office, limit=0)
    assert not blob_path(office, second).exists() and blob_path(office, own).exists()


def test_keep_full_copies_of_the_team_setting(shared_server: Server, tmp_path: Path) -> None:
    team = team_of_two(shared_server, tmp_path)
    office = team["office"]
    office.set_meta(evidence.META_KEEP_TEAM_FULL, "1")
    report = connect(office, shared_server.url, team["names"]["boss"]).sync()
    assert report.files_downloaded == 2
    assert all(blob_path(office, sha).exists() for sha in team["photos"])


def _jpeg(size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def test_previews_from_the_network_are_checked() -> None:
    assert check_preview(_jpeg(400))
    assert not check_preview(_jpeg(401))
    assert not check_preview(b"\xff\xd8\xff" + b"x" * 100)
    assert not check_preview(b"GIF89a")


def test_a_hostile_servers_previews_are_refused(tmp_path: Path) -> None:
    import base64

    from sync.client import SyncClient

    store = commissioner_store(tmp_path / "d", str(uuid.uuid4()))
    asked, other = "ab" * 32, "cd" * 32

    class Hostile(SyncClient):
        def previews(self, hashes: list[str]) -> Any:
            def item(sha: str, data: bytes) -> dict[str, str]:
                return {"sha256": sha, "kind": "image", "jpeg_base64": base64.b64encode(data).decode()}

            return {
                "previews": [
                    item(asked, _jpeg(2000)),  # too large a picture
                    item(other, _jpeg(100)),  # never asked for
                    {"sha256": "../../x", "kind": "image", "jpeg_base64": "!!"},
                ],
                "unavailable": [],
            }

    assert evidence.fetch_previews(store, Hostile("http://127.0.0.1:9", "t"), [asked]) == 0
    assert not thumbnail_path(store, asked).exists() and not thumbnail_path(store, other).exists()


def test_the_sync_summary_counts_previews_and_downloads() -> None:
    from sync.report import SyncReport

    assert "预览" not in SyncReport().summary().zh
    summary = SyncReport(previews_fetched=12, files_downloaded=2).summary()
    assert "收到预览 12 张" in summary.zh and "下载附件 2 个" in summary.zh
    assert "previews received 12" in summary.en


def test_a_connection_cut_in_the_middle_of_a_download_resumes_with_range(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """A real cut: a proxy closes the first connection after 400 KB of the answer."""
    from urllib.parse import urlsplit

    from tests.sync.faultproxy import FaultProxy

    class CutOnce(FaultProxy):
        cuts = [400_000]

        def _draw(self) -> tuple[str, int | None, int | None, float]:
            with self.lock:
                down = self.cuts.pop() if self.cuts else None
            return "pass", None, down, 0.0

    team = team_of_two(sqlite_server, tmp_path)
    office, sha = team["office"], team["photos"][0]
    whole = blob_path(team["field"], sha).read_bytes()
    assert len(whole) > 800_000
    client = connect(office, sqlite_server.url, team["names"]["boss"]).client
    proxy = CutOnce(int(urlsplit(sqlite_server.url).port or 0), seed=1)
    try:
        from sync.session import open_client

        through = open_client(office)
        through.server_url = proxy.url
        starts: list[int] = []
        real = through.download_to

        def recording(sha256: str, out: Any, start: int = 0, *args: Any) -> int:
            starts.append(start)
            return real(sha256, out, start, *args)

        through.download_to = recording  # type: ignore[method-assign]
        path = evidence.download_file(office, through, sha)
    finally:
        proxy.close()
    assert path.read_bytes() == whole
    assert len(starts) == 2 and 0 < starts[1] <= 400_000  # the second request asked for the rest only
    assert client.server_url == sqlite_server.url


def test_own_files_downloaded_on_a_second_laptop_are_never_evicted(
    shared_server: Server, tmp_path: Path
) -> None:
    team = team_of_two(shared_server, tmp_path)
    laptop = commissioner_store(tmp_path / "laptop2", team["field"].actor)
    engine = connect(laptop, shared_server.url, team["names"]["zhang"])
    assert engine.sync().previews_fetched == 2  # one's own records' files, not on this laptop
    path = evidence.download_file(laptop, engine.client, team["photos"][0])
    assert evidence.evict(laptop, limit=0) == 0 and path.exists()


def test_two_opens_at_once_and_a_partial_file_too_long_both_end_with_the_right_file(
    shared_server: Server, tmp_path: Path
) -> None:
    import threading

    team = team_of_two(shared_server, tmp_path)
    office, sha = team["office"], team["photos"][0]
    whole = blob_path(team["field"], sha).read_bytes()
    client = connect(office, shared_server.url, team["names"]["boss"]).client
    # A partial file longer than the file (left by who knows what): the server answers 416, the
    # download starts again from the beginning.
    evidence.partial_path(office, sha).parent.mkdir(parents=True, exist_ok=True)
    evidence.partial_path(office, sha).write_bytes(b"x" * (len(whole) + 10))
    assert evidence.download_file(office, client, sha).read_bytes() == whole
    # A double click: two downloads of the same file at once write one file, once.
    other = team["photos"][1]
    results: list[bytes] = []

    def fetch() -> None:  # each on a store connection of its own, as the network lane's jobs
        from commissioner_app.store import Store
        from sync.session import open_client

        store = Store.open(office.data_dir)
        try:
            results.append(evidence.download_file(store, open_client(store), other).read_bytes())
        finally:
            store.close()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [blob_path(team["field"], other).read_bytes()] * 2
