"""Authentication without I/O: the JWT, the login requests, and the token state machine.

Theory of operation. A bot holds two tokens: the *session token* (pod and agent) and the *key
manager token* (agent only). :class:`TokenState` keeps them with the time they were acquired and
a *generation* number that grows by one at each successful login.

- Before a call, the driver asks :meth:`TokenState.needs_login` (no tokens yet, or older than
  ``authTokenRefreshPeriod``: proactive refresh).
- A call remembers the generation its tokens came from. When it gets 401, it asks for a re-login
  *of that generation*: under the driver's lock, the login happens only if the current generation
  is still the same. So 50 concurrent calls that all see 401 cause exactly one login; the 49
  others find a newer generation and just retry with it.
- A login that fails is remembered (:attr:`TokenState.failure`) so that callers that were
  waiting for it get the same error instead of starting 49 more logins.

The drivers (``client.SyncApiClient`` with a ``threading.Lock``, ``client.AsyncApiClient`` with an
``asyncio.Lock``) only add locking, sleeping and the network.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .errors import ApiError, MaxRetryError, UnexpectedResponseError
from .http import Component, Request, Response

if TYPE_CHECKING:
    from .config import BotConfig

__all__ = [
    "JWT_LIFETIME_SECONDS",
    "LoginFlow",
    "LoginStep",
    "TokenState",
    "Tokens",
    "create_jwt",
    "login_gave_up",
    "login_is_retryable",
]

#: Symphony refuses JWTs that expire more than 5 minutes ahead; the legacy SDK used 290 s.
JWT_LIFETIME_SECONDS = 290

LoginStep = Literal["session", "keyManager"]


def create_jwt(
    username: str,
    private_key: Any,
    *,
    now: float | None = None,
    lifetime: int = JWT_LIFETIME_SECONDS,
) -> str:
    """An RS512-signed JWT with ``sub`` = the bot's username, ``iat`` = now, ``exp`` = now + lifetime.

    ``private_key``: PEM (bytes/str) or, much faster, a loaded ``cryptography`` RSA key (parsing a
    PEM key runs costly consistency checks, ~50 ms)."""
    import jwt  # lazy: pyjwt pulls in cryptography

    if not 0 < lifetime <= 300:
        raise ValueError("a Symphony login JWT must expire within 300 seconds")
    issued = int(now if now is not None else time.time())
    claims = {"sub": username, "iat": issued, "exp": issued + lifetime}
    return jwt.encode(claims, private_key, algorithm="RS512")


@dataclass(frozen=True)
class Tokens:
    session_token: str = field(repr=False)
    key_manager_token: str | None = field(default=None, repr=False)


class TokenState:
    """The bot's tokens, their age and generation (see the module docstring)."""

    def __init__(self, refresh_period_seconds: float | None = None) -> None:
        self.refresh_period_seconds = refresh_period_seconds
        self.tokens: Tokens | None = None
        self.acquired_at: float | None = None
        self.generation = 0
        #: ``(generation it tried to replace, error)`` of the last failed login
        self.failure: tuple[int, BaseException] | None = None
        #: how many logins were started (tests and metrics read it)
        self.login_count = 0
        self.login_in_progress = False

    def needs_login(self, now: float) -> bool:
        if self.tokens is None or self.acquired_at is None:
            return True
        period = self.refresh_period_seconds
        return period is not None and now - self.acquired_at >= period

    def should_login(self, seen_generation: int) -> bool:
        """Whether a caller that saw ``seen_generation`` fail must log in itself (under the lock)."""
        return self.generation == seen_generation

    def wait_ticket(self) -> int:
        """Taken before waiting for the lock: identifies the login this caller waits for (the
        one in progress, else the next one to start)."""
        return self.login_count - 1 if self.login_in_progress else self.login_count

    def failure_for(self, seen_generation: int, ticket: int) -> BaseException | None:
        """The error of a login for ``seen_generation`` that ran while this caller waited."""
        if self.failure is None or self.login_count == ticket:
            return None
        failed_generation, error = self.failure
        return error if failed_generation == seen_generation else None

    def login_started(self) -> None:
        self.login_count += 1
        self.login_in_progress = True

    def login_succeeded(self, tokens: Tokens, now: float) -> None:
        self.tokens = tokens
        self.acquired_at = now
        self.generation += 1
        self.failure = None
        self.login_in_progress = False

    def login_failed(self, seen_generation: int, error: BaseException) -> None:
        self.failure = (seen_generation, error)
        self.login_in_progress = False

    def update_token(self, step: LoginStep, token: str, now: float) -> None:
        """Replace one token (the legacy ``session_authenticate()`` / ``key_manager_authenticate()``)."""
        current = self.tokens or Tokens("")
        if step == "session":
            self.tokens = Tokens(token, current.key_manager_token)
        else:
            self.tokens = Tokens(current.session_token, token)
        self.acquired_at = now
        self.generation += 1

    def headers_for(self, component: Component) -> dict[str, str]:
        """``sessionToken`` for pod and agent, plus ``keyManagerToken`` for the agent."""
        if self.tokens is None:
            return {}
        headers = {"sessionToken": self.tokens.session_token}
        if component is Component.AGENT and self.tokens.key_manager_token:
            headers["keyManagerToken"] = self.tokens.key_manager_token
        return headers


class LoginFlow:
    """The two login requests of a bot, for RSA or certificate authentication.

    RSA: POST ``{"token": <JWT>}`` to ``/login/pubkey/authenticate`` (session) and
    ``/relay/pubkey/authenticate`` (key manager); a fresh JWT for each request.
    Certificate: body-less POST to ``/sessionauth/v1/authenticate`` and
    ``/keyauth/v1/authenticate`` over mutual TLS (no body and no content type: Symphony rejects
    a ``{}`` body there).
    """

    def __init__(
        self,
        mode: Literal["rsa", "certificate"],
        *,
        username: str | None = None,
        private_key: Any = None,
    ) -> None:
        if mode == "rsa" and (not username or private_key is None):
            raise ValueError("RSA login needs botUsername and a private key")
        self.mode = mode
        self.username = username
        self._private_key = private_key

    @classmethod
    def from_config(cls, config: BotConfig, mode: Literal["rsa", "certificate"] | None = None) -> LoginFlow:
        """Build the flow; reads and checks the private key for RSA (``ConfigError`` when unusable)."""
        from .config_check import read_private_key
        from .errors import ConfigError

        mode = mode or config.auth_mode
        if mode is None:
            raise ConfigError(
                "no credentials configured: set botPrivateKeyPath + botPrivateKeyName (RSA) "
                "or botCertPath + botCertName (certificate)",
                source=str(config.source) if config.source else None,
            )
        if mode == "certificate":
            if config.bot_cert_path is None:
                raise ConfigError(
                    "botCertPath + botCertName are required for certificate authentication", key="botCertPath"
                )
            return cls("certificate")
        if not config.bot_username:
            raise ConfigError("botUsername is required for RSA authentication", key="botUsername")
        try:
            key = read_private_key(config)
        except ValueError as exc:
            raise ConfigError(f"botPrivateKeyPath: {exc}", key="botPrivateKeyPath") from None
        return cls("rsa", username=config.bot_username, private_key=key)

    def create_jwt(self, now: float | None = None) -> str:
        if self.mode != "rsa" or self.username is None:
            raise ValueError("create_jwt() is for RSA authentication; this bot uses a certificate")
        return create_jwt(self.username, self._private_key, now=now)

    def request(self, step: LoginStep) -> Request:
        if self.mode == "rsa":
            path = "/login/pubkey/authenticate" if step == "session" else "/relay/pubkey/authenticate"
            component = Component.SESSION_AUTH if step == "session" else Component.KEY_AUTH
            return Request(
                "POST",
                component,
                path,
                json={"token": self.create_jwt()},
                authenticated=False,
                idempotent=True,
            )
        if step == "session":
            return Request(
                "POST",
                Component.SESSION_AUTH,
                "/sessionauth/v1/authenticate",
                authenticated=False,
                idempotent=True,
            )
        return Request(
            "POST", Component.KEY_AUTH, "/keyauth/v1/authenticate", authenticated=False, idempotent=True
        )

    @staticmethod
    def parse_token(step: LoginStep, response: Response) -> str:
        """The ``token`` field of a login answer."""
        body = response.json()
        token = body.get("token") if isinstance(body, Mapping) else None
        if not isinstance(token, str) or not token:
            raise UnexpectedResponseError(
                response.status, f"{step} login answer has no 'token' field", request_id=response.request_id
            )
        return token


def login_is_retryable(error: BaseException) -> bool:
    """Transient login failures (network, 5xx, 429) are retried; a refusal (400/401/403/404)
    means the credentials or the config are wrong, and retrying would only delay the news."""
    from .errors import ProxyError, TlsError, TransportError

    if isinstance(error, (TlsError, ProxyError)):
        return False
    if isinstance(error, TransportError):
        return True
    if isinstance(error, ApiError):
        return error.status == 429 or error.status >= 500
    return False


def login_gave_up(error: BaseException, attempts: int) -> MaxRetryError:
    """The error raised when a login is abandoned, carrying the last cause."""
    if isinstance(error, ApiError) and not login_is_retryable(error):
        message = f"login refused (not retried): {error}"
    else:
        message = f"login failed after {attempts} attempt{'s' if attempts != 1 else ''}: {error}"
    return MaxRetryError(message, attempts=attempts, cause=error)
