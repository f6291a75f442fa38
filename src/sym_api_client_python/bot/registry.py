"""Handler registration and selection, shared by :class:`Bot` and :class:`AsyncBot`.

Selection rules (docs/handlers.md): ``on_event`` handlers get every event of their type; for a
message, the first command whose pattern names it wins and the message goes no further,
otherwise every matching ``on_message`` handler runs, plus ``on_mention`` handlers when the bot
is mentioned; for a form submission, every ``on_form`` handler whose form id and action match.
Handlers run in registration order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import filters as _filters
from .commands import CommandPattern, CommandUsageError, strip_leading_mention
from .context import Context

Callback = Callable[..., Any]


@dataclass
class Handler:
    kind: str  # "event", "command", "message", "mention", "form"
    callback: Callback
    filter: _filters.Filter | None = None
    command: CommandPattern | None = None
    event_type: str | None = None
    form_id: str | None = None
    action: str | None = None
    is_async: bool = False
    accepts_all_kwargs: bool = False
    accepted: frozenset[str] = field(default_factory=frozenset)
    #: keyword parameters without a default (they must be provided by a pattern or a filter)
    required: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(cls, kind: str, callback: Callback, **fields: Any) -> Handler:
        if not callable(callback):
            raise TypeError(f"a {kind} handler must be callable, got {type(callback).__name__}")
        signature = inspect.signature(callback)
        params = list(signature.parameters.values())
        if not params or params[0].kind not in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            raise TypeError(f"handler {callback.__qualname__} must take the context as its first argument")
        return cls(
            kind=kind,
            callback=callback,
            is_async=inspect.iscoroutinefunction(callback),
            accepts_all_kwargs=any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params),
            accepted=frozenset(p.name for p in params[1:]),
            required=frozenset(
                p.name
                for p in params[1:]
                if p.default is inspect.Parameter.empty
                and p.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
            ),
            **fields,
        )

    def kwargs_for(self, values: dict[str, Any]) -> dict[str, Any]:
        """The injectable values this handler declared (resolved once, at registration)."""
        if self.accepts_all_kwargs:
            return dict(values)
        return {k: v for k, v in values.items() if k in self.accepted}

    @property
    def name(self) -> str:
        return getattr(self.callback, "__qualname__", repr(self.callback))


@dataclass
class Selection:
    """What one event triggers: handlers with their kwargs, or a usage reply for a bad command."""

    handlers: list[tuple[Handler, dict[str, Any]]] = field(default_factory=list)
    usage_error: CommandUsageError | None = None


class _Index:
    """The handlers sorted by what selects them, built once per registration change instead of
    scanning every handler for every event (the registry's per-event cost with a no-op handler)."""

    def __init__(self, handlers: list[Handler]) -> None:
        self.source = handlers
        self.snapshot = list(handlers)
        self.events = [h for h in handlers if h.kind == "event"]
        self.commands = [h for h in handlers if h.kind == "command"]
        self.messages = [h for h in handlers if h.kind in ("message", "mention")]
        self.has_mention = any(h.kind == "mention" for h in handlers)
        self.forms = [h for h in handlers if h.kind == "form"]
        self._by_type: dict[str, list[Handler]] = {}
        #: event type -> direct() answer, filled on first use of each type
        self.direct_by_type: dict[str | None, list[Handler] | None] = {}

    def event_handlers(self, event_type: str) -> list[Handler]:
        """The ``on_event`` handlers of this type or ``"*"``, in registration order."""
        found = self._by_type.get(event_type)
        if found is None:
            found = [h for h in self.events if h.event_type in (event_type, "*")]
            self._by_type[event_type] = found
        return found

    def direct(self, event_type: str) -> list[Handler] | None:
        """See :meth:`HandlerRegistry.direct_handlers`."""
        if event_type in self.direct_by_type:
            return self.direct_by_type[event_type]
        found: list[Handler] | None = self.event_handlers(event_type)
        if event_type == "MESSAGESENT" and found is not None:
            # Without commands or mention handlers, a message goes to every on_message handler
            # after the on_event ones (select's order); filters are checked just below.
            found = None if self.commands or self.has_mention else found + self.messages
        if (
            found is None
            or any(h.filter is not None for h in found)
            or event_type == "SYMPHONYELEMENTSACTION"  # selection reads the form: keep that path
        ):
            found = None
        self.direct_by_type[event_type] = found
        return found


class HandlerRegistry:
    def __init__(self) -> None:
        self.handlers: list[Handler] = []
        self.middlewares: list[Callback] = []
        self.error_hooks: list[Callback] = []
        self._index: _Index | None = None

    def add(self, handler: Handler) -> Handler:
        self.handlers.append(handler)
        return handler

    def _current(self) -> _Index:
        # Rebuilt when ``handlers`` was replaced or changed in any way (add() or a direct edit of
        # the list): comparing with a copy is a C-level identity check per handler, a fraction
        # of what a selection costs.
        index = self._index
        handlers = self.handlers
        if index is None or index.source is not handlers or index.snapshot != handlers:
            index = self._index = _Index(handlers)
        return index

    @property
    def commands(self) -> list[Handler]:
        return list(self._current().commands)

    @property
    def has_commands(self) -> bool:
        return bool(self._current().commands)

    def direct_handlers(self, event_type: str | None) -> list[Handler] | None:
        """The handlers an event of this type triggers, each with no arguments, when no filter,
        command, message or form rule takes part in choosing them (``None`` otherwise: use
        :meth:`select`). The common bot, ``on_event`` handlers only, skips selection this way."""
        # _current() and _Index.direct() inlined: this runs once per event, and each Python call
        # layer cost about 0.15 us of a no-op handler's dispatch
        index = self._index
        handlers = self.handlers
        if index is None or index.source is not handlers or index.snapshot != handlers:
            index = self._current()
        known = index.direct_by_type
        if event_type in known:
            return known[event_type]
        return index.direct(event_type or "")

    def select(self, ctx: Context, bot_names: tuple[str, ...] = ()) -> Selection:
        selection = Selection()
        index = self._current()
        event_type = ctx.event.type or ""
        for handler in index.event_handlers(event_type):
            self._add_if_match(selection, handler, ctx, {})
        if event_type == "MESSAGESENT":
            self._select_message(selection, ctx, bot_names, index)
        elif event_type == "SYMPHONYELEMENTSACTION":
            form = ctx.form
            for handler in index.forms:
                if form is None:
                    break
                if handler.form_id not in (None, form.form_id) or handler.action not in (None, form.action):
                    continue
                self._add_if_match(selection, handler, ctx, {"form": form})
        return selection

    def _select_message(
        self, selection: Selection, ctx: Context, bot_names: tuple[str, ...], index: _Index
    ) -> None:
        commands = index.commands
        if commands:
            text = strip_leading_mention(ctx.text, bot_names)
            for handler in commands:
                assert handler.command is not None
                try:
                    values = handler.command.match(text)
                except CommandUsageError as exc:
                    selection.usage_error = selection.usage_error or exc
                    continue
                if values is not None and self._add_if_match(selection, handler, ctx, values):
                    selection.usage_error = None
                    return  # a command consumes its message
            if selection.usage_error is not None:
                return
        if not index.messages:
            return
        # Only look for a mention when someone listens for one: it is the costly part of a message.
        mentioned = index.has_mention and ctx.mentions_bot
        for handler in index.messages:
            if handler.kind == "message" or mentioned:
                self._add_if_match(selection, handler, ctx, {})

    @staticmethod
    def _add_if_match(selection: Selection, handler: Handler, ctx: Context, values: dict[str, Any]) -> bool:
        if handler.filter is None:  # the common case: no filter, nothing to add
            selection.handlers.append((handler, {**values}))
            return True
        extra = _filters.evaluate(handler.filter, ctx)
        if extra is None:
            return False
        selection.handlers.append((handler, {**values, **extra}))
        return True


def as_filter(value: Any) -> _filters.Filter | None:
    if value is None:
        return None
    if isinstance(value, _filters.Filter):
        return value
    if callable(value):
        return _filters.create(value)
    raise TypeError(f"expected a filter (e.g. filters.im) or a callable(ctx), got {value!r}")
