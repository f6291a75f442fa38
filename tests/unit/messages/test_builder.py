"""MessageBuilder and helpers: escaping by default, valid output, clear errors."""

from __future__ import annotations

import markupsafe
import pytest

from sym_api_client_python.messages import (
    Fragment,
    MessageBuilder,
    MessageMLError,
    bold,
    cashtag,
    emoji,
    escape_attr,
    escape_text,
    format_text,
    hashtag,
    link,
    mention,
    parse_message,
    table,
    validate_messageml,
)


def build_and_check(builder: MessageBuilder) -> str:
    result = builder.build()
    validate_messageml(result)
    return result


class TestEscaping:
    def test_text_is_escaped(self) -> None:
        assert escape_text("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;"

    @pytest.mark.parametrize("marker", ["${user.password}", "#{1+1}", "$${x}"])
    def test_freemarker_markers_are_neutralised(self, marker: str) -> None:
        result = MessageBuilder().text(marker).build()
        assert "${" not in result and "#{" not in result
        validate_messageml(result)
        assert parse_message(result).text == marker

    def test_concatenated_pieces_cannot_form_a_marker(self) -> None:
        result = MessageBuilder().text("price: $").text("{total}").build()
        assert "${" not in result
        assert parse_message(result).text == "price: ${total}"

    def test_trusted_markup_passes_through_escape_text(self) -> None:
        assert escape_text(Fragment("<b>x</b>")) == "<b>x</b>"
        assert escape_text(markupsafe.Markup("<b>x</b>")) == "<b>x</b>"
        assert (
            MessageBuilder().text(markupsafe.Markup("<i>y</i>")).build() == "<messageML><i>y</i></messageML>"
        )

    def test_fragments_concatenate_without_escaping(self) -> None:
        combined = bold("a") + " & " + bold("b")
        assert combined == "<b>a</b> & <b>b</b>" and type(combined) is str  # plain str: not trusted
        assert isinstance(bold("a") + bold("b"), Fragment)
        assert "<messageML>" + bold("x") + "</messageML>" == "<messageML><b>x</b></messageML>"

    def test_attr_escaping_keeps_newlines(self) -> None:
        assert escape_attr('a"\n\t{') == "a&quot;&#10;&#9;&#123;"

    def test_invalid_xml_characters_are_dropped(self) -> None:
        result = MessageBuilder().text("a\x00b\x1fc\ufffe").build()
        validate_messageml(result)
        assert parse_message(result).text == "abc"

    def test_text_newlines_become_breaks(self) -> None:
        assert MessageBuilder().text("a\nb").build() == "<messageML>a<br/>b</messageML>"

    def test_text_does_not_trust_markup_like_strings(self) -> None:
        assert MessageBuilder().text("<b>x</b>").build() == "<messageML>&lt;b&gt;x&lt;/b&gt;</messageML>"

    def test_format_text(self) -> None:
        assert format_text("a < b & c") == "<messageML>a &lt; b &amp; c</messageML>"


class TestElements:
    def test_inline_helpers(self) -> None:
        result = build_and_check(
            MessageBuilder()
            .text("Hi ")
            .mention(12345)
            .text(" and ")
            .mention(email="jane@example.com")
            .text(" ")
            .bold("b<")
            .italic("i")
            .code("c")
            .hashtag("#deal")
            .cashtag("$AAPL")
            .emoji(":thumbsup:")
            .link("https://example.com/?a=1&b=2", "docs")
        )
        assert result == (
            '<messageML>Hi <mention uid="12345"/> and <mention email="jane@example.com"/> '
            '<b>b&lt;</b><i>i</i><code>c</code><hash tag="deal"/><cash tag="AAPL"/>'
            '<emoji shortcode="thumbsup"/><a href="https://example.com/?a=1&amp;b=2">docs</a></messageML>'
        )

    def test_blocks(self) -> None:
        result = build_and_check(
            MessageBuilder()
            .heading("Title", 2)
            .paragraph("para")
            .bullet_list(["a", bold("b")])
            .numbered_list(["1"])
            .pre("x\n  y")
            .line_break()
            .table([["a", "b"]], header=["H1", "H2"], footer=["f", "g"])
            .card("Head", "Body", icon_src="https://x.io/i.png", accent="tempo-bg-color--blue")
            .expandable_card("More", "Hidden", state="expanded")
        )
        parsed = parse_message(result)
        assert parsed.tables == ((("H1", "H2"), ("a", "b"), ("f", "g")),)
        assert parsed.text.startswith("Title\npara\na\nb\n1\nx\n  y\n")
        assert '<expandable-card state="expanded">' in result and 'iconSrc="https://x.io/i.png"' in result

    def test_table_cells_accept_markup(self) -> None:
        assert table([[bold("x"), "<y>"]]) == (
            "<table><tbody><tr><td><b>x</b></td><td>&lt;y&gt;</td></tr></tbody></table>"
        )

    def test_chime_must_be_alone(self) -> None:
        assert MessageBuilder().chime().build(validate=True) == "<messageML><chime/></messageML>"
        with pytest.raises(MessageMLError, match="chime"):
            MessageBuilder().text("x").chime().build()

    def test_str_builds(self) -> None:
        assert str(MessageBuilder().text("x")) == "<messageML>x</messageML>"

    def test_raw_is_checked_when_asked(self) -> None:
        with pytest.raises(MessageMLError, match="<script>"):
            MessageBuilder().raw("<script>x</script>").build(validate=True)


class TestBadInput:
    @pytest.mark.parametrize(
        ("call", "element"),
        [
            (lambda: mention(), "mention"),
            (lambda: mention("12a"), "mention"),
            (lambda: mention("\u00b2"), "mention"),
            (lambda: mention(2**63), "mention"),
            (lambda: mention(email="not-an-email"), "mention"),
            (lambda: hashtag("two words"), "hash"),
            (lambda: hashtag(""), "hash"),
            (lambda: cashtag("${x}"), "cash"),
            (lambda: link("javascript:alert(1)"), "a"),
            (lambda: link("https://a b"), "a"),
            (lambda: emoji("no spaces"), "emoji"),
            (lambda: MessageBuilder().heading("x", 7), "h"),
            (lambda: MessageBuilder().expandable_card("h", "b", state="open"), "expandable-card"),
        ],
    )
    def test_errors_name_the_element(self, call: object, element: str) -> None:
        with pytest.raises(MessageMLError) as info:
            call()  # type: ignore[operator]
        assert info.value.element == element
        assert str(info.value).startswith(f"<{element}>")
