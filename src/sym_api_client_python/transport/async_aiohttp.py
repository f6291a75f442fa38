"""Non-blocking transport on aiohttp: one ``ClientSession`` for all components.

The session is created lazily inside the running event loop (creating it outside a loop is an
error in aiohttp, and a bot object is often built before ``asyncio.run``). TLS context and proxy
are chosen per request from the component's route.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from ..core.errors import TransportError
from ..core.http import Response
from .base import PreparedRequest
from .failures import TransportFailure

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
    failure = TransportFailure(request)
    host = failure.host
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return failure.tls_verification(exc.certificate_error)
    if isinstance(exc, aiohttp.ClientSSLError):
        return failure.tls_handshake(exc)
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return failure.not_sent(f"cannot connect to proxy {failure.proxy} for {host}: {exc}")
    if isinstance(exc, aiohttp.ClientHttpProxyError) and exc.status in (403, 407):
        return failure.proxy_refused(exc.status)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return failure.not_sent(f"proxy refused the tunnel to {host}: HTTP {exc.status} {exc.message}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return failure.connect_timeout()
    if isinstance(exc, aiohttp.ClientConnectorError):
        return failure.cannot_connect(exc.os_error)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.SocketTimeoutError, aiohttp.ServerTimeoutError)):
        return failure.read_timeout()
    return failure.failed(f"{type(exc).__name__}: {exc}")
