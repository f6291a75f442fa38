"""Serve the emulator's chat page over plain HTTP on the local machine.

The emulator only speaks HTTPS with a CA of its own, which browsers do not trust. Rather than ask
demo users to click through a certificate warning or to install a CA, this server listens on
127.0.0.1 over HTTP and forwards the page's requests (``/`` and ``/_emulator/...`` only: no
Symphony API, no tokens) to the emulator over verified HTTPS. Responses are streamed, so the
page's server-sent events pass through as they happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

__all__ = ["PageServer"]

# the only paths the chat page uses
_FORWARDED_PREFIXES = ("/_emulator/",)
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length", "host"}
)


def _build_app(upstream: str, ca_path: Path) -> Any:
    import aiohttp
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    ssl_context = ssl.create_default_context(cafile=str(ca_path)) if upstream.startswith("https") else None
    session: aiohttp.ClientSession | None = None

    async def forward(request: Request) -> Response:
        nonlocal session
        path = request.url.path
        if path != "/" and not path.startswith(_FORWARDED_PREFIXES):
            return JSONResponse({"code": 404, "message": f"Not served by the demo page server: {path}"}, 404)
        if session is None:
            # no overall timeout: the event stream stays open as long as the page does
            session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, connect=10))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            upstream_response = await session.request(
                request.method,
                upstream + path + (f"?{request.url.query}" if request.url.query else ""),
                headers=headers,
                data=await request.body(),
                ssl=ssl_context if ssl_context is not None else False,
            )
        except aiohttp.ClientError as exc:
            return JSONResponse({"code": 502, "message": f"The emulator did not answer: {exc}"}, 502)
        response_headers = {
            k: v for k, v in upstream_response.headers.items() if k.lower() not in _HOP_BY_HOP
        }

        async def body() -> Any:
            try:
                async for chunk in upstream_response.content.iter_any():
                    yield chunk
            finally:
                upstream_response.release()

        return StreamingResponse(body(), status_code=upstream_response.status, headers=response_headers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        if session is not None:
            await session.close()

    methods = ["GET", "POST", "PUT", "DELETE"]
    return Starlette(
        routes=[Route("/", forward, methods=methods), Route("/{path:path}", forward, methods=methods)],
        lifespan=lifespan,
    )


class PageServer:
    """An HTTP server on ``host:port`` (0 = free) forwarding the chat page to ``upstream``."""

    def __init__(self, upstream: str, ca_path: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        bound_port = self._socket.getsockname()[1]
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{bound_port}/"
        config = uvicorn.Config(
            _build_app(upstream.rstrip("/"), ca_path),
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name="demo-page-server", daemon=True)

    def _serve(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def start(self) -> PageServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the chat page server failed to start")
            self._thread.join(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(5)
        self._socket.close()

    def __enter__(self) -> PageServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
