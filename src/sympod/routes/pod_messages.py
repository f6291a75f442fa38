"""Pod message endpoints: suppression, read status, allowed file types."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import messages
from .pod_common import caller, ok


async def suppress(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(messages.suppress(pod, user, request.path_params["message_id"]))


async def status(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(messages.message_status(pod.store, user, request.path_params["message_id"]))


async def allowed_types(request: Request) -> Response:
    await caller(request)
    return ok(list(messages.ALLOWED_EXTENSIONS))


routes: list[Route] = [
    Route("/pod/v1/admin/messagesuppression/{message_id}/suppress", suppress, methods=["POST"]),
    Route("/pod/v1/message/{message_id}/status", status, methods=["GET"]),
    Route("/pod/v1/files/allowedTypes", allowed_types, methods=["GET"]),
]
