"""Render the expense approval templates (``html/*.html``) with sample or given data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ....messages.templates import render_template

HTML_DIR = Path(__file__).resolve().parent / "html"
TEMPLATE_NAMES = (
    "expense_approval_table.html",
    "create_expense_approval_form.html",
    "remove_expense_form.html",
    "manager_expense_approval_form.html",
)

expense_data: dict[str, Any] = {
    "report_name": "Q3 client visit",
    "report_summary": "Travel to the London office",
    "person_name": "Jane Doe",
    "expenses": [
        {"expense_name": "Train ticket", "expense_date": "2024-07-01", "expense_amount": 120.5},
        {"expense_name": "Hotel", "expense_date": "2024-07-01", "expense_amount": 210.0},
    ],
}


def render_expense_approval_form(
    path_to_html_form: str | os.PathLike[str] | None = None, data: dict[str, Any] | None = None
) -> str:
    """Render one template (a path, or a name from :data:`TEMPLATE_NAMES`; the table by
    default) with ``data`` (:data:`expense_data` by default)."""
    path = Path(path_to_html_form) if path_to_html_form is not None else HTML_DIR / TEMPLATE_NAMES[0]
    if not path.is_file():
        path = HTML_DIR / path.name
    return render_template(path, **(expense_data if data is None else data))


__all__ = ["HTML_DIR", "TEMPLATE_NAMES", "expense_data", "render_expense_approval_form"]
