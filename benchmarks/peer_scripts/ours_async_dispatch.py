"""Ours, in process, AsyncBot path: decode v2 read batches and run them through AsyncDispatcher and
the bot framework's per-event handling to one ``@bot.on_event("MESSAGESENT")`` async no-op handler.

The twin of ``ours_dispatch.py`` (same bodies, no network) for the path the over-the-wire benchmark
(``ours_datafeed.py``, an AsyncBot) takes: context per event, handler selection, middleware chain.

Usage: python ours_async_dispatch.py <total_events> <streams> <samples>
Prints {"events_per_s", "cpu_us_per_event", "rss_mb": [...], "events_at_sample": [...], "dispatched"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from _common import BATCH, batch_bytes, rss_mb

from sym_api_client_python.bot import AsyncBot
from sym_api_client_python.core.models.events import decode_v5_read
from sym_api_client_python.datafeed.dispatcher import AsyncDispatcher


async def main() -> None:
    total, streams, samples = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    handled = 0
    # A ready client object: the bot never builds one (no handler replies, nothing is sent).
    bot = AsyncBot(client=object())

    @bot.on_event("MESSAGESENT")
    async def handler(ctx: Any) -> None:
        nonlocal handled
        handled += 1

    # What AsyncBot.start() builds, minus the datafeed runner (no network).
    dispatcher = AsyncDispatcher(
        bot._handle_event, max_concurrency=bot.settings.max_concurrency, gate=bot.gate, stats=bot.stats
    )
    batches = max(1, total // BATCH)
    sample_every = max(1, batches // max(1, samples))
    rss: list[float] = []
    at: list[int] = []
    # Same ring of bodies as ours_dispatch.py: "@@" becomes the batch number so every id is new.
    ring = [batch_bytes(i * BATCH, streams) for i in range(8)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for number in range(batches):
        body = ring[number % len(ring)].replace(b"@@", f"b{number}-".encode())
        events, _ack = decode_v5_read(body)
        await dispatcher.dispatch(events)
        if number % sample_every == 0 or number == batches - 1:
            rss.append(rss_mb())
            at.append((number + 1) * BATCH)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "events_per_s": handled / elapsed,
                "cpu_us_per_event": cpu / max(1, handled) * 1e6,
                "rss_mb": rss,
                "events_at_sample": at,
                "dispatched": handled,
            }
        )
    )


asyncio.run(main())
