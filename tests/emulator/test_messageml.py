"""MessageML → PresentationML conversion and validation (pure, no server)."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sympod.messageml import MessageMLError, convert, parse_entity_data, to_text

PREFIX = '<div data-format="PresentationML" data-version="2.0" class="wysiwyg">'

USERS = {12: "Jane Doe", 34: "Bot"}
EMAILS = {"jane@example.com": 12}


def resolve(uid: int | None, email: str | None) -> tuple[int, str] | None:
    if uid is not None:
        return (uid, USERS[uid]) if uid in USERS else None
    if email in EMAILS:
        return EMAILS[email], USERS[EMAILS[email]]
    return None


def test_plain_text_is_wrapped_and_escaped_verbatim() -> None:
    result = convert("hello <b>${name}</b> & co")
    assert result.presentation_ml == PREFIX + "<p>hello &lt;b&gt;${name}&lt;/b&gt; &amp; co</p></div>"
    assert result.entity_data == {}
    assert result.data_json == "{}"


def test_inline_message_is_wrapped_in_a_paragraph() -> None:
    result = convert("<messageML>Hi <b>there</b><br/>next</messageML>")
    assert result.presentation_ml == PREFIX + "<p>Hi <b>there</b><br/>next</p></div>"


def test_mention_by_uid_and_email_become_entity_spans() -> None:
    result = convert(
        '<messageML><mention uid="12"/> and <mention email="jane@example.com"/></messageML>',
        resolve_user=resolve,
    )
    assert result.presentation_ml == PREFIX + (
        '<p><span class="entity" data-entity-id="0">@Jane Doe</span> and '
        '<span class="entity" data-entity-id="1">@Jane Doe</span></p></div>'
    )
    assert result.entity_data["0"] == {
        "type": "com.symphony.user.mention",
        "version": "1.0",
        "id": [{"type": "com.symphony.user.userId", "value": "12"}],  # a string, as real pods send it
    }
    assert result.mentions == [12, 12]


def test_unknown_mentions_stay_readable() -> None:
    result = convert(
        '<messageML><mention uid="99"/> <mention email="x@y.z"/></messageML>', resolve_user=resolve
    )
    assert "@99</span>" in result.presentation_ml
    assert "<span>@x@y.z</span>" in result.presentation_ml
    assert result.mentions == [99]


def test_hashtag_cashtag_and_emoji_entities() -> None:
    result = convert(
        '<messageML><hash tag="bot"/> <cash tag="AAPL"/> <emoji shortcode="smiley"/></messageML>'
    )
    assert '<span class="entity" data-entity-id="0">#bot</span>' in result.presentation_ml
    assert '<span class="entity" data-entity-id="1">$AAPL</span>' in result.presentation_ml
    assert result.entity_data["0"]["id"] == [{"type": "org.symphonyoss.taxonomy.hashtag", "value": "bot"}]
    assert result.entity_data["0"]["type"] == "org.symphonyoss.taxonomy"
    assert result.entity_data["1"]["type"] == "org.symphonyoss.fin.security"
    assert result.entity_data["1"]["id"][0]["type"] == "org.symphonyoss.fin.security.id.ticker"
    assert result.entity_data["2"]["type"] == "com.symphony.emoji"
    assert result.hashtags == ["bot"] and result.cashtags == ["AAPL"]


def test_generated_entities_never_overwrite_caller_data() -> None:
    data = json.dumps({"0": {"type": "custom"}, "1": {"type": "custom2"}})
    result = convert('<messageML><hash tag="x"/></messageML>', data)
    assert result.entity_data["0"] == {"type": "custom"}
    assert result.entity_data["2"]["type"] == "org.symphonyoss.taxonomy"
    assert 'data-entity-id="2"' in result.presentation_ml


def test_form_is_kept_as_elements_without_paragraph() -> None:
    message = (
        '<messageML><form id="order"><text-field name="qty" placeholder="n"/>'
        '<select name="side"><option value="buy">Buy</option></select>'
        '<button name="submit" type="action">Send</button></form></messageML>'
    )
    result = convert(message)
    assert result.presentation_ml == PREFIX + (
        '<form id="order"><text-field name="qty" placeholder="n"></text-field>'
        '<select name="side"><option value="buy">Buy</option></select>'
        '<button name="submit" type="action">Send</button></form></div>'
    )
    assert result.form_ids == ["order"]


def test_dialog_opener_buttons_need_no_form_or_name() -> None:
    message = (
        '<messageML><ui-action action="open-dialog" target-id="d1"><button>Open</button></ui-action>'
        '<dialog id="d1"><title>T</title><body><form id="f"><text-field name="t"/>'
        '<ui-action action="open-dialog" target-id="d1"><button>Again</button></ui-action>'
        '<button name="go">Go</button></form></body><footer>F</footer></dialog></messageML>'
    )
    html = convert(message).presentation_ml
    assert '<ui-action action="open-dialog" target-id="d1"><button>Open</button></ui-action>' in html
    assert '<dialog id="d1"><title>T</title>' in html
    with pytest.raises(MessageMLError, match="<dialog> requires an 'id'"):
        convert("<messageML><dialog><title>T</title></dialog></messageML>")
    with pytest.raises(MessageMLError, match="'title' can only be a inner child of <dialog>"):
        convert("<messageML><title>T</title></messageML>")


def test_card_expandable_card_chime_and_table() -> None:
    result = convert(
        '<messageML><card accent="tempo-bg-color--blue"><header>H</header><body>B</body></card>'
        '<expandable-card state="expanded"><header>T</header><body variant="error">X</body></expandable-card>'
        "<table><tr><td>1</td><td></td></tr></table><chime/></messageML>"
    )
    html = result.presentation_ml
    assert '<div class="card barStyle" data-accent-color="tempo-bg-color--blue">' in html
    assert '<div class="cardHeader">H</div><div class="cardBody">B</div>' in html
    assert '<div class="expandable-card" data-state="expanded">' in html
    assert '<div class="expandable-card-body" data-variant="error">X</div>' in html
    assert "<td></td>" in html  # never self-closed: browsers would mis-nest
    # not self-closed: in HTML <audio/> would swallow everything after it
    assert '<audio src="https://asset.symphony.com/symphony/audio/chime.mp3" autoplay="true"></audio>' in html


def test_html_named_entities_are_accepted() -> None:
    assert "\u00a0x\u00e9" in convert("<messageML>&nbsp;x&eacute; &amp;</messageML>").presentation_ml


def test_presentationml_input_is_accepted() -> None:
    source = PREFIX + '<p>hi <span class="entity" data-entity-id="0">@A</span></p></div>'
    assert convert(source).presentation_ml == source


def test_event_handler_attributes_are_dropped() -> None:
    result = convert('<messageML><b onclick="alert(1)">x</b></messageML>')
    assert "onclick" not in result.presentation_ml


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("<messageML><b>x</messageML>", "mismatched tag at line 1, column"),
        ("<messageML>\n<i>\n</b></messageML>", "line 3"),
        ("<messageML><script>x</script></messageML>", "element <script> is not allowed"),
        ("<p>x</p>", "element <p>"),  # no messageML root: kept as text, so this must NOT raise
        ('<messageML><form><button name="a">A</button></form></messageML>', "<form> requires an 'id'"),
        (
            '<messageML><form id="f"><text-field/><button name="a">A</button></form></messageML>',
            "<text-field> in form 'f' requires a 'name'",
        ),
        (
            '<messageML><form id="f"><text-field name="t"/></form></messageML>',
            "The form with id 'f' should have at least one action button",
        ),
        (
            '<messageML><form id="f"><button type="action">A</button></form></messageML>',
            "requires a 'name'",
        ),
        ('<messageML><text-field name="t"/></messageML>', "'text-field' can only be a inner child of <form>"),
        (
            '<messageML><form id="f"><select name="s"></select>'
            '<button name="a">A</button></form></messageML>',
            "<select name='s'> requires at least one <option>",
        ),
        ("<messageML><mention/></messageML>", "<mention> requires a 'uid' or an 'email'"),
        ('<messageML><mention uid="abc"/></messageML>', "not a numeric user id"),
        ("<messageML><hash/></messageML>", "<hash> requires a 'tag'"),
        ("<messageML><a>x</a></messageML>", "<a> requires an 'href'"),
        ('<messageML><a href="javascript:alert(1)">x</a></messageML>', "<a href> must not use a script"),
        ('<messageML><a href=" JaVa&#9;Script:alert(1)">x</a></messageML>', "script scheme"),
        ('<messageML><img src="javascript:alert(1)"/></messageML>', "<img src> must not use a script"),
        ("<messageML><card><p>x</p></card></messageML>", "<card> may only contain"),
        ("<other>x</other>", "element <other>"),  # text, not markup: accepted
        ("<div>x</div>", "root element must be <messageML>"),
    ],
)
def test_invalid_messageml_names_the_problem(message: str, expected: str) -> None:
    if not message.startswith(("<messageML", "<div")):
        convert(message)  # no messageML root → plain text, accepted as is
        return
    with pytest.raises(MessageMLError) as caught:
        convert(message)
    assert str(caught.value).startswith("Invalid MessageML: ")
    assert expected in str(caught.value)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]><messageML>&lol9;</messageML>"
    )
    started = time.perf_counter()
    with pytest.raises(MessageMLError, match="DTDs and entity declarations are not allowed"):
        convert(bomb)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("data", "expected"),
    [("{not json", "Invalid data: not valid JSON"), ("[1, 2]", "must be a JSON object, got list")],
)
def test_invalid_data_json(data: str, expected: str) -> None:
    with pytest.raises(MessageMLError, match=expected):
        parse_entity_data(data)
    with pytest.raises(MessageMLError, match=expected):
        convert("<messageML>x</messageML>", data)


def test_oversized_message_is_refused() -> None:
    with pytest.raises(MessageMLError, match="over the limit"):
        convert("x" * 1_000_001)


def test_to_text_flattens_markup() -> None:
    html = PREFIX + "<p>Hello <b>big</b>\n  world</p><table><tr><td>a</td><td>b</td></tr></table></div>"
    assert to_text(html) == "Hello big world\na b"
    assert to_text("not &amp; markup") == "not & markup"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_converts_or_raises_a_clear_error(text: str) -> None:
    for candidate in (text, f"<messageML>{text}</messageML>"):
        try:
            result = convert(candidate)
        except MessageMLError as exc:
            assert str(exc).startswith("Invalid MessageML: ")
        else:
            assert result.presentation_ml.startswith(PREFIX)
            assert result.presentation_ml.endswith("</div>")
