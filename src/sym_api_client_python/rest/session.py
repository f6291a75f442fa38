"""Session: the bot's own identity, plus the login/authenticator operations (performed by the
authenticators; listed here so every spec operation is reachable)."""

from __future__ import annotations

from ..core.models.rest import UserV2
from ._base import D, Plan, Service, call, operation


class SessionService(Service[D]):
    """``bot.session``."""

    service_name = "session"

    @operation
    def get(self) -> Plan[UserV2]:
        """The bot's user (``/pod/v2/sessioninfo``): id, username, display name..."""
        return (yield from call("session.get"))


class DatafeedApiService(Service[D]):
    """``services.datafeed``: the raw datafeed/datahose operations (create, list, read, delete).

    Bots use the datafeed engine (``bot.run()`` / the legacy event services), which drives these
    calls with retries and acks; this service is the plain REST view of them."""

    service_name = "datafeed"
