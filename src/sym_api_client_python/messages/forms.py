"""Symphony Elements: building forms and reading their submissions.

Build::

    form = (Form("order")
            .text_field("qty", label="Quantity", required=True)
            .select("ticker", [("AAPL", "Apple"), ("MSFT", "Microsoft")])
            .button("submit", "Place order"))
    messageml = form.build()

Read submissions with :class:`~.submissions.FormSubmission` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .builder import Content, text
from .errors import MessageMLError
from .escape import Fragment, escape_attr, strip_invalid_xml_chars

# re-exported: submissions were first published from this module
from .submissions import FormSubmission, SubmissionUser, to_url_safe_id

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

AttrValue = str | int | bool | None
BUTTON_STYLES = (
    "primary",
    "secondary",
    "tertiary",
    "destructive",
    "primary-link",
    "secondary-link",
    "tertiary-link",
)


def element(
    tag: str, attrs: Mapping[str, AttrValue] | None = None, content: Content | None = None
) -> Fragment:
    """One MessageML element; None attributes are left out, booleans become "true"/"false"."""
    rendered = ""
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        rendered += f' {name}="{escape_attr(value)}"'
    if content is None:
        return Fragment(f"<{tag}{rendered}/>")
    return Fragment(f"<{tag}{rendered}>{text(content)}</{tag}>")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool = False


OptionLike = Option | tuple[str, str] | tuple[str, str, bool] | str


def _option(item: OptionLike) -> Option:
    if isinstance(item, Option):
        return item
    if isinstance(item, str):
        return Option(item, item)
    return Option(*item)


def _require_identifier(value: object, what: str, tag: str) -> str:
    # names come back verbatim as formValues keys, so refuse rather than silently alter them
    if not isinstance(value, str) or not value.strip():
        raise MessageMLError(f"{what} must be a non-empty string", element=tag)
    if strip_invalid_xml_chars(value) != value:
        raise MessageMLError(f"{what} {value!r} contains characters XML cannot carry", element=tag)
    return value


def _require_name(name: object, tag: str) -> str:
    _require_identifier(name, "name", tag)
    if name == "action":
        raise MessageMLError("the name 'action' is reserved for the clicked button", element=tag)
    return str(name)


class Form:
    """An Elements ``<form>``; input methods take Python values (``required=True``)."""

    def __init__(self, form_id: str, *, multi_submit: str | None = None) -> None:
        _require_identifier(form_id, "form id", "form")
        self.form_id = form_id
        self.multi_submit = multi_submit
        self._parts: list[str] = []
        self._names: dict[str, str] = {}

    # -- plumbing -----------------------------------------------------------------------
    def _add(self, markup: str) -> Self:
        self._parts.append(markup)
        return self

    def _input(
        self, tag: str, name: str, attrs: dict[str, AttrValue], content: Content | None = None
    ) -> Self:
        _require_name(name, tag)
        previous = self._names.get(name)
        if previous is not None and not (previous == tag and tag in ("radio", "checkbox")):
            raise MessageMLError(f"name {name!r} is already used in form {self.form_id!r}", element=tag)
        self._names[name] = tag
        return self._add(element(tag, {"name": name, **attrs}, content))

    # -- content ------------------------------------------------------------------------
    def header(self, value: Content, level: int = 4) -> Self:
        if level not in range(1, 7):
            raise MessageMLError(f"heading level must be 1-6, got {level!r}", element="h")
        return self._add(element(f"h{level}", None, value))

    def text(self, value: Content) -> Self:
        return self._add(element("p", None, value))

    def raw(self, markup: str) -> Self:
        """Trusted MessageML (e.g. from the builder helpers) inserted as-is."""
        return self._add(str(markup))

    # -- inputs -------------------------------------------------------------------------
    def text_field(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        masked: bool | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        pattern_error_message: str | None = None,
    ) -> Self:
        attrs: dict[str, AttrValue] = {
            "label": label,
            "placeholder": placeholder,
            "title": title,
            "required": required,
            "masked": masked,
            "minlength": min_length,
            "maxlength": max_length,
            "pattern": pattern,
            "pattern-error-message": pattern_error_message,
        }
        return self._input("text-field", name, attrs, value if value is not None else "")

    def textarea(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
    ) -> Self:
        attrs: dict[str, AttrValue] = {
            "label": label,
            "placeholder": placeholder,
            "title": title,
            "required": required,
            "minlength": min_length,
            "maxlength": max_length,
        }
        return self._input("textarea", name, attrs, value if value is not None else "")

    def checkbox(self, name: str, label: Content, *, value: str = "on", checked: bool = False) -> Self:
        return self._input("checkbox", name, {"value": value, "checked": checked}, label)

    def radio(self, name: str, label: Content, *, value: str = "on", checked: bool = False) -> Self:
        return self._input("radio", name, {"value": value, "checked": checked}, label)

    def select(
        self,
        name: str,
        options: Iterable[OptionLike],
        *,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        multiple: bool | None = None,
    ) -> Self:
        opts = [_option(o) for o in options]
        if not opts:
            raise MessageMLError(f"select {name!r} needs at least one option", element="select")
        if sum(o.selected for o in opts) > 1 and not multiple:
            raise MessageMLError(
                f"select {name!r} has several selected options but is not multiple", element="select"
            )
        body = Fragment(
            "".join(
                element("option", {"value": o.value, "selected": o.selected or None}, o.label) for o in opts
            )
        )
        attrs: dict[str, AttrValue] = {
            "label": label,
            "data-placeholder": placeholder,
            "title": title,
            "required": required,
            "multiple": multiple,
        }
        return self._input("select", name, attrs, body)

    def _picker(self, tag: str, name: str, **attrs: AttrValue) -> Self:
        return self._input(tag, name, {key.replace("_", "-"): value for key, value in attrs.items()})

    def person_selector(
        self,
        name: str,
        *,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
    ) -> Self:
        return self._picker(
            "person-selector", name, label=label, placeholder=placeholder, title=title, required=required
        )

    def date_picker(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        min: str | None = None,
        max: str | None = None,
        format: str | None = None,
    ) -> Self:
        """Dates are ISO ``YYYY-MM-DD`` strings."""
        return self._picker(
            "date-picker",
            name,
            value=value,
            label=label,
            placeholder=placeholder,
            title=title,
            required=required,
            min=min,
            max=max,
            format=format,
        )

    def time_picker(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        min: str | None = None,
        max: str | None = None,
        step: int | None = None,
        format: str | None = None,
    ) -> Self:
        """Times are ``HH:mm:ss`` strings; ``step`` is in seconds."""
        return self._picker(
            "time-picker",
            name,
            value=value,
            label=label,
            placeholder=placeholder,
            title=title,
            required=required,
            min=min,
            max=max,
            step=step,
            format=format,
        )

    def timezone_picker(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
    ) -> Self:
        """``value`` is an IANA zone such as ``Europe/London``."""
        return self._picker(
            "timezone-picker",
            name,
            value=value,
            label=label,
            placeholder=placeholder,
            title=title,
            required=required,
        )

    def country_selector(
        self,
        name: str,
        *,
        value: str | None = None,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        multiple: bool | None = None,
    ) -> Self:
        """``value`` holds ISO 3166 alpha-2 codes."""
        return self._picker(
            "country-selector",
            name,
            value=value,
            label=label,
            placeholder=placeholder,
            title=title,
            required=required,
            multiple=multiple,
        )

    def room_selector(
        self,
        name: str,
        *,
        label: str | None = None,
        placeholder: str | None = None,
        title: str | None = None,
        required: bool | None = None,
        multiple: bool | None = None,
    ) -> Self:
        return self._picker(
            "room-selector",
            name,
            label=label,
            placeholder=placeholder,
            title=title,
            required=required,
            multiple=multiple,
        )

    def table_select(
        self,
        name: str,
        rows: Sequence[Sequence[Content]],
        *,
        header: Sequence[Content] | None = None,
        footer: Sequence[Content] | None = None,
        selector: Literal["checkbox", "button"] = "checkbox",
        position: Literal["left", "right"] = "left",
        button_label: str = "Select",
    ) -> Self:
        """A table with one checkbox or button per row, named ``{name}-row-{n}`` (n from 1).

        A checked row arrives in ``formValues`` under its name; a clicked row button arrives as
        ``action``.
        """
        if selector not in ("checkbox", "button"):
            raise MessageMLError(
                f"selector must be 'checkbox' or 'button', got {selector!r}", element="table"
            )
        if position not in ("left", "right"):
            raise MessageMLError(f"position must be 'left' or 'right', got {position!r}", element="table")
        _require_name(name, "table")

        def with_control(cells: Sequence[Content], control: Fragment, cell_tag: str = "td") -> str:
            rendered = [element(cell_tag, None, c) for c in cells]
            control_cell = Fragment(f"<{cell_tag}>{control}</{cell_tag}>")
            ordered = [control_cell, *rendered] if position == "left" else [*rendered, control_cell]
            return "<tr>" + "".join(ordered) + "</tr>"

        parts = ["<table>"]
        if header is not None:
            parts.append("<thead>" + with_control(header, text(button_label), "th") + "</thead>")
        parts.append("<tbody>")
        for number, row in enumerate(rows, start=1):
            row_name = f"{name}-row-{number}"
            self._names[row_name] = selector
            if selector == "button":
                control = element("button", {"name": row_name, "type": "action"}, button_label)
            else:
                control = element("checkbox", {"name": row_name, "value": "on"}, "")
            parts.append(with_control(row, control))
        parts.append("</tbody>")
        if footer is not None:
            parts.append("<tfoot>" + with_control(footer, Fragment("")) + "</tfoot>")
        parts.append("</table>")
        return self._add("".join(parts))

    def button(
        self,
        name: str | None,
        label: Content,
        *,
        type: Literal["action", "reset"] = "action",
        style: str | None = None,
        icon: str | None = None,
    ) -> Self:
        """``style`` is one of :data:`BUTTON_STYLES` (sent as the ``class`` attribute)."""
        if type not in ("action", "reset"):
            raise MessageMLError(f"type must be 'action' or 'reset', got {type!r}", element="button")
        if type == "action":
            _require_name(name or "", "button")
        if style is not None and style not in BUTTON_STYLES:
            raise MessageMLError(
                f"style must be one of {', '.join(BUTTON_STYLES)}, got {style!r}", element="button"
            )
        return self._add(element("button", {"name": name, "type": type, "class": style, "icon": icon}, label))

    # -- output -------------------------------------------------------------------------
    def to_markup(self) -> Fragment:
        """The ``<form>`` element alone (to embed in a larger message or a dialog)."""
        attrs = {"id": self.form_id, "multi-submit": self.multi_submit}
        return Fragment(element("form", attrs, Fragment("".join(self._parts))))

    def build(self, *, validate: bool = True) -> str:
        """A complete ``<messageML>`` document holding this form, validated by default."""
        result = f"<messageML>{self.to_markup()}</messageML>"
        if validate:
            from .validator import validate_messageml

            validate_messageml(result)
        return result

    __str__ = build


def dialog(
    dialog_id: str,
    title: Content,
    body: Content,
    *,
    footer: Content | None = None,
    width: Literal["small", "medium", "large", "full-width"] = "medium",
    opener_label: Content = "Open",
) -> Fragment:
    """A button that opens a dialog, followed by the dialog (body may hold a Form's markup)."""
    _require_identifier(dialog_id, "dialog id", "dialog")
    opener = Fragment(
        f'<ui-action trigger="click" action="open-dialog" target-id="{escape_attr(dialog_id)}">'
        f"{element('button', None, opener_label)}</ui-action>"
    )
    inner = element("title", None, title) + element("body", None, body)
    if footer is not None:
        inner += element("footer", None, footer)
    return Fragment(opener + element("dialog", {"id": dialog_id, "width": width}, Fragment(inner)))


__all__ = [
    "BUTTON_STYLES",
    "Form",
    "FormSubmission",
    "Option",
    "SubmissionUser",
    "dialog",
    "element",
    "to_url_safe_id",
]
