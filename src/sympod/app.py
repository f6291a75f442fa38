"""The ASGI application: routes from ``sympod.routes``, Symphony-shaped errors, safety middleware.

Middleware (outermost first), as one pure-ASGI class so each request pays one hop:
1. path normalisation (trailing slash stripped: the legacy SDK GETs ``/pod/v2/user/presence/``);
2. fault injection (``/_emulator/faults`` rules: delay, status, dropped connection);
3. body size limit (413 ``{code, message}`` above ``max_body_bytes``, declared or streamed);
4. the hot routes (``HOT_ROUTES``) go straight to their handler, the others through Starlette.
Exceptions: :class:`ApiError` → its status; Starlette HTTP errors (404/405) → JSON; anything else
→ 500 with the exception type and message, logged once with its traceback (caught here, so
Starlette's ServerErrorMiddleware never re-raises it into uvicorn).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, api_error
from .routes import collect_routes
from .routes.agent_messages import create_message_hot
from .state import PodState

log = logging.getLogger("sympod")

TRANSPORT_KEY = "sympod.transport"


class _BodyTooLarge(Exception):
    pass


#: A hot route's handler: the route's endpoint working on the ASGI scope, giving its response.
HotHandler = Callable[[Scope, Receive, Send], Awaitable[Response]]

#: Routes served without the Starlette layers between this middleware and the endpoint (exception
#: middleware, the router's linear scan over ~200 routes, the request_response wrapper): the
#: message create path, which every bot hammers. Each must be the only route matching its paths
#: (tests/emulator/test_perf_paths_dispatch.py checks it), so skipping the scan answers the same.
HOT_ROUTES: dict[str, HotHandler] = {"/agent/v4/stream/{sid}/message/create": create_message_hot}


class SafetyMiddleware:
    def __init__(
        self, app: ASGIApp, pod: PodState, hot_routes: Sequence[tuple[Route, HotHandler]] = ()
    ) -> None:
        self.app = app
        self.pod = pod
        # (literal path prefix, route, handler): the prefix is a cheap pre-check before the regex
        self.hot_routes = [(route.path.split("{", 1)[0], route, handler) for route, handler in hot_routes]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            scope["path"] = path.rstrip("/") or "/"
        rule = self.pod.faults.match(scope["method"], scope["path"])
        if rule is not None:
            if rule.delay_ms:
                await asyncio.sleep(rule.delay_ms / 1000)
            if rule.drop:
                await _drop_connection(scope)
                return
            if rule.status is not None:
                retry_after = rule.retry_after_s
                await _send_json(
                    send,
                    rule.status,
                    {
                        "code": rule.status,
                        "message": f"Injected fault #{rule.fault_id} ({rule.path.pattern})",
                    },
                    extra_headers=[] if retry_after is None else [(b"retry-after", b"%d" % retry_after)],
                )
                return
        limit = self.pod.settings.max_body_bytes
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(send, 400, {"code": 400, "message": "Invalid Content-Length header"})
                    return
                if declared > limit:
                    await _send_json(send, 413, _too_large(limit))
                    return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                # nothing is answered before the writes it may reflect are durable
                if self.pod.store.has_uncommitted:
                    await self.pod.flush()
            await send(message)

        try:
            handler = self._hot_handler(scope)
            if handler is None:
                await self.app(scope, limited_receive, tracking_send)
            else:
                await _serve_hot(handler, scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await _send_json(send, 413, _too_large(limit))
        except OverflowError as exc:
            # a number from the request beyond SQLite's int64, reaching a query unchecked
            if not response_started:
                await _send_json(
                    send, 400, {"code": 400, "message": f"A number in the request is out of range: {exc}"}
                )
        except Exception as exc:  # the catch-all: a bug must never kill the connection silently
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            if not response_started:
                await _send_json(
                    send,
                    500,
                    {"code": 500, "message": f"Internal emulator error: {type(exc).__name__}: {exc}"},
                )

    def _hot_handler(self, scope: Scope) -> HotHandler | None:
        """The handler of the hot route fully matching the request (its path parameters set in
        ``scope`` as the router sets them), else None."""
        path: str = scope["path"]
        for prefix, route, handler in self.hot_routes:
            if path.startswith(prefix):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope["route"] = route
                    scope.update(child_scope)
                    return handler
        return None


async def _serve_hot(handler: HotHandler, scope: Scope, receive: Receive, send: Send) -> None:
    """What Starlette's ExceptionMiddleware, Router and ``request_response`` do for an endpoint
    that raises only ApiError / HTTPException on purpose: call it, answer its response or the
    registered handler's for the exception (anything else goes up to SafetyMiddleware's catch-all)."""
    try:
        response = await handler(scope, receive, send)
    except ApiError as exc:
        response = exc.to_response()
    except HTTPException as exc:
        response = await _http_error_handler(Request(scope, receive, send), exc)
    await response(scope, receive, send)


def _too_large(limit: int) -> dict[str, Any]:
    return {"code": 413, "message": f"Request body exceeds the limit of {limit} bytes"}


async def _send_json(
    send: Send, status: int, body: dict[str, Any], extra_headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(extra_headers or ()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def _drop_connection(scope: Scope) -> None:
    """Close the TCP connection without any answer (a network failure as the client sees it)."""
    transport = scope.get("extensions", {}).get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError("cannot drop the connection: the server protocol does not expose its transport")
    transport.abort()
    # let uvicorn see connection_lost so it does not try to answer on the dead connection
    for _ in range(3):
        await asyncio.sleep(0)


async def _api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.to_response()


async def _http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"No such endpoint: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    response = api_error(exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def create_app(pod: PodState) -> Starlette:
    """The emulator's ASGI app serving ``pod``."""
    routes = collect_routes()
    hot_routes = [
        (route, HOT_ROUTES[route.path])
        for route in routes
        if isinstance(route, Route) and route.path in HOT_ROUTES
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            ApiError: _api_error_handler,
            HTTPException: _http_error_handler,
        },
    )
    app.state.pod = pod
    app.add_middleware(SafetyMiddleware, pod=pod, hot_routes=hot_routes)
    return app
