"""The SDK's wording of transport failures, shared by the urllib3 and aiohttp transports.

Each transport only recognises its library's exceptions; what the resulting error says (which
host, what failed, the request id to quote) is decided here, so both transports say it alike.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import ProxyError, TimeoutError_, TlsError, TransportError
from .base import PreparedRequest


class TransportFailure:
    """Builds the error for one failed :class:`PreparedRequest`."""

    def __init__(self, request: PreparedRequest) -> None:
        self.request = request
        self.host = request.url.split("://", 1)[-1].split("/", 1)[0]
        self._trace = f" (request id {request.trace_id})"
        self._where: dict[str, Any] = {"method": request.method, "url": request.url}

    @property
    def proxy(self) -> str:
        return self.request.route.proxy.url if self.request.route.proxy else "the proxy"

    def tls_verification(self, reason: object) -> TlsError:
        message = f"TLS verification of {self.host} failed: {reason}{self._trace}"
        return TlsError(message, request_sent=False, **self._where)

    def tls_handshake(self, reason: object) -> TlsError:
        message = f"TLS handshake with {self.host} failed: {reason}{self._trace}"
        return TlsError(message, request_sent=False, **self._where)

    def proxy_refused(self, status: int) -> ProxyError:
        """The proxy answered 403 (destination refused) or 407 (credentials rejected)."""
        what = "rejected the proxy credentials" if status == 407 else "refused the destination"
        return ProxyError(
            f"proxy {self.proxy} {what} (HTTP {status}) for {self.host}{self._trace}",
            request_sent=False,
            **self._where,
        )

    def not_sent(self, message: str) -> TransportError:
        """A failure before the request left (``message`` names the host); the request id is added."""
        return TransportError(f"{message}{self._trace}", request_sent=False, **self._where)

    def cannot_connect(self, reason: object) -> TransportError:
        return self.not_sent(f"cannot connect to {self.host}: {reason}")

    def connect_timeout(self) -> TimeoutError_:
        return TimeoutError_(
            f"connecting to {self.host} timed out after {self.request.connect_timeout:g} s{self._trace}",
            request_sent=False,
            **self._where,
        )

    def read_timeout(self) -> TimeoutError_:
        request = self.request
        return TimeoutError_(
            f"{request.method} {request.path} on {self.host}: no answer within "
            f"{request.read_timeout:g} s{self._trace}",
            **self._where,
        )

    def failed(self, reason: str) -> TransportError:
        """Anything else: the request may have been sent."""
        request = self.request
        return TransportError(
            f"{request.method} {request.path} on {self.host} failed: {reason}{self._trace}", **self._where
        )
