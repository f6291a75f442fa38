"""Datafeed throughput and latency of the SDK, against the emulator and in process.

Three figures:

* ``events_per_s``: a backlog of ``count`` MESSAGESENT events is queued in a v2 feed, then an
  ``AsyncBot`` with a no-op handler reads it; events/s from the first to the last event handled
  (HTTP long-poll, msgspec decode, dedup, dispatch: the whole path).
* ``ceiling``: the in-process dispatch ceiling, decoded 100-event batches through the dispatcher
  to a no-op handler (async and sync dispatchers), and the decode rate alone.
* ``p50``/``p99`` (ms): event→reply latency, messages sent one at a time; a handler replies and
  the latency is the reply's pod timestamp minus the message's pod timestamp.

    python -m benchmarks.bench_datafeed [--quick]

``run(quick)`` is what the benchmark harness calls (``pod`` may be its emulator process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any


def _control_factory(pod: Any) -> Callable[[], Any]:
    control = getattr(pod, "control", None)
    if callable(control):
        return control  # type: ignore[no-any-return]
    from .pod import ControlClient

    return lambda: ControlClient(pod.url, getattr(pod, "ca_path", None))


def _sender_and_stream(control: Any, bot_username: str) -> tuple[str, str]:
    username = f"df-{uuid.uuid4().hex[:8]}"
    control.create_user(username, display_name="Datafeed Bench")
    first = control.send_message(username, "<messageML>hello</messageML>", to=bot_username)
    return username, first["stream"]["streamId"]


def _bot_username(pod: Any) -> str:
    name = getattr(pod, "bot_username", None)
    if callable(name):
        return str(name())
    bot = getattr(pod, "bot", None)
    if isinstance(bot, dict):
        return str(bot["username"])
    return str(json.loads(Path(pod.bot_config_path).read_text())["botUsername"])


def _ensure_feed(config: Path) -> str:
    from sym_api_client_python.client import SyncApiClient
    from sym_api_client_python.core.datafeed import (
        CreateFeed,
        ListFeeds,
        build_request,
        parse_response,
        pick_feed,
    )

    with SyncApiClient.from_config(config) as client:
        feeds = parse_response(
            ListFeeds(), client.request(build_request(ListFeeds(), version="v2")), version="v2"
        )
        existing = pick_feed(feeds)
        if existing:
            return existing
        response = client.request(build_request(CreateFeed(), version="v2"))
        return str(parse_response(CreateFeed(), response, version="v2"))


async def _throughput(config: Path, pod: Any, count: int) -> float:
    from sym_api_client_python.bot import AsyncBot

    from .pod import inject_messages

    control_factory = _control_factory(pod)
    control = control_factory()
    try:
        sender, stream_id = _sender_and_stream(control, _bot_username(pod))
    finally:
        control.close()
    # Open the feed first (the bot below reuses it), so the backlog is queued into it. Not with a
    # bot that is then stopped: its abandoned long poll could lease events for the ack timeout.
    await asyncio.to_thread(_ensure_feed, config)
    await asyncio.to_thread(inject_messages, control_factory, sender, stream_id, count)

    bot = AsyncBot(config, max_concurrency=256)
    handled = 0
    first = last = 0.0
    done = asyncio.Event()

    @bot.on_message()
    async def no_op(ctx: Any) -> None:
        nonlocal handled, first, last
        handled += 1
        last = time.perf_counter()
        if handled == 1:
            first = last
        if handled >= count:
            done.set()

    task = asyncio.ensure_future(bot.start())
    try:
        await asyncio.wait_for(done.wait(), timeout=max(60.0, count / 100))
    finally:
        bot.stop()
        await task
        await bot.aclose()
    return round((handled - 1) / (last - first), 1) if last > first else float("nan")


async def _latency(config: Path, pod: Any, count: int) -> dict[str, float]:
    from sym_api_client_python.bot import AsyncBot

    latencies: list[float] = []
    got = asyncio.Event()
    bot = AsyncBot(config)

    @bot.on_message()
    async def pong(ctx: Any) -> None:
        sent = await ctx.reply("pong")
        message = ctx.event.payload.message_sent.message
        latencies.append(float(sent.timestamp - message.timestamp))
        got.set()

    task = asyncio.ensure_future(bot.start())
    control = _control_factory(pod)()
    try:
        while bot.feed_id is None:
            await asyncio.sleep(0.01)
        sender, stream_id = await asyncio.to_thread(_sender_and_stream, control, _bot_username(pod))
        await asyncio.wait_for(got.wait(), 30)  # the "hello" that opened the IM
        latencies.clear()
        for _ in range(count):
            got.clear()
            await asyncio.to_thread(
                control.send_message, sender, "<messageML>ping</messageML>", stream_id=stream_id
            )
            await asyncio.wait_for(got.wait(), 30)
            await asyncio.sleep(0.01)
    finally:
        control.close()
        bot.stop()
        await task
        await bot.aclose()
    ordered = sorted(latencies)
    return {
        "p50": ordered[len(ordered) // 2],
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "mean_ms": round(statistics.fmean(ordered), 2),
        "samples": len(ordered),
    }


MESSAGE = '<div data-format="PresentationML" data-version="2.0"><p>hello world /joke</p></div>'


def _batch_bytes(size: int = 100, streams: int = 10) -> bytes:
    events = []
    for i in range(size):
        stream = f"stream-{i % streams}"
        events.append(
            {
                "id": f"ev-{uuid.uuid4().hex}",
                "messageId": f"m-{i}",
                "timestamp": 1_700_000_000_000 + i,
                "type": "MESSAGESENT",
                "initiator": {
                    "user": {
                        "userId": 7,
                        "firstName": "Reed",
                        "lastName": "F",
                        "displayName": "Reed F",
                        "email": "reed@example.com",
                        "username": "reed",
                    }
                },
                "payload": {
                    "messageSent": {
                        "message": {
                            "messageId": f"m-{i}",
                            "timestamp": 1_700_000_000_000 + i,
                            "message": MESSAGE,
                            "data": "{}",
                            "user": {"userId": 7, "displayName": "Reed F"},
                            "stream": {"streamId": stream, "streamType": "IM"},
                            "originalFormat": "com.symphony.messageml.v2",
                        }
                    }
                },
            }
        )
    return json.dumps({"events": events, "ackId": "ack"}).encode()


def _ceiling(batches: int) -> dict[str, float]:
    from sym_api_client_python.core.models.events import decode_v5_read
    from sym_api_client_python.datafeed import AsyncDispatcher, EventGate, SyncDispatcher

    bodies = [_batch_bytes() for _ in range(batches)]  # distinct ids: the dedup window must not skip
    started = time.perf_counter()
    decoded = [decode_v5_read(body)[0] for body in bodies]
    decode_rate = len(decoded) * 100 / (time.perf_counter() - started)

    async def no_op(event: Any) -> None:
        return None

    async def run_async() -> float:
        dispatcher = AsyncDispatcher(no_op, gate=EventGate(dedup_window=batches * 100 + 1))
        began = time.perf_counter()
        for body in bodies:
            await dispatcher.dispatch(decode_v5_read(body)[0])
        return batches * 100 / (time.perf_counter() - began)

    async_rate = asyncio.run(run_async())
    sync_dispatcher = SyncDispatcher(
        lambda event: None, max_workers=4, gate=EventGate(dedup_window=batches * 100 + 1)
    )
    began = time.perf_counter()
    for body in bodies:
        sync_dispatcher.dispatch(decode_v5_read(body)[0])
    sync_rate = batches * 100 / (time.perf_counter() - began)
    sync_dispatcher.close()
    return {
        "decode_eps": round(decode_rate),
        "async_dispatch_eps": round(async_rate),
        "sync_dispatch_eps": round(sync_rate),
    }


def run(
    quick: bool = False,
    pod: Any = None,
    count: int | None = None,
    latency_count: int | None = None,
    repeats: int = 1,
) -> dict[str, Any]:
    """Figures for the harness: ``{"events_per_s": [...], "latency": {"p50", "p99"}, "ceiling": {...}}``."""
    count = count or (1_000 if quick else 10_000)
    latency_count = latency_count if latency_count is not None else (30 if quick else 200)
    with ExitStack() as stack:
        if pod is None:
            from sympod import Emulator

            workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-datafeed-"))
            # its own process, as in the harness's scripted runs and for BDK: in a thread it would
            # share this process's GIL with the bot and the figure would measure the two together
            pod = stack.enter_context(Emulator(workdir=workdir, long_poll=1.0, mode="subprocess"))
        config = Path(pod.bot_config_path)
        rates = [asyncio.run(_throughput(config, pod, count)) for _ in range(max(1, repeats))]
        latency = asyncio.run(_latency(config, pod, latency_count)) if latency_count else {}
    return {
        "count": count,
        "events_per_s": rates,
        "latency": latency,
        "ceiling": _ceiling(20 if quick else 200),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick), indent=2))


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
