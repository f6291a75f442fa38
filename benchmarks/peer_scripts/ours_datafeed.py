"""Ours (AsyncBot) datafeed v2: the same protocol and measurements as ``bdk_datafeed.py``.

  1. creates its v2 feed (the bot's start then finds and reuses it) and prints {"event": "feed-ready"};
  2. on "go" reads the queued <count> messages with a no-op handler and prints
     {"event": "throughput", "events": n, "seconds": s} then {"event": "latency-ready"};
  3. the same running bot then replies to the next <latency_count> messages and prints
     {"event": "latency", "ms": [...]} (no stop in between: see bdk_datafeed.py).

Usage: python ours_datafeed.py <bot-config.json> <count> <latency_count>
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from _common import emit, wait_for

from sym_api_client_python.bot import AsyncBot
from sym_api_client_python.core.http import Component, Request


async def main() -> None:
    config_path, count, latency_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    bot = AsyncBot(config_path)
    # Open the feed without reading it (as bdk_datafeed.py does): a read abandoned by a stop would
    # take the first queued events with it until the pod's ack timeout redelivers them.
    await bot.client.request(Request("POST", Component.AGENT, "/agent/v5/datafeeds", json={}))
    emit("feed-ready")
    await asyncio.get_running_loop().run_in_executor(None, wait_for, "go")

    done = asyncio.Event()
    seen = {"count": 0, "first": 0.0}
    latencies: list[float] = []

    @bot.on_event("MESSAGESENT")
    async def handle(ctx: Any) -> None:
        if seen["count"] < count:  # throughput phase: a no-op handler
            seen["count"] += 1
            if seen["count"] == 1:
                seen["first"] = time.perf_counter()
            if seen["count"] == count:
                emit("throughput", events=count - 1, seconds=max(time.perf_counter() - seen["first"], 1e-9))
                emit("latency-ready")
                if not latency_count:
                    done.set()
            return
        message = ctx.event.payload.message_sent.message  # latency phase: reply to each message
        await ctx.reply("pong")
        latencies.append(time.time() * 1000 - message.timestamp)
        if len(latencies) >= latency_count:
            done.set()

    task = asyncio.create_task(bot.start())
    try:
        await asyncio.wait_for(done.wait(), 600)
    finally:
        bot.stop()
        await asyncio.wait_for(task, timeout=60)
        await bot.aclose()
    if latency_count:
        emit("latency", ms=latencies)


asyncio.run(main())
