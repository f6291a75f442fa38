"""Wall posts (``MESSAGESENT`` in a POST stream) and shared posts."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class WallPostListener(ABC):  # noqa: B024
    def on_wall_post_msg(self, wall_post_msg: dict[str, Any]) -> Any:
        """A message was posted on a wall (a V4Message dict)."""

    def on_shared_post(self, shared_post: dict[str, Any]) -> Any:
        """A post was shared (``payload.sharedPost``: ``message``, ``sharedMessage``)."""


class AsyncWallPostListener(WallPostListener):
    async def on_wall_post_msg(self, wall_post_msg: dict[str, Any]) -> Any: ...
    async def on_shared_post(self, shared_post: dict[str, Any]) -> Any: ...
