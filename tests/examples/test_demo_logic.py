"""The demo bot's behaviour without Symphony: form validation, per-user ledger, valid MessageML."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from sym_api_client_python.demo.logic import (
    JOKES,
    Expense,
    ExpenseError,
    ExpenseLedger,
    expense_form,
    help_text,
    joke_message,
    parse_expense,
)
from sympod.messageml import convert


def test_every_demo_message_is_valid_messageml() -> None:
    ledger = ExpenseLedger()
    total = ledger.add(1, Expense("Taxi <airport>", Decimal("12.50"), "travel"))
    for message in (
        expense_form(),
        joke_message(),
        help_text("Ann & Co"),
        ledger.summary(1),
        ledger.summary(2),
        ledger.confirmation(1, ledger.of(1)[0], total),
    ):
        convert(message)  # raises MessageMLError on anything the pod would refuse
    assert "Taxi &lt;airport&gt;" in convert(ledger.summary(1)).presentation_ml
    assert convert(expense_form()).form_ids == ["expense-form"]


def test_joke_is_one_of_the_jokes() -> None:
    message = joke_message(random.Random(3))
    assert any(setup in message for setup, _ in JOKES)


def test_parse_expense_accepts_form_values() -> None:
    expense = parse_expense({"description": " Lunch ", "amount": "$1,234.5", "category": ["meals"]})
    assert expense == Expense("Lunch", Decimal("1234.50"), "meals")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"amount": "3"}, "description"),
        ({"description": "x", "amount": "three"}, "not an amount"),
        ({"description": "x", "amount": "-3"}, "between"),
        ({"description": "x", "amount": "3", "category": "yachts"}, "Unknown category"),
    ],
)
def test_parse_expense_rejects_bad_values(values: dict[str, object], message: str) -> None:
    with pytest.raises(ExpenseError, match=message):
        parse_expense(values)


def test_ledger_keeps_expenses_per_user() -> None:
    ledger = ExpenseLedger()
    assert ledger.add(1, Expense("a", Decimal("1.00"), "other")) == Decimal("1.00")
    assert ledger.add(2, Expense("b", Decimal("5.00"), "other")) == Decimal("5.00")
    assert ledger.add(1, Expense("c", Decimal("2.50"), "other")) == Decimal("3.50")
    assert [e.description for e in ledger.of(1)] == ["a", "c"]
    assert "Total: <b>$3.50</b>" in ledger.summary(1)
