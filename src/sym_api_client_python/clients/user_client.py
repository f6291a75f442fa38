"""Legacy ``UserClient``: user look-ups and search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .api_client import APIClient


class UserClient(APIClient):
    def get_user_from_user_name(self, user_name: str) -> Any:
        # the spec requires local=true with a username (1.x sent none)
        return self._call("users.get", params={"username": user_name, "local": True})

    def get_user_from_email(self, email: str, local: bool = False) -> Any:
        return self._call("users.get", params={"email": email, "local": local})

    def get_user_from_id(self, user_id: int, local: bool = False) -> Any:
        return self._call("users.get", params={"uid": user_id, "local": local})

    def get_users_from_id_list(self, user_id_list: Sequence[int], local: bool = False) -> Any:
        return self._call("users.list", params={"uid": list(user_id_list), "local": local})

    def get_users_from_email_list(self, email_list: Sequence[str], local: bool = False) -> Any:
        return self._call("users.list", params={"email": list(email_list), "local": local})

    def search_users(
        self,
        query: str,
        local: bool = False,
        skip: int = 0,
        limit: int = 50,
        filters: Mapping[str, Any] | None = None,
    ) -> Any:
        body = {"query": query, "filters": dict(filters or {})}
        return self._call("users.search", params={"local": local, "skip": skip, "limit": limit}, json=body)

    def get_session_user(self) -> Any:
        return self._call("session.get")
