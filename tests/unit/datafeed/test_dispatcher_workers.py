"""Dispatchers' worker model: whole stream groups per worker, the limits of the old per-stream
model kept (order, concurrency, max_workers / max_concurrency), stats counted per group."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import Future

from sym_api_client_python.core.models.events import decode_v4_read
from sym_api_client_python.datafeed import AsyncDispatcher, SyncDispatcher
from sym_api_client_python.datafeed.dispatcher import _GroupQueue

from .helpers import event


def batch(*raws):
    return decode_v4_read(json.dumps(list(raws)).encode())


def _groups(count: int) -> list[list]:
    return [[f"g{n}"] for n in range(count)]  # opaque items: the queue never looks inside


def test_group_queue_starts_one_helper_per_first_take_while_groups_wait():
    started: list[_GroupQueue] = []

    def start(queue: _GroupQueue) -> Future[None]:
        started.append(queue)
        return Future()

    queue = _GroupQueue(_groups(5), 2, start)
    assert queue.take(first=True) == ["g0"] and len(started) == 1  # the caller's first take
    assert queue.take() == ["g1"] and len(started) == 1  # a later take starts nobody
    assert queue.take(first=True) == ["g2"] and len(started) == 2  # helper 1 starts helper 2
    assert queue.take(first=True) == ["g3"] and len(started) == 2  # no helper left to start
    assert queue.take() == ["g4"] and queue.take() is None and queue.take(first=True) is None
    assert len(queue.helpers_started) == 2


def test_group_queue_starts_no_helper_for_the_last_group():
    started: list[_GroupQueue] = []

    def start(queue: _GroupQueue) -> Future[None]:
        started.append(queue)
        return Future()

    queue = _GroupQueue(_groups(1), 3, start)
    assert queue.take(first=True) == ["g0"] and started == []


def test_sync_dispatch_with_slow_handlers_reaches_max_workers_streams_at_once():
    lock = threading.Lock()
    in_flight = peak = 0
    seen: dict[str, list[str]] = {}

    def handler(ev):
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.03)
        with lock:
            in_flight -= 1
            seen.setdefault(ev.stream_id, []).append(ev.id)

    dispatcher = SyncDispatcher(handler, max_workers=4)
    dispatcher.dispatch(batch(*[event(f"{s}{i}", s) for i in range(2) for s in "ABCDEF"]))
    dispatcher.close()
    assert peak == 4  # 6 streams, 4 workers: never more, and the helpers do all start
    assert seen == {s: [f"{s}0", f"{s}1"] for s in "ABCDEF"}
    assert dispatcher.stats.events_dispatched == 12


def test_sync_dispatch_counts_events_per_group_including_failed_ones():
    def handler(ev):
        if ev.id.endswith("1"):
            raise ValueError("bad")

    dispatcher = SyncDispatcher(handler, max_workers=3)
    dispatcher.dispatch(batch(*[event(f"{s}{i}", s) for i in range(3) for s in "ABC"]))
    dispatcher.close()
    stats = dispatcher.stats
    assert (stats.events_dispatched, stats.handler_errors, stats.events_received, stats.batches) == (
        9,
        3,
        9,
        1,
    )


async def test_async_dispatch_runs_groups_on_at_most_max_concurrency_tasks():
    tasks: set[asyncio.Task] = set()
    order: dict[str, list[str]] = {}

    async def handler(ev):
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        await asyncio.sleep(0)
        order.setdefault(ev.stream_id, []).append(ev.id)

    dispatcher = AsyncDispatcher(handler, max_concurrency=3)
    await dispatcher.dispatch(batch(*[event(f"{s}{i}", s) for i in range(3) for s in "ABCDEFGHIJ"]))
    assert len(tasks) == 3  # workers, not one task per stream (10)
    assert order == {s: [f"{s}{i}" for i in range(3)] for s in "ABCDEFGHIJ"}
    assert dispatcher.stats.events_dispatched == 30


async def test_async_dispatch_of_one_stream_needs_no_task():
    outer = asyncio.current_task()
    tasks: set = set()

    async def handler(ev):
        tasks.add(asyncio.current_task())

    await AsyncDispatcher(handler).dispatch(batch(*[event(f"e{i}", "A") for i in range(5)]))
    assert tasks == {outer}


async def test_async_concurrency_limit_holds_across_concurrent_dispatch_calls():
    in_flight = peak = 0

    async def handler(ev):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1

    dispatcher = AsyncDispatcher(handler, max_concurrency=3)
    await asyncio.gather(
        dispatcher.dispatch(batch(*[event(f"x{s}", s) for s in "ABCD"])),
        dispatcher.dispatch(batch(*[event(f"y{s}", s) for s in "EFGH"])),
    )
    assert peak == 3 and dispatcher.stats.events_dispatched == 8


def test_grouping_fast_path_for_messages_agrees_with_stream_id():
    from sym_api_client_python.datafeed.dispatcher import group_by_stream

    no_stream = event("m2", "A")
    del no_stream["payload"]["messageSent"]["message"]["stream"]
    raws = [
        event("m1", "A"),
        no_stream,
        event("r1", "A", type_="ROOMCREATED"),
        {"id": "r2", "type": "ROOMCREATED", "payload": {"roomCreated": {"stream": {"streamId": "A"}}}},
        event("m3", "B"),
        {"id": "x", "type": "MESSAGESENT", "initiator": {"user": {"userId": 7}}},
    ]
    groups = group_by_stream(batch(*raws))
    assert [[e.id for e in group] for group in groups] == [["m1", "r2"], ["m2", "r1", "x"], ["m3"]]
    for group in groups:
        assert len({e.stream_id or f"user:{e.initiator_user_id}" for e in group}) == 1
