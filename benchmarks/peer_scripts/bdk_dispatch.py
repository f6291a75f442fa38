"""BDK 3.0.0 in process: decode v2 read batches and dispatch them to a no-op listener.

The twin of ``ours_dispatch.py`` (same bodies from ``_common.batch_bytes``): JSON decode, the
pydantic ``V4Event.from_dict`` the generated API client applies, then the datafeed loop's own
listener dispatch (``_run_listener_tasks``: acceptance check, one task per event). No network: the
loop's API clients are stubs and never called. Usage: python bdk_dispatch.py <total_events> <streams>
Prints {"events_per_s", "rss_mb": [...]}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from unittest.mock import MagicMock

from _common import BATCH, batch_bytes, rss_mb
from symphony.bdk.core.config.model.bdk_config import BdkConfig
from symphony.bdk.core.service.datafeed.datafeed_loop_v2 import DatafeedLoopV2
from symphony.bdk.core.service.datafeed.real_time_event_listener import RealTimeEventListener
from symphony.bdk.gen.agent_model.v4_event import V4Event
from symphony.bdk.gen.pod_model.user_v2 import UserV2


class NoOp(RealTimeEventListener):
    def __init__(self) -> None:
        self.count = 0

    async def on_message_sent(self, initiator, event) -> None:  # type: ignore[no-untyped-def]
        self.count += 1


async def main() -> None:
    total, streams = int(sys.argv[1]), int(sys.argv[2])
    loop = DatafeedLoopV2(MagicMock(), MagicMock(), MagicMock(), BdkConfig(host="localhost"))
    loop._bot_info = UserV2(id=1)  # not the initiator, so every event is accepted
    listener = NoOp()
    loop.subscribe(listener)
    ring = [batch_bytes(i * BATCH, streams) for i in range(8)]
    batches = max(1, total // BATCH)
    started = time.perf_counter()
    for number in range(batches):
        body = ring[number % len(ring)].replace(b"@@", f"b{number}-".encode())
        events = [V4Event.from_dict(raw) for raw in json.loads(body)["events"]]
        await loop._run_listener_tasks(events)
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {"events_per_s": listener.count / elapsed, "rss_mb": [rss_mb()], "dispatched": listener.count}
        )
    )


asyncio.run(main())
