"""The testing kit as a bot author uses it: fixtures, conversations, forms, sync and async bots."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python import AsyncBot, Bot
from sym_api_client_python.demo.bot import build_demo_bot
from sym_api_client_python.demo.logic import JOKES
from sym_api_client_python.testing import BotRunner, SymphonyPod

pytestmark = pytest.mark.emulator_only


def test_demo_bot_joke_and_expense_form(
    symphony_pod: SymphonyPod,
    bot_config: Path,
    bot_runner: BotRunner,
    user_factory: Callable[..., dict[str, Any]],
) -> None:
    bot_runner.start(build_demo_bot(bot_config))
    jane = user_factory("jane", display_name="Jane Doe")
    chat = symphony_pod.im(jane)

    chat.send("/joke")
    lines = chat.next_reply(timeout=5).text.splitlines()
    assert tuple(lines) in JOKES

    chat.send("/expense")
    form = chat.next_reply(timeout=5)
    assert form.form_ids == ["expense-form"] and form.buttons == ["submit"]
    chat.submit_form({"description": "Taxi", "amount": "12.5", "category": "travel"})
    assert chat.next_reply(timeout=5).text.startswith("Expense recorded: Taxi (Travel, $12.50).")
    chat.submit_form({"description": "", "amount": "1"}, form_message=form)
    assert "description" in chat.next_reply(timeout=5).text

    # state is per user: another user starts from zero
    other = symphony_pod.im(user_factory("joe"))
    other.send("/expenses")
    assert "no expenses yet" in other.next_reply(timeout=5).text


def test_sync_bot_in_a_room(
    symphony_pod: SymphonyPod,
    bot_config: Path,
    bot_runner: BotRunner,
    user_factory: Callable[..., dict[str, Any]],
) -> None:
    bot = Bot(bot_config)

    @bot.command("/echo {words:rest}")
    def echo(ctx: Any, words: str) -> None:
        ctx.reply(f"echo: {words}")

    bot_runner.start(bot)
    owner, guest = user_factory("owner"), user_factory("guest")
    room = symphony_pod.room("Testing", owner, [guest])
    room.send("/echo hello room")
    reply = room.next_reply(timeout=5, from_user=symphony_pod.bot)
    assert reply.text == "echo: hello room"
    assert reply.stream_id == room.stream_id
    room.send("no command here")
    room.expect_no_reply(within=0.3)


def test_async_bot(
    symphony_pod: SymphonyPod,
    bot_config: Path,
    bot_runner: BotRunner,
    user_factory: Callable[..., dict[str, Any]],
) -> None:
    bot = AsyncBot(bot_config)

    @bot.command("/slow")
    async def slow(ctx: Any) -> None:
        await asyncio.sleep(0.1)
        await ctx.reply("done waiting")

    bot_runner.start(bot)
    chat = symphony_pod.im(user_factory())
    chat.send("/slow")
    assert chat.next_reply(timeout=5).text == "done waiting"


def test_a_crashing_bot_fails_the_test_that_started_it(bot_config: Path) -> None:
    runner = BotRunner(settle=0.05)

    class Broken:
        def run(self) -> None:
            raise RuntimeError("cannot read the feed")

        def stop(self) -> None:
            pass

    with pytest.raises(Exception, match="stopped during start-up"):
        runner.start(Broken())
    with pytest.raises(RuntimeError, match="cannot read the feed"):
        runner.stop_all()
