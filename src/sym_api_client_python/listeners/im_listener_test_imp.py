"""Sample IM listeners of the legacy README (``main_RSA.py``, ``main_async.py``)."""

from __future__ import annotations

import asyncio
from typing import Any

from . import _samples
from .im_listener import IMListener
from .simple_message_processor import MessageProcessor


class IMListenerTestImp(IMListener):
    """Replies "Hello <firstName>, hope you are doing well!" to every IM with text."""

    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client
        self.botClient = sym_bot_client  # the legacy attribute name

    def on_im_message(self, im_message: dict[str, Any]) -> None:
        _samples.logger.debug("message received in IM: %s", im_message.get("messageId"))
        MessageProcessor(self.bot_client).process(im_message)

    def on_im_created(self, im_created: dict[str, Any]) -> None:
        _samples.logger.debug("IM created: %s", (im_created.get("stream") or {}).get("streamId"))


class AsyncIMListenerImp(IMListener):
    """Async sample: a message containing ``/wait`` is answered after a non-blocking pause
    ("sorry to keep you waiting!"), any other message with text gets the usual greeting."""

    wait_seconds: float = 5.0

    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client

    async def on_im_message(self, im_message: dict[str, Any]) -> None:
        text = _samples.message_text(im_message)
        target = _samples.stream_id(im_message)
        if not text or not target:
            return
        if "/wait" in text:
            await asyncio.sleep(self.wait_seconds)
            reply = _samples.greeting(im_message, "sorry to keep you waiting!")
        else:
            reply = _samples.greeting(im_message)
        await _samples.send_async(self.bot_client, target, reply)

    async def on_im_created(self, im_created: dict[str, Any]) -> None:
        _samples.logger.debug("IM created: %s", (im_created.get("stream") or {}).get("streamId"))


AsyncImListenerImp = AsyncIMListenerImp  # spelling used in the legacy README
