"""BDK 3.0.0 datafeed v2: events/s to a no-op listener, then event -> reply latency.

Protocol with the harness (JSON lines on stdout, commands on stdin):
  1. creates its v2 feed and prints {"event": "feed-ready"};
  2. on "go" (the harness has queued <count> messages) reads them with a no-op listener and prints
     {"event": "throughput", "events": n, "seconds": s} once all arrived;
  3. with <latency_count> > 0 switches to a listener that replies to each message and prints
     {"event": "latency", "ms": [...]} after that many replies (latency = reply accepted by the
     pod minus the message's creation timestamp).

Usage: python bdk_datafeed.py <bdk-config.yaml> <count> <latency_count>
"""

from __future__ import annotations

import asyncio
import sys
import time

from _common import emit, wait_for
from symphony.bdk.core.config.loader import BdkConfigLoader
from symphony.bdk.core.service.datafeed.real_time_event_listener import RealTimeEventListener
from symphony.bdk.core.symphony_bdk import SymphonyBdk


class Counter(RealTimeEventListener):
    def __init__(self, expected: int, done: asyncio.Event) -> None:
        self.expected, self.done, self.count = expected, done, 0
        self.first = self.last = 0.0

    async def on_message_sent(self, initiator, event) -> None:  # type: ignore[no-untyped-def]
        self.count += 1
        if self.count == 1:
            self.first = time.perf_counter()
        if self.count >= self.expected:
            self.last = time.perf_counter()
            self.done.set()


class Replier(RealTimeEventListener):
    def __init__(self, bdk: SymphonyBdk, expected: int, done: asyncio.Event) -> None:
        self.bdk, self.expected, self.done = bdk, expected, done
        self.latencies: list[float] = []

    async def on_message_sent(self, initiator, event) -> None:  # type: ignore[no-untyped-def]
        message = event.message
        await self.bdk.messages().send_message(message.stream.stream_id, "<messageML>pong</messageML>")
        self.latencies.append(time.time() * 1000 - message.timestamp)
        if len(self.latencies) >= self.expected:
            self.done.set()


async def run_until(loop, done: asyncio.Event, timeout: float) -> None:  # type: ignore[no-untyped-def]
    task = asyncio.create_task(loop.start())
    try:
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        await loop.stop(hard_kill=True)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def main() -> None:
    config_path, count, latency_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    async with SymphonyBdk(BdkConfigLoader.load_from_file(config_path)) as bdk:
        loop = bdk.datafeed()
        # Create the feed now (BDK internals) so the harness can queue events before reading starts;
        # start() then finds and reuses this feed through its own list call.
        loop._bot_info = await bdk.sessions().get_session()
        await loop._prepare_datafeed()
        emit("feed-ready")
        await asyncio.get_running_loop().run_in_executor(None, wait_for, "go")
        done = asyncio.Event()
        counter = Counter(count, done)
        loop.subscribe(counter)
        await run_until(loop, done, timeout=600)
        emit("throughput", events=count - 1, seconds=max(counter.last - counter.first, 1e-9))
        loop.unsubscribe(counter)
        if latency_count:
            done = asyncio.Event()
            replier = Replier(bdk, latency_count, done)
            loop = bdk.datafeed()
            loop.subscribe(replier)
            task = asyncio.create_task(run_until(loop, done, timeout=600))
            emit("latency-ready")
            await task
            emit("latency", ms=replier.latencies)


asyncio.run(main())
