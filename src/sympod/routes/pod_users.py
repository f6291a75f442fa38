"""User lookups: ``GET /pod/v2/user``, ``GET /pod/v3/users``, ``POST /pod/v1/user/search``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import users
from ..errors import ApiError
from ..httputil import query_bool
from .pod_common import caller, json_object, no_content, ok, paging


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


routes: list[Route] = [
    Route("/pod/v2/user", get_user, methods=["GET"]),
    Route("/pod/v3/users", list_users, methods=["GET"]),
    Route("/pod/v1/user/search", search_users, methods=["POST"]),
]
