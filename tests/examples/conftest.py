"""Run the example scripts as their users do (``python examples/X.py --config ...``) against the
test session's emulator, then talk to them through the testing kit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from example_harness import EXAMPLES, ExampleProcess

from sym_api_client_python.testing import SymphonyPod


@pytest.fixture
def run_example(symphony_pod: SymphonyPod, tmp_path: Path) -> Iterator[Callable[..., ExampleProcess]]:
    """``run_example("main_RSA.py", "--config", path, env={...})``: start it, wait for its datafeed."""
    started: list[ExampleProcess] = []

    def start(
        script: str, *args: str, env: dict[str, str] | None = None, timeout: float = 30
    ) -> ExampleProcess:
        feeds_before = symphony_pod.datafeed_ids(symphony_pod.bot)
        log_path = tmp_path / f"{Path(script).stem}.out"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, str(EXAMPLES / script), *args],
                cwd=tmp_path,  # the legacy examples write ./logs/example.log
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            )
        example = ExampleProcess(process, log_path)
        started.append(example)
        deadline = time.monotonic() + timeout
        while not (symphony_pod.datafeed_ids(symphony_pod.bot) - feeds_before):
            if process.poll() is not None:
                pytest.fail(
                    f"{script} exited ({process.returncode}) before its datafeed:\n{example.output()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"{script} opened no datafeed within {timeout}s:\n{example.output()}")
            time.sleep(0.05)
        return example

    yield start
    for example in started:
        example.stop()
