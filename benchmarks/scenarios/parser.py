"""(d) Message parsing and MessageML building on a typical 1 KB message, ours vs legacy 1.3.7.

The same script (``peer_scripts/legacy_parser.py``: SymMessageParser + MessageFormatter) runs on
the legacy virtualenv and on ours (whose legacy module paths are kept); the modern parser's figures
come from benchmarks/bench_parser.py (owned by the messages work).
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from ..context import RunContext, python_for, run_script
from ..fixtures import TYPICAL_TEXT, typical_message
from ..peers import PeerUnavailable
from ..results import ComponentMissing, ScenarioResult
from .owned import call_owned, numbers

PARSE = "parse 1 KB message /s"
BUILD = "build MessageML /s"


def _ours(ctx: RunContext, result: ScenarioResult, iterations: int) -> None:
    """The modern parser and builder, from benchmarks/bench_parser.py (``run_all`` when present)."""
    parse: list[float] = []
    build: list[float] = []
    try:
        for _ in range(ctx.repeats):
            rate: Any = call_owned("bench_parser", ctx, iterations=iterations, message=typical_message())
            parse.append(float(rate) if isinstance(rate, (int, float)) else numbers(rate)["parse_per_s"])
            module = importlib.import_module("benchmarks.bench_parser")
            if hasattr(module, "run_all"):
                build.append(float(module.run_all(iterations)["build_per_s"]))
    except ComponentMissing as exc:
        result.mark_unavailable(PARSE, "ours", f"n/a (component missing): {exc}")
        return
    except Exception as exc:
        result.mark_unavailable(PARSE, "ours", f"bench_parser failed: {exc!r}")
        return
    result.add_figure(PARSE, "ours", "msg/s", parse, higher_is_better=True)
    if build:
        result.add_figure(BUILD, "ours", "msg/s", build, higher_is_better=True)


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("parser", "(d) Parser and MessageML build throughput")
    iterations = ctx.size(20_000, 2_000)
    fixture = ctx.workdir / "parser-fixture.json"
    fixture.write_text(json.dumps({"message": typical_message(), "text": TYPICAL_TEXT}), encoding="utf-8")
    for subject, owner in (("ours (legacy API)", "ours"), ("legacy", "legacy")):
        try:
            python = python_for(ctx, owner)
            runs = [
                run_script(python, "legacy_parser.py", [str(fixture), str(iterations)])
                for _ in range(ctx.repeats)
            ]
        except PeerUnavailable as exc:
            result.mark_unavailable(PARSE, subject, f"peer unavailable: {exc}")
            continue
        except RuntimeError as exc:
            result.mark_unavailable(PARSE, subject, f"n/a (component missing): {exc}")
            continue
        result.add_figure(PARSE, subject, "msg/s", [r["parse_per_s"] for r in runs], higher_is_better=True)
        result.add_figure(BUILD, subject, "msg/s", [r["build_per_s"] for r in runs], higher_is_better=True)
    _ours(ctx, result, iterations)
    result.notes.append(
        "Parse = text tokens + mention ids + hashtags + cashtags + stream id of one V4Message "
        f"(~1 KB PresentationML, 3 entities); build = plain text → escaped MessageML. {iterations:,} "
        "iterations per sample after a warm-up."
    )
    return result
