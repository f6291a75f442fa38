"""Escaping text for MessageML.

Two hazards besides the usual XML ones: the pod runs every message through Freemarker, so a
literal ``${`` or ``#{`` in user text would be evaluated as a template expression; and XML 1.0
forbids most control characters even as character references. We escape ``{`` as ``&#123;``:
Freemarker then never sees ``${``/``#{`` whatever precedes the brace (so concatenating escaped
pieces stays safe), while the XML parser turns the reference back into ``{`` for the reader.
"""

from __future__ import annotations

import re


class Fragment(str):
    """Trusted MessageML markup (what the builder helpers return).

    A plain ``str`` subclass: ``Fragment + Fragment`` stays a Fragment, anything else concatenates
    into a plain ``str``, never escaping the other operand behind your back as
    :class:`markupsafe.Markup` does (``"<messageML>" + Markup(x)`` escapes the tag).
    ``__html__`` marks it as already escaped for the builder and for Jinja2.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str.__str__(self)

    def __add__(self, other: str) -> str:
        result = str.__add__(self, other)
        return Fragment(result) if hasattr(other, "__html__") else result

    def __radd__(self, other: str) -> str:
        if not isinstance(other, str):
            return NotImplemented
        result = str.__add__(other, self)
        return Fragment(result) if hasattr(other, "__html__") else result


def is_trusted(value: object) -> bool:
    """Already-escaped markup: a :class:`Fragment` or anything with ``__html__`` (``Markup``)."""
    return hasattr(value, "__html__")


# One pass with str.translate, so an inserted "&#123;" is never escaped a second time.
_TEXT_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "{": "&#123;",
    # A literal CR would be normalised to LF by the XML parser; the reference survives.
    "\r": "&#13;",
}
_TEXT_TABLE = str.maketrans(_TEXT_ESCAPES)
# Inside attributes a literal newline or tab is normalised to a space by XML parsers.
_ATTR_TABLE = str.maketrans({**_TEXT_ESCAPES, "\n": "&#10;", "\t": "&#9;"})
# Characters XML 1.0 does not allow in a document, even escaped.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def strip_invalid_xml_chars(text: str) -> str:
    """Remove the characters an XML 1.0 document cannot contain (NUL, most C0 controls,
    lone surrogates, U+FFFE/U+FFFF); a reader would not see them anyway."""
    return _INVALID_XML_CHARS.sub("", text)


def escape_text(text: object) -> Fragment:
    """Escape a value for use as MessageML text content.

    ``<``, ``>``, ``&``, quotes and ``{`` become references, characters XML cannot carry are
    dropped. Newlines are kept as they are: use :class:`~.builder.MessageBuilder` (which
    turns them into ``<br/>``) when line breaks must be visible.
    Trusted markup (a :class:`Fragment` or :class:`markupsafe.Markup`) is returned unchanged.
    """
    if hasattr(text, "__html__"):
        return Fragment(text.__html__())
    return Fragment(strip_invalid_xml_chars(str(text)).translate(_TEXT_TABLE))


def escape_attr(value: object) -> str:
    """Escape a value for use inside a double-quoted MessageML attribute."""
    return strip_invalid_xml_chars(str(value)).translate(_ATTR_TABLE)


__all__ = ["Fragment", "escape_attr", "escape_text", "is_trusted", "strip_invalid_xml_chars"]
