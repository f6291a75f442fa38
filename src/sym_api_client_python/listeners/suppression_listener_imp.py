"""Sample suppression listener: logs suppressed message ids."""

from __future__ import annotations

from typing import Any

from . import _samples
from .suppression_listener import SuppressionListener


class SuppressionListenerImp(SuppressionListener):
    def __init__(self, sym_bot_client: Any = None) -> None:
        self.bot_client = sym_bot_client

    def on_message_suppression(self, suppressed_message: dict[str, Any]) -> None:
        _samples.logger.debug("message suppressed: %s", suppressed_message.get("messageId"))
