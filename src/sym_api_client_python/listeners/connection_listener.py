"""Connection (contact request) events."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class ConnectionListener(ABC):  # noqa: B024
    """``on_connection_accepted`` gets ``payload.connectionAccepted`` (``{"fromUser": ...}``),
    ``on_connection_requested`` gets ``payload.connectionRequested`` (``{"toUser": ...}``)."""

    def on_connection_accepted(self, user: dict[str, Any]) -> Any:
        """A connection request was accepted."""

    def on_connection_requested(self, user: dict[str, Any]) -> Any:
        """A user asked to connect with the bot."""


class AsyncConnectionListener(ConnectionListener):
    async def on_connection_accepted(self, user: dict[str, Any]) -> Any: ...
    async def on_connection_requested(self, user: dict[str, Any]) -> Any: ...
