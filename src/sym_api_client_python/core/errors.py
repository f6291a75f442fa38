"""The one exception hierarchy of the SDK.

Every error the SDK raises derives from :class:`SymphonyError`. HTTP statuses are mapped to
these classes in exactly one place, :func:`sym_api_client_python.core.http.error_for_response`.
The legacy exception names (``exceptions.APIClientErrorException`` ...) are aliases of these
classes so that old ``except`` clauses keep working.
"""

from __future__ import annotations

from typing import Any


class SymphonyError(Exception):
    """Root of every exception raised by the SDK."""


class ConfigError(SymphonyError, ValueError):
    """A configuration value is missing or invalid; the message names the key and the file.

    ``problems`` lists every problem found when several were (``ConfigProblem`` objects)."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        source: str | None = None,
        problems: list[Any] | None = None,
    ) -> None:
        self.key = key
        self.source = source
        self.problems = list(problems or [])
        super().__init__(message)


class TransportError(SymphonyError):
    """The request never got an HTTP answer: connection refused or reset, TLS failure, timeout.

    ``request_sent`` is False when the request surely never reached the server (connection
    refused, connect timeout, TLS handshake): only then may a non-idempotent call be retried."""

    def __init__(
        self, message: str, *, method: str | None = None, url: str | None = None, request_sent: bool = True
    ) -> None:
        self.method = method
        self.url = url
        self.request_sent = request_sent
        super().__init__(message)


class TlsError(TransportError):
    """TLS handshake or certificate verification failed (fails closed, never retried)."""


class ProxyError(TransportError):
    """The proxy refused to open the tunnel: 407 (wrong proxy credentials) or 403 (destination
    not allowed). Fails at once: retrying cannot help and may lock the proxy account."""


class TimeoutError_(TransportError):  # trailing "_": avoid shadowing the builtin TimeoutError
    """Connect or read timeout."""


class ApiError(SymphonyError):
    """The pod, agent or key manager answered with an error status.

    Carries the HTTP status, Symphony's error ``code`` and ``message`` (from the ``{code, message}``
    body), the request method and URL, and the request id (``X-Trace-Id``) for support tickets.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.message = message
        self.code = code
        self.method = method
        self.url = url
        self.request_id = request_id
        self.body = body
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = f" {self.method} {self.url}" if self.method and self.url else ""
        parts = [f"HTTP {self.status}{where}: {self.message or '(no message)'}"]
        if self.code is not None and self.code != self.status:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        return parts[0] if len(parts) == 1 else f"{parts[0]} ({', '.join(parts[1:])})"


class ClientError(ApiError):
    """Any 4xx answer (legacy name: ``APIClientErrorException``)."""


class BadRequestError(ClientError):
    """400: the request was rejected (bad payload, malformed MessageML, unknown id...)."""


class DatafeedNotFoundError(BadRequestError):
    """The datafeed id is unknown or expired (v1: 400 "Could not find a datafeed with the id";
    v2: 400/404). The datafeed engine recreates the feed. Legacy name: ``DatafeedExpiredException``."""


class AuthError(ClientError):
    """401: the session or key manager token is missing, expired or invalid, and a re-login did
    not help; also raised when a login itself is refused. Legacy name: ``UnauthorizedException``."""


class MaxRetryError(AuthError):
    """Authentication failed after the bounded number of attempts. Legacy name: ``MaxRetryException``."""

    def __init__(self, message: str, *, attempts: int = 0, cause: BaseException | None = None) -> None:
        self.attempts = attempts
        self.cause = cause
        status = cause.status if isinstance(cause, ApiError) else 401
        super().__init__(status, message)
        if cause is not None:
            self.__cause__ = cause


class ForbiddenError(ClientError):
    """403 (missing entitlement, not a member of the stream) and 405. Legacy: ``ForbiddenException``."""


class NotFoundError(ClientError):
    """404."""


class RateLimitedError(ClientError):
    """429; ``retry_after`` holds the server's Retry-After in seconds when it sent one."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class ServerError(ApiError):
    """5xx. Legacy name: ``ServerErrorException``."""


class UnexpectedResponseError(ApiError):
    """A status the API never sends (e.g. 3xx) or a success body that cannot be decoded."""


__all__ = [
    "ApiError",
    "AuthError",
    "BadRequestError",
    "ClientError",
    "ConfigError",
    "DatafeedNotFoundError",
    "ForbiddenError",
    "MaxRetryError",
    "NotFoundError",
    "ProxyError",
    "RateLimitedError",
    "ServerError",
    "SymphonyError",
    "TimeoutError_",
    "TlsError",
    "TransportError",
    "UnexpectedResponseError",
]
