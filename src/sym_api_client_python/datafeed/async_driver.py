"""Async driver of the datafeed machine: performs its actions with an :class:`AsyncRequester`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ..core.datafeed import (
    Action,
    DatafeedMachine,
    Dispatch,
    FetchSessionInfo,
    LoadFeedId,
    ReadFeed,
    Relogin,
    Sleep,
    StoreFeedId,
    build_request,
    parse_response,
)
from ..core.http import AsyncRequester
from ._runner import DatafeedRunnerBase, next_action
from .dispatcher import AsyncDispatcher
from .id_repository import OnDiskDatafeedIdRepository

logger = logging.getLogger("sym_api_client_python.datafeed")

# how long after starting a read the previous batch is freed: the request is written by then, and
# no server answers a read with events in less
SPENT_BATCH_RELEASE_S = 0.0002


class AsyncDatafeedRunner(DatafeedRunnerBase[AsyncRequester, AsyncDispatcher]):
    """Runs the datafeed loop as a coroutine until :meth:`stop` (callable from the loop or, via
    :meth:`stop_threadsafe`, from another thread)."""

    def __init__(
        self,
        requester: AsyncRequester,
        machine: DatafeedMachine,
        dispatcher: AsyncDispatcher,
        *,
        id_repository: OnDiskDatafeedIdRepository | None = None,
        read_timeout: float = 75.0,
        relogin: Callable[[], Awaitable[Any]] | None = None,
        session_info: Callable[[], Awaitable[dict[str, Any]]] | None = None,
        tune_allocator: bool = True,
    ) -> None:
        super().__init__(
            requester,
            machine,
            dispatcher,
            id_repository=id_repository,
            read_timeout=read_timeout,
            relogin=relogin,
            session_info=session_info,
            tune_allocator=tune_allocator,
        )
        self._stop_event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # the last dispatched batch, freed once the next read is on the wire (see _read)
        self._spent: list[Any] | None = None

    async def run(self) -> None:
        self._start_running()
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        if self.machine.stopping:  # stop() came before run(): honour it
            self._stop_event.set()
        flow = self.machine.run()
        result: Any = None
        error: BaseException | None = None
        try:
            while (action := next_action(flow, result, error)) is not None:
                result, error = None, None
                try:
                    result = await self._perform(action)
                except asyncio.CancelledError:
                    self.machine.request_stop()
                    raise
                except Exception as exc:
                    error = exc
        finally:
            self.running = False

    def stop(self) -> None:
        """Ask the loop to stop; ``run()`` returns once in-flight handlers finished."""
        self.machine.request_stop()
        if self._stop_event is not None:
            self._stop_event.set()

    def stop_threadsafe(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self.stop)
        else:
            self.stop()

    async def _perform(self, action: Action) -> Any:
        if isinstance(action, Dispatch):
            self.dispatcher.gate.bot_user_id = self.machine.bot_user_id
            await self.dispatcher.dispatch(action.events)
            self._spent = action.events
            return None
        if isinstance(action, Sleep):
            assert self._stop_event is not None
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop_event.wait(), action.seconds)
            return None
        if isinstance(action, ReadFeed):
            return await self._read(action)
        if isinstance(action, Relogin):
            relogin = self._relogin or getattr(self.requester, "authenticate", None)
            if relogin is not None:
                outcome = relogin()
                if asyncio.iscoroutine(outcome):
                    await outcome
            return None
        if isinstance(action, LoadFeedId):
            return self.id_repository.read()
        if isinstance(action, StoreFeedId):
            self.id_repository.write(action.feed_id)
            return None
        if isinstance(action, FetchSessionInfo) and self._session_info is not None:
            return await self._session_info()
        return await self._http(action)

    async def _http(self, action: Action) -> Any:
        version = self.machine.version
        request = build_request(action, version=version, read_timeout=self.read_timeout)
        response = await self.requester.request(request)
        return parse_response(action, response, version=version)

    async def _read(self, action: ReadFeed) -> Any:
        self._settle_heap_once()
        spent, self._spent = self._spent, None
        if spent:
            # Freeing 500 decoded events takes about 0.2 ms: done once the read request has left
            # (a few loop turns from now), it overlaps the server's work instead of adding to it.
            asyncio.get_running_loop().call_later(SPENT_BATCH_RELEASE_S, spent.clear)
        if action.final or self.machine.version == "v1":
            return await self._http(action)  # v1: never abandon a read (no ack, events would be lost)
        assert self._stop_event is not None
        read = asyncio.ensure_future(self._http(action))
        stopped = asyncio.ensure_future(self._stop_event.wait())
        try:
            await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if read.done():
            return read.result()
        read.cancel()  # unacked, so the server delivers its events again
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await read
        return None
