"""The MessageML parser (expat with DTDs refused, replacing defusedxml on the message-create path):
the tree and the error texts of ``ElementTree.fromstring`` for any markup without a DTD, and a
refusal for every DTD, hence for entity bombs and external entities."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sympod.messageml import (
    MessageMLError,
    _escape_attribute,
    _escape_text,
    _parse,
    _replace_html_entities,
    convert,
)


def _shape(element: ElementTree.Element) -> Any:
    return (
        element.tag,
        sorted(element.attrib.items()),
        element.text,
        element.tail,
        [_shape(child) for child in element],
    )


def _reference(markup: str) -> Any:
    """What ElementTree's own parser makes of ``markup``: the tree, or the error as _parse words it."""
    try:
        return _shape(ElementTree.fromstring(_replace_html_entities(markup)))
    except ElementTree.ParseError as exc:
        line, column = exc.position
        return f"Invalid MessageML: {str(exc).split(':')[0]} at line {line}, column {column}"


def _ours(markup: str) -> Any:
    try:
        return _shape(_parse(markup))
    except MessageMLError as exc:
        return str(exc)


_PIECES = [
    "<messageML>", "</messageML>", "<b>", "</b>", "<p class='x'>", "</p>", "<br/>", "text", " ", "\n",
    "&amp;", "&lt;", "&#65;", "&#x263a;", "&nbsp;", "&eacute;", "&bogus;", "&", "<", ">", "'", '"',
    "<!-- note -->", "<?pi data?>", "<![CDATA[<raw> & ]]>", '<a href="u" data-x="1">', "</a>",
    '<x:y xmlns:x="urn:x" x:attr="v">', "</x:y>", '<n xmlns="urn:d"/>', "<u:v/>", '<img src="s"/>',
    '<?xml version="1.0" encoding="UTF-8"?>', "<mention uid='1'/>", "\u00e9\u263a", "\x01", "]]>",
]  # fmt: skip

_MARKUP = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@pytest.mark.parametrize(
    "markup",
    [
        "<messageML>Hi <b>there</b><br/>next &amp; &nbsp;&eacute;</messageML>",
        '<messageML><p class="a" data-x="1">x</p>tail<!-- c --><?pi x?><![CDATA[<b>]]></messageML>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<messageML>\n  <b>x</b>\n</messageML>',
        '<messageML xmlns="urn:d"><x:y xmlns:x="urn:x" x:a="1"/></messageML>',
        "<messageML><b>x</messageML>",
        "<messageML>\n<i>\n</b></messageML>",
        "<messageML>&bogus;</messageML>",
        "<messageML><u:v/></messageML>",
        "<messageML>x",
        "",
        "<messageML></messageML><extra/>",
    ],
)
def test_same_tree_or_error_as_elementtree(markup: str) -> None:
    assert _ours(markup) == _reference(markup)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_same_tree_or_error_as_elementtree_for_any_markup_without_a_dtd(markup: str) -> None:
    assert _ours(markup) == _reference(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<!DOCTYPE messageML><messageML>x</messageML>",
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e "expanded">]><messageML>&e;</messageML>',
        '<!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]><messageML>&e;</messageML>',
        '<!DOCTYPE m [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><messageML/>',
        '<!DOCTYPE m SYSTEM "http://127.0.0.1:1/x.dtd"><messageML/>',
        '<!DOCTYPE m [<!ENTITY u SYSTEM "http://x/" NDATA gif>]><messageML/>',
    ],
)
def test_every_dtd_is_refused_before_any_entity_is_read(markup: str) -> None:
    with pytest.raises(MessageMLError) as refused:
        convert(markup)
    assert "DTDs and entity declarations are not allowed" in str(refused.value)
    assert "at line 1, column" in str(refused.value)


def test_a_deep_entity_bomb_is_refused_without_expanding_anything() -> None:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 30))
    bomb = f'<!DOCTYPE m [<!ENTITY l0 "lol">{levels}]><messageML>&l29;</messageML>'
    with pytest.raises(MessageMLError, match="DTDs and entity declarations are not allowed"):
        convert(bomb)  # 10**29 "lol"s if it were expanded


def test_an_entity_without_a_dtd_is_an_undefined_entity_error() -> None:
    with pytest.raises(MessageMLError, match=r"undefined entity at line 1, column 11"):
        convert("<messageML>&secret;</messageML>")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab &<>\"'\u00e9;#x")))
def test_the_serialiser_escapes_exactly_as_html_escape(text: str) -> None:
    assert _escape_text(text) == html.escape(text, quote=False)
    assert _escape_attribute(text) == html.escape(text, quote=True)
