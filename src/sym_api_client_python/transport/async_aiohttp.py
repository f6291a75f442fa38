"""Non-blocking transport on aiohttp: one ``ClientSession`` for all components.

The session is created lazily inside the running event loop (creating it outside a loop is an
error in aiohttp, and a bot object is often built before ``asyncio.run``). TLS context and proxy
are chosen per request from the component's route.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from ..core.errors import ProxyError, TimeoutError_, TlsError, TransportError
from ..core.http import Response
from .base import PreparedRequest

__all__ = ["AiohttpTransport", "map_aiohttp_error"]

logger = logging.getLogger(__name__)


class AiohttpTransport:
    """:class:`~sym_api_client_python.transport.base.AsyncTransport` over one aiohttp session."""

    def __init__(self, *, limit: int = 100) -> None:
        self._limit = limit
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is not None and not self._session.closed and self._loop is loop:
            return self._session
        if self._session is not None and not self._session.closed:
            # the client moved to another event loop (e.g. a second asyncio.run): the old
            # session's connections belong to that loop and cannot be reused here
            logger.debug("event loop changed: starting a new HTTP session")
            _abandon(self._session)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self._limit),
            trust_env=False,  # proxies come from the bot config only, never implicitly
            auto_decompress=True,
        )
        self._loop = loop
        return self._session

    async def send(self, request: PreparedRequest) -> Response:
        session = self._current_session()
        route = request.route
        proxy_headers = None
        if route.proxy is not None:
            auth = route.proxy.basic_auth_header()
            proxy_headers = {"Proxy-Authorization": auth} if auth else None
        timeout = aiohttp.ClientTimeout(
            total=None, connect=request.connect_timeout, sock_read=request.read_timeout
        )
        try:
            async with session.request(
                request.method,
                request.url,
                data=request.body,
                headers=dict(request.headers),
                ssl=route.ssl_context if route.ssl_context is not None else True,
                proxy=route.proxy.url if route.proxy is not None else None,
                proxy_headers=proxy_headers,
                timeout=timeout,
                allow_redirects=False,
            ) as raw:
                body = await raw.read()
                headers = {name.lower(): value for name, value in raw.headers.items()}
                return Response(raw.status, headers, body, request_id=request.trace_id)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise map_aiohttp_error(exc, request) from exc

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


def _abandon(session: aiohttp.ClientSession) -> None:
    """Drop a session of another (usually finished) loop without awaiting anything on it."""
    connector = session.connector
    session.detach()  # marks the session closed: no "unclosed session" warning
    if connector is not None:
        with contextlib.suppress(Exception):  # its loop may be closed already
            connector._close(abort_ssl=True)  # the synchronous part of close(): drop the sockets


def map_aiohttp_error(exc: BaseException, request: PreparedRequest) -> TransportError:
    """Translate an aiohttp failure into the SDK's hierarchy, saying which host and what failed."""
    host = request.url.split("://", 1)[-1].split("/", 1)[0]
    where: dict[str, Any] = {"method": request.method, "url": request.url}
    trace = f" (request id {request.trace_id})"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return TlsError(
            f"TLS verification of {host} failed: {exc.certificate_error}{trace}", request_sent=False, **where
        )
    if isinstance(exc, aiohttp.ClientSSLError):
        return TlsError(f"TLS handshake with {host} failed: {exc}{trace}", request_sent=False, **where)
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        proxy = request.route.proxy.url if request.route.proxy else "the proxy"
        return TransportError(
            f"cannot connect to proxy {proxy} for {host}: {exc}{trace}", request_sent=False, **where
        )
    if isinstance(exc, aiohttp.ClientHttpProxyError) and exc.status in (403, 407):
        proxy = request.route.proxy.url if request.route.proxy else "the proxy"
        what = "rejected the proxy credentials" if exc.status == 407 else "refused the destination"
        return ProxyError(
            f"proxy {proxy} {what} (HTTP {exc.status}) for {host}{trace}", request_sent=False, **where
        )
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return TransportError(
            f"proxy refused the tunnel to {host}: HTTP {exc.status} {exc.message}{trace}",
            request_sent=False,
            **where,
        )
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return TimeoutError_(
            f"connecting to {host} timed out after {request.connect_timeout:g} s{trace}",
            request_sent=False,
            **where,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return TransportError(f"cannot connect to {host}: {exc.os_error}{trace}", request_sent=False, **where)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.SocketTimeoutError, aiohttp.ServerTimeoutError)):
        return TimeoutError_(
            f"{request.method} {request.path} on {host}: no answer within {request.read_timeout:g} s{trace}",
            **where,
        )
    return TransportError(
        f"{request.method} {request.path} on {host} failed: {type(exc).__name__}: {exc}{trace}", **where
    )
