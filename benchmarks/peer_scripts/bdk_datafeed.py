"""BDK 3.0.0 datafeed v2: events/s to a no-op listener, then event -> reply latency.

Protocol with the harness (JSON lines on stdout, commands on stdin):
  1. creates its v2 feed and prints {"event": "feed-ready"};
  2. on "go" (the harness has queued <count> messages) reads them with a no-op listener and prints
     {"event": "throughput", "events": n, "seconds": s} then {"event": "latency-ready"};
  3. the same running loop then replies to the next <latency_count> messages and prints
     {"event": "latency", "ms": [...]} (latency = reply accepted by the pod minus the message's
     creation timestamp). No stop in between: a read abandoned by a stop would hold the next
     events until the pod's ack timeout.

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


class Listener(RealTimeEventListener):
    """No-op for the first ``count`` messages, then replies to each and records the latency."""

    def __init__(self, bdk: SymphonyBdk, count: int, latency_count: int, done: asyncio.Event) -> None:
        self.bdk, self.count, self.latency_count, self.done = bdk, count, latency_count, done
        self.seen = 0
        self.first = 0.0
        self.latencies: list[float] = []

    async def on_message_sent(self, initiator, event) -> None:  # type: ignore[no-untyped-def]
        if self.seen < self.count:
            self.seen += 1
            if self.seen == 1:
                self.first = time.perf_counter()
            if self.seen == self.count:
                emit("throughput", events=self.count - 1, seconds=max(time.perf_counter() - self.first, 1e-9))
                emit("latency-ready")
                if not self.latency_count:
                    self.done.set()
            return
        message = event.message
        await self.bdk.messages().send_message(message.stream.stream_id, "<messageML>pong</messageML>")
        self.latencies.append(time.time() * 1000 - message.timestamp)
        if len(self.latencies) >= self.latency_count:
            self.done.set()


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
        listener = Listener(bdk, count, latency_count, done)
        loop.subscribe(listener)
        task = asyncio.create_task(loop.start())
        try:
            await asyncio.wait_for(done.wait(), 600)
        finally:
            await loop.stop(hard_kill=True)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if latency_count:
            emit("latency", ms=listener.latencies)


asyncio.run(main())
