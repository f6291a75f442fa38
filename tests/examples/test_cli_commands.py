"""symbot send / feed / config init, as a user runs them, against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sym_api_client_python.cli import build_app
from sym_api_client_python.cli.feed_cmd import describe_event
from sym_api_client_python.testing import SymphonyPod

runner = CliRunner()


def symbot(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.output


def test_config_init_with_flags_prints_the_public_key(tmp_path: Path) -> None:
    output = tmp_path / "conf" / "bot-config.json"
    code, printed = symbot(
        "config", "init", "--output", str(output), "--host", "acme.symphony.com", "--username", "my-bot",
        "--email", "bot@acme.com", "--key-size", "2048", "--no-input",
    )  # fmt: skip
    assert code == 0, printed
    assert "-----BEGIN PUBLIC KEY-----" in printed and "PRIVATE" not in printed.split("wrote")[-1]
    assert (tmp_path / "conf" / "rsa" / "bot-private.pem").exists()
    code, printed = symbot("config", "init", "--output", str(output), "--host", "x.y", "--username", "b",
                           "--no-input", "--key-size", "2048")  # fmt: skip
    assert code == 2 and "already exists (use --force" in printed


def test_config_init_without_input_names_the_missing_option(tmp_path: Path) -> None:
    code, printed = symbot("config", "init", "--output", str(tmp_path / "c.json"), "--no-input")
    assert code == 2 and "--host" in printed


@pytest.mark.emulator_only
def test_send_to_a_user_and_to_a_stream(symphony_pod: SymphonyPod) -> None:
    jane = symphony_pod.create_user("jane", email="jane@acme.com")
    config = str(symphony_pod.bot_config_path)
    code, printed = symbot("send", "@jane", "a < b & c", "--config", config)
    assert code == 0, printed
    chat = symphony_pod.im(jane)
    assert chat.next_reply(timeout=2).text == "a < b & c"
    code, printed = symbot("send", chat.stream_id, "<messageML><b>bold</b></messageML>", "--config", config)
    assert code == 0 and chat.stream_id in printed
    assert "<b>bold</b>" in chat.next_reply(timeout=2).presentation_ml
    code, printed = symbot("send", "jane@acme.com", "by email", "--config", config)
    assert code == 0 and chat.next_reply(timeout=2).text == "by email"


@pytest.mark.emulator_only
def test_send_errors_are_clear(symphony_pod: SymphonyPod, tmp_path: Path) -> None:
    config = str(symphony_pod.bot_config_path)
    symphony_pod.create_user("jane")
    code, printed = symbot("send", "@ghost", "hi", "--config", config)
    assert code == 1 and "no user @ghost" in printed
    code, printed = symbot("send", "@ghost", "hi", "--config", str(tmp_path / "missing.json"))
    assert code == 2 and "does not exist" in printed
    code, printed = symbot("send", "@bot", "hi", "--config", config, "--data", "{oops")
    assert code == 2 and "--data is not valid JSON" in printed
    code, printed = symbot("send", "@jane", "<messageML><nope/></messageML>", "--config", config)
    assert code == 1 and "nope" in printed


@pytest.mark.emulator_only
def test_feed_prints_events_until_the_limit(symphony_pod: SymphonyPod) -> None:
    feeds_before = symphony_pod.datafeed_ids(symphony_pod.bot)
    process = subprocess.Popen(
        [sys.executable, "-c", "from sym_api_client_python.cli import main; main()",
         "feed", "--config", str(symphony_pod.bot_config_path), "--limit", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not (symphony_pod.datafeed_ids(symphony_pod.bot) - feeds_before) and time.monotonic() < deadline:
        time.sleep(0.05)
    chat = symphony_pod.im(symphony_pod.create_user("jane", display_name="Jane Doe"))
    chat.send("hello #feed")
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "INSTANTMESSAGECREATED" in output
    assert "MESSAGESENT Jane Doe in IM" in output and "hello #feed" in output


def test_describe_event_for_a_form_submission() -> None:
    event = {
        "timestamp": 0,
        "type": "SYMPHONYELEMENTSACTION",
        "initiator": {"user": {"displayName": "Jane"}},
        "payload": {"symphonyElementsAction": {
            "stream": {"streamId": "s1", "streamType": "ROOM"}, "formId": "f", "formValues": {"action": "go"},
        }},
    }  # fmt: skip
    _, event_type, where, what = describe_event(event)
    assert (event_type, where, what) == (
        "SYMPHONYELEMENTSACTION",
        "Jane in ROOM s1",
        'form \'f\': {"action": "go"}',
    )
