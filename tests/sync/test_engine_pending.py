"""A push batch kept in meta until its answer is applied: read back as it was sent, in either form."""

import json

from sync.client import SyncClient
from sync.engine import SyncEngine, _stored_text, stored_batch
from sync.pusher import _stored_value


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
    ready = SyncClient.prepare_body(body)
    kept = _stored_value(big, body, ready)
    assert ready.encoding == "gzip" and isinstance(kept, bytes) and kept.endswith(ready.data)
    assert len(kept) < len(body) / 3
    assert stored_batch(kept) == big
    # A small batch is sent, and kept, as it is.
    small = _stored_value(
        batch(), json.dumps(SyncEngine._request_of(batch())).encode(), SyncClient.prepare_body(b"{}")
    )
    assert isinstance(small, str) and stored_batch(small) == batch()
