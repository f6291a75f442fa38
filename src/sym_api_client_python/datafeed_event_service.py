"""Legacy entry points: ``DataFeedEventService`` (sync) and ``AsyncDataFeedEventService``.

Both run on the datafeed engine (sym_api_client_python.datafeed) with the listener routing of
:mod:`.services.abstract_datafeed_event_service`. The async service works with datafeed v1 and
v2 (the legacy one failed on v2), takes ``exception_handler``/``trace_enabled``/``trace_recorder``
as keyword arguments (the legacy constructor refused them), and runs plain ``def`` listener
methods in worker threads so they cannot block the event loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
from collections.abc import Callable
from typing import Any

from .datafeed.async_driver import AsyncDatafeedRunner
from .datafeed.dispatcher import AsyncDispatcher
from .datafeed.legacy_bridge import async_requester_of
from .datafeed.settings import DatafeedSettings
from .services.abstract_datafeed_event_service import (
    AbstractDatafeedEventService,
    EventTrace,
    _utcnow,
    make_datetime,
)
from .services.datafeed_event_service_v1 import DataFeedEventServiceV1
from .services.datafeed_event_service_v2 import DataFeedEventServiceV2

log = logging.getLogger("sym_api_client_python.datafeed")

_in_listener: contextvars.ContextVar[bool] = contextvars.ContextVar("symphony_in_listener", default=False)


class DataFeedEventService:
    """Sync service: picks v1 or v2 from the config's ``datafeedVersion`` (default v2) and forwards
    every attribute (listeners, ``start_datafeed``, ``add_listeners``...) to it."""

    def __init__(
        self,
        sym_bot_client: Any,
        error_timeout_sec: float | None = None,
        maximum_timeout_sec: float | None = None,
        **options: Any,
    ) -> None:
        from .datafeed.legacy_bridge import config_of

        version = DatafeedSettings.from_config(config_of(sym_bot_client)).version
        service_class = DataFeedEventServiceV1 if version == "v1" else DataFeedEventServiceV2
        self.datafeed_event_service: AbstractDatafeedEventService = service_class(
            sym_bot_client, error_timeout_sec, maximum_timeout_sec, **options
        )

    def __getattr__(self, name: str) -> Any:
        # only called for names not found on the wrapper itself
        inner = self.__dict__.get("datafeed_event_service")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        # ``service.exception_handler = ...`` must reach the service that uses it
        if name == "datafeed_event_service":
            object.__setattr__(self, name, value)
        else:
            setattr(self.datafeed_event_service, name, value)


class AsyncDataFeedEventService(AbstractDatafeedEventService):
    """Async service: ``await start_datafeed()`` runs until ``await deactivate_datafeed()``.

    Events of different streams are handled concurrently (at most ``max_concurrency`` listener
    calls at once); events of one stream in order. A listener exception goes to
    ``exception_handler`` (sync or async) when set and is logged at ERROR either way; it never
    stops the feed.
    """

    def __init__(
        self,
        sym_bot_client: Any,
        error_timeout_sec: float | None = None,
        maximum_timeout_sec: float | None = None,
        **options: Any,
    ) -> None:
        super().__init__(sym_bot_client, error_timeout_sec, maximum_timeout_sec, **options)
        self._async_runner: AsyncDatafeedRunner | None = None
        self._finished: asyncio.Event | None = None
        self._close_sessions = False

    async def start_datafeed(self) -> None:  # type: ignore[override]
        self.stop = False
        self._finished = asyncio.Event()
        runner = AsyncDatafeedRunner(
            async_requester_of(self.bot_client),
            self.settings.machine(),
            AsyncDispatcher(
                self._handle_typed_event,
                max_concurrency=self.settings.max_concurrency,
                gate=self.gate,
                stats=self.stats,
            ),
            id_repository=self.datafeed_id_repository,
            read_timeout=self.settings.read_timeout,
            tune_allocator=self.settings.tune_allocator,
        )
        self._async_runner = runner
        try:
            await runner.run()
        except asyncio.CancelledError:
            log.info("async datafeed cancelled; stopping")
            raise
        finally:
            self._finished.set()
            if self._close_sessions:
                await self._close_async_sessions()

    read_datafeed = start_datafeed  # type: ignore[assignment]

    async def deactivate_datafeed(self, wait_for_handler_completions: bool = True) -> None:  # type: ignore[override]
        """Stop the feed. With ``wait_for_handler_completions`` (and when not called from a
        listener, which would wait for itself) returns once in-flight listeners finished and the
        last batch was acked. The bot client's async sessions are closed afterwards, as before."""
        self.stop = True
        self._close_sessions = True
        if self._async_runner is not None:
            self._async_runner.stop()
            if wait_for_handler_completions and not _in_listener.get() and self._finished is not None:
                await self._finished.wait()
        elif not _in_listener.get():
            await self._close_async_sessions()

    stop_datafeed_service = deactivate_datafeed  # type: ignore[assignment]

    async def _close_async_sessions(self) -> None:
        closer = getattr(self.bot_client, "close_async_sessions", None)
        if closer is None:
            return
        try:
            result = closer()
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            log.warning("closing the bot client's async sessions failed: %s", exc)

    async def _handle_typed_event(self, event: Any) -> None:
        await self.handle_event_async(event.raw)

    async def handle_events_async(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            if event:
                await self.handle_event_async(event)

    async def handle_event_async(self, payload: dict[str, Any]) -> None:
        """Route one event dict to its listeners, awaiting them in registration order."""
        started = _utcnow()
        token = _in_listener.set(True)
        try:
            for method, argument in self.listener_calls(payload):
                await self._run_async(method, argument, payload)
        finally:
            _in_listener.reset(token)
        self._trace(payload, started)

    async def _run_async(self, method: Callable[[Any], Any], argument: Any, event: dict[str, Any]) -> None:
        try:
            if inspect.iscoroutinefunction(method):
                await method(argument)
            else:
                result = await asyncio.to_thread(contextvars.copy_context().run, method, argument)
                if inspect.isawaitable(result):
                    await result
        except Exception as exc:
            outcome = self._listener_failed(exc, event, method)
            if inspect.isawaitable(outcome):
                try:
                    await outcome
                except Exception as hook_exc:
                    log.error("exception_handler failed: %s", hook_exc, exc_info=hook_exc)


__all__ = ["AsyncDataFeedEventService", "DataFeedEventService", "EventTrace", "make_datetime"]
