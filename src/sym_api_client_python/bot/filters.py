"""Composable event filters for ``@bot.on_message(...)`` and friends.

A filter looks at a :class:`~sym_api_client_python.bot.context.Context` and answers falsy (no
match), ``True`` (match) or a dict (match, and these keyword arguments go to the handler, e.g.
``regex`` passes ``match``). Filters combine with ``&``, ``|`` and ``~``::

    @bot.on_message(filters.room & filters.regex(r"^deploy (?P<env>\\w+)") & ~filters.from_user("ci-bot"))
    def deploy(ctx, match): ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

FilterResult = bool | dict[str, Any] | None


class Filter:
    """Base class: subclass and implement :meth:`check`, or wrap a function with :func:`create`."""

    name = "filter"

    def check(self, ctx: Context) -> FilterResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def __and__(self, other: Filter) -> Filter:
        return _And(self, _as_filter(other))

    def __or__(self, other: Filter) -> Filter:
        return _Or(self, _as_filter(other))

    def __invert__(self) -> Filter:
        return _Not(self)

    def __repr__(self) -> str:
        return f"<filter {self.name}>"


class _Function(Filter):
    def __init__(self, function: Callable[[Context], FilterResult], name: str | None = None) -> None:
        self.function = function
        self.name = name or str(getattr(function, "__name__", "function"))

    def check(self, ctx: Context) -> FilterResult:
        return self.function(ctx)


def create(function: Callable[[Context], FilterResult], name: str | None = None) -> Filter:
    """A filter from any ``function(ctx) -> bool | dict``."""
    return _Function(function, name)


def _as_filter(value: Any) -> Filter:
    if isinstance(value, Filter):
        return value
    if callable(value):
        return _Function(value)
    raise TypeError(f"expected a filter or a callable(ctx), got {type(value).__name__}")


class _And(Filter):
    def __init__(self, left: Filter, right: Filter) -> None:
        self.left, self.right = left, right
        self.name = f"({left.name} & {right.name})"

    def check(self, ctx: Context) -> FilterResult:
        first = self.left.check(ctx)
        if not first:
            return False
        second = self.right.check(ctx)
        if not second:
            return False
        merged: dict[str, Any] = {}
        for result in (first, second):
            if isinstance(result, dict):
                merged.update(result)
        return merged or True


class _Or(Filter):
    def __init__(self, left: Filter, right: Filter) -> None:
        self.left, self.right = left, right
        self.name = f"({left.name} | {right.name})"

    def check(self, ctx: Context) -> FilterResult:
        return self.left.check(ctx) or self.right.check(ctx)


class _Not(Filter):
    def __init__(self, inner: Filter) -> None:
        self.inner = inner
        self.name = f"~{inner.name}"

    def check(self, ctx: Context) -> FilterResult:
        return not self.inner.check(ctx)


def evaluate(flt: Filter | None, ctx: Context) -> dict[str, Any] | None:
    """None when ``flt`` rejects the event, else the keyword arguments it contributes."""
    if flt is None:
        return {}
    result = flt.check(ctx)
    if not result:
        return None
    return result if isinstance(result, dict) else {}


# ----------------------------------------------------------------------- ready-made filters
im = create(lambda ctx: ctx.stream_type in ("IM", "MIM"), "im")
"""Messages in a 1:1 or multi-party chat."""

room = create(lambda ctx: ctx.stream_type == "ROOM", "room")
"""Messages in a room."""

mentions_bot = create(lambda ctx: ctx.mentions_bot, "mentions_bot")
"""Messages that @mention the bot."""

has_attachment = create(lambda ctx: bool(ctx.raw_message.get("attachments")), "has_attachment")


def from_user(*users: int | str) -> Filter:
    """Events initiated by one of these users: user ids, usernames or emails."""
    wanted_ids = {int(u) for u in users if isinstance(u, int) or (isinstance(u, str) and u.isdigit())}
    wanted_names = {u.lower() for u in users if isinstance(u, str) and not u.isdigit()}

    def check(ctx: Context) -> bool:
        user = ctx.user
        if user is None:
            return False
        if user.user_id in wanted_ids:
            return True
        names = {(user.username or "").lower(), (user.email or "").lower()}
        return bool(names & wanted_names)

    return create(check, f"from_user{users!r}")


def regex(pattern: str | re.Pattern[str], flags: int = 0) -> Filter:
    """Message text matching ``pattern`` (``re.search``); the handler may take ``match``."""
    compiled = re.compile(pattern, flags) if isinstance(pattern, str) else pattern

    def check(ctx: Context) -> FilterResult:
        found = compiled.search(ctx.text)
        return {"match": found} if found else False

    return create(check, f"regex({compiled.pattern!r})")


def text_contains(*needles: str, case_sensitive: bool = False) -> Filter:
    """Message text containing any of the given strings."""

    def check(ctx: Context) -> bool:
        text = ctx.text if case_sensitive else ctx.text.lower()
        return any((n if case_sensitive else n.lower()) in text for n in needles)

    return create(check, f"text_contains{needles!r}")


class _EntityFilter(Filter):
    """Matches messages with any entity of a kind; call it with values to require specific ones
    (``filters.has_cashtag("AAPL")``); the handler may take ``cashtags``/``hashtags``."""

    def __init__(self, kind: str, wanted: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.wanted = {w.lstrip("#$").lower() for w in wanted}
        self.name = f"has_{kind[:-1]}{wanted!r}" if wanted else f"has_{kind[:-1]}"

    def __call__(self, *wanted: str) -> Filter:
        return _EntityFilter(self.kind, wanted)

    def check(self, ctx: Context) -> FilterResult:
        message = ctx.message
        values = tuple(getattr(message, self.kind, ())) if message is not None else ()
        found = [v for v in values if not self.wanted or str(v).lstrip("#$").lower() in self.wanted]
        return {self.kind: found} if found else False


has_cashtag = _EntityFilter("cashtags")
has_hashtag = _EntityFilter("hashtags")


def event_type(*types: str) -> Filter:
    """Events of these types (``"ROOMCREATED"``...)."""
    wanted = {t.upper() for t in types}
    return create(lambda ctx: ctx.event.type in wanted, f"event_type{types!r}")


__all__ = [
    "Filter",
    "create",
    "evaluate",
    "event_type",
    "from_user",
    "has_attachment",
    "has_cashtag",
    "has_hashtag",
    "im",
    "mentions_bot",
    "regex",
    "room",
    "text_contains",
]
