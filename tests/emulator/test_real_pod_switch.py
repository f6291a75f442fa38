"""SYMPHONY_TEST_CONFIG switches tests/conftest.py's fixtures to a real pod (checked in a child pytest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("real_pod_probe.py")


def test_symphony_test_config_gives_its_config_and_skips_emulator_tests(tmp_path: Path) -> None:
    config = tmp_path / "real-pod-config.json"
    config.write_text('{"sessionAuthHost": "pod.example.com"}')
    environment = {**os.environ, "SYMPHONY_TEST_CONFIG": f"RSA:{config}"}
    environment.pop("PYTEST_XDIST_WORKER", None)
    child = subprocess.run(
        [sys.executable, "-m", "pytest", str(PROBE), "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = child.stdout + child.stderr
    assert child.returncode == 0, output
    assert "1 passed, 2 skipped" in output, output
    assert output.count("SYMPHONY_TEST_CONFIG points at a real pod") == 2, output
    assert "pod, sympod_server needs the emulator's control API" in output  # pod uses sympod_server
    assert "); sympod_server needs the emulator's control API" in output
