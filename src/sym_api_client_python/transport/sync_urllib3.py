"""Blocking transport on urllib3: one pool manager (or proxy manager) per component."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

import urllib3
from urllib3 import exceptions as u3

from ..core.errors import TransportError
from ..core.http import Component, Response
from .base import PreparedRequest, Route
from .failures import TransportFailure

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


def map_urllib3_error(exc: u3.HTTPError, request: PreparedRequest) -> TransportError:
    """Translate a urllib3 failure into the SDK's hierarchy, saying which host and what failed."""
    failure = TransportFailure(request)
    # a proxy error wraps the real cause (refused connection, TLS failure behind the tunnel)
    reason: BaseException = getattr(exc, "original_error", None) or exc
    if isinstance(exc, u3.SSLError) or isinstance(reason, u3.SSLError):
        return failure.tls_handshake(reason)
    if isinstance(exc, u3.ProxyError):
        refused = _TUNNEL_REFUSED.search(str(reason))
        if refused and refused.group(1) in ("403", "407"):
            return failure.proxy_refused(int(refused.group(1)))
        return failure.not_sent(f"cannot reach {failure.host} through proxy {failure.proxy}: {reason}")
    if isinstance(exc, u3.NewConnectionError):  # must come before ConnectTimeoutError, its base
        return failure.cannot_connect(_short(exc))
    if isinstance(exc, u3.ConnectTimeoutError):
        return failure.connect_timeout()
    if isinstance(exc, u3.ReadTimeoutError):
        return failure.read_timeout()
    return failure.failed(_short(exc))


def _short(exc: BaseException) -> str:
    text = str(exc)
    # urllib3 prefixes messages with the connection object's repr, which is noise to a reader
    return text.split(": ", 1)[-1] if text.startswith("<") else text
