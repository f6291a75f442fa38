"""The per-event context handlers receive: the typed event, its parsed message, reply helpers."""

from __future__ import annotations

import asyncio
import logging
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..core.models.events import V4Event, V4User

if TYPE_CHECKING:  # pragma: no cover
    from ..messages.forms import FormSubmission
    from ..messages.parser import ParsedMessage

logger = logging.getLogger("sym_api_client_python.bot")


def to_messageml(content: Any) -> str:
    """What ``reply`` sends: a full ``<messageML>`` document as is; text containing well-formed
    markup (``"<b>hi</b> there"``) wrapped in ``<messageML>``; any other text escaped with its
    line breaks kept as ``<br/>``, then wrapped (so ``"a < b"`` arrives as typed). Objects with
    ``build()`` (forms, message builders) are built first."""
    build = getattr(content, "build", None)
    if callable(build):
        content = build()
    text = str(content)
    stripped = text.strip()
    if stripped.startswith("<messageML"):
        return stripped
    if "<" in text and _is_markup(text):
        return f"<messageML>{text}</messageML>"
    from ..messages.builder import format_text

    return format_text(text)


def _is_markup(text: str) -> bool:
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(f"<messageML>{text}</messageML>")
    except Exception:  # not well-formed (or hostile): treat it as plain text
        return False
    return True


class Context:
    """Everything about one event. Attributes are computed on first use (a handler that never
    looks at ``ctx.message`` never pays for parsing it)."""

    def __init__(self, bot: Any, event: V4Event) -> None:
        self.bot = bot
        self.event = event

    # ``args`` and ``state`` are made on first use: most events never touch them, and two dicts per
    # event were a measurable share of a no-op handler's dispatch
    @cached_property
    def args(self) -> dict[str, Any]:
        """Command arguments and filter results (also passed to the handler as keyword arguments)."""
        return {}

    @cached_property
    def state(self) -> dict[str, Any]:
        """Free space for middleware to hand data to handlers."""
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.event.type} {self.event.id} stream={self.stream_id}>"

    # ------------------------------------------------------------------ event facts
    @property
    def user(self) -> V4User | None:
        """Who caused the event (the initiator)."""
        initiator = self.event.initiator
        return initiator.user if initiator is not None else None

    @property
    def stream_id(self) -> str | None:
        return self.event.stream_id

    @cached_property
    def stream_type(self) -> str | None:
        part = self.event.payload_part
        message = getattr(part, "message", None)
        stream = getattr(message, "stream", None) or getattr(part, "stream", None)
        return getattr(stream, "stream_type", None)

    @cached_property
    def raw_message(self) -> dict[str, Any]:
        """The V4Message dict of a MESSAGESENT/SHAREDPOST event (``{}`` otherwise)."""
        payload = self.event.raw.get("payload") or {}
        for key in ("messageSent", "sharedPost"):
            message = (payload.get(key) or {}).get("message")
            if isinstance(message, dict):
                return message
        return {}

    @cached_property
    def message(self) -> ParsedMessage | None:
        """The parsed message (text, mentions, hashtags, cashtags...), None for other events or
        when the markup cannot be parsed (logged)."""
        if not self.raw_message:
            return None
        from ..messages.parser import parse_message

        try:
            return parse_message(self.raw_message.get("message") or "", self.raw_message.get("data"))
        except Exception as exc:
            logger.warning("could not parse message of event %s: %s", self.event.id, exc)
            return None

    @property
    def text(self) -> str:
        message = self.message
        return message.text.strip() if message is not None else ""

    @cached_property
    def mentions_bot(self) -> bool:
        """Whether the message @mentions the bot, read from its entity JSON (no markup parsing)."""
        bot_id = self.bot.bot_user_id
        if bot_id is None or not self.raw_message:
            return False
        from ..messages.entities import MENTION_ENTITY, MENTION_ID_TYPE, entity_id_value, load_entity_data

        try:
            entities = load_entity_data(self.raw_message.get("data"))
        except Exception:  # malformed entity JSON: no mention can be read from it
            return False
        for entity in entities.values():
            if isinstance(entity, dict) and entity.get("type") == MENTION_ENTITY:
                value = entity_id_value(entity, MENTION_ID_TYPE)
                if value is not None and str(value) == str(bot_id):
                    return True
        return False

    @cached_property
    def form(self) -> FormSubmission | None:
        """The submitted form of a SYMPHONYELEMENTSACTION event (None for other events)."""
        if self.event.type != "SYMPHONYELEMENTSACTION":
            return None
        from ..messages.forms import FormSubmission

        return FormSubmission.from_event(self.event.raw)

    def _target(self, stream_id: str | None) -> str:
        target = stream_id or self.stream_id
        if not target:
            raise ValueError(f"event {self.event.id} ({self.event.type}) has no stream to reply to")
        return target


class SyncContext(Context):
    """Context of :class:`~sym_api_client_python.bot.Bot` handlers: replies block."""

    def reply(self, content: Any, *, data: Any = None, stream_id: str | None = None, **options: Any) -> Any:
        """Send MessageML or plain text to the event's stream; returns the sent message."""
        return self.bot.messages.send(self._target(stream_id), to_messageml(content), data=data, **options)

    def reply_form(self, form: Any, *, stream_id: str | None = None) -> Any:
        """Send an Elements form (a ``Form``/builder or its MessageML)."""
        return self.reply(form, stream_id=stream_id)


class AsyncContext(Context):
    """Context of :class:`~sym_api_client_python.bot.AsyncBot` async handlers: replies are awaited."""

    async def reply(
        self, content: Any, *, data: Any = None, stream_id: str | None = None, **options: Any
    ) -> Any:
        return await self.bot.messages.send(
            self._target(stream_id), to_messageml(content), data=data, **options
        )

    async def reply_form(self, form: Any, *, stream_id: str | None = None) -> Any:
        return await self.reply(form, stream_id=stream_id)


class ThreadContext(Context):
    """Context of a plain ``def`` handler of an AsyncBot, run in a worker thread: replies block
    the worker (not the event loop) until the loop has sent them."""

    def __init__(self, bot: Any, event: V4Event, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(bot, event)
        self._loop = loop

    def reply(self, content: Any, *, data: Any = None, stream_id: str | None = None, **options: Any) -> Any:
        coroutine = self.bot.messages.send(
            self._target(stream_id), to_messageml(content), data=data, **options
        )
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def reply_form(self, form: Any, *, stream_id: str | None = None) -> Any:
        return self.reply(form, stream_id=stream_id)
