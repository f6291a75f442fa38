"""Agent message endpoints: create (multipart), history, get, search, attachment, blast, import, share."""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from ..auth import authenticate
from ..domain import message_ops, messages
from ..errors import ApiError
from ..formfast import parse_text_fields
from ..httputil import query_int, read_json
from ..state import PodState
from .pod_common import caller, json_object, ok, paging, sort_ascending


async def _text_part(form: FormData, name: str) -> str | None:
    """A text field, as a plain field or as a file part (L sends ``files={'message': ...}``)."""
    value = form.get(name)
    if value is None:
        return None
    if isinstance(value, UploadFile):
        raw = await value.read()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, f"Multipart field '{name}' is not valid UTF-8 text") from None
    return value


async def _files(form: FormData, name: str, *, preview: bool) -> list[messages.Attachment]:
    files = []
    for value in form.getlist(name):
        if not isinstance(value, UploadFile):
            raise ApiError(400, f"Multipart field '{name}' must be a file part (with a filename)")
        content = await value.read()
        files.append(messages.Attachment(
            name=value.filename or name, content=content, content_type=value.content_type, is_preview=preview,
        ))  # fmt: skip
    return files


async def _message_input(
    request: Request,
) -> tuple[dict[str, str | None], list[messages.Attachment], FormData | None]:
    """``message``/``data``/``version`` and the attachments of a create/blast request.

    Multipart as the spec says; a JSON object ``{"message", "data"}`` is accepted too (handy with curl).
    Each preview is stored right after the attachment it belongs to.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await json_object(request)
        fields = {name: body.get(name) for name in ("message", "data", "version")}
        if isinstance(fields["data"], (dict, list)):
            fields["data"] = json.dumps(fields["data"])
        for name, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise ApiError(400, f"Field '{name}' must be a string")
        return fields, [], None
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(
            400, f"Expected a multipart/form-data body (got content type {content_type or 'none'!r})"
        )
    form = parse_text_fields(await request.body(), content_type)
    try:
        if form is None:  # files, or anything unusual: the general parser (reads the cached body)
            form = await request.form()
    except HTTPException as exc:  # Starlette's wrapping of python-multipart's MultiPartException
        raise ApiError(400, f"Malformed multipart body: {exc.detail}") from None
    except (MultiPartException, ValueError) as exc:
        raise ApiError(400, f"Malformed multipart body: {exc}") from None
    fields = {}
    for name in ("message", "data", "version"):
        value = form.get(name)
        # the await only for file parts: most creates are plain text fields
        fields[name] = await _text_part(form, name) if isinstance(value, UploadFile) else value
    if "attachment" not in form and "preview" not in form:
        return fields, [], form
    attachments = await _files(form, "attachment", preview=False)
    previews = await _files(form, "preview", preview=True)
    ordered: list[messages.Attachment] = []
    for index, attachment in enumerate(attachments):
        ordered.append(attachment)
        if index < len(previews):
            ordered.append(previews[index])
    return fields, ordered, form


def _required_message(fields: dict[str, str | None]) -> str:
    message = fields.get("message")
    if message is None or not message.strip():
        raise ApiError(400, "Field 'message' is required (multipart part 'message' with MessageML)")
    return message


async def create_message(request: Request) -> Response:
    pod, user = await caller(request)
    fields, attachments, _ = await _message_input(request)
    message = _required_message(fields)
    sid = request.path_params["sid"]
    return ok(messages.create_message(pod, user["user_id"], sid, message, fields.get("data"), attachments))


# ------------------------------------------------------------------ create, the hot path
_HOT_HEADERS = frozenset({b"content-type", b"sessiontoken", b"keymanagertoken"})


async def create_message_hot(scope: Scope, receive: Receive, send: Send) -> Response:
    """:func:`create_message` for ``app.SafetyMiddleware``'s hot-route dispatch, without Starlette's
    Request (headers object, body stream generator) for what nearly every create sends: a
    multipart body of text fields. Any other body goes to :func:`create_message` itself, given
    the body already read; the answers are the same either way (tests/emulator/test_perf_paths_*).
    """
    headers: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in _HOT_HEADERS and name not in headers:  # the first one, as Starlette's Headers
            headers[name] = value.decode("latin-1")
    pod: PodState = scope["app"].state.pod  # what get_pod(request) reads
    user = authenticate(pod, scope, headers.get(b"sessiontoken"), headers.get(b"keymanagertoken"))
    content_type = headers.get(b"content-type", "")
    if not content_type.startswith("multipart/form-data"):  # JSON, or a 400 before any body read
        return await create_message(Request(scope, receive, send))
    body = await _read_body(receive)
    form = parse_text_fields(body, content_type)
    if form is None or "attachment" in form or "preview" in form:  # files, or anything unusual
        return await create_message(Request(scope, _replaying(body, receive), send))
    message, data = form.get("message"), form.get("data")
    # parse_text_fields gives text fields only
    assert not isinstance(message, UploadFile) and not isinstance(data, UploadFile)
    message = _required_message({"message": message})
    sid = scope["path_params"]["sid"]
    return ok(messages.create_message(pod, user["user_id"], sid, message, data))


async def _read_body(receive: Receive) -> bytes:
    """The request body, read as Starlette's ``Request.stream`` reads it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect


def _replaying(body: bytes, receive: Receive) -> Receive:
    """``receive`` giving ``body`` first (it has been read already), then the server's messages."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def update_message(request: Request) -> Response:
    pod, user = await caller(request)
    fields, attachments, form = await _message_input(request)
    message = _required_message(fields)
    silent_text = (await _text_part(form, "silent") if form is not None else None) or "true"
    if silent_text.strip().lower() not in ("true", "false"):
        raise ApiError(400, f"Field 'silent' must be true or false, got {silent_text!r}")
    return ok(message_ops.update_message(
        pod, user, request.path_params["sid"], request.path_params["message_id"], message, fields.get("data"),
        attachments, silent=silent_text.strip().lower() == "true",
    ))  # fmt: skip


async def stream_history(request: Request) -> Response:
    pod, user = await caller(request)
    if request.query_params.get("since") is None:
        raise ApiError(400, "Query parameter 'since' is required (epoch milliseconds)")
    since = query_int(request, "since", minimum=0)
    until = query_int(request, "until", default=None, minimum=0)
    skip, limit = paging(request, default_limit=50, max_limit=500)
    assert since is not None
    return ok(messages.list_stream_messages(
        pod.store, user, request.path_params["sid"], since=since, until=until, skip=skip, limit=limit,
    ))  # fmt: skip


async def get_message(request: Request) -> Response:
    pod, user = await caller(request)
    row = messages.get_readable_message(pod.store, user, request.path_params["message_id"])
    return ok(messages.v4_message(pod.store, row))


async def search(request: Request) -> Response:
    pod, user = await caller(request)
    skip, limit = paging(request, default_limit=50, max_limit=500)
    descending = not sort_ascending(request, default="DESC")
    query: dict[str, Any]
    if request.method == "GET":
        raw = request.query_params.get("query")
        if not raw:
            raise ApiError(
                400, "Query parameter 'query' is required, e.g. query=hashtag:news AND streamId:..."
            )
        query = message_ops.parse_query_string(raw)
    else:
        query = await json_object(request)
    return ok(
        message_ops.search_messages(pod.store, user, query, skip=skip, limit=limit, descending=descending)
    )


async def download_attachment(request: Request) -> Response:
    """The attachment content, base64-encoded, as ``application/octet-stream`` (as real agents do)."""
    pod, user = await caller(request)
    message_id, file_id = request.query_params.get("messageId"), request.query_params.get("fileId")
    if not message_id or not file_id:
        raise ApiError(400, "Query parameters 'messageId' and 'fileId' are required")
    content = messages.attachment_content(pod.store, user, request.path_params["sid"], message_id, file_id)
    return Response(base64.b64encode(content), media_type="application/octet-stream")


async def blast(request: Request) -> Response:
    pod, user = await caller(request)
    fields, attachments, form = await _message_input(request)
    message = _required_message(fields)
    raw_ids: list[str] = []
    if form is not None:
        for value in form.getlist("sids"):
            text = await _text_part(FormData([("sids", value)]), "sids")
            raw_ids.extend(part for part in (text or "").split(","))
    stream_ids = [sid.strip() for sid in raw_ids if sid.strip()]
    return ok(message_ops.blast(pod, user, stream_ids, message, fields.get("data"), attachments))


async def import_messages(request: Request) -> Response:
    pod, user = await caller(request)
    items = await read_json(request, expect=list)
    return ok(message_ops.import_messages(pod, user, items))


async def share(request: Request) -> Response:
    pod, user = await caller(request)
    body = await json_object(request)
    return ok(message_ops.share_article(pod, user, request.path_params["sid"], body))


routes: list[Route] = [
    Route("/agent/v4/stream/{sid}/message/create", create_message, methods=["POST"]),
    Route("/agent/v4/stream/{sid}/message/{message_id}/update", update_message, methods=["POST"]),
    Route("/agent/v4/stream/{sid}/message", stream_history, methods=["GET"]),
    Route("/agent/v1/message/search", search, methods=["GET", "POST"]),
    Route("/agent/v1/message/{message_id}", get_message, methods=["GET"]),
    Route("/agent/v1/stream/{sid}/attachment", download_attachment, methods=["GET"]),
    Route("/agent/v4/message/blast", blast, methods=["POST"]),
    Route("/agent/v4/message/import", import_messages, methods=["POST"]),
    Route("/agent/v3/stream/{sid}/share", share, methods=["POST"]),
]
