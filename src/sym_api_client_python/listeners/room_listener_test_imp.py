"""Sample room listeners of the legacy README."""

from __future__ import annotations

import asyncio
from typing import Any

from . import _samples
from .room_listener import RoomListener
from .simple_message_processor import MessageProcessor


class RoomListenerTestImp(RoomListener):
    """Replies "Hello <firstName>, hope you are doing well!" to every room message with text and
    logs the other room events at DEBUG."""

    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client

    def on_room_msg(self, message: dict[str, Any]) -> None:
        _samples.logger.debug("room message received: %s", message.get("messageId"))
        MessageProcessor(self.bot_client).process(message)

    def _log(self, what: str, payload: dict[str, Any]) -> None:
        _samples.logger.debug("%s: %s", what, (payload.get("stream") or {}).get("streamId"))

    def on_room_created(self, room_created: dict[str, Any]) -> None:
        self._log("room created", room_created)

    def on_room_deactivated(self, room_deactivated: dict[str, Any]) -> None:
        self._log("room deactivated", room_deactivated)

    def on_room_member_demoted_from_owner(self, room_member_demoted_from_owner: dict[str, Any]) -> None:
        self._log("room member demoted from owner", room_member_demoted_from_owner)

    def on_room_member_promoted_to_owner(self, room_member_promoted_to_owner: dict[str, Any]) -> None:
        self._log("room member promoted to owner", room_member_promoted_to_owner)

    def on_room_reactivated(self, room_reactivated: dict[str, Any]) -> None:
        self._log("room reactivated", room_reactivated)

    def on_room_updated(self, room_updated: dict[str, Any]) -> None:
        self._log("room updated", room_updated)

    def on_user_joined_room(self, user_joined_room: dict[str, Any]) -> None:
        self._log("user joined room", user_joined_room)

    def on_user_left_room(self, user_left_room: dict[str, Any]) -> None:
        self._log("user left room", user_left_room)


class AsyncRoomListenerImp(RoomListenerTestImp):
    """Async sample: waits (without blocking the loop) before greeting, as the legacy one did."""

    wait_seconds: float = 5.0

    async def on_room_msg(self, message: dict[str, Any]) -> None:  # type: ignore[override]
        target = _samples.stream_id(message)
        if not _samples.message_text(message) or not target:
            return
        await asyncio.sleep(self.wait_seconds)
        await _samples.send_async(
            self.bot_client, target, _samples.greeting(message, "sorry to keep you waiting!")
        )
