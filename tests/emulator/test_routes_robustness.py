"""Every pod/agent route answers garbage with a 4xx ``{code, message}``, never a 500.

Each served route gets real ids in its path (so the handler runs past the lookups) and then: a body
that is not JSON, JSON of every wrong top-level type, objects with wrongly typed fields, and
out-of-range paging parameters.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .podclient import PodClient
from .spec_validation import make_world
from .test_spec_routes import served_operations

NESTED_FIELDS = ("id", "userId", "name", "query", "message", "category", "status", "streamTypes", "filters",
                 "content", "userAttributes", "image")  # fmt: skip
BAD_BODIES: list[bytes] = [
    b"{not json",
    b"\xff\xfe garbage",
    b'"a string"',
    b"42",
    b"null",
    b"[]",
    b"[{}]",
    b'[null, true, "x"]',
    b"{}",
    json.dumps({name: {"nested": True} for name in NESTED_FIELDS}).encode(),
    json.dumps(
        {"id": True, "userId": -1, "name": "", "query": 7, "category": None, "pinnedMessageId": 3}
    ).encode(),
]
BAD_QUERIES = ["skip=-1", "limit=0", "limit=abc", "since=yesterday", "active=perhaps", "local=2"]


def _fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("uid", "userId"):
            return ids["user"]
        if name == "message_id":
            return ids["message"]
        if name in ("room_id",):
            return ids["room"]
        if name == "signal_id":
            return ids["signal"]
        if name == "feed_id":
            return ids["feed"]
        return ids["stream"]

    return re.sub(r"\{([^}]+)\}", value, path)


def _assert_client_error(method: str, path: str, reply: Any) -> None:
    assert reply.status < 500, f"{method} {path} → {reply.status}: {reply.body[:300]!r}"
    if reply.status >= 400:
        error = json.loads(reply.body)
        assert error["code"] == reply.status and isinstance(error["message"], str) and error["message"], error


def test_no_route_answers_garbage_with_a_server_error(pod: Any) -> None:
    world = make_world(pod)
    client: PodClient = world.admin.client  # an admin reaches the handlers of admin routes too
    alice = world.alice_user["userId"]
    im = client.request("POST", "/pod/v1/im/create", json_body=[alice]).json["id"]
    room = client.request("POST", "/pod/v3/room/create", json_body={"name": "R"}).json["roomSystemInfo"]["id"]
    sent = client.request("POST", f"/agent/v4/stream/{im}/message/create", fields={"message": "m"}).json
    signal = client.request(
        "POST", "/agent/v1/signals/create", json_body={"name": "s", "query": "HASHTAG:a"}
    ).json
    feed = client.request("POST", "/pod/v1/presence/feed/create").json["id"]
    ids = {"user": str(alice), "stream": im, "room": room, "message": sent["messageId"]}
    ids.update(signal=signal["id"], feed=feed)
    checked = 0
    for (method, _template), route_path in sorted(served_operations().items()):
        path = _fill(route_path, ids)
        for query in BAD_QUERIES:
            reply = client.request(
                method, f"{path}?{query}", body=b"{}", headers={"Content-Type": "application/json"}
            )
            _assert_client_error(method, f"{path}?{query}", reply)
            checked += 1
        if method != "POST":
            continue
        for body in BAD_BODIES:
            reply = client.request(method, path, body=body, headers={"Content-Type": "application/json"})
            _assert_client_error(method, f"{path} {body[:40]!r}", reply)
            checked += 1
        reply = client.request(method, path, fields={"message": ("message", b"\xff\xfe"), "sids": "x,,"})
        _assert_client_error(method, f"{path} multipart", reply)
    assert checked > 500
