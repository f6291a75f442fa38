"""Streams and IMs: ``/pod/v1/im/*``, ``/pod/v2/streams/{sid}/info``, stream lists (user and admin)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import messages, streams
from ..domain.users import require_user
from ..httputil import query_limit, read_json
from .pod_common import (
    admin_caller,
    caller,
    json_object,
    ok,
    paging,
    path_user_id,
    sort_ascending,
    time_window,
)


async def create_im(request: Request) -> Response:
    """``Stream {id}``; the caller is a member automatically; the same set returns the same IM."""
    pod, user = await caller(request)
    user_ids = streams.parse_user_id_list(await read_json(request, expect=list))
    return ok({"id": streams.create_im(pod, user, user_ids)["stream_id"]})


async def admin_create_im(request: Request) -> Response:
    """An IM/MIM between the given users only (the admin caller is not added)."""
    pod, user = await admin_caller(request)
    user_ids = streams.parse_user_id_list(await read_json(request, expect=list))
    return ok({"id": streams.create_im(pod, user, user_ids, include_caller=False)["stream_id"]})


async def im_info(request: Request) -> Response:
    pod, user = await caller(request)
    stream = streams.member_stream(pod.store, request.path_params["im_id"], user)
    return ok(streams.im_detail(pod.store, stream))


async def stream_info(request: Request) -> Response:
    pod, user = await caller(request)
    stream = streams.member_stream(pod.store, request.path_params["sid"], user)
    return ok(streams.stream_attributes(pod.store, stream, v2=True))


async def list_streams(request: Request) -> Response:
    pod, user = await caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=1000)
    stream_filter = await json_object(request, required=False)
    return ok(streams.list_user_streams(pod.store, user, stream_filter, skip=skip, limit=limit))


async def update_im(request: Request) -> Response:
    pod, user = await caller(request)
    return ok(streams.update_im(pod.store, user, request.path_params["im_id"], await json_object(request)))


async def admin_user_streams(request: Request) -> Response:
    """The streams of any user (admin): ``StreamList``."""
    pod, _ = await admin_caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=1000)
    target = require_user(pod.store, path_user_id(request, "uid"))
    stream_filter = await json_object(request, required=False)
    return ok(streams.list_user_streams(pod.store, target, stream_filter, skip=skip, limit=limit))


async def admin_list_streams(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=100)
    admin_filter = await json_object(request, required=False)
    return ok(streams.admin_list_streams(pod.store, admin_filter, skip=skip, limit=limit))


async def admin_stream_members(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    skip, limit = paging(request, default_limit=100, max_limit=1000)
    stream = streams.get_stream_or_400(pod.store, request.path_params["sid"])
    return ok(streams.admin_stream_members(pod.store, stream, skip=skip, limit=limit))


async def stream_attachments(request: Request) -> Response:
    pod, user = await caller(request)
    since, to = time_window(request)
    limit = query_limit(request, default=50, maximum=100)
    ascending = sort_ascending(request, default="ASC")
    return ok(messages.list_stream_attachments(
        pod.store, user, request.path_params["sid"], since=since, to=to, limit=limit, ascending=ascending,
    ))  # fmt: skip


routes: list[Route] = [
    Route("/pod/v1/im/create", create_im, methods=["POST"]),
    Route("/pod/v1/admin/im/create", admin_create_im, methods=["POST"]),
    Route("/pod/v1/im/{im_id}/info", im_info, methods=["GET"]),
    Route("/pod/v1/im/{im_id}/update", update_im, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/streams/list", admin_user_streams, methods=["POST"]),
    Route("/pod/v2/streams/{sid}/info", stream_info, methods=["GET"]),
    Route("/pod/v1/streams/list", list_streams, methods=["POST"]),
    Route("/pod/v1/admin/streams/list", admin_list_streams, methods=["POST"]),
    Route("/pod/v2/admin/streams/list", admin_list_streams, methods=["POST"]),
    Route("/pod/v1/admin/stream/{sid}/membership/list", admin_stream_members, methods=["GET"]),
    Route("/pod/v1/streams/{sid}/attachments", stream_attachments, methods=["GET"]),
]
