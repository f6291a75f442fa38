"""Unit tests of the testing kit's sans-emulator parts: message views, reply matching, env parsing."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python.testing import Conversation, ConversationTimeout, Message, presentation_text
from sym_api_client_python.testing.plugin import real_pod_config

BOT = {"userId": 1, "username": "bot", "displayName": "Bot"}
JANE = {"userId": 2, "username": "jane", "displayName": "Jane"}


class FakeEmulator:
    """Records what the conversation asks; the 'bot' answers each message with a canned reply."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.submitted: list[tuple[Any, ...]] = []
        self._ids = itertools.count(1)

    def add(self, sender: dict[str, Any], markup: str) -> dict[str, Any]:
        message = {
            "messageId": f"m{next(self._ids)}",
            "stream": {"streamId": "s1"},
            "user": sender,
            "message": markup,
        }
        self.messages.append(message)
        return message

    def send_message(
        self, sender: Any, message: str, stream_id: str | None = None, to: Any = None, data: Any = None
    ) -> dict[str, Any]:
        assert sender == JANE["userId"] and stream_id == "s1"
        return self.add(JANE, f"<div><p>{message}</p></div>")

    def stream_messages(self, stream_id: str) -> list[dict[str, Any]]:
        return list(self.messages)

    def submit_form(
        self, sender: Any, form_message_id: str, form_id: str, form_values: dict[str, Any]
    ) -> dict[str, Any]:
        self.submitted.append((sender, form_message_id, form_id, form_values))
        return {"formId": form_id}


def test_presentation_text_keeps_paragraphs_and_decodes_entities() -> None:
    markup = '<div data-format="PresentationML"><p>Hello  <b>Jane</b></p><p>a &lt; b &amp; c</p></div>'
    assert presentation_text(markup) == "Hello Jane\na < b & c"


def test_message_exposes_forms_buttons_and_entity_data() -> None:
    message = Message(
        {
            "messageId": "m1",
            "stream": {"streamId": "s1"},
            "user": BOT,
            "message": '<div><form id="expense"><text-field name="amount"></text-field>'
            '<button name="save" type="action">Save</button>'
            '<button name="clear" type="reset">Clear</button></form></div>',
            "data": '{"0": {"type": "com.symphony.user.mention"}}',
        }
    )
    assert message.form_ids == ["expense"]
    assert message.buttons == ["save"]
    assert message.data == {"0": {"type": "com.symphony.user.mention"}}
    assert message.sender_id == 1


def test_next_reply_skips_own_messages_and_consumes_in_order() -> None:
    emulator = FakeEmulator()
    chat = Conversation(emulator, JANE, "s1", poll_interval=0.001)
    chat.send("/joke")
    emulator.add(BOT, "<div><p>first</p></div>")
    emulator.add(BOT, "<div><p>second</p></div>")
    assert chat.next_reply(timeout=0.1).text == "first"
    assert chat.next_reply(timeout=0.1, match=lambda m: "second" in m.text).text == "second"
    with pytest.raises(ConversationTimeout, match="no reply in stream s1"):
        chat.next_reply(timeout=0.05)


def test_next_reply_timeout_lists_unmatched_replies() -> None:
    emulator = FakeEmulator()
    chat = Conversation(emulator, JANE, "s1", poll_interval=0.001)
    emulator.add(BOT, "<div><p>not this one</p></div>")
    with pytest.raises(ConversationTimeout, match="not this one"):
        chat.next_reply(timeout=0.05, match=lambda m: False)


def test_submit_form_uses_latest_form_and_first_action_button() -> None:
    emulator = FakeEmulator()
    chat = Conversation(emulator, JANE, "s1")
    form = emulator.add(BOT, '<div><form id="f1"><button name="go" type="action">Go</button></form></div>')
    chat.submit_form({"amount": "12"})
    assert emulator.submitted == [(2, form["messageId"], "f1", {"amount": "12", "action": "go"})]
    with pytest.raises(ValueError, match="has no form 'nope'"):
        chat.submit_form({}, form_id="nope")


def test_submit_form_without_any_form_is_a_clear_error() -> None:
    chat = Conversation(FakeEmulator(), JANE, "s1")
    with pytest.raises(ValueError, match="holds no message with a form"):
        chat.submit_form({})


def test_real_pod_config_parsing(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text("{}")
    assert real_pod_config({}) is None
    parsed = real_pod_config({"SYMPHONY_TEST_CONFIG": f"rsa:{config}"})
    assert parsed is not None and parsed.auth == "RSA" and parsed.path == config.resolve()
    with pytest.raises(pytest.UsageError, match="unknown auth mode 'KEY'"):
        real_pod_config({"SYMPHONY_TEST_CONFIG": f"KEY:{config}"})
    with pytest.raises(pytest.UsageError, match="expected RSA:<config path>"):
        real_pod_config({"SYMPHONY_TEST_CONFIG": "RSA"})
    with pytest.raises(pytest.UsageError, match="does not exist"):
        real_pod_config({"SYMPHONY_TEST_CONFIG": f"CERT:{tmp_path / 'missing.json'}"})
