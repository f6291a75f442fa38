"""Pod message endpoints: suppression, read status, allowed file types."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import message_ops, messages
from ..httputil import query_int, query_limit
from .pod_common import admin_caller, caller, ok, time_window


async def suppress(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(messages.suppress(pod, user, request.path_params["message_id"]))


async def status(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(messages.message_status(pod.store, user, request.path_params["message_id"]))


async def allowed_types(request: Request) -> Response:
    await caller(request)
    return ok(list(messages.ALLOWED_EXTENSIONS))


async def receipts(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(message_ops.receipts(pod.store, request.path_params["message_id"]))


async def relationships(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(message_ops.relationships(pod.store, request.path_params["message_id"]))


async def message_ids(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    since, to = time_window(request)
    limit = query_limit(request, default=50, maximum=500)
    offset = query_int(request, "offset", default=0, minimum=0)
    assert offset is not None
    return ok(message_ops.stream_message_ids(
        pod.store, request.path_params["sid"], since=since, to=to, limit=limit, offset=offset,
    ))  # fmt: skip


routes: list[Route] = [
    Route("/pod/v1/admin/messagesuppression/{message_id}/suppress", suppress, methods=["POST"]),
    Route("/pod/v1/message/{message_id}/status", status, methods=["GET"]),
    Route("/pod/v1/files/allowedTypes", allowed_types, methods=["GET"]),
    Route("/pod/v1/admin/messages/{message_id}/receipts", receipts, methods=["GET"]),
    Route("/pod/v1/admin/messages/{message_id}/metadata/relationships", relationships, methods=["GET"]),
    Route("/pod/v2/admin/streams/{sid}/messageIds", message_ids, methods=["GET"]),
]
