"""The modern API against the emulator: Bot and AsyncBot handlers, commands with replies, forms,
every event type through ``on_event``, and the README's sample listeners answering as before."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from tests.e2e.test_datafeed_events import (
    CALLBACKS,
    FORM,
    async_wait_until,
    drive_events,
    legacy_bot_client,
    peer_services,
    wait_until,
)

from sym_api_client_python.bot import AsyncBot, Bot, filters
from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.rest import SyncServices
from sym_api_client_python.testing.conversation import presentation_text

EVENT_TYPES = {*CALLBACKS, "MESSAGESENT"}


def texts(pod: Any, stream_id: str) -> list[str]:
    return [presentation_text(m["message"]) for m in pod.stream_messages(stream_id)]


def register(bot: Any, seen: dict[str, list[Any]]) -> None:
    @bot.on_event("*")
    def every(ctx: Any) -> None:
        seen.setdefault(ctx.event.type, []).append(ctx.event.id)

    @bot.command("/buy {qty:int} {ticker}")
    def buy(ctx: Any, qty: int, ticker: str) -> None:
        ctx.reply(f"Buying {qty} {ticker} for {ctx.user.display_name}")

    @bot.on_message(filters.text_contains("form please"))
    def send_form(ctx: Any) -> None:
        ctx.reply_form(FORM)

    @bot.on_form("order", action="submit")
    def order(ctx: Any, form: Any) -> None:
        ctx.reply(f"ordered {form.get('qty')}")
        seen.setdefault("form", []).append(form.get("qty"))


def test_bot_commands_forms_and_every_event(pod: Any, bot_config_file: Path) -> None:
    bot = Bot(bot_config_file, max_backoff=0.5)
    seen: dict[str, list[Any]] = {}
    register(bot, seen)
    thread = threading.Thread(target=bot.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: bot.feed_id, what="the feed")
        _alice, alice_services = peer_services(pod, "alice")
        im = pod.send_message("alice", "/buy 10 AAPL", to=pod.bot["userId"])
        stream = im["stream"]["streamId"]
        wait_until(lambda: "Buying 10 AAPL for Alice" in texts(pod, stream), what="command reply")
        pod.send_message("alice", "/buy ten AAPL", stream_id=stream)
        wait_until(
            lambda: any("Usage: /buy {qty:int} {ticker}" in t for t in texts(pod, stream)), what="usage"
        )
        pod.send_message("alice", "form please", stream_id=stream)
        form = wait_until(
            lambda: [m for m in pod.stream_messages(stream) if "<form" in m["message"]], what="form"
        )
        pod.submit_form("alice", form[-1]["messageId"], "order", {"action": "submit", "qty": "7"})
        wait_until(lambda: "ordered 7" in texts(pod, stream), what="form reply")
        drive_events(pod, alice_services, SyncServices(SyncApiClient.from_config(bot_config_file)))
        wait_until(lambda: set(seen) >= EVENT_TYPES, what=f"every event type (got {sorted(seen)})")
    finally:
        bot.stop()
        thread.join(10)
    assert not thread.is_alive()
    assert bot.stats.handler_errors == 0 and bot.stats.own_events_skipped >= 3


async def test_async_bot_handlers_and_sync_handlers_in_threads(pod: Any, bot_config_file: Path) -> None:
    bot = AsyncBot(bot_config_file, max_backoff=0.5)
    seen: dict[str, list[Any]] = {}
    register(bot, seen)  # plain functions: run in the bot's thread pool

    @bot.on_message(filters.im & filters.regex(r"^async (?P<word>\w+)"))
    async def echo(ctx: Any, match: Any) -> None:
        await ctx.reply(f"<b>{match['word']}</b> from a coroutine")

    task = asyncio.ensure_future(bot.start())
    try:
        await async_wait_until(lambda: bot.feed_id, what="the feed")
        await asyncio.to_thread(pod.create_user, "carol", "Carol C")
        sent = await asyncio.to_thread(pod.send_message, "carol", "async hello", None, pod.bot["userId"])
        stream = sent["stream"]["streamId"]
        await async_wait_until(lambda: "hello from a coroutine" in texts(pod, stream), what="async reply")
        await asyncio.to_thread(pod.send_message, "carol", "/buy 3 MSFT", stream)
        await async_wait_until(
            lambda: "Buying 3 MSFT for Carol C" in texts(pod, stream), what="sync handler reply"
        )
    finally:
        bot.stop()
        await asyncio.wait_for(task, 10)
        await bot.aclose()
    assert bot.stats.handler_errors == 0


def test_readme_sample_listeners_answer_as_before(pod: Any, bot_config_file: Path) -> None:
    """The legacy README's main_RSA.py wiring, unchanged, against the emulator."""
    from sym_api_client_python.listeners.im_listener_test_imp import IMListenerTestImp
    from sym_api_client_python.listeners.room_listener_test_imp import RoomListenerTestImp

    bot_client = legacy_bot_client(bot_config_file)
    datafeed_event_service = bot_client.get_datafeed_event_service()
    datafeed_event_service.add_im_listener(IMListenerTestImp(bot_client))
    datafeed_event_service.add_room_listener(RoomListenerTestImp(bot_client))
    thread = threading.Thread(target=datafeed_event_service.start_datafeed, daemon=True)
    thread.start()
    try:
        wait_until(lambda: datafeed_event_service.datafeed_id, what="the feed")
        pod.create_user("dave", "Dave D", firstName="Dave")
        sent = pod.send_message("dave", "hi there", to=pod.bot["userId"])
        stream = sent["stream"]["streamId"]
        wait_until(
            lambda: any(t.startswith("Hello Dave, hope you are doing well!") for t in texts(pod, stream)),
            what="the sample greeting",
        )
    finally:
        datafeed_event_service.deactivate_datafeed()
        thread.join(10)
    assert not thread.is_alive()
