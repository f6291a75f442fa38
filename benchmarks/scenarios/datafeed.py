"""(b) Datafeed v2: events/s to a no-op handler and event→reply latency, ours vs BDK 3.0.0.

Both sides read the same kind of backlog from the same emulator: the feed is created first, the
harness queues ``count`` messages into it, then the bot reads them all. Latency is measured from the
message's creation (its pod timestamp) to the reply being accepted by the pod.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from ..context import RunContext, ScriptProcess, python_for, run_script
from ..peers import PeerUnavailable
from ..pod import inject_messages
from ..results import ComponentMissing, ScenarioResult, percentile
from .owned import call_owned, numbers

THROUGHPUT = "datafeed v2 events/s (no-op handler)"
LATENCY_P50 = "event→reply latency p50"
LATENCY_P99 = "event→reply latency p99"
OWNED_SUBJECT = "ours (bench_datafeed)"
IN_PROCESS = "in-process decode + dispatch events/s (no network)"
IN_PROCESS_ASYNC_SUBJECT = "ours (AsyncBot)"


def _in_process(ctx: RunContext, result: ScenarioResult) -> None:
    """The SDKs' own cost without the emulator: the same v2 bodies decoded and dispatched to a no-op
    handler (``ours_dispatch.py`` vs ``bdk_dispatch.py``, 10 streams)."""
    total = ctx.size(100_000, 10_000)
    scripts = (
        ("ours", "ours_dispatch.py"),
        (IN_PROCESS_ASYNC_SUBJECT, "ours_async_dispatch.py"),
        ("bdk", "bdk_dispatch.py"),
    )
    for subject, script in scripts:
        args = [str(total), "10"] + (["2"] if subject.startswith("ours") else [])
        try:
            python = python_for(ctx, subject)
            runs = [run_script(python, script, args) for _ in range(1 if ctx.quick else ctx.repeats)]
        except PeerUnavailable as exc:
            result.mark_unavailable(IN_PROCESS, subject, f"peer unavailable: {exc}")
            continue
        except RuntimeError as exc:
            result.mark_unavailable(IN_PROCESS, subject, f"n/a: {exc}")
            continue
        result.add_figure(
            IN_PROCESS, subject, "events/s", [r["events_per_s"] for r in runs], higher_is_better=True
        )


def _new_stream(ctx: RunContext, *, reset: bool = False) -> tuple[str, str]:
    """A fresh sender and an IM with the bot (the events the bot sees come from this user).

    ``reset`` empties the emulator first: v2 feeds outlive the scripts that opened them, and a
    previous subject's feeds (with their own backlog and ack timers) must not share the pod.
    """
    pod = ctx.pod()
    control = pod.control()
    try:
        if reset:
            control.reset()
        username = f"bench-{uuid.uuid4().hex[:8]}"
        control.create_user(username, display_name="Bench Sender")
        first = control.send_message(username, "<messageML>hello</messageML>", to=pod.bot_username())
        return username, first["stream"]["streamId"]
    finally:
        control.close()


# subject -> (interpreter owner, script, config attribute of the emulator)
PROTOCOL_SCRIPTS = {
    "ours": ("ours", "ours_datafeed.py", "bot_config_path"),
    "bdk": ("bdk", "bdk_datafeed.py", "bdk_config_path"),
}


class _Samples:
    """One subject's figures across repeats (None once the subject proved unavailable)."""

    def __init__(self) -> None:
        self.throughput: list[float] = []
        self.p50: list[float] = []
        self.p99: list[float] = []
        self.unavailable: str | None = None


def _scripted_once(ctx: RunContext, subject: str, count: int, latency_count: int, samples: _Samples) -> None:
    """One repeat of one subject through the feed-ready / go / throughput / latency protocol."""
    owner, script_name, config_attribute = PROTOCOL_SCRIPTS[subject]
    try:
        python = python_for(ctx, owner)
        pod = ctx.pod()
        config = str(getattr(pod, config_attribute))
        sender, stream_id = _new_stream(ctx, reset=True)
        script = ScriptProcess(python, script_name, [config, str(count), str(latency_count)])
        try:
            script.expect("feed-ready", timeout=120)
            inject_messages(pod.control, sender, stream_id, count)
            script.send("go")
            measured = script.expect("throughput", timeout=600)
            samples.throughput.append(measured["events"] / measured["seconds"])
            script.expect("latency-ready", timeout=60)
            if latency_count:
                _paced_messages(ctx, sender, stream_id, latency_count)
                latencies = script.expect("latency", timeout=300)["ms"]
                samples.p50.append(percentile(latencies, 0.50))
                samples.p99.append(percentile(latencies, 0.99))
        finally:
            script.close()
    except PeerUnavailable as exc:
        samples.unavailable = f"peer unavailable: {exc}"
    except (ComponentMissing, RuntimeError, TimeoutError) as exc:
        samples.unavailable = f"n/a: {exc}"


def _scripted(ctx: RunContext, result: ScenarioResult, count: int, latency_count: int) -> None:
    """Every subject of PROTOCOL_SCRIPTS, repeats interleaved (ours, bdk, then bdk, ours...): this
    machine's speed drifts by tens of percent over minutes, and back-to-back blocks of repeats
    turned that drift into a difference between the SDKs."""
    subjects = list(PROTOCOL_SCRIPTS)
    samples = {subject: _Samples() for subject in subjects}
    for repeat in range(1 if ctx.quick else ctx.repeats):
        for subject in subjects if repeat % 2 == 0 else reversed(subjects):
            if samples[subject].unavailable is None:
                _scripted_once(ctx, subject, count, latency_count, samples[subject])
    for subject, taken in samples.items():
        if taken.unavailable is not None:
            result.mark_unavailable(THROUGHPUT, subject, taken.unavailable)
            continue
        result.add_figure(THROUGHPUT, subject, "events/s", taken.throughput, higher_is_better=True)
        if taken.p50:
            result.add_figure(LATENCY_P50, subject, "ms", taken.p50)
            result.add_figure(LATENCY_P99, subject, "ms", taken.p99)


def _paced_messages(ctx: RunContext, sender: str, stream_id: str, count: int, gap_s: float = 0.01) -> None:
    """One message at a time, so latency is not a queueing figure."""
    control = ctx.pod().control()
    try:
        for _ in range(count):
            control.send_message(sender, "<messageML>ping</messageML>", stream_id=stream_id)
            time.sleep(gap_s)
    finally:
        control.close()


def _owned(ctx: RunContext, result: ScenarioResult, count: int, latency_count: int) -> None:
    """Extra figures from benchmarks/bench_datafeed.py (owned by the datafeed work), when present."""
    try:
        raw: Any = call_owned(
            "bench_datafeed", ctx, share_pod=False, count=count, latency_count=latency_count
        )
    except ComponentMissing:
        return  # optional: ours is measured by ours_datafeed.py either way
    except Exception as exc:  # their failure must not stop the other figures
        result.mark_unavailable(THROUGHPUT, OWNED_SUBJECT, f"bench_datafeed.run failed: {exc!r}")
        return
    flat = numbers(raw)
    _figure_from(result, flat, THROUGHPUT, ("events_per_s", "throughput", "events/s"), "events/s", True)
    _figure_from(result, flat, LATENCY_P50, ("p50", "latency_p50"), "ms", False)
    _figure_from(result, flat, LATENCY_P99, ("p99", "latency_p99"), "ms", False)
    for key, value in flat.items():
        if key.startswith("ceiling.") and ("per_s" in key or "rate" in key):
            metric = f"in-process ceiling: {key.removeprefix('ceiling.')}"
            result.add_figure(metric, OWNED_SUBJECT, "events/s", [value], higher_is_better=True)


def _figure_from(
    result: ScenarioResult,
    flat: dict[str, float],
    metric: str,
    key_hints: tuple[str, ...],
    unit: str,
    higher_is_better: bool,
) -> None:
    """Pick every value of an owned module's result whose key ends with one of ``key_hints``."""
    for hint in key_hints:
        samples = [value for key, value in flat.items() if key.split("[")[0].split(".")[-1] == hint]
        if samples:
            result.add_figure(metric, OWNED_SUBJECT, unit, samples, higher_is_better=higher_is_better)
            return
    result.mark_unavailable(metric, OWNED_SUBJECT, f"bench_datafeed.run gave no {'/'.join(key_hints)}")


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("datafeed", "(b) Datafeed v2 throughput and event→reply latency")
    # 20,000 events: ours drains them in about a quarter of a second, long enough that one GC pause
    # or scheduler hiccup does not move the figure by a sixth, as it did with 10,000
    count = ctx.size(20_000, 1_000)
    latency_count = ctx.size(200, 30)
    _scripted(ctx, result, count, latency_count)
    _owned(ctx, result, count, latency_count)
    _in_process(ctx, result)
    result.check("ours ≥ 20x BDK events/s (over the emulator)", THROUGHPUT, "ours", at_least=20, versus="bdk")
    result.check("ours event→reply p50 ≤ 5 ms", LATENCY_P50, "ours", at_most=5)
    result.notes.append(
        f"{count:,} MESSAGESENT events queued in a v2 feed before reading; events/s from first to last "
        f"event delivered to the handler. Latency over {latency_count} messages sent 10 ms apart: reply "
        "accepted by the pod minus the message's creation timestamp (ms clock). Both bots read from the "
        "same emulator, which serves v2 batches of at most 500 events: its read path bounds the "
        "over-the-wire figure; the in-process ceiling rows (decode + dispatch without network) and "
        "scenarios (e)/(f) show the SDK's own cost. The in-process rows run BDK's own v2 loop dispatch "
        "(`V4Event.from_dict` + `_run_listener_tasks`, stubbed API, no activity registry) on the same "
        "bodies as ours (`msgspec` decode + `SyncDispatcher`; `ours (AsyncBot)`: the AsyncBot path with "
        "one `on_event` handler, as over the wire), 10 streams. The issue's 20x target is the over-the-wire "
        "figure; the in-process ceiling is reported without a target (BDK's own dispatch would need "
        "ours at about 2.5 us per event, below one msgspec decode of these events)."
    )
    return result
