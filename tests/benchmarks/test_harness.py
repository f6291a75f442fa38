"""The benchmark harness: result maths, report rendering, scenario fallbacks, a quick CLI run."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.context import RunContext
from benchmarks.machine import describe_machine, rss_mb
from benchmarks.report import markdown, text_table
from benchmarks.results import Comparison, ComponentMissing, Figure, ScenarioResult, format_value, percentile
from benchmarks.scenarios.owned import call_owned, numbers

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_figure_statistics_and_comparison_direction() -> None:
    ours_time = Figure("import", "ours", "s", [0.1, 0.3, 0.2])
    peer_time = Figure("import", "bdk", "s", [1.0, 1.2, 1.1])
    assert (ours_time.min, ours_time.median, ours_time.max) == (0.1, 0.2, 0.3)
    lower_is_better = Comparison("import", ours_time, peer_time)
    assert lower_is_better.ratio == pytest.approx(0.2 / 1.1)
    assert lower_is_better.advantage == pytest.approx(5.5)
    ours_rate = Figure("rate", "ours", "/s", [100.0], higher_is_better=True)
    peer_rate = Figure("rate", "bdk", "/s", [25.0], higher_is_better=True)
    assert Comparison("rate", ours_rate, peer_rate).advantage == pytest.approx(4.0)


def test_scenario_targets_and_comparisons() -> None:
    result = ScenarioResult("x", "X")
    result.add_figure("rate", "ours (async)", "/s", [200, 210], higher_is_better=True)
    result.add_figure("rate", "bdk", "/s", [10, 10], higher_is_better=True)
    result.add_figure("rss", "ours", "MB", [30])
    result.check("20x", "rate", "ours (async)", at_least=20, versus="bdk")
    result.check("rss", "rss", "ours", at_most=25)
    result.check("absent", "rate", "legacy", at_least=1)
    assert [t.met for t in result.targets] == [True, False, None]
    assert result.targets[0].actual == "20.50x"
    assert [(c.ours.subject, c.peer.subject) for c in result.comparisons()] == [("ours (async)", "bdk")]
    with pytest.raises(ValueError, match="no samples"):
        result.add_figure("empty", "ours", "s", [])


def test_percentile_and_formatting() -> None:
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)
    assert format_value(12345.6) == "12,346"
    assert format_value(0.01234) == "0.0123"


def test_reports_show_figures_ratios_targets_and_unavailable() -> None:
    result = ScenarioResult("startup", "(a) Startup")
    result.add_figure("import", "ours", "s", [0.1, 0.12])
    result.add_figure("import", "bdk", "s", [1.1, 1.3])
    result.mark_unavailable("import", "legacy", "peer unavailable: pip could not install\nmore detail")
    result.check("ours import ≤ 0.15 s", "import", "ours", at_most=0.15)
    table = text_table([result])
    assert "peer unavailable: pip could not install" in table
    assert "more detail" not in table
    assert "10.91x better" in table
    doc = markdown(
        [result],
        machine=describe_machine(),
        versions={"ours": "2.0.0"},
        repeats=2,
        quick=True,
        started=dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc),
        duration_s=60,
    )
    assert "| import | bdk | 1.10 | 1.20 | 1.30 | s (n=2) |" in doc
    assert "| ours import ≤ 0.15 s | 0.11 s | met |" in doc
    assert "CPU:" in doc and "Python:" in doc and "2026-11-25" in doc


def test_rss_is_measured() -> None:
    assert 1 < rss_mb() < 10_000


def test_owned_module_missing_is_component_missing(tmp_path: Path) -> None:
    ctx = RunContext(quick=True, repeats=1, workdir=tmp_path)
    with pytest.raises(ComponentMissing, match="not there yet"):
        call_owned("bench_that_does_not_exist", ctx)


def test_numbers_flattens_nested_results() -> None:
    flat = numbers({"a": {"per_s": 3, "flag": True}, "b": [1, "x", 2], "c": 2.5, "d": "text"})
    assert flat == {"a.per_s": 3.0, "b[0]": 1.0, "b[2]": 2.0, "c": 2.5}


def test_startup_importtime_excludes_interpreter_startup() -> None:
    from benchmarks.scenarios.startup import importtime_cumulative_s

    # asyncio costs tens of ms: well above the noise of subtracting two interpreter start-ups
    cost = importtime_cumulative_s(Path(sys.executable), "import asyncio")
    assert 0.002 < cost < 1.0


@pytest.mark.timeout(300)
def test_quick_cli_run_reports_without_failing(tmp_path: Path) -> None:
    output = tmp_path / "bench.md"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "scaling",
            "--repeats",
            "1",
            "--output",
            str(output),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "(f) Cost scaling" in completed.stdout
    text = output.read_text(encoding="utf-8")
    assert "events/s, 1,000 streams" in text or "n/a" in text
