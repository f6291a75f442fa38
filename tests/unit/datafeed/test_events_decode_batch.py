"""Batch decoding of datafeed reads: one typed call per body, exact ``raw`` cut lazily from it,
event-by-event fallback when the typed batch fails, payload records kept out of the GC."""

from __future__ import annotations

import gc
import json
import threading
import weakref

import pytest

from sym_api_client_python.core.errors import UnexpectedResponseError
from sym_api_client_python.core.models import events as events_module
from sym_api_client_python.core.models.events import decode_v4_read, decode_v5_read

from .helpers import event


def _forbid_per_event_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    def per_event(raw: object) -> None:
        raise AssertionError("a well-typed batch must be decoded in one typed call")

    monkeypatch.setattr(events_module, "decode_event", per_event)


def test_v5_batch_is_decoded_in_one_typed_call_and_raw_follows_null_holes(monkeypatch):
    _forbid_per_event_decode(monkeypatch)
    first, second = event("e1", "S1", text="caf\u00e9 \\u00e9"), event("e2", "S2")
    second["futureField"] = [1, {"deep": None}]
    # nulls before, between and after: each event must get its own slice of the body
    body = json.dumps({"ackId": "A", "events": [None, first, None, second, None]}, indent=1)
    events, ack = decode_v5_read(body.encode())
    assert ack == "A" and [e.id for e in events] == ["e1", "e2"]
    assert [e.stream_id for e in events] == ["S1", "S2"]
    assert events[1].raw == second and events[0].raw == first  # any order of first use


def test_v1_array_is_decoded_in_one_typed_call_with_exact_raw(monkeypatch):
    _forbid_per_event_decode(monkeypatch)
    raws = [event("a"), None, event("b", "S9")]
    events = decode_v4_read(json.dumps(raws).encode())
    assert [e.id for e in events] == ["a", "b"] and events[1].raw == raws[2]


def test_raw_is_not_cut_from_the_body_until_asked_then_cut_once_for_the_batch():
    events, _ = decode_v5_read(json.dumps({"events": [event("a"), event("b")]}).encode())
    assert all("_raw_dict" not in e.__dict__ and "_raw_json" not in e.__dict__ for e in events)
    shared = events[0].__dict__["_raw_batch"]
    assert events[1].__dict__["_raw_batch"] is shared and shared.events is None
    assert events[1].raw["id"] == "b"
    assert shared.events is not None and shared.body is None  # split once, body released
    assert events[0].raw["id"] == "a" and events[0].raw is events[0].raw  # cached


def test_one_badly_typed_event_falls_back_to_per_event_decoding_keeping_the_others_typed():
    bad = {"id": "bad", "type": "ROOMCREATED", "timestamp": "yesterday"}
    body = json.dumps({"events": [event("a"), bad, None, event("b")], "ackId": "A"}).encode()
    events, ack = decode_v5_read(body)
    assert ack == "A" and [e.id for e in events] == ["a", "bad", "b"]
    assert events[0].payload is not None and events[2].stream_id == "s1"
    assert events[1].payload is None and events[1].raw == bad and events[2].raw == event("b")


@pytest.mark.parametrize(
    "body",
    [b'{"events": [], "ackId": 5}', b'{"events": {"a": 1}}', b"[1, 2", b'"text"'],
)
def test_a_body_that_is_not_a_read_answer_is_still_an_sdk_error(body):
    with pytest.raises(UnexpectedResponseError):
        decode_v5_read(body)


def _check_raw_from_threads(events: list, raws: list[dict]) -> list[bool]:
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def check(part: int) -> None:
        barrier.wait()  # all four ask for raw at once: concurrent first use of the batch
        results.append(all(events[i].raw == raws[i] for i in range(part, len(raws), 4)))

    threads = [threading.Thread(target=check, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_raw_of_one_batch_used_from_many_threads_is_right_everywhere():
    raws = [event(f"e{i}", f"S{i % 3}", text=f"t{i}") for i in range(200)]
    for _ in range(20):
        events, _ = decode_v5_read(json.dumps({"events": raws}).encode())
        assert _check_raw_from_threads(events, raws) == [True] * 4


def test_payload_records_are_not_tracked_by_the_cycle_collector():
    (ev,) = decode_v4_read(json.dumps([event("a")]).encode())
    assert not gc.is_tracked(ev.__dict__)  # where raw's source is kept: no GC work per event
    payload = ev.payload
    assert payload is not None and payload.message_sent is not None
    for record in (ev.initiator, payload, payload.message_sent, payload.message_sent.message):
        assert not gc.is_tracked(record), type(record).__name__


def test_rest_models_can_still_extend_the_user_model_with_a_dict():
    from sym_api_client_python.core.models.rest import MessageStatusUser

    user = MessageStatusUser(user_id=1)
    assert user.user_id == 1 and user.raw == {"userId": 1}


def test_a_cycle_made_through_an_untracked_event_is_still_collected():
    (ev,) = decode_v4_read(json.dumps([event("a")]).encode())
    assert not gc.is_tracked(ev)
    ev.raw["back"] = ev  # the raw dict handed out now points back at its event
    marker = _Marker()
    ev.raw["marker"] = marker
    probe = weakref.ref(marker)
    del ev, marker
    gc.collect()
    assert probe() is None


class _Marker:
    pass
