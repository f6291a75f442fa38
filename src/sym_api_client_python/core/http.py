"""Sans-IO HTTP layer: request/response values, status → exception mapping, retry policy.

Nothing here performs I/O. The sync (urllib3) and async (aiohttp) transports turn a
:class:`Request` into bytes on a socket and hand back a :class:`Response`; everything that
decides *what* to send and *what an answer means* lives here, once, for both.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec

from .errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ClientError,
    DatafeedNotFoundError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
)


class Component(str, enum.Enum):
    """The Symphony services a bot talks to; each has its own base URL, proxy and tokens."""

    POD = "pod"
    AGENT = "agent"
    SESSION_AUTH = "sessionAuth"  # /login/pubkey/authenticate, /sessionauth/v1/authenticate
    KEY_AUTH = "keyAuth"  # /relay/pubkey/authenticate, /keyauth/v1/authenticate


ParamValue = str | int | float | bool | None | Sequence[str | int]


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a multipart/form-data body (message, data, attachment, preview...)."""

    name: str
    content: bytes | str
    filename: str | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """A request to one Symphony component, before it is turned into bytes.

    ``path`` is the full API path with path parameters already substituted and URL-quoted
    (e.g. ``/pod/v3/room/abc/info``); the transport prefixes the component's base URL
    (which includes the context path). ``authenticated`` tells the session layer to attach
    ``sessionToken`` (and ``keyManagerToken`` for the agent). ``timeout`` overrides the read
    timeout (the datafeed long-poll needs more than the default).
    """

    method: str
    component: Component
    path: str
    params: Mapping[str, ParamValue] | None = None
    json: Any = None
    multipart: Sequence[Part] | None = None
    headers: Mapping[str, str] | None = None
    timeout: float | None = None
    authenticated: bool = True
    #: Whether the call may be retried after a 5xx/429/network error. Non-idempotent calls
    #: (message create) are retried only when the request surely never reached the server.
    idempotent: bool = True


@dataclass(slots=True)
class Response:
    """A complete HTTP answer. Header names are lower-case."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    request_id: str | None = None

    def json(self) -> Any:
        """Decoded JSON body; raises :class:`UnexpectedResponseError` when it is not JSON."""
        try:
            return msgspec.json.decode(self.body)
        except msgspec.DecodeError as exc:
            snippet = self.body[:200].decode("utf-8", "replace")
            raise UnexpectedResponseError(
                self.status,
                f"response body is not valid JSON ({exc}): {snippet!r}",
                request_id=self.request_id,
            ) from exc

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def legacy_result(self) -> Any:
        """The legacy SDK's return convention: 204 → ``[]``, JSON → decoded, otherwise the text."""
        if self.status == 204 or not self.body:
            return []
        try:
            return msgspec.json.decode(self.body)
        except msgspec.DecodeError:
            return self.text


def encode_params(params: Mapping[str, ParamValue] | None) -> list[tuple[str, str]]:
    """Query parameters as the API expects them: booleans as ``true``/``false`` (the legacy SDK
    sent Python's ``True``), lists comma-joined, ``None`` values dropped."""
    if not params:
        return []
    encoded: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            encoded.append((key, "true" if value else "false"))
        elif isinstance(value, (list, tuple)):
            encoded.append((key, ",".join(str(v) for v in value)))
        else:
            encoded.append((key, str(value)))
    return encoded


DATAFEED_NOT_FOUND_MARKER = "could not find a datafeed with the"


def _error_fields(response: Response) -> tuple[str, int | None, Any]:
    """Symphony's ``{code, message}`` from an error body, tolerating HTML, empty or truncated bodies."""
    body: Any = None
    if response.body:
        try:
            body = msgspec.json.decode(response.body)
        except msgspec.DecodeError:
            body = None
    if isinstance(body, dict):
        message = body.get("message")
        code = body.get("code")
        return (
            str(message) if message is not None else "",
            code if isinstance(code, int) and not isinstance(code, bool) else None,
            body,
        )
    text = response.body[:500].decode("utf-8", "replace").strip()
    return text, None, text or None


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (only the delta-seconds form is honoured; dates are ignored)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def error_for_response(request: Request, response: Response, url: str | None = None) -> ApiError:
    """The one status → exception mapping of the SDK."""
    message, code, body = _error_fields(response)
    status = response.status
    common: dict[str, Any] = {
        "code": code,
        "method": request.method,
        "url": url or request.path,
        "request_id": response.request_id,
        "body": body,
    }
    is_datafeed = "/datafeed" in request.path
    if status == 400 and DATAFEED_NOT_FOUND_MARKER in message.lower():
        return DatafeedNotFoundError(status, message, **common)
    if is_datafeed and status == 404:
        return DatafeedNotFoundError(status, message, **common)
    if status == 400:
        return BadRequestError(status, message, **common)
    if status == 401:
        return AuthError(status, message, **common)
    if status in (403, 405):
        return ForbiddenError(status, message, **common)
    if status == 404:
        return NotFoundError(status, message, **common)
    if status == 429:
        return RateLimitedError(
            status, message, retry_after=parse_retry_after(response.headers.get("retry-after")), **common
        )
    if 400 <= status < 500:
        return ClientError(status, message, **common)
    if status >= 500:
        return ServerError(status, message, **common)
    return UnexpectedResponseError(status, message or "unexpected status", **common)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter for 5xx, 429 (honouring Retry-After) and network errors.

    ``delay(attempt)`` is the sleep before retry number ``attempt`` (1-based); ``None`` means give
    up. ``max_attempts=None`` never gives up (used by the datafeed loop).
    """

    max_attempts: int | None = 4
    initial_delay: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    def should_retry_status(self, status: int) -> bool:
        return status in self.retry_statuses

    def delay(
        self, attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float | None:
        if self.max_attempts is not None and attempt >= self.max_attempts:
            return None
        ceiling = min(self.max_delay, self.initial_delay * (self.multiplier ** (attempt - 1)))
        jittered = (rng or random).uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            return min(max(retry_after, jittered), max(self.max_delay, retry_after))
        return jittered


class SyncRequester(Protocol):
    """What services and the datafeed need from the sync HTTP stack: send one request, get a
    successful :class:`Response` or an :class:`ApiError`/:class:`TransportError`. Tokens, 401
    re-login (single flight), retries and timeouts are handled behind this call."""

    def request(self, request: Request) -> Response: ...


class AsyncRequester(Protocol):
    """Async twin of :class:`SyncRequester`."""

    async def request(self, request: Request) -> Response: ...
