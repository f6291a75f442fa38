"""How the legacy classes (built around a ``SymBotClient``) reach the new HTTP stack.

The legacy datafeed service, datafeed clients and sample listeners only receive a bot client.
This module finds its sync/async requesters (so tokens are shared with the REST clients) and,
when the bot client does not expose them, builds clients from its config.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

logger = logging.getLogger("sym_api_client_python.datafeed")

_SYNC_NAMES = (
    "get_sync_api_client",
    "get_api_client_sync",
    "sync_api_client",
    "sync_client",
    "api_client",
    "requester",
    "get_requester",
)
_ASYNC_NAMES = (
    "get_async_api_client",
    "async_api_client",
    "async_client",
    "async_requester",
    "get_async_requester",
)
_lock = threading.Lock()


def config_of(bot_client: Any) -> Any:
    """The bot client's config, typed (``BotConfig``) when the legacy ``SymConfig`` carries one."""
    getter = getattr(bot_client, "get_sym_config", None)
    config = getter() if callable(getter) else getattr(bot_client, "config", None)
    typed = getattr(config, "bot_config", None)
    if callable(typed):
        typed = typed()
    return typed if typed is not None else config


def _find(bot_client: Any, names: tuple[str, ...], *, is_async: bool) -> Any:
    import inspect

    for name in names:
        candidate = getattr(bot_client, name, None)
        if candidate is None:
            continue
        if callable(candidate) and not hasattr(candidate, "request"):
            try:
                candidate = candidate()
            except TypeError:
                continue
        request = getattr(candidate, "request", None)
        if request is not None and inspect.iscoroutinefunction(request) == is_async:
            return candidate
    return None


def sync_requester_of(bot_client: Any) -> Any:
    """A ``SyncRequester`` for this bot client (shared with its REST clients when it has one)."""
    found = _find(bot_client, _SYNC_NAMES, is_async=False)
    if found is not None:
        return found
    with _lock:
        cached = getattr(bot_client, "_datafeed_sync_requester", None)
        if cached is None:
            from ..client import SyncApiClient

            cached = SyncApiClient.from_config(config_of(bot_client))
            bot_client._datafeed_sync_requester = cached
        return cached


def async_requester_of(bot_client: Any) -> Any:
    """An ``AsyncRequester`` for this bot client (shared with its REST clients when it has one)."""
    found = _find(bot_client, _ASYNC_NAMES, is_async=True)
    if found is not None:
        return found
    cached = getattr(bot_client, "_datafeed_async_requester", None)
    if cached is None:
        from ..client import AsyncApiClient

        cached = AsyncApiClient.from_config(config_of(bot_client))
        bot_client._datafeed_async_requester = cached
    return cached
