"""Legacy ``FormBuilder(form_id)``: builds an Elements form as a MessageML string.

Same methods and arguments as 1.x (string ``'true'``/``'false'`` flags; Python booleans are
accepted too), with its bugs fixed:

- ``add_dropdown_menu``: ``required`` comes from tuple index 1 and ``selected`` from index 3,
  as documented (1.x swapped them);
- ``add_table_selector`` works for all four position/type combinations (two raised
  ``NameError``), no longer nests the header cells inside the checkbox cell, and emits
  ``<checkbox>`` controls (1.x emitted ``<input>``, which MessageML does not allow);
- the form id and every value are escaped;
- ``add_header`` accepts only ``h1``..``h6``.

Kept on purpose: ``add_text_field`` masks the field by default (``masked='true'``), as 1.x did;
pass ``masked='false'`` for a normal field, or use :class:`~..messages.forms.Form`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..messages.errors import MessageMLError
from ..messages.escape import Fragment, escape_attr
from ..messages.forms import AttrValue, element

_HEADER_TAGS = frozenset(f"h{n}" for n in range(1, 7))


def _flag(value: Any, name: str, tag: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise MessageMLError(f"{name} must be 'true' or 'false', got {value!r}", element=tag)
    return text


class FormBuilder:
    """Accumulates form elements in ``self.messageML``; :meth:`format_element` wraps them."""

    def __init__(self, form_id: str) -> None:
        self.form_id = form_id
        self.messageML = ""

    def _append(self, markup: str) -> None:
        # keep messageML a plain str whatever the fragments are
        self.messageML = str(self.messageML) + str(markup)

    def format_element(self) -> dict[str, str]:
        """``{'message': '<messageML><form id="...">...</form></messageML>'}``."""
        form = f'<form id="{escape_attr(self.form_id)}">{self.messageML}</form>'
        return {"message": f"<messageML>{form}</messageML>"}

    def add_header(self, text: str, size: str) -> None:
        """``size`` is the heading tag, ``'h1'``..``'h6'``."""
        if size not in _HEADER_TAGS:
            raise MessageMLError(f"size must be one of h1..h6, got {size!r}", element="header")
        self._append(element(size, None, text))

    def add_button(self, name: str, display: str, type: str = "action") -> None:
        self._append(element("button", {"name": name, "type": type}, display))

    def add_text_field(
        self,
        name: str,
        display: str,
        placeholder: str = "",
        required: Any = "true",
        masked: Any = "true",
        maxlength: int = 128,
        minlength: int = 1,
    ) -> None:
        attrs: dict[str, AttrValue] = {
            "name": name,
            "placeholder": placeholder,
            "required": _flag(required, "required", "text-field"),
            "masked": _flag(masked, "masked", "text-field"),
            "maxlength": int(maxlength),
            "minlength": int(minlength),
        }
        self._append(element("text-field", attrs, display))

    def add_text_area(self, name: str, display: str, placeholder: str = "", required: Any = "true") -> None:
        attrs = {
            "name": name,
            "placeholder": placeholder,
            "required": _flag(required, "required", "textarea"),
        }
        self._append(element("textarea", attrs, display))

    def add_check_box(self, name: str, display: str, value: str = "on", checked: Any = "false") -> None:
        attrs = {"name": name, "value": value, "checked": _flag(checked, "checked", "checkbox")}
        self._append(element("checkbox", attrs, display))

    def add_radio_button(self, name: str, display: str, value: str = "on", checked: Any = "false") -> None:
        attrs = {"name": name, "value": value, "checked": _flag(checked, "checked", "radio")}
        self._append(element("radio", attrs, display))

    def add_dropdown_menu(self, dropdown_group: Sequence[Sequence[Any]]) -> None:
        """A ``<select>`` from ``(name, required, value, selected, text)`` tuples, one per option;
        the name and ``required`` of the first tuple apply to the select."""
        if not dropdown_group:
            raise MessageMLError(
                "dropdown_group needs at least one (name, required, value, selected, text)", element="select"
            )
        for item in dropdown_group:
            if len(item) != 5:
                raise MessageMLError(
                    f"dropdown items are (name, required, value, selected, text), got {item!r}",
                    element="select",
                )
        name, required = dropdown_group[0][0], dropdown_group[0][1]
        options = Fragment(
            "".join(
                element("option", {"value": value, "selected": _flag(selected, "selected", "option")}, label)
                for _, _, value, selected, label in dropdown_group
            )
        )
        self._append(
            element("select", {"name": name, "required": _flag(required, "required", "select")}, options)
        )

    def add_person_selector(self, name: str, placeholder: str = "", required: Any = "false") -> None:
        attrs = {
            "name": name,
            "placeholder": placeholder,
            "required": _flag(required, "required", "person-selector"),
        }
        self._append(element("person-selector", attrs))

    def add_table_selector(
        self,
        position: str,
        type: str,
        type_name: str,
        header_list: Sequence[str],
        body_list: Sequence[Sequence[str]],
        footer_list: Sequence[str],
    ) -> None:
        """A table with a control column on the ``'left'`` or ``'right'``.

        ``type`` ``'button'``: row buttons named ``type_name + n`` (n from 1), footer button
        ``footer``. ``type`` ``'checkbox'``: row checkboxes ``type_name + n``, header checkbox
        ``table-header``, footer checkbox ``table-footer``.
        """
        if position not in ("left", "right"):
            raise MessageMLError(f"position must be 'left' or 'right', got {position!r}", element="table")
        if type not in ("button", "checkbox"):
            raise MessageMLError(f"type must be 'button' or 'checkbox', got {type!r}", element="table")

        def control(name: str) -> Fragment:
            if type == "button":
                return element("button", {"name": name, "type": "action"}, "Button")
            return element("checkbox", {"name": name, "value": "on"}, "")

        def row(cells: Sequence[str], control_cell: Fragment) -> str:
            rendered = [element("td", None, cell) for cell in cells]
            ordered = [control_cell, *rendered] if position == "left" else [*rendered, control_cell]
            return "<tr>" + "".join(ordered) + "</tr>"

        header_control = (
            element("td", None, "Select")
            if type == "button"
            else element("td", None, control("table-header"))
        )
        parts = ["<table>", "<thead>", row(header_list, header_control), "</thead>", "<tbody>"]
        for number, cells in enumerate(body_list, start=1):
            parts.append(row(cells, element("td", None, control(f"{type_name}{number}"))))
        parts += ["</tbody>", "<tfoot>"]
        footer_name = "footer" if type == "button" else "table-footer"
        parts += [row(footer_list, element("td", None, control(footer_name))), "</tfoot>", "</table>"]
        self._append("".join(parts))

    # Names of the 0.1.x releases, before the methods lost their "_to_form" suffix.
    add_button_to_form = add_button
    add_text_field_to_form = add_text_field
    add_text_area_to_form = add_text_area
    add_check_box_to_form = add_check_box
    add_radio_button_to_form = add_radio_button
    add_dropdown_menu_to_form = add_dropdown_menu
    add_person_selector_to_form = add_person_selector
    add_table_selector_to_form = add_table_selector


__all__ = ["FormBuilder"]
