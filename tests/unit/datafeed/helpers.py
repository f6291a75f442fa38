"""Fakes shared by the datafeed tests: events, a scripted requester and a recording legacy listener."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from sym_api_client_python.core.http import Request, Response
from sym_api_client_python.listeners.connection_listener import ConnectionListener
from sym_api_client_python.listeners.elements_listener import ElementsActionListener
from sym_api_client_python.listeners.im_listener import IMListener
from sym_api_client_python.listeners.room_listener import RoomListener
from sym_api_client_python.listeners.suppression_listener import SuppressionListener
from sym_api_client_python.listeners.wall_post_listener import WallPostListener

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


def recording_listener_class(methods: Iterable[str], *, asynchronous: bool = False) -> type[Any]:
    """A class implementing every legacy listener interface whose ``methods`` (coroutines when
    ``asynchronous``) record ``(method, argument)`` in the instance's ``calls``."""
    namespace: dict[str, Any] = {"__init__": lambda self: setattr(self, "calls", [])}
    for name in set(methods):
        if asynchronous:

            async def callback(self: Any, arg: Any, _name: str = name) -> None:
                await asyncio.sleep(0)
                self.calls.append((_name, arg))
        else:

            def callback(self: Any, arg: Any, _name: str = name) -> None:
                self.calls.append((_name, arg))

        namespace[name] = callback
    bases = (
        IMListener,
        RoomListener,
        ConnectionListener,
        ElementsActionListener,
        WallPostListener,
        SuppressionListener,
    )
    return type("Recorder", bases, namespace)
