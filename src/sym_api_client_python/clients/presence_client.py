"""Legacy ``PresenceClient`` (now reachable through ``SymBotClient.get_presence_client()``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .api_client import APIClient


class PresenceClient(APIClient):
    def get_presence(self) -> Any:
        return self._call("presence.get")

    def get_all_presence(self, last_user_id: int | None = None, limit: int | None = None) -> Any:
        return self._call("presence.list_all", params={"lastUserId": last_user_id, "limit": limit})

    def get_user_status(self, user_id: int, local: bool = True) -> Any:
        return self._call("presence.get_user", {"uid": user_id}, params={"local": local})

    def external_presence_interest(self, array_user_ids: Sequence[int]) -> Any:
        return self._call("presence.register_interest", json=list(array_user_ids))

    def set_presence(self, category: str) -> Any:
        return self._call("presence.set", json={"category": category})

    def create_presence_feed(self) -> Any:
        return self._call("presence.create_feed")

    def read_presence_feed(self, feed_id: str) -> Any:
        return self._call("presence.read_feed", {"feedId": feed_id})

    def delete_presence_feed(self, feed_id: str) -> Any:
        """POST, as the API documents it (1.x sent a GET)."""
        return self._call("presence.delete_feed", {"feedId": feed_id})

    def set_user_presence(self, user_id: int, category: str) -> Any:
        return self._call("presence.set_user", json={"category": category, "userId": user_id})
