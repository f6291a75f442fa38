"""Fuzzing the message readers: random and hostile markup, entity JSON and events.

The only exception any of them may raise is the documented one (MessageParseError for the
parsers, MessageMLError for the validator); never a crash, a hang or a RecursionError.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sym_api_client_python.messages import (
    FormSubmission,
    MessageMLError,
    MessageParseError,
    parse_message,
    validate_messageml,
)
from sym_api_client_python.messages.escape import escape_attr
from sym_api_client_python.processors.sym_elements_parser import SymElementsParser
from sym_api_client_python.processors.sym_message_parser import SymMessageParser

MANY = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = [
    "messageML", "div", "p", "span", "b", "br", "pre", "a", "table", "tr", "td", "ul", "li", "mention",
    "hash", "cash", "emoji", "chime", "audio", "form", "button", "select", "option", "text-field", "x",
]  # fmt: skip
ATTRS = [
    'class="entity"', 'data-entity-id="0"', 'data-entity-id="1"', 'uid="12"', 'uid="x"', 'email="a@b"',
    'tag="t"', 'shortcode="smile"', 'href="https://x"', 'src="chime"', 'id="f"', 'name="n"', 'type="action"',
    'value="v"', 'selected="true"', "xmlns:q=\"urn:q\"", 'q:attr="1"',
]  # fmt: skip
PIECES = [
    "&amp;", "&lt;", "&nbsp;", "&#0;", "&#x1F600;", "&#13;", "&bogus;", "&", "<", ">", "]]>", "<![CDATA[x]]>",
    "<!-- c -->", "<?pi x?>", "<!DOCTYPE x>", '<!ENTITY a "b">', "\n", "\r\n", "\t", " ", "/cmd", "@", "#",
    "$", "${x}", "\x00", "\ud800", "\U0001f600",
]  # fmt: skip


OPEN_TAGS = [f"<{tag} {attr}>" for tag in TAGS for attr in ("", *ATTRS[:6])]
CLOSE_TAGS = [f"</{tag}>" for tag in TAGS]
LEAVES = [
    "plain text", " ", "\n  ", "/buy 10 AAPL", '<span class="entity" data-entity-id="0">@Bot</span>',
    '<span class="entity" data-entity-id="1">#tag</span>', '<mention uid="7"/>', '<hash tag="x"/>',
    '<emoji shortcode="smile"/>', "<br/>", '<a href="https://x">l</a>', "<chime/>", *PIECES,
]  # fmt: skip


def _wrap(tag_and_children: tuple[str, list[str]]) -> str:
    tag, children = tag_and_children
    return f"<{tag}>{''.join(children)}</{tag}>"


# Mostly well-formed trees (to reach the deep code paths) ...
nested_markup = st.recursive(
    st.sampled_from(LEAVES) | st.text(max_size=6),
    lambda inner: st.tuples(st.sampled_from(TAGS), st.lists(inner, max_size=3)).map(_wrap),
    max_leaves=10,
)
# ... and token soup, which is mostly broken.
soup_markup = st.lists(st.sampled_from(OPEN_TAGS + CLOSE_TAGS + LEAVES), max_size=15).map("".join)
markup = st.one_of(nested_markup, soup_markup)


entity_data = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=5,
    ).map(json.dumps),
    st.dictionaries(
        st.sampled_from(["0", "1"]),
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(
                    ["com.symphony.user.mention", "org.symphonyoss.taxonomy", "com.symphony.emoji"]
                ),
                "id": st.lists(
                    st.fixed_dictionaries(
                        {
                            "type": st.sampled_from(["com.symphony.user.userId", "x"]),
                            "value": st.integers() | st.text(),
                        }
                    ),
                    max_size=2,
                )
                | st.text(max_size=3),
                "data": st.dictionaries(
                    st.sampled_from(["annotation", "unicode"]), st.text(max_size=3) | st.integers()
                ),
            }
        ),
    ),
)


@MANY
@given(markup, entity_data)
def test_parser_fails_only_with_message_parse_error(source: str, data: Any) -> None:
    try:
        parsed = parse_message(source, data)
    except MessageParseError:
        return
    assert isinstance(parsed.text, str)
    assert all(isinstance(row, tuple) for table in parsed.tables for row in table)


@MANY
@given(st.text(max_size=200))
def test_parser_on_arbitrary_text(source: str) -> None:
    with contextlib.suppress(MessageParseError):
        parse_message(source)


@MANY
@given(markup)
def test_validator_fails_only_with_messageml_error(source: str) -> None:
    with contextlib.suppress(MessageMLError):
        validate_messageml(f"<messageML>{source}</messageML>")


ATTRIBUTE_SLOTS = [
    '<messageML><form id="f"><text-field name="a" maxlength="{v}" minlength="{v}"/>{button}</form>'
    "</messageML>",
    '<messageML><form id="f"><textarea name="{v}" required="{v}"/>{button}</form></messageML>',
    '<messageML><form id="{v}"><select name="s" multiple="{v}"><option value="{v}" selected="{v}">x</option>'
    "</select>{button}</form></messageML>",
    '<messageML><table><tr><td colspan="{v}" rowspan="{v}">x</td></tr></table></messageML>',
    '<messageML><mention uid="{v}"/><mention email="{v}"/><hash tag="{v}"/><emoji shortcode="{v}"/>'
    "</messageML>",
    '<messageML><a href="{v}">x</a><img src="{v}"/><expandable-card state="{v}"><header>h</header>'
    "<body>b</body></expandable-card></messageML>",
    '<messageML><ui-action trigger="{v}" action="{v}" target-id="{v}"><button>o</button></ui-action>'
    '<dialog id="{v}"><title>t</title><body>b</body></dialog></messageML>',
]


@MANY
@given(st.sampled_from(ATTRIBUTE_SLOTS), st.text(max_size=12))
def test_validator_on_random_attribute_values(template: str, value: str) -> None:
    document = template.format(v=escape_attr(value), button='<button name="go">Go</button>')
    with contextlib.suppress(MessageMLError):
        validate_messageml(document)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(
        st.sampled_from(
            ["payload", "symphonyElementsAction", "formId", "formValues", "stream", "streamId", "formStream",
             "actionStream", "initiator", "user", "userId", "message", "data", "action", "firstName"]
        ),
        children,
        max_size=4,
    ),
    max_leaves=6,
)  # fmt: skip


@MANY
@given(json_values)
def test_event_readers_tolerate_any_shape(event: Any) -> None:
    with contextlib.suppress(MessageParseError):
        FormSubmission.from_event(event)
    if isinstance(event, dict):
        elements = SymElementsParser()
        elements.get_stream_id(event)
        elements.get_form_values(event)
        elements.get_initiator_display_name(event)
        messages = SymMessageParser()
        try:
            messages.get_text(event)
            messages.get_mention_ids(event)
            messages.get_im_name(event)
        except MessageParseError:
            pass
