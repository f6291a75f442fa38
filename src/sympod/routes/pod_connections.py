"""Connections: ``/pod/v1/connection/*``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import connections
from ..errors import ApiError
from .pod_common import caller, json_object, ok, path_user_id, success, user_id_from


async def _target(request: Request) -> int:
    return user_id_from((await json_object(request)).get("userId"), "userId")


async def create(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(connections.create(pod, user, await _target(request)))


async def accept(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(connections.accept(pod, user, await _target(request)))


async def reject(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(connections.reject(pod, user, await _target(request)))


async def info(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(connections.info(pod.store, user, path_user_id(request, "uid")))


async def list_connections(request: Request) -> Response:
    pod, user = await caller(request)
    status = (request.query_params.get("status") or "ALL").upper()
    raw_ids = request.query_params.get("userIds")
    user_ids = None
    if raw_ids:
        parts = [part.strip() for part in raw_ids.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise ApiError(
                400, f"Query parameter 'userIds' must be comma-separated user ids, got {raw_ids!r}"
            )
        user_ids = [int(part) for part in parts]
    return ok(connections.list_connections(pod.store, user, status, user_ids))


async def remove(request: Request) -> Response:
    pod, user = await caller(request)
    other = path_user_id(request, "uid")
    connections.remove(pod.store, user, other)
    return success(f"Connection with user {other} removed")


routes: list[Route] = [
    Route("/pod/v1/connection/create", create, methods=["POST"]),
    Route("/pod/v1/connection/accept", accept, methods=["POST"]),
    Route("/pod/v1/connection/reject", reject, methods=["POST"]),
    Route("/pod/v1/connection/list", list_connections, methods=["GET"]),
    Route("/pod/v1/connection/user/{uid}/info", info, methods=["GET"]),
    Route("/pod/v1/connection/user/{uid}/remove", remove, methods=["POST"]),
]
