"""parse_message: text as a reader sees it, entities, command/args, and safe failure."""

from __future__ import annotations

import json
import time

import pytest

from sym_api_client_python.core.errors import SymphonyError
from sym_api_client_python.messages import (
    Emoji,
    Link,
    Mention,
    MessageParseError,
    parse_message,
    parse_v4_message,
)

from .conftest import load_fixture

PML = '<div data-format="PresentationML" data-version="2.0" class="wysiwyg">{}</div>'


def mention_data(**ids: int) -> str:
    return json.dumps(
        {
            key: {
                "type": "com.symphony.user.mention",
                "id": [{"type": "com.symphony.user.userId", "value": str(v)}],
            }
            for key, v in ids.items()
        }
    )


class TestText:
    def test_paragraphs_and_breaks_become_newlines(self) -> None:
        parsed = parse_message(PML.format("<p>one</p><p>two<br/>three</p><div>four</div>"))
        assert parsed.text == "one\ntwo\nthree\nfour"

    def test_source_formatting_is_not_content(self) -> None:
        source = "<messageML>\n  <p>Hello\n    <b>big</b>\n    world</p>\n  <p>next</p>\n</messageML>"
        assert parse_message(source).text == "Hello big world\nnext"

    def test_typed_spaces_and_tabs_are_kept(self) -> None:
        assert parse_message("<messageML>a  b\tc </messageML>").text == "a  b\tc "

    def test_pre_keeps_everything(self) -> None:
        assert parse_message("<messageML><pre>x\n  y</pre>z</messageML>").text == "x\n  y\nz"

    def test_html_named_entities_are_understood(self) -> None:
        assert parse_message("<p>a&nbsp;b &eacute; &lt;c&gt; &amp;</p>").text == "a\xa0b \xe9 <c> &"

    def test_char_reference_cr_is_content(self) -> None:
        assert parse_message("<messageML>a&#13;<br/>b</messageML>").text == "a\r\nb"

    def test_plain_text_and_fragments_parse(self) -> None:
        assert parse_message("just text").text == "just text"
        assert parse_message("<b>x</b> and <i>y</i>").text == "x and y"
        assert parse_message("").text == ""

    def test_leading_and_trailing_breaks(self) -> None:
        assert parse_message("<messageML><br/>a<br/></messageML>").text == "\na\n"

    def test_list_items_are_lines(self) -> None:
        assert (
            parse_message("<messageML>Todo:<ul><li>a</li><li>b</li></ul>done</messageML>").text
            == "Todo:\na\nb\ndone"
        )

    def test_form_controls_are_lines(self) -> None:
        source = (
            '<messageML><form id="f">Order<text-field name="q">10</text-field>'
            '<checkbox name="c">Agree</checkbox>'
            '<select name="s"><option value="a">A</option><option value="b">B</option></select>'
            '<button name="go">Send</button></form></messageML>'
        )
        assert parse_message(source).text == "Order\n10\nAgree\nA\nB\nSend"

    def test_bytes_input(self) -> None:
        assert parse_message("<p>caf\xe9</p>".encode()).text == "caf\xe9"

    def test_xml_declaration_and_namespaces(self) -> None:
        parsed = parse_message(
            '<?xml version="1.0"?><div xmlns="http://www.w3.org/1999/xhtml"><p>a</p><p>b</p></div>'
        )
        assert parsed.text == "a\nb"


class TestEntities:
    def test_presentationml_mention_hashtag_cashtag_emoji(self) -> None:
        message = load_fixture("entity_mix_message.json")
        parsed = parse_v4_message(message)
        assert parsed.text == "@Market Bot /quote #bot $hello \U0001f600 cc @Jane Doe"
        assert parsed.mentions == (
            Mention(13056700580915, "Market Bot"),
            Mention(1305690252351, "Jane Doe"),
        )
        assert parsed.mention_ids == (13056700580915, 1305690252351)
        assert parsed.mentions_user("1305690252351") and not parsed.mentions_user(42)
        assert parsed.hashtags == ("bot",)
        assert parsed.cashtags == ("hello",)
        assert parsed.emojis == (Emoji("grinning", "\U0001f600"),)
        assert parsed.command == "/quote"
        assert parsed.args == ("#bot", "$hello", "\U0001f600", "cc", "@Jane", "Doe")

    def test_messageml_entities(self) -> None:
        source = (
            '<messageML><mention uid="123"/> <mention email="a@b.c"/> <hash tag="deal"/> '
            '<cash tag="AAPL"/> <emoji shortcode="thumbsup"/> <emoji shortcode="nope"/></messageML>'
        )
        parsed = parse_message(source)
        assert parsed.text == "@123 @a@b.c #deal $AAPL \U0001f44d :nope:"
        assert parsed.mentions == (Mention(123, "123"), Mention(None, "a@b.c", "a@b.c"))
        assert parsed.hashtags == ("deal",) and parsed.cashtags == ("AAPL",)
        assert [e.shortcode for e in parsed.emojis] == ["thumbsup", "nope"]

    def test_entity_spans_without_data_are_classified_by_prefix(self) -> None:
        span = '<span class="entity" data-entity-id="{}">{}</span>'
        body = " ".join(span.format(i, t) for i, t in enumerate(["@Bob", "#tag", "$TSLA", "plain"]))
        parsed = parse_message(PML.format(f"<p>{body}</p>"))
        assert parsed.mentions == (Mention(None, "Bob"),)
        assert parsed.hashtags == ("tag",)
        assert parsed.cashtags == ("TSLA",)
        assert parsed.text == "@Bob #tag $TSLA plain"

    def test_numeric_user_id_value(self) -> None:
        data = {
            "m": {
                "type": "com.symphony.user.mention",
                "id": [{"type": "com.symphony.user.userId", "value": 7}],
            }
        }
        parsed = parse_message(
            PML.format('<p><span class="entity" data-entity-id="m">@Seven</span></p>'), data
        )
        assert parsed.mentions == (Mention(7, "Seven"),)

    def test_unknown_entity_reads_as_text(self) -> None:
        event = load_fixture("legacy_basic_event.json")
        parsed = parse_v4_message(event["payload"]["messageSent"]["message"])
        assert parsed.text == "Hello World"
        assert parsed.cashtags == () and parsed.mentions == ()
        assert "entityIdentifier" in parsed.entities

    def test_links(self) -> None:
        parsed = parse_message(
            '<p>see <a href="https://x.io/a?b=1&amp;c=2">the docs</a> or <a href="https://y.io"/></p>'
        )
        assert parsed.links == (
            Link("https://x.io/a?b=1&c=2", "the docs"),
            Link("https://y.io", "https://y.io"),
        )
        assert parsed.text == "see the docs or https://y.io"

    def test_tables(self) -> None:
        source = (
            "<messageML><table><thead><tr><th>Name</th><th>Qty</th></tr></thead>"
            "<tbody><tr><td>AAPL</td><td><b>10</b></td></tr><tr><td>MSFT</td><td>5</td></tr></tbody></table>"
            "<table><tr><td>x</td></tr></table></messageML>"
        )
        parsed = parse_message(source)
        assert parsed.tables == ((("Name", "Qty"), ("AAPL", "10"), ("MSFT", "5")), (("x",),))
        assert parsed.text == "Name\tQty\nAAPL\t10\nMSFT\t5\nx"

    @pytest.mark.parametrize(
        "source",
        [
            "<messageML><chime/></messageML>",
            PML.format('<audio src="https://asset.symphony.com/symphony/audio/chime.mp3" autoplay="true"/>'),
        ],
    )
    def test_chime(self, source: str) -> None:
        parsed = parse_message(source)
        assert parsed.has_chime and parsed.text == ""

    def test_no_chime(self) -> None:
        assert not parse_message("<p>hi</p>").has_chime


class TestCommand:
    @pytest.mark.parametrize(
        ("source", "command", "args"),
        [
            ("<p>/buy 10 AAPL</p>", "/buy", ("10", "AAPL")),
            ("<p>  /help  </p>", "/help", ()),
            ("<p>hello /buy</p>", None, ()),
            ("<p>/</p>", None, ()),
            ('<p><span class="entity" data-entity-id="0">@Bot</span> /joke</p>', "/joke", ()),
            (
                '<p><span class="entity" data-entity-id="0">@The Bot</span> '
                '<span class="entity" data-entity-id="1">@Other</span> /sell 5 <b>MSFT</b></p>',
                "/sell",
                ("5", "MSFT"),
            ),
            ('<messageML><mention uid="1"/> /quote x</messageML>', "/quote", ("x",)),
        ],
    )
    def test_command_and_args(self, source: str, command: str | None, args: tuple[str, ...]) -> None:
        parsed = parse_message(PML.format(source), mention_data(**{"0": 1, "1": 2}))
        assert (parsed.command, parsed.args) == (command, args)

    def test_words(self) -> None:
        assert parse_message("<p>a  b\nc</p>").words == ["a", "b", "c"]


class TestHostileInput:
    @pytest.mark.parametrize(
        ("source", "fragment"),
        [
            ("<p>unclosed", "not well-formed"),
            ("<p>a</q>", "not well-formed"),
            ("<p>&bogus;</p>", "not well-formed"),
            ('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "not well-formed"),
            ("<p>\x00</p>", "not well-formed"),
        ],
    )
    def test_malformed_markup(self, source: str, fragment: str) -> None:
        with pytest.raises(MessageParseError, match=fragment) as info:
            parse_message(source)
        assert isinstance(info.value, SymphonyError)

    def test_error_position_is_relative_to_the_input(self) -> None:
        with pytest.raises(MessageParseError, match="line 1, column 6"):
            parse_message("<p>a</q>")

    def test_billion_laughs_is_refused_fast(self) -> None:
        lol = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10)
            )
            + "]><lolz>&lol9;</lolz>"
        )
        start = time.perf_counter()
        with pytest.raises(MessageParseError):
            parse_message(lol)
        assert time.perf_counter() - start < 1

    def test_external_entity_is_refused(self) -> None:
        with pytest.raises(MessageParseError):
            parse_message('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')

    def test_size_limit(self) -> None:
        with pytest.raises(MessageParseError, match="above the 100 limit"):
            parse_message("<p>" + "a" * 200 + "</p>", max_chars=100)

    def test_deep_nesting_does_not_exhaust_the_stack(self) -> None:
        depth = 50_000
        parsed = parse_message("<b>" * depth + "deep" + "</b>" * depth)
        assert parsed.text == "deep"

    @pytest.mark.parametrize("data", ["not json", "[1, 2]", "42", b"{bad"])
    def test_bad_entity_data(self, data: str | bytes) -> None:
        with pytest.raises(MessageParseError, match="entity data"):
            parse_message("<p>x</p>", data)

    def test_non_string_markup(self) -> None:
        with pytest.raises(MessageParseError, match="must be a string"):
            parse_message(123)  # type: ignore[arg-type]

    def test_empty_data_is_fine(self) -> None:
        assert parse_message("<p>x</p>", "").text == "x"
        assert parse_message("<p>x</p>", None).entities == {}


def test_parse_is_fast_for_a_typical_message() -> None:
    body = (
        '<p><span class="entity" data-entity-id="0">@Market Bot</span> /quote '
        '<span class="entity" data-entity-id="1">$AAPL</span></p>'
        + "<p>Some <b>bold</b> and <i>italic</i> text with a <a href='https://example.com'>link</a>.</p>"
        * 8
    )
    source = PML.format(body)
    assert 900 < len(source) < 1300
    start = time.perf_counter()
    for _ in range(200):
        parse_message(source, mention_data(**{"0": 1}))
    per_message = (time.perf_counter() - start) / 200
    assert per_message < 0.002  # generous: about 60 µs measured; this only catches pathologies
