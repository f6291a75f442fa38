"""The legacy sample reply: "Hello <firstName>, hope you are doing well!" to any message with text."""

from __future__ import annotations

from typing import Any

from . import _samples


class MessageProcessor:
    def __init__(self, bot_client: Any) -> None:
        self.bot_client = bot_client

    def process(self, msg: dict[str, Any]) -> None:
        target = _samples.stream_id(msg)
        if _samples.message_text(msg) and target:
            _samples.send(self.bot_client, target, _samples.greeting(msg))

    async def process_async(self, msg: dict[str, Any]) -> None:
        target = _samples.stream_id(msg)
        if _samples.message_text(msg) and target:
            await _samples.send_async(self.bot_client, target, _samples.greeting(msg))
