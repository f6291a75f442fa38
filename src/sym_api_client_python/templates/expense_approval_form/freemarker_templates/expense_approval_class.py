"""``ExpenseApprovalForm``: the expense report the sample bot edits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ExpenseApprovalForm:
    def __init__(self, report_name: str, report_summary: str, person_name: str) -> None:
        self.report_name = report_name
        self.report_summary = report_summary
        self.person_name = person_name
        self.expenses: list[dict[str, Any]] = []

    def upload_expenses(self, expenses: Iterable[tuple[str, str, float | str]]) -> None:
        """Add ``(name, date, price)`` items; the price must be a number."""
        for name, date, price in expenses:
            try:
                amount = float(price)
            except (TypeError, ValueError):
                raise ValueError(f"expense {name!r}: price must be a number, got {price!r}") from None
            self.expenses.append({"expense_name": name, "expense_date": date, "expense_amount": amount})

    def remove_item(self, index: int) -> dict[str, Any]:
        """Remove and return the expense at ``index`` (0-based)."""
        if not 0 <= index < len(self.expenses):
            raise IndexError(f"no expense at index {index} (the report has {len(self.expenses)})")
        return self.expenses.pop(index)

    @property
    def total(self) -> float:
        return sum(item["expense_amount"] for item in self.expenses)


__all__ = ["ExpenseApprovalForm"]
