"""(d) Message parsing and MessageML building on a typical 1 KB message, ours vs legacy 1.3.7.

The same script (``peer_scripts/legacy_parser.py``: SymMessageParser + MessageFormatter) runs on
the legacy virtualenv and on ours (whose legacy module paths are kept); the modern parser's figures
come from benchmarks/bench_parser.py (owned by the messages work).
"""

from __future__ import annotations

import json
from typing import Any

from ..context import RunContext, python_for, run_script
from ..fixtures import TYPICAL_TEXT, typical_message
from ..peers import PeerUnavailable
from ..results import ComponentMissing, ScenarioResult
from .owned import call_owned, numbers

PARSE = "parse 1 KB message /s"
BUILD = "build MessageML /s"


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
    try:
        raw: Any = call_owned("bench_parser", ctx, iterations=iterations, message=typical_message())
        flat = numbers(raw)
    except ComponentMissing as exc:
        result.mark_unavailable(PARSE, "ours", f"n/a (component missing): {exc}")
        flat = {}
    except Exception as exc:
        result.mark_unavailable(PARSE, "ours", f"bench_parser.run failed: {exc!r}")
        flat = {}
    for key, value in flat.items():
        lowered = key.lower()
        if "legacy" in lowered or not ("per_s" in lowered or "/s" in lowered or "rate" in lowered):
            continue
        metric = BUILD if ("build" in lowered or "messageml" in lowered or "format" in lowered) else PARSE
        subject = "ours"
        figure = result.figure(metric, subject)
        if figure is None:
            result.add_figure(metric, subject, "msg/s", [value], higher_is_better=True)
        else:
            figure.add(value)
    result.notes.append(
        "Parse = text tokens + mention ids + hashtags + cashtags + stream id of one V4Message "
        f"(~1 KB PresentationML, 3 entities); build = plain text → escaped MessageML. {iterations:,} "
        "iterations per sample after a warm-up."
    )
    return result
