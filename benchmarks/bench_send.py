"""Messages per second through ``messages.send`` against the raw transport loop, same emulator.

Ours: ``AsyncServices.messages.send`` at 1, 10 and ``concurrency`` (default 50) requests in flight,
and ``SyncServices.messages.send`` sequentially. Raw: a bare aiohttp / urllib3 loop posting the
same multipart form with the same tokens (no models, no retries, no error mapping), which is the
ceiling the SDK's overhead is measured against.

    python -m benchmarks.bench_send [--quick]

``run(quick)`` is what the benchmark harness calls; it returns
``{"ours": {...per_s}, "raw": {...per_s}, "count": n, "overhead": {...}}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from typing import Any

MESSAGE = "<messageML>Benchmark message with <b>some</b> formatting</messageML>"


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


async def _in_flight(count: int, width: int, send: Callable[[], Awaitable[Any]]) -> float:
    """Seconds to send ``count`` messages with ``width`` requests in flight."""
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await send()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(width, count))))
    return time.perf_counter() - started


class _Senders:
    """Every way of sending, opened once: ours (async, sync) and the raw loops (aiohttp, urllib3)."""

    def __init__(self, config_path: str, stream_id: str) -> None:
        self.config_path = config_path
        self.stream_id = stream_id
        self.stack = ExitStack()

    async def open(self) -> None:
        import aiohttp
        import urllib3

        from sym_api_client_python.client import AsyncApiClient, SyncApiClient
        from sym_api_client_python.core.http import Component
        from sym_api_client_python.rest import AsyncServices, SyncServices

        self.async_client = AsyncApiClient.from_config(self.config_path)
        self.async_services = AsyncServices(self.async_client)
        self.sync_client = SyncApiClient.from_config(self.config_path)
        self.sync_services = SyncServices(self.sync_client)
        self.sync_client.authenticate()
        # the raw loops reuse our tokens: they measure the transport alone
        self.headers = {
            "sessionToken": self.sync_client.session_token or "",
            "keyManagerToken": self.sync_client.key_manager_token or "",
        }
        agent = self.sync_client.config.component(Component.AGENT).base_url
        self.url = f"{agent}/agent/v4/stream/{self.stream_id}/message/create"
        truststore = self.sync_client.config.truststore_path
        cafile = str(truststore) if truststore else None
        connector = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=cafile), limit=100)
        self.session = aiohttp.ClientSession(headers=self.headers, connector=connector)
        self.pool = urllib3.PoolManager(ca_certs=cafile, cert_reqs="CERT_REQUIRED")
        for warm_up in (self.ours_async, self.raw_aiohttp):
            await warm_up()
        self.ours_sync()
        self.raw_urllib3()

    async def close(self) -> None:
        await self.session.close()
        await self.async_client.close()
        self.sync_client.close()
        self.pool.clear()

    async def ours_async(self) -> None:
        await self.async_services.messages.send(self.stream_id, MESSAGE)

    def ours_sync(self) -> None:
        self.sync_services.messages.send(self.stream_id, MESSAGE)

    async def raw_aiohttp(self) -> None:
        import aiohttp

        form = aiohttp.FormData()
        form.add_field("message", MESSAGE, content_type="text/plain")  # forces multipart
        async with self.session.post(self.url, data=form) as response:
            response.raise_for_status()
            await response.read()

    def raw_urllib3(self) -> None:
        response = self.pool.request("POST", self.url, fields={"message": MESSAGE}, headers=self.headers)
        if response.status >= 400:
            raise RuntimeError(f"raw urllib3 send failed: HTTP {response.status} {response.data[:200]!r}")


def _sequential(count: int, send: Callable[[], None]) -> float:
    started = time.perf_counter()
    for _ in range(count):
        send()
    return time.perf_counter() - started


async def _measure(
    config_path: str, stream_id: str, count: int, concurrency: int, rounds: int
) -> dict[str, Any]:
    """Rounds interleave every measurement so that the server's state (a growing stream) weighs
    on each the same way."""
    senders = _Senders(config_path, stream_id)
    await senders.open()
    widths = sorted({10, concurrency} - {1})
    seconds: dict[str, float] = {}
    per_round = max(1, count // rounds)
    try:
        for _ in range(rounds):
            timings = {
                "ours.async_sequential_per_s": await _in_flight(per_round, 1, senders.ours_async),
                "raw.aiohttp_sequential_per_s": await _in_flight(per_round, 1, senders.raw_aiohttp),
                "ours.sync_sequential_per_s": _sequential(per_round, senders.ours_sync),
                "raw.urllib3_sequential_per_s": _sequential(per_round, senders.raw_urllib3),
            }
            for width in widths:
                name = (
                    f"async_concurrent_{width}_per_s"
                    if width == concurrency
                    else f"async_in_flight_{width}_per_s"
                )
                timings[f"ours.{name}"] = await _in_flight(per_round, width, senders.ours_async)
                if width == concurrency:
                    raw_name = f"raw.aiohttp_concurrent_{width}_per_s"
                    timings[raw_name] = await _in_flight(per_round, width, senders.raw_aiohttp)
            for key, value in timings.items():
                seconds[key] = seconds.get(key, 0.0) + value
    finally:
        await senders.close()
    result: dict[str, Any] = {"ours": {}, "raw": {}}
    for key, total in seconds.items():
        side, name = key.split(".", 1)
        result[side][name] = _rate(per_round * rounds, total)
    return result


def service_layer_cost(calls: int = 20_000) -> float:
    """Microseconds per ``messages.send`` spent in the SDK above the transport (request building,
    multipart parts, response decoding into a V4Message), with a canned answer instead of I/O."""
    import msgspec

    from sym_api_client_python.core.http import Request, Response
    from sym_api_client_python.rest import SyncServices

    body = msgspec.json.encode(
        {
            "messageId": "m",
            "timestamp": 1,
            "message": "<div>x</div>",
            "stream": {"streamId": "s"},
            "user": {"userId": 1},
        }
    )

    class CannedRequester:
        def request(self, request: Request) -> Response:
            return Response(200, {"content-type": "application/json"}, body)

    services = SyncServices(CannedRequester())
    started = time.perf_counter()
    for _ in range(calls):
        services.messages.send("stream", MESSAGE)
    return round((time.perf_counter() - started) / calls * 1e6, 2)


def _new_im(pod: Any) -> str:
    from sym_api_client_python.client import SyncApiClient
    from sym_api_client_python.rest import SyncServices

    peer = pod.create_user(f"bench-peer-{time.monotonic_ns()}")
    with SyncApiClient.from_config(pod.bot_config_path) as client:
        return SyncServices(client).streams.create_im(peer["userId"]).id or ""


def run(
    quick: bool = False,
    pod: Any = None,
    stream_id: str | None = None,
    count: int | None = None,
    concurrency: int = 50,
) -> dict[str, Any]:
    """Send ``count`` messages each way (default 800, quick 80) and return the rates."""
    count = count or (80 if quick else 800)
    with ExitStack() as stack:
        if pod is None:
            from sympod import Emulator

            # a separate process, so the server does not share our GIL
            workdir = stack.enter_context(tempfile.TemporaryDirectory())
            pod = stack.enter_context(Emulator(workdir=workdir, mode="subprocess"))
        config_path = str(pod.bot_config_path)
        stream_id = stream_id or _new_im(pod)
        measured = asyncio.run(_measure(config_path, stream_id, count, concurrency, rounds=2 if quick else 4))
    ours, raw = measured["ours"], measured["raw"]
    overhead = {
        "async_sequential_vs_raw_aiohttp": round(
            ours["async_sequential_per_s"] / raw["aiohttp_sequential_per_s"], 3
        ),
        "sync_sequential_vs_raw_urllib3": round(
            ours["sync_sequential_per_s"] / raw["urllib3_sequential_per_s"], 3
        ),
        f"async_concurrent_{concurrency}_vs_raw_aiohttp": round(
            ours[f"async_concurrent_{concurrency}_per_s"] / raw[f"aiohttp_concurrent_{concurrency}_per_s"], 3
        ),
    }
    layer = {"service_layer_us_per_call": service_layer_cost(2_000 if quick else 20_000)}
    return {
        "count": count,
        "concurrency": concurrency,
        "ours": ours,
        "raw": raw,
        "ratio": overhead,
        "layer": layer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick, count=args.count), indent=2))


if __name__ == "__main__":
    main()
