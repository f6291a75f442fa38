"""User lookups (``GET /pod/v2/user``, ``GET /pod/v3/users``, ``POST /pod/v1/user/search``), followers
and the service account manifest."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import follows, users
from ..domain.streams import parse_user_id_list
from ..errors import ApiError
from ..httputil import query_bool, query_limit
from .pod_common import caller, json_object, no_content, ok, paging, path_user_id, success


async def get_user(request: Request) -> Response:
    """One ``UserV2`` by uid, email or username; 204 when nobody matches."""
    pod, _ = await caller(request)
    query_bool(request, "local", default=False)  # validated (L sends ``False``); the emulator is one pod
    params = request.query_params
    found = users.find_one(pod.store, uid=params.get("uid"), email=params.get("email"),
                           username=params.get("username"))  # fmt: skip
    return no_content() if found is None else ok(users.user_v2(found))


async def list_users(request: Request) -> Response:
    """``V2UserList`` for comma-separated uid, email or username lists."""
    pod, _ = await caller(request)
    query_bool(request, "local", default=False)
    active = request.query_params.get("active")
    active_filter = None if active is None else query_bool(request, "active", default=True)
    params = request.query_params
    return ok(users.find_many(pod.store, uid=params.get("uid"), email=params.get("email"),
                              username=params.get("username"), active=active_filter))  # fmt: skip


async def search_users(request: Request) -> Response:
    """``UserSearchResults`` for ``{query, filters}``; 204 would hide the counts, so 200 always."""
    pod, _ = await caller(request)
    query_bool(request, "local", default=False)
    skip, limit = paging(request, default_limit=50, max_limit=1000)
    body = await json_object(request)
    query = body.get("query")
    if not isinstance(query, str):
        raise ApiError(400, "Field 'query' is required and must be a string")
    filters = body.get("filters")
    if filters is not None and not isinstance(filters, dict):
        raise ApiError(400, "Field 'filters' must be an object")
    return ok(users.search(pod.store, query, filters, skip=skip, limit=limit))


async def _follow(request: Request, *, follow: bool) -> Response:
    pod, user = await caller(request)
    body = await json_object(request)
    follower_ids = parse_user_id_list(body.get("followers"), name="followers")
    uid = path_user_id(request, "uid")
    return success(follows.change_followers(pod.store, user, uid, follower_ids, follow=follow))


async def follow(request: Request) -> Response:
    return await _follow(request, follow=True)


async def unfollow(request: Request) -> Response:
    return await _follow(request, follow=False)


def _cursor_params(request: Request) -> dict[str, Any]:
    limit = query_limit(request, default=100, maximum=1000)
    return {
        "limit": limit,
        "before": request.query_params.get("before"),
        "after": request.query_params.get("after"),
    }


async def followers(request: Request) -> Response:
    pod, _ = await caller(request)
    return ok(follows.followers_of(pod.store, path_user_id(request, "uid"), **_cursor_params(request)))


async def following(request: Request) -> Response:
    pod, _ = await caller(request)
    return ok(follows.following_of(pod.store, path_user_id(request, "uid"), **_cursor_params(request)))


async def get_manifest(request: Request) -> Response:
    _, user = await caller(request)
    return ok(follows.get_manifest(user))


async def set_manifest(request: Request) -> Response:
    pod, user = await caller(request)
    follows.set_manifest(pod.store, user, await json_object(request))
    return success("Manifest updated")


routes: list[Route] = [
    Route("/pod/v2/user", get_user, methods=["GET"]),
    Route("/pod/v3/users", list_users, methods=["GET"]),
    Route("/pod/v1/user/search", search_users, methods=["POST"]),
    Route("/pod/v1/user/manifest/own", get_manifest, methods=["GET"]),
    Route("/pod/v1/user/manifest/own", set_manifest, methods=["POST"]),
    Route("/pod/v1/user/{uid}/follow", follow, methods=["POST"]),
    Route("/pod/v1/user/{uid}/unfollow", unfollow, methods=["POST"]),
    Route("/pod/v1/user/{uid}/followers", followers, methods=["GET"]),
    Route("/pod/v1/user/{uid}/following", following, methods=["GET"]),
]
