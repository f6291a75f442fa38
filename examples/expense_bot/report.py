"""The expense bot's state and messages, shared by the legacy and the modern versions.

Flow: an employee says "create expense" (or "/expense") → a report form; "Add expense" asks for
vendor, date and price; "Submit" sends the report to the manager picked in the person selector,
who gets an approval form in an IM with the bot; "Approve"/"Reject" tells both sides.

State is per user (each employee has their own report), unlike the legacy example's module-global
list that every user shared.
"""

import html
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

REPORT_FORM = "expense-report"
ADD_FORM = "add-expense"
APPROVAL_FORM = "expense-approval"

# button names (formValues["action"])
OPEN_ADD_FORM = "add-expense-form"
ADD_ITEM = "add-expense-button"
SUBMIT = "submit-expense"
APPROVE = "approve-expense"
REJECT = "reject-expense"

HELP = (
    "<messageML><p>I file expense reports. Say <b>create expense</b> (or <b>/expense</b>) to start one,"
    " add items, then submit it to your manager for approval.</p></messageML>"
)


class ExpenseInputError(ValueError):
    """A value the user typed that cannot be used; its message is shown to them."""


@dataclass(frozen=True)
class Item:
    vendor: str
    date: str
    price: Decimal


@dataclass
class Report:
    owner_id: int
    owner_name: str
    items: list = field(default_factory=list)
    approval_message_id: str = ""

    @property
    def total(self):
        return sum((item.price for item in self.items), Decimal(0))


def parse_item(values):
    def text(name):
        value = values.get(name, "")
        return (value[0] if isinstance(value, list) and value else str(value or "")).strip()

    vendor, date = text("vendor"), text("date")
    if not vendor:
        raise ExpenseInputError("the vendor is missing")
    try:
        price = Decimal(text("price").lstrip("$").replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ExpenseInputError(f"{text('price')!r} is not a price (write 12.50)") from None
    if price <= 0:
        raise ExpenseInputError("the price must be positive")
    return Item(vendor, date or "today", price)


class ReportBook:
    """Open reports by owner, and submitted ones by the approval form's message id."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open = {}
        self._submitted = {}

    def open_report(self, owner_id, owner_name):
        with self._lock:
            return self._open.setdefault(owner_id, Report(owner_id, owner_name))

    def add_item(self, owner_id, owner_name, item):
        with self._lock:
            report = self._open.setdefault(owner_id, Report(owner_id, owner_name))
            report.items.append(item)
            return report

    def submit(self, owner_id):
        """Take the owner's report out of the open ones (None if it is missing or empty)."""
        with self._lock:
            report = self._open.get(owner_id)
            if report is None or not report.items:
                return None
            del self._open[owner_id]
            return report

    def await_approval(self, approval_message_id, report):
        with self._lock:
            report.approval_message_id = approval_message_id
            self._submitted[approval_message_id] = report

    def decide(self, approval_message_id):
        with self._lock:
            return self._submitted.pop(approval_message_id, None)


def _rows(report):
    if not report.items:
        return '<tr><td colspan="3">No items yet</td></tr>'
    return "".join(
        f"<tr><td>{html.escape(item.vendor)}</td><td>{html.escape(item.date)}</td><td>${item.price:,.2f}</td></tr>"
        for item in report.items
    )


def report_form(report):
    return (
        f'<messageML><form id="{REPORT_FORM}"><h3>Expense report of {html.escape(report.owner_name)}</h3>'
        f"<table><thead><tr><th>Vendor</th><th>Date</th><th>Price</th></tr></thead><tbody>{_rows(report)}"
        f"</tbody></table><p>Total: <b>${report.total:,.2f}</b></p>"
        '<person-selector name="manager" placeholder="Your manager" required="true"/>'
        f'<button name="{OPEN_ADD_FORM}" type="action">Add expense</button>'
        f'<button name="{SUBMIT}" type="action">Submit for approval</button>'
        "</form></messageML>"
    )


def add_form():
    return (
        f'<messageML><form id="{ADD_FORM}"><h3>Add an expense</h3>'
        '<text-field name="vendor" placeholder="Vendor" required="true"/>'
        '<date-picker name="date" placeholder="Date"/>'
        '<text-field name="price" placeholder="Price, e.g. 12.50" required="true"/>'
        f'<button name="{ADD_ITEM}" type="action">Add</button>'
        "</form></messageML>"
    )


def approval_form(report):
    return (
        f'<messageML><form id="{APPROVAL_FORM}"><h3>{html.escape(report.owner_name)} asks you to approve'
        f" an expense report of ${report.total:,.2f}</h3>"
        f"<table><thead><tr><th>Vendor</th><th>Date</th><th>Price</th></tr></thead><tbody>{_rows(report)}"
        "</tbody></table>"
        f'<button name="{APPROVE}" type="action">Approve</button>'
        f'<button name="{REJECT}" type="action" class="destructive">Reject</button>'
        "</form></messageML>"
    )


def text_message(text):
    return f"<messageML><p>{html.escape(text)}</p></messageML>"


def manager_id_from(values):
    """The person selector's value: a list of user ids (strings from the form)."""
    value = values.get("manager")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ExpenseInputError("pick your manager in the person selector before submitting") from None
