"""Sample connection listener: logs requests and acceptances."""

from __future__ import annotations

from typing import Any

from . import _samples
from .connection_listener import ConnectionListener


class ConnectionListenerTestImp(ConnectionListener):
    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client

    def on_connection_accepted(self, user: dict[str, Any]) -> None:
        _samples.logger.debug("connection accepted by %s", (user.get("fromUser") or {}).get("userId"))

    def on_connection_requested(self, user: dict[str, Any]) -> None:
        _samples.logger.debug("connection requested to %s", (user.get("toUser") or {}).get("userId"))
