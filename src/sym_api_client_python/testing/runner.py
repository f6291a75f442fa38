"""Run a bot in the background of a test: ``Bot`` (sync), ``AsyncBot`` or a legacy datafeed service.

A test must not send its first message before the bot's datafeed exists (a feed only receives the
events published after its creation), so :meth:`BotRunner.start` waits for the bot user to own a
new datafeed on the emulator before returning.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BackgroundBot", "BotRunner", "BotStartError"]

log = logging.getLogger(__name__)


class BotStartError(RuntimeError):
    """The bot died or did not open its datafeed in time."""


@dataclass
class BackgroundBot:
    """A bot running on its own thread (with its own event loop for async bots)."""

    bot: Any
    loop: asyncio.AbstractEventLoop | None = None
    errors: list[BaseException] = field(default_factory=list)
    thread: threading.Thread = field(init=False)

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the bot to stop and wait for its thread; re-raises what made the bot crash."""
        if self.thread.is_alive():
            _request_stop(self.bot, self.loop)
            self.thread.join(timeout)
            if self.thread.is_alive():
                raise RuntimeError(f"{type(self.bot).__name__} did not stop within {timeout:.0f}s")
        if self.errors:
            raise self.errors[0]


def _stop_method(bot: Any) -> Callable[..., Any]:
    for name in ("stop", "stop_datafeed_service", "stop_datafeed", "deactivate_datafeed"):
        method = getattr(bot, name, None)
        if callable(method):
            return method
    raise TypeError(f"{type(bot).__name__} has no stop(), stop_datafeed_service() or deactivate_datafeed()")


def _run_method(bot: Any) -> Callable[..., Any]:
    for name in ("run", "start_datafeed"):
        method = getattr(bot, name, None)
        if callable(method):
            return method
    raise TypeError(f"{type(bot).__name__} has neither run() nor start_datafeed()")


def _request_stop(bot: Any, loop: asyncio.AbstractEventLoop | None) -> None:
    stop = _stop_method(bot)
    if loop is None:
        stop()
        return
    if inspect.iscoroutinefunction(stop):
        future = asyncio.run_coroutine_threadsafe(stop(), loop)
        future.result(timeout=10)
    else:
        loop.call_soon_threadsafe(stop)


def _thread_main(background: BackgroundBot) -> None:
    run = _run_method(background.bot)
    try:
        if background.loop is not None:
            asyncio.set_event_loop(background.loop)
            background.loop.run_until_complete(run())
        else:
            run()
    except BaseException as exc:  # reported to the test when it stops the bot
        log.exception("bot %s crashed", type(background.bot).__name__)
        background.errors.append(exc)
    finally:
        if background.loop is not None:
            background.loop.run_until_complete(background.loop.shutdown_asyncgens())
            background.loop.close()


class BotRunner:
    """Starts bots in the background and stops them all at the end of the test.

    ``feed_ids`` is a callable returning the ids of the bot user's current datafeeds (the
    emulator's view); without it :meth:`start` can only wait ``settle`` seconds.
    """

    def __init__(self, feed_ids: Callable[[], set[str]] | None = None, *, settle: float = 0.5) -> None:
        self._feed_ids = feed_ids
        self._settle = settle
        self._running: list[BackgroundBot] = []

    def start(self, bot: Any, *, timeout: float = 10.0) -> BackgroundBot:
        """Run ``bot`` on a thread and return once its datafeed is open."""
        run = _run_method(bot)
        _stop_method(bot)  # fail now, not at teardown, if the bot cannot be stopped
        before = self._feed_ids() if self._feed_ids else set()
        loop = asyncio.new_event_loop() if inspect.iscoroutinefunction(run) else None
        background = BackgroundBot(bot, loop)
        background.thread = threading.Thread(
            target=_thread_main, args=(background,), name=f"bot-{type(bot).__name__}", daemon=True
        )
        background.thread.start()
        self._running.append(background)
        self._wait_ready(background, before, timeout)
        return background

    def _wait_ready(self, background: BackgroundBot, before: set[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if self._feed_ids is None:
            background.thread.join(self._settle)
        while self._feed_ids is not None and not (self._feed_ids() - before):
            if not background.alive:
                break
            if time.monotonic() > deadline:
                raise BotStartError(
                    f"{type(background.bot).__name__} opened no datafeed within {timeout:.0f}s"
                )
            time.sleep(0.02)
        if not background.alive:
            cause = background.errors[0] if background.errors else None
            raise BotStartError(
                f"{type(background.bot).__name__} stopped during start-up: {cause!r}"
            ) from cause

    def stop_all(self) -> None:
        """Stop every bot started here (newest first); raises the first crash seen."""
        errors: list[BaseException] = []
        while self._running:
            background = self._running.pop()
            try:
                background.stop()
            except BaseException as exc:
                errors.append(exc)
        if errors:
            raise errors[0]
