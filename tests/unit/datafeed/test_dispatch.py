"""Dispatchers: per-stream order, cross-stream concurrency, dedup, own events, errors contained."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import pytest

from sym_api_client_python.core.models.events import decode_v4_read
from sym_api_client_python.datafeed import AsyncDispatcher, DedupWindow, EventGate, SyncDispatcher

from .helpers import BOT_ID, event


def batch(*raws):
    return decode_v4_read(json.dumps(list(raws)).encode())


def test_dedup_window_remembers_at_least_size_ids_and_refreshes_repeats():
    window = DedupWindow(2)
    assert not window.seen_before("a") and not window.seen_before("b")
    assert window.seen_before("a")  # a repeat, refreshed into the newest generation
    assert not window.seen_before("c")
    assert not window.seen_before("d")
    # a was refreshed two ids ago: still known; b was last seen four ids ago: forgotten
    assert window.seen_before("a") and not window.seen_before("b")
    assert not window.seen_before(None) and not window.seen_before(None)


def test_dedup_window_stays_bounded():
    window = DedupWindow(3)
    for index in range(100):
        assert not window.seen_before(f"e{index}")
        assert len(window) <= 6
    assert all(window.seen_before(f"e{index}") for index in range(97, 100))  # the last 3 are known
    assert not window.seen_before("e0")


def test_sync_dispatch_keeps_stream_order_runs_streams_concurrently_and_filters():
    seen: dict[str, list[str]] = {}
    threads: set[str] = set()
    lock = threading.Lock()

    def handler(ev):
        time.sleep(0.02)
        with lock:
            seen.setdefault(ev.stream_id, []).append(ev.id)
            threads.add(threading.current_thread().name)

    gate = EventGate()
    gate.bot_user_id = BOT_ID
    dispatcher = SyncDispatcher(handler, max_workers=4, gate=gate)
    events = batch(
        *[event(f"{s}{i}", s) for i in range(5) for s in ("A", "B", "C")], event("mine", "A", user_id=BOT_ID)
    )
    started = time.perf_counter()
    dispatcher.dispatch(events)
    elapsed = time.perf_counter() - started
    dispatcher.dispatch(batch(event("A0", "A")))  # a redelivery
    dispatcher.close()
    assert seen == {s: [f"{s}{i}" for i in range(5)] for s in "ABC"}
    assert len(threads) == 3 and elapsed < 0.25  # 3 streams in parallel, not 15 x 20 ms
    assert dispatcher.stats.own_events_skipped == 1 and dispatcher.stats.duplicates_skipped == 1
    assert dispatcher.stats.events_dispatched == 15


def test_handler_errors_are_logged_counted_hooked_and_do_not_stop_the_batch(caplog):
    hooked = []

    def handler(ev):
        if ev.id == "bad":
            raise ValueError("boom")

    dispatcher = SyncDispatcher(handler, on_error=lambda exc, ev: hooked.append((str(exc), ev.id)))
    with caplog.at_level(logging.ERROR):
        dispatcher.dispatch(batch(event("bad", "S"), event("good", "S")))
    assert hooked == [("boom", "bad")] and dispatcher.stats.handler_errors == 1
    assert dispatcher.stats.events_dispatched == 2
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert (
        "bad" in record.getMessage() and "MESSAGESENT" in record.getMessage() and "S" in record.getMessage()
    )
    assert record.exc_info is not None


async def test_async_dispatch_order_concurrency_limit_and_errors():
    order: dict[str, list[str]] = {}
    in_flight = peak = 0

    async def handler(ev):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        order.setdefault(ev.stream_id, []).append(ev.id)
        if ev.id == "B1":
            raise RuntimeError("handler bug")

    errors = []

    async def on_error(exc, ev):
        errors.append(ev.id)

    dispatcher = AsyncDispatcher(handler, max_concurrency=2, on_error=on_error)
    await dispatcher.dispatch(batch(*[event(f"{s}{i}", s) for i in range(3) for s in "ABCD"]))
    assert order == {s: [f"{s}{i}" for i in range(3)] for s in "ABCD"}
    assert peak == 2 and errors == ["B1"] and dispatcher.stats.handler_errors == 1


def test_bad_pool_sizes_are_refused():
    with pytest.raises(ValueError, match="max_workers"):
        SyncDispatcher(lambda e: None, max_workers=0)
    with pytest.raises(ValueError, match="max_concurrency"):
        AsyncDispatcher(lambda e: None, max_concurrency=0)
