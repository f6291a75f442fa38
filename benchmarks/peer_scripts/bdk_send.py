"""BDK 3.0.0 send throughput: sequential, then ``concurrency`` sends in flight.

Usage: python bdk_send.py <bdk-config.yaml> <stream_id> <count> <concurrency>
Prints {"sequential_per_s", "concurrent_per_s"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from symphony.bdk.core.config.loader import BdkConfigLoader
from symphony.bdk.core.symphony_bdk import SymphonyBdk

MESSAGE = "<messageML>Hello from the benchmark, <b>bold</b> and plain.</messageML>"


async def main() -> None:
    config_path, stream_id, count, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    async with SymphonyBdk(BdkConfigLoader.load_from_file(config_path)) as bdk:
        messages = bdk.messages()
        for _ in range(10):  # warm-up: login, connection pool, pydantic schemas
            await messages.send_message(stream_id, MESSAGE)
        started = time.perf_counter()
        for _ in range(count):
            await messages.send_message(stream_id, MESSAGE)
        sequential = count / (time.perf_counter() - started)

        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                await messages.send_message(stream_id, MESSAGE)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        concurrent = count / (time.perf_counter() - started)
    print(json.dumps({"sequential_per_s": sequential, "concurrent_per_s": concurrent}))


asyncio.run(main())
