"""Helpers shared by the pod and agent route modules (no routes here).

They keep handlers to "parse, call the domain, answer" and make every bad input a 400 that names
the parameter.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..auth import current_user
from ..domain.users import require_admin
from ..errors import ApiError
from ..httputil import query_int, query_limit, read_json
from ..jsonfast import FastJSONResponse
from ..state import PodState, get_pod


async def caller(request: Request) -> tuple[PodState, dict[str, Any]]:
    """The pod and the authenticated user (401 if the tokens are missing or invalid)."""
    user = await current_user(request)
    return get_pod(request), user


async def admin_caller(request: Request) -> tuple[PodState, dict[str, Any]]:
    """Like :func:`caller`, then 403 unless the user holds an admin role."""
    pod, user = await caller(request)
    require_admin(user)
    return pod, user


def time_window(request: Request) -> tuple[int | None, int | None]:
    """The optional ``since`` and ``to`` (epoch ms, >= 0) query parameters."""
    since = query_int(request, "since", default=None, minimum=0)
    to = query_int(request, "to", default=None, minimum=0)
    return since, to


def add_or_remove(request: Request, what: str) -> str:
    """The ``action`` path parameter: ``add`` or ``remove`` (404 naming ``what`` otherwise)."""
    action = str(request.path_params["action"])
    if action not in ("add", "remove"):
        raise ApiError(404, f"Unknown {what} action '{action}'")
    return action


def paging(request: Request, *, default_limit: int, max_limit: int) -> tuple[int, int]:
    """``skip`` (>= 0) and ``limit`` (1..max) query parameters."""
    skip = query_int(request, "skip", default=0, minimum=0)
    limit = query_limit(request, default=default_limit, maximum=max_limit)
    assert skip is not None
    return skip, limit


def path_user_id(request: Request, name: str) -> int:
    raw = str(request.path_params[name])
    if not raw.isdigit():
        raise ApiError(400, f"Path parameter '{name}' must be a numeric user id, got {raw!r}")
    return int(raw)


def user_id_from(value: Any, name: str) -> int:
    """An int64 user id from a JSON body field (numbers, or digit strings as L's mocks send)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise ApiError(400, f"Field '{name}' must be an integer user id, got {value!r}")
    return int(value)


async def json_object(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The JSON object body ({} when optional and absent)."""
    body = await read_json(request, expect=dict, required=required)
    return body if body is not None else {}


def ok(body: Any, status: int = 200) -> Response:
    return FastJSONResponse(body, status_code=status)


def success(message: str) -> JSONResponse:
    """``SuccessResponse {format, message}``."""
    return JSONResponse({"format": "TEXT", "message": message})


def no_content() -> Response:
    return Response(status_code=204)


def sort_ascending(request: Request, *, default: str) -> bool:
    raw = (request.query_params.get("sortDir") or default).upper()
    if raw not in ("ASC", "DESC"):
        raise ApiError(400, f"Query parameter 'sortDir' must be ASC or DESC, got {raw!r}")
    return raw == "ASC"
