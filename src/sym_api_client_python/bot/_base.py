"""Registration API shared by :class:`~.Bot` and :class:`~.AsyncBot` (decorators, config, stats)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..datafeed.dispatcher import DispatchStats, EventGate
from ..datafeed.settings import DatafeedSettings
from .commands import CommandPattern, CommandUsageError
from .context import to_messageml
from .registry import Callback, Handler, HandlerRegistry, as_filter

F = TypeVar("F", bound=Callable[..., Any])

SERVICE_NAMES = (
    "messages",
    "streams",
    "users",
    "connections",
    "signals",
    "presence",
    "admin",
    "health",
    "session",
)


def resolve_config(config: Any) -> Any:
    """A ``BotConfig`` from a path, a ``BotConfig``, a legacy ``SymConfig`` or a dict."""
    if isinstance(config, (str, os.PathLike, dict)):
        from ..core.config import load_config

        return load_config(Path(config) if not isinstance(config, dict) else config)
    typed = getattr(config, "bot_config", None)
    if typed is not None:
        return typed() if callable(typed) else typed
    return config


class BotBase:
    def __init__(
        self,
        config: Any,
        *,
        datafeed: DatafeedSettings | None = None,
        client: Any = None,
        **datafeed_options: Any,
    ) -> None:
        if config is None and client is None:
            raise TypeError(
                f"{type(self).__name__} needs a config (a path to bot-config.json/.yaml, a BotConfig or a "
                "SymConfig) or a ready client"
            )
        self.config = resolve_config(config) if config is not None else None
        self.settings = datafeed or DatafeedSettings.from_config(self.config or {}, **datafeed_options)
        self.registry = HandlerRegistry()
        self.stats = DispatchStats()
        self.gate = EventGate(dedup_window=self.settings.dedup_window)
        self.session_info: dict[str, Any] = {}
        self._client = client
        self._services: Any = None

    # ------------------------------------------------------------------ REST
    @property
    def client(self) -> Any:
        """The API client: the one given, else built from the config on first use."""
        if self._client is None:
            self._client = self._new_client()
        return self._client

    def __getattr__(self, name: str) -> Any:
        # the REST services (bot.messages, bot.users...) are built on first use
        if name in SERVICE_NAMES:
            return getattr(self._ensure_services(), name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _ensure_services(self) -> Any:
        if self.__dict__.get("_services") is None:
            self._services = self._new_services(self.client)
        return self._services

    def _new_client(self) -> Any:
        raise NotImplementedError

    def _warm_up(self) -> None:
        """Load, before the first read, what handlers reach for on their first event: the REST
        services behind ``ctx.reply`` and ``bot.messages`` and the message parser behind
        ``ctx.text``.

        They are imported lazily so that ``import sym_api_client_python`` stays fast
        (docs/decisions.md, "Lazy imports"), but loading them on first use put ~90 ms on the first
        event a bot handled: its first reply came 40-85 ms late, and the messages queued behind
        it too (measured with messages 10 ms apart).
        """
        self._ensure_services()
        from ..messages import builder, parser  # noqa: F401  (imported for their load time)

    def _new_services(self, client: Any) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ identity
    @property
    def feed_id(self) -> str | None:
        """The datafeed being read (None before the first feed is open)."""
        runner = getattr(self, "_runner", None)
        return runner.machine.feed_id if runner is not None else None

    @property
    def bot_user_id(self) -> int | None:
        user_id = self.session_info.get("id")
        return user_id if isinstance(user_id, int) else None

    @property
    def bot_names(self) -> tuple[str, ...]:
        names = (self.session_info.get("displayName"), self.session_info.get("username"))
        return tuple(n for n in names if isinstance(n, str) and n)

    # ------------------------------------------------------------------ decorators
    def command(self, pattern: str, *, filter: Any = None, description: str = "") -> Callable[[F], F]:
        """Handle a slash command; ``{name}`` arguments become handler keyword arguments::

        @bot.command("/buy {qty:int} {ticker}")
        def buy(ctx, qty, ticker): ctx.reply(f"buying {qty} {ticker}")
        """
        parsed = CommandPattern.parse(pattern)

        def register(callback: F) -> F:
            handler = Handler.build("command", callback, command=parsed, filter=as_filter(filter))
            missing = sorted(handler.required - parsed.argument_names - {"match"})
            if missing:
                raise TypeError(
                    f"command handler {handler.name} requires {', '.join(missing)}, which the pattern "
                    f"{pattern!r} does not provide (its arguments: {sorted(parsed.argument_names) or 'none'})"
                )
            self._add(handler)
            callback.__doc__ = callback.__doc__ or description
            return callback

        return register

    def on_message(self, filter: Any = None) -> Callable[[F], F]:
        """Handle messages (optionally only those ``filter`` accepts)::

        @bot.on_message(filters.im & filters.text_contains("hello"))
        async def hello(ctx): await ctx.reply("hi!")
        """
        return self._decorator("message", filter=as_filter(filter))

    def on_mention(self, filter: Any = None) -> Callable[[F], F]:
        """Handle messages that @mention the bot::

        @bot.on_mention()
        def mentioned(ctx): ctx.reply("you called?")
        """
        return self._decorator("mention", filter=as_filter(filter))

    def on_form(
        self, form_id: str | None = None, *, action: str | None = None, filter: Any = None
    ) -> Callable[[F], F]:
        """Handle Elements form submissions (``ctx.form``; the handler may take ``form``)::

        @bot.on_form("order", action="submit")
        def order(ctx, form): ctx.reply(f"ordered {form.get('qty')}")
        """
        return self._decorator("form", form_id=form_id, action=action, filter=as_filter(filter))

    def on_event(self, event_type: str = "*", *, filter: Any = None) -> Callable[[F], F]:
        """Handle every event of a type (``"ROOMCREATED"``, ``"USERJOINEDROOM"``... or ``"*"``)::

        @bot.on_event("USERJOINEDROOM")
        def welcome(ctx): ctx.reply("welcome!")
        """
        return self._decorator("event", event_type=event_type.upper(), filter=as_filter(filter))

    def middleware(self, callback: F) -> F:
        """Run code around every event: ``callback(ctx, call_next)`` must call ``call_next()``
        (``await call_next()`` on an AsyncBot) for handlers to run::

            @bot.middleware
            def timing(ctx, call_next): started = time.time(); call_next(); log(time.time() - started)
        """
        self._check_callable(callback, "middleware")
        self.registry.middlewares.append(callback)
        return callback

    def on_error(self, callback: F) -> F:
        """Called as ``callback(ctx, exc)`` when a handler raises (after it is logged)::

        @bot.on_error
        def report(ctx, exc): alert(f"{ctx.event.id}: {exc}")
        """
        self._check_callable(callback, "error hook")
        self.registry.error_hooks.append(callback)
        return callback

    def _decorator(self, kind: str, **fields: Any) -> Callable[[F], F]:
        def register(callback: F) -> F:
            self._add(Handler.build(kind, callback, **fields))
            return callback

        return register

    def _add(self, handler: Handler) -> None:
        self._check_handler(handler)
        self.registry.add(handler)

    def _selection(self, ctx: Any) -> tuple[list[tuple[Handler, dict[str, Any]]], CommandUsageError | None]:
        """What ``ctx``'s event triggers (handlers with their kwargs, or a command usage error):
        the registry's direct handler list when no rule takes part in choosing (the common
        on_event bot), else its full selection. A tuple, not a Selection: this runs per event."""
        direct = self.registry.direct_handlers(ctx.event.type)
        if direct is not None:
            return [(handler, {}) for handler in direct], None
        return self._full_selection(ctx)

    def _full_selection(
        self, ctx: Any
    ) -> tuple[list[tuple[Handler, dict[str, Any]]], CommandUsageError | None]:
        """The registry's selection for ``ctx`` (filters, commands, mentions, forms), for callers
        that already know the event has no direct handler list."""
        registry = self.registry
        # bot names only matter to commands (a leading @mention of the bot is stripped)
        selection = registry.select(ctx, self.bot_names if registry.has_commands else ())
        return selection.handlers, selection.usage_error

    def _check_handler(self, handler: Handler) -> None:  # overridden by Bot (no async handlers)
        pass

    def _check_callable(self, callback: Callback, what: str) -> None:
        if not callable(callback):
            raise TypeError(f"{what} must be callable, got {type(callback).__name__}")

    @staticmethod
    def usage_reply(problem: str, usage: str) -> str:
        return to_messageml(f"{problem}. Usage: {usage}")
