"""Legacy ``SymBotClient(auth, config)``: the facade of the 1.x SDK, on the new HTTP stack.

It owns one :class:`~sym_api_client_python.client.SyncApiClient` and one
:class:`~sym_api_client_python.client.AsyncApiClient` that share a single token state, so a
re-login by either serves both (the legacy SDK had two sets of sessions refreshed separately).
When the auth object already carries a ``SyncApiClient`` (the foundation's ``SymBotRSAAuth`` /
``Auth`` do), that one is used, so its tokens are reused as they are.

Compared with 1.x: ``get_api_client()`` returns the client (it returned ``None``),
``get_presence_client()`` exists, the async executor accepts 201 like the sync one, a 401 is
retried once and the retried call's result is returned, and ``get_pod_session()`` /
``get_agent_session()`` return the shared :class:`SyncApiClient` (not a ``requests.Session``:
it attaches the right tokens per component; ``get_async_pod_session()`` /
``get_async_agent_session()`` return the :class:`AsyncApiClient`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import msgspec

from ..core.endpoints import PREFIX_COMPONENTS
from ..core.http import Component, Part, Request, Response, error_for_response
from .admin_client import AdminClient
from .api_client import APIClient, multipart_parts
from .connections_client import ConnectionsClient
from .health_check_client import HealthCheckClient
from .message_client import MessageClient
from .presence_client import PresenceClient
from .signals_client import SignalsClient
from .stream_client import StreamClient
from .user_client import UserClient

_REQUEST_KWARGS = frozenset({"params", "json", "files", "data", "headers", "timeout"})


def _find_sync_client(auth: Any) -> Any:
    from ..client import SyncApiClient

    for name in ("api_client", "sync_api_client", "client", "get_api_client"):
        candidate = getattr(auth, name, None)
        if callable(candidate) and not isinstance(candidate, SyncApiClient):
            try:
                candidate = candidate()
            except TypeError:
                continue
        if isinstance(candidate, SyncApiClient):
            return candidate
    return None


def _json_text(data: str | bytes) -> Any:
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError:
        raise TypeError("execute_rest_call: a str/bytes data= body must be JSON") from None


def _checked(request: Request, response: Response) -> Response:
    # The SDK clients raise already; this keeps custom requesters to the same contract.
    if response.status >= 400:
        raise error_for_response(request, response)
    return response


class SymBotClient(APIClient):
    """The legacy bot facade. Every ``get_*_client()`` builds its client once and caches it."""

    def __init__(self, auth: Any, config: Any) -> None:
        self.auth = auth
        self.config = config
        self.agentConfig = config  # legacy attribute: the same SymConfig
        self.bot_client = self
        self._lock = threading.RLock()  # factories call other accessors
        self._sync_client: Any = _find_sync_client(auth)
        self._async_client: Any = None
        self._clients: dict[str, Any] = {}
        self._datafeed_event_service: Any = None
        self._async_datafeed_event_service: Any = None
        self.bot_user_info: dict[str, Any] | None = None

    # --- the shared HTTP clients -----------------------------------------------------------------

    def get_sync_api_client(self) -> Any:
        """The :class:`SyncApiClient` every sync call of this bot goes through."""
        with self._lock:
            if self._sync_client is None:
                from ..client import SyncApiClient

                self._sync_client = SyncApiClient.from_config(self.config)
            return self._sync_client

    def get_async_api_client(self) -> Any:
        """The :class:`AsyncApiClient`, sharing the sync client's tokens."""
        sync_client = self.get_sync_api_client()
        with self._lock:
            if self._async_client is None:
                from ..client import AsyncApiClient

                client = AsyncApiClient(sync_client.config, auth_mode=sync_client.auth_mode)
                client.token_state = sync_client.token_state  # one login serves both
                self._async_client = client
            return self._async_client

    def get_services(self) -> Any:
        """The modern sync services (``.messages``, ``.streams``...) over the same client."""
        from ..rest import SyncServices

        return self._cached("services", lambda: SyncServices(self.get_sync_api_client()))

    def get_async_services(self) -> Any:
        """The modern async services over the async client."""
        from ..rest import AsyncServices

        return self._cached("async_services", lambda: AsyncServices(self.get_async_api_client()))

    def send_request(self, request: Request) -> Response:
        """Send one request through the shared sync client; error statuses raise."""
        return _checked(request, self.get_sync_api_client().request(request))

    async def send_request_async(self, request: Request) -> Response:
        return _checked(request, await self.get_async_api_client().request(request))

    # Legacy session accessors: the shared clients (documented above).
    def get_pod_session(self) -> Any:
        return self.get_sync_api_client()

    def get_agent_session(self) -> Any:
        return self.get_sync_api_client()

    def get_async_pod_session(self) -> Any:
        return self.get_async_api_client()

    def get_async_agent_session(self) -> Any:
        return self.get_async_api_client()

    # --- legacy client accessors -----------------------------------------------------------------

    def _cached(self, key: str, factory: Any) -> Any:
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = factory()
            return client

    def get_message_client(self) -> MessageClient:
        return self._cached("message", lambda: MessageClient(self))

    def get_stream_client(self) -> StreamClient:
        return self._cached("stream", lambda: StreamClient(self))

    def get_user_client(self) -> UserClient:
        return self._cached("user", lambda: UserClient(self))

    def get_admin_client(self) -> AdminClient:
        return self._cached("admin", lambda: AdminClient(self))

    def get_connections_client(self) -> ConnectionsClient:
        return self._cached("connections", lambda: ConnectionsClient(self))

    def get_presence_client(self) -> PresenceClient:
        return self._cached("presence", lambda: PresenceClient(self))

    def get_signals_client(self) -> SignalsClient:
        return self._cached("signals", lambda: SignalsClient(self))

    def get_health_check_client(self) -> HealthCheckClient:
        return self._cached("health", lambda: HealthCheckClient(self))

    def get_api_client(self) -> APIClient:
        """An :class:`APIClient` (1.x built one and returned ``None``)."""
        return self._cached("api", lambda: APIClient(self))

    def get_datafeed_client(self) -> Any:
        from .datafeed_client import DataFeedClient

        return self._cached("datafeed", lambda: DataFeedClient(self))

    def get_datafeed_event_service(self, *args: Any, **kwargs: Any) -> Any:
        """The cached sync event service (arguments of later calls are ignored, as in 1.x)."""
        with self._lock:
            if self._datafeed_event_service is None:
                from ..datafeed_event_service import DataFeedEventService

                self._datafeed_event_service = DataFeedEventService(self, *args, **kwargs)
            return self._datafeed_event_service

    def get_async_datafeed_event_service(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            if self._async_datafeed_event_service is None:
                from ..datafeed_event_service import AsyncDataFeedEventService

                self._async_datafeed_event_service = AsyncDataFeedEventService(self, *args, **kwargs)
            return self._async_datafeed_event_service

    def get_sym_config(self) -> Any:
        return self.config

    def get_sym_agent_config(self) -> Any:
        return self.config

    def get_sym_auth(self) -> Any:
        return self.auth

    def get_bot_user_info(self) -> dict[str, Any]:
        """``GET /pod/v2/sessioninfo`` as a dict, fetched once."""
        if self.bot_user_info is None:
            self.bot_user_info = self.get_sync_api_client().session_info()
        return self.bot_user_info

    def reauth_client(self) -> None:
        """Log in again now; the new tokens serve the sync and async clients alike."""
        self.get_sync_api_client().authenticate()

    async def close_async_sessions(self) -> None:
        """Close the async client's connections (a later async call opens new ones)."""
        with self._lock:
            client, self._async_client = self._async_client, None
        if client is not None:
            await client.close()

    def close(self) -> None:
        """Close the sync client's connections."""
        if self._sync_client is not None:
            self._sync_client.close()

    # --- raw REST executors --------------------------------------------------------------------

    def _route(self, path: str) -> tuple[Component, str]:
        """(component, API path) for a ``/pod/...``-style path or a full URL (§2.1 of the 1.x
        inventory: full URLs are matched against the configured base URLs)."""
        for prefix, component in PREFIX_COMPONENTS.items():
            if path.startswith(prefix):
                return component, path
        config = getattr(self.get_sync_api_client(), "config", None)
        for component in (Component.POD, Component.AGENT, Component.SESSION_AUTH, Component.KEY_AUTH):
            base = config.component(component).base_url if config is not None else None
            if base and path.startswith(base + "/"):
                return component, path[len(base) :]
        raise ValueError(
            f"cannot route {path!r}: expected a path starting with /pod/, /agent/, /login/, /relay/, "
            "/sessionauth/, /keyauth/ or a URL under a configured pod/agent/auth base URL"
        )

    def _legacy_request(self, method: str, path: str, kwargs: Mapping[str, Any]) -> Request:
        unknown = sorted(set(kwargs) - _REQUEST_KWARGS)
        if unknown:
            raise TypeError(f"execute_rest_call got unsupported keyword(s) {', '.join(unknown)}")
        component, api_path = self._route(path)
        multipart: list[Part] | None = None
        json_body = kwargs.get("json")
        files, data = kwargs.get("files"), kwargs.get("data")
        if files is not None:
            multipart = multipart_parts(files)
        if data is not None:
            if isinstance(data, list) and all(isinstance(p, Part) for p in data):
                multipart = [*(multipart or []), *data]
            elif isinstance(data, Mapping):
                multipart = [*(multipart or []), *multipart_parts(data)]
            elif isinstance(data, (str, bytes)) and json_body is None:
                json_body = _json_text(data)  # 1.x callers posted pre-serialised JSON this way
            else:
                raise TypeError(
                    "execute_rest_call: data must be a dict of form fields, make_mulitpart_form()['data'] "
                    "or a JSON string"
                )
        headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "content-type"}
        return Request(
            method=method.upper(),
            component=component,
            path=api_path,
            params=kwargs.get("params"),
            json=json_body,
            multipart=multipart,
            headers=headers or None,
            timeout=kwargs.get("timeout"),
            # the login hosts issue tokens: never attach (or first fetch) tokens for them
            authenticated=component in (Component.POD, Component.AGENT),
        )

    def execute_rest_call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a raw call (``params``, ``json``, ``files``, ``data``, ``headers``, ``timeout``):
        204 → ``[]``, JSON → decoded, other bodies → text; errors raise the SDK exceptions."""
        return self.send_request(self._legacy_request(method, path, kwargs)).legacy_result()

    async def execute_rest_call_async(self, method: str, path: str, **kwargs: Any) -> Any:
        """Async twin of :meth:`execute_rest_call` (201 is a success here too)."""
        response = await self.send_request_async(self._legacy_request(method, path, kwargs))
        return response.legacy_result()
