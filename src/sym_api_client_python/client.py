"""The SDK's HTTP clients: :class:`SyncApiClient` (urllib3) and :class:`AsyncApiClient` (aiohttp).

Both implement :class:`~sym_api_client_python.core.http.SyncRequester` /
:class:`~sym_api_client_python.core.http.AsyncRequester`: ``request(Request) -> Response`` returns
a 2xx answer or raises an error from :mod:`sym_api_client_python.core.errors`. Behind that call:

- tokens are attached (``sessionToken``; ``keyManagerToken`` for the agent), logging in first
  when there are none or they are older than ``authTokenRefreshPeriod``;
- a 401 triggers *one* re-login however many calls see it at once (see :mod:`core.auth`), and
  the call is sent again with the new tokens; its answer is returned (the legacy SDK dropped it);
- 5xx, 429 and network errors are retried with exponential backoff and jitter
  (:func:`transport.base.retry_delay` decides);
- every request has connect and read timeouts.

The two classes differ only where they wait: a ``threading.Lock`` and ``time.sleep`` for the
sync one, an ``asyncio.Lock`` and ``asyncio.sleep`` for the async one (never blocking the loop).

    with SyncApiClient.from_config("bot-config.json") as client:
        me = client.session_info()
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from os import PathLike
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .core.auth import LoginFlow, LoginStep, Tokens, TokenState, login_gave_up, login_is_retryable
from .core.errors import ApiError, ProxyError, TlsError, TransportError
from .core.http import Component, Request, Response, RetryPolicy, error_for_response

if TYPE_CHECKING:
    from .core.config import BotConfig
    from .transport.base import AsyncTransport, PreparedRequest, Route, SyncTransport

__all__ = ["AsyncApiClient", "SyncApiClient", "coerce_config"]

logger = logging.getLogger("sym_api_client_python.http")

AuthModeArg = Literal["rsa", "certificate"] | None
_Self = TypeVar("_Self", bound="_ClientBase")

SESSION_INFO_PATH = "/pod/v2/sessioninfo"


def coerce_config(config: Any) -> BotConfig:
    """A :class:`BotConfig` from a ``BotConfig``, a legacy ``SymConfig`` or a config file path."""
    from .core.config import BotConfig, load_config

    if isinstance(config, BotConfig):
        return config
    bot_config = getattr(config, "bot_config", None)  # legacy SymConfig (loads itself if needed)
    if isinstance(bot_config, BotConfig):
        return bot_config
    if isinstance(config, (str, PathLike)):
        return load_config(config)
    raise TypeError(f"expected a BotConfig, SymConfig or config file path, got {type(config).__name__}")


class _ClientBase:
    """What both clients share: config, routes, token state, request preparation."""

    def __init__(
        self,
        config: BotConfig,
        *,
        auth_mode: AuthModeArg = None,
        retry_policy: RetryPolicy | None = None,
        login_retry_policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.auth_mode = auth_mode or config.auth_mode
        self.retry_policy = retry_policy or config.retry_policy
        self.login_retry_policy = login_retry_policy or config.login_retry_policy
        self._clock = clock
        period = config.auth_token_refresh_period
        self.token_state = TokenState(period * 60 if period else None)
        self._routes: dict[Component, Route] | None = None
        self._login_flow: LoginFlow | None = None
        self._session_info: dict[str, Any] | None = None

    @classmethod
    def from_config(cls: type[_Self], config: Any, **options: Any) -> _Self:
        """Build a client from a ``BotConfig``, a legacy ``SymConfig`` or a config file path."""
        return cls(coerce_config(config), **options)

    # ------------------------------------------------------------------ shared pieces
    @property
    def routes(self) -> dict[Component, Route]:
        """Per-component base URL, proxy and TLS context (built on first use)."""
        if self._routes is None:
            from .transport.tls import build_routes, load_client_certificate

            certificate = None
            if self.auth_mode == "certificate" and self.config.bot_cert_path is not None:
                from .core.errors import ConfigError

                try:
                    certificate = load_client_certificate(
                        self.config.bot_cert_path,
                        self.config.bot_cert_password,
                        self.config.bot_cert_key_path,
                    )
                except ValueError as exc:
                    raise ConfigError(f"botCertPath: {exc}", key="botCertPath") from None
            self._routes = build_routes(self.config, client_certificate=certificate)
        return self._routes

    @property
    def login_flow(self) -> LoginFlow:
        if self._login_flow is None:
            self._login_flow = LoginFlow.from_config(self.config, self.auth_mode)
        return self._login_flow

    @property
    def session_token(self) -> str | None:
        tokens = self.token_state.tokens
        return tokens.session_token if tokens else None

    @property
    def key_manager_token(self) -> str | None:
        tokens = self.token_state.tokens
        return tokens.key_manager_token if tokens else None

    def _prepare(self, request: Request) -> PreparedRequest:
        from .transport.base import prepare_request

        return prepare_request(
            request,
            self.routes[request.component],
            token_headers=self.token_state.headers_for(request.component),
            connect_timeout=self.config.connect_timeout,
            read_timeout=self.config.read_timeout,
        )

    def _log(self, prepared: PreparedRequest, status: int | str, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            # method, path, status and duration only: URLs may carry ids, headers carry tokens
            logger.debug(
                "%s %s -> %s in %.1f ms",
                prepared.method,
                prepared.path,
                status,
                (self._clock() - started) * 1000,
            )

    # The retry decisions below are shared by both clients; only sleeping and sending differ.
    def _retry_after_failure(self, request: Request, attempt: int, error: TransportError) -> float | None:
        """Seconds to wait before retrying after ``error``, or None to give up (logged)."""
        from .transport.base import retry_delay

        delay = retry_delay(self.retry_policy, request, attempt, error=error)
        if delay is not None:
            logger.warning(
                "%s %s failed (%s); retry %d in %.2f s", request.method, request.path, error, attempt, delay
            )
        return delay

    def _retry_after_answer(self, request: Request, attempt: int, response: Response) -> float | None:
        """Seconds to wait before retrying after ``response``, or None to keep it (logged)."""
        from .transport.base import retry_delay

        delay = retry_delay(self.retry_policy, request, attempt, response=response)
        if delay is not None:
            logger.warning(
                "%s %s answered %d; retry %d in %.2f s",
                request.method,
                request.path,
                response.status,
                attempt,
                delay,
            )
        return delay

    def _login_retry_delay(self, error: TransportError | ApiError, attempt: int) -> float:
        """Seconds to wait before logging in again after ``error``; raises when login must stop."""
        if isinstance(error, (TlsError, ProxyError)):
            raise error  # a TLS failure or proxy refusal is a configuration problem: say so
        if not login_is_retryable(error):
            raise login_gave_up(error, attempt) from error
        retry_after = None
        if isinstance(error, ApiError) and error.status == 429:
            retry_after = getattr(error, "retry_after", None)
        delay = self.login_retry_policy.delay(attempt, retry_after=retry_after)
        if delay is None:
            raise login_gave_up(error, attempt) from error
        logger.warning("login attempt %d failed (%s); retrying in %.1f s", attempt, error, delay)
        return delay

    @staticmethod
    def _stamp(prepared: PreparedRequest, response: Response) -> Response:
        # the X-Trace-Id we sent identifies the call in errors and support tickets
        if response.request_id is None:
            response.request_id = prepared.trace_id
        return response

    @staticmethod
    def _check(request: Request, prepared_url: str, response: Response) -> Response:
        if 200 <= response.status < 300:
            return response
        raise error_for_response(request, response, url=prepared_url)


class SyncApiClient(_ClientBase):
    """Blocking client (urllib3). Thread-safe: share one per bot."""

    def __init__(
        self,
        config: BotConfig,
        *,
        transport: SyncTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ) -> None:
        super().__init__(config, **options)
        self._transport = transport
        self._sleep = sleep
        self._login_lock = threading.Lock()
        self._info_lock = threading.Lock()

    @property
    def transport(self) -> SyncTransport:
        if self._transport is None:
            from .transport.sync_urllib3 import Urllib3Transport

            self._transport = Urllib3Transport()
        return self._transport

    # ------------------------------------------------------------------ public API
    def request(self, request: Request) -> Response:
        """Send ``request``; return its 2xx :class:`Response` or raise an :class:`ApiError`,
        :class:`TransportError` or (login impossible) :class:`MaxRetryError`."""
        if not request.authenticated:
            url, response = self._send_with_retries(request)
            return self._check(request, url, response)
        state = self.token_state
        if state.needs_login(self._clock()):
            self._relogin(state.generation)
        generation = state.generation
        url, response = self._send_with_retries(request)
        if response.status == 401:
            logger.info("HTTP 401 on %s %s: logging in again", request.method, request.path)
            self._relogin(generation)
            url, response = self._send_with_retries(request)
        return self._check(request, url, response)

    def authenticate(self) -> None:
        """Log in now (both tokens), whatever the state of the current tokens."""
        self._relogin(self.token_state.generation)

    def login_step(self, step: LoginStep) -> str:
        """Fetch one token with a single request (legacy ``session_authenticate()`` and
        ``key_manager_authenticate()``) and store it."""
        token = self._fetch_token(step)
        self.token_state.update_token(step, token, self._clock())
        return token

    def session_info(self) -> dict[str, Any]:
        """``GET /pod/v2/sessioninfo`` (the bot's own user: ``id``, ``username``...), cached."""
        with self._info_lock:
            if self._session_info is None:
                self._session_info = self.request(Request("GET", Component.POD, SESSION_INFO_PATH)).json()
            return self._session_info

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def __enter__(self) -> SyncApiClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ internals
    def _send_with_retries(self, request: Request) -> tuple[str, Response]:
        attempt = 0
        while True:
            attempt += 1
            prepared = self._prepare(request)
            started = self._clock()
            try:
                response = self._stamp(prepared, self.transport.send(prepared))
            except TransportError as exc:
                self._log(prepared, type(exc).__name__, started)
                delay = self._retry_after_failure(request, attempt, exc)
                if delay is None:
                    raise
                self._sleep(delay)
                continue
            self._log(prepared, response.status, started)
            delay = self._retry_after_answer(request, attempt, response)
            if delay is None:
                return prepared.url, response
            self._sleep(delay)

    def _relogin(self, seen_generation: int) -> None:
        state = self.token_state
        ticket = state.wait_ticket()
        with self._login_lock:
            failure = state.failure_for(seen_generation, ticket)
            if failure is not None:
                raise failure  # the login we waited for failed: don't start another one
            if not state.should_login(seen_generation):
                return  # another caller already logged in
            state.login_started()
            try:
                tokens = self._login_with_retries()
            except BaseException as exc:
                state.login_failed(seen_generation, exc)
                raise
            state.login_succeeded(tokens, self._clock())

    def _login_with_retries(self) -> Tokens:
        attempt = 0
        while True:
            attempt += 1
            try:
                return Tokens(self._fetch_token("session"), self._fetch_token("keyManager"))
            except (TransportError, ApiError) as exc:
                delay = self._login_retry_delay(exc, attempt)
                self._sleep(delay)

    def _fetch_token(self, step: LoginStep) -> str:
        request = self.login_flow.request(step)
        prepared = self._prepare(request)
        started = self._clock()
        try:
            response = self._stamp(prepared, self.transport.send(prepared))
        finally:
            self._log(prepared, "login", started)
        self._check(request, prepared.url, response)
        return LoginFlow.parse_token(step, response)


class AsyncApiClient(_ClientBase):
    """Non-blocking client (aiohttp). Use it from one event loop at a time."""

    def __init__(
        self,
        config: BotConfig,
        *,
        transport: AsyncTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        **options: Any,
    ) -> None:
        super().__init__(config, **options)
        self._transport = transport
        self._sleep = sleep
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    @property
    def transport(self) -> AsyncTransport:
        if self._transport is None:
            from .transport.async_aiohttp import AiohttpTransport

            self._transport = AiohttpTransport()
        return self._transport

    def _login_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    # ------------------------------------------------------------------ public API
    async def request(self, request: Request) -> Response:
        """Async twin of :meth:`SyncApiClient.request`."""
        if not request.authenticated:
            url, response = await self._send_with_retries(request)
            return self._check(request, url, response)
        state = self.token_state
        if state.needs_login(self._clock()):
            await self._relogin(state.generation)
        generation = state.generation
        url, response = await self._send_with_retries(request)
        if response.status == 401:
            logger.info("HTTP 401 on %s %s: logging in again", request.method, request.path)
            await self._relogin(generation)
            url, response = await self._send_with_retries(request)
        return self._check(request, url, response)

    async def authenticate(self) -> None:
        await self._relogin(self.token_state.generation)

    async def login_step(self, step: LoginStep) -> str:
        await self._load_files(login=True)
        token = await self._fetch_token(step)
        self.token_state.update_token(step, token, self._clock())
        return token

    async def session_info(self) -> dict[str, Any]:
        if self._session_info is None:
            info = (await self.request(Request("GET", Component.POD, SESSION_INFO_PATH))).json()
            self._session_info = info
        return self._session_info

    async def close(self) -> None:
        if self._transport is not None:
            await self._transport.close()

    async def __aenter__(self) -> AsyncApiClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ internals
    async def _load_files(self, *, login: bool) -> None:
        # reading the key/certificate files and parsing them (RSA key checks take ~50 ms)
        # happens once, in a worker thread: never on the event loop
        if self._routes is None:
            await asyncio.to_thread(lambda: self.routes)
        if login and self._login_flow is None:
            await asyncio.to_thread(lambda: self.login_flow)

    async def _send_with_retries(self, request: Request) -> tuple[str, Response]:
        await self._load_files(login=False)
        attempt = 0
        while True:
            attempt += 1
            prepared = self._prepare(request)
            started = self._clock()
            try:
                response = self._stamp(prepared, await self.transport.send(prepared))
            except TransportError as exc:
                self._log(prepared, type(exc).__name__, started)
                delay = self._retry_after_failure(request, attempt, exc)
                if delay is None:
                    raise
                await self._sleep(delay)
                continue
            self._log(prepared, response.status, started)
            delay = self._retry_after_answer(request, attempt, response)
            if delay is None:
                return prepared.url, response
            await self._sleep(delay)

    async def _relogin(self, seen_generation: int) -> None:
        state = self.token_state
        ticket = state.wait_ticket()
        async with self._login_lock():
            failure = state.failure_for(seen_generation, ticket)
            if failure is not None:
                raise failure
            if not state.should_login(seen_generation):
                return
            state.login_started()
            try:
                tokens = await self._login_with_retries()
            except BaseException as exc:
                state.login_failed(seen_generation, exc)
                raise
            state.login_succeeded(tokens, self._clock())

    async def _login_with_retries(self) -> Tokens:
        await self._load_files(login=True)
        attempt = 0
        while True:
            attempt += 1
            try:
                return Tokens(await self._fetch_token("session"), await self._fetch_token("keyManager"))
            except (TransportError, ApiError) as exc:
                delay = self._login_retry_delay(exc, attempt)
                await self._sleep(delay)

    async def _fetch_token(self, step: LoginStep) -> str:
        request = self.login_flow.request(step)
        prepared = self._prepare(request)
        started = self._clock()
        try:
            response = self._stamp(prepared, await self.transport.send(prepared))
        finally:
            self._log(prepared, "login", started)
        self._check(request, prepared.url, response)
        return LoginFlow.parse_token(step, response)
