"""REST services built from the endpoint table, as a sync and an async facade.

>>> services = SyncServices(api_client)            # any SyncRequester
>>> services.messages.send(stream_id, "<messageML>hi</messageML>")
>>> services = AsyncServices(async_api_client)     # any AsyncRequester
>>> await services.messages.send(stream_id, "hi")
>>> async for room in services.streams.iter_rooms("project"): ...

Every operation of the endpoint table is a method of its service (hand-written ones take typed
arguments and return models; the others are generic: positional path values, keyword query
parameters, ``body=`` JSON). ``services.call("admin.list_ib_groups")`` reaches any entry by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, Generic

from ..core.http import AsyncRequester, SyncRequester
from ._base import AsyncDriver, D, SyncDriver, call_plan
from .admin import AdminService
from .connections import ConnectionsService
from .health import HealthService
from .messages import MessagesService, as_message_ml, message_parts
from .presence import PresenceService
from .session import DatafeedApiService, SessionService
from .signals import SignalsService
from .streams import StreamsService
from .users import UsersService

#: service attribute -> class; the endpoint table's service names
SERVICE_CLASSES: dict[str, type[Any]] = {
    "messages": MessagesService,
    "streams": StreamsService,
    "users": UsersService,
    "connections": ConnectionsService,
    "signals": SignalsService,
    "presence": PresenceService,
    "admin": AdminService,
    "health": HealthService,
    "session": SessionService,
    "datafeed": DatafeedApiService,
}


class _Services(Generic[D]):
    messages: MessagesService[D]
    streams: StreamsService[D]
    users: UsersService[D]
    connections: ConnectionsService[D]
    signals: SignalsService[D]
    presence: PresenceService[D]
    admin: AdminService[D]
    health: HealthService[D]
    session: SessionService[D]
    datafeed: DatafeedApiService[D]

    def __init__(self, driver: D) -> None:
        self._driver = driver
        self.messages = MessagesService(driver)
        self.streams = StreamsService(driver)
        self.users = UsersService(driver)
        self.connections = ConnectionsService(driver)
        self.signals = SignalsService(driver)
        self.presence = PresenceService(driver)
        self.admin = AdminService(driver)
        self.health = HealthService(driver)
        self.session = SessionService(driver)
        self.datafeed = DatafeedApiService(driver)


class SyncServices(_Services[SyncDriver]):
    """Blocking services over a :class:`SyncRequester` (e.g. ``SyncApiClient``)."""

    def __init__(self, requester: SyncRequester) -> None:
        super().__init__(SyncDriver(requester))
        self.requester = requester

    def call(
        self,
        name: str,
        *path_args: Any,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **query: Any,
    ) -> Any:
        """Call any endpoint-table entry by ``"service.method"`` name."""
        return self._driver.run(call_plan(name, *path_args, body=body, headers=headers, **query))


class AsyncServices(_Services[AsyncDriver]):
    """Coroutine services over an :class:`AsyncRequester` (e.g. ``AsyncApiClient``)."""

    def __init__(self, requester: AsyncRequester) -> None:
        super().__init__(AsyncDriver(requester))
        self.requester = requester

    def call(
        self,
        name: str,
        *path_args: Any,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **query: Any,
    ) -> Awaitable[Any]:
        """Call any endpoint-table entry by ``"service.method"`` name."""
        return self._driver.run(call_plan(name, *path_args, body=body, headers=headers, **query))


__all__ = [
    "SERVICE_CLASSES",
    "AdminService",
    "AsyncServices",
    "ConnectionsService",
    "HealthService",
    "MessagesService",
    "PresenceService",
    "SessionService",
    "SignalsService",
    "StreamsService",
    "SyncServices",
    "UsersService",
    "as_message_ml",
    "message_parts",
]
