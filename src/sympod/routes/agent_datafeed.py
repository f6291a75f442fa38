"""Datafeed v1 (``/agent/v4/datafeed``) and v2 (``/agent/v5/datafeeds``) with long-polling reads.

v1: create → ``{id}``; read removes what it returns (200 array, or 204 after the long-poll).
v2: events handed to a read are leased under its new ``ackId``; the next read carrying that
``ackId`` acknowledges (deletes) them, otherwise they are redelivered once the lease
(``ack_timeout_s``) runs out. Several readers of one feed share its events: each event goes to
one reader at a time, which is how bot instances scale out on one feed.
Unknown feeds answer 400 "Could not find a datafeed with the id ..." (the legacy SDK recreates
its feed on that text; BDK recreates on any 400).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..auth import current_user
from ..errors import ApiError
from ..httputil import field, query_limit, read_json
from ..ids import new_ack_id, now_ms
from ..jsonfast import RawJSONResponse, encode
from ..state import PodState, get_pod

MAX_TAG_LENGTH = 100


def _json_array(event_texts: list[bytes], prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """``prefix``, the queued events (JSON encoded once, when queued) as one JSON array, then
    ``suffix``: one join into one buffer. Gluing the brackets on with ``+`` instead copied the
    whole body once per ``+``, into fresh pages each time, and cost 30 times as much."""
    parts = list(event_texts) or [b""]
    parts[0] = prefix + b"[" + parts[0]
    parts[-1] += b"]" + suffix
    return b",".join(parts)


def _feed_or_400(pod: PodState, feed_id: str, user: dict[str, Any], version: int) -> dict[str, Any]:
    feed = pod.store.get_datafeed(feed_id)
    if feed is None or feed["user_id"] != user["user_id"] or feed["version"] != version:
        raise ApiError(400, f"Could not find a datafeed with the id: {feed_id}")
    return feed


def _expire_idle_feeds(pod: PodState, user_id: int) -> None:
    """Drop this user's feeds unread for longer than the idle TTL (real pods: 30 minutes)."""
    cutoff = now_ms() - int(pod.settings.feed_idle_ttl_s * 1000)
    for feed in pod.store.list_datafeeds(user_id):
        if (feed["last_read_at"] or feed["created_at"]) < cutoff:
            pod.store.delete_datafeed(feed["feed_id"])


async def _wait_for_events(pod: PodState, feed_id: str, deadline: float, waiter: asyncio.Event) -> None:
    """Sleep until the feed is notified, a v2 lease runs out, or the deadline passes."""
    timeout = deadline - time.monotonic()
    soonest_lease = pod.store.next_lease_expiry(feed_id)
    if soonest_lease is not None:
        timeout = min(timeout, max(0.0, (soonest_lease - now_ms()) / 1000) + 0.005)
    if timeout <= 0:
        return
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(waiter.wait(), timeout)


# ---------------------------------------------------------------------------------------------- v1
async def v1_create(request: Request) -> JSONResponse:
    user = await current_user(request)
    pod = get_pod(request)
    _expire_idle_feeds(pod, user["user_id"])
    feed = pod.store.create_datafeed(user["user_id"], 1)
    return JSONResponse({"id": feed["feed_id"]})


async def v1_read(request: Request) -> Response:
    user = await current_user(request)
    pod = get_pod(request)
    feed_id = request.path_params["feed_id"]
    limit = query_limit(request, default=pod.settings.read_batch_size, maximum=10_000)
    _feed_or_400(pod, feed_id, user, 1)
    deadline = time.monotonic() + pod.settings.long_poll_s
    while True:
        waiter = pod.hub.waiter(feed_id)
        events = pod.store.take_events_v1_json(feed_id, limit)
        if events:
            pod.store.touch_datafeed(feed_id)
            return RawJSONResponse(_json_array(events), background=BackgroundTask(pod.after_feed_read))
        if pod.closing or time.monotonic() >= deadline:
            pod.store.touch_datafeed(feed_id)
            return Response(status_code=204, background=BackgroundTask(pod.after_feed_read))
        await _wait_for_events(pod, feed_id, deadline, waiter)
        _feed_or_400(pod, feed_id, user, 1)  # deleted or reset while waiting


# ---------------------------------------------------------------------------------------------- v2
def _v5_datafeed(feed: dict[str, Any]) -> dict[str, Any]:
    return {"id": feed["feed_id"], "createdAt": feed["created_at"]}


async def v2_list(request: Request) -> JSONResponse:
    user = await current_user(request)
    pod = get_pod(request)
    tag = request.query_params.get("tag") or None
    feeds = pod.store.list_datafeeds(user["user_id"], version=2, tag=tag)
    return JSONResponse([_v5_datafeed(feed) for feed in feeds])


async def v2_create(request: Request) -> JSONResponse:
    user = await current_user(request)
    pod = get_pod(request)
    body = await read_json(request, required=False) or {}
    tag = field(body, "tag", str, default=None)
    if tag is not None and len(tag) > MAX_TAG_LENGTH:
        raise ApiError(400, f"Field 'tag' must be at most {MAX_TAG_LENGTH} characters, got {len(tag)}")
    field(body, "includeInvisible", bool, default=False)
    _expire_idle_feeds(pod, user["user_id"])
    if len(pod.store.list_datafeeds(user["user_id"], version=2)) >= pod.settings.max_feeds_per_user:
        raise ApiError(
            403,
            f"Too many datafeeds: at most {pod.settings.max_feeds_per_user} may be active; "
            "delete unused ones",
        )
    feed = pod.store.create_datafeed(user["user_id"], 2, tag=tag)
    return JSONResponse(_v5_datafeed(feed), status_code=201)


async def v2_delete(request: Request) -> Response:
    user = await current_user(request)
    pod = get_pod(request)
    feed_id = request.path_params["feed_id"]
    feed = pod.store.get_datafeed(feed_id)
    if feed is not None and feed["user_id"] == user["user_id"] and feed["version"] == 2:
        pod.store.delete_datafeed(feed_id)
        pod.hub.notify([feed_id])
    # 204 even when the feed is already gone: BDK deletes before recreating a stale feed
    return Response(status_code=204)


async def v2_read(request: Request) -> Response:
    user = await current_user(request)
    pod = get_pod(request)
    feed_id = request.path_params["feed_id"]
    body = await read_json(request, required=False) or {}
    ack_id = field(body, "ackId", str, default="")
    field(body, "updatePresence", bool, default=True)
    _feed_or_400(pod, feed_id, user, 2)
    pod.store.ack_events_v2(feed_id, ack_id)
    lease_ms = int(pod.settings.ack_timeout_s * 1000)
    deadline = time.monotonic() + pod.settings.long_poll_s
    while True:
        waiter = pod.hub.waiter(feed_id)
        new_ack = new_ack_id()
        events = pod.store.lease_events_v2_json(feed_id, new_ack, pod.settings.read_batch_size, lease_ms)
        if events or pod.closing or time.monotonic() >= deadline:
            pod.store.touch_datafeed(feed_id)
            # always 200 with an object: the legacy SDK calls .get("ackId") on the body
            body = _json_array(events, b'{"events":', b',"ackId":' + encode(new_ack) + b"}")
            return RawJSONResponse(body, background=BackgroundTask(pod.after_feed_read))
        await pod.after_feed_read()  # the ack's writes need not wait for the long poll to end
        await _wait_for_events(pod, feed_id, deadline, waiter)
        _feed_or_400(pod, feed_id, user, 2)


routes = [
    Route("/agent/v4/datafeed/create", v1_create, methods=["POST"]),
    Route("/agent/v4/datafeed/{feed_id}/read", v1_read, methods=["GET"]),
    Route("/agent/v5/datafeeds", v2_list, methods=["GET"]),
    Route("/agent/v5/datafeeds", v2_create, methods=["POST"]),
    Route("/agent/v5/datafeeds/{feed_id}", v2_delete, methods=["DELETE"]),
    Route("/agent/v5/datafeeds/{feed_id}/read", v2_read, methods=["POST"]),
]
