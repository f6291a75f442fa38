"""Fault matrix: while the emulator injects a fault, N messages posted in several streams must
each reach the handler exactly once and in per-stream order (docs/reliability.md)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.test_datafeed_events import config_variant, wait_until

from sym_api_client_python.bot import AsyncBot, Bot
from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.core.http import Component, Request

SENDERS = ("ann", "ben", "cat")
PER_SENDER = 10
READ_PATH = r"^/agent/v5/datafeeds/[^/]+/read$"
API_PATHS = r"^/(agent|pod|login|relay|sessionauth|keyauth)/"
RESULTS: list[str] = []


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_stream: dict[str, list[str]] = {}
        self.count = 0

    def record(self, stream_id: str | None, text: str) -> None:
        with self.lock:
            self.by_stream.setdefault(stream_id or "?", []).append(text)
            self.count += 1


def post_all(pod: Any, streams: dict[str, str], start: int, stop: int, pause: float = 0.0) -> None:
    """Messages ``<sender>-<k>`` for k in [start, stop), interleaved across senders."""
    for k in range(start, stop):
        for sender in SENDERS:
            pod.send_message(sender, f"{sender}-{k}", stream_id=streams[sender])
        if pause:
            time.sleep(pause)


def open_streams(pod: Any) -> dict[str, str]:
    streams = {}
    for sender in SENDERS:
        pod.create_user(sender, sender.capitalize())
        streams[sender] = pod.send_message(sender, f"{sender}-hello", to=pod.bot["userId"])["stream"][
            "streamId"
        ]
    return streams


def delete_feed(pod: Any, config: Path, feed_id: str) -> None:
    with SyncApiClient.from_config(config) as client:
        client.request(Request("DELETE", Component.AGENT, f"/agent/v5/datafeeds/{feed_id}"))


def scenario_5xx_burst(pod: Any, ctx: dict[str, Any]) -> None:
    pod.add_fault(READ_PATH, status=503, times=4)
    pod.add_fault(READ_PATH, status=500, times=2)
    post_all(pod, ctx["streams"], 0, PER_SENDER, pause=0.02)


def scenario_401(pod: Any, ctx: dict[str, Any]) -> None:
    post_all(pod, ctx["streams"], 0, PER_SENDER // 2)
    pod.expire_sessions()
    post_all(pod, ctx["streams"], PER_SENDER // 2, PER_SENDER)
    pod.expire_sessions()


def scenario_drops(pod: Any, ctx: dict[str, Any]) -> None:
    pod.add_fault(READ_PATH, drop=True, times=3)
    post_all(pod, ctx["streams"], 0, PER_SENDER, pause=0.02)


def outage(seconds: float) -> Callable[[Any, dict[str, Any]], None]:
    def scenario(pod: Any, ctx: dict[str, Any]) -> None:
        pod.add_fault(API_PATHS, status=503)
        post_all(pod, ctx["streams"], 0, PER_SENDER)
        time.sleep(seconds)
        pod.clear_faults()

    return scenario


def scenario_feed_deleted(pod: Any, ctx: dict[str, Any]) -> None:
    post_all(pod, ctx["streams"], 0, PER_SENDER // 2)
    wait_until(lambda: ctx["recorder"].count >= len(SENDERS) * (PER_SENDER // 2 + 1), what="first half")
    old = ctx["bot"].feed_id
    delete_feed(pod, ctx["config"], old)
    # Events published while the bot has no feed at all are not kept by Symphony either, so the
    # second half is posted once the reader has opened its new feed.
    wait_until(lambda: ctx["bot"].feed_id not in (None, old), what="a new feed")
    post_all(pod, ctx["streams"], PER_SENDER // 2, PER_SENDER)


def scenario_429(pod: Any, ctx: dict[str, Any]) -> None:
    pod.add_fault(READ_PATH, status=429, times=3)
    post_all(pod, ctx["streams"], 0, PER_SENDER, pause=0.02)


SCENARIOS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "5xx burst on read (4x503 + 2x500)": scenario_5xx_burst,
    "401 mid-feed (sessions expired twice)": scenario_401,
    "connection dropped on read (3x)": scenario_drops,
    "5 s of 503 on every route": outage(5.0),
    "feed deleted under the reader": scenario_feed_deleted,
    "429 on read (3x)": scenario_429,
}


def expected(streams: dict[str, str]) -> dict[str, list[str]]:
    return {streams[s]: [f"{s}-hello", *[f"{s}-{k}" for k in range(PER_SENDER)]] for s in SENDERS}


def check(name: str, engine: str, recorder: Recorder, streams: dict[str, str], started: float) -> None:
    want = expected(streams)
    total = sum(len(v) for v in want.values())
    time.sleep(0.5)  # late duplicates would show up here
    handled = recorder.count
    lost = sum(len(set(v) - set(recorder.by_stream.get(s, []))) for s, v in want.items())
    duplicated = handled - sum(len(set(v)) for v in recorder.by_stream.values())
    RESULTS.append(
        f"{name} [{engine}]: sent {total}, handled {handled}, lost {lost}, duplicated {duplicated}, "
        f"{time.monotonic() - started:.1f} s"
    )
    print(RESULTS[-1])
    assert lost == 0 and duplicated == 0 and handled == total
    assert recorder.by_stream == want  # per-stream order kept


def fast_retries(pod: Any) -> Path:
    """The bot's config with the HTTP client's own retries quicker (0.1 s, capped at 0.5 s), so the
    matrix runs in CI time; the datafeed loop's backoff is capped at 1 s by the tests."""
    return config_variant(pod, "fault-matrix", retryInitialDelay=0.1, retryMaxDelay=0.5)


def run_sync(pod: Any, config: Path, name: str) -> None:
    config = fast_retries(pod)
    bot = Bot(config, max_backoff=1.0)
    recorder = Recorder()

    @bot.on_message()
    def handle(ctx: Any) -> None:
        recorder.record(ctx.stream_id, ctx.text)

    thread = threading.Thread(target=bot.run, daemon=True)
    started = time.monotonic()
    thread.start()
    try:
        wait_until(lambda: bot.feed_id, what="the feed")
        streams = open_streams(pod)  # after the feed exists: events before it are not kept
        SCENARIOS[name](pod, {"streams": streams, "bot": bot, "recorder": recorder, "config": config})
        total = len(SENDERS) * (PER_SENDER + 1)
        wait_until(
            lambda: recorder.count >= total, timeout=40, what=f"{total} messages ({recorder.by_stream})"
        )
    finally:
        pod.clear_faults()
        bot.stop()
        thread.join(15)
    assert not thread.is_alive()
    check(name, "Bot", recorder, streams, started)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_matrix_sync_bot(pod: Any, bot_config_file: Path, name: str) -> None:
    run_sync(pod, bot_config_file, name)


@pytest.mark.parametrize(
    "name",
    [
        "5xx burst on read (4x503 + 2x500)",
        "connection dropped on read (3x)",
        "401 mid-feed (sessions expired twice)",
    ],
)
async def test_fault_matrix_async_bot(pod: Any, bot_config_file: Path, name: str) -> None:
    config = fast_retries(pod)
    bot = AsyncBot(config, max_backoff=1.0)
    recorder = Recorder()

    @bot.on_message()
    async def handle(ctx: Any) -> None:
        await asyncio.sleep(0)
        recorder.record(ctx.stream_id, ctx.text)

    started = time.monotonic()
    task = asyncio.ensure_future(bot.start())
    try:
        await asyncio.to_thread(wait_until, lambda: bot.feed_id, 15, "the feed")
        streams = await asyncio.to_thread(open_streams, pod)
        ctx = {"streams": streams, "bot": bot, "recorder": recorder, "config": config}
        await asyncio.to_thread(SCENARIOS[name], pod, ctx)
        total = len(SENDERS) * (PER_SENDER + 1)
        await asyncio.to_thread(wait_until, lambda: recorder.count >= total, 40, f"{total} messages")
    finally:
        pod.clear_faults()
        bot.stop()
        await asyncio.wait_for(task, 15)
        await bot.aclose()
    await asyncio.to_thread(check, name, "AsyncBot", recorder, streams, started)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("SYMPHONY_SLOW_TESTS"), reason="60 s outage: set SYMPHONY_SLOW_TESTS=1"
)
def test_sixty_second_outage(pod: Any, bot_config_file: Path) -> None:
    SCENARIOS["60 s of 503 on every route"] = outage(60.0)
    run_sync(pod, bot_config_file, "60 s of 503 on every route")
