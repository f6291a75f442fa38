"""Conversations driven from a test: a user sends, the bot answers, the test reads the answer.

The helpers talk to the emulator only through its public operations (``send_message``,
``stream_messages``, ``submit_form``), so a message sent by a test travels the same path as one
sent by a real client: it is converted to PresentationML, stored, and delivered on the bot's
datafeed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Protocol

__all__ = ["Conversation", "ConversationTimeout", "EmulatorOperations", "Message", "presentation_text"]

_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "form", "table"})


class EmulatorOperations(Protocol):
    """The part of :class:`sympod.Emulator` the helpers use (a fake can stand in for unit tests)."""

    def send_message(
        self,
        sender: str | int,
        message: str,
        stream_id: str | None = None,
        to: str | int | None = None,
        data: Any = None,
    ) -> dict[str, Any]: ...

    def stream_messages(self, stream_id: str) -> list[dict[str, Any]]: ...

    def submit_form(
        self, sender: str | int, form_message_id: str, form_id: str, form_values: dict[str, Any]
    ) -> dict[str, Any]: ...


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def presentation_text(markup: str) -> str:
    """The visible text of PresentationML: blocks become lines, whitespace inside a line is collapsed."""
    extractor = _TextExtractor()
    extractor.feed(markup or "")
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    return "\n".join(line for line in lines if line)


class _FormFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form_ids: list[str] = []
        self.buttons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.form_ids.append(attributes.get("id") or "")
        elif tag == "button" and attributes.get("type", "action") == "action":
            self.buttons.append(attributes.get("name") or "")


@dataclass(frozen=True)
class Message:
    """A message as a test sees it: the raw V4Message plus the fields tests usually assert on."""

    raw: dict[str, Any] = field(repr=False)

    @property
    def message_id(self) -> str:
        return str(self.raw["messageId"])

    @property
    def stream_id(self) -> str:
        return str(self.raw["stream"]["streamId"])

    @property
    def presentation_ml(self) -> str:
        return str(self.raw.get("message", ""))

    @property
    def text(self) -> str:
        """Visible text, one line per paragraph (``"Hello Jane"``)."""
        return presentation_text(self.presentation_ml)

    @property
    def sender(self) -> dict[str, Any]:
        return dict(self.raw.get("user", {}))

    @property
    def sender_id(self) -> int:
        return int(self.raw.get("user", {}).get("userId", 0))

    @property
    def data(self) -> dict[str, Any]:
        """The EntityJSON, decoded (``{}`` when the message has none)."""
        value = self.raw.get("data")
        if not value:
            return {}
        return dict(json.loads(value)) if isinstance(value, str) else dict(value)

    @property
    def form_ids(self) -> list[str]:
        finder = _FormFinder()
        finder.feed(self.presentation_ml)
        return finder.form_ids

    @property
    def buttons(self) -> list[str]:
        """Names of the form's action buttons (what ``formValues["action"]`` can be)."""
        finder = _FormFinder()
        finder.feed(self.presentation_ml)
        return finder.buttons

    @property
    def has_form(self) -> bool:
        return bool(self.form_ids)

    def __str__(self) -> str:
        return self.text


class ConversationTimeout(AssertionError):
    """No matching reply arrived in time. An AssertionError so pytest reports it as a test failure."""


def _user_key(user: dict[str, Any] | str | int) -> str | int:
    if isinstance(user, dict):
        return int(user["userId"])
    return user


class Conversation:
    """One stream seen from one user: ``send`` as that user, ``next_reply`` reads what others wrote.

    Replies are consumed in order: each ``next_reply`` returns the oldest message from someone else
    that no earlier call returned.
    """

    def __init__(
        self,
        emulator: EmulatorOperations,
        user: dict[str, Any],
        stream_id: str,
        *,
        poll_interval: float = 0.02,
    ) -> None:
        self.emulator = emulator
        self.user = user
        self.stream_id = stream_id
        self.poll_interval = poll_interval
        self._consumed: set[str] = set()

    def __repr__(self) -> str:
        return f"Conversation(user={self.user.get('username')!r}, stream_id={self.stream_id!r})"

    @property
    def user_id(self) -> int:
        return int(self.user["userId"])

    # -- sending ------------------------------------------------------------------------------------
    def send(self, message: str, data: Any = None) -> Message:
        """Send ``message`` (plain text or MessageML) as this conversation's user."""
        sent = self.emulator.send_message(self.user_id, message, stream_id=self.stream_id, data=data)
        self._consumed.add(str(sent["messageId"]))
        return Message(sent)

    def submit_form(
        self,
        values: dict[str, Any] | None = None,
        *,
        action: str | None = None,
        form_message: Message | None = None,
        form_id: str | None = None,
    ) -> dict[str, Any]:
        """Fill and submit a form as this user, like clicking the button named ``action``.

        Without ``form_message`` the newest message of the stream that holds a form is used; without
        ``form_id`` its first form; without ``action`` its first action button.
        """
        message = form_message or self._latest_form()
        if not message.has_form:
            raise ValueError(f"message {message.message_id} holds no <form>: {message.text!r}")
        chosen_form = form_id if form_id is not None else message.form_ids[0]
        if chosen_form not in message.form_ids:
            raise ValueError(
                f"message {message.message_id} has no form {chosen_form!r}; it has {message.form_ids}"
            )
        chosen_action = (
            action if action is not None else (message.buttons[0] if message.buttons else "submit")
        )
        form_values = {**(values or {}), "action": chosen_action}
        return self.emulator.submit_form(self.user_id, message.message_id, chosen_form, form_values)

    def _latest_form(self) -> Message:
        for raw in reversed(self.emulator.stream_messages(self.stream_id)):
            message = Message(raw)
            if message.has_form:
                return message
        raise ValueError(f"stream {self.stream_id} holds no message with a form yet")

    # -- reading ------------------------------------------------------------------------------------
    def messages(self) -> list[Message]:
        """Every message of the stream, oldest first."""
        return [Message(raw) for raw in self.emulator.stream_messages(self.stream_id)]

    def next_reply(
        self,
        timeout: float = 2.0,
        *,
        match: Callable[[Message], bool] | None = None,
        from_user: dict[str, Any] | int | None = None,
    ) -> Message:
        """Wait for the next message written by someone else (optionally from ``from_user`` / matching)."""
        wanted_sender = int(_user_key(from_user)) if from_user is not None else None
        deadline = time.monotonic() + timeout
        while True:
            seen: list[Message] = []
            for message in self.messages():
                if message.message_id in self._consumed or message.sender_id == self.user_id:
                    continue
                if wanted_sender is not None and message.sender_id != wanted_sender:
                    continue
                seen.append(message)
                if match is None or match(message):
                    self._consumed.add(message.message_id)
                    return message
            if time.monotonic() >= deadline:
                raise ConversationTimeout(self._timeout_message(timeout, seen))
            time.sleep(self.poll_interval)

    def expect_no_reply(self, within: float = 0.3) -> None:
        """Assert that nobody answers within ``within`` seconds."""
        try:
            reply = self.next_reply(timeout=within)
        except ConversationTimeout:
            return
        raise AssertionError(f"expected no reply in {self.stream_id}, got {reply.text!r}")

    def _timeout_message(self, timeout: float, unmatched: Iterable[Message]) -> str:
        texts = [message.text for message in unmatched]
        detail = f"; unmatched replies: {texts}" if texts else ""
        return f"no reply in stream {self.stream_id} within {timeout:.1f}s{detail}"
