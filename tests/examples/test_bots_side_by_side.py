"""The joke and expense example bots, legacy and modern versions, run as scripts against the emulator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from example_harness import ExampleProcess, load_example_module

from sym_api_client_python.testing import Conversation, SymphonyPod

pytestmark = [pytest.mark.emulator_only, pytest.mark.slow]

JOKES = load_example_module("joke_bot/jokes.py").JOKES
FAST = {"JOKE_DELAY": "0.05"}


@pytest.mark.parametrize("script", ["joke_bot/main_legacy.py", "joke_bot/main_modern.py"])
def test_joke_bot_answers_bot_joke(
    script: str, symphony_pod: SymphonyPod, run_example: Callable[..., ExampleProcess]
) -> None:
    run_example(script, "--config", str(symphony_pod.bot_config_path), env=FAST)
    chat = symphony_pod.im(symphony_pod.create_user("jane"))
    chat.send("/bot joke")
    setup, punchline = chat.next_reply(timeout=10).text, chat.next_reply(timeout=5).text
    assert (setup, punchline) in JOKES
    chat.send("no jokes here")
    chat.expect_no_reply(within=0.5)


def _fill_report(chat: Conversation, manager_id: int) -> None:
    report = chat.next_reply(timeout=10)
    assert report.form_ids == ["expense-report"] and "No items yet" in report.text
    chat.submit_form({}, action="add-expense-form")
    add_form = chat.next_reply(timeout=10)
    assert add_form.form_ids == ["add-expense"]
    chat.submit_form({"vendor": "Taxi", "date": "2026-11-20", "price": "abc"}, action="add-expense-button")
    assert "is not a price" in chat.next_reply(timeout=10).text
    chat.submit_form(
        {"vendor": "Taxi", "date": "2026-11-20", "price": "42.5"},
        form_message=add_form,
        action="add-expense-button",
    )
    updated = chat.next_reply(timeout=10)
    assert "Taxi" in updated.text and "Total: $42.50" in updated.text
    chat.submit_form({"manager": [str(manager_id)]}, form_message=updated, action="submit-expense")


@pytest.mark.parametrize("script", ["expense_bot/main_legacy.py", "expense_bot/main_modern.py"])
def test_expense_bot_approval_flow_with_per_user_reports(
    script: str, symphony_pod: SymphonyPod, run_example: Callable[..., ExampleProcess]
) -> None:
    run_example(script, "--config", str(symphony_pod.bot_config_path))
    employee = symphony_pod.create_user("emma", display_name="Emma Employee")
    colleague = symphony_pod.create_user("carl", display_name="Carl Colleague")
    manager = symphony_pod.create_user("mia", display_name="Mia Manager")

    chat = symphony_pod.im(employee)
    chat.send("create expense" if "legacy" in script else "/expense")
    _fill_report(chat, manager["userId"])
    assert "was sent to Mia Manager for approval" in chat.next_reply(timeout=10).text

    # another employee's report is their own: the first one's items do not leak into it
    other = symphony_pod.im(colleague)
    other.send("create expense" if "legacy" in script else "/expense")
    assert "No items yet" in other.next_reply(timeout=10).text

    approvals = symphony_pod.im(manager)
    approval = approvals.next_reply(timeout=10)
    assert approval.form_ids == ["expense-approval"]
    assert "Emma Employee asks you to approve an expense report of $42.50" in approval.text
    approvals.submit_form({}, action="approve-expense")
    assert "You approved the report of Emma Employee" in approvals.next_reply(timeout=10).text
    assert "was approved by Mia Manager" in chat.next_reply(timeout=10).text
