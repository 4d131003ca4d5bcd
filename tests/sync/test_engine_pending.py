"""A push batch kept in meta until its answer is applied: read back as it was sent, in either form."""

import json

from sync.engine import SyncEngine, _stored_text, stored_batch


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
