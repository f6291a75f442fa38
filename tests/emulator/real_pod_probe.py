"""Run by test_real_pod_switch.py in a child pytest with SYMPHONY_TEST_CONFIG set (not collected
on its own: the file name does not start with ``test_``)."""

from __future__ import annotations

import os
from pathlib import Path

from sympod import Emulator


def test_bot_config_file_is_the_real_pods(bot_config_file: Path) -> None:
    expected = Path(os.environ["SYMPHONY_TEST_CONFIG"].partition(":")[2]).resolve()
    assert bot_config_file == expected


def test_needs_the_emulator(pod: Emulator) -> None:
    raise AssertionError("must be skipped when SYMPHONY_TEST_CONFIG is set")


def test_needs_the_session_emulator(sympod_server: Emulator) -> None:
    raise AssertionError("must be skipped when SYMPHONY_TEST_CONFIG is set")
