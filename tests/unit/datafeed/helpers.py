"""Fakes shared by the datafeed unit tests: events and a scripted requester."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from sym_api_client_python.core.http import Request, Response

BOT_ID = 1000


def event(
    event_id: str, stream: str = "s1", *, user_id: int = 7, text: str = "hi", type_: str = "MESSAGESENT"
) -> dict[str, Any]:
    if type_ != "MESSAGESENT":
        return {
            "id": event_id,
            "type": type_,
            "timestamp": 1,
            "initiator": {"user": {"userId": user_id}},
            "payload": {},
        }
    return {
        "id": event_id,
        "messageId": f"m-{event_id}",
        "timestamp": 1,
        "type": "MESSAGESENT",
        "initiator": {"user": {"userId": user_id, "displayName": f"user {user_id}"}},
        "payload": {
            "messageSent": {
                "message": {
                    "messageId": f"m-{event_id}",
                    "message": f'<div data-format="PresentationML"><p>{text}</p></div>',
                    "data": "{}",
                    "user": {"userId": user_id},
                    "stream": {"streamId": stream, "streamType": "IM"},
                }
            }
        },
    }


def ok(body: Any, status: int = 200) -> Response:
    return Response(status, {"content-type": "application/json"}, json.dumps(body).encode())


class ScriptedRequester:
    """A SyncRequester answering from per-route scripts; each script item is a Response, an
    exception to raise, or a callable(request) returning either."""

    def __init__(self) -> None:
        self.calls: list[Request] = []
        self.scripts: dict[str, list[Any]] = {}
        self.defaults: dict[str, Callable[[Request], Response]] = {
            "sessioninfo": lambda r: ok({"id": BOT_ID, "displayName": "bot"}),
            "list": lambda r: ok([]),
            "create": lambda r: ok({"id": "feed1_f"}, 201),
            "read": lambda r: ok({"events": [], "ackId": "a"}),
            "send": lambda r: ok({"messageId": "sent", "message": "<div/>", "stream": {"streamId": "x"}}),
        }
        self.lock = threading.Lock()
        self.authenticated = 0

    @staticmethod
    def route(request: Request) -> str:
        path = request.path
        if path.endswith("sessioninfo"):
            return "sessioninfo"
        if path.endswith("/read"):
            return "read"
        if "/message/create" in path:
            return "send"
        if path.endswith("/create") or (path.endswith("/datafeeds") and request.method == "POST"):
            return "create"
        if request.method == "DELETE":
            return "delete"
        return "list"

    def push(self, route: str, *items: Any) -> None:
        self.scripts.setdefault(route, []).extend(items)

    def request(self, request: Request) -> Response:
        route = self.route(request)
        with self.lock:
            self.calls.append(request)
            script = self.scripts.get(route)
            item: Any = script.pop(0) if script else self.defaults[route]
        if callable(item) and not isinstance(item, Response):
            item = item(request)
        if isinstance(item, BaseException):
            raise item
        return item

    def authenticate(self) -> None:
        self.authenticated += 1

    def sent(self) -> list[tuple[str, str]]:
        """(stream path, message part) of every message sent."""
        out = []
        for call in self.calls:
            if self.route(call) == "send":
                parts = {p.name: p.content for p in call.multipart or ()}
                message = parts.get("message", b"")
                out.append(
                    (call.path.split("/")[4], message.decode() if isinstance(message, bytes) else message)
                )
        return out

    def reads(self) -> list[Request]:
        return [c for c in self.calls if self.route(c) == "read"]


class AsyncScripted:
    """Async face of a ScriptedRequester."""

    def __init__(self, inner: ScriptedRequester) -> None:
        self.inner = inner

    async def request(self, request: Request) -> Response:
        return self.inner.request(request)

    async def authenticate(self) -> None:
        self.inner.authenticate()
