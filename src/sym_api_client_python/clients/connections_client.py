"""Legacy ``ConnectionsClient``."""

from __future__ import annotations

from typing import Any

from .api_client import APIClient


class ConnectionsClient(APIClient):
    def create_connection(self, user_id: int) -> Any:
        return self._call("connections.create", json={"userId": user_id})

    def get_connection(self, user_id: int) -> Any:
        return self._call("connections.get", {"userId": user_id})

    def list_connections(self, status: str | None = None, **kwargs: Any) -> Any:
        """Connections by ``status`` (ALL, PENDING_INCOMING, PENDING_OUTGOING, ACCEPTED, REJECTED);
        kwargs (e.g. ``userIds``) are sent as query parameters (1.x ignored them)."""
        return self._call("connections.list", params={"status": status, **kwargs})

    def accept_connection(self, user_id: int) -> Any:
        return self._call("connections.accept", json={"userId": user_id})

    def reject_connection(self, user_id: int) -> Any:
        return self._call("connections.reject", json={"userId": user_id})

    def remove_connection(self, user_id: int) -> Any:
        return self._call("connections.remove", {"uid": user_id})
