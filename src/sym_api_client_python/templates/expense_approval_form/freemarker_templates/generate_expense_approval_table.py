"""Messages for an expense report: ``{'message': MessageML, 'data': EntityJSON string}``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ....messages.templates import render_template

_HTML = "expense_approval_form/jinja_templates/html/"


def _report(data: Mapping[str, Any]) -> Mapping[str, Any]:
    # 1.x wrapped the report as {"ExpenseApprovalForm": {...}} for Freemarker's entity[...]
    inner = data.get("ExpenseApprovalForm")
    return inner if isinstance(inner, Mapping) else data


def _message(template: str, data: Mapping[str, Any]) -> dict[str, str]:
    report = _report(data)
    context = {
        "report_name": report.get("report_name", ""),
        "report_summary": report.get("report_summary", ""),
        "person_name": report.get("person_name", ""),
        "expenses": list(report.get("expenses", [])),
    }
    return {"message": render_template(_HTML + template, **context), "data": json.dumps(data)}


def generate_expense_approval_table(data: Mapping[str, Any]) -> dict[str, str]:
    return _message("expense_approval_table.html", data)


def generate_add_expense_form(data: Mapping[str, Any]) -> dict[str, str]:
    return _message("create_expense_approval_form.html", data)


def generate_remove_expense_form(data: Mapping[str, Any]) -> dict[str, str]:
    return _message("remove_expense_form.html", data)


__all__ = ["generate_add_expense_form", "generate_expense_approval_table", "generate_remove_expense_form"]
