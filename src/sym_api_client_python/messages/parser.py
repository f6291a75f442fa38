"""Reading incoming messages: PresentationML + EntityJSON -> :class:`ParsedMessage`.

Text follows what a reader sees: ``<br/>`` and block elements (``p``, ``div``, headings, list
items, table rows, cards) start new lines; line breaks and indentation in the markup source
are formatting and read as a single space; spaces and tabs typed in the text are kept; in
``<pre>`` everything is kept. Entities read as their text (``@Jane Doe``, ``#tag``, ``$AAPL``).
Table cells are separated by a tab; form controls (their labels, options, default values) each
take a line. MessageML (our own output) is understood as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from xml.etree.ElementTree import Element

from .entities import (
    CASHTAG_ENTITY,
    CASHTAG_ID_TYPE,
    EMOJI_ENTITY,
    EMOJI_UNICODE,
    HASHTAG_ENTITY,
    HASHTAG_ID_TYPE,
    MENTION_ENTITY,
    MENTION_ID_TYPE,
    Emoji,
    Link,
    Mention,
    as_user_id,
    entity_id_value,
    load_entity_data,
)
from .presentationml import MAX_MARKUP_CHARS, load_markup, local_name

Table = tuple[tuple[str, ...], ...]

_BLOCK_TAGS = frozenset(
    {
        "messageML", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
        "table", "thead", "tbody", "tfoot", "tr", "pre", "blockquote", "hr", "card",
        "header", "body", "expandable-card", "form", "dialog", "title", "footer",
        # each form control sits on its own line for a reader
        "text-field", "textarea", "checkbox", "radio", "select", "option", "button", "person-selector",
        "date-picker", "time-picker", "timezone-picker", "country-selector", "room-selector",
    }
)  # fmt: skip
# A run of whitespace that contains a newline is source formatting, not content.
_FORMATTING_RUN = re.compile(r"[ \t]*\n[ \t\n]*")


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """The structure of one message. Lists are tuples so a parsed message can be shared."""

    text: str
    mentions: tuple[Mention, ...] = ()
    hashtags: tuple[str, ...] = ()
    cashtags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    emojis: tuple[Emoji, ...] = ()
    tables: tuple[Table, ...] = ()
    has_chime: bool = False
    command: str | None = None
    args: tuple[str, ...] = ()
    entities: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def mention_ids(self) -> tuple[int, ...]:
        """User ids of the mentions whose id is known, in order."""
        return tuple(m.user_id for m in self.mentions if m.user_id is not None)

    @property
    def words(self) -> list[str]:
        """The text split on whitespace."""
        return self.text.split()

    def mentions_user(self, user_id: int | str) -> bool:
        return as_user_id(user_id) in self.mention_ids


def parse_message(
    presentationml: str | bytes,
    data: str | bytes | Mapping[str, Any] | None = None,
    *,
    max_chars: int = MAX_MARKUP_CHARS,
) -> ParsedMessage:
    """Parse a message body (``V4Message.message``) and its entity JSON (``V4Message.data``).

    :raises MessageParseError: malformed or hostile markup, or ``data`` that is not a JSON object.
    """
    entities = load_entity_data(data)
    root = load_markup(presentationml, max_chars=max_chars)
    walker = _TextWalker(entities)
    walker.walk(root)
    return walker.result()


def parse_v4_message(message: Mapping[str, Any]) -> ParsedMessage:
    """Parse a ``V4Message`` dict (as found in ``payload.messageSent.message``)."""
    return parse_message(message.get("message") or "", message.get("data"))


class _TextWalker:
    """One pass over the tree, iterative so that deep nesting cannot exhaust the stack."""

    def __init__(self, entities: Mapping[str, Any]) -> None:
        self.entities = entities
        self.parts: list[str] = []  # never holds an empty string
        self.pending_newline = False
        self.pending_space = False
        self.pre_depth = 0
        self.mentions: list[Mention] = []
        self.hashtags: list[str] = []
        self.cashtags: list[str] = []
        self.links: list[Link] = []
        self.emojis: list[Emoji] = []
        self.tables: list[list[list[str]]] = []
        self.has_chime = False
        # index in parts where the command starts: after leading mentions and whitespace
        self.command_start = 0
        self.only_mentions_so_far = True
        self._link_starts: dict[int, int] = {}
        self._cell_starts: dict[int, int] = {}

    # -- output -------------------------------------------------------------------------
    def _emit(self, chunk: str) -> None:
        if not chunk:
            return
        parts = self.parts
        if parts and (self.pending_newline or self.pending_space):
            last = parts[-1][-1]
            if self.pending_newline:
                if last != "\n":
                    parts.append("\n")
            elif last not in " \t\n" and chunk[0] not in " \t\n":
                parts.append(" ")
        self.pending_newline = self.pending_space = False
        parts.append(chunk)

    def _line_break(self) -> None:
        parts = self.parts
        if self.pending_newline and parts and parts[-1][-1] != "\n":
            parts.append("\n")
        self.pending_newline = self.pending_space = False
        parts.append("\n")

    def _text(self, text: str) -> None:
        if not text:
            return
        if self.pre_depth or "\n" not in text:
            self._emit(text)
        else:
            pieces = _FORMATTING_RUN.split(text)
            if pieces[0]:
                self._emit(pieces[0])
            for piece in pieces[1:]:
                self.pending_space = True
                if piece:
                    self._emit(piece)
        if self.only_mentions_so_far and text.strip():
            self.only_mentions_so_far = False

    # -- traversal ----------------------------------------------------------------------
    def walk(self, root: Element) -> None:
        stack: list[tuple[Element, str, bool]] = [(root, local_name(root.tag), False)]
        push, pop = stack.append, stack.pop
        while stack:
            element, tag, closing = pop()
            if closing:
                self._close(element, tag)
            elif self._open(element, tag):
                push((element, tag, True))
                if element.text:
                    self._text(element.text)
                for child in reversed(element):
                    child_tag = child.tag
                    if child_tag.__class__ is not str or child_tag[:1] == "{":
                        child_tag = local_name(child_tag)
                    push((child, child_tag, False))
                continue
            if element.tail:
                self._text(element.tail)

    def _open(self, element: Element, tag: str) -> bool:
        """Handle a start tag; False means the element was consumed whole (no children walk)."""
        if tag in _BLOCK_TAGS:
            self.pending_newline = True
            if tag == "pre":
                self.pre_depth += 1
            elif tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.tables[-1].append([])
            return True
        if tag in ("td", "th"):
            if self.tables and self.tables[-1] and self.tables[-1][-1]:
                self._emit("\t")
            self._cell_starts[id(element)] = len(self.parts)
            return True
        if tag == "br":
            self._line_break()
            return False
        if tag == "span" and element.get("data-entity-id") is not None:
            return not self._entity_span(element)
        if tag == "a":
            self._link_starts[id(element)] = len(self.parts)
            return True
        if tag == "mention":
            return not self._messageml_mention(element)
        if tag in ("hash", "cash"):
            value = element.get("tag", "").strip()
            prefix = "#" if tag == "hash" else "$"
            (self.hashtags if tag == "hash" else self.cashtags).append(value)
            self._emit_entity_text(prefix + value)
            return False
        if tag == "emoji":
            shortcode = element.get("shortcode", "")
            unicode = EMOJI_UNICODE.get(shortcode, "")
            self.emojis.append(Emoji(shortcode, unicode))
            self._emit_entity_text(unicode or f":{shortcode}:")
            return False
        if tag == "chime" or (tag == "audio" and "chime" in element.get("src", "")):
            self.has_chime = True
            return False
        return True

    def _close(self, element: Element, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.pending_newline = True
            if tag == "pre":
                self.pre_depth -= 1
        elif tag in ("td", "th"):
            start = self._cell_starts.pop(id(element), len(self.parts))
            if self.tables and self.tables[-1]:
                self.tables[-1][-1].append("".join(self.parts[start:]).strip())
        elif tag == "a":
            start = self._link_starts.pop(id(element), len(self.parts))
            href = element.get("href", "")
            text = "".join(self.parts[start:]).strip()
            if not text and href:
                self._text(href)
                text = href
            self.links.append(Link(href, text))

    # -- entities -----------------------------------------------------------------------
    def _emit_entity_text(self, text: str, *, is_mention: bool = False) -> None:
        self._emit(text)
        if is_mention and self.only_mentions_so_far:
            self.command_start = len(self.parts)
        elif not is_mention:
            self.only_mentions_so_far = False

    def _entity_span(self, span: Element) -> bool:
        """Classify an entity span; False when it is not one we know (walk it as text)."""
        entity = self.entities.get(span.get("data-entity-id", ""))
        text = "".join(span.itertext())
        kind = entity.get("type") if isinstance(entity, Mapping) else None
        stripped = text.strip()
        if kind == EMOJI_ENTITY:
            info = entity.get("data") if isinstance(entity, Mapping) else None
            info = info if isinstance(info, Mapping) else {}
            shortcode = str(info.get("annotation") or "")
            unicode = str(info.get("unicode") or EMOJI_UNICODE.get(shortcode, ""))
            self.emojis.append(Emoji(shortcode, unicode))
            self._emit_entity_text(stripped or unicode or f":{shortcode}:")
            return True
        # fast paths for the declared kinds; then classify by id type or displayed prefix
        if kind == MENTION_ENTITY:
            user_id = entity_id_value(entity, MENTION_ID_TYPE)
            self.mentions.append(Mention(as_user_id(user_id), stripped.removeprefix("@")))
            self._emit_entity_text(stripped, is_mention=True)
            return True
        if kind == HASHTAG_ENTITY:
            hashtag = entity_id_value(entity, HASHTAG_ID_TYPE)
            self.hashtags.append(hashtag if hashtag is not None else stripped.removeprefix("#"))
            self._emit_entity_text(stripped)
            return True
        user_id = entity_id_value(entity, MENTION_ID_TYPE)
        if user_id is not None or (entity is None and stripped.startswith("@")):
            self.mentions.append(Mention(as_user_id(user_id), stripped.removeprefix("@")))
            self._emit_entity_text(stripped, is_mention=True)
            return True
        hashtag = entity_id_value(entity, HASHTAG_ID_TYPE)
        if hashtag is not None or kind == HASHTAG_ENTITY or (entity is None and stripped.startswith("#")):
            self.hashtags.append(hashtag if hashtag is not None else stripped.removeprefix("#"))
            self._emit_entity_text(stripped)
            return True
        cashtag = entity_id_value(entity, CASHTAG_ID_TYPE)
        if cashtag is not None or (entity is None and stripped.startswith("$")):
            self.cashtags.append(cashtag if cashtag is not None else stripped.removeprefix("$"))
            self._emit_entity_text(stripped)
            return True
        if kind == CASHTAG_ENTITY and stripped.startswith("$"):
            self.cashtags.append(stripped.removeprefix("$"))
            self._emit_entity_text(stripped)
            return True
        return False

    def _messageml_mention(self, element: Element) -> bool:
        uid = element.get("uid")
        email = element.get("email")
        if uid is None and email is None:
            return False
        display = "".join(element.itertext()).strip().removeprefix("@") or (email or uid or "")
        self.mentions.append(Mention(as_user_id(uid) if uid is not None else None, display, email))
        self._emit_entity_text("@" + display, is_mention=True)
        return True

    # -- result -------------------------------------------------------------------------
    def result(self) -> ParsedMessage:
        text = "".join(self.parts)
        command: str | None = None
        args: tuple[str, ...] = ()
        tokens = "".join(self.parts[self.command_start :]).split()
        if tokens and tokens[0].startswith("/") and len(tokens[0]) > 1:
            command, args = tokens[0], tuple(tokens[1:])
        return ParsedMessage(
            text=text,
            mentions=tuple(self.mentions),
            hashtags=tuple(self.hashtags),
            cashtags=tuple(self.cashtags),
            links=tuple(self.links),
            emojis=tuple(self.emojis),
            tables=tuple(tuple(tuple(row) for row in table) for table in self.tables),
            has_chime=self.has_chime,
            command=command,
            args=args,
            entities=MappingProxyType(dict(self.entities)),
        )


__all__ = ["ParsedMessage", "Table", "parse_message", "parse_v4_message"]
