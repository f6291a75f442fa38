"""Connections (the cross-company "contact" handshake)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from ..core.models.rest import SuccessResponse, UserConnection
from ._base import D, Plan, Service, call, operation

CONNECTION_STATUSES = ("ALL", "PENDING_INCOMING", "PENDING_OUTGOING", "ACCEPTED", "REJECTED")


class ConnectionsService(Service[D]):
    """``bot.connections``."""

    service_name = "connections"

    @operation
    def list(
        self, status: str = "ALL", *, user_ids: Sequence[int] | None = None
    ) -> Plan[builtins.list[UserConnection]]:
        """Connections with a status (ALL, PENDING_INCOMING, PENDING_OUTGOING, ACCEPTED, REJECTED)."""
        if status not in CONNECTION_STATUSES:
            raise ValueError(f"unknown connection status {status!r}; expected one of {CONNECTION_STATUSES}")
        params = {"status": status, "userIds": list(user_ids) if user_ids else None}
        return (yield from call("connections.list", params=params))

    @operation
    def get(self, user_id: int) -> Plan[UserConnection]:
        return (yield from call("connections.get", {"userId": user_id}))

    @operation
    def create(self, user_id: int) -> Plan[UserConnection]:
        """Send a connection request."""
        return (yield from call("connections.create", json={"userId": int(user_id)}))

    @operation
    def accept(self, user_id: int) -> Plan[UserConnection]:
        return (yield from call("connections.accept", json={"userId": int(user_id)}))

    @operation
    def reject(self, user_id: int) -> Plan[UserConnection]:
        return (yield from call("connections.reject", json={"userId": int(user_id)}))

    @operation
    def remove(self, user_id: int) -> Plan[SuccessResponse]:
        return (yield from call("connections.remove", {"uid": user_id}))
