"""Templates: autoescaping, the render helper, and every shipped template renders valid MessageML."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from sym_api_client_python.messages import parse_message, render_template, validate_messageml
from sym_api_client_python.messages.templates import render_string
from sym_api_client_python.templates.elements_templates import render_templates
from sym_api_client_python.templates.expense_approval_form.freemarker_templates import (
    expense_approval_class,
    format_json,
    generate_expense_approval_table,
)
from sym_api_client_python.templates.expense_approval_form.jinja_templates import (
    render_expense_approval_form as jinja_expense,
)

ExpenseApprovalForm = expense_approval_class.ExpenseApprovalForm
convert_to_dict = format_json.convert_to_dict
generate_add_expense_form = generate_expense_approval_table.generate_add_expense_form
generate_remove_expense_form = generate_expense_approval_table.generate_remove_expense_form
generate_table = generate_expense_approval_table.generate_expense_approval_table
TEMPLATE_NAMES = jinja_expense.TEMPLATE_NAMES
render_expense_approval_form = jinja_expense.render_expense_approval_form

FORM_PIECES = [
    "render_button",
    "render_text_field",
    "render_text_area",
    "render_checkbox",
    "render_radio_button",
    "render_dropdown_menu",
    "render_person_selector",
    "render_table_select",
]


def in_form(piece: str) -> str:
    return f'<messageML><form id="t">{piece}<button name="go">Go</button></form></messageML>'


@pytest.mark.parametrize("function", FORM_PIECES)
def test_each_legacy_snippet_renders_valid_messageml(function: str) -> None:
    validate_messageml(in_form(getattr(render_templates, function)()))


def test_form_template_is_a_whole_form() -> None:
    rendered = render_templates.render_form()
    assert rendered.startswith('<form id="example-form-id">')
    validate_messageml(f"<messageML>{rendered}</messageML>")


@pytest.mark.parametrize(
    ("position", "kind"), [(p, k) for p in ("left", "right") for k in ("button", "checkbox")]
)
def test_table_select_template_all_modes(position: str, kind: str) -> None:
    data = dict(render_templates.table_select_template, select={"position": position, "type": kind})
    rendered = render_template("elements_templates/forms/table_select.html", **data)
    validate_messageml(in_form(rendered))
    table = parse_message(rendered).tables[0]
    assert len(table) == 5 and table[1][0 if position == "left" else -1] == (
        "Select" if kind == "button" else ""
    )
    if kind == "checkbox":
        assert 'name="tablesel-footer"' in rendered and 'name="tablesel-header"' in rendered


def test_legacy_relative_path_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # 1.x: render_button('forms/button.html') from the templates folder, or from anywhere
    monkeypatch.chdir(tmp_path)
    assert render_templates.render_button("forms/button.html").startswith('<button name="example-button"')
    own = tmp_path / "mine.html"
    own.write_text("<b>{{ text }}</b>")
    assert render_templates.render_button(own) == "<b>Submit</b>"
    assert render_templates.render_button(os.fspath(own)) == "<b>Submit</b>"


def test_autoescape_including_freemarker_markers(tmp_path: Path) -> None:
    page = tmp_path / "hello.html"
    page.write_text('<messageML>Hi {{ name }} <a href="{{ url }}">x</a> {{ mention(uid) }}</messageML>')
    rendered = render_template(page, name="<b>${secret}</b>", url='https://x.io/?a="1"', uid=42)
    assert rendered == (
        '<messageML>Hi &lt;b&gt;$&#123;secret}&lt;/b&gt; <a href="https://x.io/?a=&quot;1&quot;">x</a> '
        '<mention uid="42"/></messageML>'
    )
    validate_messageml(rendered)


def test_render_string_and_none() -> None:
    assert render_string("<p>{{ a }}|{{ b }}</p>", a=None, b=3) == "<p>|3</p>"


def test_undefined_variable_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'text' is undefined"):
        render_template("elements_templates/forms/checkbox.html", name="n")


def test_unknown_template() -> None:
    with pytest.raises(jinja2.TemplateNotFound):
        render_template("nope/missing.html")


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_expense_templates_render_valid_messageml(name: str) -> None:
    validate_messageml(render_expense_approval_form(name))


def test_expense_report_flow() -> None:
    report = ExpenseApprovalForm("Trip <1>", "Visit", "Jo")
    report.upload_expenses([("Taxi", "2024-01-01", "12.5"), ("Lunch", "2024-01-02", 20)])
    report.upload_expenses([("Tea", "2024-01-02", 3)])
    assert report.remove_item(2)["expense_name"] == "Tea"
    assert report.total == 32.5
    with pytest.raises(IndexError, match="no expense at index 5"):
        report.remove_item(5)
    with pytest.raises(ValueError, match="price must be a number"):
        report.upload_expenses([("Bad", "2024-01-01", "abc")])
    data = {"ExpenseApprovalForm": convert_to_dict(report)}
    table = generate_table(data)
    validate_messageml(table["message"])
    parsed = parse_message(table["message"])
    assert parsed.tables[0][-1] == ("", "Total", "", "32.50")
    assert "Trip <1>" in parsed.text
    for generate in (generate_add_expense_form, generate_remove_expense_form):
        result = generate(convert_to_dict(report))
        validate_messageml(result["message"])
        assert '"report_name": "Trip <1>"' in result["data"]
