"""(e) Memory over a long run of events and (f) cost scaling with the number of streams.

Both run our decode + dispatch path in a separate process (``peer_scripts/ours_dispatch.py``) so the
RSS figures are the bot's alone: decoded v2 batches of 100 MESSAGESENT events to a no-op handler.
"""

from __future__ import annotations

from ..context import RunContext, python_for, run_script
from ..results import ScenarioResult

GROWTH = "RSS growth after warm-up"
SCALING_STREAMS = (1, 10, 100, 1_000)
# The dedup window and the handler pool fill during the first part of the run; flat means no growth
# after that, so growth is measured from the sample at 10% of the run to the end.
WARM_FRACTION = 0.10
FLAT_LIMIT_MB = 5.0


def memory(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("memory", "(e) Memory over a long event run")
    total = ctx.size(1_000_000, 50_000)
    try:
        runs = [
            run_script(python_for(ctx, "ours"), "ours_dispatch.py", [str(total), "10", "50"], peer=False)
            for _ in range(max(1, ctx.repeats // 2))
        ]
    except RuntimeError as exc:
        result.mark_unavailable(GROWTH, "ours", f"n/a (component missing): {exc}")
        return result
    growth, final, rate = [], [], []
    for measured in runs:
        rss, at = measured["rss_mb"], measured["events_at_sample"]
        warm = next(i for i, count in enumerate(at) if count >= total * WARM_FRACTION)
        growth.append(rss[-1] - rss[warm])
        final.append(rss[-1])
        rate.append(measured["events_per_s"])
    result.add_figure(GROWTH, "ours", "MB", growth)
    result.add_figure("RSS at end", "ours", "MB", final)
    result.add_figure("decode + dispatch events/s", "ours", "events/s", rate, higher_is_better=True)
    result.check(
        f"RSS flat: growth ≤ {FLAT_LIMIT_MB:.0f} MB after warm-up", GROWTH, "ours", at_most=FLAT_LIMIT_MB
    )
    last = runs[-1]
    trace = ", ".join(
        f"{c // 1000}k: {r:.1f}"
        for c, r in list(zip(last["events_at_sample"], last["rss_mb"], strict=True))[::10]
    )
    result.notes.append(
        f"{total:,} events per run, RSS sampled 50 times. RSS (MB) by events handled: {trace}."
    )
    return result


def scaling(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("scaling", "(f) Cost scaling with the number of streams")
    total = ctx.size(200_000, 20_000)
    for streams in SCALING_STREAMS:
        try:
            runs = [
                run_script(
                    python_for(ctx, "ours"), "ours_dispatch.py", [str(total), str(streams), "4"], peer=False
                )
                for _ in range(ctx.repeats)
            ]
        except RuntimeError as exc:
            result.mark_unavailable("events/s", f"ours, {streams} streams", f"n/a (component missing): {exc}")
            continue
        result.add_figure(
            f"events/s, {streams:,} streams",
            "ours",
            "events/s",
            [r["events_per_s"] for r in runs],
            higher_is_better=True,
        )
        result.add_figure(f"RSS, {streams:,} streams", "ours", "MB", [r["rss_mb"][-1] for r in runs])
    result.notes.append(
        f"{total:,} events per sample spread round-robin over the streams (a batch of 100 holds up to 100 "
        "streams); handlers keep per-stream order and run streams concurrently (8 worker threads)."
    )
    return result
