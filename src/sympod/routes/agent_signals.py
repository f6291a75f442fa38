"""Signals: ``/agent/v1/signals/*``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import signals
from ..domain.streams import parse_user_id_list
from ..httputil import query_bool, read_json
from .pod_common import caller, json_object, ok, paging, success


async def list_signals(request: Request) -> Response:
    pod, user = await caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=500)
    return ok(signals.list_signals(pod.store, user, skip=skip, limit=limit))


async def get_signal(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(signals.signal_json(signals.get_visible(pod.store, user, request.path_params["signal_id"])))


async def create(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(signals.create(pod.store, user, await json_object(request)))


async def update(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(signals.update(pod.store, user, request.path_params["signal_id"], await json_object(request)))


async def delete(request: Request) -> Response:
    pod, user = await caller(request)
    signals.delete(pod.store, user, request.path_params["signal_id"])
    return success("Signal deleted")


async def _subscription(request: Request, *, subscribe: bool) -> Response:
    pod, user = await caller(request)
    pushed = query_bool(request, "pushed", default=False)
    body = await read_json(request, expect=list, required=False)
    user_ids = parse_user_id_list(body) if body is not None else [user["user_id"]]
    return ok(signals.change_subscriptions(
        pod.store, user, request.path_params["signal_id"], user_ids, subscribe=subscribe, pushed=pushed,
    ))  # fmt: skip


async def subscribe(request: Request) -> Response:
    return await _subscription(request, subscribe=True)


async def unsubscribe(request: Request) -> Response:
    return await _subscription(request, subscribe=False)


async def subscribers(request: Request) -> Response:
    pod, user = await caller(request)
    skip, limit = paging(request, default_limit=100, max_limit=1000)
    return ok(signals.subscribers(pod.store, user, request.path_params["signal_id"], skip=skip, limit=limit))


routes: list[Route] = [
    Route("/agent/v1/signals/list", list_signals, methods=["GET"]),
    Route("/agent/v1/signals/create", create, methods=["POST"]),
    Route("/agent/v1/signals/{signal_id}/get", get_signal, methods=["GET"]),
    Route("/agent/v1/signals/{signal_id}/update", update, methods=["POST"]),
    Route("/agent/v1/signals/{signal_id}/delete", delete, methods=["POST"]),
    Route("/agent/v1/signals/{signal_id}/subscribe", subscribe, methods=["POST"]),
    Route("/agent/v1/signals/{signal_id}/unsubscribe", unsubscribe, methods=["POST"]),
    Route("/agent/v1/signals/{signal_id}/subscribers", subscribers, methods=["GET"]),
]
