"""Typed event decoding: lenient, raw dict kept, null and malformed events tolerated."""

from __future__ import annotations

import json

from sym_api_client_python.core.models.events import (
    EventType,
    V4SymphonyElementsAction,
    decode_v4_read,
    decode_v5_read,
)

from .helpers import event


def test_v5_batch_decodes_typed_events_and_keeps_raw_dicts():
    raw = event("e1", "S1", text="hello")
    raw["futureField"] = {"x": 1}
    events, ack = decode_v5_read(json.dumps({"events": [raw], "ackId": "A"}).encode())
    assert ack == "A"
    (ev,) = events
    assert ev.type == EventType.MESSAGESENT and ev.stream_id == "S1" and ev.initiator_user_id == 7
    assert ev.payload.message_sent.message.message.endswith("<p>hello</p></div>")
    assert ev.raw == raw  # exact server JSON, unknown fields included


def test_null_events_and_bad_field_types_never_cost_the_batch():
    bad = {"id": "e2", "type": "ROOMCREATED", "timestamp": "yesterday", "payload": {"roomCreated": 5}}
    body = json.dumps({"events": [None, event("e1"), bad], "ackId": "A"}).encode()
    events, _ = decode_v5_read(body)
    assert [e.id for e in events] == ["e1", "e2"]
    assert events[1].payload is None and events[1].raw["timestamp"] == "yesterday"


def test_v1_bare_array_and_empty_body():
    assert decode_v4_read(b"") == []
    assert [e.id for e in decode_v4_read(json.dumps([event("a"), event("b")]).encode())] == ["a", "b"]


def test_elements_form_values_accept_lists_and_numbers():
    raw = {
        "id": "f",
        "type": "SYMPHONYELEMENTSACTION",
        "payload": {
            "symphonyElementsAction": {
                "stream": {"streamId": "S"},
                "formId": "order",
                "formMessageId": "M",
                "formValues": {"action": "submit", "qty": 3, "tags": ["a", "b"]},
            }
        },
    }
    (ev,) = decode_v4_read(json.dumps([raw]).encode())
    part = ev.payload_part
    assert isinstance(part, V4SymphonyElementsAction)
    assert part.form_values == {"action": "submit", "qty": 3, "tags": ["a", "b"]} and ev.stream_id == "S"
