"""The README's main command, ``symbot demo``, driven through its chat page in headless Chromium.

A user opens the page, asks the demo bot for a joke, fills and submits the expense form, and sees
the bot's confirmation; the page's renderer must not run markup it is given.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python.demo.logic import JOKES

pytestmark = [pytest.mark.browser, pytest.mark.emulator_only]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium); browser tests need it",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``symbot demo`` as a user runs it (fresh work dir, no browser), stopped with Ctrl-C after."""
    symbot = shutil.which("symbot") or ""
    command = (
        [symbot] if symbot else [sys.executable, "-c", "from sym_api_client_python.cli import main; main()"]
    )
    process = subprocess.Popen(
        [*command, "demo", "--workdir", str(tmp_path_factory.mktemp("demo")), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    printed: list[str] = []
    deadline = time.monotonic() + 60
    url = None
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        printed.append(line)
        match = re.search(r"chat page: (http://\S+)", line)
        url = match.group(1) if match else None
    if url is None:
        process.kill()
        pytest.fail("symbot demo printed no chat page URL:\n" + "".join(printed) + process.stdout.read())
    yield url
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("symbot demo did not stop within 20 s of Ctrl-C")
    assert process.returncode == 0, output


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, demo_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(demo_url)
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _send(page: Any, text: str) -> None:
    page.fill("#composer-text", text)
    page.press("#composer-text", "Enter")


def test_joke_and_expense_form_through_the_page(page: Any) -> None:
    page.select_option("#user-select", label="Alice Example (@alice)")
    page.wait_for_selector("#live-status.ok")  # the event stream is connected
    page.click("#chat-with-bot")
    page.wait_for_selector("#composer-text:not([disabled])")

    _send(page, "/joke")
    joke = page.locator(".message.from-bot").last
    joke.wait_for()
    assert any(setup in joke.inner_text() and punchline in joke.inner_text() for setup, punchline in JOKES)

    _send(page, "/expense")
    form = page.locator('form.elements-form[data-form-id="expense-form"]').last
    form.wait_for()
    form.locator('input[name="description"]').fill("Team lunch <with client>")
    form.locator('input[name="amount"]').fill("42.50")
    form.locator('select[name="category"]').select_option("meals")
    form.locator('button[name="submit"]').click()
    confirmation = page.locator(".message.from-bot", has_text="Expense recorded")
    confirmation.wait_for()
    assert "Team lunch <with client> (Meals, $42.50)" in confirmation.inner_text()
    assert form.locator(".form-note").inner_text() == "Submitted (submit)"

    # entities typed in the page come back as entities
    _send(page, "thanks @bob for #lunch $AAPL")
    mine = page.locator(".message.mine", has_text="thanks").last
    mine.wait_for()
    assert mine.locator("span.entity").all_inner_texts() == ["@Bob Example", "#lunch", "$AAPL"]

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)


def test_renderer_drops_scripts_handlers_and_javascript_links(page: Any) -> None:
    hostile = (
        '<div><img src="x" onerror="window.pwned=1"><script>window.pwned=2</script>'
        '<a href="javascript:window.pwned=3">link</a><b onclick="window.pwned=4">bold</b>'
        '<iframe src="https://example.com"></iframe>'
        '<form id="f"><text-field name="t" onfocus="x"></text-field>'
        '<button name="go" type="action">Go</button></form></div>'
    )
    rendered = page.evaluate(
        """(markup) => {
            const target = document.createElement("div");
            renderPresentationMl(markup, target, {messageId: "m"});
            document.body.append(target);
            target.querySelector("a").click();
            return target.innerHTML;
        }""",
        hostile,
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    for forbidden in ("onerror", "onclick", "onfocus", "<script", "javascript:", "<iframe", "<img"):
        assert forbidden not in rendered
    assert "<b>bold</b>" in rendered and 'name="go"' in rendered


def test_new_user_room_and_live_messages_from_others(page: Any) -> None:
    from playwright.sync_api import expect

    page.fill("#new-user-name", "carol")
    page.fill("#new-user-display", "Carol Page")
    page.click("#new-user-form button")
    expect(page.locator("#user-select option:checked")).to_have_text("Carol Page (@carol)")
    page.wait_for_selector("#live-status.ok")

    page.fill("#new-room-name", "Lunch plans")
    page.fill("#new-room-members", "alice, bot")
    page.click("#new-room-form button")
    expect(page.locator("#stream-title")).to_have_text("ROOM: Lunch plans")
    assert page.locator(".stream.active").inner_text().endswith("Lunch plans")

    _send(page, "/joke")
    page.locator(".message.from-bot").first.wait_for()

    # Alice writes in the room from elsewhere: the open page shows it live (server-sent events)
    stream_id = page.evaluate("state.streamId")
    alice = page.evaluate("state.users.find((u) => u.username === 'alice').userId")
    page.evaluate(
        """([streamId, userId]) => fetch('/_emulator/chat/messages', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({user: userId, streamId, text: 'count me in'})})""",
        [stream_id, alice],
    )
    live = page.locator(".message", has_text="count me in")
    live.wait_for()
    assert live.locator(".message-author").inner_text() == "Alice Example"
