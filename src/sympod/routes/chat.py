"""Routes of the chat page: the page itself, its static files, and the few calls it makes.

The page acts as a human user of the pod. It never takes a shortcut around the real paths:
- a message typed in the page is created by the same code as ``POST /agent/v4/stream/{sid}/message/create``
  (MessageML validation, PresentationML conversion, MESSAGESENT on every member's datafeed);
- a form submitted in the page is posted to ``POST /_emulator/elements`` itself (the
  SYMPHONYELEMENTSACTION event a bot gets from a real pod);
- IMs and rooms are created by the same code as the pod's stream APIs (INSTANTMESSAGECREATED,
  ROOMCREATED, USERJOINEDROOM events).

Live updates: ``GET /_emulator/events/stream?user=ID`` is a server-sent-events stream of the
messages of the user's streams (``event: message``, data = V4Message) and of new streams
(``event: stream``).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ..errors import ApiError
from ..httputil import field, read_json
from ..state import PodState, get_pod

__all__ = ["routes", "text_to_messageml"]

# How often an open page's event stream looks for new messages. Polling the indexed store keeps
# this module independent of the datafeed internals; an idle page costs a few tiny queries a second.
SSE_POLL_INTERVAL_S = 0.15
# A comment line sent when nothing happened, so proxies and browsers keep the connection open.
SSE_KEEPALIVE_S = 15.0

_STATIC_FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
# The page renders untrusted PresentationML through an allow-list, and this policy is the second
# line of defence: no inline scripts, no third-party origins, no plugins.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

# @username, #hashtag and $CASHTAG typed in the page become MessageML entities
_TOKEN = re.compile(r"(?<![\w@#$])([@#$])([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])")


# -- the pod's own operations -----------------------------------------------------------------------
def create_im(pod: PodState, user: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    from ..domain.streams import create_im as domain_create_im

    return domain_create_im(pod, user, [other["user_id"] for other in others])


def create_room(
    pod: PodState, owner: dict[str, Any], name: str, members: list[dict[str, Any]]
) -> dict[str, Any]:
    """A room created by ``owner`` (ROOMCREATED), then each member added by them (USERJOINEDROOM)."""
    from ..domain.rooms import change_membership
    from ..domain.rooms import create_room as domain_create_room

    room: dict[str, Any] = domain_create_room(pod, owner, {"name": name, "description": ""})
    for member in members:
        if member["user_id"] != owner["user_id"]:
            change_membership(pod, owner, room["stream_id"], "add", member["user_id"])
    return room


def create_message(pod: PodState, sender: dict[str, Any], stream_id: str, message_ml: str) -> dict[str, Any]:
    from ..domain.messages import create_message as domain_create_message

    return domain_create_message(pod, sender["user_id"], stream_id, message_ml)


def message_to_v4(pod: PodState, row: dict[str, Any]) -> dict[str, Any]:
    from ..domain.messages import v4_message

    return v4_message(pod.store, row)


def user_json(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "userId": user["user_id"],
        "username": user["username"],
        "displayName": user["display_name"],
        "email": user.get("email"),
        "bot": user.get("account_type") == "SYSTEM",
    }


def _static(name: str) -> Response:
    try:
        content = resources.files("sympod.web").joinpath(name).read_bytes()
    except FileNotFoundError:
        raise ApiError(404, f"No such page asset: {name}") from None
    headers = {
        "Content-Security-Policy": _CSP,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=_STATIC_FILES[name], headers=headers)


async def index(request: Request) -> Response:
    return _static("index.html")


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC_FILES:
        raise ApiError(404, f"No such page asset: {name}")
    return _static(name)


# ---------------------------------------------------------------------------------------------
def text_to_messageml(text: str, find_user: Any) -> str:
    """Plain text as typed in the page → MessageML.

    ``@name`` becomes ``<mention uid>`` when ``find_user(name)`` knows the user (otherwise it stays
    text), ``#tag`` becomes ``<hash>``, ``$TAG`` becomes ``<cash>``; everything else is escaped, and
    each line is its own paragraph.
    """
    paragraphs: list[str] = []
    for line in text.strip().splitlines() or [""]:
        out: list[str] = []
        position = 0
        for match in _TOKEN.finditer(line):
            out.append(html.escape(line[position : match.start()], quote=False))
            sigil, word = match.group(1), match.group(2)
            if sigil == "@":
                user = find_user(word)
                out.append(f'<mention uid="{user["user_id"]}"/>' if user else html.escape(match.group(0)))
            elif sigil == "#":
                out.append(f'<hash tag="{html.escape(word)}"/>')
            else:
                out.append(f'<cash tag="{html.escape(word)}"/>')
            position = match.end()
        out.append(html.escape(line[position:], quote=False))
        paragraphs.append(f"<p>{''.join(out)}</p>")
    return "<messageML>" + "".join(paragraphs) + "</messageML>"


def _find_user(pod: PodState, ref: Any, name: str = "user") -> dict[str, Any]:
    if isinstance(ref, bool) or not isinstance(ref, (str, int)) or ref == "":
        raise ApiError(400, f"Field '{name}' must be a user id or username")
    user = pod.store.find_user(ref)
    if user is None:
        raise ApiError(404, f"No user {ref!r} ({name})")
    return user


def _stream_view(pod: PodState, stream: dict[str, Any], viewer_id: int) -> dict[str, Any]:
    """What the page's stream list needs: id, type and a human name."""
    members = pod.store.get_users(pod.store.stream_member_ids(stream["stream_id"]))
    others = [user for uid, user in members.items() if uid != viewer_id]
    if stream["stream_type"] == "ROOM" and stream.get("name"):
        name = stream["name"]
    else:
        name = ", ".join(user["display_name"] or user["username"] for user in others) or "(just you)"
    return {
        "streamId": stream["stream_id"],
        "type": stream["stream_type"],
        "name": name,
        "members": [user_json(user) for user in members.values()],
        "lastMessageAt": stream.get("last_message_at"),
    }


def _user_streams(pod: PodState, user_id: int) -> list[dict[str, Any]]:
    rows = pod.store.query(
        "SELECT s.* FROM streams s JOIN stream_members m ON m.stream_id = s.stream_id WHERE m.user_id = ? "
        "ORDER BY COALESCE(s.last_message_at, s.created_at) DESC",
        (user_id,),
    )
    return [_stream_view(pod, stream, user_id) for stream in rows]


# ---------------------------------------------------------------------------------------------
async def list_users(request: Request) -> Response:
    pod = get_pod(request)
    return JSONResponse([user_json(user) for user in pod.store.list_users()])


async def list_streams(request: Request) -> Response:
    pod = get_pod(request)
    user = _find_user(pod, request.query_params.get("user", ""))
    return JSONResponse(_user_streams(pod, user["user_id"]))


async def list_datafeeds(request: Request) -> Response:
    """The user's datafeeds: test helpers wait for a bot's feed before talking to it."""
    pod = get_pod(request)
    user = _find_user(pod, request.query_params.get("user", ""))
    feeds = pod.store.list_datafeeds(user["user_id"])
    return JSONResponse([{"id": feed["feed_id"], "version": feed["version"]} for feed in feeds])


async def open_im(request: Request) -> Response:
    pod = get_pod(request)
    body = await read_json(request)
    user = _find_user(pod, field(body, "user", (str, int)))
    others_refs = field(body, "with", list)
    if not others_refs:
        raise ApiError(400, "Field 'with' must name at least one other user")
    others = [_find_user(pod, ref, "with") for ref in others_refs]
    stream = create_im(pod, user, others)
    return JSONResponse(_stream_view(pod, stream, user["user_id"]))


async def open_room(request: Request) -> Response:
    pod = get_pod(request)
    body = await read_json(request)
    owner = _find_user(pod, field(body, "user", (str, int)))
    name = field(body, "name", str).strip()
    if not name:
        raise ApiError(400, "Field 'name' must not be empty")
    members = [_find_user(pod, ref, "members") for ref in field(body, "members", list, default=[])]
    stream = create_room(pod, owner, name, members)
    return JSONResponse(_stream_view(pod, stream, owner["user_id"]))


async def send_message(request: Request) -> Response:
    pod = get_pod(request)
    body = await read_json(request)
    sender = _find_user(pod, field(body, "user", (str, int)))
    stream_id = field(body, "streamId", str)
    text = field(body, "text", str)
    if not text.strip():
        raise ApiError(400, "Field 'text' must not be empty")
    message_ml = text_to_messageml(text, pod.store.find_user)
    return JSONResponse(create_message(pod, sender, stream_id, message_ml))


# ---------------------------------------------------------------------------------------------
def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _user_count(pod: PodState) -> int:
    row = pod.store.query_one("SELECT COUNT(*) AS users FROM users")
    return int(row["users"]) if row else 0


async def _user_events(request: Request, pod: PodState, user_id: int) -> AsyncIterator[bytes]:
    # start after the newest existing message: the page loads history itself
    last_seq = pod.store.query_one("SELECT COALESCE(MAX(seq), 0) AS seq FROM messages")["seq"]  # type: ignore[index]
    known_streams = set(pod.store.user_stream_ids(user_id))
    known_users = _user_count(pod)
    loop = asyncio.get_running_loop()
    last_sent = loop.time()
    yield b": connected\n\n"
    # ends with the page, or when the server shuts down (an open page must not hold up Ctrl-C)
    while not getattr(pod, "closing", False) and not await request.is_disconnected():
        users = _user_count(pod)
        if users != known_users:
            known_users = users
            yield _sse("user", {"count": users})
        streams = set(pod.store.user_stream_ids(user_id))
        if streams != known_streams:
            for stream_id in streams - known_streams:
                yield _sse("stream", {"streamId": stream_id})
            known_streams = streams
            last_sent = loop.time()
        rows = pod.store.query(
            "SELECT m.* FROM messages m JOIN stream_members s ON s.stream_id = m.stream_id "
            "WHERE s.user_id = ? AND m.seq > ? ORDER BY m.seq LIMIT 200",
            (user_id, last_seq),
        )
        for row in rows:
            last_seq = row["seq"]
            yield _sse("message", message_to_v4(pod, row))
            last_sent = loop.time()
        if loop.time() - last_sent > SSE_KEEPALIVE_S:
            yield b": keep-alive\n\n"
            last_sent = loop.time()
        await asyncio.sleep(SSE_POLL_INTERVAL_S)


async def event_stream(request: Request) -> Response:
    pod = get_pod(request)
    user = _find_user(pod, request.query_params.get("user", ""))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        _user_events(request, pod, user["user_id"]), media_type="text/event-stream", headers=headers
    )


routes: list[BaseRoute] = [
    Route("/", index, methods=["GET"]),
    Route("/_emulator/web/{name}", asset, methods=["GET"]),
    Route("/_emulator/chat/users", list_users, methods=["GET"]),
    Route("/_emulator/chat/streams", list_streams, methods=["GET"]),
    Route("/_emulator/chat/datafeeds", list_datafeeds, methods=["GET"]),
    Route("/_emulator/chat/im", open_im, methods=["POST"]),
    Route("/_emulator/chat/rooms", open_room, methods=["POST"]),
    Route("/_emulator/chat/messages", send_message, methods=["POST"]),
    Route("/_emulator/events/stream", event_stream, methods=["GET"]),
]
