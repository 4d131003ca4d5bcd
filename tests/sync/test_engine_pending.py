"""A push batch kept in meta until its answer is applied: read back as it was sent, in either form."""

import json
import random
import uuid

import pytest

from commissioner_app.domain import Visit
from sync.client import PreparedBody, prepare_body
from sync.engine import META_PENDING_BATCH, SyncEngine, _stored_text, stored_batch
from sync.errors import OfflineError
from sync.pusher import _stored_value
from tests.sync.fieldwork import add_target, add_visit, commissioner_store, connect, reconnect


def batch() -> dict:
    return {
        "batch_id": "b-1",
        "device_id": "laptop",
        "client_time": "2026-11-30T08:00:00+00:00",
        "changes": [
            {
                "table": "visits",
                "id": "v-1",
                "base_rev": 0,
                "deleted": False,
                "fields": {"content": "指导陈皮仓储防霉", "people_trained": 20},
            }
        ],
        "queued": 1764489600000000000,
        "snapshot": {"visits/v-1": "2026-11-30T08:00:00.000+08:00"},
    }


def test_a_kept_batch_holds_the_request_exactly_as_sent_and_reads_back_whole():
    body = json.dumps(SyncEngine._request_of(batch()), ensure_ascii=False, separators=(",", ":"))
    text = _stored_text(batch(), body)
    assert f'"request":{body}' in text  # replayed byte for byte
    assert stored_batch(text) == batch()


def test_a_batch_kept_by_an_earlier_version_is_read_as_it_was():
    earlier = {k: v for k, v in batch().items() if k != "queued"}  # the batch itself, as JSON
    assert stored_batch(json.dumps(earlier, ensure_ascii=False)) == earlier


def test_a_batch_sent_compressed_is_kept_compressed_and_reads_back_whole():
    """A batch of 500 records is about 400 KB of JSON: it is kept as the gzip bytes it is sent as
    (written to the laptop's disk once per batch), and read back as the same batch after a crash."""
    big = batch()
    big["changes"] = big["changes"] * 40  # over the size that is sent compressed
    body = json.dumps(SyncEngine._request_of(big), ensure_ascii=False, separators=(",", ":")).encode()
    ready = prepare_body(body)
    kept = _stored_value(big, body, ready)
    assert ready.encoding == "gzip" and isinstance(kept, bytes) and kept.endswith(ready.data)
    assert len(kept) < len(body) / 3
    assert stored_batch(kept) == big
    # A small batch is sent, and kept, as it is.
    small = _stored_value(batch(), json.dumps(SyncEngine._request_of(batch())).encode(), prepare_body(b"{}"))
    assert isinstance(small, str) and stored_batch(small) == batch()


def _answer_lost(shared_server, tmp_path, seed, sent_compressed=True):  # type: ignore[no-untyped-def]
    """A commissioner's six visits pushed, the answer lost on the way back: (commissioner id, store,
    engine, visits), the batch kept in meta and the engine's client as it was."""
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"wang{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "laptop", cid)
    engine = connect(store, shared_server.url, name)
    if sent_compressed:
        # As to a server on another computer (this one is on this computer: see prepare_body).
        engine.client.prepare_body = lambda text: prepare_body(text, compress=True)  # type: ignore[method-assign]
    rng = random.Random(seed)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{k}次") for k in range(6)]
    real_push = engine.client.push

    def answer_lost(request, encoded=None):  # type: ignore[no-untyped-def]
        real_push(request, encoded)
        raise OfflineError("connection cut before the answer arrived")

    engine.client.push = answer_lost  # type: ignore[method-assign]
    with pytest.raises(OfflineError):
        engine.sync()
    engine.client.push = real_push  # type: ignore[method-assign]
    return cid, store, engine, visits


@pytest.mark.parametrize("sent_compressed", [True, False], ids=["sent compressed", "sent as it is"])
def test_a_batch_kept_compressed_is_replayed_with_the_bytes_kept(shared_server, tmp_path, sent_compressed):
    """After an answer is lost, the batch goes again byte for byte as it was kept: the kept gzip
    request itself, not the batch decoded and encoded anew (which only costs time, and could differ
    from what the server stored under that batch id if the encoder ever changed). A batch sent as it
    is (to a server on this computer) is kept compressed all the same, the same JSON inside."""
    cid, store, engine, visits = _answer_lost(shared_server, tmp_path, 7, sent_compressed)
    real_push = engine.client.push
    kept = store.get_meta_value(META_PENDING_BATCH)
    assert isinstance(kept, bytes)  # kept compressed
    sent: list = []

    def watched(request, encoded=None):  # type: ignore[no-untyped-def]
        sent.append(encoded)
        return real_push(request, encoded)

    engine.client.push = watched  # type: ignore[method-assign]
    report = engine.sync()
    assert sent and isinstance(sent[0], PreparedBody) and sent[0].encoding == "gzip"
    assert kept.endswith(sent[0].data)  # the kept request, as it was
    assert report.rejected == 0 and store.get_meta_value(META_PENDING_BATCH) is None
    assert {("visits", v.id) for v in visits} <= set(shared_server.records(cid))  # applied once, nothing lost


def _damaged(kept: bytes | str, how: str) -> bytes | str:
    if how == "cut short":
        return kept[: len(kept) // 2]
    if how == "a byte changed":
        at = len(kept) - 20  # inside the gzip stream (or the JSON text)
        if isinstance(kept, bytes):
            return kept[:at] + bytes([kept[at] ^ 0xFF]) + kept[at + 1 :]
        return kept[:at] + "\x00" + kept[at + 1 :]
    # "no batch in it": the compressed form's first line alone; JSON text that holds no batch
    return kept.split(b"\n")[0] if isinstance(kept, bytes) else '{"queued": 1, "snapshot": {}}'


@pytest.mark.parametrize("how", ["cut short", "a byte changed", "no batch in it"])
@pytest.mark.parametrize("form", ["compressed", "as text"])
def test_a_damaged_kept_batch_is_dropped_with_a_message_and_its_records_sent_again(
    shared_server, tmp_path, how, form
):
    """A batch kept in meta that no longer reads (a disk fault, an interrupted write) must not stop
    every sync from then on: it is dropped, the person is told, and its records, still waiting on
    this computer, go in this sync; the server keeps each of them once."""
    cid, store, engine, visits = _answer_lost(shared_server, tmp_path, seed=11)
    kept = store.get_meta_value(META_PENDING_BATCH)
    assert isinstance(kept, bytes)
    if form == "as text":  # as a small batch is kept, and as earlier versions kept every batch
        batch = stored_batch(kept)
        kept = _stored_text(batch, json.dumps(SyncEngine._request_of(batch), ensure_ascii=False))
    store.set_meta(META_PENDING_BATCH, _damaged(kept, how))

    report = engine.sync()
    assert any("损坏" in p.text("zh_CN") and "damaged" in p.text("en") for p in report.problems)
    assert store.get_meta_value(META_PENDING_BATCH) is None
    assert report.rejected == 0 and report.conflicts == 0
    on_server = shared_server.records(cid)
    assert {("visits", v.id) for v in visits} <= set(on_server)
    assert store.db.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0] == 0
    assert engine.sync().problems == []  # the next sync goes as usual


def test_after_a_sync_cut_before_its_pull_ones_own_push_is_not_downloaded_again(shared_server, tmp_path):
    """A push answered, then the link lost before the pull: the next sync must not download the
    records this computer just sent (on a slow rural link, thousands of them for nothing)."""
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"wang{uuid.uuid4().hex[:8]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "laptop", cid)
    engine = connect(store, shared_server.url, name, batch_size=7)
    rng = random.Random(5)
    target = add_target(store, rng)
    visits = [add_visit(store, rng, target, f"第{k}次") for k in range(12)]
    real_pull = engine.client.pull

    def link_lost(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OfflineError("the link went before the pull")

    engine.client.pull = link_lost  # type: ignore[method-assign]
    with pytest.raises(OfflineError):
        engine.sync()
    assert store.db.execute("SELECT count(*) FROM visits WHERE dirty = 1").fetchone()[0] == 0  # all sent
    engine = reconnect(store, batch_size=7)  # a new sync, as after restarting the application
    own = {v.id for v in visits}
    downloaded: list[str] = []
    real_pull = engine.client.pull

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        answer = real_pull(*args, **kwargs)
        downloaded.extend(c["id"] for c in answer["changes"])
        return answer

    engine.client.pull = watched  # type: ignore[method-assign]
    report = engine.sync()
    assert report.problems == [] and not own & set(downloaded)
    assert {("visits", v) for v in own} <= set(shared_server.records(cid))
    # Another computer's edit of one of them still comes down.
    other = commissioner_store(tmp_path / "other", cid)
    other_engine = connect(other, shared_server.url, name)
    other_engine.sync()
    edited = other.require(Visit, visits[0].id)
    edited.content = "另一台电脑上补充的服务内容"
    other.save_visit(edited)
    other_engine.sync()
    engine.sync()
    assert store.require(Visit, visits[0].id).content == "另一台电脑上补充的服务内容"
