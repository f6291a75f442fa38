"""Modern Elements form builder and typed submissions."""

from __future__ import annotations

import pytest

from sym_api_client_python.messages import (
    Form,
    FormSubmission,
    MessageBuilder,
    MessageMLError,
    MessageParseError,
    Option,
    dialog,
    parse_message,
    validate_messageml,
)

from .conftest import load_fixture


def full_form() -> Form:
    return (
        Form("order")
        .header("Place an order", level=3)
        .text("Fill in <everything>")
        .text_field("qty", label="Quantity", placeholder="10", required=True, min_length=1, max_length=10)
        .text_field("secret", masked=True, value="prefilled")
        .textarea("comment", label="Comment", max_length=500)
        .checkbox("agree", "I agree", value="yes", checked=True)
        .checkbox("agree", "Me too", value="also")
        .radio("side", "Buy", value="buy", checked=True)
        .radio("side", "Sell", value="sell")
        .select(
            "ticker", [Option("AAPL", "Apple", selected=True), ("MSFT", "Microsoft"), "IBM"], required=True
        )
        .select("tags", [("a", "A", True), ("b", "B", True)], multiple=True)
        .person_selector("who", label="Who", required=False)
        .date_picker("day", value="2024-05-01", min="2024-01-01", max="2024-12-31")
        .time_picker("at", value="10:00:00", step=900)
        .timezone_picker("tz", value="Europe/London")
        .country_selector("country", value="GB")
        .room_selector("room")
        .table_select("pick", [["a", "1"], ["b", "2"]], header=["Name", "N"], footer=["", "3"])
        .table_select("act", [["x"]], selector="button", position="right")
        .button("submit", "Send", style="primary")
        .button(None, "Clear", type="reset")
    )


class TestFormBuilder:
    def test_every_element_makes_valid_messageml(self) -> None:
        messageml = full_form().build()
        validate_messageml(messageml)
        for fragment in (
            '<form id="order">',
            '<text-field name="qty" label="Quantity" placeholder="10" required="true" '
            'minlength="1" maxlength="10">'
            "</text-field>",
            '<text-field name="secret" masked="true">prefilled</text-field>',
            '<select name="ticker" required="true"><option value="AAPL" selected="true">Apple</option>'
            '<option value="MSFT">Microsoft</option><option value="IBM">IBM</option></select>',
            '<time-picker name="at" value="10:00:00" step="900"/>',
            '<checkbox name="pick-row-1" value="on"></checkbox>',
            '<button name="act-row-1" type="action">Select</button>',
            '<button name="submit" type="action" class="primary">Send</button>',
            '<button type="reset">Clear</button>',
            "<p>Fill in &lt;everything&gt;</p>",
        ):
            assert fragment in messageml

    def test_table_select_reads_back_as_a_table(self) -> None:
        parsed = parse_message(full_form().build())
        assert parsed.tables[0] == (("Select", "Name", "N"), ("", "a", "1"), ("", "b", "2"), ("", "", "3"))

    def test_form_inside_a_message_and_a_dialog(self) -> None:
        form = Form("inner").text_field("x").button("go", "Go")
        message = (
            MessageBuilder()
            .text("Open it: ")
            .raw(dialog("d1", "Title", form.to_markup(), footer="f"))
            .build()
        )
        validate_messageml(message)
        assert (
            '<ui-action trigger="click" action="open-dialog" target-id="d1"><button>Open</button></ui-action>'
            in message
        )

    def test_id_and_values_are_escaped(self) -> None:
        messageml = Form('a"b').text_field("n", placeholder='"><script>').button("go", "Go").build()
        assert 'id="a&quot;b"' in messageml and "<script>" not in messageml

    @pytest.mark.parametrize(
        ("make", "element", "fragment"),
        [
            (lambda: Form(""), "form", "non-empty"),
            (lambda: Form("f").text_field(""), "text-field", "non-empty"),
            (lambda: Form("f").text_field("action"), "text-field", "reserved"),
            (lambda: Form("f").text_field("a").textarea("a"), "textarea", "already used"),
            (lambda: Form("f").select("s", []), "select", "at least one"),
            (lambda: Form("f").select("s", [("a", "A", True), ("b", "B", True)]), "select", "not multiple"),
            (lambda: Form("f").button(None, "x"), "button", "non-empty"),
            (lambda: Form("f").button("b", "x", style="loud"), "button", "style"),
            (lambda: Form("f").button("b", "x", type="submit"), "button", "type"),  # type: ignore[arg-type]
            (lambda: Form("f").table_select("t", [], selector="radio"), "table", "selector"),  # type: ignore[arg-type]
            (lambda: Form("f").table_select("t", [], position="top"), "table", "position"),  # type: ignore[arg-type]
            (lambda: Form("f").header("x", 0), "h", "1-6"),
            (lambda: Form("f").text_field("a").build(), "form", "action"),
            (lambda: dialog("", "t", "b"), "dialog", "non-empty"),
        ],
    )
    def test_bad_input(self, make: object, element: str, fragment: str) -> None:
        with pytest.raises(MessageMLError) as info:
            make()  # type: ignore[operator]
        assert info.value.element == element
        assert fragment in str(info.value)


class TestFormSubmission:
    def test_spec_shape(self) -> None:
        event = load_fixture("spec_elements_action.json")
        submission = FormSubmission.from_event(event)
        assert submission.form_id == "order"
        assert submission.action == "submit"
        assert submission.values == {
            "qty": "10",
            "ticker": "AAPL",
            "agree": "on",
            "who": [68719476743, 68719476744],
        }
        assert submission.stream_id == "YuK1c2y2yuie6-UfQnjSPX___pQEn69idA"
        assert submission.stream_type == "ROOM"
        assert submission.form_message_id == "q79Am2NpPefaV42JogMPRX___pQEDbD-dA"
        assert submission.user.user_id == 68719476742
        assert submission.user.display_name == "Jane Doe"
        assert submission.user.username == "jane" and submission.user.email == "jane@example.com"
        assert (submission.user.first_name, submission.user.last_name) == ("Jane", "Doe")
        assert submission.event_id == "q6eUgG" and submission.timestamp == 1700000000000
        assert submission.get_int("qty") == 10
        assert submission.get_str("ticker") == "AAPL"
        assert submission.get_bool("agree") and not submission.get_bool("missing")
        assert submission.get_list("who") == [68719476743, 68719476744]
        assert submission.get_str("who") == "68719476743,68719476744"
        assert submission.get("nope", 1) == 1

    def test_legacy_elements_1_1_shape(self) -> None:
        submission = FormSubmission.from_event(load_fixture("legacy_elements_action_v11.json"))
        assert submission.stream_id == "YuK1c2y2yuie6-UfQnjSPX___pQEn69idA"
        assert submission.stream_type is None
        assert submission.action == "submit_button"
        assert submission.values["name_01"] == "John Doe" and "action" not in submission.values
        assert submission.user.user_id == 7078106482890

    def test_payload_alone(self) -> None:
        event = load_fixture("spec_elements_action.json")
        action = event["payload"]["symphonyElementsAction"]
        assert FormSubmission.from_event(action).form_id == "order"
        assert FormSubmission.from_event({"symphonyElementsAction": action}).action == "submit"
        assert FormSubmission.from_event(action).user.user_id is None

    def test_typed_model_input(self) -> None:
        import msgspec

        class Action(msgspec.Struct):
            formId: str
            formValues: dict[str, str]

        assert FormSubmission.from_event(Action("f", {"action": "go"})).action == "go"

    def test_getters_on_odd_values(self) -> None:
        submission = FormSubmission.from_event(
            {"formId": "f", "formValues": {"n": "x", "l": "a, b", "e": ""}}
        )
        with pytest.raises(MessageParseError, match="'n' is not an integer"):
            submission.get_int("n")
        assert submission.get_int("e", 5) == 5
        assert submission.get_list("l") == ["a", "b"] and submission.get_list("e") == []
        assert submission.get_list("n") == ["x"]
        assert not FormSubmission.from_event({"formId": "f", "formValues": {"c": "false"}}).get_bool("c")

    @pytest.mark.parametrize(
        ("event", "fragment"),
        [
            ({"payload": {"messageSent": {}}}, "symphonyElementsAction"),
            ({"payload": {"symphonyElementsAction": {"formValues": {}}}}, "formId"),
            ({"formId": "f", "formValues": ["x"]}, "formValues must be an object"),
            (42, "expected an event object"),
        ],
    )
    def test_not_an_elements_action(self, event: object, fragment: str) -> None:
        with pytest.raises(MessageParseError, match=fragment):
            FormSubmission.from_event(event)
