"""Writing outgoing messages: MessageML that is escaped by default.

Every ``str`` handed to the builder or to a helper is treated as text and escaped; a
:class:`~.escape.Fragment` (what the helpers below return; ``markupsafe.Markup`` too) is trusted markup and
inserted as-is. So ``builder.table([[bold("Total"), "1 < 2"]])`` does what it looks like::

    >>> MessageBuilder().text("Hi ").mention(12345).text(", see ").link("https://x.y").build()
    '<messageML>Hi <mention uid="12345"/>, see <a href="https://x.y">https://x.y</a></messageML>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from .errors import MessageMLError
from .escape import Fragment, escape_attr, escape_text, is_trusted, strip_invalid_xml_chars

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

    from .forms import Form

Content = str | Fragment | int | float
_ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "ftps://", "sftp://", "tel:")
_SHORTCODE = re.compile(r"^[A-Za-z0-9_+\-]{1,64}$")
# no whitespace, markup or template characters, and nothing XML cannot carry
_TAG_VALUE = re.compile("^[^\\s<>&\"'{}$#\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]{1,100}$")
CARD_STATES = ("collapsed", "expanded", "cropped")
_INT64_MAX = 2**63 - 1


def is_user_id(value: str) -> bool:
    """A user id as the pod accepts it: ASCII digits within int64 (``"²"`` is a digit to Python)."""
    return value.isascii() and value.isdigit() and int(value) <= _INT64_MAX


def text(value: Content) -> Fragment:
    """Escaped text; newlines become ``<br/>`` so line breaks stay visible."""
    if is_trusted(value):
        return escape_text(value)
    escaped = str(escape_text(str(value)))
    return Fragment(escaped.replace("\n", "<br/>") if "\n" in escaped else escaped)


def _wrap(tag: str, value: Content, attrs: str = "") -> Fragment:
    return Fragment(f"<{tag}{attrs}>{text(value)}</{tag}>")


def bold(value: Content) -> Fragment:
    return _wrap("b", value)


def italic(value: Content) -> Fragment:
    return _wrap("i", value)


def code(value: Content) -> Fragment:
    """Inline monospaced text."""
    return _wrap("code", value)


def pre(value: Content) -> Fragment:
    """Preformatted block: spaces and newlines are kept literally."""
    return Fragment(f"<pre>{escape_text(value)}</pre>")


def mention(user_id: int | str | None = None, *, email: str | None = None) -> Fragment:
    """Mention a user by id (preferred: stable) or by email address."""
    if user_id is not None:
        uid = str(user_id).strip()
        if not is_user_id(uid):
            raise MessageMLError(f"user id must be a positive integer, got {user_id!r}", element="mention")
        return Fragment(f'<mention uid="{uid}"/>')
    if email:
        if "@" not in email or any(c.isspace() for c in email):
            raise MessageMLError(f"not an email address: {email!r}", element="mention")
        return Fragment(f'<mention email="{escape_attr(email)}"/>')
    raise MessageMLError("a mention needs a user id or an email", element="mention")


def _tag(kind: Literal["hash", "cash"], tag: str) -> Fragment:
    value = str(tag).strip().removeprefix("#" if kind == "hash" else "$")
    if not _TAG_VALUE.match(value):
        raise MessageMLError(
            f"invalid {kind}tag {tag!r}: 1-100 characters, no spaces, quotes, braces, <, >, &, $ or #",
            element=kind,
        )
    return Fragment(f'<{kind} tag="{value}"/>')


def hashtag(tag: str) -> Fragment:
    """``#tag`` (a leading ``#`` is accepted and dropped)."""
    return _tag("hash", tag)


def cashtag(tag: str) -> Fragment:
    """``$TICKER`` (a leading ``$`` is accepted and dropped)."""
    return _tag("cash", tag)


def link(href: str, label: Content | None = None) -> Fragment:
    """A hyperlink; only http(s), mailto, ftp(s), sftp and tel URLs are accepted."""
    url = strip_invalid_xml_chars(str(href)).strip()
    if not url.lower().startswith(_ALLOWED_SCHEMES) or any(c.isspace() for c in url):
        raise MessageMLError(f"unsupported or malformed link {href!r}", element="a")
    return Fragment(f'<a href="{escape_attr(url)}">{text(url if label is None else label)}</a>')


def emoji(shortcode: str) -> Fragment:
    """An emoji by shortcode, e.g. ``emoji("thumbsup")`` (colons are optional)."""
    value = str(shortcode).strip().strip(":")
    if not _SHORTCODE.match(value):
        raise MessageMLError(f"invalid emoji shortcode {shortcode!r}", element="emoji")
    return Fragment(f'<emoji shortcode="{value}"/>')


def _list(items: Iterable[Content], ordered: bool) -> Fragment:
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li>{text(item)}</li>" for item in items)
    return Fragment(f"<{tag}>{body}</{tag}>")


def bullet_list(items: Iterable[Content]) -> Fragment:
    return _list(items, ordered=False)


def numbered_list(items: Iterable[Content]) -> Fragment:
    return _list(items, ordered=True)


def table(
    rows: Iterable[Iterable[Content]],
    *,
    header: Iterable[Content] | None = None,
    footer: Iterable[Content] | None = None,
) -> Fragment:
    """A table; each cell is escaped text or trusted Fragment."""
    parts = ["<table>"]
    if header is not None:
        parts.append("<thead><tr>" + "".join(f"<th>{text(c)}</th>" for c in header) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{text(c)}</td>" for c in row) + "</tr>")
    parts.append("</tbody>")
    if footer is not None:
        parts.append("<tfoot><tr>" + "".join(f"<td>{text(c)}</td>" for c in footer) + "</tr></tfoot>")
    parts.append("</table>")
    return Fragment("".join(parts))


def card(
    header: Content, body: Content, *, icon_src: str | None = None, accent: str | None = None
) -> Fragment:
    """A card; ``accent`` is a Symphony colour class such as ``tempo-bg-color--blue``."""
    attrs = ""
    if icon_src is not None:
        attrs += f' iconSrc="{escape_attr(icon_src)}"'
    if accent is not None:
        attrs += f' accent="{escape_attr(accent)}"'
    return Fragment(f"<card{attrs}><header>{text(header)}</header><body>{text(body)}</body></card>")


def expandable_card(header: Content, body: Content, *, state: str = "collapsed") -> Fragment:
    if state not in CARD_STATES:
        raise MessageMLError(
            f"state must be one of {', '.join(CARD_STATES)}, got {state!r}", element="expandable-card"
        )
    return Fragment(
        f'<expandable-card state="{state}"><header>{text(header)}</header>'
        f'<body variant="default">{text(body)}</body></expandable-card>'
    )


class MessageBuilder:
    """Fluent MessageML builder; every method returns the builder, :meth:`build` the string."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._chime = False

    def _add(self, markup: str) -> Self:
        self._parts.append(markup)
        return self

    def text(self, value: Content) -> Self:
        """Escaped text; a :class:`~.escape.Fragment` is inserted as trusted markup."""
        return self._add(text(value))

    def raw(self, markup: str) -> Self:
        """Trusted MessageML inserted without escaping (check it with ``build(validate=True)``)."""
        return self._add(str(markup))

    def bold(self, value: Content) -> Self:
        return self._add(bold(value))

    def italic(self, value: Content) -> Self:
        return self._add(italic(value))

    def code(self, value: Content) -> Self:
        return self._add(code(value))

    def pre(self, value: Content) -> Self:
        return self._add(pre(value))

    def paragraph(self, value: Content) -> Self:
        return self._add(_wrap("p", value))

    def heading(self, value: Content, level: int = 1) -> Self:
        if level not in range(1, 7):
            raise MessageMLError(f"heading level must be 1-6, got {level!r}", element="h")
        return self._add(_wrap(f"h{level}", value))

    def line_break(self) -> Self:
        return self._add("<br/>")

    def mention(self, user_id: int | str | None = None, *, email: str | None = None) -> Self:
        return self._add(mention(user_id, email=email))

    def hashtag(self, tag: str) -> Self:
        return self._add(hashtag(tag))

    def cashtag(self, tag: str) -> Self:
        return self._add(cashtag(tag))

    def link(self, href: str, label: Content | None = None) -> Self:
        return self._add(link(href, label))

    def emoji(self, shortcode: str) -> Self:
        return self._add(emoji(shortcode))

    def bullet_list(self, items: Iterable[Content]) -> Self:
        return self._add(bullet_list(items))

    def numbered_list(self, items: Iterable[Content]) -> Self:
        return self._add(numbered_list(items))

    def table(
        self,
        rows: Iterable[Iterable[Content]],
        *,
        header: Iterable[Content] | None = None,
        footer: Iterable[Content] | None = None,
    ) -> Self:
        return self._add(table(rows, header=header, footer=footer))

    def card(
        self, header: Content, body: Content, *, icon_src: str | None = None, accent: str | None = None
    ) -> Self:
        return self._add(card(header, body, icon_src=icon_src, accent=accent))

    def expandable_card(self, header: Content, body: Content, *, state: str = "collapsed") -> Self:
        return self._add(expandable_card(header, body, state=state))

    def form(self, form: Form) -> Self:
        """Append an Elements form built with :class:`~.forms.Form`."""
        return self._add(form.to_markup())

    def chime(self) -> Self:
        """Make this message a chime; the pod accepts a chime only on its own."""
        self._chime = True
        return self

    def build(self, *, validate: bool = False) -> str:
        """The ``<messageML>`` document; ``validate=True`` runs :func:`validate_messageml`."""
        if self._chime:
            if self._parts:
                raise MessageMLError("a chime message cannot contain anything else", element="chime")
            result = "<messageML><chime/></messageML>"
        else:
            result = f"<messageML>{''.join(self._parts)}</messageML>"
        if validate:
            from .validator import validate_messageml

            validate_messageml(result)
        return result

    __str__ = build


def format_text(value: str) -> str:
    """A whole message made of escaped text (what the legacy ``MessageFormatter`` did)."""
    return MessageBuilder().text(value).build()


__all__ = [
    "CARD_STATES",
    "MessageBuilder",
    "bold",
    "bullet_list",
    "card",
    "cashtag",
    "code",
    "emoji",
    "expandable_card",
    "format_text",
    "hashtag",
    "italic",
    "link",
    "mention",
    "numbered_list",
    "pre",
    "table",
    "text",
]
