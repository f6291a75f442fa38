"""Safe loading of PresentationML / MessageML into an element tree.

Messages come from the network, so parsing goes through defusedxml: entity declarations
(billion laughs) and external entities are refused. Input is wrapped in a private root element
so fragments and plain text parse too, and any ``<!DOCTYPE`` becomes a syntax error. HTML
named entities (``&nbsp;``, ``&eacute;`` ...) that real messages contain are not defined in
XML; they are turned into numeric references first instead of failing the whole message.
"""

from __future__ import annotations

import re
from html.entities import html5
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import MessageParseError

# The pod refuses messages far smaller than this; the cap bounds parse time and memory for
# anything that reaches us some other way.
MAX_MARKUP_CHARS = 1_000_000
ROOT_TAG = "_sym_root"

_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _named_to_numeric(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_PREDEFINED:
        return match.group(0)
    chars = html5.get(name + ";")
    if chars is None:
        return match.group(0)  # left for the XML parser to report as undefined
    return "".join(f"&#{ord(c)};" for c in chars)


def load_markup(markup: str | bytes, *, max_chars: int = MAX_MARKUP_CHARS) -> Element:
    """Parse markup into an element tree rooted at a private wrapper element.

    :raises MessageParseError: the input is not text, too large, not well-formed, or uses
        forbidden XML features.
    """
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    if not isinstance(markup, str):
        raise MessageParseError(f"message markup must be a string, not {type(markup).__name__}")
    if len(markup) > max_chars:
        raise MessageParseError(f"message markup is {len(markup)} characters, above the {max_chars} limit")
    if "&" in markup:
        markup = _NAMED_ENTITY.sub(_named_to_numeric, markup)
    if markup.lstrip().startswith("<?xml"):
        markup = _XML_DECLARATION.sub("", markup, count=1)
    try:
        return fromstring(f"<{ROOT_TAG}>{markup}</{ROOT_TAG}>")
    except ParseError as exc:
        raise MessageParseError(f"message markup is not well-formed XML: {_describe(exc)}") from None
    except DefusedXmlException as exc:
        raise MessageParseError(f"message markup uses a forbidden XML feature: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. expat refusing odd input
        raise MessageParseError(f"message markup cannot be parsed: {exc}") from None


def _describe(exc: ParseError) -> str:
    # expat reports positions in the wrapped text; shift the column back on line 1.
    position = getattr(exc, "position", None)
    reason = str(exc).split(":", 1)[0]
    if position:
        line, column = position
        if line == 1:
            column = max(0, column - len(ROOT_TAG) - 2)
        return f"{reason} at line {line}, column {column}"
    return reason


def local_name(tag: object) -> str:
    """Tag name without an XML namespace (``{uri}div`` -> ``div``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


__all__ = ["MAX_MARKUP_CHARS", "ROOT_TAG", "load_markup", "local_name"]
