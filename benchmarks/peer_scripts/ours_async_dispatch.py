"""Ours, in process, AsyncBot path: decode v2 read batches and run them through AsyncDispatcher and
the bot framework's per-event handling to one ``@bot.on_event("MESSAGESENT")`` async no-op handler.

The twin of ``ours_dispatch.py`` (same bodies, no network) for the path the over-the-wire benchmark
(``ours_datafeed.py``, an AsyncBot) takes: context per event, handler selection, middleware chain.

Usage: python ours_async_dispatch.py <total_events> <streams> <samples>
Prints {"events_per_s", "cpu_us_per_event", "rss_mb": [...], "events_at_sample": [...], "dispatched"}.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from _common import BatchRun

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
    run = BatchRun(total, streams, samples)  # the same bodies as ours_dispatch.py
    for body in run.bodies():
        events, _ack = decode_v5_read(body)
        await dispatcher.dispatch(events)
    run.report(handled)


asyncio.run(main())
