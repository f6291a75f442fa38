"""Run a batch of events through a handler: per-stream order, cross-stream concurrency.

Both dispatchers return only when every event of the batch has been handled, which is what lets
the datafeed machine ack a v2 batch safely (core/datafeed.py, rule 3). Within a batch, events of
one stream run one after the other in feed order; different streams run concurrently (the
calling thread plus helper threads of a bounded pool for sync handlers, worker tasks under a
semaphore for async ones; a worker takes a whole stream group at a time). A handler exception is
logged at ERROR with the event id, type and stream, counted, passed to the error hook, and never
reaches the datafeed loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from ..core.models.events import V4Event
from .dedup import DEFAULT_DEDUP_WINDOW, DedupWindow

logger = logging.getLogger("sym_api_client_python.dispatch")

_DEDUP_KEY = attrgetter("dedup_key")  # V4Event.dedup_key: what identifies a delivery

DEFAULT_MAX_WORKERS = 8
DEFAULT_MAX_CONCURRENCY = 64

ErrorHook = Callable[[BaseException, V4Event], Any]


@dataclass
class DispatchStats:
    """Counters of a running bot (``bot.stats``)."""

    batches: int = 0
    events_received: int = 0
    events_dispatched: int = 0
    duplicates_skipped: int = 0
    own_events_skipped: int = 0
    handler_errors: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **deltas: int) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


class EventGate:
    """Decides which events of a batch reach handlers: drops the bot's own events (compared with
    the session info user id, as the legacy SDK did) and duplicate deliveries."""

    def __init__(self, *, dedup_window: int = DEFAULT_DEDUP_WINDOW, skip_own_events: bool = True) -> None:
        self.window = DedupWindow(dedup_window)
        self.skip_own_events = skip_own_events
        self.bot_user_id: int | None = None

    def admit(self, events: list[V4Event], stats: DispatchStats) -> list[V4Event]:
        own = 0
        candidates = events
        bot_user_id = self.bot_user_id
        if self.skip_own_events and bot_user_id is not None:
            candidates = [event for event in events if event.initiator_user_id != bot_user_id]
            own = len(events) - len(candidates)
        admitted, duplicates = self.window.split_seen(candidates, _DEDUP_KEY)
        for event in duplicates:
            logger.debug("skipping duplicate delivery of event %s", event.dedup_key)
        stats.add(
            batches=1,
            events_received=len(events),
            own_events_skipped=own,
            duplicates_skipped=len(duplicates),
        )
        return admitted


def group_by_stream(events: list[V4Event]) -> list[list[V4Event]]:
    """Events grouped by stream, each group in feed order. Stream-less events (connections) are
    grouped by initiator so one user's requests stay ordered too."""
    groups: dict[str, list[V4Event]] = {}
    for event in events:
        key = event.stream_id or f"user:{event.initiator_user_id}"
        group = groups.get(key)
        if group is None:
            groups[key] = [event]
        else:
            group.append(event)
    return list(groups.values())


def log_handler_error(exc: BaseException, event: V4Event, where: str = "handler") -> None:
    logger.error(
        "%s failed for event %s (type %s, stream %s): %s: %s",
        where,
        event.dedup_key,
        event.type,
        event.stream_id,
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
    )


class _DispatcherBase:
    def __init__(
        self,
        *,
        gate: EventGate | None = None,
        on_error: ErrorHook | None = None,
        stats: DispatchStats | None = None,
    ) -> None:
        self.gate = gate or EventGate()
        self.on_error = on_error
        self.stats = stats or DispatchStats()

    def _report(self, exc: BaseException, event: V4Event) -> Any:
        self.stats.add(handler_errors=1)
        log_handler_error(exc, event)
        if self.on_error is None:
            return None
        try:
            return self.on_error(exc, event)
        except Exception as hook_exc:  # the hook must not break dispatch either
            log_handler_error(hook_exc, event, where="error hook")
            return None


class _GroupQueue:
    """The stream groups of one batch, handed out whole to the threads that drain them.

    Each drainer, on its first take, starts one more helper thread if groups are still waiting
    (up to ``helpers``): with slow handlers every stream soon has a thread of its own, up to
    ``max_workers``; with cheap ones the calling thread empties the queue before the first helper
    wakes up, and that helper starts no other. (Submitting every helper up front woke
    ``max_workers - 1`` threads per batch, a visible share of the per-event CPU.)
    """

    def __init__(
        self,
        groups: list[list[V4Event]],
        helpers: int,
        start_helper: Callable[[_GroupQueue], Future[None]],
    ) -> None:
        self._groups = groups
        self._next = 0
        self._helpers = helpers
        self._start_helper = start_helper
        self._lock = threading.Lock()
        self.helpers_started: list[Future[None]] = []

    def take(self, *, first: bool = False) -> list[V4Event] | None:
        with self._lock:
            index = self._next
            if index >= len(self._groups):
                return None
            self._next = index + 1
            if first and self._helpers and index + 1 < len(self._groups):
                self._helpers -= 1
                self.helpers_started.append(self._start_helper(self))
            return self._groups[index]


class SyncDispatcher(_DispatcherBase):
    """Runs a sync handler for each event, ``max_workers`` streams at once: the calling thread and
    up to ``max_workers - 1`` threads of a pool (the calling thread alone for a single stream)."""

    def __init__(
        self, handler: Callable[[V4Event], Any], *, max_workers: int = DEFAULT_MAX_WORKERS, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if max_workers < 1:
            raise ValueError(f"max_workers must be >= 1, got {max_workers}")
        self.handler = handler
        self.max_workers = max_workers
        self._pool: ThreadPoolExecutor | None = None

    def dispatch(self, events: list[V4Event]) -> None:
        admitted = self.gate.admit(events, self.stats)
        if not admitted:
            return
        groups = group_by_stream(admitted)
        workers = min(self.max_workers, len(groups))
        if workers == 1:  # no thread hop when there is nothing to parallelise
            for group in groups:
                self._run_group(group)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="symphony-handler")
        pool = self._pool
        queue = _GroupQueue(groups, workers - 1, lambda q: pool.submit(self._drain, q))
        try:
            self._drain(queue)  # the calling thread is one of the drainers
        finally:
            for future in queue.helpers_started:  # final once the caller found the queue empty
                # A helper that has not started yet would find the queue empty: cancelling it
                # spares waiting for its thread to wake up.
                if not future.cancel():
                    future.result()

    def _drain(self, queue: _GroupQueue) -> None:
        group = queue.take(first=True)
        while group is not None:
            self._run_group(group)
            group = queue.take()

    def _run_group(self, group: list[V4Event]) -> None:
        handler = self.handler
        done = 0
        try:
            for event in group:
                try:
                    handler(event)
                except Exception as exc:
                    self._report(exc, event)
                done += 1
        finally:  # counted per group: one locked update instead of one per event
            self.stats.add(events_dispatched=done)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class AsyncDispatcher(_DispatcherBase):
    """Runs an async handler per event: up to ``max_concurrency`` worker tasks per batch (one per
    stream while there are fewer streams), each running one handler at a time, so at most
    ``max_concurrency`` handlers are in flight."""

    def __init__(
        self,
        handler: Callable[[V4Event], Awaitable[Any]],
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        self.handler = handler
        self.max_concurrency = max_concurrency
        self._semaphore: asyncio.Semaphore | None = None

    async def dispatch(self, events: list[V4Event]) -> None:
        admitted = self.gate.admit(events, self.stats)
        if not admitted:
            return
        if self._semaphore is None:  # created inside the running loop
            self._semaphore = asyncio.Semaphore(self.max_concurrency)
        groups = group_by_stream(admitted)
        workers = min(self.max_concurrency, len(groups))
        pending = iter(groups)
        if workers == 1:
            await self._drain(pending)
            return
        # One task per worker, not per stream: each runs one handler at a time and takes whole
        # groups from the shared queue, so a group keeps its order and at most
        # ``max_concurrency`` handlers are in flight (each worker holds one semaphore slot for
        # its life, which also bounds concurrent dispatch() calls together).
        await asyncio.gather(*(self._drain(pending) for _ in range(workers)))

    async def _drain(self, pending: Iterator[list[V4Event]]) -> None:
        assert self._semaphore is not None
        async with self._semaphore:
            for group in pending:
                await self._run_group(group)

    async def _run_group(self, group: list[V4Event]) -> None:
        handler = self.handler
        done = 0
        try:
            for event in group:
                try:
                    await handler(event)
                except Exception as exc:
                    result = self._report(exc, event)
                    if asyncio.iscoroutine(result):
                        try:
                            await result
                        except Exception as hook_exc:
                            log_handler_error(hook_exc, event, where="error hook")
                done += 1
        finally:  # counted per group: one locked update instead of one per event
            self.stats.add(events_dispatched=done)


__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_WORKERS",
    "AsyncDispatcher",
    "DispatchStats",
    "EventGate",
    "SyncDispatcher",
    "group_by_stream",
    "log_handler_error",
]
