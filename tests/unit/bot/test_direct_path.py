"""The direct path of Bot and AsyncBot: events whose handlers need no selection (on_event handlers
without filters, no middleware) skip building a selection, and keep every guarantee of the full
path: errors reported with the handler's name and context, error hooks, handlers added while
running, fresh ``ctx.args``/``ctx.state`` per event."""

from __future__ import annotations

import asyncio
import logging
import threading

from tests.unit.datafeed.helpers import AsyncScripted, ScriptedRequester, event, ok

from sym_api_client_python.bot import AsyncBot, Bot

SETTINGS = {"max_backoff": 0.05}


def _no_selection(ctx):
    raise AssertionError("the direct path builds no selection")


def _script(requester: ScriptedRequester, *ids: str) -> None:
    events = [event(event_id, "S1", text=event_id) for event_id in ids]
    requester.push("read", ok({"events": events, "ackId": "A"}))


async def test_async_direct_handler_errors_reach_the_log_and_the_error_hook(caplog):
    requester = ScriptedRequester()
    bot = AsyncBot(client=AsyncScripted(requester), **SETTINGS)
    handled: list[str] = []
    hooked: list[tuple[str, str, bool]] = []

    @bot.on_event("MESSAGESENT")
    async def on_message(ctx):
        ctx.state["mine"] = ctx.event.id
        assert ctx.args == {}
        if ctx.event.id == "stop":
            bot.stop()
        elif ctx.event.id == "bad":
            raise ValueError("broken handler")
        handled.append(ctx.event.id)

    @bot.on_error
    async def hook(ctx, exc):
        hooked.append((ctx.event.id, str(exc), ctx.state["mine"] == ctx.event.id))

    _script(requester, "e1", "bad", "e2", "stop")
    assert bot.registry.direct_handlers("MESSAGESENT") == bot.registry.handlers
    bot._selection = _no_selection
    with caplog.at_level(logging.ERROR, logger="sym_api_client_python.dispatch"):
        await asyncio.wait_for(bot.start(), 5)
    assert handled == ["e1", "e2", "stop"]
    assert hooked == [("bad", "broken handler", True)] and bot.stats.handler_errors == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any("handler test_async_direct" in m and "event bad" in m for m in messages)


async def test_async_handler_registered_while_running_takes_part_from_the_next_event():
    requester = ScriptedRequester()
    bot = AsyncBot(client=AsyncScripted(requester), **SETTINGS)
    late: list[str] = []

    async def late_handler(ctx):
        late.append(ctx.event.id)

    @bot.on_event("MESSAGESENT")
    async def first(ctx):
        if ctx.event.id == "e1":
            bot.on_event("MESSAGESENT")(late_handler)
        if ctx.event.id == "stop":
            bot.stop()

    _script(requester, "e1", "e2", "stop")
    await asyncio.wait_for(bot.start(), 5)
    assert late == ["e2", "stop"]


def test_sync_direct_handlers_run_in_order_and_errors_reach_the_hook():
    requester = ScriptedRequester()
    bot = Bot(client=requester, **SETTINGS)
    calls: list[tuple[str, str]] = []
    hooked: list[tuple[str, str]] = []

    @bot.on_event("MESSAGESENT")
    def first(ctx):
        calls.append(("first", ctx.event.id))
        if ctx.event.id == "bad":
            raise RuntimeError("first failed")

    @bot.on_event("*")
    def second(ctx):
        calls.append(("second", ctx.event.id))
        if ctx.event.id == "stop":
            bot.stop()

    bot.on_error(lambda ctx, exc: hooked.append((ctx.event.id, str(exc))))
    _script(requester, "bad", "stop")
    bot._full_selection = _no_selection
    thread = threading.Thread(target=bot.run, daemon=True)
    thread.start()
    thread.join(5)
    alive = thread.is_alive()
    bot.stop()  # a failed test must not leave the bot reading
    assert not alive
    # a failing handler does not keep the next handler of the same event from running
    assert calls == [("first", "bad"), ("second", "bad"), ("first", "stop"), ("second", "stop")]
    assert hooked == [("bad", "first failed")]


async def test_start_loads_the_reply_path_before_the_first_event():
    """The REST services (``ctx.reply``) are ready before any handler runs, so the first reply does
    not pay their import."""
    requester = ScriptedRequester()
    bot = AsyncBot(client=AsyncScripted(requester), **SETTINGS)
    ready_at_first_event: list[bool] = []

    @bot.on_event("MESSAGESENT")
    async def on_message(ctx):
        ready_at_first_event.append(bot.__dict__.get("_services") is not None)
        bot.stop()

    _script(requester, "e1")
    assert bot.__dict__.get("_services") is None
    await asyncio.wait_for(bot.start(), 5)
    assert ready_at_first_event == [True]


def test_sync_run_loads_the_reply_path_before_the_first_event():
    requester = ScriptedRequester()
    bot = Bot(client=requester, **SETTINGS)
    ready_at_first_event: list[bool] = []

    @bot.on_event("MESSAGESENT")
    def on_message(ctx):
        ready_at_first_event.append(bot.__dict__.get("_services") is not None)
        bot.stop()

    _script(requester, "e1")
    thread = threading.Thread(target=bot.run, daemon=True)
    thread.start()
    thread.join(5)
    alive = thread.is_alive()
    bot.stop()
    assert not alive and ready_at_first_event == [True]
