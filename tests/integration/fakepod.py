"""A small HTTPS Symphony stand-in (aiohttp.web) for the foundation's integration tests.

It implements just what auth and the HTTP client touch: RSA and certificate logins (checking the
JWT with the bot's public key and the client certificate), token checks on a few pod/agent routes,
injected failures, and a CONNECT proxy with basic auth. It runs in a background thread with its
own event loop, so sync and async clients can both use it.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import ssl
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web

POD_CONTEXT = "/podctx"


@dataclass
class PodState:
    public_keys: dict[str, bytes]
    session_tokens: set[str] = field(default_factory=set)
    km_tokens: set[str] = field(default_factory=set)
    logins: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    #: path -> statuses to answer before behaving normally
    faults: dict[str, list[int]] = field(default_factory=dict)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    jwt_claims: list[dict[str, Any]] = field(default_factory=list)
    login_delay: float = 0.0
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def reset(self) -> None:
        """Forget everything but the registered keys (the app holds this very object)."""
        keys = self.public_keys
        fresh = PodState(public_keys=keys)
        self.__dict__.update(fresh.__dict__)

    def expire(self) -> None:
        self.session_tokens.clear()
        self.km_tokens.clear()


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"code": status, "message": message}, status=status)


def build_app(state: PodState) -> web.Application:
    @web.middleware
    async def faults(request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path
        state.hits[path] += 1
        state.headers_seen.append(dict(request.headers))
        pending = state.faults.get(path)
        if pending:
            status = pending.pop(0)
            headers = {"Retry-After": "0"} if status == 429 else None
            return web.json_response(
                {"code": status, "message": f"injected {status}"}, status=status, headers=headers
            )
        return await handler(request)

    async def rsa_login(request: web.Request) -> web.Response:
        kind = "session" if request.path.startswith("/login") else "km"
        if state.login_delay:
            await asyncio.sleep(state.login_delay)
        body = await request.json()
        token = body.get("token", "")
        username = jwt.decode(token, options={"verify_signature": False}).get("sub")
        key = state.public_keys.get(username)
        if key is None:
            return _error(401, f"unknown user {username}")
        try:
            claims = jwt.decode(token, key, algorithms=["RS512"])
        except jwt.PyJWTError as exc:
            return _error(401, f"invalid JWT: {exc}")
        state.jwt_claims.append(claims)
        return _issue(kind)

    def _issue(kind: str) -> web.Response:
        state.logins[kind] += 1
        value = f"{kind}-{next(state.counter)}"
        (state.session_tokens if kind == "session" else state.km_tokens).add(value)
        return web.json_response(
            {"token": value, "name": "sessionToken" if kind == "session" else "keyManagerToken"}
        )

    async def cert_login(request: web.Request) -> web.Response:
        kind = "session" if request.path.startswith("/sessionauth") else "km"
        peer = request.transport.get_extra_info("peercert") if request.transport else None
        if not peer:
            return _error(401, "client certificate required")
        if await request.read():
            return _error(401, "certificate login takes no body")
        return _issue(kind)

    def _authorised(request: web.Request, *, agent: bool) -> bool:
        if request.headers.get("sessionToken") not in state.session_tokens:
            return False
        return not agent or request.headers.get("keyManagerToken") in state.km_tokens

    async def session_info(request: web.Request) -> web.Response:
        if not _authorised(request, agent=False):
            return _error(401, "Invalid session")
        return web.json_response({"id": 7, "username": "bot", "displayName": "Bot"})

    async def agent_echo(request: web.Request) -> web.Response:
        if not _authorised(request, agent=True):
            return _error(401, "Invalid session")
        return web.json_response(
            {"query": dict(request.query), "body": (await request.read()).decode() or None}
        )

    async def upload(request: web.Request) -> web.Response:
        if not _authorised(request, agent=True):
            return _error(401, "Invalid session")
        form = await request.post()
        parts = {}
        for name, value in form.items():
            if isinstance(value, web.FileField):
                parts[name] = {
                    "filename": value.filename,
                    "type": value.content_type,
                    "size": len(value.file.read()),
                }
            else:
                parts[name] = value
        return web.json_response(parts)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("delay", "1")))
        return web.json_response({})

    async def no_content(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app = web.Application(middlewares=[faults])
    app.router.add_post("/login/pubkey/authenticate", rsa_login)
    app.router.add_post("/relay/pubkey/authenticate", rsa_login)
    app.router.add_post("/sessionauth/v1/authenticate", cert_login)
    app.router.add_post("/keyauth/v1/authenticate", cert_login)
    app.router.add_get(f"{POD_CONTEXT}/pod/v2/sessioninfo", session_info)
    app.router.add_route("*", "/agent/v1/echo", agent_echo)
    app.router.add_post("/agent/v1/upload", upload)
    app.router.add_get("/agent/v1/slow", slow)
    app.router.add_get("/agent/v1/empty", no_content)
    return app


class ConnectProxy:
    """A minimal HTTP CONNECT proxy that requires basic auth (``user``/``p@ss:word``)."""

    USER, PASSWORD = "proxy-user", "p@ss:word"

    def __init__(self) -> None:
        self.tunnels = 0
        self.rejected = 0
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        lines = head.split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        expected = "Basic " + base64.b64encode(f"{self.USER}:{self.PASSWORD}".encode()).decode()
        if method != "CONNECT" or headers.get("proxy-authorization") != expected:
            self.rejected += 1
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        host, port = target.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        self.tunnels += 1
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


class FakePod:
    """Runs :func:`build_app` over HTTPS (client certificates optional) plus a CONNECT proxy."""

    def __init__(self, state: PodState, cert: Path, key: Path, ca: Path) -> None:
        self.state = state
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._context.load_cert_chain(cert, key)
        self._context.load_verify_locations(cafile=str(ca))
        self._context.verify_mode = ssl.CERT_OPTIONAL  # mTLS only matters for certificate login
        self.loop = asyncio.new_event_loop()
        self.proxy = ConnectProxy()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, name="fakepod", daemon=True)

    def start(self) -> FakePod:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(build_app(self.state), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._context)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        await self.proxy.start()

    def stop(self) -> None:
        async def _stop() -> None:
            if self.proxy.server is not None:
                self.proxy.server.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
