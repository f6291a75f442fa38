"""Sample wall post listener: logs posts."""

from __future__ import annotations

from typing import Any

from . import _samples
from .wall_post_listener import WallPostListener


class WallPostListenerImp(WallPostListener):
    def __init__(self, sym_bot_client: Any = None) -> None:
        self.bot_client = sym_bot_client

    def on_wall_post_msg(self, wall_post_msg: dict[str, Any]) -> None:
        _samples.logger.debug("wall post: %s", wall_post_msg.get("messageId"))

    def on_shared_post(self, shared_post: dict[str, Any]) -> None:
        _samples.logger.debug("shared post: %s", (shared_post.get("message") or {}).get("messageId"))
