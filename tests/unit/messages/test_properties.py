"""Property tests: text survives build -> parse, and the builders never emit invalid MessageML."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import fromstring

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sym_api_client_python.messages import (
    Form,
    MessageBuilder,
    MessageMLError,
    bold,
    parse_message,
    validate_messageml,
)

MANY = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Every character an XML 1.0 document can carry (the builder drops the others, see escape.py).
xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
        + ["\ufffe", "\uffff"],
    ),
    max_size=80,
)
# Anything at all, control characters and lone surrogates included.
any_text = st.text(max_size=40)
tricky_text = st.one_of(
    any_text,
    st.sampled_from(
        ["${x}", "#{y}", "<#list>", "]]>", "&amp;", "<b>", '"', "'", "\r\n", "$", "{", "\x00", "a b"]
    ),
)


def assert_valid(messageml: str) -> None:
    validate_messageml(messageml)
    fromstring(messageml)  # independent check with the stdlib parser


@MANY
@given(xml_text)
def test_text_round_trips_through_builder_and_parser(value: str) -> None:
    messageml = MessageBuilder().text(value).build()
    assert parse_message(messageml).text == value


@MANY
@given(xml_text, xml_text)
def test_paragraphs_read_back_as_lines(first: str, second: str) -> None:
    # a line break that ends a block adds no line of its own (as in HTML), hence the assumption
    assume(not first.endswith("\n") and not second.endswith("\n"))
    messageml = MessageBuilder().paragraph(first).paragraph(second).build()
    lines = [line for line in (first, second) if line]
    assert parse_message(messageml).text == "\n".join(lines)


def _apply(builder: MessageBuilder, op: str, value: Any, extra: Any) -> None:
    operations: dict[str, Callable[[], object]] = {
        "text": lambda: builder.text(value),
        "bold": lambda: builder.bold(value),
        "italic": lambda: builder.italic(value),
        "code": lambda: builder.code(value),
        "pre": lambda: builder.pre(value),
        "paragraph": lambda: builder.paragraph(value),
        "heading": lambda: builder.heading(value, extra % 8),
        "mention": lambda: builder.mention(extra),
        "mention_email": lambda: builder.mention(email=value),
        "hashtag": lambda: builder.hashtag(value),
        "cashtag": lambda: builder.cashtag(value),
        "link": lambda: builder.link(value, value),
        "https_link": lambda: builder.link("https://example.com/" + value, value),
        "emoji": lambda: builder.emoji(value),
        "list": lambda: builder.bullet_list([value, bold(value)]),
        "table": lambda: builder.table([[value, value]], header=[value], footer=[value]),
        "card": lambda: builder.card(value, value, icon_src=value, accent=value),
        "expandable": lambda: builder.expandable_card(value, value, state=value),
        "line_break": lambda: builder.line_break(),
    }
    # refusing bad input with a clear error is the other allowed outcome
    with contextlib.suppress(MessageMLError):
        operations[op]()


@MANY
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "text", "bold", "italic", "code", "pre", "paragraph", "heading", "mention",
                    "mention_email", "hashtag", "cashtag", "link", "https_link", "emoji", "list", "table",
                    "card", "expandable", "line_break",
                ]
            ),
            tricky_text,
            st.integers(min_value=-5, max_value=2**63),
        ),
        max_size=6,
    )
)  # fmt: skip
def test_builder_never_produces_invalid_messageml(operations: list[tuple[str, str, int]]) -> None:
    builder = MessageBuilder()
    for op, value, extra in operations:
        _apply(builder, op, value, extra)
    assert_valid(builder.build())


@MANY
@given(
    form_id=tricky_text,
    names=st.lists(tricky_text, min_size=1, max_size=4),
    label=tricky_text,
    kind=st.sampled_from(
        ["text_field", "textarea", "checkbox", "radio", "select", "person_selector", "table"]
    ),
)
def test_form_builder_output_is_valid_or_refused(
    form_id: str, names: list[str], label: str, kind: str
) -> None:
    try:
        form = Form(form_id)
        for name in names:
            if kind == "select":
                form.select(name, [(label, label), ("x", label, True)], placeholder=label)
            elif kind == "table":
                form.table_select(name, [[label]], header=[label])
            elif kind in ("checkbox", "radio"):
                getattr(form, kind)(name, label, value=label)
            else:
                getattr(form, kind)(name, placeholder=label)
        form.button("submit", label)
        messageml = form.build(validate=False)
    except MessageMLError:
        return
    assert_valid(messageml)
