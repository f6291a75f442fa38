"""(g) Emulator throughput, from benchmarks/emulator_throughput.py (owned by the emulator work)."""

from __future__ import annotations

from typing import Any

from ..context import RunContext
from ..results import ComponentMissing, ScenarioResult
from .owned import call_owned, numbers


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("emulator", "(g) Emulator (sympod) throughput")
    try:
        raw: Any = call_owned("emulator_throughput", ctx)
    except ComponentMissing as exc:
        result.mark_unavailable("requests/s", "sympod", f"n/a (component missing): {exc}")
        return result
    except Exception as exc:
        result.mark_unavailable("requests/s", "sympod", f"emulator_throughput.run failed: {exc!r}")
        return result
    for key, value in numbers(raw).items():
        lowered = key.lower()
        higher = any(word in lowered for word in ("per_s", "/s", "rps", "rate", "throughput"))
        unit = "/s" if higher else ("ms" if "ms" in lowered or "latency" in lowered else "")
        result.add_figure(key, "sympod", unit, [value], higher_is_better=higher)
    if not result.figures:
        result.mark_unavailable("requests/s", "sympod", "emulator_throughput.run returned no numbers")
    return result
