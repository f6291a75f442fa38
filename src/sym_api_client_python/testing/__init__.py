"""Testing kit for bot authors: run the sympod emulator from pytest and talk to your bot.

Installed as a pytest plugin (fixtures ``symphony_pod``, ``bot_config``, ``user_factory``,
``bot_runner``); see docs/testing-your-bot.md. The classes below load on first use so that the
plugin costs nothing in test sessions that do not use it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_LAZY: dict[str, str] = {
    "SymphonyPod": ".pod",
    "ControlApiError": ".pod",
    "Conversation": ".conversation",
    "ConversationTimeout": ".conversation",
    "Message": ".conversation",
    "presentation_text": ".conversation",
    "BotRunner": ".runner",
    "BackgroundBot": ".runner",
    "BotStartError": ".runner",
    "real_pod_config": ".plugin",
    "RealPodConfig": ".plugin",
}

__all__ = [
    "BackgroundBot",
    "BotRunner",
    "BotStartError",
    "ControlApiError",
    "Conversation",
    "ConversationTimeout",
    "Message",
    "RealPodConfig",
    "SymphonyPod",
    "presentation_text",
    "real_pod_config",
]

if TYPE_CHECKING:  # pragma: no cover
    from .conversation import Conversation, ConversationTimeout, Message, presentation_text
    from .plugin import RealPodConfig, real_pod_config
    from .pod import ControlApiError, SymphonyPod
    from .runner import BackgroundBot, BotRunner, BotStartError


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
