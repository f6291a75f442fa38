"""What the demo bot says and remembers, independent of any Symphony plumbing."""

from __future__ import annotations

import html
import random
import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = [
    "EXPENSE_CATEGORIES",
    "EXPENSE_FORM_ID",
    "JOKES",
    "Expense",
    "ExpenseError",
    "ExpenseLedger",
    "expense_form",
    "help_text",
    "joke_message",
    "parse_expense",
]

EXPENSE_FORM_ID = "expense-form"
EXPENSE_CATEGORIES = {"travel": "Travel", "meals": "Meals", "supplies": "Supplies", "other": "Other"}
MAX_AMOUNT = Decimal("100000")

# (setup, punchline): local, so the demo works offline (the legacy joke bot called a web API)
JOKES: tuple[tuple[str, str], ...] = (
    ("Why do programmers prefer dark mode?", "Because light attracts bugs."),
    ("Why did the developer go broke?", "Because they used up all their cache."),
    ("How many programmers does it take to change a light bulb?", "None, that's a hardware problem."),
    ("Why do Java developers wear glasses?", "Because they don't C#."),
    ("What is a bot's favourite snack?", "Micro-chips."),
    ("Why was the datafeed so calm?", "It always acknowledged its feelings."),
    ("Why did the function return early?", "It had a date with a callback."),
)


def joke_message(rng: random.Random | None = None) -> str:
    setup, punchline = (rng or random).choice(JOKES)
    return f"<messageML><p>{html.escape(setup)}</p><p><i>{html.escape(punchline)}</i></p></messageML>"


def help_text(first_name: str | None = None) -> str:
    greeting = f"Hello {html.escape(first_name)}!" if first_name else "Hello!"
    return (
        f"<messageML><p>{greeting} I am the demo bot. Try:</p><ul>"
        "<li><b>/joke</b>: a programmer joke</li>"
        "<li><b>/expense</b>: file an expense with a form</li>"
        "<li><b>/expenses</b>: your expenses so far</li>"
        "</ul></messageML>"
    )


def expense_form() -> str:
    """The Elements form of a new expense."""
    selected = ' selected="true"'
    options = "".join(
        f'<option value="{key}"{selected if key == "travel" else ""}>{label}</option>'
        for key, label in EXPENSE_CATEGORIES.items()
    )
    return (
        f'<messageML><form id="{EXPENSE_FORM_ID}"><h3>New expense</h3>'
        '<text-field name="description" label="Description" placeholder="Taxi to the airport"'
        ' required="true"/>'
        '<text-field name="amount" label="Amount (USD)" placeholder="42.50" required="true"/>'
        f'<select name="category" label="Category">{options}</select>'
        '<button name="submit" type="action">Submit</button>'
        '<button name="reset" type="reset">Clear</button>'
        "</form></messageML>"
    )


class ExpenseError(ValueError):
    """A form value the bot cannot accept; the message is shown to the user."""


@dataclass(frozen=True)
class Expense:
    description: str
    amount: Decimal
    category: str

    def describe(self) -> str:
        return f"{self.description} ({EXPENSE_CATEGORIES[self.category]}, ${self.amount:,.2f})"


def parse_expense(values: dict[str, object]) -> Expense:
    """Validate the submitted form values (strings from the form; lists tolerated for select)."""

    def text(name: str) -> str:
        value = values.get(name, "")
        if isinstance(value, list):
            value = value[0] if value else ""
        return str(value).strip()

    description = text("description")
    if not description:
        raise ExpenseError("Please give the expense a description.")
    if len(description) > 200:
        raise ExpenseError("The description is too long (200 characters at most).")
    raw_amount = text("amount").replace(",", "").lstrip("$")
    try:
        amount = Decimal(raw_amount).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ExpenseError(f"{raw_amount!r} is not an amount; write it like 42.50.") from None
    if not Decimal(0) < amount <= MAX_AMOUNT:
        raise ExpenseError(f"The amount must be between 0.01 and {MAX_AMOUNT:,}.")
    category = text("category") or "other"
    if category not in EXPENSE_CATEGORIES:
        raise ExpenseError(f"Unknown category {category!r}.")
    return Expense(description, amount, category)


class ExpenseLedger:
    """Expenses per user id. Handlers may run on several threads, hence the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_user: dict[int, list[Expense]] = defaultdict(list)

    def add(self, user_id: int, expense: Expense) -> Decimal:
        """Record ``expense``; returns the user's new total."""
        with self._lock:
            self._by_user[user_id].append(expense)
            return sum((item.amount for item in self._by_user[user_id]), Decimal(0))

    def of(self, user_id: int) -> list[Expense]:
        with self._lock:
            return list(self._by_user.get(user_id, ()))

    def summary(self, user_id: int) -> str:
        expenses = self.of(user_id)
        if not expenses:
            return "<messageML><p>You have no expenses yet. Send <b>/expense</b> to file one.</p></messageML>"
        items = "".join(f"<li>{html.escape(expense.describe())}</li>" for expense in expenses)
        total = sum((expense.amount for expense in expenses), Decimal(0))
        return (
            f"<messageML><p>Your expenses:</p><ul>{items}</ul><p>Total: <b>${total:,.2f}</b></p></messageML>"
        )

    def confirmation(self, user_id: int, expense: Expense, total: Decimal) -> str:
        count = len(self.of(user_id))
        return (
            f"<messageML><p>Expense recorded: {html.escape(expense.describe())}.</p>"
            f"<p>You have {count} expense{'s' if count != 1 else ''} totalling"
            f" <b>${total:,.2f}</b>.</p></messageML>"
        )
