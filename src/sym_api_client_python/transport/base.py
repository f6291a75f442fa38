"""What a transport receives and the decisions around it, without I/O.

A :class:`PreparedRequest` is a :class:`~sym_api_client_python.core.http.Request` turned into a
URL, headers and body bytes; transports only move those bytes. Retry decisions
(:func:`retry_delay`) are made here once, for both the sync and the async client.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

import msgspec

from ..core.errors import ProxyError, TlsError, TransportError
from ..core.http import Component, Part, Request, Response, RetryPolicy, encode_params, parse_retry_after

if TYPE_CHECKING:
    import ssl

    from ..core.config import ProxyConfig

__all__ = [
    "USER_AGENT",
    "AsyncTransport",
    "PreparedRequest",
    "Route",
    "SyncTransport",
    "encode_multipart",
    "new_trace_id",
    "prepare_request",
    "retry_delay",
]

USER_AGENT = "sym-api-client-python/2.0.0"


@dataclass(frozen=True)
class Route:
    """How to reach one component: base URL (with context path), proxy and TLS settings."""

    component: Component
    base_url: str
    proxy: ProxyConfig | None = None
    #: ``None`` for plain http; for https the context that verifies the server (and, for
    #: certificate auth, presents the bot's client certificate)
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PreparedRequest:
    """A request ready for the wire. ``headers`` may hold tokens: never log them."""

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes | None
    route: Route
    connect_timeout: float
    read_timeout: float
    trace_id: str

    @property
    def path(self) -> str:
        """The URL without scheme, host and query, for logs."""
        rest = self.url.split("://", 1)[-1]
        path = rest[rest.find("/") :] if "/" in rest else "/"
        return path.split("?", 1)[0]


class SyncTransport(Protocol):
    """Sends one prepared request and returns the complete answer (any status).

    Raises :class:`TransportError` (with ``request_sent`` set), :class:`TlsError` or
    :class:`TimeoutError_` when no answer came back."""

    def send(self, request: PreparedRequest) -> Response: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    async def send(self, request: PreparedRequest) -> Response: ...

    async def close(self) -> None: ...


def new_trace_id() -> str:
    """A random id sent as ``X-Trace-Id``; it ends up in errors as ``request_id``."""
    return secrets.token_hex(8)


def prepare_request(
    request: Request,
    route: Route,
    *,
    token_headers: Mapping[str, str],
    connect_timeout: float,
    read_timeout: float,
) -> PreparedRequest:
    """Build URL, headers and body for ``request`` on ``route``."""
    url = route.base_url + request.path
    query = encode_params(request.params)
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    trace_id = new_trace_id()
    headers: dict[str, str] = {
        "User-Agent": USER_AGENT,
        "Cache-Control": "no-cache",
        "Accept": "application/json",
        "X-Trace-Id": trace_id,
    }
    body: bytes | None = None
    if request.multipart is not None:
        body, content_type = encode_multipart(request.multipart)
        headers["Content-Type"] = content_type
    elif request.json is not None:
        body = msgspec.json.encode(request.json)
        headers["Content-Type"] = "application/json"
    if request.authenticated:
        headers.update(token_headers)
    if request.headers:
        headers.update(request.headers)
    return PreparedRequest(
        method=request.method.upper(),
        url=url,
        headers=headers,
        body=body,
        route=route,
        connect_timeout=connect_timeout,
        read_timeout=request.timeout if request.timeout is not None else read_timeout,
        trace_id=trace_id,
    )


def _quote_field(value: str) -> str:
    # an RFC 7230 quoted-string (backslash escapes), which both aiohttp and python-multipart
    # servers unescape; line breaks would end the header, so they become spaces
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")


def encode_multipart(parts: Sequence[Part], boundary: str | None = None) -> tuple[bytes, str]:
    """``multipart/form-data`` body and its Content-Type for ``parts``."""
    boundary = boundary or f"----symbot{secrets.token_hex(12)}"
    chunks: list[bytes] = []
    for part in parts:
        disposition = f'form-data; name="{_quote_field(part.name)}"'
        if part.filename is not None:
            disposition += f'; filename="{_quote_field(part.filename)}"'
        content_type = part.content_type or (
            "application/octet-stream" if part.filename is not None else None
        )
        header = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        if content_type:
            header += f"Content-Type: {content_type}\r\n"
        content = part.content.encode("utf-8") if isinstance(part.content, str) else part.content
        chunks += [header.encode("utf-8"), b"\r\n", content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def retry_delay(
    policy: RetryPolicy,
    request: Request,
    attempt: int,
    *,
    response: Response | None = None,
    error: BaseException | None = None,
) -> float | None:
    """Seconds to wait before retrying ``request`` after ``attempt`` (1-based), or ``None``.

    - TLS failures and proxy refusals (407/403) are never retried: they do not get better.
    - Network errors are retried; for a non-idempotent request only when it surely never left
      (connection refused, connect timeout), since a message must not be posted twice.
    - 429 is retried for every request (the server refused it, nothing happened) honouring
      Retry-After; 5xx only for idempotent requests.
    """
    if error is not None:
        if isinstance(error, (TlsError, ProxyError)) or not isinstance(error, TransportError):
            return None
        if not request.idempotent and getattr(error, "request_sent", True):
            return None
        return policy.delay(attempt)
    if response is None or not policy.should_retry_status(response.status):
        return None
    if response.status != 429 and not request.idempotent:
        return None
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    return policy.delay(attempt, retry_after=retry_after)
