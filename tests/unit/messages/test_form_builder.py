"""Legacy FormBuilder: every method, with the 1.x bugs fixed."""

from __future__ import annotations

import pytest

from sym_api_client_python.clients.form_builder import FormBuilder
from sym_api_client_python.messages import MessageMLError, parse_message, validate_messageml


def finished(builder: FormBuilder) -> str:
    builder.add_button("submit", "Submit")
    message = builder.format_element()["message"]
    validate_messageml(message)
    return message


def test_every_method() -> None:
    builder = FormBuilder("form-1")
    builder.add_header("Title", "h4")
    builder.add_text_field("name", "initial", placeholder="Name")
    builder.add_text_area("comment", "", placeholder="Say", required="false")
    builder.add_check_box("c1", "Check", checked="true")
    builder.add_radio_button("r", "A", value="a", checked=True)
    builder.add_radio_button("r", "B", value="b")
    builder.add_person_selector("who", placeholder="Pick")
    message = finished(builder)
    assert message.startswith('<messageML><form id="form-1"><h4>Title</h4>')
    assert (
        '<text-field name="name" placeholder="Name" required="true" masked="true" '
        'maxlength="128" minlength="1">'
        "initial</text-field>" in message
    )
    assert '<textarea name="comment" placeholder="Say" required="false"></textarea>' in message
    assert '<checkbox name="c1" value="on" checked="true">Check</checkbox>' in message
    assert '<radio name="r" value="a" checked="true">A</radio>' in message
    assert '<person-selector name="who" placeholder="Pick" required="false"/>' in message
    assert message.endswith('<button name="submit" type="action">Submit</button></form></messageML>')
    assert isinstance(builder.messageML, str)


def test_text_field_masking_can_be_turned_off() -> None:
    builder = FormBuilder("f")
    builder.add_text_field("n", "", masked="false")
    assert 'masked="false"' in finished(builder)


def test_dropdown_required_and_selected_are_not_swapped() -> None:
    builder = FormBuilder("f")
    builder.add_dropdown_menu([("pick", "true", "v1", "false", "One"), ("pick", "true", "v2", "true", "Two")])
    message = finished(builder)
    assert (
        '<select name="pick" required="true"><option value="v1" selected="false">One</option>'
        '<option value="v2" selected="true">Two</option></select>'
    ) in message


@pytest.mark.parametrize("position", ["left", "right"])
@pytest.mark.parametrize("kind", ["button", "checkbox"])
def test_table_selector_all_combinations(position: str, kind: str) -> None:
    builder = FormBuilder("f")
    builder.add_table_selector(
        position, kind, "row-", ["H1", "H2"], [["A1", "B1"], ["A2", "B2"]], ["F1", "F2"]
    )
    message = finished(builder)
    table = parse_message(message).tables[0]
    header_control = "Select" if kind == "button" else ""
    control = "Button" if kind == "button" else ""
    expected = [
        ("H1", "H2", header_control),
        ("A1", "B1", control),
        ("A2", "B2", control),
        ("F1", "F2", control),
    ]
    if position == "left":
        expected = [(row[-1], *row[:-1]) for row in expected]
    assert list(table) == expected
    names = ["row-1", "row-2", "footer" if kind == "button" else "table-footer"]
    if kind == "checkbox":
        names.append("table-header")
    for name in names:
        assert f'name="{name}"' in message
    assert "<input" not in message


def test_form_id_is_escaped() -> None:
    builder = FormBuilder('x"><script>')
    message = finished(builder)
    assert message.startswith('<messageML><form id="x&quot;&gt;&lt;script&gt;">')


def test_text_is_escaped() -> None:
    builder = FormBuilder("f")
    builder.add_check_box("c", "<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in finished(builder)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda b: b.add_header("x", "script"), "h1..h6"),
        (lambda b: b.add_text_field("n", "", required="yes"), "required"),
        (lambda b: b.add_dropdown_menu([]), "at least one"),
        (lambda b: b.add_dropdown_menu([("a", "b")]), "(name, required, value, selected, text)"),
        (lambda b: b.add_table_selector("top", "button", "r", [], [], []), "position"),
        (lambda b: b.add_table_selector("left", "radio", "r", [], [], []), "type"),
    ],
)
def test_bad_input(call: object, fragment: str) -> None:
    with pytest.raises(MessageMLError) as info:
        call(FormBuilder("f"))  # type: ignore[operator]
    assert fragment in str(info.value)


def test_old_method_names() -> None:
    builder = FormBuilder("f")
    builder.add_text_field_to_form("n", "")
    builder.add_button_to_form("ok", "OK")
    validate_messageml(builder.format_element()["message"])
