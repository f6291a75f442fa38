"""Messages in and out: parse PresentationML, build and validate MessageML, Elements forms,
Jinja2 templates.

    >>> from sym_api_client_python.messages import parse_message, MessageBuilder
    >>> parse_message("<div><p>/buy 10 AAPL</p></div>").args
    ('10', 'AAPL')

Names are imported lazily so that ``import sym_api_client_python.messages`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_LAZY: dict[str, str] = {
    "MessageParseError": "errors",
    "MessageMLError": "errors",
    "ParsedMessage": "parser",
    "parse_message": "parser",
    "parse_v4_message": "parser",
    "Mention": "entities",
    "Link": "entities",
    "Emoji": "entities",
    "MessageBuilder": "builder",
    "format_text": "builder",
    "text": "builder",
    "bold": "builder",
    "italic": "builder",
    "code": "builder",
    "pre": "builder",
    "mention": "builder",
    "hashtag": "builder",
    "cashtag": "builder",
    "link": "builder",
    "emoji": "builder",
    "bullet_list": "builder",
    "numbered_list": "builder",
    "table": "builder",
    "card": "builder",
    "expandable_card": "builder",
    "escape_text": "escape",
    "escape_attr": "escape",
    "Fragment": "escape",
    "validate_messageml": "validator",
    "Form": "forms",
    "Option": "forms",
    "FormSubmission": "submissions",
    "SubmissionUser": "submissions",
    "dialog": "forms",
    "render_template": "templates",
    "template_environment": "templates",
}

if TYPE_CHECKING:  # pragma: no cover
    from .builder import (
        MessageBuilder,
        bold,
        bullet_list,
        card,
        cashtag,
        code,
        emoji,
        expandable_card,
        format_text,
        hashtag,
        italic,
        link,
        mention,
        numbered_list,
        pre,
        table,
        text,
    )
    from .entities import Emoji, Link, Mention
    from .errors import MessageMLError, MessageParseError
    from .escape import Fragment, escape_attr, escape_text
    from .forms import Form, Option, dialog
    from .parser import ParsedMessage, parse_message, parse_v4_message
    from .submissions import FormSubmission, SubmissionUser
    from .templates import render_template, template_environment
    from .validator import validate_messageml

__all__ = [
    "Emoji",
    "Form",
    "FormSubmission",
    "Fragment",
    "Link",
    "Mention",
    "MessageBuilder",
    "MessageMLError",
    "MessageParseError",
    "Option",
    "ParsedMessage",
    "SubmissionUser",
    "bold",
    "bullet_list",
    "card",
    "cashtag",
    "code",
    "dialog",
    "emoji",
    "escape_attr",
    "escape_text",
    "expandable_card",
    "format_text",
    "hashtag",
    "italic",
    "link",
    "mention",
    "numbered_list",
    "parse_message",
    "parse_v4_message",
    "pre",
    "render_template",
    "table",
    "template_environment",
    "text",
    "validate_messageml",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
