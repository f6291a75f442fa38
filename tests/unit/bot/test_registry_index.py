"""The handler registry's selection index and the bot's per-event fast paths: same selection as a
full scan, kept current when handlers are added after events started flowing."""

from __future__ import annotations

import json
from typing import Any

from tests.unit.datafeed.helpers import event

from sym_api_client_python.bot import AsyncBot, Bot, filters
from sym_api_client_python.bot.commands import CommandPattern
from sym_api_client_python.bot.context import Context
from sym_api_client_python.bot.registry import Handler, HandlerRegistry
from sym_api_client_python.core.models.events import decode_v4_read


class FakeBot:
    bot_user_id = None


def ctx_for(raw: dict[str, Any]) -> Context:
    (ev,) = decode_v4_read(json.dumps([raw]).encode())
    return Context(FakeBot(), ev)


def names(registry: HandlerRegistry, raw: dict[str, Any]) -> list[str]:
    return [h.callback.__name__ for h, _ in registry.select(ctx_for(raw)).handlers]


def on(kind: str, name: str, **fields: Any) -> Handler:
    def callback(ctx: Any) -> None:
        pass

    callback.__name__ = name
    return Handler.build(kind, callback, **fields)


def test_selection_follows_handlers_added_after_the_first_event():
    registry = HandlerRegistry()
    registry.add(on("event", "any_event", event_type="*"))
    assert names(registry, event("e1")) == ["any_event"]
    registry.add(on("message", "message"))
    registry.add(on("event", "sent", event_type="MESSAGESENT"))
    registry.handlers.append(on("event", "appended", event_type="*"))  # not through add()
    assert names(registry, event("e2")) == ["any_event", "sent", "appended", "message"]
    assert names(registry, event("e3", type_="ROOMCREATED")) == ["any_event", "appended"]
    registry.handlers = [on("event", "replaced", event_type="ROOMCREATED")]  # same length or not
    assert names(registry, event("e4", type_="ROOMCREATED")) == ["replaced"]


def test_filtered_and_unfiltered_handlers_get_their_own_argument_dicts():
    registry = HandlerRegistry()
    registry.add(on("message", "plain"))
    registry.add(on("message", "matched", filter=filters.regex(r"(?P<word>h\w+)")))
    registry.add(on("message", "rejected", filter=filters.room))
    selection = registry.select(ctx_for(event("e1", text="hello")))
    (plain, first), (matched, second) = selection.handlers
    assert (plain.callback.__name__, matched.callback.__name__) == ("plain", "matched")
    assert first == {} and second["match"]["word"] == "hello" and first is not second
    assert registry.has_commands is False
    registry.add(on("command", "cmd", command=CommandPattern.parse("/cmd")))
    assert registry.has_commands is True and [h.callback.__name__ for h in registry.commands] == ["cmd"]


def test_bot_names_are_only_computed_when_a_command_could_use_them():
    class CountingBot(Bot):
        asked = 0

        @property
        def bot_names(self) -> tuple[str, ...]:
            CountingBot.asked += 1
            return ("bot",)

    bot = CountingBot(client=object())
    handled: list[str] = []
    bot.on_event("MESSAGESENT")(lambda ctx: handled.append(ctx.event.id))
    (ev,) = decode_v4_read(json.dumps([event("e1")]).encode())
    bot._handle_event(ev)
    assert handled == ["e1"] and CountingBot.asked == 0
    bot.command("/x")(lambda ctx: handled.append("x"))
    (ev,) = decode_v4_read(json.dumps([event("e2", text="@bot /x")]).encode())
    bot._handle_event(ev)
    assert handled == ["e1", "e2", "x"] and CountingBot.asked == 1


async def test_async_bot_without_middleware_runs_handlers_and_hooks_errors():
    bot = AsyncBot(client=object())
    seen: list[tuple[str, Any]] = []

    @bot.on_event("MESSAGESENT")
    async def first(ctx: Any) -> None:
        seen.append(("first", ctx.args))
        raise RuntimeError("boom")

    @bot.on_message(filters.regex(r"(?P<word>\w+)"))
    async def second(ctx: Any, match: Any) -> None:
        seen.append(("second", match["word"]))

    bot.on_error(lambda ctx, exc: seen.append(("error", str(exc))))
    (ev,) = decode_v4_read(json.dumps([event("e1", text="hello")]).encode())
    await bot._handle_event(ev)
    assert seen == [("first", {}), ("error", "boom"), ("second", "hello")]
    assert bot.stats.handler_errors == 1


def test_direct_handlers_only_when_no_rule_takes_part_in_the_choice():
    registry = HandlerRegistry()
    registry.add(on("event", "sent", event_type="MESSAGESENT"))
    registry.add(on("event", "any", event_type="*"))
    direct = registry.direct_handlers("MESSAGESENT")
    assert direct is not None and [h.callback.__name__ for h in direct] == ["sent", "any"]
    assert registry.direct_handlers("SYMPHONYELEMENTSACTION") is None  # selection reads the form
    registry.add(on("event", "joined", event_type="USERJOINEDROOM", filter=filters.room))
    assert registry.direct_handlers("USERJOINEDROOM") is None  # a filter decides
    assert [h.callback.__name__ for h in registry.direct_handlers("ROOMCREATED") or []] == ["any"]
    registry.add(on("message", "message"))
    direct = registry.direct_handlers("MESSAGESENT")  # unfiltered message handlers come last
    assert direct is not None and [h.callback.__name__ for h in direct] == ["sent", "any", "message"]
    assert names(registry, event("e1")) == ["sent", "any", "message"]
    registry.add(on("message", "hello", filter=filters.text_contains("hello")))
    assert registry.direct_handlers("MESSAGESENT") is None  # a filter decides
    registry.handlers.pop()  # same length after the next add: the index must still notice
    registry.add(on("mention", "mentioned"))
    assert registry.direct_handlers("MESSAGESENT") is None  # the mention rule decides
    registry.handlers.pop()
    registry.add(on("message", "plain"))
    assert [h.callback.__name__ for h in registry.direct_handlers("MESSAGESENT") or []][-1] == "plain"
    registry.handlers[-1] = on("command", "cmd", command=CommandPattern.parse("/cmd"))  # in place
    assert registry.direct_handlers("MESSAGESENT") is None  # commands decide


async def test_async_selection_failure_without_middleware_is_reported_and_with_middleware_propagates():
    failures: list[str] = []
    bot = AsyncBot(client=object())

    def broken_filter(ctx: Any) -> bool:
        raise ValueError("filter bug")

    bot.on_message(broken_filter)(lambda ctx: None)
    bot.on_error(lambda ctx, exc: failures.append(str(exc)))
    (ev,) = decode_v4_read(json.dumps([event("e1")]).encode())
    await bot._handle_event(ev)  # no middleware: contained, logged, hooked
    assert failures == ["filter bug"] and bot.stats.handler_errors == 1

    seen_by_middleware: list[str] = []

    @bot.middleware
    async def around(ctx: Any, call_next: Any) -> None:
        try:
            await call_next()
        except ValueError as exc:  # a middleware still sees what failed below it
            seen_by_middleware.append(str(exc))

    await bot._handle_event(ev)
    assert seen_by_middleware == ["filter bug"] and failures == ["filter bug"]
