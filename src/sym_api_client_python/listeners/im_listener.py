"""IM (1:1 and multi-party chat) events: ``MESSAGESENT`` outside rooms and ``INSTANTMESSAGECREATED``."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class IMListener(ABC):  # noqa: B024
    """Receives ``payload.messageSent.message`` (a V4Message dict) and
    ``payload.instantMessageCreated`` (``{"stream": {...}}``)."""

    def on_im_message(self, im_message: dict[str, Any]) -> Any:
        """A message was sent in an IM or MIM the bot is in."""

    def on_im_created(self, im_created: dict[str, Any]) -> Any:
        """An IM or MIM including the bot was created."""


class AsyncIMListener(IMListener):
    """Same callbacks as coroutines, for ``AsyncDataFeedEventService``."""

    async def on_im_message(self, im_message: dict[str, Any]) -> Any:
        """A message was sent in an IM or MIM the bot is in."""

    async def on_im_created(self, im_created: dict[str, Any]) -> Any:
        """An IM or MIM including the bot was created."""
