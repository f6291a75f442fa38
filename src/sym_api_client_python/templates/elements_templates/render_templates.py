"""The legacy ``render_*`` helpers: render one Elements snippet with its sample data.

Each function takes the path of a template file, as in 1.x (``render_button('forms/button.html')``);
a relative path that does not exist from the current directory is looked up next to this
module, and no argument at all renders the shipped template. Rendering goes through
:func:`~sym_api_client_python.messages.templates.render_template`, so values are escaped.
The sample dicts are module attributes, as they were, and can be edited or copied.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ...messages.templates import render_template

HERE = Path(__file__).resolve().parent

form_template: dict[str, Any] = {"form_id": "example-form-id"}

button_template: dict[str, Any] = {"name": "example-button", "type": "action", "text": "Submit"}

text_field_template: dict[str, Any] = {
    "name": "example-text-field",
    "placeholder": "example-placeholder",
    "required": "true",
    "masked": "true",
    "minlength": 1,
    "maxlength": 128,
}

text_area_template: dict[str, Any] = {
    "name": "example-text-area",
    "placeholder": "example-placeholder",
    "required": "true",
}

checkbox_template: dict[str, Any] = {
    "name": "example-name",
    "value": "example-value",
    "checked": "false",
    "text": "Red",
}

radio_button_template: dict[str, Any] = {
    "name": "example-name",
    "value": "example-value",
    "checked": "false",
    "text": "Red",
}

# 1.x marked two options selected in a single select, which the pod rejects; one here.
dropdown_menu_template: dict[str, Any] = {
    "name": "dropdown-name",
    "required": "true",
    "options": [
        {"value": "value1", "selected": "true", "text": "First Option"},
        {"value": "value2", "selected": "false", "text": "Second Option"},
        {"value": "value3", "selected": "false", "text": "Third Option"},
    ],
}

person_selector_template: dict[str, Any] = {
    "name": "person-selector-name",
    "placeholder": "example-placeholder",
    "required": "true",
}

table_select_template: dict[str, Any] = {
    "select": {"position": "left", "type": "button"},
    "header_list": ["H1", "H2", "H3"],
    "body": [["A1", "B1", "C1"], ["A2", "B2", "C2"], ["A3", "B3", "C3"]],
    "footer_list": ["F1", "F2", "F3"],
}


def _resolve(path: str | os.PathLike[str] | None, default: str) -> Path:
    if path is None:
        return HERE / "forms" / default
    candidate = Path(path)
    if candidate.is_file() or candidate.is_absolute():
        return candidate
    return HERE / candidate


def _render(path: str | os.PathLike[str] | None, default: str, data: dict[str, Any]) -> str:
    return render_template(_resolve(path, default), **data)


def render_form(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "form.html", form_template)


def render_button(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "button.html", button_template)


def render_text_field(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "text_field.html", text_field_template)


def render_text_area(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "text_area.html", text_area_template)


def render_checkbox(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "checkbox.html", checkbox_template)


def render_radio_button(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "radio_button.html", radio_button_template)


def render_dropdown_menu(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "dropdown_menu.html", dropdown_menu_template)


def render_person_selector(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "person_selector.html", person_selector_template)


def render_table_select(path_to_html_form: str | os.PathLike[str] | None = None) -> str:
    return _render(path_to_html_form, "table_select.html", table_select_template)


__all__ = [
    "button_template",
    "checkbox_template",
    "dropdown_menu_template",
    "form_template",
    "person_selector_template",
    "radio_button_template",
    "render_button",
    "render_checkbox",
    "render_dropdown_menu",
    "render_form",
    "render_person_selector",
    "render_radio_button",
    "render_table_select",
    "render_text_area",
    "render_text_field",
    "table_select_template",
    "text_area_template",
    "text_field_template",
]
