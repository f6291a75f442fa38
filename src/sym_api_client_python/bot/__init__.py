"""The modern bot framework: decorators, filters, middleware and a context per event.

::

    from sym_api_client_python.bot import Bot, filters

    bot = Bot("bot-config.json")

    @bot.command("/buy {qty:int} {ticker}")
    def buy(ctx, qty, ticker):
        ctx.reply(f"Buying {qty} {ticker}")

    bot.run()
"""

from . import filters
from .app import AsyncBot, Bot
from .commands import CommandPattern, CommandUsageError
from .context import AsyncContext, Context, SyncContext, ThreadContext, to_messageml

__all__ = [
    "AsyncBot",
    "AsyncContext",
    "Bot",
    "CommandPattern",
    "CommandUsageError",
    "Context",
    "SyncContext",
    "ThreadContext",
    "filters",
    "to_messageml",
]
