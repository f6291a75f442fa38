"""docs/getting-started.md's 20-line bot, saved as the reader does and run against the emulator."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from example_harness import ExampleProcess

from sym_api_client_python.testing import SymphonyPod

DOC = Path(__file__).resolve().parents[2] / "docs" / "getting-started.md"

pytestmark = pytest.mark.emulator_only


def test_hello_bot_from_the_guide(
    tmp_path: Path, symphony_pod: SymphonyPod, run_example: Callable[..., ExampleProcess]
) -> None:
    (source,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    code_lines = [line for line in source.splitlines() if line.strip()]
    assert len(code_lines) <= 20, "the guide promises a 20-line bot"
    script = tmp_path / "hello_bot.py"
    script.write_text(source)
    run_example(str(script), str(symphony_pod.bot_config_path))
    chat = symphony_pod.im(symphony_pod.create_user("jane"))
    chat.send("/hello Jane")
    assert chat.next_reply(timeout=5).text == "Hello Jane!"
    chat.send("/add 2 3")
    assert chat.next_reply(timeout=5).text == "2 + 3 = 5"
    chat.send("what can you do?")
    assert chat.next_reply(timeout=5).text == "Try /hello Jane or /add 2 3"
