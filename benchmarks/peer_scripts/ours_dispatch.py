"""Ours, in process: decode v2 read batches and dispatch them to a no-op handler; RSS sampled.

Usage: python ours_dispatch.py <total_events> <streams> <samples>
Prints {"events_per_s", "cpu_us_per_event", "rss_mb": [...], "events_at_sample": [...], "dispatched"}:
RSS is sampled ``samples`` times evenly over the run (the first sample after the first batch, once
warm); cpu_us_per_event is process CPU time (all threads) over the run divided by events handled.
"""

from __future__ import annotations

import json
import sys
import time

from _common import BATCH, batch_bytes, rss_mb

from sym_api_client_python.core.models.events import decode_v5_read
from sym_api_client_python.datafeed.dispatcher import SyncDispatcher


def main() -> None:
    total, streams, samples = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    handled = 0

    def handler(event: object) -> None:
        nonlocal handled
        handled += 1

    dispatcher = SyncDispatcher(handler, max_workers=8)
    batches = max(1, total // BATCH)
    sample_every = max(1, batches // max(1, samples))
    rss: list[float] = []
    at: list[int] = []
    # A ring of pre-built bodies; "@@" is replaced by the batch number so every event id is new
    # (the dedup window then behaves as on a real feed) at the cost of one bytes.replace per batch.
    ring = [batch_bytes(i * BATCH, streams) for i in range(8)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for number in range(batches):
        body = ring[number % len(ring)].replace(b"@@", f"b{number}-".encode())
        events, _ack = decode_v5_read(body)
        dispatcher.dispatch(events)
        if number % sample_every == 0 or number == batches - 1:
            rss.append(rss_mb())
            at.append((number + 1) * BATCH)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    dispatcher.close()
    print(
        json.dumps(
            {
                "events_per_s": handled / elapsed,
                "cpu_us_per_event": cpu / max(1, handled) * 1e6,
                "rss_mb": rss,
                "events_at_sample": at,
                "dispatched": handled,
            }
        )
    )


main()
