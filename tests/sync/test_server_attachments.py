"""Attachments: chunked resumable upload, hash verification, scoped download, hostile names."""

from __future__ import annotations

import hashlib
import os

from sqlalchemy import func, select

from sync.server.tables import upload_chunks, uploads
from tests.sync.server_support import (
    BACKENDS,
    Server,
    change,
    cheap_password_hashes,
    engine_factory,
    new_id,
    server,
    visit_fields,
)

__all__ = ["cheap_password_hashes", "engine_factory", "server"]

CHUNK = 64 * 1024


def upload(server: Server, user: str, data: bytes, sha: str | None = None, start: int = 0) -> object:
    sha = sha or hashlib.sha256(data).hexdigest()
    for offset in range(start, len(data), CHUNK):
        answer = server.request(
            "PUT",
            f"/attachments/{sha}?offset={offset}",
            user,
            content=data[offset : offset + CHUNK],
            headers={"Content-Type": "application/octet-stream"},
        )
        assert answer.status_code == 200, answer.text
    return server.request("POST", f"/attachments/{sha}/complete", user, json={"size": len(data)})


def stored_bytes(server: Server) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(upload_chunks)).scalar_one())


@BACKENDS
def test_upload_resumes_from_the_servers_offset_and_download_is_scoped(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    server.add_user("manager", "manager")
    data = os.urandom(3 * CHUNK + 123)
    sha = hashlib.sha256(data).hexdigest()
    # The link drops after the first chunk; the client asks where to continue.
    first = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:CHUNK])
    assert first.json() == {"received": CHUNK, "complete": False}
    status = server.request("GET", f"/attachments/{sha}/status", "zhangsan").json()
    assert status == {"sha256": sha, "complete": False, "received": CHUNK}
    wrong = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data[:CHUNK])
    assert wrong.status_code == 409 and wrong.json()["received"] == CHUNK
    early = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": len(data)})
    assert early.status_code == 409 and early.json()["error"] == "incomplete"
    done = upload(server, "zhangsan", data, start=CHUNK)
    assert done.status_code == 201 and done.json() == {"sha256": sha, "size": len(data)}
    assert server.request("GET", f"/attachments/{sha}/status", "zhangsan").json()["complete"] is True

    # Until a record refers to it, the upload belongs to its uploader alone.
    assert server.request("GET", f"/attachments/{sha}", "zhangsan").content == data
    assert server.request("GET", f"/attachments/{sha}", "manager").status_code == 404
    vid = new_id()
    photo = {"sha256": sha, "owner_table": "visits", "owner_id": vid, "kind": "photo", "size": len(data)}
    results = server.push_ok(
        "zhangsan",
        [
            change("visits", vid, visit_fields(zhang)),
            # A path for a name is refused (names never become paths anyway).
            change("attachments", new_id(), {**photo, "original_name": "../../etc/passwd"}),
        ],
    )
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert server.request("GET", f"/attachments/{sha}", "manager").status_code == 404
    server.push_ok("zhangsan", [change("attachments", new_id(), {**photo, "original_name": "田间.jpg"})])
    mine = server.request("GET", f"/attachments/{sha}", "zhangsan")
    assert mine.status_code == 200 and mine.content == data
    assert server.request("GET", f"/attachments/{sha}", "manager").content == data
    other = server.request("GET", f"/attachments/{sha}", "lisi")
    missing = server.request("GET", f"/attachments/{'0' * 64}", "lisi")
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()


@BACKENDS
def test_bytes_that_do_not_match_the_hash_are_discarded(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    data = os.urandom(2 * CHUNK)
    claimed = hashlib.sha256(b"something else").hexdigest()
    answer = upload(server, "zhangsan", data, sha=claimed)
    assert answer.status_code == 422 and answer.json()["error"] == "hash_mismatch"
    assert stored_bytes(server) == 0
    assert server.request("GET", f"/attachments/{claimed}/status", "zhangsan").json()["received"] == 0
    # A re-upload of the right bytes under the right name works afterwards.
    assert upload(server, "zhangsan", b"something else").status_code == 201


@BACKENDS
def test_a_completed_upload_is_idempotent(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    data = b"photo bytes" * 1000
    sha = hashlib.sha256(data).hexdigest()
    assert upload(server, "zhangsan", data).status_code == 201
    again = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=data)
    assert again.status_code == 200 and again.json() == {"received": len(data), "complete": True}
    assert upload(server, "zhangsan", data).status_code == 201
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(uploads)).scalar_one() == 1
        assert conn.execute(select(func.sum(func.length(upload_chunks.c.data)))).scalar_one() == len(data)


@BACKENDS
def test_path_like_and_malformed_names_are_refused(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    for name in ("..%2F..%2Fetc%2Fpasswd", "A" * 64, "abc", "g" * 64, "%2e%2e"):
        for method, path in (
            ("GET", f"/attachments/{name}/status"),
            ("PUT", f"/attachments/{name}?offset=0"),
            ("GET", f"/attachments/{name}"),
        ):
            answer = server.request(method, path, "zhangsan", content=b"x" if method == "PUT" else None)
            assert answer.status_code in (404, 422), (name, method, answer.status_code)
            assert answer.json()["message_en"]
    assert stored_bytes(server) == 0


@BACKENDS
def test_completing_an_empty_upload_is_refused_as_an_empty_file(server: Server) -> None:
    # There is no chunk to send for an empty file; a client that still asks to complete one is told
    # why, not that its upload is unfinished (which it would retry at every sync).
    server.add_user("zhangsan", "commissioner")
    for sha in (hashlib.sha256(b"").hexdigest(), "c" * 64):
        answer = server.request("POST", f"/attachments/{sha}/complete", "zhangsan", json={"size": 0})
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["error"] == "empty_attachment"
        assert (body["message_zh"], body["message_en"]) == (
            "空文件不能作为附件",
            "an empty file cannot be an attachment",
        )
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(uploads)).scalar_one() == 0


@BACKENDS
def test_oversized_chunks_are_refused(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    sha = "b" * 64
    answer = server.request(
        "PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=b"x" * (5 * 1024 * 1024)
    )
    assert answer.status_code == 413 and "limit" in answer.json()["message_en"]
    empty = server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=b"")
    assert empty.status_code == 422
    assert stored_bytes(server) == 0


@BACKENDS
def test_prune_removes_abandoned_uploads_and_old_sessions_but_keeps_the_rest(server: Server) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from sync.server import timeutil
    from sync.server.maintenance import prune
    from sync.server.tables import tokens

    server.add_user("zhangsan", "commissioner")
    done = b"kept" * 100
    assert upload(server, "zhangsan", done).status_code == 201
    fresh, old = "c" * 64, "d" * 64
    for sha in (fresh, old):
        server.request("PUT", f"/attachments/{sha}?offset=0", "zhangsan", content=b"partial")
    long_ago = timeutil.iso(timeutil.now() - timedelta(days=60))
    with server.engine.begin() as conn:
        conn.execute(update(uploads).where(uploads.c.sha256 == old).values(updated_at=long_ago))
        conn.execute(update(tokens).values(expires_at=long_ago))
    assert prune(server.engine) == {
        "tokens": 1,
        "uploads": 1,
        "push_batches": 0,
        "login_attempts": 0,
        "confirm_links": 0,
    }
    with server.engine.connect() as conn:
        assert set(conn.execute(select(uploads.c.sha256)).scalars()) == {
            hashlib.sha256(done).hexdigest(),
            fresh,
        }


def _photo_visit(server: Server, user: str, commissioner: str, sha: str, size: int) -> str:
    vid = new_id()
    server.push_ok(
        user,
        [
            change("visits", vid, visit_fields(commissioner)),
            change(
                "attachments",
                new_id(),
                {
                    "sha256": sha,
                    "owner_table": "visits",
                    "owner_id": vid,
                    "kind": "photo",
                    "size": size,
                    "original_name": "p.jpg",
                },
            ),
        ],
    )
    return vid


@BACKENDS
def test_an_uploader_downloads_their_own_upload_before_any_record_refers_to_it(server: Server) -> None:
    server.add_user("zhangsan", "commissioner")
    server.add_user("lisi", "commissioner")
    server.add_user("manager", "manager")
    server.add_user("bureau", "bureau")
    data = os.urandom(CHUNK + 7)
    sha = hashlib.sha256(data).hexdigest()
    assert upload(server, "zhangsan", data).status_code == 201
    # Their second laptop may fetch it back; nobody else learns anything from knowing the hash.
    assert server.request("GET", f"/attachments/{sha}", "zhangsan").content == data
    for other in ("lisi", "manager", "bureau"):
        answer = server.request("GET", f"/attachments/{sha}", other)
        assert answer.status_code == 404, other


@BACKENDS
def test_downloads_resume_with_http_range(server: Server) -> None:
    zhang = server.add_user("zhangsan", "commissioner")
    server.add_user("manager", "manager")
    data = os.urandom(3 * CHUNK + 11)
    sha = hashlib.sha256(data).hexdigest()
    assert upload(server, "zhangsan", data).status_code == 201
    _photo_visit(server, "zhangsan", zhang, sha, len(data))
    whole = server.request("GET", f"/attachments/{sha}", "manager")
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    # A download cut after 100,000 bytes continues from there, across the stored chunk borders.
    start = 100_000
    rest = server.request("GET", f"/attachments/{sha}", "manager", headers={"Range": f"bytes={start}-"})
    assert rest.status_code == 206, rest.text
    assert rest.headers["content-range"] == f"bytes {start}-{len(data) - 1}/{len(data)}"
    assert rest.content == data[start:]
    middle = server.request("GET", f"/attachments/{sha}", "manager", headers={"Range": "bytes=10-20"})
    assert middle.status_code == 206 and middle.content == data[10:21]
    beyond = server.request("GET", f"/attachments/{sha}", "manager", headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(data)}"
    # A range the server does not understand is answered with the whole file (RFC 9110 allows it).
    odd = server.request("GET", f"/attachments/{sha}", "manager", headers={"Range": "bytes=1-2,5-6"})
    assert odd.status_code == 200 and odd.content == data
