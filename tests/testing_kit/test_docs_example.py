"""docs/testing-your-bot.md's example, run as a user would: its files written out, pytest run on them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing-your-bot.md"

pytestmark = pytest.mark.emulator_only


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_the_documented_example_passes(tmp_path: Path) -> None:
    bot_module, test_module, fault_test = _python_blocks()
    (tmp_path / "expense_bot.py").write_text(bot_module)
    (tmp_path / "test_expense_bot.py").write_text(test_module + "\n\n" + fault_test)
    env = {key: value for key, value in os.environ.items() if key != "SYMPHONY_TEST_CONFIG"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_expense_bot.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout
