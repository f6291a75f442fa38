"""MessageML → PresentationML conversion and validation, as a Symphony pod does it on message create.

Pure functions, no I/O: the caller gives a ``resolve_user`` callback to turn ``<mention uid|email>`` into
a user id and display name. Parsing refuses DTDs, hence entity declarations (billion laughs,
external entities), instead of expanding them (see :func:`_parse`).

Output shape, matching what SDK fixtures show for real pods::

    <div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>Hi <span class="entity"
    data-entity-id="0">@Jane Doe</span></p></div>

plus the EntityJSON ``data``: the caller's own entities merged with the generated mention, hashtag,
cashtag and emoji entities (mention user ids are strings there, as real pods send them).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.entities import name2codepoint
from html.parser import HTMLParser
from typing import Any, NoReturn
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from .messageml_elements import (
    ALL_TAGS,
    BLOCK_TAGS,
    EMOJI_BY_SHORTCODE,
    FORBIDDEN_ATTRIBUTE_PREFIXES,
    SPECIAL_TAGS,
    VOID_TAGS,
    ElementsRuleError,
    check_form,
    check_input_placement,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "ORIGINAL_FORMAT",
    "ConvertedMessage",
    "MessageMLError",
    "ResolveUser",
    "convert",
    "parse_entity_data",
    "to_text",
]

ORIGINAL_FORMAT = "com.symphony.messageml.v2"
#: The real pod refuses very large messages; the bound also keeps a hostile body from pinning a CPU.
MAX_MESSAGE_CHARS = 1_000_000

MENTION_TYPE = "com.symphony.user.mention"
USER_ID_TYPE = "com.symphony.user.userId"
HASHTAG_TYPE = "org.symphonyoss.taxonomy"
HASHTAG_ID_TYPE = "org.symphonyoss.taxonomy.hashtag"
CASHTAG_TYPE = "org.symphonyoss.fin.security"
CASHTAG_ID_TYPE = "org.symphonyoss.fin.security.id.ticker"
EMOJI_TYPE = "com.symphony.emoji"
CHIME_SRC = "https://asset.symphony.com/symphony/audio/chime.mp3"

#: ``resolve_user(uid, email)`` → ``(user_id, display_name)`` or None when no such user exists.
ResolveUser = Callable[[int | None, str | None], tuple[int, str] | None]

_XML_BUILTIN_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


class MessageMLError(ValueError):
    """The message or its data is invalid; ``str(error)`` is the text for the 400 response."""


@dataclass
class ConvertedMessage:
    """The result of :func:`convert`: what the pod stores and returns in ``V4Message``."""

    presentation_ml: str
    entity_data: dict[str, Any]
    mentions: list[int] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    cashtags: list[str] = field(default_factory=list)
    form_ids: list[str] = field(default_factory=list)

    @property
    def data_json(self) -> str:
        """``V4Message.data``: EntityJSON as a string (``"{}"`` when there are no entities)."""
        if not self.entity_data:
            return "{}"
        return json.dumps(self.entity_data, separators=(",", ":"), ensure_ascii=False)


def parse_entity_data(data: str | None) -> dict[str, Any]:
    """Parse the ``data`` part of a message create: a JSON object, or empty."""
    if data is None or not data.strip():
        return {}
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise MessageMLError(
            f"Invalid data: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(parsed, dict):
        raise MessageMLError(f"Invalid data: EntityJSON must be a JSON object, got {type(parsed).__name__}")
    return parsed


def _replace_html_entities(text: str) -> str:
    """MessageML accepts HTML named entities (``&nbsp;``) that XML does not know: make them numeric."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_BUILTIN_ENTITIES or name not in name2codepoint:
            return match.group(0)
        return f"&#{name2codepoint[name]};"

    return _NAMED_ENTITY.sub(replace, text)


class _Refused(Exception):
    """A DTD in the markup (raised from an expat handler, caught by :func:`_parse`)."""


def _refuse_dtd(*_: Any) -> NoReturn:
    raise _Refused


def _parse(markup: str) -> Element:
    """The element tree of ``markup``, parsed by expat with every DTD refused.

    Without a DTD there are no entity declarations, so neither entity expansion (billion laughs)
    nor external entities (XXE) can happen; the handlers refuse them too should a DTD slip
    through. This replaces defusedxml, whose pure-Python parser set-up per message cost more than
    the parse itself: expat feeding the C ``TreeBuilder`` gives the same tree
    as ``ElementTree.fromstring`` (namespaced names as ``{uri}name``, comments and processing
    instructions dropped) with the same error texts and positions.
    """
    parser = expat.ParserCreate(None, "}")
    builder = TreeBuilder()
    parser.buffer_text = True

    def start(tag: str, attributes: dict[str, str]) -> None:
        # expat names namespaced tags and attributes "uri}local"; ElementTree's are "{uri}local"
        if "}" in tag:
            tag = "{" + tag
        for name in attributes:
            if "}" in name:
                attributes = {("{" + key if "}" in key else key): value for key, value in attributes.items()}
                break
        builder.start(tag, attributes)

    parser.StartElementHandler = start
    # expat has matched every end tag with its start already; the (C) TreeBuilder just closes the
    # element it has open, so the name needs no rewriting
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    try:
        parser.Parse(_replace_html_entities(markup), True)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)
        raise MessageMLError(
            f"Invalid MessageML: {reason} at line {exc.lineno}, column {exc.offset}"
        ) from None
    except _Refused:
        raise MessageMLError(
            "Invalid MessageML: DTDs and entity declarations are not allowed "
            f"(<!DOCTYPE> at line {parser.ErrorLineNumber}, column {parser.ErrorColumnNumber})"
        ) from None
    root: Element = builder.close()
    return root


class _Converter:
    """One conversion: walks the parsed MessageML tree, builds PresentationML, collects entities."""

    def __init__(self, resolve_user: ResolveUser, user_data: dict[str, Any]) -> None:
        self.resolve_user = resolve_user
        self.entities: dict[str, Any] = dict(user_data)
        self.result = ConvertedMessage(presentation_ml="", entity_data=self.entities)
        self._next_entity = 0

    def _new_entity_id(self, entity: dict[str, Any]) -> str:
        # Generated keys must not overwrite the caller's own EntityJSON keys.
        while str(self._next_entity) in self.entities:
            self._next_entity += 1
        key = str(self._next_entity)
        self.entities[key] = entity
        return key

    def _entity_span(self, text: str, entity: dict[str, Any]) -> Element:
        span = Element("span", {"class": "entity", "data-entity-id": self._new_entity_id(entity)})
        span.text = text
        return span

    # -- element rewrites -------------------------------------------------------------------------
    def _mention(self, element: Element) -> Element:
        uid_text, email = element.get("uid"), element.get("email")
        if not uid_text and not email:
            raise MessageMLError("Invalid MessageML: <mention> requires a 'uid' or an 'email' attribute")
        uid: int | None = None
        if uid_text:
            try:
                uid = int(uid_text)
            except ValueError:
                raise MessageMLError(
                    f"Invalid MessageML: <mention uid='{uid_text}'> is not a numeric user id"
                ) from None
        found = self.resolve_user(uid, email)
        if found is None:
            if uid is None:  # an unknown email has no id to point at: the pod renders the address as text
                span = Element("span")
                span.text = f"@{email}"
                return span
            found = (uid, str(uid))
        user_id, display_name = found
        self.result.mentions.append(user_id)
        entity = {
            "type": MENTION_TYPE,
            "version": "1.0",
            # a string, as real pods send it (message captures in the legacy SDK's docs and BDK's
            # fixtures); BDK int()s it, the legacy parser hands it over as is
            "id": [{"type": USER_ID_TYPE, "value": str(user_id)}],
        }
        return self._entity_span(f"@{display_name}", entity)

    def _tag(self, element: Element, prefix: str, entity_type: str, id_type: str) -> Element:
        value = element.get("tag")
        if not value:
            raise MessageMLError(f"Invalid MessageML: <{element.tag}> requires a 'tag' attribute")
        (self.result.hashtags if prefix == "#" else self.result.cashtags).append(value)
        entity = {"type": entity_type, "version": "1.0", "id": [{"type": id_type, "value": value}]}
        return self._entity_span(f"{prefix}{value}", entity)

    def _emoji(self, element: Element) -> Element:
        shortcode = element.get("shortcode")
        if not shortcode:
            raise MessageMLError("Invalid MessageML: <emoji> requires a 'shortcode' attribute")
        character = EMOJI_BY_SHORTCODE.get(shortcode)
        if character is None:
            span = Element("span")
            span.text = f":{shortcode}:"
            return span
        entity = {
            "type": EMOJI_TYPE,
            "version": "1.0",
            "data": {"annotation": shortcode, "family": "", "size": "normal", "unicode": character},
        }
        return self._entity_span(character, entity)

    def _card(self, element: Element, inside: tuple[bool, bool]) -> Element:
        attributes = {"class": "card barStyle"}
        if element.get("iconSrc"):
            attributes["data-icon-src"] = element.get("iconSrc", "")
        if element.get("accent"):
            attributes["data-accent-color"] = element.get("accent", "")
        card = Element("div", attributes)
        for child in element:
            if child.tag == "header":
                part = Element("div", {"class": "cardHeader"})
            elif child.tag == "body":
                part = Element("div", {"class": "cardBody"})
            else:
                raise MessageMLError(
                    f"Invalid MessageML: <card> may only contain <header> and <body>, found <{child.tag}>"
                )
            self._convert_children(child, part, inside)
            card.append(part)
            part.tail = child.tail
        return card

    def _expandable_card(self, element: Element, inside: tuple[bool, bool]) -> Element:
        state = element.get("state", "collapsed")
        if state not in ("collapsed", "expanded", "cropped"):
            raise MessageMLError(
                f"Invalid MessageML: <expandable-card state='{state}'>: "
                "expected collapsed, expanded or cropped"
            )
        card = Element("div", {"class": "expandable-card", "data-state": state})
        for child in element:
            if child.tag not in ("header", "body"):
                raise MessageMLError(
                    "Invalid MessageML: <expandable-card> may only contain <header> and <body>, "
                    f"found <{child.tag}>"
                )
            part_attributes = {"class": f"expandable-card-{child.tag}"}
            if child.tag == "body" and child.get("variant"):
                part_attributes["data-variant"] = child.get("variant", "")
            part = Element("div", part_attributes)
            self._convert_children(child, part, inside)
            card.append(part)
            part.tail = child.tail
        return card

    # -- tree walk --------------------------------------------------------------------------------
    def convert_element(self, element: Element, inside: tuple[bool, bool]) -> Element:
        tag = element.tag
        if not isinstance(tag, str) or tag not in ALL_TAGS:
            raise MessageMLError(f"Invalid MessageML: element <{tag}> is not allowed")
        inside_form, inside_dialog = inside
        try:
            check_input_placement(element, inside_form, inside_dialog)
            if tag == "form":
                check_form(element)
        except ElementsRuleError as exc:
            raise MessageMLError(f"Invalid MessageML: {exc}") from None
        if tag in SPECIAL_TAGS:  # one set lookup spares the plain tags the chain below
            return self._special(element, inside)
        return self._plain(element, inside)

    def _special(self, element: Element, inside: tuple[bool, bool]) -> Element:
        tag = element.tag
        if tag == "mention":
            return self._mention(element)
        if tag in ("hash", "tag"):
            return self._tag(element, "#", HASHTAG_TYPE, HASHTAG_ID_TYPE)
        if tag == "cash":
            return self._tag(element, "$", CASHTAG_TYPE, CASHTAG_ID_TYPE)
        if tag == "emoji":
            return self._emoji(element)
        if tag == "chime":
            return Element("audio", {"src": CHIME_SRC, "autoplay": "true"})
        if tag == "card":
            return self._card(element, inside)
        if tag == "expandable-card":
            return self._expandable_card(element, inside)
        if tag == "header":
            raise MessageMLError("Invalid MessageML: <header> is only allowed inside <card>")
        return self._plain(element, inside)  # <messageML> nested in itself: kept as the tree had it

    def _plain(self, element: Element, inside: tuple[bool, bool]) -> Element:
        """A tag copied to PresentationML with its safe attributes (the rules of its kind checked)."""
        tag = element.tag
        inside_form, inside_dialog = inside
        if tag == "a" and not element.get("href"):
            raise MessageMLError("Invalid MessageML: <a> requires an 'href' attribute")
        if tag == "img" and not element.get("src"):
            raise MessageMLError("Invalid MessageML: <img> requires a 'src' attribute")
        if tag == "form":
            self.result.form_ids.append(element.get("id", ""))
        attributes = {
            name: value
            for name, value in element.attrib.items()
            if not name.lower().startswith(FORBIDDEN_ATTRIBUTE_PREFIXES)
        }
        for name in ("href", "src"):
            if name not in attributes:  # most elements: no URL to check
                continue
            # browsers ignore whitespace and control characters inside the scheme: strip them all
            scheme = "".join(ch for ch in attributes[name] if ch > " ").lower()
            if scheme.startswith(("javascript:", "vbscript:")):
                raise MessageMLError(f"Invalid MessageML: <{tag} {name}> must not use a script scheme")
        converted = Element(tag, attributes)
        self._convert_children(
            element,
            converted,
            (inside_form or tag in ("form", "ui-action"), inside_dialog or tag == "dialog"),
        )
        return converted

    def _convert_children(self, source: Element, target: Element, inside: tuple[bool, bool]) -> None:
        target.text = source.text
        for child in source:
            converted = self.convert_element(child, inside)
            converted.tail = child.tail
            target.append(converted)


def _escape_text(text: str) -> str:
    """``html.escape(text, quote=False)``, without its three copies when nothing needs escaping."""
    if "&" in text or "<" in text or ">" in text:
        return html.escape(text, quote=False)
    return text


def _escape_attribute(value: str) -> str:
    """``html.escape(value, quote=True)``, without its copies when nothing needs escaping."""
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return html.escape(value, quote=True)
    return value


def _serialise(element: Element, out: list[str]) -> None:
    tag = element.tag
    out.append(f"<{tag}")
    for name, value in element.attrib.items():
        out.append(f' {name}="{_escape_attribute(value)}"')
    if tag in VOID_TAGS and not element.text and len(element) == 0:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            out.append(_escape_text(element.text))
        for child in element:
            _serialise(child, out)
            if child.tail:
                out.append(_escape_text(child.tail))
        out.append(f"</{tag}>")


def _presentation_root() -> Element:
    return Element("div", {"data-format": "PresentationML", "data-version": "2.0", "class": "wysiwyg"})


def convert(
    message: str, data: str | None = None, resolve_user: ResolveUser | None = None
) -> ConvertedMessage:
    """Validate ``message`` (MessageML, PresentationML or plain text) and convert it to PresentationML.

    Raises :class:`MessageMLError` (→ HTTP 400) with a message naming the problem: the line and column of
    a syntax error, the element and attribute of a rule violation, or the JSON error in ``data``.
    """
    if len(message) > MAX_MESSAGE_CHARS:
        raise MessageMLError(f"Invalid MessageML: message is {len(message)} characters, over the limit")
    user_data = parse_entity_data(data)
    converter = _Converter(resolve_user or (lambda uid, email: None), user_data)
    stripped = message.strip()
    root_out = _presentation_root()
    if stripped.startswith(("<messageML", "<div", "<?xml", "<!DOCTYPE")):
        source = _parse(stripped)
        if source.tag == "div":
            if source.get("data-format") != "PresentationML":
                raise MessageMLError(
                    "Invalid MessageML: the root element must be <messageML> "
                    '(or a <div data-format="PresentationML">)'
                )
        elif source.tag != "messageML":
            raise MessageMLError(
                f"Invalid MessageML: the root element must be <messageML>, not <{source.tag}>"
            )
        body = Element("body")
        converter._convert_children(source, body, (False, False))
        has_block = any(child.tag in BLOCK_TAGS for child in body)
        container = root_out if has_block else Element("p")
        container.text = body.text
        for child in list(body):
            container.append(child)
        if container is not root_out:
            root_out.append(container)
    else:
        # No <messageML> root: plain text, kept verbatim (``${...}`` templates included) and escaped.
        paragraph = Element("p")
        paragraph.text = message
        root_out.append(paragraph)
    out: list[str] = []
    _serialise(root_out, out)
    converter.result.presentation_ml = "".join(out)
    return converter.result


# Marks a line break coming from markup; newlines inside text are ordinary whitespace.
_LINE_BREAK = "\x00"


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append(_LINE_BREAK)
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace(_LINE_BREAK, " "))


def to_text(presentation_ml: str) -> str:
    """The visible text of a PresentationML message (for search and logs): tags dropped, spaces folded."""
    extractor = _TextExtractor()
    extractor.feed(presentation_ml)
    extractor.close()
    lines = ("".join(extractor.parts)).split(_LINE_BREAK)
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())
