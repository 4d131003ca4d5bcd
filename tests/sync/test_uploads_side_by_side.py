"""Two commissioners with the same photo (taken from a colleague's phone) sync at the same time:
one's upload finishes while the other is still sending it. The other had sent every byte beside it
(sync/server/attachments._stage), was told at completion that the server held none of them (the
file being stored, they must prove they hold it, from byte 0), and the sync stopped there with a
conflict nothing caught: the visit and everything after it waited for the next sync."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PIL import Image

from commissioner_app.attachments import add_attachment
from sync import protocol, report
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect
from tests.sync.harness import PASSWORD, Server, running_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as s:
        yield s


def test_a_photo_stored_by_a_colleague_meanwhile_is_proved_in_the_same_sync(server, tmp_path, monkeypatch):
    zhang_id, li_id = str(uuid.uuid4()), str(uuid.uuid4())
    server.add_user("zhangsan", commissioner_id=zhang_id)
    server.add_user("lisi", commissioner_id=li_id)
    photo = tmp_path / "rice.jpg"
    # A picture of noise: a JPEG of about 140 KB, as the 150 KB of random bytes before (a photo's file
    # must be a picture now).
    Image.frombytes("RGB", (400, 300), random.Random(5).randbytes(400 * 300 * 3)).save(
        photo, "JPEG", quality=95
    )
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()

    li = commissioner_store(tmp_path / "li", li_id, "李四")
    rng = random.Random(1)
    visit = add_visit(li, rng, add_target(li, rng), "李四的走访", children=False)
    add_attachment(li, photo, "visits", visit.id, kind="photo")
    li_sync = connect(li, server.url, "lisi", chunk_size=64 * 1024)

    # Zhangsan's upload of the same photo is under way (from his laptop, by hand here).
    api = f"{server.url}{protocol.API_PREFIX}"
    login = requests.post(
        f"{api}/auth/login",
        json={"username": "zhangsan", "password": PASSWORD, "device_id": "zhang-laptop"},
        headers={protocol.PROTOCOL_HEADER: str(protocol.PROTOCOL_VERSION)},
        timeout=10,
    )
    headers = {
        "Authorization": f"Bearer {login.json()['token']}",
        protocol.PROTOCOL_HEADER: str(protocol.PROTOCOL_VERSION),
    }
    data = photo.read_bytes()
    first = requests.put(f"{api}/attachments/{sha}?offset=0", data=data[:1000], headers=headers, timeout=10)
    assert first.status_code == 200

    sent = 0

    def zhang_finishes_as_li_sends_his_last_chunk(name: str) -> None:
        nonlocal sent
        if name != "upload_chunk_sent":
            return
        sent += 1
        if sent == 3:  # li's three chunks are all at the server, kept apart from zhang's upload
            rest = requests.put(
                f"{api}/attachments/{sha}?offset=1000", data=data[1000:], headers=headers, timeout=10
            )
            assert rest.status_code == 200
            done = requests.post(
                f"{api}/attachments/{sha}/complete", json={"size": len(data)}, headers=headers, timeout=10
            )
            assert done.status_code == 201

    monkeypatch.setattr(report, "checkpoint_hook", zhang_finishes_as_li_sends_his_last_chunk)
    result = li_sync.sync()
    assert sent > 3 and result.attachments_uploaded == 1 and result.rejected == 0
    assert li.waiting_to_sync() == 0  # the visit and its photo went in this sync
    assert server.uploads() == {sha: True}
