"""BDK 3.0.0: RSS of a configured, authenticated bot before its datafeed starts.

Usage: python bdk_idle.py <bdk-config.yaml>; prints {"rss_mb", "import_s", "ready_s"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from _common import rss_mb

started = time.perf_counter()
from symphony.bdk.core.config.loader import BdkConfigLoader  # noqa: E402
from symphony.bdk.core.symphony_bdk import SymphonyBdk  # noqa: E402

imported = time.perf_counter()


async def main() -> None:
    config = BdkConfigLoader.load_from_file(sys.argv[1])
    async with SymphonyBdk(config) as bdk:
        await bdk.sessions().get_session()  # authenticates (session + key manager) and calls the pod
        ready = time.perf_counter()
        print(json.dumps({"rss_mb": rss_mb(), "import_s": imported - started, "ready_s": ready - imported}))


asyncio.run(main())
