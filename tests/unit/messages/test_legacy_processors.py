"""Legacy processors against the legacy SDK's own test payloads, with asserted (correct) results."""

from __future__ import annotations

from typing import Any

import pytest

from sym_api_client_python.processors.message_formatter import MessageFormatter
from sym_api_client_python.processors.sym_elements_parser import SymElementsParser
from sym_api_client_python.processors.sym_message_parser import SymMessageParser

from .conftest import load_fixture


@pytest.fixture
def parser() -> SymMessageParser:
    return SymMessageParser()


class TestSymMessageParserOnCashtagPayload:
    """The payload of the legacy tests/test_message_parser.py (which only printed results)."""

    @pytest.fixture
    def message(self) -> dict[str, Any]:
        return load_fixture("legacy_cashtag_message.json")

    def test_text(self, parser: SymMessageParser, message: dict[str, Any]) -> None:
        assert parser.get_text(message) == ["$aapl", "$amzn", "$nasdaq"]

    def test_names_and_stream(self, parser: SymMessageParser, message: dict[str, Any]) -> None:
        assert parser.get_im_first_name(message) == "Reed"
        assert parser.get_im_last_name(message) == "Feldman"
        assert parser.get_im_name(message) == "Reed Feldman"
        assert parser.get_stream_id(message) == "sOKpwRk_5_N838P10ATuFX___pNk9zJndA"

    def test_only_cashtags_are_cashtags(self, parser: SymMessageParser, message: dict[str, Any]) -> None:
        # 1.x returned every span from all three getters
        assert parser.get_cash_tags(message) == ["$aapl", "$amzn", "$nasdaq"]
        assert parser.get_mentions(message) == []
        assert parser.get_hash_tags(message) == []

    def test_values(self, parser: SymMessageParser, message: dict[str, Any]) -> None:
        assert parser.get_cash_tag_values(message) == ["aapl", "amzn", "nasdaq"]
        assert parser.get_mention_ids(message) == []
        assert parser.get_hash_tag_values(message) == []


class TestSymMessageParserOtherPayloads:
    def test_mention_payload(self, parser: SymMessageParser) -> None:
        message = load_fixture("legacy_mention_message.json")
        assert parser.get_mentions(message) == ["@reed-bot-demo"]
        assert parser.get_mention_ids(message) == ["344147139497165"]
        assert parser.get_text(message) == ["@reed-bot-demo"]
        assert parser.get_cash_tags(message) == []

    def test_mixed_entities(self, parser: SymMessageParser) -> None:
        message = load_fixture("entity_mix_message.json")
        assert parser.get_mentions(message) == ["@Market Bot", "@Jane Doe"]
        assert parser.get_mention_ids(message) == ["13056700580915", "1305690252351"]
        assert parser.get_hash_tags(message) == ["#bot"]
        assert parser.get_hash_tag_values(message) == ["bot"]
        assert parser.get_cash_tag_values(message) == ["hello"]
        assert parser.parse(message).command == "/quote"

    def test_nested_divs_do_not_repeat_text(self, parser: SymMessageParser) -> None:
        message = {"message": "<div><div>hello  world</div><div>again</div></div>"}
        assert parser.get_text(message) == ["hello", "world", "again"]

    def test_basic_event_without_first_name(self, parser: SymMessageParser) -> None:
        message = load_fixture("legacy_basic_event.json")["payload"]["messageSent"]["message"]
        assert parser.get_im_first_name(message) == "Local Bot01"  # no firstName: the display name
        assert parser.get_im_last_name(message) is None
        assert parser.get_im_name(message) == "Local Bot01"
        assert parser.get_text(message) == ["Hello", "World"]
        assert parser.get_stream_id(message) == "wTmSDJSNPXgB..."
        assert parser.get_cash_tag_values(message) == []  # isin/cusip/figi ids are not tickers

    def test_datafeed_v2_room_message(self, parser: SymMessageParser) -> None:
        batch = load_fixture("read_datafeed_v2.json")
        message = batch["events"][0]["payload"]["messageSent"]["message"]
        assert parser.get_text(message) == ["hello", "world"]
        assert parser.get_im_name(message) == "Reed Feldman"

    def test_missing_data_gives_empty_lists(self, parser: SymMessageParser) -> None:
        message = {"message": "<div><p>x</p></div>"}  # 1.x raised KeyError
        assert parser.get_mention_ids(message) == []
        assert parser.get_hash_tag_values(message) == []
        assert parser.get_cash_tag_values(message) == []
        assert parser.get_stream_id(message) is None
        assert parser.get_im_first_name(message) is None

    def test_constants(self, parser: SymMessageParser) -> None:
        assert parser.HASHTAG_TYPE == "org.symphonyoss.taxonomy.hashtag"
        assert parser.CASHTAG_TYPE == "org.symphonyoss.fin.security.id.ticker"
        assert parser.MENTION_TYPE == "com.symphony.user.userId"


class TestSymElementsParser:
    def test_elements_1_1_payload(self) -> None:
        action = load_fixture("legacy_elements_action_v11.json")
        parser = SymElementsParser()
        assert parser.get_stream_id(action) == "YuK1c2y2yuie6-UfQnjSPX___pQEn69idA"
        assert parser.get_stream_type(action) is None
        assert parser.get_action_stream_id(action) == "0YeiA-neZa1PrdHy1L82jX___pQjntU-dA"
        assert parser.get_form_message_id(action) == "q79Am2NpPefaV42JogMPRX///pQEDbD+dA==5653"
        assert parser.get_form_id(action) == "form_id"
        assert parser.get_action(action) == "submit_button"
        assert parser.get_form_values(action) == {
            "action": "submit_button",
            "name_01": "John Doe",
            "country": "opt1",
            "example_radio": "option_01",
            "checkbox_1": "value01",
            "checkbox_2": "value02",
            "comment": "In my opinion...",
        }
        assert parser.get_initiator_user_id(action) == 7078106482890
        assert parser.get_initiator_display_name(action) == "User"
        assert parser.parse(action).values["comment"] == "In my opinion..."

    def test_spec_payload(self) -> None:
        action = load_fixture("spec_elements_action.json")
        parser = SymElementsParser()
        assert parser.get_stream_id(action) == "YuK1c2y2yuie6-UfQnjSPX___pQEn69idA"
        assert parser.get_stream_type(action) == "ROOM"
        assert parser.get_action_stream_id(action) is None  # 1.x raised KeyError
        assert parser.get_action(action) == "submit"
        assert parser.get_initiator_display_name(action) == "Jane Doe"

    def test_not_an_action(self) -> None:
        parser = SymElementsParser()
        event = {"type": "MESSAGESENT", "payload": {"messageSent": {}}}
        assert parser.get_stream_id(event) is None
        assert parser.get_form_values(event) == {}
        assert parser.get_action(event) is None
        assert parser.get_initiator_user_id({}) is None


def test_message_formatter() -> None:
    formatter = MessageFormatter()
    assert formatter.format_message("a < b & c") == {"message": "<messageML>a &lt; b &amp; c</messageML>"}
    assert formatter.format_message("line1\nline2") == {"message": "<messageML>line1<br/>line2</messageML>"}

    class FakeForm:
        def format_element(self) -> dict[str, str]:
            return {"message": "<messageML/>"}

    assert formatter.format_element(FakeForm()) == {"message": "<messageML/>"}
