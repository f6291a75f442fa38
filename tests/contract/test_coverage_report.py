"""docs/api-coverage.md is generated; this keeps it in step with the table and the e2e tests."""

from __future__ import annotations

import re

import pytest

from .coverage import BDK_OPERATIONS, REPORT, entries_hit_by_e2e, render, served_by_emulator
from .spec_index import SPEC_DIR

pytestmark = pytest.mark.skipif(not SPEC_DIR.is_dir(), reason=f"spec files not found in {SPEC_DIR}")


def _without_test_status(text: str) -> str:
    """The report minus what moves when other parts change (emulator routes, e2e tests)."""
    lines = []
    for line in text.splitlines():
        if "exercised by the e2e tests" in line:
            continue
        lines.append(re.sub(r"\| (yes|no) \|$", "|", line))
    return "\n".join(lines)


def test_report_is_current() -> None:
    assert REPORT.exists(), "run: python -m tests.contract.coverage"
    assert _without_test_status(REPORT.read_text()) == _without_test_status(render()), (
        "docs/api-coverage.md is stale: run python -m tests.contract.coverage"
    )


def test_coverage_beats_the_bdk_and_core_calls_are_tested() -> None:
    text = render()
    covered = int(text.split("covered by the endpoint table (sync + async methods) | ")[1].split(" ")[0])
    assert covered > BDK_OPERATIONS
    tested = entries_hit_by_e2e() & served_by_emulator()
    for core in (
        "messages.send",
        "messages.list",
        "messages.get_attachment",
        "streams.create_room",
        "users.list",
        "connections.create",
        "signals.subscribe",
        "presence.set",
        "admin.create_user",
        "health.check",
    ):
        assert core in tested, f"{core} is not exercised by the e2e tests"
