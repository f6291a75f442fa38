"""Admin governance routes: admin room membership, delegates, disclaimers, user sessions, message
details; plus the small system lists (languages, protocols)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import governance, rooms
from ..domain.users import is_admin
from ..errors import ApiError
from ..httputil import query_bool
from .pod_common import (
    add_or_remove,
    admin_caller,
    caller,
    json_object,
    no_content,
    ok,
    paging,
    path_user_id,
    success,
    user_id_from,
)

LANGUAGES = ["en-US", "fr-FR", "de-DE", "ja-JP", "es-ES"]
PROTOCOLS = ["http", "https", "mailto", "ftp", "tel", "symphony"]


async def admin_room_members(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    query_bool(request, "includePastMembers", default=False)  # the emulator keeps no past members
    room = rooms.get_room_or_400(pod.store, request.path_params["room_id"])
    return ok([
        {"id": row["user_id"], "owner": bool(row["owner"]), "joinDate": row["joined_at"]}
        for row in pod.store.stream_members(room["stream_id"])
    ])  # fmt: skip


async def admin_room_membership(request: Request) -> Response:
    pod, user = await admin_caller(request)
    action = add_or_remove(request, "admin membership")
    target = user_id_from((await json_object(request)).get("id"), "id")
    room_id = request.path_params["room_id"]
    return success(rooms.change_membership(pod, user, room_id, action, target, as_admin=True))


async def get_delegates(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(governance.delegates(pod.store, path_user_id(request, "uid")))


async def update_delegates(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    body = await json_object(request)
    return success(governance.update_delegates(pod.store, path_user_id(request, "uid"), body))


async def list_disclaimers(request: Request) -> Response:
    await admin_caller(request)
    return ok(governance.DISCLAIMERS)


async def get_disclaimer(request: Request) -> Response:
    await admin_caller(request)
    return ok(governance.disclaimer(request.path_params["disclaimer_id"]))


async def disclaimer_users(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(governance.disclaimer_users(pod.store, request.path_params["disclaimer_id"]))


async def user_disclaimer(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    assigned = governance.user_disclaimer(pod.store, path_user_id(request, "uid"))
    return no_content() if assigned is None else ok(assigned)


async def assign_disclaimer(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    disclaimer_id = (await json_object(request)).get("id")
    if not isinstance(disclaimer_id, str) or not disclaimer_id:
        raise ApiError(400, "Field 'id' is required: the disclaimer id")
    return success(governance.assign_disclaimer(pod.store, path_user_id(request, "uid"), disclaimer_id))


async def remove_disclaimer(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return success(governance.assign_disclaimer(pod.store, path_user_id(request, "uid"), None))


def _own_or_admin(user: dict[str, Any], uid: int) -> None:
    if uid != user["user_id"] and not is_admin(user):
        raise ApiError(403, f"User {user['user_id']} may only see and end their own sessions")


async def list_sessions(request: Request) -> Response:
    pod, user = await caller(request)
    uid = path_user_id(request, "uid")
    _own_or_admin(user, uid)
    return ok(governance.user_sessions(pod.store, uid))


async def logout_all(request: Request) -> Response:
    pod, user = await caller(request)
    uid = path_user_id(request, "uid")
    _own_or_admin(user, uid)
    ended = governance.end_sessions(pod, uid)
    return success(f"{ended} session(s) of user {uid} ended")


async def logout_one(request: Request) -> Response:
    pod, user = await caller(request)
    uid = path_user_id(request, "uid")
    _own_or_admin(user, uid)
    governance.end_sessions(pod, uid, request.path_params["session_id"])
    return success(f"Session of user {uid} ended")


async def message_details(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(governance.message_details(pod.store, await json_object(request)))


async def languages(request: Request) -> Response:
    """Public: the spec declares no 401 for it."""
    return ok({"languages": LANGUAGES})


async def protocols(request: Request) -> Response:
    await caller(request)
    skip, limit = paging(request, default_limit=100, max_limit=1000)
    return ok(PROTOCOLS[skip : skip + limit])


routes: list[Route] = [
    Route("/pod/v1/admin/room/{room_id}/membership/list", admin_room_members, methods=["GET"]),
    Route("/pod/v1/admin/room/{room_id}/membership/{action}", admin_room_membership, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/delegates", get_delegates, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/delegates/update", update_delegates, methods=["POST"]),
    Route("/pod/v1/admin/disclaimer/list", list_disclaimers, methods=["GET"]),
    Route("/pod/v1/admin/disclaimer/{disclaimer_id}", get_disclaimer, methods=["GET"]),
    Route("/pod/v1/admin/disclaimer/{disclaimer_id}/users", disclaimer_users, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/disclaimer", user_disclaimer, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/disclaimer", remove_disclaimer, methods=["DELETE"]),
    Route("/pod/v1/admin/user/{uid}/disclaimer/update", assign_disclaimer, methods=["POST"]),
    Route("/pod/v1/users/{uid}/sessions", list_sessions, methods=["GET"]),
    Route("/pod/v1/users/{uid}/sessions/logout", logout_all, methods=["POST"]),
    Route("/pod/v1/users/{uid}/sessions/{session_id}/logout", logout_one, methods=["POST"]),
    Route("/pod/v1/admin/messages", message_details, methods=["POST"]),
    Route("/pod/v1/languages", languages, methods=["GET"]),
    Route("/pod/v2/system/protocols", protocols, methods=["GET"]),
]
