"""Presence: own and others' status, bulk listing, interest registration and presence feeds."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import presence
from ..domain.streams import parse_user_id_list
from ..domain.users import require_user
from ..errors import ApiError
from ..httputil import query_bool, query_int, query_limit, read_json
from .pod_common import caller, json_object, ok, path_user_id, success, user_id_from


async def own_presence(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(presence.presence_of(pod.store, user))


async def user_presence(request: Request) -> Response:
    pod, _ = await caller(request)
    query_bool(request, "local", default=False)
    target = require_user(pod.store, path_user_id(request, "uid"), status=404)
    return ok(presence.presence_of(pod.store, target))


async def set_own_presence(request: Request) -> Response:
    pod, user = await caller(request)
    soft = query_bool(request, "soft", default=False)
    category = presence.parse_category(await json_object(request))
    return ok(presence.set_presence(pod.store, user, user["user_id"], category, soft=soft))


async def set_user_presence(request: Request) -> Response:
    pod, user = await caller(request)
    soft = query_bool(request, "soft", default=False)
    body = await json_object(request)
    category = presence.parse_category(body)
    target_id = user_id_from(body.get("userId", user["user_id"]), "userId")
    return ok(presence.set_presence(pod.store, user, target_id, category, soft=soft))


async def all_presence(request: Request) -> Response:
    pod, _ = await caller(request)
    last_user_id = query_int(request, "lastUserId", default=None, minimum=0)
    limit = query_limit(request, default=1000, maximum=5000)
    return ok(presence.all_presence(pod.store, last_user_id, limit))


async def register_interest(request: Request) -> Response:
    """The spec's body is an array of user ids; L sends ``{"userIds": [...]}``: both are accepted."""
    pod, _ = await caller(request)
    body = await read_json(request, expect=(list, dict))
    if isinstance(body, dict):
        if "userIds" not in body:
            raise ApiError(400, "Body must be an array of user ids (or an object with 'userIds')")
        body = body["userIds"]
    for user_id in parse_user_id_list(body):
        require_user(pod.store, user_id)
    return success("OK")


async def create_feed(request: Request) -> Response:
    pod, user = await caller(request)
    return ok({"id": presence.create_feed(pod.store, user)})


async def read_feed(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(presence.read_feed(pod.store, user, request.path_params["feed_id"]))


async def delete_feed(request: Request) -> Response:
    pod, user = await caller(request)
    feed_id = request.path_params["feed_id"]
    presence.delete_feed(pod.store, user, feed_id)
    return ok({"id": feed_id})


routes: list[Route] = [
    # L GETs "/pod/v2/user/presence/" (trailing slash): the app strips it before routing
    Route("/pod/v2/user/presence", own_presence, methods=["GET"]),
    Route("/pod/v2/user/presence", set_own_presence, methods=["POST"]),
    Route("/pod/v3/user/{uid}/presence", user_presence, methods=["GET"]),
    Route("/pod/v3/user/presence", set_user_presence, methods=["POST"]),
    Route("/pod/v2/users/presence", all_presence, methods=["GET"]),
    Route("/pod/v1/user/presence/register", register_interest, methods=["POST"]),
    Route("/pod/v1/presence/feed/create", create_feed, methods=["POST"]),
    Route("/pod/v1/presence/feed/{feed_id}/read", read_feed, methods=["GET"]),
    # the spec says POST; L sends GET
    Route("/pod/v1/presence/feed/{feed_id}/delete", delete_feed, methods=["POST", "GET"]),
]
