"""Message suppression events."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class SuppressionListener(ABC):  # noqa: B024
    def on_message_suppression(self, suppressed_message: dict[str, Any]) -> Any:
        """A message was suppressed (``payload.messageSuppressed``: ``messageId``, ``stream``)."""


class AsyncSuppressionListener(SuppressionListener):
    async def on_message_suppression(self, suppressed_message: dict[str, Any]) -> Any: ...
