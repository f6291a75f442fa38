"""Tables of the MessageML vocabulary the emulator accepts, and the Symphony Elements form rules.

Kept apart from :mod:`sympod.messageml` so the converter reads as an algorithm and this file as data.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

#: Plain HTML-like tags copied to PresentationML unchanged (attributes filtered by ``ALLOWED_ATTRIBUTES``).
PASSTHROUGH_TAGS = frozenset(
    {
        "p", "div", "span", "b", "strong", "i", "em", "u", "br", "hr", "a", "img", "code", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr",
        "td", "th", "caption", "colgroup", "col", "blockquote", "sub", "sup", "small", "label",
    }
)  # fmt: skip

#: Symphony Elements: kept verbatim in PresentationML so SDK parsers and the chat page can read them.
FORM_INPUT_TAGS = frozenset(
    {
        "text-field", "textarea", "select", "checkbox", "radio", "person-selector", "date-picker",
        "time-picker", "timezone-picker", "country-selector", "room-selector", "table-select",
    }
)  # fmt: skip
FORM_TAGS = FORM_INPUT_TAGS | {"form", "button", "option", "dialog", "title", "body", "footer", "ui-action"}

#: Tags rewritten by the converter (see messageml.py).
SPECIAL_TAGS = frozenset(
    {"messageML", "mention", "hash", "cash", "emoji", "chime", "card", "header", "expandable-card", "tag"}
)

ALL_TAGS = PASSTHROUGH_TAGS | FORM_TAGS | SPECIAL_TAGS

#: Tags serialised as self-closing (``<br/>``); every other element always gets an explicit end tag so
#: browsers building the DOM from PresentationML keep the nesting.
VOID_TAGS = frozenset({"br", "hr", "img", "col"})

#: Block-level tags: a message containing one of these at top level is not wrapped in ``<p>``.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr",
        "form", "card", "expandable-card", "dialog",
    }
)  # fmt: skip

#: Attributes with an executable meaning in a browser are never copied (the chat page renders messages).
FORBIDDEN_ATTRIBUTE_PREFIXES = ("on",)

#: The small set of emoji short codes the emulator renders as characters; others stay as ``:code:``.
EMOJI_BY_SHORTCODE: dict[str, str] = {
    "smiley": "\U0001f603", "smile": "\U0001f604", "grinning": "\U0001f600", "joy": "\U0001f602",
    "wink": "\U0001f609", "heart": "\u2764\ufe0f", "thumbsup": "\U0001f44d", "+1": "\U0001f44d",
    "thumbsdown": "\U0001f44e", "-1": "\U0001f44e", "tada": "\U0001f389", "rocket": "\U0001f680",
    "fire": "\U0001f525", "warning": "\u26a0\ufe0f", "white_check_mark": "\u2705", "x": "\u274c",
    "eyes": "\U0001f440", "clap": "\U0001f44f", "pray": "\U0001f64f", "100": "\U0001f4af",
    "wave": "\U0001f44b", "thinking_face": "\U0001f914", "sunny": "\u2600\ufe0f", "star": "\u2b50",
}  # fmt: skip


class ElementsRuleError(ValueError):
    """A Symphony Elements constraint is violated; the message names the offending element."""


def _is_action_button(element: Element) -> bool:
    return element.tag == "button" and element.get("type", "action") == "action"


def check_form(form: Element) -> None:
    """Enforce the form constraints a real pod checks before accepting a message.

    A form needs an ``id``, at least one action button, a ``name`` on every input and action button,
    options in every select, and no nested form.
    """
    form_id = form.get("id")
    if not form_id:
        raise ElementsRuleError("<form> requires an 'id' attribute")
    # a button wrapped in <ui-action> opens a dialog: it submits nothing, so needs no name
    dialog_openers = {button for wrapper in form.iter("ui-action") for button in wrapper.iter("button")}
    action_buttons = 0
    for child in form.iter():
        if child is form or child in dialog_openers:
            continue
        if child.tag == "form":
            raise ElementsRuleError(f"<form id='{form_id}'> cannot contain another <form>")
        if _is_action_button(child):
            action_buttons += 1
            if not child.get("name"):
                raise ElementsRuleError(f"<button> of type 'action' in form '{form_id}' requires a 'name'")
        elif child.tag == "button" and child.get("type") not in ("reset", "action"):
            raise ElementsRuleError(
                f"<button> in form '{form_id}' has type '{child.get('type')}'; expected 'action' or 'reset'"
            )
        if child.tag in FORM_INPUT_TAGS and not child.get("name"):
            raise ElementsRuleError(f"<{child.tag}> in form '{form_id}' requires a 'name' attribute")
        if child.tag == "select" and child.find("option") is None:
            raise ElementsRuleError(f"<select name='{child.get('name')}'> requires at least one <option>")
        if child.tag == "option" and child.get("value") is None:
            raise ElementsRuleError(f"<option> in form '{form_id}' requires a 'value' attribute")
    if action_buttons == 0:
        raise ElementsRuleError(f"The form with id '{form_id}' should have at least one action button")


def check_input_placement(element: Element, inside_form: bool, inside_dialog: bool) -> None:
    """Inputs and buttons only make sense in a form (or a dialog, whose body may hold a form).

    Buttons wrapped in ``<ui-action>`` (dialog openers) are allowed anywhere: the converter does not
    check the children of a ``<ui-action>`` against this rule."""
    if (element.tag in FORM_INPUT_TAGS or element.tag == "button") and not inside_form:
        raise ElementsRuleError(f"Element '{element.tag}' can only be a inner child of <form>")
    if element.tag in ("title", "footer") and not inside_dialog:
        raise ElementsRuleError(f"Element '{element.tag}' can only be a inner child of <dialog>")
    if element.tag == "dialog" and not element.get("id"):
        raise ElementsRuleError("<dialog> requires an 'id' attribute")
