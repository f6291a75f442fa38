"""The demo bot on the modern API: ``/joke``, ``/expense`` (an Elements form), ``/expenses``, help."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .logic import (
    EXPENSE_FORM_ID,
    ExpenseError,
    ExpenseLedger,
    expense_form,
    help_text,
    joke_message,
    parse_expense,
)

__all__ = ["build_demo_bot"]

log = logging.getLogger(__name__)


def _user_id(ctx: Any) -> int:
    return int(ctx.user.user_id)


def _first_name(ctx: Any) -> str | None:
    user = ctx.user
    return getattr(user, "first_name", None) or getattr(user, "display_name", None)


def build_demo_bot(config: str | Path | Any) -> Any:
    """A ``Bot`` (sync) wired with the demo's handlers; ``config`` is a path or a ``BotConfig``."""
    from ..bot import Bot, filters

    bot = Bot(config)
    ledger = ExpenseLedger()

    @bot.command("/joke")
    def joke(ctx: Any) -> None:
        ctx.reply(joke_message())

    @bot.command("/expense")
    def new_expense(ctx: Any) -> None:
        ctx.reply(expense_form())

    @bot.command("/expenses")
    def list_expenses(ctx: Any) -> None:
        ctx.reply(ledger.summary(_user_id(ctx)))

    @bot.command("/help")
    def show_help(ctx: Any) -> None:
        ctx.reply(help_text(_first_name(ctx)))

    @bot.on_form(EXPENSE_FORM_ID, action="submit")
    def expense_submitted(ctx: Any) -> None:
        try:
            expense = parse_expense(ctx.form.values)
        except ExpenseError as exc:
            ctx.reply(f"Sorry, I could not record that expense: {exc}")
            return
        total = ledger.add(_user_id(ctx), expense)
        ctx.reply(ledger.confirmation(_user_id(ctx), expense, total))

    # anything else said to the bot in an IM gets the help text
    @bot.on_message(filters.im)
    def anything_else(ctx: Any) -> None:
        if not ctx.message.text.startswith("/"):
            ctx.reply(help_text(_first_name(ctx)))

    return bot
