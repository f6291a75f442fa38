"""Blocking transport on urllib3: one pool manager (or proxy manager) per component."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

import urllib3
from urllib3 import exceptions as u3

from ..core.errors import ProxyError, TimeoutError_, TlsError, TransportError
from ..core.http import Component, Response
from .base import PreparedRequest, Route

__all__ = ["Urllib3Transport", "map_urllib3_error"]

# http.client's message when a CONNECT is answered with an error status
_TUNNEL_REFUSED = re.compile(r"Tunnel connection failed: (\d{3})")


class Urllib3Transport:
    """:class:`~sym_api_client_python.transport.base.SyncTransport` over urllib3 connection pools.

    Pools are created on first use per component and are thread-safe; ``maxsize`` bounds the
    idle connections kept per host (more threads still get connections, the extra ones are
    closed after use), so it should be at least the number of threads calling at once."""

    def __init__(self, *, maxsize: int = 32) -> None:
        self._maxsize = maxsize
        self._managers: dict[Component, urllib3.PoolManager] = {}
        self._lock = threading.Lock()

    def _manager(self, route: Route) -> urllib3.PoolManager:
        manager = self._managers.get(route.component)
        if manager is not None:
            return manager
        with self._lock:
            manager = self._managers.get(route.component)
            if manager is None:
                manager = self._new_manager(route)
                self._managers[route.component] = manager
        return manager

    def _new_manager(self, route: Route) -> urllib3.PoolManager:
        options: dict[str, object] = {"maxsize": self._maxsize, "block": False, "retries": False}
        if route.ssl_context is not None:
            options["ssl_context"] = route.ssl_context
        if route.proxy is None:
            return urllib3.PoolManager(**options)  # type: ignore[arg-type]
        proxy_headers: Mapping[str, str] = {}
        auth = route.proxy.basic_auth_header()
        if auth:
            proxy_headers = {"Proxy-Authorization": auth}
        return urllib3.ProxyManager(route.proxy.url, proxy_headers=proxy_headers, **options)  # type: ignore[arg-type]

    def send(self, request: PreparedRequest) -> Response:
        manager = self._manager(request.route)
        try:
            raw = manager.urlopen(
                request.method,
                request.url,
                body=request.body,
                headers=dict(request.headers),
                timeout=urllib3.Timeout(connect=request.connect_timeout, read=request.read_timeout),
                retries=False,
                redirect=False,
                preload_content=True,
            )
        except u3.HTTPError as exc:
            raise map_urllib3_error(exc, request) from exc
        headers = {name.lower(): value for name, value in raw.headers.items()}
        return Response(raw.status, headers, raw.data or b"", request_id=request.trace_id)

    def close(self) -> None:
        with self._lock:
            managers, self._managers = list(self._managers.values()), {}
        for manager in managers:
            manager.clear()


def _host(request: PreparedRequest) -> str:
    return request.url.split("://", 1)[-1].split("/", 1)[0]


def map_urllib3_error(exc: u3.HTTPError, request: PreparedRequest) -> TransportError:
    """Translate a urllib3 failure into the SDK's hierarchy, saying which host and what failed."""
    host = _host(request)
    where: dict[str, Any] = {"method": request.method, "url": request.url}
    trace = f" (request id {request.trace_id})"
    # a proxy error wraps the real cause (refused connection, TLS failure behind the tunnel)
    reason: BaseException = getattr(exc, "original_error", None) or exc
    if isinstance(exc, u3.SSLError) or isinstance(reason, u3.SSLError):
        return TlsError(f"TLS handshake with {host} failed: {reason}{trace}", request_sent=False, **where)
    if isinstance(exc, u3.ProxyError):
        proxy = request.route.proxy.url if request.route.proxy else "the proxy"
        refused = _TUNNEL_REFUSED.search(str(reason))
        if refused and refused.group(1) in ("403", "407"):
            what = (
                "rejected the proxy credentials" if refused.group(1) == "407" else "refused the destination"
            )
            return ProxyError(
                f"proxy {proxy} {what} (HTTP {refused.group(1)}) for {host}{trace}",
                request_sent=False,
                **where,
            )
        return TransportError(
            f"cannot reach {host} through proxy {proxy}: {reason}{trace}", request_sent=False, **where
        )
    if isinstance(exc, u3.NewConnectionError):  # must come before ConnectTimeoutError, its base
        return TransportError(f"cannot connect to {host}: {_short(exc)}{trace}", request_sent=False, **where)
    if isinstance(exc, u3.ConnectTimeoutError):
        return TimeoutError_(
            f"connecting to {host} timed out after {request.connect_timeout:g} s{trace}",
            request_sent=False,
            **where,
        )
    if isinstance(exc, u3.ReadTimeoutError):
        return TimeoutError_(
            f"{request.method} {request.path} on {host}: no answer within {request.read_timeout:g} s{trace}",
            **where,
        )
    return TransportError(f"{request.method} {request.path} on {host} failed: {_short(exc)}{trace}", **where)


def _short(exc: BaseException) -> str:
    text = str(exc)
    # urllib3 prefixes messages with the connection object's repr, which is noise to a reader
    return text.split(": ", 1)[-1] if text.startswith("<") else text
