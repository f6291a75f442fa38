"""Helpers of the sample listeners: read a V4Message dict and send the legacy greeting."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from typing import Any

logger = logging.getLogger("sym_api_client_python.listeners")

_TAG = re.compile(r"<[^>]+>")


def message_text(message: dict[str, Any]) -> str:
    """The readable text of a V4Message dict ('' when it has none or cannot be parsed)."""
    body = message.get("message") or ""
    try:
        from ..messages.parser import parse_message

        return parse_message(body, message.get("data")).text.strip()
    except ImportError:  # pragma: no cover - the messages package ships with the SDK
        return html.unescape(_TAG.sub(" ", body)).strip()
    except Exception as exc:  # a sample must not fail on odd markup
        logger.debug("could not parse message %s: %s", message.get("messageId"), exc)
        return html.unescape(_TAG.sub(" ", body)).strip()


def first_name(message: dict[str, Any]) -> str:
    user = message.get("user") or {}
    return str(user.get("firstName") or user.get("displayName") or "there")


def stream_id(message: dict[str, Any]) -> str | None:
    return (message.get("stream") or {}).get("streamId")


def greeting(message: dict[str, Any], text: str = "hope you are doing well!") -> dict[str, str]:
    return {"message": f"<messageML>Hello {html.escape(first_name(message))}, {text}</messageML>"}


def send(bot_client: Any, stream: str, payload: dict[str, str]) -> Any:
    return bot_client.get_message_client().send_msg(stream, payload)


async def send_async(bot_client: Any, stream: str, payload: dict[str, str]) -> Any:
    client = bot_client.get_message_client()
    send_msg_async = getattr(client, "send_msg_async", None)
    if send_msg_async is not None:
        return await send_msg_async(stream, payload)
    return await asyncio.to_thread(client.send_msg, stream, payload)  # never block the loop
