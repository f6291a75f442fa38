"""Legacy ``StreamClient``: IMs, rooms, membership, stream lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .api_client import APIClient

ALL_STREAM_TYPES = ("IM", "MIM", "ROOM", "POST")


def _stream_types(stream_types: str | Sequence[Any]) -> list[Any]:
    if isinstance(stream_types, str):
        types = list(ALL_STREAM_TYPES) if stream_types.upper() == "ALL" else [stream_types]
    else:
        types = list(stream_types)
    # accept both "ROOM" and the wire form {"type": "ROOM"}
    return [t if isinstance(t, Mapping) else {"type": str(t).upper()} for t in types]


class StreamClient(APIClient):
    def create_im(self, users_array: Sequence[int]) -> Any:
        return self._call("streams.create_im", json=list(users_array))

    def create_im_admin(self, users_array: Sequence[int]) -> Any:
        return self._call("streams.create_im_admin", json=list(users_array))

    def create_room(self, roomToCreate: Mapping[str, Any]) -> Any:
        return self._call("streams.create_room", json=dict(roomToCreate))

    def update_room(self, stream_id: str, **kwargs: Any) -> Any:
        return self._call("streams.update_room", {"id": stream_id}, json=kwargs)

    def get_room_info(self, stream_id: str) -> Any:
        return self._call("streams.get_room_info", {"id": stream_id})

    def activate_room(self, stream_id: str) -> Any:
        return self._call("streams.set_room_active", {"id": stream_id}, params={"active": True})

    def deactivate_room(self, stream_id: str) -> Any:
        return self._call("streams.set_room_active", {"id": stream_id}, params={"active": False})

    def get_room_members(self, stream_id: str) -> Any:
        return self._call("streams.list_room_members", {"id": stream_id})

    def add_member_to_room(self, stream_id: str, user_id: int) -> Any:
        return self._call("streams.add_member", {"id": stream_id}, json={"id": user_id})

    def share_room(self, stream_id: str, content: Mapping[str, Any]) -> Any:
        """Share an article; ``content`` is the article (or a full ``{"type", "content"}`` body)."""
        body = (
            dict(content)
            if "content" in content
            else {"type": "com.symphony.sharing.article", "content": dict(content)}
        )
        return self._call("streams.share", {"sid": stream_id}, json=body)

    def remove_member_from_room(self, stream_id: str, user_id: int) -> Any:
        return self._call("streams.remove_member", {"id": stream_id}, json={"id": user_id})

    def promote_user_to_owner(self, stream_id: str, user_id: int) -> Any:
        return self._call("streams.promote_owner", {"id": stream_id}, json={"id": user_id})

    def demote_user_from_owner(self, stream_id: str, user_id: int) -> Any:
        return self._call("streams.demote_owner", {"id": stream_id}, json={"id": user_id})

    def search_rooms(self, query: str, skip: int = 0, limit: int = 50, **kwargs: Any) -> Any:
        """kwargs go into the criteria: labels, active, private, creator, owner, member, sortOrder."""
        return self._call(
            "streams.search_rooms", params={"skip": skip, "limit": limit}, json={"query": query, **kwargs}
        )

    def get_user_streams(
        self,
        skip: int = 0,
        limit: int = 50,
        stream_types: str | Sequence[Any] = "ALL",
        include_inactive: bool = True,
    ) -> Any:
        body = {"streamTypes": _stream_types(stream_types), "includeInactiveStreams": include_inactive}
        return self._call("streams.list", params={"skip": skip, "limit": limit}, json=body)

    def stream_info_v2(self, stream_id: str) -> Any:
        return self._call("streams.get_info", {"sid": stream_id})

    def list_streams_enterprise(self, skip: int = 0, limit: int = 50, **kwargs: Any) -> Any:
        """``/pod/v1/admin/streams/list`` (deprecated by the spec; ``_v2`` is the current one)."""
        return self._call("streams.list_enterprise_v1", params={"skip": skip, "limit": limit}, json=kwargs)

    def list_streams_enterprise_v2(self, skip: int = 0, limit: int = 50, **kwargs: Any) -> Any:
        """kwargs: streamTypes, scope, origin, privacy, status, startDate, endDate."""
        return self._call("streams.list_enterprise", params={"skip": skip, "limit": limit}, json=kwargs)

    def get_stream_members(self, stream_id: str, skip: int = 0, limit: int = 100) -> Any:
        return self._call("streams.list_members", {"id": stream_id}, params={"skip": skip, "limit": limit})
