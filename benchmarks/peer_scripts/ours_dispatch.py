"""Ours, in process: decode v2 read batches and dispatch them to a no-op handler; RSS sampled.

Usage: python ours_dispatch.py <total_events> <streams> <samples>
Prints {"events_per_s", "cpu_us_per_event", "rss_mb": [...], "events_at_sample": [...], "dispatched"}:
RSS is sampled ``samples`` times evenly over the run (the first sample after the first batch, once
warm); cpu_us_per_event is process CPU time (all threads) over the run divided by events handled.
"""

from __future__ import annotations

import sys

from _common import BatchRun

from sym_api_client_python.core.models.events import decode_v5_read
from sym_api_client_python.datafeed.dispatcher import SyncDispatcher


def main() -> None:
    total, streams, samples = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    handled = 0

    def handler(event: object) -> None:
        nonlocal handled
        handled += 1

    dispatcher = SyncDispatcher(handler, max_workers=8)
    run = BatchRun(total, streams, samples)
    for body in run.bodies():
        events, _ack = decode_v5_read(body)
        dispatcher.dispatch(events)
    dispatcher.close()
    run.report(handled)


main()
