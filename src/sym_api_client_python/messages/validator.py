"""Checking MessageML before it is sent, with the rules the pod enforces.

The pod answers 400 to invalid MessageML with a terse message; this validator says which
element is wrong and why: unknown tags or attributes, missing required attributes, Elements
form rules (an id, at least one action button, named inputs, unique names, inputs only inside
a form), select/option structure, table structure, chime alone, Freemarker markers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

from .builder import is_user_id
from .entities import load_entity_data
from .errors import MessageMLError, MessageParseError
from .presentationml import load_markup, local_name

_GLOBAL_ATTRS = frozenset({"class", "style"})
_LABELLED = frozenset({"name", "label", "title", "placeholder", "required", "value"})
_ENTITY_ATTRS = frozenset(
    {"data-entity-id", "data-icon-src", "data-accent-color", "data-format", "data-version"}
)

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "messageML": frozenset(),
    "div": _ENTITY_ATTRS,
    "span": _ENTITY_ATTRS,
    "p": frozenset(),
    **{tag: frozenset() for tag in ("b", "i", "em", "strong", "pre", "code", "br", "hr", "ul", "ol", "li")},
    **{f"h{n}": frozenset() for n in range(1, 7)},
    **{tag: frozenset() for tag in ("table", "thead", "tbody", "tfoot", "tr", "header", "title", "footer")},
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src"}),
    "card": frozenset({"iconSrc", "accent"}),
    "body": frozenset({"variant"}),
    "expandable-card": frozenset({"state"}),
    "mention": frozenset({"uid", "email", "strict"}),
    "hash": frozenset({"tag"}),
    "cash": frozenset({"tag"}),
    "emoji": frozenset({"shortcode", "family", "size"}),
    "chime": frozenset(),
    "form": frozenset({"id", "multi-submit"}),
    "button": frozenset({"name", "type", "icon", "title"}),
    "text-field": _LABELLED
    | {"masked", "maxlength", "minlength", "pattern", "pattern-error-message", "auto-submit"},
    "textarea": _LABELLED | {"maxlength", "minlength", "pattern", "pattern-error-message"},
    "checkbox": frozenset({"name", "value", "checked"}),
    "radio": frozenset({"name", "value", "checked"}),
    "select": _LABELLED | {"multiple", "min", "max", "data-placeholder", "auto-submit"},
    "option": frozenset({"value", "selected"}),
    "person-selector": _LABELLED | {"multiple"},
    "date-picker": _LABELLED | {"min", "max", "disabled-date", "highlighted-date", "format"},
    "time-picker": _LABELLED | {"min", "max", "disabled-time", "format", "step", "strict"},
    "timezone-picker": _LABELLED | {"disabled-timezone"},
    "country-selector": _LABELLED | {"multiple"},
    "room-selector": _LABELLED | {"multiple"},
    "ui-action": frozenset({"action", "target-id", "trigger"}),
    "dialog": frozenset({"id", "width", "state"}),
}

FORM_INPUTS = frozenset(
    {
        "text-field", "textarea", "checkbox", "radio", "select", "person-selector", "date-picker",
        "time-picker", "timezone-picker", "country-selector", "room-selector",
    }
)  # fmt: skip
_GROUPED_INPUTS = frozenset({"radio", "checkbox"})  # several controls may share one name
_BOOLEAN_ATTRS = frozenset({"required", "masked", "checked", "selected", "multiple", "strict", "auto-submit"})
_PARENTS: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "option": frozenset({"select"}),
    "header": frozenset({"card", "expandable-card"}),
    "body": frozenset({"card", "expandable-card", "dialog"}),
    "title": frozenset({"dialog"}),
    "footer": frozenset({"dialog"}),
}
_LENGTH_LIMITS = {"text-field": 128, "textarea": 10_000}
_FREEMARKER = re.compile(r"\$\{|#\{|<#|</#|<@")
_URL = re.compile(r"^(https?://|mailto:|ftps?://|sftp://|tel:)\S+$", re.IGNORECASE)


def validate_messageml(
    messageml: str,
    data: str | Mapping[str, Any] | None = None,
    *,
    allow_freemarker: bool = False,
) -> None:
    """Raise :class:`MessageMLError` naming the first element the pod would reject.

    ``data`` (EntityJSON), when given, must define every ``data-entity-id`` used.
    ``allow_freemarker`` accepts ``${...}`` and ``#{...}`` interpolations (which the pod
    evaluates against ``data``); directives such as ``<#list>`` are never valid XML here.
    """
    if not isinstance(messageml, str):
        raise MessageMLError(f"MessageML must be a string, not {type(messageml).__name__}")
    marker = _FREEMARKER.search(messageml)
    if marker and (not allow_freemarker or marker.group(0) in ("<#", "</#", "<@")):
        raise MessageMLError(
            f"raw Freemarker marker {marker.group(0)!r} at offset {marker.start()}: "
            "the pod would evaluate it; "
            "escape the text (MessageBuilder does) or pass allow_freemarker=True with data"
        )
    try:
        wrapper = load_markup(messageml)
        entities = load_entity_data(data) if data is not None else None
    except MessageParseError as exc:
        raise MessageMLError(str(exc)) from None
    roots = list(wrapper)
    if len(roots) != 1 or (wrapper.text or "").strip() or (roots[0].tail or "").strip():
        raise MessageMLError("the document must be exactly one <messageML> element")
    root = roots[0]
    if local_name(root.tag) != "messageML":
        raise MessageMLError(f"the root element must be <messageML>, not <{local_name(root.tag)}>")
    _Checker(entities).check(root)


class _Checker:
    def __init__(self, entities: Mapping[str, Any] | None) -> None:
        self.entities = entities
        self.dialog_ids: set[str] = set()
        self.dialog_targets: list[str] = []

    def check(self, root: Element) -> None:
        chimes = root.findall(".//chime")
        if chimes and (len(root) != 1 or (root.text or "").strip() or (root[0].tail or "").strip()):
            raise MessageMLError("a chime must be the only content of its message", element="chime")
        # iterative walk carrying (element, parent tag, enclosing form)
        stack: list[tuple[Element, str | None, _FormState | None]] = [(root, None, None)]
        while stack:
            element, parent, form = stack.pop()
            tag = local_name(element.tag)
            form = self._check_element(element, tag, parent, form)
            stack.extend((child, tag, form) for child in reversed(element))
        for target in self.dialog_targets:
            if target not in self.dialog_ids:
                raise MessageMLError(
                    f"target-id {target!r} does not match any <dialog id>", element="ui-action"
                )

    def _check_element(
        self, element: Element, tag: str, parent: str | None, form: _FormState | None
    ) -> _FormState | None:
        allowed = ALLOWED_ATTRIBUTES.get(tag)
        if allowed is None:
            raise MessageMLError("this tag is not allowed in MessageML", element=tag or str(element.tag))
        for attr, value in element.attrib.items():
            name = local_name(attr)
            if name not in allowed and name not in _GLOBAL_ATTRS:
                raise MessageMLError(f"attribute {name!r} is not allowed", element=tag)
            if name in _BOOLEAN_ATTRS and value not in ("true", "false"):
                raise MessageMLError(
                    f'attribute {name!r} must be "true" or "false", got {value!r}', element=tag
                )
        expected_parents = _PARENTS.get(tag)
        if expected_parents is not None and parent not in expected_parents:
            raise MessageMLError(f"must be inside <{'> or <'.join(sorted(expected_parents))}>", element=tag)
        if tag == "button" and parent == "ui-action":
            return form  # a dialog opener: no name, no enclosing form needed
        checker = getattr(self, "_check_" + tag.replace("-", "_"), None)
        if checker is not None:
            checker(element)
        if tag == "form":
            if form is not None:
                raise MessageMLError("forms cannot be nested", element="form")
            return _FormState.open(element)
        if tag in FORM_INPUTS or tag == "button":
            if form is None:
                raise MessageMLError("Elements must be inside a <form>", element=tag)
            form.add(element, tag)
        return form

    # -- per-tag rules ------------------------------------------------------------------
    def _check_a(self, element: Element) -> None:
        if not _URL.match(element.get("href", "")):
            raise MessageMLError(
                f"href must be an http(s), mailto, ftp or tel URL, got {element.get('href')!r}", element="a"
            )

    def _check_img(self, element: Element) -> None:
        if not element.get("src"):
            raise MessageMLError("src is required", element="img")

    def _check_mention(self, element: Element) -> None:
        uid, email = element.get("uid"), element.get("email")
        if uid is None and not email:
            raise MessageMLError("uid or email is required", element="mention")
        if uid is not None and not is_user_id(uid):
            raise MessageMLError(f"uid must be a number, got {uid!r}", element="mention")

    def _check_hash(self, element: Element) -> None:
        _require_tag_attr(element, "hash")

    def _check_cash(self, element: Element) -> None:
        _require_tag_attr(element, "cash")

    def _check_emoji(self, element: Element) -> None:
        if not element.get("shortcode"):
            raise MessageMLError("shortcode is required", element="emoji")

    def _check_expandable_card(self, element: Element) -> None:
        state = element.get("state", "collapsed")
        if state not in ("collapsed", "expanded", "cropped"):
            raise MessageMLError(
                f"state must be collapsed, expanded or cropped, got {state!r}", element="expandable-card"
            )
        if element.find("header") is None or element.find("body") is None:
            raise MessageMLError("needs a <header> and a <body>", element="expandable-card")

    def _check_td(self, element: Element) -> None:
        for attr in ("colspan", "rowspan"):
            value = element.get(attr)
            if value is not None and not (_is_number(value) and int(value) > 0):
                raise MessageMLError(
                    f"{attr} must be a positive integer, got {value!r}", element=local_name(element.tag)
                )

    _check_th = _check_td

    def _check_span(self, element: Element) -> None:
        entity_id = element.get("data-entity-id")
        if entity_id is not None and self.entities is not None and entity_id not in self.entities:
            raise MessageMLError(f"data-entity-id {entity_id!r} is not defined in data", element="span")

    _check_div = _check_span

    def _check_select(self, element: Element) -> None:
        options = [child for child in element if local_name(child.tag) == "option"]
        if not options:
            raise MessageMLError(
                f"select {element.get('name')!r} needs at least one <option>", element="select"
            )
        selected = sum(1 for option in options if option.get("selected") == "true")
        if selected > 1 and element.get("multiple") != "true":
            raise MessageMLError(
                f"select {element.get('name')!r} has {selected} selected options but is not multiple",
                element="select",
            )

    def _check_option(self, element: Element) -> None:
        if element.get("value") is None:
            raise MessageMLError("value is required", element="option")

    def _check_button(self, element: Element) -> None:
        kind = element.get("type", "action")
        if kind not in ("action", "reset", "cancel"):
            raise MessageMLError(f"type must be action, reset or cancel, got {kind!r}", element="button")
        if kind == "action" and not element.get("name"):
            raise MessageMLError(
                "an action button needs a name (it is sent back as formValues.action)", element="button"
            )

    def _check_form(self, element: Element) -> None:
        if not element.get("id"):
            raise MessageMLError("id is required", element="form")

    def _check_dialog(self, element: Element) -> None:
        dialog_id = element.get("id")
        if not dialog_id:
            raise MessageMLError("id is required", element="dialog")
        if element.find("title") is None or element.find("body") is None:
            raise MessageMLError(f"dialog {dialog_id!r} needs a <title> and a <body>", element="dialog")
        self.dialog_ids.add(dialog_id)

    def _check_ui_action(self, element: Element) -> None:
        action = element.get("action")
        if action != "open-dialog":
            raise MessageMLError(f'action must be "open-dialog", got {action!r}', element="ui-action")
        trigger = element.get("trigger", "click")
        if trigger != "click":
            raise MessageMLError(f'trigger must be "click", got {trigger!r}', element="ui-action")
        target = element.get("target-id")
        if not target:
            raise MessageMLError("target-id is required", element="ui-action")
        self.dialog_targets.append(target)


def _is_number(value: str) -> bool:
    # str.isdigit alone accepts "²" and other digits int() refuses
    return value.isascii() and value.isdigit() and len(value) < 10


def _require_tag_attr(element: Element, tag: str) -> None:
    value = element.get("tag", "")
    if not value.strip() or any(c.isspace() for c in value):
        raise MessageMLError(f"tag must be a non-empty word, got {value!r}", element=tag)


class _FormState:
    """Names and buttons seen in one form; the last input closes the checks at the end."""

    def __init__(self, form_id: str) -> None:
        self.form_id = form_id
        self.names: dict[str, str] = {}
        self.has_action_button = False

    @classmethod
    def open(cls, element: Element) -> _FormState:
        state = cls(element.get("id", ""))
        # Whole-form checks need every descendant, so run them now on the subtree.
        openers = {id(b) for ui in element.iter("ui-action") for b in ui.iter("button")}
        for child in element.iter("button"):
            if child.get("type", "action") == "action" and id(child) not in openers:
                state.has_action_button = True
        if not state.has_action_button:
            raise MessageMLError(
                f'form {state.form_id!r} needs at least one <button type="action">', element="form"
            )
        return state

    def add(self, element: Element, tag: str) -> None:
        if tag == "button":
            return
        name = element.get("name")
        if not name:
            raise MessageMLError(f"name is required (form {self.form_id!r})", element=tag)
        if name == "action":
            raise MessageMLError("the name 'action' is reserved for the clicked button", element=tag)
        previous = self.names.get(name)
        if previous is not None and not (previous == tag and tag in _GROUPED_INPUTS):
            raise MessageMLError(f"name {name!r} is used twice in form {self.form_id!r}", element=tag)
        self.names[name] = tag
        limit = _LENGTH_LIMITS.get(tag)
        if limit is not None:
            _check_lengths(element, tag, limit)


def _check_lengths(element: Element, tag: str, limit: int) -> None:
    bounds: dict[str, int] = {}
    for attr in ("minlength", "maxlength"):
        value = element.get(attr)
        if value is None:
            continue
        if not _is_number(value):
            raise MessageMLError(f"{attr} must be an integer, got {value!r}", element=tag)
        bounds[attr] = int(value)
        if bounds[attr] > limit:
            raise MessageMLError(f"{attr} must be at most {limit}, got {value}", element=tag)
    if bounds.get("minlength", 0) > bounds.get("maxlength", limit):
        raise MessageMLError("minlength is greater than maxlength", element=tag)


__all__ = ["ALLOWED_ATTRIBUTES", "FORM_INPUTS", "validate_messageml"]
