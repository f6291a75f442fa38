"""(c) Messages sent per second, sequential and 50 in flight.

Ours (from benchmarks/bench_send.py, owned by the REST services work) against a bare aiohttp/urllib3
loop, BDK 3.0.0 and legacy 1.3.7, all posting the same MessageML to the same emulator stream.
"""

from __future__ import annotations

from typing import Any

from ..context import RunContext, python_for, run_script
from ..peers import PeerUnavailable
from ..results import ComponentMissing, ScenarioResult
from .datafeed import _new_stream
from .owned import call_owned, numbers

SEQUENTIAL = "send msg/s, sequential"
CONCURRENT = "send msg/s, 50 concurrent"
CONCURRENCY = 50


def _peer(
    ctx: RunContext,
    result: ScenarioResult,
    subject: str,
    script: str,
    config_attr: str,
    stream_id: str,
    count: int,
) -> None:
    try:
        python = python_for(ctx, subject)
        config = str(getattr(ctx.pod(), config_attr))
        runs = [
            run_script(python, script, [config, stream_id, str(count), str(CONCURRENCY)], timeout=900)
            for _ in range(ctx.repeats)
        ]
    except PeerUnavailable as exc:
        result.mark_unavailable(SEQUENTIAL, subject, f"peer unavailable: {exc}")
        return
    except (ComponentMissing, RuntimeError) as exc:
        result.mark_unavailable(SEQUENTIAL, subject, f"n/a: {exc}")
        return
    result.add_figure(
        SEQUENTIAL, subject, "msg/s", [r["sequential_per_s"] for r in runs], higher_is_better=True
    )
    result.add_figure(
        CONCURRENT, subject, "msg/s", [r["concurrent_per_s"] for r in runs], higher_is_better=True
    )


# bench_send.run's keys -> (metric, subject). Its raw aiohttp/urllib3 loops run in the same process
# as ours, interleaved round by round with it, so the ratio is the SDK's overhead and not the
# difference between two processes or two moments of the run.
BENCH_SEND_SUBJECTS: dict[str, tuple[str, str]] = {
    "ours.async_sequential_per_s": (SEQUENTIAL, "ours (async)"),
    "ours.sync_sequential_per_s": (SEQUENTIAL, "ours (sync)"),
    f"ours.async_concurrent_{CONCURRENCY}_per_s": (CONCURRENT, "ours (async)"),
    "raw.aiohttp_sequential_per_s": (SEQUENTIAL, "raw aiohttp"),
    "raw.urllib3_sequential_per_s": (SEQUENTIAL, "raw urllib3"),
    f"raw.aiohttp_concurrent_{CONCURRENCY}_per_s": (CONCURRENT, "raw aiohttp"),
}


def _ours(ctx: RunContext, result: ScenarioResult, stream_id: str, count: int) -> None:
    """Ours and the raw transport loops from bench_send.run (same emulator, same stream, same
    process, interleaved), one call per repeat."""
    samples: dict[tuple[str, str], list[float]] = {}
    try:
        for _ in range(ctx.repeats):
            raw: Any = call_owned(
                "bench_send", ctx, stream_id=stream_id, count=count, concurrency=CONCURRENCY
            )
            for key, value in numbers(raw if isinstance(raw, dict) else {}).items():
                if key in BENCH_SEND_SUBJECTS:
                    samples.setdefault(BENCH_SEND_SUBJECTS[key], []).append(value)
    except ComponentMissing as exc:
        result.mark_unavailable(SEQUENTIAL, "ours", f"n/a (component missing): {exc}")
        return
    except Exception as exc:
        result.mark_unavailable(SEQUENTIAL, "ours", f"bench_send.run failed: {exc!r}")
        return
    if not samples:
        result.mark_unavailable(SEQUENTIAL, "ours", "bench_send.run returned no 'ours' rates")
    for (metric, subject), values in samples.items():
        result.add_figure(metric, subject, "msg/s", values, higher_is_better=True)


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("send", "(c) Send throughput")
    count = ctx.size(1_000, 200)
    try:
        _, stream_id = _new_stream(ctx)
    except (ComponentMissing, RuntimeError, KeyError) as exc:
        for subject in ("ours", "raw aiohttp", "bdk", "legacy"):
            result.mark_unavailable(SEQUENTIAL, subject, f"n/a (emulator missing): {exc}")
        return result
    _ours(ctx, result, stream_id, count)
    _peer(ctx, result, "bdk", "bdk_send.py", "bdk_config_path", stream_id, count)
    _peer(ctx, result, "legacy", "legacy_send.py", "bot_config_path", stream_id, count)
    result.check(
        "ours async ≥ 0.9x raw aiohttp (sequential)",
        SEQUENTIAL,
        "ours (async)",
        at_least=0.9,
        versus="raw aiohttp",
    )
    result.check(
        "ours sync ≥ 0.9x raw urllib3 (sequential)",
        SEQUENTIAL,
        "ours (sync)",
        at_least=0.9,
        versus="raw urllib3",
    )
    result.check("ours async ≥ 2x BDK (sequential)", SEQUENTIAL, "ours (async)", at_least=2, versus="bdk")
    result.check("ours async ≥ 2x BDK (50 concurrent)", CONCURRENT, "ours (async)", at_least=2, versus="bdk")
    result.notes.append(
        f"{count:,} sends per figure after 10 warm-up sends; 50 concurrent = asyncio tasks behind a "
        "semaphore (threads for the sync legacy client). Same stream, same MessageML, same emulator "
        "subprocess. The emulator's own ceiling (scenario g: message create over HTTPS) bounds every "
        "subject here, so the ratios between SDKs are compressed towards 1 compared with a real pod; "
        "the raw loops (bare aiohttp / urllib3 posting the same form with the same tokens) run in the "
        "same process as ours, interleaved with it round by round, and show what the server allows."
    )
    return result
