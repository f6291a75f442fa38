"""Bot and AsyncBot end to end over a scripted requester: handlers, commands, middleware, errors."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from tests.unit.datafeed.helpers import BOT_ID, AsyncScripted, ScriptedRequester, event, ok

from sym_api_client_python.bot import AsyncBot, Bot, filters, to_messageml

SETTINGS = {"max_backoff": 0.05}


def form_event(event_id, form_id="order", action="submit"):
    return {
        "id": event_id,
        "type": "SYMPHONYELEMENTSACTION",
        "initiator": {"user": {"userId": 7}},
        "payload": {
            "symphonyElementsAction": {
                "stream": {"streamId": "S1", "streamType": "IM"},
                "formId": form_id,
                "formMessageId": "FM",
                "formValues": {"action": action, "qty": "3"},
            }
        },
    }


def room_created(event_id):
    return {
        "id": event_id,
        "type": "ROOMCREATED",
        "initiator": {"user": {"userId": 7}},
        "payload": {"roomCreated": {"stream": {"streamId": "R9", "streamType": "ROOM"}}},
    }


def script(requester, *events, stop_marker="stop"):
    requester.push("read", ok({"events": [*events, event(stop_marker, "Z", text="/stop")], "ackId": "A"}))


def register_common(bot, seen, lock=None):
    lock = lock or threading.Lock()

    def note(*item):
        with lock:
            seen.append(item)

    @bot.command("/buy {qty:int} {ticker}")
    def buy(ctx, qty, ticker):
        note("buy", qty, ticker)
        ctx.reply(f"buying {qty} {ticker}")

    @bot.command("/stop")
    def stop(ctx):
        bot.stop()

    @bot.on_message(filters.im & filters.regex(r"hello (?P<who>\w+)"))
    def hello(ctx, match):
        note("hello", match["who"], ctx.user.user_id)

    @bot.on_form("order", action="submit")
    def order(ctx, form):
        note("form", form.form_id, form.get("qty"), ctx.form.action)

    @bot.on_event("ROOMCREATED")
    def created(ctx):
        note("event", ctx.event.type, ctx.event.raw["payload"]["roomCreated"]["stream"]["streamId"])

    @bot.on_message()
    def boom(ctx):
        if "explode" in ctx.text:
            raise RuntimeError("handler bug")


def test_sync_bot_dispatches_every_kind_and_survives_errors():
    requester = ScriptedRequester()
    bot = Bot(client=requester, **SETTINGS)
    seen: list = []
    errors: list = []
    order: list = []
    register_common(bot, seen)
    bot.on_error(lambda ctx, exc: errors.append((ctx.event.id, str(exc))))

    @bot.middleware
    def around(ctx, call_next):
        order.append(("before", ctx.event.id))
        call_next()
        order.append(("after", ctx.event.id))

    own = event("own", "S1", user_id=BOT_ID, text="hello me")
    script(
        requester,
        event("e1", "S1", text="/buy 10 AAPL"),
        event("e2", "S1", text="/buy ten AAPL"),
        event("e3", "S2", text="hello bob"),
        form_event("e4"),
        form_event("e5", action="cancel"),
        room_created("e6"),
        event("e7", "S3", text="please explode"),
        own,
        event("e1", "S1", text="dup"),
    )
    requester.defaults["sessioninfo"] = lambda r: ok({"id": BOT_ID, "displayName": "bot"})
    thread = threading.Thread(target=bot.run)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert sorted(seen) == sorted(
        [
            ("buy", 10, "AAPL"),
            ("hello", "bob", 7),
            ("form", "order", "3", "submit"),
            ("event", "ROOMCREATED", "R9"),
        ]
    )
    sent = requester.sent()
    assert ("S1", "<messageML>buying 10 AAPL</messageML>") in sent
    usage = [m for _, m in sent if "Usage" in m]
    assert usage == [to_messageml("qty must be an integer, got 'ten'. Usage: /buy {qty:int} {ticker}")]
    assert errors == [("e7", "handler bug")] and bot.stats.handler_errors == 1
    assert bot.stats.own_events_skipped == 1 and bot.stats.duplicates_skipped == 1
    assert ("before", "e1") in order and order.index(("before", "e1")) < order.index(("after", "e1"))
    assert bot.session_info["id"] == BOT_ID


def test_sync_bot_refuses_async_handlers():
    bot = Bot(client=ScriptedRequester())
    with pytest.raises(TypeError, match="AsyncBot"):

        @bot.on_message()
        async def handler(ctx):
            pass


async def test_async_bot_runs_async_and_sync_handlers():
    requester = ScriptedRequester()
    bot = AsyncBot(client=AsyncScripted(requester), **SETTINGS)
    seen: list = []
    register_common(bot, seen)
    threads: set = set()

    @bot.on_message(filters.text_contains("async"))
    async def async_handler(ctx):
        await asyncio.sleep(0)
        await ctx.reply("<b>async ok</b>")
        seen.append(("async", ctx.stream_id))

    @bot.middleware
    async def mw(ctx, call_next):
        ctx.state["seen_by_mw"] = True
        await call_next()

    @bot.on_message(filters.text_contains("thread"))
    def sync_handler(ctx):
        threads.add(threading.current_thread().name)
        assert ctx.state["seen_by_mw"]
        ctx.reply("from a thread")

    script(
        requester,
        event("e1", "S1", text="/buy 1 X"),
        event("e2", "S2", text="async please"),
        event("e3", "S3", text="thread please"),
        form_event("e4"),
        room_created("e5"),
    )
    await asyncio.wait_for(bot.start(), 5)
    assert ("async", "S2") in seen and ("buy", 1, "X") in seen and ("form", "order", "3", "submit") in seen
    assert threads and all(name.startswith("symphony-handler") for name in threads)
    assert {m for _, m in requester.sent()} >= {
        "<messageML><b>async ok</b></messageML>",
        "<messageML>from a thread</messageML>",
    }
    assert json.loads(json.dumps(bot.stats.as_dict()))["events_dispatched"] == 6


def test_stop_before_run_makes_run_return_at_once():
    requester = ScriptedRequester()
    bot = Bot(client=requester, **SETTINGS)
    bot.stop()
    thread = threading.Thread(target=bot.run)
    thread.start()
    thread.join(3)
    assert not thread.is_alive() and not requester.reads()


async def test_async_stop_before_start_returns_at_once():
    requester = ScriptedRequester()
    bot = AsyncBot(client=AsyncScripted(requester), **SETTINGS)
    bot.stop()
    await asyncio.wait_for(bot.start(), 3)
    assert not requester.reads() and bot.feed_id is None
