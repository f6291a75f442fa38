"""Room events: room messages, lifecycle and membership changes."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class RoomListener(ABC):  # noqa: B024
    """Each callback receives the payload part of its event as a dict (legacy-sdk.md §5.7):
    ``on_room_msg`` a V4Message, the others ``{"stream": ..., ...}``."""

    def on_room_msg(self, message: dict[str, Any]) -> Any:
        """A message was sent in a room the bot is in."""

    def on_room_created(self, room_created: dict[str, Any]) -> Any:
        """A room was created (``stream``, ``roomProperties``)."""

    def on_room_deactivated(self, room_deactivated: dict[str, Any]) -> Any:
        """A room was deactivated."""

    def on_room_member_demoted_from_owner(self, room_member_demoted_from_owner: dict[str, Any]) -> Any:
        """A member lost owner rights (``stream``, ``affectedUser``)."""

    def on_room_member_promoted_to_owner(self, room_member_promoted_to_owner: dict[str, Any]) -> Any:
        """A member became owner (``stream``, ``affectedUser``)."""

    def on_room_reactivated(self, room_reactivated: dict[str, Any]) -> Any:
        """A room was reactivated."""

    def on_room_updated(self, room_updated: dict[str, Any]) -> Any:
        """Room properties changed (``stream``, ``newRoomProperties``)."""

    def on_user_joined_room(self, user_joined_room: dict[str, Any]) -> Any:
        """A user joined (``stream``, ``affectedUser``)."""

    def on_user_left_room(self, user_left_room: dict[str, Any]) -> Any:
        """A user left (``stream``, ``affectedUser``)."""


class AsyncRoomListener(RoomListener):
    """Same callbacks as coroutines, for ``AsyncDataFeedEventService``."""

    async def on_room_msg(self, message: dict[str, Any]) -> Any: ...
    async def on_room_created(self, room_created: dict[str, Any]) -> Any: ...
    async def on_room_deactivated(self, room_deactivated: dict[str, Any]) -> Any: ...
    async def on_room_member_demoted_from_owner(
        self, room_member_demoted_from_owner: dict[str, Any]
    ) -> Any: ...
    async def on_room_member_promoted_to_owner(
        self, room_member_promoted_to_owner: dict[str, Any]
    ) -> Any: ...
    async def on_room_reactivated(self, room_reactivated: dict[str, Any]) -> Any: ...
    async def on_room_updated(self, room_updated: dict[str, Any]) -> Any: ...
    async def on_user_joined_room(self, user_joined_room: dict[str, Any]) -> Any: ...
    async def on_user_left_room(self, user_left_room: dict[str, Any]) -> Any: ...
