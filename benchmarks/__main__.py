"""``python -m benchmarks [--quick] [--only NAME] [--repeats N] [--soak SECONDS] [--output PATH]``.

Runs every scenario for us and the peers against one emulator, prints a table and, for a full run,
writes docs/benchmarks.md. ``--quick`` uses small sizes and never fails on timings: it exits 0
whenever the harness itself worked, whatever the figures are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .context import RunContext
from .machine import describe_machine
from .peers import PEERS
from .report import markdown, text_table
from .results import ScenarioResult, Target
from .scenarios import SCENARIOS

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 repeats, < 2 minutes; no doc")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted([*SCENARIOS, "soak"]),
        help="run only this scenario (repeatable)",
    )
    parser.add_argument("--repeats", type=int, default=None, help="repeats per figure (default 5, quick 2)")
    parser.add_argument(
        "--soak",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="also run the hardening soak test for this long (e.g. 1800)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help=f"markdown to write (default {DEFAULT_OUTPUT.relative_to(REPO_ROOT)} on full runs)",
    )
    parser.add_argument("--note", action="append", default=[], help="a line added to the doc's Run section")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def _versions() -> dict[str, str]:
    versions = {"ours (sym-api-client-python)": importlib.metadata.version("sym-api-client-python")}
    for spec in PEERS.values():
        versions[spec.distribution] = spec.version
    return versions


def _run_soak(seconds: float) -> ScenarioResult:
    """The hardening soak test, with its duration, as a scenario row (pass/fail and time)."""
    result = ScenarioResult("soak", f"Soak ({seconds:.0f} s, faults injected)")
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(REPO_ROOT / "tests/hardening/test_soak.py"),
        ],
        env={**os.environ, "SYM_SOAK_SECONDS": str(seconds)},
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 600,
    )
    result.add_figure("soak wall time", "ours", "s", [time.perf_counter() - started])
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else "no output"
    result.targets.append(
        Target("soak passes (0 events lost, 0 duplicated, RSS bounded)", completed.returncode == 0, summary)
    )
    return result


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    repeats = args.repeats or (2 if args.quick else 5)
    selected = args.only or list(SCENARIOS)
    started_at = dt.datetime.now(dt.timezone.utc)
    started = time.perf_counter()
    results: list[ScenarioResult] = []
    with tempfile.TemporaryDirectory(prefix="sym-bench-") as workdir:
        ctx = RunContext(quick=args.quick, repeats=repeats, workdir=Path(workdir), soak_seconds=args.soak)
        try:
            for name in selected:
                if name == "soak":
                    continue
                print(f"-- running {name} ...", file=sys.stderr, flush=True)
                scenario_started = time.perf_counter()
                try:
                    result = SCENARIOS[name](ctx)
                except Exception as exc:  # one broken scenario must not hide the others' figures
                    result = ScenarioResult(name, name, error=f"{type(exc).__name__}: {exc}")
                    traceback.print_exc()
                print(f"   {name} took {time.perf_counter() - scenario_started:.1f} s", file=sys.stderr)
                results.append(result)
        finally:
            ctx.close()
    if args.soak or (args.only and "soak" in args.only):
        results.append(_run_soak(args.soak or 60))
    print(text_table(results))
    output = args.output or (None if args.quick or args.only else DEFAULT_OUTPUT)
    if output is not None:
        document = markdown(
            results,
            machine=describe_machine(),
            versions=_versions(),
            repeats=repeats,
            quick=args.quick,
            started=started_at,
            duration_s=time.perf_counter() - started,
            notes=args.note,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(document, encoding="utf-8")
        print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
