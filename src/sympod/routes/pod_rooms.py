"""Rooms: ``/pod/v3/room/*`` and ``/pod/v1|v2/room/{id}/...`` (membership, activation)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import rooms
from ..errors import ApiError
from ..httputil import query_bool
from .pod_common import admin_caller, caller, json_object, ok, paging, success, user_id_from


async def create_room(request: Request) -> Response:
    pod, user = await caller(request)
    room = rooms.create_room(pod, user, await json_object(request))
    return ok(rooms.room_detail(room))


async def room_info(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(rooms.room_detail(rooms.visible_room(pod.store, request.path_params["room_id"], user)))


async def update_room(request: Request) -> Response:
    pod, user = await caller(request)
    room = rooms.update_room(pod, user, request.path_params["room_id"], await json_object(request))
    return ok(rooms.room_detail(room))


async def set_active(request: Request) -> Response:
    pod, user = await caller(request)
    if request.query_params.get("active") is None:
        raise ApiError(400, "Query parameter 'active' is required (true or false)")
    active = query_bool(request, "active", default=True)  # L sends Python's True/False
    return ok(rooms.set_active(pod, user, request.path_params["room_id"], active))


async def admin_set_active(request: Request) -> Response:
    pod, user = await admin_caller(request)
    if request.query_params.get("active") is None:
        raise ApiError(400, "Query parameter 'active' is required (true or false)")
    active = query_bool(request, "active", default=True)
    return ok(rooms.set_active(pod, user, request.path_params["room_id"], active, as_admin=True))


async def search_rooms(request: Request) -> Response:
    pod, user = await caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=100)
    criteria = await json_object(request)
    return ok(rooms.search_rooms(pod.store, user, criteria, skip=skip, limit=limit))


async def list_members(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(rooms.list_members(pod.store, request.path_params["room_id"], user))


async def change_membership(request: Request) -> Response:
    pod, user = await caller(request)
    body = await json_object(request)
    target = user_id_from(body.get("id"), "id")
    action = request.path_params["action"]
    if action not in ("add", "remove", "promoteOwner", "demoteOwner"):
        raise ApiError(404, f"Unknown membership action '{action}'")
    return success(rooms.change_membership(pod, user, request.path_params["room_id"], action, target))


routes: list[Route] = [
    Route("/pod/v3/room/create", create_room, methods=["POST"]),
    Route("/pod/v3/room/search", search_rooms, methods=["POST"]),
    Route("/pod/v3/room/{room_id}/info", room_info, methods=["GET"]),
    Route("/pod/v3/room/{room_id}/update", update_room, methods=["POST"]),
    Route("/pod/v1/room/{room_id}/setActive", set_active, methods=["POST"]),
    Route("/pod/v1/admin/room/{room_id}/setActive", admin_set_active, methods=["POST"]),
    Route("/pod/v2/room/{room_id}/membership/list", list_members, methods=["GET"]),
    Route("/pod/v1/room/{room_id}/membership/{action}", change_membership, methods=["POST"]),
]
